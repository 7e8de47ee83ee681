"""Prism mock-server helpers for the contract tests.

Prism (``@stoplight/prism-cli``, pinned to 5.14.2 in ``package.json``; install it with
``npm ci --ignore-scripts``) serves a mock of an OpenAPI document on loopback only. It never
talks to the real Instantly API.

What Prism 5.14.2 does, found by experiment (``prism mock spec -h 127.0.0.1 -p PORT``, static
examples, no ``--errors``):

* Violations travel in the ``sl-violations`` response header: a JSON list of
  ``{"location": [...], "severity": "Error"|"Warning"|..., "code": str|int, "message": str}``.
  ``location`` starts with ``"request"`` or ``"response"``, e.g.
  ``["request", "query", "limit"]``, ``["request", "body", "name"]``, ``["response", "body"]``.
  Response-side violations (the document's own example does not match its schema) are reported
  too, and the mocked response is still returned.
* An invalid request is answered with the operation's own 422 (or else 400) response when the
  document defines one, with the violations in ``sl-violations``. When it defines neither,
  Prism answers 422 ``application/problem+json`` with
  ``type = https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY`` and the violations in the
  body's ``validation`` list WITHOUT the ``"request"`` prefix (``["query", "limit"]``,
  ``["body"]``; a missing body has no ``location`` at all) and no ``sl-violations`` header.
  :func:`request_violations` folds both forms together.
* Other Prism-made answers are ``application/problem+json`` with a ``type`` under
  ``https://stoplight.io/prism/errors#``: ``NO_PATH_MATCHED_ERROR`` (404, unknown path),
  ``NO_METHOD_MATCHED_ERROR`` (405), ``INVALID_CONTENT_TYPE`` (415, wrong request
  ``Content-Type``), ``NOT_FOUND`` (404, a ``Prefer`` that names an undefined code or
  example), ``UNAUTHORIZED`` (401, see below).
* Unknown query parameters are NOT violations.
* Security (``type: http, scheme: bearer``): only ``Authorization: Bearer <token>`` passes; any
  token value is accepted. A missing header, ``Bearer`` with no token, ``Basic ...`` and even
  lower-case ``bearer <token>`` fail with a request violation
  ``{"location": ["request"], "code": 401, "message": "Invalid security scheme used"}``.
  Prism then answers with the operation's 401 response (its example) when the document defines
  one, else with its own 401 problem (``errors#UNAUTHORIZED``, ``WWW-Authenticate: Bearer``,
  no ``sl-violations`` header). A failed security check wins over ``Prefer: code=200``.
* ``Prefer: code=401`` (with valid auth) returns the documented 401 example with no violation;
  ``Prefer: example=<key>`` picks a named example (``Prefer: code=200, example=second`` combines
  both). An unknown code or example key gives 404 ``errors#NOT_FOUND``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
PRISM_BIN = REPO_ROOT / "node_modules" / ".bin" / "prism"
DEFAULT_SPEC = REPO_ROOT / "openapi.yaml"
PRISM_ERROR_TYPE_PREFIX = "https://stoplight.io/prism/errors#"
HOST = "127.0.0.1"

# start_prism(spec_path) -> base URL; the session fixture of that name in tests/conftest.py.
StartPrism = Callable[[Path | str], str]

# Prism-made problem types that mean "the request itself is wrong".
_REQUEST_PROBLEM_TYPES = frozenset(
    {
        "UNPROCESSABLE_ENTITY",
        "UNAUTHORIZED",
        "INVALID_CONTENT_TYPE",
        "NO_PATH_MATCHED_ERROR",
        "NO_METHOD_MATCHED_ERROR",
        "NOT_ACCEPTABLE",
    }
)

INSTALL_HINT = (
    "Prism is not installed: run `npm ci --ignore-scripts` (or `make install`) in the repo root "
    f"to create {PRISM_BIN.relative_to(REPO_ROOT)}"
)


class PrismStartError(RuntimeError):
    """Prism did not come up; the message carries its captured output."""


def in_ci() -> bool:
    """True when the CI environment variable is set to a truthy value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def prism_executable() -> Path | None:
    """The repo-local Prism launcher, or None when ``npm ci`` has not been run."""
    return PRISM_BIN if PRISM_BIN.exists() else None


