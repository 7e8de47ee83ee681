"""The retry class of an operation (``x-retry``), from facts of the document.

* ``safe``: a read. Every GET (HEAD, OPTIONS), and POST queries: those whose operationId
  starts with a read verb (``listLeads``, ``countLeadsFromSupersearch``,
  ``previewLeads...``, ``getWarmupAnalytics``, ``checkDomainsAvailability``, ...) and those
  a read scope allows (``exportCampaign`` needs ``campaigns:read``). Retried after 5xx,
  timeouts and dropped connections.
* ``idempotent``: repeating it changes nothing more. PUT, PATCH or DELETE of one resource
  named in the path (``PATCH /api/v2/leads/{id}``), a state switch of one resource named in
  the path (``POST /api/v2/campaigns/{id}/pause``), or an operation whose upstream
  description says it is idempotent. Retried like a read.
* ``unsafe``: everything else: creates, sends, bulk and filter-driven changes
  (``DELETE /api/v2/leads``), anything that spends credits. Re-sent only when it provably
  never left (connection refused, connect or pool timeout) or on 429.

What these rules cannot see is in ``scripts/overrides/retry.yaml`` (operationId -> class,
each with the reason), reviewed by hand. An override for an operation a document does not
have is ignored (older versions regenerate too); the tests fail on an override that names
no operation of ``openapi.yaml`` or that the rules already give, so the table stays short.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["CLASSES", "OVERRIDES_PATH", "classify", "load_overrides", "retry_class"]

CLASSES = ("safe", "idempotent", "unsafe")
OVERRIDES_PATH = Path(__file__).resolve().parents[1] / "overrides" / "retry.yaml"

READ_METHODS = frozenset({"get", "head", "options"})
# First word of an operationId that reads without changing anything.
READ_VERBS = frozenset({"list", "count", "get", "preview", "search", "check", "retrieve"})
# Last path segment of a POST that switches the state of the one resource named before it.
STATE_SWITCHES = frozenset(
    {"pause", "resume", "activate", "complete", "mark-fixed", "mark-as-read", "mark-read"}
)
_IDEMPOTENT_PROSE = re.compile(r"\b(?:is|are|operation is) idempotent\b", re.IGNORECASE)
_CREDITS_PROSE = re.compile(r"\bcredits?\b", re.IGNORECASE)


def _first_word(operation_id: str) -> str:
    match = re.match(r"[a-z]+", operation_id)
    return match.group(0) if match else ""


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _read_scope_only(scopes: list[str]) -> bool:
    """Every scope that allows the call is a read scope or an ``all`` scope."""
    actions = {str(s).rsplit(":", 1)[-1] for s in scopes}
    return "read" in actions and actions <= {"read", "all"}


def classify(
    method: str, path: str, operation_id: str, prose: str = "", scopes: list[str] | None = None
) -> tuple[str, str]:
    """(class, reason) by the rules alone, without the override table."""
    method = method.lower()
    segments = [s for s in path.split("/") if s]
    if method in READ_METHODS:
        return "safe", f"{method.upper()} reads"
    if _CREDITS_PROSE.search(prose):
        return "unsafe", "spends credits"
    if _IDEMPOTENT_PROSE.search(prose):
        return "idempotent", "the upstream description says it is idempotent"
    if method == "post" and _first_word(operation_id) in READ_VERBS:
        return "safe", f"a query ({_first_word(operation_id)}...)"
    if method == "post" and _read_scope_only(scopes or []):
        return "safe", "a query: a read scope allows it"
    if method in ("put", "patch", "delete") and segments and _is_param(segments[-1]):
        return "idempotent", f"{method.upper()} of one resource named in the path"
    if method in ("put", "patch", "delete") and any(_is_param(s) for s in segments):
        return "idempotent", f"{method.upper()} of one sub-resource named in the path"
    if (
        method == "post"
        and len(segments) >= 2
        and segments[-1] in STATE_SWITCHES
        and _is_param(segments[-2])
    ):
        return "idempotent", f"switches the state of one resource ({segments[-1]})"
    if method == "delete":
        return "unsafe", "DELETE without a resource in the path: bulk or filter-driven"
    if method in ("put", "patch"):
        return "unsafe", f"{method.upper()} without a resource in the path"
    return "unsafe", f"{method.upper()} that creates, sends or changes several resources"


def load_overrides(path: Path = OVERRIDES_PATH) -> dict[str, dict[str, str]]:
    """The reviewed table: operationId -> {retry, reason}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of operationId -> {{retry, reason}}")
    for oid, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != {"retry", "reason"}:
            raise ValueError(f"{path}: {oid}: needs exactly 'retry' and 'reason'")
        if entry["retry"] not in CLASSES:
            raise ValueError(f"{path}: {oid}: retry must be one of {CLASSES}")
        if not str(entry["reason"]).strip():
            raise ValueError(f"{path}: {oid}: an empty reason")
    return data


@functools.cache
def _default_overrides() -> dict[str, dict[str, str]]:
    return load_overrides()


def retry_class(
    method: str,
    path: str,
    operation: dict[str, Any],
    prose: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
) -> str:
    """The ``x-retry`` value of an operation: the override when there is one, else the rules."""
    table = _default_overrides() if overrides is None else overrides
    entry = table.get(str(operation.get("operationId")))
    if entry is not None:
        return entry["retry"]
    oid = str(operation.get("operationId", ""))
    return classify(method, path, oid, prose, operation.get("x-required-scopes"))[0]


def check_overrides(doc: dict[str, Any], overrides: dict[str, dict[str, str]]) -> list[str]:
    """Problems of the override table against a normalized document (for tests)."""
    problems: list[str] = []
    found: dict[str, tuple[str, str, list[str]]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            found[op["operationId"]] = (method, path, op.get("x-required-scopes", []))
    for oid, entry in overrides.items():
        if oid not in found:
            problems.append(f"{oid}: no such operation")
            continue
        method, path, scopes = found[oid]
        if classify(method, path, oid, scopes=scopes)[0] == entry["retry"]:
            problems.append(f"{oid}: the rules already give {entry['retry']!r}")
    return problems
