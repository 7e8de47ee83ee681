"""Examples that fit their schema: repaired where there is one reading, else dropped.

Upstream uses placeholders that do not fit (a date-time on a ``format: date``, ``null`` on a
non-null type). Prism serves examples as responses, so an unfit one would make the mock
answer what the API never does.
"""

from __future__ import annotations

import re
from typing import Any

from ...common import json_type
from ...rules import Rule
from ..base import SchemaNode

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME_PREFIX_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def example_fits(schema: dict[str, Any], value: Any) -> bool:
    """Does a scalar example fit the schema's own type, enum, const, format and pattern?"""
    types = schema.get("type")
    allowed = [types] if isinstance(types, str) else list(types or [])
    if allowed:
        kind = json_type(value)
        if not (kind in allowed or (kind == "integer" and "number" in allowed)):
            return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "const" in schema and value != schema["const"]:
        return False
    if isinstance(value, str):
        if schema.get("format") == "date" and not DATE_RE.match(value):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                if not re.search(pattern, value):
                    return False
            except re.error:
                pass  # a pattern Python cannot read: no verdict
    return True


def fit_example(schema: dict[str, Any], value: Any) -> tuple[bool, Any]:
    """(keep, value): an example repaired to fit its schema, or dropped.

    A date-time on a date keeps its date part; a ``null`` example makes the type nullable
    (the API evidently sends it); anything else that does not fit is dropped.
    """
    if isinstance(value, (dict, list)):
        return True, value  # structured examples are left to their own properties' schemas
    if value is None:
        types = schema.get("type")
        if isinstance(types, str) and types != "null":
            schema["type"] = [types, "null"]
        elif isinstance(types, list) and "null" not in types:
            schema["type"] = [*types, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return True, value
    if schema.get("format") == "date" and isinstance(value, str):
        m = DATE_TIME_PREFIX_RE.match(value)
        if m:
            value = m.group(1)
    return (True, value) if example_fits(schema, value) else (False, None)


def fit_examples(node: SchemaNode) -> None:
    schema = node.out
    if "example" in schema:
        keep, value = fit_example(schema, schema["example"])
        if keep:
            schema["example"] = value
        else:
            del schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list):
        fitted = [v for keep, v in (fit_example(schema, e) for e in examples) if keep]
        if fitted:
            schema["examples"] = fitted
        else:
            del schema["examples"]


EXAMPLES: Rule[SchemaNode] = Rule(
    "examples",
    fit_examples,
    "examples fitted to the schema: a date-time on a date keeps its date, null makes the "
    "type nullable, anything else that does not fit is dropped",
)
