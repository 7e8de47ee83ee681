"""Schema rule ``examples`` (codegen/normalize/schema/examples.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import schema_rule
from codegen.normalize.schema.examples import EXAMPLES, fit_example


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "example": "a"}, {"type": "string", "example": "a"}),
        ({"type": "integer", "example": "x"}, {"type": "integer"}),  # does not fit: dropped
        ({"type": "number", "example": 3}, {"type": "number", "example": 3}),
        (
            {"type": "string", "format": "date", "example": "2026-01-02T03:04:05Z"},
            {"type": "string", "format": "date", "example": "2026-01-02"},
        ),
        (
            {"type": "string", "format": "date", "example": "soon"},
            {"type": "string", "format": "date"},
        ),
        ({"type": "string", "enum": ["a"], "example": "b"}, {"type": "string", "enum": ["a"]}),
        ({"const": "a", "example": "b"}, {"const": "a"}),
        ({"type": "string", "pattern": "^a", "example": "ba"}, {"type": "string", "pattern": "^a"}),
        (
            {"type": "string", "pattern": "(?<=", "example": "x"},
            {"type": "string", "pattern": "(?<=", "example": "x"},
        ),
        ({"type": "string", "example": None}, {"type": ["string", "null"], "example": None}),
        (
            {"type": ["string"], "enum": ["a"], "example": None},
            {"type": ["string", "null"], "enum": ["a", None], "example": None},
        ),
        ({"type": "object", "example": {"a": 1}}, {"type": "object", "example": {"a": 1}}),
        ({"type": "integer", "examples": [1, "x", 2]}, {"type": "integer", "examples": [1, 2]}),
        ({"type": "integer", "examples": ["x"]}, {"type": "integer"}),
    ],
)
def test_examples_fitted_or_dropped(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema_rule(EXAMPLES, schema) == expected


def test_fit_example_leaves_the_schema_alone_unless_null() -> None:
    schema: dict[str, Any] = {"type": "integer"}
    assert fit_example(schema, "x") == (False, None)
    assert schema == {"type": "integer"}
    assert fit_example(schema, None) == (True, None)
    assert schema == {"type": ["integer", "null"]}
