"""Schema rules ``keywords`` and ``inline-titles`` (codegen/normalize/schema/keywords.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import COMPONENT, schema_rule
from codegen.normalize import NormalizeError, State
from codegen.normalize.schema.keywords import INLINE_TITLES, KEYWORDS, is_validation_only


def read(src: Any, renames: dict[str, str] | None = None) -> tuple[Any, list[str]]:
    """The keywords rule alone, on every node (the other schema rules do not run)."""
    state = State({}, schema_rules=(KEYWORDS,), renames=dict(renames or {}))
    return state.schema(src, COMPONENT), state.repairs


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ({"type": "string", "description": "prose", "x-tags": ["a"]}, {"type": "string"}),
        ({"type": "integer", "minimum": 1, "x-vendor": 1}, {"type": "integer", "minimum": 1}),
        (True, {}),
        (False, {"x-validation": {"not": {}}}),
        (
            {"type": "object", "properties": {"a": {"type": "string", "description": "p"}}},
            {"type": "object", "properties": {"a": {"type": "string"}}},
        ),
        ({"additionalProperties": False}, {"additionalProperties": False}),
        ({"items": {"type": "string", "description": "p"}}, {"items": {"type": "string"}}),
        (
            {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        ),
    ],
)
def test_facts_copied_prose_dropped_subschemas_read(src: Any, expected: Any) -> None:
    assert read(src) == (expected, [])


def test_refs_are_renamed_and_a_dangling_one_is_an_open_object() -> None:
    assert read({"$ref": "#/components/schemas/def-1", "description": "p"}, {"def-1": "Lead"}) == (
        {"$ref": "#/components/schemas/Lead"},
        [],
    )
    out, repairs = read({"properties": {"a": {"$ref": "#/components/schemas/Gone"}}})
    assert out == {"properties": {"a": {"type": "object"}}}
    assert repairs == [
        f"{COMPONENT}/properties/a/$ref: $ref to a schema that does not exist "
        "('#/components/schemas/Gone'), read as an open object"
    ]


def test_validation_only_keywords_and_combinators_move_under_x_validation() -> None:
    src = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"], "description": "p"}],
        "not": {"required": ["a", "b"], "dependentRequired": {"a": ["b"]}},
    }
    out, _ = read(src)
    assert out == {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "x-validation": {
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
            "not": {"required": ["a", "b"], "dependentRequired": {"a": ["b"]}},
        },
    }


def test_x_validation_keeps_a_property_named_description_and_drops_dangling_refs() -> None:
    src = {
        "properties": {"description": {"type": "string"}},
        "if": {"properties": {"description": {"const": "x"}}},
        "then": {"$ref": "#/components/schemas/Gone"},
    }
    out, repairs = read(src)
    assert out["x-validation"] == {
        "if": {"properties": {"description": {"const": "x"}}},
        "then": {},
    }
    assert len(repairs) == 1


@pytest.mark.parametrize(
    ("schema", "declared", "only"),
    [
        ({"required": ["a"]}, frozenset(), True),
        ({"not": {"required": ["a"]}}, frozenset(), True),
        ({"properties": {"a": {"minLength": 1}}}, frozenset({"a"}), True),
        ({"properties": {"new": {"type": "string"}}}, frozenset({"a"}), False),
        ({"type": "string"}, frozenset(), False),
        ({"anyOf": [{"required": ["a"]}, {"type": "string"}]}, frozenset(), False),
        ("not a schema", frozenset(), False),
    ],
)
def test_is_validation_only(schema: Any, declared: frozenset[str], only: bool) -> None:
    assert is_validation_only(schema, declared) is only


@pytest.mark.parametrize(
    ("src", "pointer", "message"),
    [
        ({"frobnicate": 1}, f"{COMPONENT}/frobnicate", "unknown schema keyword 'frobnicate'"),
        ("string", COMPONENT, "a schema must be an object or a boolean"),
        ({"properties": []}, f"{COMPONENT}/properties", "'properties' must be an object"),
        ({"anyOf": []}, f"{COMPONENT}/anyOf", "'anyOf' must be a non-empty list"),
        (
            {"$ref": "#/components/schemas/A", "type": "object"},
            f"{COMPONENT}/type",
            "'type' next to a $ref",
        ),
        ({"$ref": "other.json#/A"}, f"{COMPONENT}/$ref", "unsupported $ref"),
        (
            {"oneOf": [{"type": "string"}, {"required": ["a"]}]},
            f"{COMPONENT}/oneOf/1",
            "a validation-only branch in an 'oneOf' of shapes",
        ),
        ({"not": {"frob": 1}}, f"{COMPONENT}/not/frob", "unknown schema keyword 'frob'"),
        ({"not": 3}, f"{COMPONENT}/not", "a schema must be an object or a boolean"),
        (
            {"items": {"properties": {"a": {"bad": 1}}}},
            f"{COMPONENT}/items/properties/a/bad",
            "unknown schema keyword 'bad'",
        ),
    ],
)
def test_what_it_cannot_read_fails_naming_the_pointer(src: Any, pointer: str, message: str) -> None:
    with pytest.raises(NormalizeError) as err:
        read(src)
    assert err.value.pointer == pointer
    assert message in err.value.message


@pytest.mark.parametrize(
    ("ptr", "expected"),
    [
        (COMPONENT, {"title": "Lead", "type": "object"}),
        (f"{COMPONENT}/properties/a", {"type": "object", "x-title": "Lead"}),
        ("/paths/~1a/get/parameters/0/schema", {"type": "object", "x-title": "Lead"}),
    ],
)
def test_inline_titles(ptr: str, expected: dict[str, Any]) -> None:
    assert schema_rule(INLINE_TITLES, {"title": "Lead", "type": "object"}, ptr) == expected


def test_dependent_required_is_data_kept_under_x_validation() -> None:
    src = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "dependentRequired": {"a": ["b"]},
    }
    out, _ = read(src)
    assert out["x-validation"] == {"dependentRequired": {"a": ["b"]}}
    assert "dependentRequired" not in out


def test_dependent_required_that_is_not_names_is_refused_at_its_pointer() -> None:
    with pytest.raises(NormalizeError) as err:
        read({"type": "object", "dependentRequired": {"a": "b"}})
    assert err.value.pointer == f"{COMPONENT}/dependentRequired"
