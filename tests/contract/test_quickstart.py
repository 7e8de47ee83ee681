"""examples/quickstart.py, run as a user would (a subprocess) against the Prism mock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from instantly_async._generated.operations import OPERATIONS

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(QUICKSTART), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    # Loopback only, whatever proxy the environment configures.
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return {**env, **values}


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_quickstart_against_prism(prism_url: str, backend: str) -> None:
    done = _run([backend], _env(INSTANTLY_BASE_URL=prism_url, INSTANTLY_API_KEY="dummy"))
    output = done.stdout
    assert done.returncode == 0, f"exit {done.returncode}\n{output}\n{done.stderr}"
    lines = output.splitlines()
    assert lines[0] == f"using {prism_url}"
    assert lines[1].startswith("created workspace member user@example.com (id ")
    assert lines[2].startswith("listed one page of workspace members: 1 item(s), next cursor '")
    members = [line for line in lines if line.startswith("workspace member: ")]
    assert members == ["workspace member: user@example.com (owner)"] * 2  # max_items=2
    leads = [line for line in lines if line.startswith("lead: ")]
    assert len(leads) == 2, output
    scopes = OPERATIONS["listWorkspaceMember"].required_scopes
    assert scopes, "listWorkspaceMember documents its scopes"
    caught = [line for line in lines if line.startswith("caught ")]
    assert len(caught) == 1, output
    assert caught[0].startswith("caught AuthenticationError (HTTP 401): 401 Unauthorized")
    assert lines[-1] == f"required scopes (any one): {', '.join(scopes)}"
    assert done.stderr == ""


def test_quickstart_without_api_key() -> None:
    done = _run([], _env(INSTANTLY_BASE_URL="http://127.0.0.1:9"))
    assert done.returncode == 2
    assert "Set INSTANTLY_API_KEY" in done.stderr
    assert done.stdout == ""
