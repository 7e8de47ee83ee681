"""Shared error bodies: identical inline error schemas become one named component each."""

from __future__ import annotations

import json
from typing import Any

from ... import naming
from ...common import operations
from ...rules import Rule
from ...schema_keywords import SCHEMA_LIST, SCHEMA_ONE
from ..base import NormalizeError, State, esc, title_to_name
from ..operation.responses import STATUS_PHRASES


def error_name(schema: dict[str, Any], status: str) -> str:
    """``<error value>Error`` when the body fixes its ``error``, else after the status phrase."""
    error = schema.get("properties", {}).get("error", {})
    values = error.get("enum") if isinstance(error, dict) else None
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return title_to_name(values[0]) + "Error"
    phrase = STATUS_PHRASES.get(int(status)) if status.isdigit() else None
    return title_to_name(phrase) + "Error" if phrase else f"Error{status}"


def without_examples(schema: Any) -> Any:
    """A normalized schema without its examples (but with a property *named* ``example``)."""
    if isinstance(schema, list):
        return [without_examples(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("example", "examples"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: without_examples(sub) for name, sub in value.items()}
        elif key in (*SCHEMA_ONE, *SCHEMA_LIST):
            out[key] = without_examples(value)
        else:
            out[key] = value
    return out


def hoist_error_bodies(
    doc: dict[str, Any],
    locked: dict[str, str] | None = None,
    classes: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Identical inline error bodies become one named component schema each.

    Names are locked by signature (``naming.error_signature``: ``statusCode``, ``error``,
    property names), so neither one more use nor a reworded example renames a body. A new
    body takes the class name its inline location had (``classes``, the lock), else
    ``<Error>Error``, numbered in signature order, never reusing a locked name. Returns the
    names and ``signature -> name`` for every shared body.
    """
    locked = locked or {}
    classes = classes or {}
    groups: dict[str, list[tuple[str, dict[str, Any], str]]] = {}
    for path, method, op in operations(doc):
        for status, resp in op["responses"].items():
            if not (status.isdigit() and int(status) >= 400):
                continue
            for media_type, media in resp.get("content", {}).items():
                s = media.get("schema")
                if isinstance(s, dict) and "$ref" not in s:
                    key = json.dumps(without_examples(s), sort_keys=True)
                    where = (
                        f"/paths/{esc(path)}/{method}/responses/{esc(status)}"
                        f"/content/{esc(media_type)}/schema"
                    )
                    groups.setdefault(key, []).append((status, media, where))
    shared = {key: uses for key, uses in groups.items() if len(uses) >= 2}
    by_signature: dict[str, list[str]] = {}
    for key in shared:
        sig = naming.error_signature(json.loads(key))
        by_signature.setdefault(sig, []).append(key)
    signatures: dict[str, str] = {}
    for sig, keys in by_signature.items():
        for i, key in enumerate(sorted(keys)):  # bodies alike but for details: by content
            signatures[key] = sig if i == 0 else f"{sig} #{i + 1}"
    schemas = doc["components"]["schemas"]
    names: dict[str, str] = {}
    for key, sig in signatures.items():
        if sig in locked:
            name = locked[sig]
            if name in schemas:
                raise NormalizeError(
                    f"/components/schemas/{esc(name)}",
                    f"upstream now has a schema named like the locked error body {sig}",
                )
            names[key] = name
    used = set(schemas) | set(locked.values())
    for key in sorted(set(signatures) - set(names), key=lambda k: signatures[k]):
        uses = shared[key]
        inherited = [classes[u[2]] for u in uses if u[2] in classes]
        base = error_name(json.loads(key), min(u[0] for u in uses))
        name, n = (inherited[0], 0) if inherited else (base, 2)
        while name in used:
            name, n = f"{base}{n}", n + 1
        names[key] = name
        used.add(name)
    # components in order of use (most used first), as before the lock: openapi.yaml's order
    ordered = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for key, uses in ordered:
        name = names[key]
        schemas[name] = uses[0][1]["schema"]  # the first use's examples stand for all
        for _status, media, _where in uses:
            media["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return [names[key] for key, _ in ordered], {signatures[k]: names[k] for k in signatures}


def error_bodies(st: State) -> None:
    st.hoisted, st.error_bodies = hoist_error_bodies(
        st.out, st.locked_error_bodies, st.locked_classes
    )
    if st.lock is not None:
        for sig, name in st.error_bodies.items():
            st.lock.error_bodies.setdefault(sig, name)


ERROR_BODIES = Rule(
    "error-bodies",
    error_bodies,
    "identical inline error bodies hoisted to one component each, named by the lock "
    "(by signature), new names added to it",
)
