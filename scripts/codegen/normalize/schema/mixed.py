"""Schemas of several types split into one ``anyOf`` branch per type; boolean enums."""

from __future__ import annotations

from typing import Any

from ...common import json_type
from ...rules import Rule
from ..base import NormalizeError, SchemaNode, esc

_NUMERIC = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
PER_TYPE: dict[str, tuple[str, ...]] = {
    "string": ("format", "pattern", "minLength", "maxLength"),
    "number": _NUMERIC,
    "integer": _NUMERIC,
    "array": ("items", "minItems", "maxItems", "uniqueItems"),
    "object": ("properties", "additionalProperties", "required", "minProperties", "maxProperties"),
    "boolean": (),
}
"""The keywords that go with each type's branch."""
KEEP_KEYS = (
    "title",
    "x-title",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
    "example",
    "examples",
    "x-validation",
)
"""The keywords that stay on the split schema itself."""
SPLIT_KEYS = {"type", "enum", "const", "x-enumDescriptions"}.union(*PER_TYPE.values())


def boolean_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """Boolean enums carry no more than the type: keep the values as a fact, not an enum."""
    enum = schema.get("enum")
    if enum is None:
        return schema
    t = schema.get("type")
    types = [t] if isinstance(t, str) else list(t or [])
    base = next((x for x in types if x != "null"), "null")
    if base == "boolean":
        values = [v for v in enum if v is not None]
        schema.pop("enum")
        if sorted(values) != [False, True]:
            schema["x-enum-values"] = values  # e.g. [true]: a fact Prism need not enforce
    return schema


def _branch(out: dict[str, Any], t: str, enum: list[Any] | None, ptr: str) -> dict[str, Any] | None:
    """The ``anyOf`` branch of type ``t``; None when the enum allows no value of it."""
    if t not in PER_TYPE:
        raise NormalizeError(ptr + "/type", f"unknown type {t!r}")
    branch: dict[str, Any] = {"type": t}
    for k in PER_TYPE[t]:
        if k in out:
            branch[k] = out[k]
    if enum is None:
        return boolean_enum(branch)
    values = [v for v in enum if json_type(v) == t or (t == "number" and json_type(v) == "integer")]
    if not values:
        return None
    if "const" in out:
        branch["const"] = values[0]
        return branch
    branch["enum"] = values
    labels = out.get("x-enumDescriptions")
    if isinstance(labels, dict):
        sub = {str(v): labels[str(v)] for v in values if str(v) in labels}
        if sub:
            branch["x-enumDescriptions"] = sub
    return boolean_enum(branch)


def split_mixed(node: SchemaNode) -> None:
    """A schema with several non-null types becomes an anyOf with one branch a type."""
    out, ptr = node.out, node.ptr
    types = out.get("type")
    if not isinstance(types, list):
        return
    non_null = [t for t in types if t != "null"]
    if len(non_null) <= 1:
        if not non_null:
            out["type"] = "null"
            out.pop("enum", None)
        return
    for k in out:
        if k not in SPLIT_KEYS and k not in KEEP_KEYS:
            raise NormalizeError(f"{ptr}/{esc(k)}", f"{k!r} on a schema with several types")
    has_const = "const" in out
    enum = [out["const"]] if has_const else out.get("enum")
    branches = [b for t in non_null if (b := _branch(out, t, enum, ptr)) is not None]
    if "null" in types and not has_const:
        branches.append({"type": "null"})
    if not branches:
        raise NormalizeError(ptr, "no listed value fits any of the types")
    keep = {k: v for k, v in out.items() if k in KEEP_KEYS}
    node.out = {**branches[0], **keep} if len(branches) == 1 else {"anyOf": branches, **keep}


def boolean_enums(node: SchemaNode) -> None:
    boolean_enum(node.out)


MIXED_TYPES: Rule[SchemaNode] = Rule(
    "mixed-types",
    split_mixed,
    "several non-null types become an anyOf of one branch per type (its keywords and "
    "enum values); only null: type null",
)
BOOLEAN_ENUMS: Rule[SchemaNode] = Rule(
    "boolean-enums",
    boolean_enums,
    "an enum on a boolean is dropped; a partial one is kept as x-enum-values",
)
