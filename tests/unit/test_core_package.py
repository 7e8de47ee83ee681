"""The package surface: exports, version, import cost, metadata types."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

import instantly_async
from instantly_async._operation import Operation, Pagination, RateLimit

ROOT = Path(__file__).resolve().parents[2]


def test_all_names_are_exported() -> None:
    for name in instantly_async.__all__:
        assert hasattr(instantly_async, name), name
    for name in ("AsyncInstantly", "APIStatusError", "Page", "AsyncPaginator", "RateLimit"):
        assert name in instantly_async.__all__
    assert instantly_async.RateLimit is RateLimit


def test_version_matches_pyproject() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    match = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE)
    assert match is not None
    assert instantly_async.__version__ == match.group(1)


def test_import_is_light() -> None:
    code = (
        "import sys, instantly_async\n"
        "endpoints = ('api', 'models', 'resources')\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('trio', 'asyncio')\n"
        "         or m.split('.')[1:3] in (['_generated', e] for e in endpoints)]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_namespaces_do_not_hide_client_attributes() -> None:
    namespaces = pytest.importorskip("instantly_async._generated.namespaces")
    from instantly_async._client import _BaseClient

    clashes = set(namespaces.NAMESPACES) & {n for n in dir(_BaseClient) if not n.startswith("_")}
    assert not clashes


def test_operation_metadata_is_frozen_and_slotted() -> None:
    pagination = Pagination("starting_after", "query", "items", "next_starting_after", "limit")
    op = Operation("listX", "GET", "/api/v2/x", "X", ("x:read",), (RateLimit(1, 1.0),), pagination)
    for value in (op, pagination, op.rate_limits[0]):
        assert not hasattr(value, "__dict__")
        field = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, "changed")
    assert op.describe() == "listX (GET /api/v2/x)"
    assert hash(op) == hash(dataclasses.replace(op))
