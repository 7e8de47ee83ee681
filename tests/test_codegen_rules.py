"""scripts/codegen/: the normalizer's ordered rule list, the rule runner and the shared helpers.

Each rule runs here on a small inline document, alone or with the rules it depends on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
from codegen import (  # noqa: E402
    changes,
    common,
    naming,
    normalize,
    rules,
)
from codegen.normalize.document import live_overrides  # noqa: E402

ORDER = [
    "openapi-version",
    "schema-names",
    "document",
    "security-schemes",
    "schemas",
    "tags",
    "operations",
    "error-bodies",
    "request-consts",
    "operation-ids",
    "provenance",
    "live-api-overrides",
]


def doc() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "2"},
        "components": {
            "securitySchemes": {
                "ApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "prose"}
            },
            "schemas": {"def-0": {"title": "Lead item", "type": "object"}},
        },
        "tags": [{"name": "Lead"}],
        "paths": {
            "/api/v2/leads": {
                "get": {
                    "operationId": "listLead",
                    "tags": ["Lead"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/def-0"}
                                }
                            },
                        }
                    },
                }
            }
        },
    }


def state(upto: str, src: dict[str, Any] | None = None) -> normalize.State:
    """A state after the rules up to and including ``upto``."""
    st = normalize.State(src if src is not None else doc())
    i = rules.names(normalize.RULES).index(upto)
    return rules.run(normalize.RULES[: i + 1], st)


def test_rule_list_is_named_and_ordered() -> None:
    assert rules.names(normalize.RULES) == ORDER
    assert all(r.doc for r in normalize.RULES)


def test_run_applies_rules_in_order() -> None:
    seen: list[str] = []

    def step(name: str) -> rules.Rule[list[str]]:
        return rules.Rule(name, lambda s: s.append(name))

    pipeline = [step(n) for n in ("a", "b", "c")]
    assert rules.run(pipeline, seen) == ["a", "b", "c"]


def test_openapi_version_rule() -> None:
    src = doc()
    src["openapi"] = "2.0"
    with pytest.raises(normalize.NormalizeError, match="unsupported OpenAPI version"):
        state("openapi-version", src)


def test_schema_names_rule() -> None:
    assert state("schema-names").renames == {"def-0": "LeadItem"}


def test_document_and_security_schemes_rules() -> None:
    st = state("security-schemes")
    assert st.out["servers"] == [{"url": "https://api.instantly.ai"}]
    assert st.out["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "http", "scheme": "bearer"}
    }


def test_schemas_rule() -> None:
    assert state("schemas").out["components"]["schemas"] == {
        "LeadItem": {"title": "Lead item", "type": "object"}
    }


def test_tags_and_operations_rules() -> None:
    st = state("operations")
    assert st.out["tags"] == [{"name": "Lead"}]
    op = st.out["paths"]["/api/v2/leads"]["get"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/LeadItem"
    assert "x-retry" in op  # the retry-classes hook runs inside this rule


def test_operation_ids_rule() -> None:
    src = doc()
    src["paths"]["/api/v2/other"] = src["paths"]["/api/v2/leads"]
    with pytest.raises(normalize.NormalizeError):
        state("operation-ids", src)


def test_provenance_rule() -> None:
    st = normalize.State(doc(), raw=b"x", date="2026-01-02")
    out = rules.run(normalize.RULES, st).out
    assert out["info"]["x-upstream-date"] == "2026-01-02"
    assert len(out["info"]["x-upstream-sha256"]) == 64


def test_live_api_overrides_rule_runs_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path | None] = []

    def fake(out: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
        calls.append(path)
        return {**out, "x-overridden": True}

    monkeypatch.setattr(live_overrides, "apply_live_overrides", fake)
    assert "x-overridden" not in normalize.normalize(doc())
    assert calls == []
    where = Path("live.yaml")
    out = normalize.normalize(doc(), live_overrides=True, overrides_path=where)
    assert out["x-overridden"] is True
    assert calls == [where]


def test_shared_helpers_are_defined_once() -> None:
    assert changes.HTTP_METHODS is common.HTTP_METHODS
    assert normalize.HTTP_METHODS is common.HTTP_METHODS
    assert naming.snake is common.snake
    assert naming.operations is common.operations
    assert common.snake("listWorkspaceMember") == "list_workspace_member"
    assert common.snake("APIKey") == "api_key"
    d = {"paths": {"/a": {"get": {"operationId": "x"}, "parameters": [], "post": {}}}}
    assert [(p, m) for p, m, _ in common.operations(d)] == [("/a", "get"), ("/a", "post")]
