"""An operation's parameters: facts kept, schemas normalized, examples fitted."""

from __future__ import annotations

import copy
from typing import Any

from ...rules import Rule
from ...schema_keywords import DROPPED
from ..base import NormalizeError, OperationNode, State, as_object, esc
from ..schema.examples import fit_example

KNOWN = (
    "name",
    "in",
    "required",
    "example",
    "examples",
    "style",
    "explode",
    "deprecated",
    "allowEmptyValue",
)
"""The parameter keywords carried over as they are (besides ``schema``)."""


def parameter(state: State, p: Any, ptr: str) -> dict[str, Any]:
    p = as_object(p, ptr, "a parameter")
    if "$ref" in p:
        raise NormalizeError(ptr, "parameter $refs are not supported")
    for key in ("name", "in"):
        if not isinstance(p.get(key), str):
            raise NormalizeError(ptr, f"a parameter without {key!r}")
    new: dict[str, Any] = {}
    for key, value in p.items():
        if key in DROPPED:
            continue
        if key == "schema":
            new[key] = state.schema(value, ptr + "/schema")
        elif key in KNOWN:
            new[key] = copy.deepcopy(value)
        else:
            raise NormalizeError(f"{ptr}/{esc(key)}", f"unknown parameter keyword {key!r}")
    schema = new.get("schema")
    if "example" in new and isinstance(schema, dict) and "$ref" not in schema:
        keep, value = fit_example(copy.deepcopy(schema), new["example"])
        if keep and value is not None:
            new["example"] = value
        else:
            del new["example"]
    return new


def parameters(node: OperationNode) -> None:
    raw = node.src.get("parameters", [])
    if not isinstance(raw, list):
        raise NormalizeError(node.ptr + "/parameters", "'parameters' must be a list")
    params = [parameter(node.state, p, f"{node.ptr}/parameters/{i}") for i, p in enumerate(raw)]
    if params:
        node.out["parameters"] = params


PARAMETERS: Rule[OperationNode] = Rule(
    "parameters",
    parameters,
    "parameters without prose, schemas normalized, an example that does not fit dropped; "
    "$refs and unknown keywords refused",
)
