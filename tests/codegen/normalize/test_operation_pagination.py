"""Operation rule ``pagination`` (codegen/normalize/operation/pagination.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import json_response, operation_rule
from codegen.normalize import NormalizeError, State
from codegen.normalize.operation.pagination import PAGINATION

PAGE = {
    "type": "object",
    "properties": {"items": {"type": "array"}, "next_starting_after": {"type": "string"}},
}


def query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query"} for n in names]


def body(*names: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {n: {"type": "string"} for n in names}}
    return {"content": {"application/json": {"schema": schema}}}


def paginate(out: dict[str, Any], state: State | None = None) -> Any:
    return operation_rule(PAGINATION, {}, out=out, state=state).get("x-pagination")


def test_a_query_cursor() -> None:
    out = {"parameters": query("limit", "starting_after"), "responses": json_response(PAGE)}
    assert paginate(out) == {
        "cursor_param": "starting_after",
        "cursor_in": "query",
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
        "limit_param": "limit",
    }


def test_a_body_cursor_through_refs() -> None:
    state = State(
        {},
        schemas={
            "Page": PAGE,
            "Query": body("starting_after")["content"]["application/json"]["schema"],
        },
    )
    out = {
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Query"}}}
        },
        "responses": json_response({"$ref": "#/components/schemas/Page"}),
    }
    assert paginate(out, state) == {
        "cursor_param": "starting_after",
        "cursor_in": "body",
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
    }


@pytest.mark.parametrize(
    "out",
    [
        {"parameters": query("limit"), "responses": json_response(PAGE)},  # no cursor
        {"requestBody": body("limit"), "responses": json_response(PAGE)},
        {  # no next cursor in the answer
            "parameters": query("starting_after"),
            "responses": json_response({"properties": {"items": {"type": "array"}}}),
        },
        {  # items is not a list
            "parameters": query("starting_after"),
            "responses": json_response(
                {"properties": {"items": {"type": "object"}, "next_starting_after": {}}}
            ),
        },
        {"parameters": query("starting_after"), "responses": {"204": {"description": "x"}}},
    ],
)
def test_not_paginated(out: dict[str, Any]) -> None:
    assert paginate(out) is None


def test_nullable_items_still_page() -> None:
    page = {"properties": {"items": {"type": ["array", "null"]}, "next_starting_after": {}}}
    out = {"parameters": query("starting_after"), "responses": json_response(page)}
    assert paginate(out)["cursor_in"] == "query"


def test_a_ref_cycle_fails_naming_the_schemas() -> None:
    state = State({}, schemas={"A": {"$ref": "#/components/schemas/A"}})
    out = {"responses": json_response({"$ref": "#/components/schemas/A"})}
    with pytest.raises(NormalizeError, match=r"\$ref cycle through A") as err:
        paginate(out, state)
    assert err.value.pointer == "/components/schemas"
