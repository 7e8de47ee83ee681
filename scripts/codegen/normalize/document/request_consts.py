"""One-value enums as ``const`` where no new value can surprise a parser."""

from __future__ import annotations

from typing import Any

from ...common import operations
from ...rules import Rule
from ...schema_keywords import SCHEMA_LIST, SCHEMA_MAP, SCHEMA_ONE
from ..base import State


def single_enums_to_const(schema: Any) -> None:
    """`enum: [x]` is `const: x`; the generator then needs no module for a one-value type."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    enum = schema.get("enum")
    if isinstance(enum, list) and len([v for v in enum if v is not None]) == 1 and None not in enum:
        schema["const"] = schema.pop("enum")[0]
    for key in SCHEMA_MAP:
        for sub in schema.get(key, {}).values():
            single_enums_to_const(sub)
    for key in SCHEMA_ONE:
        single_enums_to_const(schema.get(key))
    for key in SCHEMA_LIST:
        for sub in schema.get(key, []):
            single_enums_to_const(sub)


def request_consts(st: State) -> None:
    """In what we send (inline request bodies and parameters) and in the shared error bodies,
    whose `statusCode` and `error` are fixed by their status. Responses keep their enums:
    upstream adds values to them, and the tolerant enum parser keeps unknown ones.
    """
    for _path, _method, op in operations(st.out):
        for param in op.get("parameters", []):
            single_enums_to_const(param.get("schema"))
        for media in op.get("requestBody", {}).get("content", {}).values():
            single_enums_to_const(media.get("schema"))
    for name in st.hoisted:
        schema = st.out["components"]["schemas"][name]
        for prop in ("statusCode", "error"):
            single_enums_to_const(schema.get("properties", {}).get(prop))


REQUEST_CONSTS = Rule(
    "request-consts",
    request_consts,
    "single-value enums as const in parameters, inline request bodies and the shared error "
    "bodies' statusCode and error",
)
