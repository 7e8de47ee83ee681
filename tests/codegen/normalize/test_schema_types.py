"""Schema rules ``enum-types`` and ``array-items`` (codegen/normalize/schema/types.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import COMPONENT, schema_rule
from codegen.normalize import NormalizeError
from codegen.normalize.schema.types import ARRAY_ITEMS, ENUM_TYPES


@pytest.mark.parametrize(
    ("schema", "expected_type"),
    [
        ({"enum": ["a", "b"]}, "string"),  # inferred
        ({"enum": ["a", None]}, ["null", "string"]),  # inferred, null included
        ({"type": "string", "enum": ["a", None]}, ["string", "null"]),
        ({"type": "number", "enum": [1, 2.5]}, "number"),  # integers fit a number
        ({"type": "string", "enum": ["a", 1]}, ["string", "integer"]),  # widened to the values
        ({"enum": [True, False]}, "boolean"),
        ({"type": ["integer", "null"], "enum": [1]}, ["integer", "null"]),
    ],
)
def test_enum_types(schema: dict[str, Any], expected_type: Any) -> None:
    assert schema_rule(ENUM_TYPES, schema)["type"] == expected_type


def test_no_enum_no_change() -> None:
    assert schema_rule(ENUM_TYPES, {"type": "string"}) == {"type": "string"}


@pytest.mark.parametrize(
    ("enum", "message"),
    [([], "an enum must be a non-empty list"), ("a", "an enum must be a non-empty list")],
)
def test_an_enum_that_is_not_a_list_fails(enum: Any, message: str) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        schema_rule(ENUM_TYPES, {"enum": enum})
    assert err.value.pointer == f"{COMPONENT}/enum"


def test_structured_enum_values_fail() -> None:
    with pytest.raises(NormalizeError, match="arrays or objects") as err:
        schema_rule(ENUM_TYPES, {"enum": [{"a": 1}]}, f"{COMPONENT}/properties/x")
    assert err.value.pointer == f"{COMPONENT}/properties/x/enum"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "array"}, {"type": "array", "items": {}}),
        ({"type": ["array", "null"]}, {"type": ["array", "null"], "items": {}}),
        ({"items": {"type": "string"}}, {"items": {"type": "string"}, "type": "array"}),
        (
            {"type": "array", "items": {"type": "string"}},
            {"type": "array", "items": {"type": "string"}},
        ),
        ({"type": "string"}, {"type": "string"}),
    ],
)
def test_array_items(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema_rule(ARRAY_ITEMS, schema) == expected
