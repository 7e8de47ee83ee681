"""Corrections for where the live Instantly API differs from its published document.

The corrections are data: ``scripts/overrides/live-api.yaml``, a list of entries, each a JSON
pointer into our normalized document (``openapi.yaml``), an operation, a value, the reason
and the evidence (where the live payload that shows it came from). :func:`apply` applies
them in order to a normalized document; ``scripts/normalize.py`` calls it as its last step
when it writes ``openapi.yaml``.

Operations:

* ``add``: the pointer must not exist yet (its parent must); sets ``value``.
* ``replace``: the pointer must exist with another value; sets ``value``.
* ``merge``: the pointer must be an object; sets each key of ``value`` (an object), at
  least one of which must change something.
* ``remove``: the pointer must exist; removes it.
* ``unrequire``: the pointer must be an object schema whose ``required`` lists every name in
  ``value``; removes them from it (and drops an empty ``required``).

A correction that does not apply (its pointer is gone, or the document already says what it
says) raises :class:`NotApplicable` naming the pointer: upstream changed, so the entry must be
reviewed, then removed or updated. The normalizer passes ``skipped=`` instead: the entry is
left out and listed (an older or newer upstream version still regenerates, and its report
says which corrections it did not take); the shipped ``openapi.yaml`` takes every one (a test).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "overrides" / "live-api.yaml"
OPERATIONS = ("add", "replace", "merge", "remove", "unrequire")
ENTRY_KEYS = frozenset({"pointer", "op", "value", "reason", "evidence"})


class OverrideError(Exception):
    """An overrides entry that is malformed or does not apply."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer}: {message}")
        self.pointer = pointer
        self.reason = message


class NotApplicable(OverrideError):
    """A well-formed entry that does not apply to this document (gone, or already so)."""


def _tokens(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        raise OverrideError(pointer, "a JSON pointer starts with '/'")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _step(node: Any, token: str, pointer: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise NotApplicable(pointer, f"does not apply: {token!r} does not exist")
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise NotApplicable(pointer, f"does not apply: {token!r} does not exist")


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    node = doc
    for token in tokens[:-1]:
        node = _step(node, token, pointer)
    return node, tokens[-1]


def load(path: Path = DEFAULT_PATH) -> list[dict[str, Any]]:
    """The entries of an overrides file, checked for shape."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("corrections") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise OverrideError("", f"{path}: expected a mapping with a 'corrections' list")
    for i, entry in enumerate(entries):
        where = entry.get("pointer", f"corrections[{i}]") if isinstance(entry, dict) else ""
        if not isinstance(entry, dict):
            raise OverrideError(str(where), f"{path}: entry {i} is not a mapping")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise OverrideError(str(where), f"unknown keys {sorted(unknown)}")
        for key in ("pointer", "op", "reason", "evidence"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise OverrideError(str(where), f"needs a non-empty {key!r}")
        if entry["op"] not in OPERATIONS:
            raise OverrideError(entry["pointer"], f"unknown op {entry['op']!r}")
        if entry["op"] != "remove" and "value" not in entry:
            raise OverrideError(entry["pointer"], f"op {entry['op']!r} needs a 'value'")
    return entries


def apply_entry(doc: dict[str, Any], entry: dict[str, Any]) -> None:
    """Apply one correction to ``doc`` in place."""
    pointer: str = entry["pointer"]
    op: str = entry["op"]
    if op not in OPERATIONS:
        raise OverrideError(pointer, f"unknown op {op!r}")
    value = copy.deepcopy(entry.get("value"))
    parent, last = _parent(doc, pointer)
    if op == "add":
        if not isinstance(parent, dict):
            raise OverrideError(pointer, "add needs an object as the parent")
        if last in parent:
            same = "already says this" if parent[last] == value else "already has another value"
            raise NotApplicable(pointer, f"does not apply: the document {same}")
        parent[last] = value
        return
    target = _step(parent, last, pointer)
    if op == "remove":
        if isinstance(parent, list):
            parent.pop(int(last))
        else:
            del parent[last]
    elif op == "replace":
        if target == value:
            raise NotApplicable(pointer, "does not apply: the document already says this")
        parent[int(last) if isinstance(parent, list) else last] = value
    elif op == "merge":
        if not isinstance(target, dict) or not isinstance(value, dict):
            raise OverrideError(pointer, "merge needs an object at the pointer and as value")
        if all(k in target and target[k] == v for k, v in value.items()):
            raise NotApplicable(pointer, "does not apply: the document already says this")
        target.update(value)
    elif op == "unrequire":
        names = value if isinstance(value, list) else [value]
        required = target.get("required") if isinstance(target, dict) else None
        if not isinstance(required, list):
            raise NotApplicable(pointer, "does not apply: the schema requires nothing")
        missing = [n for n in names if n not in required]
        if missing:
            raise NotApplicable(pointer, f"does not apply: {missing} not required by the document")
        target["required"] = [n for n in required if n not in names]
        if not target["required"]:
            del target["required"]


def apply(
    doc: dict[str, Any],
    entries: list[dict[str, Any]] | None = None,
    *,
    skipped: list[str] | None = None,
) -> dict[str, Any]:
    """Apply the corrections (default: ``live-api.yaml``) to a normalized document, in place.

    An entry that does not apply raises :class:`NotApplicable`; with ``skipped`` (a list) it
    is left out and appended there as ``"pointer: why"`` instead.
    """
    for entry in load() if entries is None else entries:
        try:
            apply_entry(doc, entry)
        except NotApplicable as exc:
            if skipped is None:
                raise
            skipped.append(f"{exc.pointer}: {exc.reason}")
    return doc
