"""Normalize Instantly's published OpenAPI document into our own ``openapi.yaml``.

Usage::

    python scripts/normalize.py [SOURCE] [-o openapi.yaml]

SOURCE is a path or URL to any version of the upstream document, JSON or YAML
(default: the official ``https://api.instantly.ai/openapi/api_v2.json``).

The output records the facts of the API (paths, methods, parameters, schemas, types,
formats, enums with their short labels, examples, summaries) plus structured extensions
that the upstream document only states in prose or not at all:

* ``x-required-scopes``: the scopes that each allow an operation;
* ``x-rate-limits``: an operation's own limits, ``[{requests, seconds}]``;
* ``x-pagination``: how a cursor-paginated list operation pages;
* ``x-retry``: ``safe | idempotent | unsafe``, when a failed call may be re-sent
  (``scripts/codegen/retry_classes.py``);
* ``x-validation``: validation-only combinators moved out of the generator's way.

Upstream ``description`` prose is not carried over. The output is deterministic: the same
input gives byte-identical output. Anything the normalizer does not understand stops it
with an error that names the JSON pointer, so it never writes a silently broken document.

The work is three ordered lists of named rules (``codegen.rules.Rule``), one module per
family of rules:

* ``RULES`` (``document/``): the whole document, in order;
* ``SCHEMA_RULES`` (``schema/``): every schema node, run by the ``schemas`` rule and by
  every rule that meets a schema (``State.schema``);
* ``OPERATION_RULES`` (``operation/``): every operation, run by the ``operations`` rule
  (``State.operation``).

``base`` holds what they share (``State``, ``NormalizeError``), ``source`` the reading and
writing of documents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import naming
from ..common import HTTP_METHODS as HTTP_METHODS
from ..rules import Rule as Rule
from ..rules import run
from .base import NormalizeError as NormalizeError
from .base import OperationNode as OperationNode
from .base import SchemaNode as SchemaNode
from .base import State as State
from .base import tag_name as tag_name
from .base import title_to_name as title_to_name
from .document import RULES as RULES
from .document.error_bodies import without_examples as without_examples
from .document.live_overrides import apply_live_overrides as apply_live_overrides
from .document.live_overrides import not_applied as not_applied
from .operation import OPERATION_RULES as OPERATION_RULES
from .operation.ids import derived_operation_id as derived_operation_id
from .operation.pagination import detect_pagination as detect_pagination
from .operation.prose import parse_rate_limits as parse_rate_limits
from .operation.prose import parse_scope_groups as parse_scope_groups
from .operation.prose import scopes_alone as scopes_alone
from .operation.responses import STATUS_PHRASES as STATUS_PHRASES
from .schema import SCHEMA_RULES as SCHEMA_RULES
from .source import LAST_MODIFIED
from .source import dump_yaml as dump_yaml
from .source import load_source as load_source
from .source import source_date as source_date

DEFAULT_SOURCE = "https://api.instantly.ai/openapi/api_v2.json"
OPENAPI_YAML = naming.ROOT / "openapi.yaml"


def normalize(
    doc: dict[str, Any],
    raw: bytes | None = None,
    *,
    date: str | None = None,
    lock: naming.Lock | None = None,
    live_overrides: bool = False,
    overrides_path: Path | None = None,
) -> dict[str, Any]:
    """Return our normalized document for an upstream document (``RULES``, in order).

    Provenance goes into ``info``: ``x-upstream-sha256`` (of ``raw``, the bytes as published)
    and ``x-upstream-date``. Repairs of upstream defects are listed under
    ``info.x-upstream-repairs`` (absent when none). ``lock``: the names lock; its error-body
    names are kept and the new ones added to it. ``live_overrides``: apply the live-API
    corrections last.
    """
    state = State(
        doc,
        lock=lock,
        raw=raw,
        date=date,
        live_overrides=live_overrides,
        overrides_path=overrides_path,
    )
    return run(RULES, state).out


def repairs(doc: dict[str, Any]) -> list[str]:
    """The repairs a normalized document records ("pointer: what was done")."""
    found = doc.get("info", {}).get("x-upstream-repairs", [])
    return [str(r) for r in found] if isinstance(found, list) else []


def normalize_file(
    src: str,
    dest: Path,
    lock_path: Path | None = None,
    *,
    live_overrides: bool | None = None,
    not_applied_into: list[str] | None = None,
) -> list[str]:
    """Normalize SOURCE (path or URL) and write it to DEST as YAML; returns the repairs made.

    ``lock_path``: the names lock (error-body names kept, new ones added to the file).
    The live-API corrections are applied last: by default when DEST is the project's own
    ``openapi.yaml`` (they are part of it), else when ``live_overrides`` is true; those that do
    not apply are appended to ``not_applied_into`` when given.
    """
    doc, raw = load_source(src)
    lock = naming.Lock.load(lock_path) if lock_path is not None else None
    if live_overrides is None:
        live_overrides = dest.resolve() == OPENAPI_YAML
    date = source_date(src, LAST_MODIFIED.get(src))
    out = normalize(doc, raw, date=date, lock=lock, live_overrides=live_overrides)
    if not_applied_into is not None:
        not_applied_into.extend(not_applied(out))
    dest.write_text(dump_yaml(out), encoding="utf-8")
    if lock is not None and lock_path is not None:
        text = lock.dump()
        if not lock_path.is_file() or lock_path.read_text(encoding="utf-8") != text:
            lock.save(lock_path)
    return repairs(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", default=DEFAULT_SOURCE, help="path or URL")
    parser.add_argument("-o", "--output", type=Path, default=OPENAPI_YAML)
    parser.add_argument(
        "--lock",
        type=Path,
        default=None,
        help="names lock (default: scripts/names/lock.yaml when writing the repo's openapi.yaml)",
    )
    parser.add_argument(
        "--live-overrides",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply scripts/overrides/live-api.yaml (default: when writing the project's "
        "openapi.yaml)",
    )
    args = parser.parse_args(argv)
    lock = args.lock
    if lock is None and args.output.resolve() == naming.ROOT / "openapi.yaml":
        lock = naming.LOCK
    try:
        live = args.live_overrides
        skipped: list[str] = []
        found = normalize_file(
            args.source, args.output, lock, live_overrides=live, not_applied_into=skipped
        )
        for repair in found:
            print(f"normalize: repaired {repair}")
        for entry in skipped:
            print(f"normalize: live-API correction not applied {entry}")
    except NormalizeError as exc:
        print(f"normalize: {exc}", file=sys.stderr)
        return 1
    print(f"normalize: wrote {args.output}")
    return 0
