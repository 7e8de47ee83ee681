"""Schema rules ``mixed-types`` and ``boolean-enums`` (codegen/normalize/schema/mixed.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import COMPONENT, schema_rule
from codegen.normalize import NormalizeError
from codegen.normalize.schema.mixed import BOOLEAN_ENUMS, MIXED_TYPES


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, {"type": "string"}),
        ({"type": ["string", "null"]}, {"type": ["string", "null"]}),  # one type and null stays
        ({"type": ["null"], "enum": [None]}, {"type": "null"}),
        (
            {"type": ["string", "integer"], "minLength": 1, "minimum": 0, "default": "a"},
            {
                "anyOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}],
                "default": "a",
            },
        ),
        (
            {"type": ["string", "integer", "null"], "enum": ["a", 1, None], "x-title": "T"},
            {
                "anyOf": [
                    {"type": "string", "enum": ["a"]},
                    {"type": "integer", "enum": [1]},
                    {"type": "null"},
                ],
                "x-title": "T",
            },
        ),
        (
            {
                "type": ["string", "number"],
                "enum": ["a", 2],
                "x-enumDescriptions": {"a": "A", "2": "Two"},
            },
            {
                "anyOf": [
                    {"type": "string", "enum": ["a"], "x-enumDescriptions": {"a": "A"}},
                    {"type": "number", "enum": [2], "x-enumDescriptions": {"2": "Two"}},
                ]
            },
        ),
        (  # the enum allows one of the types only: that branch alone
            {"type": ["string", "integer"], "enum": ["a"], "example": "a"},
            {"type": "string", "enum": ["a"], "example": "a"},
        ),
        (  # a const keeps its own type, and no null branch
            {"type": ["string", "integer", "null"], "const": 1},
            {"type": "integer", "const": 1},
        ),
        (  # boolean branches lose a full boolean enum
            {"type": ["boolean", "string"], "enum": [True, False, "x"]},
            {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["x"]}]},
        ),
    ],
)
def test_mixed_types(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema_rule(MIXED_TYPES, schema) == expected


@pytest.mark.parametrize(
    ("schema", "pointer", "message"),
    [
        (
            {"type": ["string", "integer"], "nullable": True},
            f"{COMPONENT}/nullable",
            "several types",
        ),
        ({"type": ["string", "date"]}, f"{COMPONENT}/type", "unknown type 'date'"),
        ({"type": ["string", "integer"], "enum": [True]}, COMPONENT, "no listed value fits"),
    ],
)
def test_what_it_cannot_split_fails_naming_the_pointer(
    schema: dict[str, Any], pointer: str, message: str
) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        schema_rule(MIXED_TYPES, schema)
    assert err.value.pointer == pointer


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "boolean", "enum": [True, False]}, {"type": "boolean"}),
        ({"type": ["boolean", "null"], "enum": [True, False, None]}, {"type": ["boolean", "null"]}),
        ({"type": "boolean", "enum": [True]}, {"type": "boolean", "x-enum-values": [True]}),
        ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a"]}),
        ({"type": "boolean"}, {"type": "boolean"}),
    ],
)
def test_boolean_enums(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema_rule(BOOLEAN_ENUMS, schema) == expected
