"""Reading an upstream schema node's keywords, and titles on inline schemas.

A node's keywords are read one by one: facts copied, prose dropped, subschemas normalized
(each through every schema rule), validation-only keywords and combinators moved under
``x-validation`` (openapi-python-client cannot model them), anything else refused.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ...rules import Rule
from ...schema_keywords import (
    DROPPED,
    PLAIN,
    REF_SIBLINGS_DROPPED,
    SCHEMA_LIST,
    SCHEMA_MAP,
    SCHEMA_ONE,
    VALIDATION_DATA,
    VALIDATION_ONLY,
    VALIDATION_SUBSCHEMA,
)
from ..base import NormalizeError, SchemaNode, State, esc


def is_validation_only(schema: Any, declared: frozenset[str] = frozenset()) -> bool:
    """A subschema that adds no shape, only constraints on what its parent declares.

    `required` lists, `not`/`if`/`then`/`else`, and `properties` that refine properties the
    parent already declares (a minLength, an enum, a nested object's own constraints).
    """
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in ("required", "minProperties", "maxProperties", *DROPPED):
            continue
        if key in VALIDATION_ONLY:
            continue
        if key in ("anyOf", "oneOf", "allOf"):
            if not all(is_validation_only(b, declared) for b in value):
                return False
            continue
        if key == "properties":
            # refinements of properties the parent declares; a property it does not declare
            # is new shape (the generator must see it), however plain its schema
            if not (isinstance(value, dict) and set(value) <= declared):
                return False
            continue
        return False
    return True


def validation(state: State, value: Any, ptr: str) -> Any:
    """A validation-only subschema (or list of them) kept as it is under ``x-validation``.

    Prose is dropped (but not a property *named* ``description``) and ``$ref``s point to
    the renamed schemas.
    """
    if isinstance(value, list):
        return [validation(state, v, f"{ptr}/{i}") for i, v in enumerate(value)]
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise NormalizeError(ptr, f"a schema must be an object or a boolean, got {value!r}")
    out: dict[str, Any] = {}
    for key, sub in value.items():
        kptr = f"{ptr}/{esc(key)}"
        if key in DROPPED or key.startswith("x-"):
            continue
        if key == "$ref":
            target = state.ref(sub, kptr)
            if target is not None:  # a dangling one constrains nothing
                out[key] = target
        elif key in PLAIN:
            out[key] = copy.deepcopy(sub)
        elif key in VALIDATION_DATA:
            out[key] = _dependent_required(sub, kptr)
        elif key in SCHEMA_MAP:
            if not isinstance(sub, dict):
                raise NormalizeError(kptr, f"'{key}' must be an object")
            out[key] = {n: validation(state, v, f"{kptr}/{esc(n)}") for n, v in sub.items()}
        elif key in (*SCHEMA_ONE, *SCHEMA_LIST, *VALIDATION_SUBSCHEMA):
            out[key] = validation(state, sub, kptr)
        else:
            raise NormalizeError(kptr, f"unknown schema keyword {key!r}")
    return out


def _dependent_required(value: Any, ptr: str) -> dict[str, list[str]]:
    """``dependentRequired``: property name -> the names it requires (data, not a schema)."""
    if not isinstance(value, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in value.values()
    ):
        raise NormalizeError(ptr, "'dependentRequired' must map names to lists of names")
    return copy.deepcopy(value)


def _reference(node: SchemaNode, s: dict[str, Any]) -> dict[str, Any]:
    """A ``$ref`` renamed; a dangling one is an open object (a repair)."""
    for key in s:
        if key != "$ref" and key not in REF_SIBLINGS_DROPPED:
            raise NormalizeError(
                f"{node.ptr}/{esc(key)}", f"{key!r} next to a $ref (it would be lost)"
            )
    target = node.state.ref(s["$ref"], node.ptr + "/$ref")
    return {"$ref": target} if target is not None else {"type": "object"}


def read_keywords(node: SchemaNode) -> None:
    s, ptr, state = node.src, node.ptr, node.state
    if isinstance(s, bool):
        node.out = {} if s else {"x-validation": {"not": {}}}
        return
    if not isinstance(s, dict):
        raise NormalizeError(ptr, f"a schema must be an object or a boolean, got {s!r}")
    if "$ref" in s:
        node.out = _reference(node, s)
        return
    out: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    for key, value in s.items():
        kptr = f"{ptr}/{esc(key)}"
        if key in DROPPED:
            continue
        if key in PLAIN:
            out[key] = copy.deepcopy(value)
        elif key in SCHEMA_MAP:
            if not isinstance(value, dict):
                raise NormalizeError(kptr, "'properties' must be an object")
            out[key] = {n: state.schema(v, f"{kptr}/{esc(n)}") for n, v in value.items()}
        elif key in SCHEMA_ONE:
            if key == "additionalProperties" and isinstance(value, bool):
                out[key] = value
            else:
                out[key] = state.schema(value, kptr)
        elif key in SCHEMA_LIST:
            if not isinstance(value, list) or not value:
                raise NormalizeError(kptr, f"'{key}' must be a non-empty list")
            declared = frozenset(s.get("properties", {}))
            only = [is_validation_only(b, declared) for b in value]
            if all(only):
                moved[key] = validation(state, value, kptr)
                continue
            for i, b in enumerate(value):
                if only[i] and any(k not in DROPPED for k in b):
                    # the generator would model this branch as a shape of its own
                    raise NormalizeError(
                        f"{kptr}/{i}", f"a validation-only branch in an '{key}' of shapes"
                    )
            out[key] = [state.schema(b, f"{kptr}/{i}") for i, b in enumerate(value)]
        elif key in VALIDATION_DATA:
            moved[key] = _dependent_required(value, kptr)
        elif key in VALIDATION_ONLY:
            moved[key] = validation(state, value, kptr)
        elif key.startswith("x-"):
            continue  # other vendor extensions carry no facts we know of
        else:
            raise NormalizeError(kptr, f"unknown schema keyword {key!r}")
    if moved:
        out["x-validation"] = moved
    node.out = out


COMPONENT_RE = re.compile(r"/components/schemas/[^/]+")


def inline_titles(node: SchemaNode) -> None:
    if "title" in node.out and not COMPONENT_RE.fullmatch(node.ptr):
        # the generator would build class names from inline titles (CreateAccountCreateAccount)
        node.out["x-title"] = node.out.pop("title")


KEYWORDS: Rule[SchemaNode] = Rule(
    "keywords",
    read_keywords,
    "$refs renamed (a dangling one: an open object, reported); facts copied, prose dropped, "
    "subschemas normalized; validation-only keywords and combinators under x-validation; "
    "an unknown keyword refused",
)
INLINE_TITLES: Rule[SchemaNode] = Rule(
    "inline-titles", inline_titles, "a title on an inline schema becomes x-title"
)
