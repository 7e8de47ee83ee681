"""The operationId: upstream's, or derived from method and path when it is missing."""

from __future__ import annotations

import re

from ...rules import Rule
from ..base import NormalizeError, OperationNode


def derived_operation_id(method: str, path: str) -> str:
    """An operationId from method and path, for an operation upstream left without one.

    ``post /api/v2/oauth/google/init`` -> ``postOauthGoogleInit``; ``get /api/v2/accounts/{email}``
    -> ``getAccountsByEmail``. The ``/api/vN`` prefix carries nothing.
    """
    words = [method.lower()]
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["api"]:
        segments = segments[1:]
    if segments and re.fullmatch(r"v\d+", segments[0]):
        segments = segments[1:]
    for segment in segments:
        param = re.fullmatch(r"\{(.+)\}", segment)
        parts = [p for p in re.split(r"[^0-9A-Za-z]+", param.group(1) if param else segment) if p]
        if param:
            parts = ["by", *parts]
        words += parts
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def operation_id(node: OperationNode) -> None:
    oid = node.src.get("operationId")
    if oid is None or oid == "":
        oid = derived_operation_id(node.method, node.path)
        node.state.repair(f"{node.ptr}/operationId", f"missing, derived as {oid!r}")
    elif not isinstance(oid, str):
        raise NormalizeError(f"{node.ptr}/operationId", f"not a string: {oid!r}")
    node.out["operationId"] = oid


OPERATION_ID: Rule[OperationNode] = Rule(
    "operation-id",
    operation_id,
    "upstream's operationId; a missing one derived from method and path (reported)",
)
