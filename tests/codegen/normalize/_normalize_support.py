"""Small builders for the per-rule tests: a state, a schema node, an operation node."""

from __future__ import annotations

import copy
from typing import Any

from codegen.normalize import RULES, OperationNode, SchemaNode, State
from codegen.rules import Rule, run

COMPONENT = "/components/schemas/S"
OP_PTR = "/paths/~1api~1v2~1things/get"


def schema_rule(rule: Rule[SchemaNode], out: dict[str, Any], ptr: str = COMPONENT) -> Any:
    """``rule`` alone on a node whose keywords were read as ``out`` (not changed)."""
    node = SchemaNode(State({}), None, ptr, copy.deepcopy(out))
    rule.apply(node)
    return node.out


def operation_rule(
    rule: Rule[OperationNode],
    src: dict[str, Any],
    *,
    out: dict[str, Any] | None = None,
    state: State | None = None,
    path: str = "/api/v2/things",
    method: str = "get",
) -> dict[str, Any]:
    """``rule`` alone on the upstream operation ``src``; ``out``: what earlier rules wrote."""
    node = OperationNode(
        state or State({}), src, path, method, OP_PTR, copy.deepcopy(out) if out else {}
    )
    rule.apply(node)
    return node.out


def json_response(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "prose", "content": {"application/json": {"schema": schema}}}}


def state_after(rule_name: str, src: dict[str, Any], **options: Any) -> State:
    """A state after the document rules up to and including ``rule_name``."""
    names = [r.name for r in RULES]
    return run(RULES[: names.index(rule_name) + 1], State(src, **options))


def upstream() -> dict[str, Any]:
    """A small upstream document: one schema named def-0, one tag, one operation."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "2"},
        "components": {
            "securitySchemes": {
                "ApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "prose"}
            },
            "schemas": {"def-0": {"title": "Lead item", "type": "object"}},
        },
        "tags": [{"name": "Lead", "description": "prose"}],
        "paths": {
            "/api/v2/leads": {
                "get": {
                    "operationId": "listLead",
                    "tags": ["Lead"],
                    "responses": json_response({"$ref": "#/components/schemas/def-0"}),
                }
            }
        },
    }
