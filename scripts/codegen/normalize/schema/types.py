"""Types the upstream schema implies but does not state: from an enum's values, for arrays."""

from __future__ import annotations

from ...common import json_type
from ...rules import Rule
from ..base import NormalizeError, SchemaNode


def enum_types(node: SchemaNode) -> None:
    """Infer a missing type from an enum; fold an enum's null into the type."""
    out, ptr = node.out, node.ptr
    enum = out.get("enum")
    if enum is None:
        return
    if not isinstance(enum, list) or not enum:
        raise NormalizeError(ptr + "/enum", "an enum must be a non-empty list")
    value_types = {json_type(v) for v in enum}
    if "integer" in value_types and "number" in value_types:
        value_types.discard("integer")
    if "array" in value_types or "object" in value_types:
        raise NormalizeError(ptr + "/enum", "enum values that are arrays or objects")
    declared = out.get("type")
    declared_list = declared if isinstance(declared, list) else [declared] if declared else []
    if not declared_list:
        declared_list = sorted(value_types)
    if "null" in value_types and "null" not in declared_list:
        declared_list = [*declared_list, "null"]
    for t in sorted(value_types - {"null"}):
        fits = t in declared_list or (t == "integer" and "number" in declared_list)
        if not fits:  # the listed values are the facts: widen the declared type
            declared_list = [*declared_list, t]
    out["type"] = declared_list[0] if len(declared_list) == 1 else declared_list


def array_items(node: SchemaNode) -> None:
    """An array without ``items`` holds anything; ``items`` without a type is an array."""
    out = node.out
    types = out.get("type")
    is_array = types == "array" or (isinstance(types, list) and "array" in types)
    if is_array and "items" not in out:
        out["items"] = {}  # an array of anything
    if "type" not in out and "items" in out:
        out["type"] = "array"


ENUM_TYPES: Rule[SchemaNode] = Rule(
    "enum-types",
    enum_types,
    "a missing type inferred from the enum's values, a declared one widened to fit them "
    "(null included)",
)
ARRAY_ITEMS: Rule[SchemaNode] = Rule(
    "array-items", array_items, "arrays get items: {} when none; items imply type: array"
)
