"""Operation rule ``responses`` (codegen/normalize/operation/responses.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, json_response, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.responses import RESPONSES


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        (
            json_response({"type": "object", "description": "p"}),
            {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        ),
        (json_response({"type": "object"}, "204"), {"204": {"description": "No Content"}}),
        ({"default": {"description": "x"}}, {"default": {"description": "Response"}}),
        ({"299": {"description": "x", "content": {}}}, {"299": {"description": "Response"}}),
        (
            {"429": {"description": "slow down", "headers": {"Retry-After": {}}}},
            {"429": {"description": "Too Many Requests"}},
        ),
    ],
)
def test_responses(responses: dict[str, Any], expected: dict[str, Any]) -> None:
    assert operation_rule(RESPONSES, {"responses": responses}) == {"responses": expected}


@pytest.mark.parametrize(
    ("responses", "pointer", "message"),
    [
        ({}, f"{OP_PTR}/responses", "operation without responses"),
        ([], f"{OP_PTR}/responses", "responses must be an object"),
        ({"200": {"$ref": "#/x"}}, f"{OP_PTR}/responses/200", "response .refs are not supported"),
        ({"200": {"links": {}}}, f"{OP_PTR}/responses/200/links", "unknown response keyword"),
        (
            json_response({"type": "object", "frob": 1}),
            f"{OP_PTR}/responses/200/content/application~1json/schema/frob",
            "unknown schema keyword",
        ),
    ],
)
def test_what_it_cannot_read_fails_naming_the_pointer(
    responses: Any, pointer: str, message: str
) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        operation_rule(RESPONSES, {"responses": responses})
    assert err.value.pointer == pointer
