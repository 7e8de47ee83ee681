"""The package as users get it: build the sdist and the wheel, install the wheel into a fresh
virtualenv with only its runtime dependencies, and run the quickstart from outside the repo
against the Prism mock server.

Marked ``packaging`` (tests/conftest.py): runs on CI, or locally with ``-m packaging``.
"""

from __future__ import annotations

import email
import email.message
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import instantly_async

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "examples" / "quickstart.py"
RUNTIME_DEPENDENCIES = {"httpx", "attrs", "anyio"}
DEV_TOOLS = {"pytest", "trio", "mypy", "ruff", "hypothesis", "openapi-python-client", "pyyaml"}


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Venv:
    python: Path
    outside: Path  # a working directory outside the repository


def _run(args: list[str | Path], *, cwd: Path, timeout: float = 300) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """``python -m build``: the sdist, then the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: hatchling comes from the dev extra (no download per run).
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=out)
    sdists = sorted(out.glob("*.tar.gz"))
    wheels = sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(out.iterdir())
    return Dist(sdist=sdists[0], wheel=wheels[0])


@pytest.fixture(scope="module")
def venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtualenv with the wheel and its runtime dependencies, nothing else."""
    where = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", where / "venv"], cwd=where)
    python = where / "venv" / "bin" / "python"
    _run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", dist.wheel], cwd=where
    )
    outside = where / "project"
    outside.mkdir()
    return Venv(python=python, outside=outside)


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_wheel_metadata(dist: Dist) -> None:
    meta = _metadata(dist.wheel)
    assert meta["Name"] == "instantly-async"
    assert meta["Version"] == instantly_async.__version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Requires-Python"] == ">=3.10"
    assert meta["Description-Content-Type"] == "text/markdown"
    runtime = {
        req.split(">")[0].split("=")[0].split("<")[0].strip()
        for req in meta.get_all("Requires-Dist") or []
        if "extra ==" not in req
    }
    assert runtime == RUNTIME_DEPENDENCIES
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    description = meta.get_payload()
    assert isinstance(description, str)
    assert description.startswith("# instantly-async\n\n```sh\npip install instantly-async\n```")
    assert "make demo" not in description


def test_wheel_contents(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as archive:
        names = archive.namelist()
    assert "instantly_async/py.typed" in names
    assert "instantly_async/_generated/operations.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "examples/"))]


def test_sdist_contents(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("LICENSE", "README.pypi.md", "pyproject.toml", "openapi.yaml"):
        assert needed in names
    assert "instantly_async/py.typed" in names
    assert not [n for n in names if n.startswith((".venv", "node_modules", ".git/"))]


def test_wheel_installs_only_runtime_dependencies(venv: Venv) -> None:
    listed = _run([venv.python, "-m", "pip", "list", "--format=freeze"], cwd=venv.outside)
    installed = {line.split("==")[0].lower() for line in listed.splitlines() if line}
    assert "instantly-async" in installed
    assert RUNTIME_DEPENDENCIES <= installed
    assert not installed & DEV_TOOLS
    _run([venv.python, "-m", "pip", "check"], cwd=venv.outside)
    where = _run(
        [venv.python, "-c", "import instantly_async; print(instantly_async.__file__)"],
        cwd=venv.outside,
    )
    assert Path(where.strip()).is_relative_to(venv.python.parent.parent)


def test_quickstart_runs_from_the_installed_wheel(venv: Venv, prism_url: str) -> None:
    script = venv.outside / "quickstart.py"
    shutil.copy(QUICKSTART, script)
    env_run: list[str | Path] = [
        "env",
        f"INSTANTLY_BASE_URL={prism_url}",
        "INSTANTLY_API_KEY=dummy",
        venv.python,
        script,
    ]
    output = _run(env_run, cwd=venv.outside, timeout=60)
    lines = output.splitlines()
    assert lines[0] == f"using {prism_url}"
    assert lines[1].startswith("created workspace member user@example.com")
    assert any(line.startswith("caught AuthenticationError (HTTP 401)") for line in lines)
