"""Helpers shared by the generator scripts (one definition each)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
"""The operation keys of an OpenAPI path item."""


PYTHON_FORMATS = ("date", "date-time", "uuid", "binary")
"""String formats the generator reads into a Python type of their own (date, datetime, UUID,
File) rather than ``str``."""


def snake(name: str) -> str:
    """'listWorkspaceMember' -> 'list_workspace_member'; 'APIKey' -> 'api_key'."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every operation of ``doc`` as (path, method, operation), in document order."""
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict):
                yield path, method, op


def json_type(value: object) -> str:
    """The JSON type name of a decoded JSON value ('integer' for ints, not bools)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
