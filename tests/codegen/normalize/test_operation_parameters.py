"""Operation rule ``parameters`` (codegen/normalize/operation/parameters.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.parameters import PARAMETERS


def param(**extra: Any) -> dict[str, Any]:
    return {"name": "limit", "in": "query", **extra}


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (
            param(
                description="prose", required=False, schema={"type": "integer", "description": "p"}
            ),
            param(required=False, schema={"type": "integer"}),
        ),
        (
            param(schema={"type": "integer"}, example=10),
            param(schema={"type": "integer"}, example=10),
        ),
        (param(schema={"type": "integer"}, example="ten"), param(schema={"type": "integer"})),
        (param(schema={"type": "integer"}, example=None), param(schema={"type": "integer"})),
        (  # a date-time on a date keeps its date
            param(schema={"type": "string", "format": "date"}, example="2026-01-02T00:00:00Z"),
            param(schema={"type": "string", "format": "date"}, example="2026-01-02"),
        ),
        (
            param(
                style="form", explode=False, schema={"type": "array", "items": {"type": "string"}}
            ),
            param(
                style="form", explode=False, schema={"type": "array", "items": {"type": "string"}}
            ),
        ),
    ],
)
def test_parameters(p: dict[str, Any], expected: dict[str, Any]) -> None:
    assert operation_rule(PARAMETERS, {"parameters": [p]}) == {"parameters": [expected]}


def test_no_parameters_no_key() -> None:
    assert operation_rule(PARAMETERS, {"parameters": []}) == {}
    assert operation_rule(PARAMETERS, {}) == {}


@pytest.mark.parametrize(
    ("parameters", "pointer", "message"),
    [
        ({"name": "x"}, f"{OP_PTR}/parameters", "'parameters' must be a list"),
        (["x"], f"{OP_PTR}/parameters/0", "a parameter must be an object"),
        (
            [{"$ref": "#/components/parameters/P"}],
            f"{OP_PTR}/parameters/0",
            "parameter .refs are not supported",
        ),
        ([{"name": "x"}], f"{OP_PTR}/parameters/0", "a parameter without 'in'"),
        ([param(content={})], f"{OP_PTR}/parameters/0/content", "unknown parameter keyword"),
        (
            [param(schema={"type": "integer", "frob": 1})],
            f"{OP_PTR}/parameters/0/schema/frob",
            "unknown schema keyword 'frob'",
        ),
    ],
)
def test_what_it_cannot_read_fails_naming_the_pointer(
    parameters: Any, pointer: str, message: str
) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        operation_rule(PARAMETERS, {"parameters": parameters})
    assert err.value.pointer == pointer
