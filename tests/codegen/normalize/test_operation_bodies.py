"""Operation rule ``request-body`` (codegen/normalize/operation/bodies.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.bodies import REQUEST_BODY


def body(schema: Any, **extra: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}, **extra}


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ({}, {}),
        (
            {"requestBody": body({"type": "object", "description": "p"}, required=True)},
            {"requestBody": body({"type": "object"}, required=True)},
        ),
        (
            {"requestBody": body({"type": "object"}, required=False, description="p")},
            {"requestBody": body({"type": "object"})},
        ),
        ({"requestBody": body({"type": "null"})}, {}),  # a body of nothing: no body
        (
            {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "string"}, "example": "a"},
                        "text/plain": {"schema": {"type": "null"}},
                    }
                }
            },
            {
                "requestBody": {
                    "content": {"application/json": {"schema": {"type": "string"}, "example": "a"}}
                }
            },
        ),
    ],
)
def test_request_body(src: dict[str, Any], expected: dict[str, Any]) -> None:
    assert operation_rule(REQUEST_BODY, src) == expected


@pytest.mark.parametrize(
    ("request_body", "pointer", "message"),
    [
        ([], f"{OP_PTR}/requestBody", "a request body must be an object"),
        ({"$ref": "#/x"}, f"{OP_PTR}/requestBody/$ref", "unknown request body keyword"),
        ({"content": []}, f"{OP_PTR}/requestBody/content", "'content' must be an object"),
        (
            {"content": {"application/json": "x"}},
            f"{OP_PTR}/requestBody/content/application~1json",
            "a media type must be an object",
        ),
        (
            {"content": {"application/json": {"encoding": {}}}},
            f"{OP_PTR}/requestBody/content/application~1json/encoding",
            "unknown media type keyword",
        ),
    ],
)
def test_what_it_cannot_read_fails_naming_the_pointer(
    request_body: Any, pointer: str, message: str
) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        operation_rule(REQUEST_BODY, {"requestBody": request_body})
    assert err.value.pointer == pointer
