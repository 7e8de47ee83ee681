"""The paths: every operation through the operation rules; operationIds checked once all are."""

from __future__ import annotations

import re
from typing import Any

from ...common import HTTP_METHODS, operations
from ...rules import Rule
from ..base import NormalizeError, State, as_object, esc


def paths(st: State) -> None:
    for path, item in as_object(st.src["paths"], "/paths", "paths").items():
        pptr = f"/paths/{esc(path)}"
        new_item: dict[str, Any] = {}
        for method, op in as_object(item, pptr, "a path item").items():
            if method not in HTTP_METHODS:
                raise NormalizeError(f"{pptr}/{esc(method)}", "path-level keys other than methods")
            new_item[method] = st.operation(op, path, method, f"{pptr}/{method}")
            for t in new_item[method].get("tags", []):
                if t not in st.tags:
                    st.tags.append(t)
        st.out["paths"][path] = new_item
    st.out["tags"] = [{"name": t} for t in st.tags]


def check_operation_ids(doc: dict[str, Any]) -> None:
    """operationIds are unique, also once case and separators are gone (the generator's
    snake_case module names would collide: ``listLeads`` and ``list_leads``)."""
    seen: dict[str, tuple[str, str]] = {}
    for path, method, op in operations(doc):
        oid = op["operationId"]
        where = f"/paths/{esc(path)}/{method}/operationId"
        key = re.sub(r"[^0-9a-z]", "", str(oid).lower())
        if key in seen:
            other, other_where = seen[key]
            what = "is also used" if other == oid else f"gives the same Python name as {other!r}"
            raise NormalizeError(where, f"operationId {oid!r} {what} at {other_where}")
        seen[key] = (oid, where)


def operation_ids(st: State) -> None:
    check_operation_ids(st.out)


OPERATIONS = Rule(
    "operations",
    paths,
    "every operation through the operation rules (normalize.operation), path by path; "
    "its tags added to the list",
)
OPERATION_IDS = Rule("operation-ids", operation_ids, "operationIds unique, also as Python names")
