"""``make demo``: examples/run_demo.py runs quickstart.py on the fake (no Node), truthfully."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_demo_runs_on_the_fake() -> None:
    done = _run(str(EXAMPLES / "run_demo.py"))
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    lines = done.stdout.splitlines()
    assert "using the in-process fake Instantly (a workspace with 2 leads)" in lines
    assert lines[-1].startswith("Next: `make test`")
    assert done.stderr == ""


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_quickstart_on_the_fake_shows_what_was_sent(backend: str) -> None:
    done = _run(str(EXAMPLES / "quickstart.py"), "--fake", backend)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    lines = done.stdout.splitlines()
    assert lines[0] == "using the in-process fake Instantly (a workspace with 2 leads)"
    assert lines[1].startswith("created workspace member user@example.com (id ")
    assert lines[1].endswith(", role editor)")  # stored and returned, not a canned 'owner'
    assert lines[2] == "listed one page of workspace members: 1 item(s), next cursor None"
    assert lines[3] == "workspace member: user@example.com (editor)"
    assert [line.split(" (id ")[0] for line in lines[4:6]] == [
        "lead: ada@example.com",
        "lead: grace@example.com",
    ]
    assert lines[6].startswith("caught PermissionDeniedError (HTTP 403): ")
    assert lines[7] == (
        "required scopes (any one): workspace_members:read, workspace_members:all, "
        "all:read, all:all"
    )
    assert done.stderr == ""