def free_port() -> int:
    """A currently free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class PrismServer:
    """One running ``prism mock`` process (in its own process group)."""

    def __init__(self, spec_path: Path, port: int, log_path: Path) -> None:
        self.spec_path = spec_path
        self.port = port
        self.log_path = log_path
        self.base_url = f"http://{HOST}:{port}"
        cmd = [
            str(PRISM_BIN),
            "mock",
            str(spec_path),
            "--host",
            HOST,
            "--port",
            str(port),
            # Static examples only (deterministic); violations are reported, not enforced.
            "--dynamic=false",
            "--errors=false",
        ]
        env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
        with open(log_path, "wb") as log:
            # Output goes to a file, not a pipe: Prism logs every request and an unread pipe
            # would eventually block it.
            self.process = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    def output(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def wait_until_ready(self, timeout: float) -> None:
        """Poll until Prism answers any HTTP request; raise PrismStartError otherwise."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise PrismStartError(self._describe(f"Prism exited with code {code}"))
                try:
                    client.get(f"{self.base_url}/__readiness_probe__")
                except httpx.TransportError:
                    pass
                else:
                    return
                if time.monotonic() > deadline:
                    self.stop()
                    raise PrismStartError(
                        self._describe(f"Prism did not answer within {timeout:.0f}s")
                    )
                time.sleep(0.2)

    def stop(self) -> None:
        """Terminate Prism and its child processes (its whole process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Children that outlived the leader (``-m`` multiprocess mode) share the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def _describe(self, what: str) -> str:
        return (
            f"{what} (spec {self.spec_path}, {self.base_url}).\n"
            f"--- Prism output ({self.log_path}) ---\n{self.output()}"
        )


def start_prism(
    spec_path: Path | str,
    log_dir: Path,
    *,
    timeout: float | None = None,
    attempts: int = 3,
) -> PrismServer:
    """Start Prism for ``spec_path`` on a free loopback port and wait until it answers.

    Raises PrismStartError (with Prism's output) when it cannot be started. A port taken
    between choosing it and Prism binding it is retried on a new port.
    """
    if prism_executable() is None:
        raise PrismStartError(INSTALL_HINT)
    spec = Path(spec_path)
    if not spec.is_absolute():
        spec = REPO_ROOT / spec
    if not spec.is_file():
        raise PrismStartError(f"OpenAPI document not found: {spec}")
    if timeout is None:
        timeout = float(os.environ.get("PRISM_STARTUP_TIMEOUT", "90"))
    log_dir.mkdir(parents=True, exist_ok=True)
    error: PrismStartError | None = None
    for attempt in range(1, attempts + 1):
        port = free_port()
        server = PrismServer(spec, port, log_dir / f"prism-{port}-{attempt}.log")
        try:
            server.wait_until_ready(timeout)
        except PrismStartError as exc:
            server.stop()
            error = exc
            if "EADDRINUSE" not in server.output():
                break
        else:
            return server
    assert error is not None
    raise error


@contextlib.contextmanager
def running_prism(spec_path: Path | str, log_dir: Path) -> Iterator[PrismServer]:
    server = start_prism(spec_path, log_dir)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- violations


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """All entries of Prism's ``sl-violations`` header (request and response side)."""
    raw = response.headers.get("sl-violations")
    if not raw:
        return []
    decoded = json.loads(raw)
    if not isinstance(decoded, list):
        raise ValueError(f"unexpected sl-violations header: {raw!r}")
    return [entry for entry in decoded if isinstance(entry, dict)]


def _location(entry: dict[str, Any]) -> list[str]:
    location = entry.get("location")
    return [str(part) for part in location] if isinstance(location, list) else []


def prism_problem(response: httpx.Response) -> dict[str, Any] | None:
    """The body of a response that Prism made up itself (``errors#...`` problem), else None."""
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(body, dict) and str(body.get("type", "")).startswith(PRISM_ERROR_TYPE_PREFIX):
        return body
    return None


def request_violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Request-side violations of a Prism response.

    The ``sl-violations`` entries whose location starts with ``"request"``, plus the violations
    Prism puts in the body of its own 422 answer (given the ``"request"`` prefix here), plus one
    synthetic entry for any other Prism answer that rejects the request (401 without a
    documented 401, unknown path or method, wrong content type).
    """
    found = [entry for entry in violations(response) if _location(entry)[:1] == ["request"]]
    problem = prism_problem(response)
    if problem is not None:
        kind = str(problem["type"]).removeprefix(PRISM_ERROR_TYPE_PREFIX)
        validation = problem.get("validation")
        if isinstance(validation, list) and validation:
            for entry in validation:
                if isinstance(entry, dict):
                    found.append({**entry, "location": ["request", *_location(entry)]})
        elif kind in _REQUEST_PROBLEM_TYPES:
            found.append(
                {
                    "location": ["request"],
                    "severity": "Error",
                    "code": kind,
                    "message": str(problem.get("detail") or problem.get("title") or kind),
                }
            )
    return found


def response_violations(response: httpx.Response) -> list[dict[str, Any]]:
    """``sl-violations`` entries about the mocked response (the document's own examples)."""
    return [entry for entry in violations(response) if _location(entry)[:1] == ["response"]]


def format_violations(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {'.'.join(_location(e)) or '?'}: [{e.get('severity', '?')}/{e.get('code', '?')}] "
        f"{e.get('message', '')}"
        for e in entries
    )


def assert_no_request_violations(response: httpx.Response) -> None:
    """Fail when Prism found anything wrong with the request, or made up an error answer."""
    found = request_violations(response)
    request = response.request
    if found:
        raise AssertionError(
            f"Prism reports request violations for {request.method} {request.url}:\n"
            + format_violations(found)
        )
    problem = prism_problem(response)
    if problem is not None:
        raise AssertionError(
            f"Prism answered {request.method} {request.url} with its own error: "
            f"{problem.get('status')} {problem.get('type')}: {problem.get('detail')}"
        )


def assert_request_violation(response: httpx.Response, *location: str) -> dict[str, Any]:
    """Assert a request violation exists whose location starts with ``("request", *location)``.

    Returns the first matching entry.
    """
    want = ["request", *location]
    found = request_violations(response)
    for entry in found:
        if _location(entry)[: len(want)] == want:
            return entry
    raise AssertionError(
        f"no request violation at {'.'.join(want)}; found:\n{format_violations(found) or '  none'}"
    )
