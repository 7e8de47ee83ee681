"""Files users see before any code: the PyPI description, the license, the metadata."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data


def test_pypi_readme_starts_with_the_install_line() -> None:
    project = _pyproject()["project"]
    readme = ROOT / project["readme"]
    text = readme.read_text()
    assert text.startswith("# instantly-async\n\n```sh\npip install instantly-async\n```\n")


def test_pypi_readme_links_are_absolute() -> None:
    text = (ROOT / _pyproject()["project"]["readme"]).read_text()
    links = LINK.findall(text)
    assert links
    relative = [link for link in links if not link.startswith("https://")]
    assert relative == []
    # No developer commands on PyPI.
    assert "make " not in text


def test_pypi_readme_links_to_the_project_urls() -> None:
    project = _pyproject()["project"]
    text = (ROOT / project["readme"]).read_text()
    for name in ("Documentation", "Repository", "Issues", "Changelog"):
        assert project["urls"][name] in text, name


def test_license_is_mit() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")


def test_metadata_is_complete() -> None:
    project = _pyproject()["project"]
    assert project["authors"]
    assert project["description"]
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= set(
        project["urls"]
    )
    # A license expression replaces license classifiers (PEP 639).
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert project["dependencies"] and len(project["dependencies"]) == 3
