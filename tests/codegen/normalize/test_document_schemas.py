"""Document rules ``schema-names`` and ``schemas`` (codegen/normalize/document/schemas.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import state_after, upstream
from codegen.normalize import NormalizeError


def with_schemas(schemas: dict[str, Any]) -> dict[str, Any]:
    src = upstream()
    src["components"]["schemas"] = schemas
    return src


def test_schema_names() -> None:
    src = with_schemas(
        {"def-0": {"title": "Lead item"}, "Lead-List": {}, "Campaign": {}, "def-x": {}}
    )
    assert state_after("schema-names", src).renames == {
        "def-0": "LeadItem",
        "Lead-List": "LeadList",
        "Campaign": "Campaign",
        "def-x": "DefX",
    }


@pytest.mark.parametrize(
    ("schemas", "pointer", "message"),
    [
        (
            {"def-1": {"type": "object"}},
            "/components/schemas/def-1",
            "a def-N schema without title",
        ),
        (
            {"def-1": {"title": "1 lead"}},
            "/components/schemas/def-1/title",
            "does not give a valid name",
        ),
        ({"9 lives": {}}, "/components/schemas/9 lives", "does not give a valid name"),
        (
            {"Lead": {}, "def-1": {"title": "Lead"}},
            "/components/schemas/def-1",
            "two schemas named 'Lead'",
        ),
    ],
)
def test_schema_names_it_cannot_give_fail_naming_the_pointer(
    schemas: dict[str, Any], pointer: str, message: str
) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        state_after("schema-names", with_schemas(schemas))
    assert err.value.pointer == pointer


def test_schemas_go_through_the_schema_rules_under_their_new_names() -> None:
    src = with_schemas(
        {
            "def-0": {"title": "Lead item", "type": "object", "description": "prose"},
            "Page": {
                "properties": {
                    "items": {"items": {"$ref": "#/components/schemas/def-0"}},
                    "flag": {"enum": [True, False]},
                }
            },
        }
    )
    assert state_after("schemas", src).out["components"]["schemas"] == {
        "LeadItem": {"title": "Lead item", "type": "object"},
        "Page": {
            "properties": {
                "items": {"items": {"$ref": "#/components/schemas/LeadItem"}, "type": "array"},
                "flag": {"type": "boolean"},
            }
        },
    }


def test_a_schema_it_cannot_read_fails_naming_the_upstream_pointer() -> None:
    with pytest.raises(NormalizeError) as err:
        state_after("schemas", with_schemas({"def-0": {"title": "A", "frob": 1}}))
    assert err.value.pointer == "/components/schemas/def-0/frob"
