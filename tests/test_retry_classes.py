"""Retry classes: the rules of scripts/codegen/retry_classes.py, the override table, openapi.yaml."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
from codegen import retry_classes  # noqa: E402
from codegen.retry_classes import classify  # noqa: E402


@functools.cache
def _spec() -> dict[str, Any]:
    with (REPO / "openapi.yaml").open("rb") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)
    return spec


@functools.cache
def _ops() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op)
        for path, item in _spec()["paths"].items()
        for method, op in item.items()
    }


def test_every_operation_has_a_retry_class() -> None:
    ops = _ops()
    assert len(ops) >= 200
    assert {op["x-retry"] for _m, _p, op in ops.values()} == set(retry_classes.CLASSES)


@pytest.mark.parametrize(
    ("operation_id", "expected"),
    [
        ("listLeads", "safe"),  # POST, a query
        ("countLeadsFromSupersearch", "safe"),
        ("previewLeadsFromSupersearch", "safe"),
        ("exportCampaign", "safe"),  # POST allowed by a read scope
        ("getLead", "safe"),
        ("deleteLead", "idempotent"),
        ("patchLead", "idempotent"),
        ("pauseCampaign", "idempotent"),
        ("deleteDomainForwarding", "idempotent"),  # the upstream description says so
        ("patchWorkspace", "idempotent"),  # override: the one current workspace
        ("bulkDeleteLeads", "unsafe"),  # DELETE /api/v2/leads: up to `limit` leads by filter
        ("deleteallBlockListEntry", "unsafe"),
        ("deletebulkBlockListEntry", "unsafe"),
        ("createLead", "unsafe"),
        ("sendTestEmail", "unsafe"),
        ("replyToEmail", "unsafe"),
        ("createEmailVerification", "unsafe"),  # spends credits
        ("enrichLeadsFromSupersearch", "unsafe"),
        ("moveLeads", "unsafe"),
        ("testWebhook", "unsafe"),  # sends a delivery
    ],
)
def test_retry_class_of(operation_id: str, expected: str) -> None:
    assert _ops()[operation_id][2]["x-retry"] == expected


def test_override_table_is_reviewed_and_needed() -> None:
    overrides = retry_classes.load_overrides()
    assert overrides, "the table is expected to hold the singleton resources at least"
    assert retry_classes.check_overrides(_spec(), overrides) == []
    for entry in overrides.values():
        assert len(entry["reason"]) > 20


def test_rules() -> None:
    assert classify("get", "/x/{id}", "getX") == ("safe", "GET reads")
    assert classify("post", "/x/list", "listX")[0] == "safe"
    assert classify("post", "/x", "doX", scopes=["x:read", "all:all"])[0] == "safe"
    assert classify("post", "/x", "doX", scopes=["x:update", "all:all"])[0] == "unsafe"
    assert classify("delete", "/x", "deleteX")[0] == "unsafe"
    assert classify("delete", "/x/{id}", "deleteX")[0] == "idempotent"
    assert classify("put", "/x/{id}/y", "putY")[0] == "idempotent"
    assert classify("post", "/x/{id}/pause", "pauseX")[0] == "idempotent"
    assert classify("post", "/x/pause", "pauseXs")[0] == "unsafe"
    assert classify("post", "/x", "createX", "This operation is idempotent.")[0] == "idempotent"
    assert classify("post", "/x", "listX", "Each call spends one credit.")[0] == "unsafe"


def test_bad_override_tables_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "retry.yaml"
    for text in (
        "x: {retry: maybe, reason: because it is}",
        "x: {retry: safe}",
        "x: {retry: safe, reason: ' '}",
        "- x",
    ):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError):
            retry_classes.load_overrides(bad)
    spec = {"paths": {"/x": {"get": {"operationId": "getX"}}}}
    table = {"getX": {"retry": "safe", "reason": "r"}, "nope": {"retry": "safe", "reason": "r"}}
    assert retry_classes.check_overrides(spec, table) == [
        "getX: the rules already give 'safe'",
        "nope: no such operation",
    ]
