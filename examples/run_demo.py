"""``make demo``: run quickstart.py on the in-process fake Instantly, or against Prism.

By default quickstart.py runs with ``--fake``: on ``instantly_async.testing.FakeInstantly``, in
its own process, with no server and no Node. The fake keeps what the demo sends (the member is
an editor, pages hold what was stored) and checks the key's scopes, so its output is what the
SDK would show against a real workspace with the same data.

``--prism`` runs it against the Prism mock of openapi.yaml instead (``node_modules/.bin/prism``,
installed by ``npm ci --ignore-scripts``) on a free 127.0.0.1 port; Prism answers every call
with the document's canned example, whatever was sent. Nothing goes to Instantly either way.
The exit status is quickstart.py's (2 when Prism cannot be started).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PRISM = REPO_ROOT / "node_modules" / ".bin" / "prism"
SPEC = REPO_ROOT / "openapi.yaml"
QUICKSTART = Path(__file__).resolve().parent / "quickstart.py"
HOST = "127.0.0.1"
STARTUP_TIMEOUT = float(os.environ.get("PRISM_STARTUP_TIMEOUT", "90"))


CANNED = (
    "(The mock answers with the canned examples of openapi.yaml, not with what was sent: the\n"
    " member comes back as 'owner', every page holds the same item, and the 401 is the\n"
    " document's example body. The SDK's handling of each answer is real.)\n"
)
FAKE = (
    "(The fake keeps what is sent and pages through it with real cursors; its workspace starts\n"
    " with two leads, and the last call uses a key that may only read leads.)\n"
)
AFTERWORD = (
    "Next: `make test` runs the whole suite; see README.md for using the SDK with your own key."
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


# No proxies: the mock is on loopback, whatever HTTP(S)_PROXY says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def answers(url: str) -> bool:
    """Whether an HTTP server answers at ``url`` (any status counts)."""
    try:
        with _DIRECT.open(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def start_prism(port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [str(PRISM), "mock", str(SPEC), "--host", HOST, "--port", str(port)]
    command += ["--dynamic=false", "--errors=false"]
    with log.open("wb") as out:
        # Its own session (process group), so that stop_prism() ends its children too.
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
            start_new_session=True,
        )


def stop_prism(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_ready(process: subprocess.Popen[bytes], base_url: str) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if answers(f"{base_url}/__ready__"):
            return True
        time.sleep(0.2)
    return False


def quickstart_env(base_url: str) -> dict[str, str]:
    """The environment for quickstart.py: a dummy key, the mock's URL, no proxy for loopback."""
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY", ""), HOST, "localhost"]))
    return {
        **os.environ,
        "INSTANTLY_API_KEY": "dummy-key",
        "INSTANTLY_BASE_URL": base_url,
        "NO_PROXY": no_proxy,
        "no_proxy": no_proxy,
    }


def run_on_fake() -> int:
    print(f"==> running {QUICKSTART.relative_to(REPO_ROOT)} --fake (no server, no network)\n")
    print(FAKE, flush=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    status = subprocess.run(
        [sys.executable, str(QUICKSTART), "--fake"], env=env, check=False
    ).returncode
    print(f"\n{AFTERWORD}" if status == 0 else f"\nquickstart.py exited with {status}")
    return status


def main(argv: list[str]) -> int:
    if "--prism" not in argv:
        return run_on_fake()
    if not PRISM.exists():
        print(
            f"Prism is not installed ({PRISM.relative_to(REPO_ROOT)} is missing): "
            "run `npm ci --ignore-scripts` or `make install`.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="instantly-demo-") as tmp:
        log = Path(tmp) / "prism.log"
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        print(f"==> starting the Prism mock server on {base_url} ... ", end="", flush=True)
        process = start_prism(port, log)
        try:
            if not wait_until_ready(process, base_url):
                print("failed")
                print(f"Prism did not start; its output:\n{log.read_text()}", file=sys.stderr)
                return 2
            print("ready")
            print(f"==> running {QUICKSTART.relative_to(REPO_ROOT)} against it\n")
            print(CANNED, flush=True)
            status = subprocess.run(
                [sys.executable, str(QUICKSTART)], env=quickstart_env(base_url), check=False
            ).returncode
            print(f"\n{AFTERWORD}" if status == 0 else f"\nquickstart.py exited with {status}")
            return status
        finally:
            stop_prism(process)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
