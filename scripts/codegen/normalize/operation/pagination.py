"""``x-pagination``: how a cursor-paginated list operation pages."""

from __future__ import annotations

from typing import Any

from ...rules import Rule
from ..base import OperationNode, State


def detect_pagination(op: dict[str, Any], state: State) -> dict[str, Any] | None:
    """A list operation pages when it takes `starting_after` and answers items + next cursor."""
    ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
    resp = state.resolve(ok.get("schema", {}))
    props = resp.get("properties", {}) if isinstance(resp, dict) else {}
    items = props.get("items")
    items_type = items.get("type") if isinstance(items, dict) else None
    if items_type != "array" and not (
        isinstance(items_type, list) and sorted(items_type) == ["array", "null"]
    ):
        return None
    if "next_starting_after" not in props:
        return None
    where = None
    query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
    limit_param = "limit" if "limit" in query else None
    if "starting_after" in query:
        where = "query"
    else:
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        bprops = state.resolve(body.get("schema", {})).get("properties", {})
        if "starting_after" in bprops:
            where = "body"
            limit_param = "limit" if "limit" in bprops else None
    if where is None:
        return None
    result: dict[str, Any] = {
        "cursor_param": "starting_after",
        "cursor_in": where,
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
    }
    if limit_param:
        result["limit_param"] = limit_param
    return result


def pagination(node: OperationNode) -> None:
    found = detect_pagination(node.out, node.state)
    if found:
        node.out["x-pagination"] = found


PAGINATION: Rule[OperationNode] = Rule(
    "pagination",
    pagination,
    "x-pagination when the operation takes starting_after (query or body) and answers "
    "items and next_starting_after",
)
