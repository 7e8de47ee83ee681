"""The peer SDK, ``instantlyai`` 0.7.0, in its own pinned virtualenv (``.bench/peer-venv``).

Its packages are put in front of ``sys.path`` of the benchmark process (and of the cold-start
children), while httpx and the rest of the shared stack stay the project venv's: both SDKs
then run on the same httpx, served by the same ``httpx.MockTransport``.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

from _common import BENCH_DIR, REPO

VENV = BENCH_DIR / "peer-venv"
REQUIREMENTS = REPO / "benchmarks" / "peer-requirements.txt"
STAMP = VENV / ".installed-requirements"
NAME = "instantlyai"


def site_packages() -> Path:
    return VENV / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"


def ensure() -> Path:
    """Create or update the peer venv when the pinned requirements changed; its site-packages."""
    wanted = REQUIREMENTS.read_text()
    if STAMP.is_file() and STAMP.read_text() == wanted and site_packages().is_dir():
        return site_packages()
    print(f"installing the peer SDK into {VENV.relative_to(REPO)} (pinned, --no-deps) ...")
    sys.stdout.flush()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [
            str(VENV / "bin" / "python"),
            *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--only-binary", ":all:", "-r", str(REQUIREMENTS)),
        ],
        check=True,
    )
    STAMP.write_text(wanted)
    return site_packages()


@cache
def activate() -> dict[str, str]:
    """Make ``instantlyai`` importable here; the versions of what it runs on."""
    site = str(ensure())
    if site not in sys.path:
        sys.path.insert(0, site)
    import httpx
    import instantlyai
    import pydantic
    import pydantic_core

    for module in (instantlyai, pydantic, pydantic_core):
        if not str(module.__file__).startswith(site):
            raise SystemExit(f"{module.__name__} was not imported from {site}: {module.__file__}")
    return {
        "instantlyai": getattr(instantlyai, "__version__", "?"),
        "pydantic": pydantic.VERSION,
        "pydantic-core": pydantic_core.__version__,
        "httpx (shared)": httpx.__version__,
    }
