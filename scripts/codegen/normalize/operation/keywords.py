"""The operation's own keywords: unknown ones refused, ``deprecated`` and ``security`` kept."""

from __future__ import annotations

import copy

from ...rules import Rule
from ..base import NormalizeError, OperationNode, esc

KNOWN = (
    "operationId",
    "summary",
    "tags",
    "description",
    "parameters",
    "requestBody",
    "responses",
    "security",
    "deprecated",
)
"""The operation keywords the normalizer reads (the rules of this family)."""


def operation_keywords(node: OperationNode) -> None:
    op = node.src
    for key in op:
        if key not in KNOWN:
            raise NormalizeError(f"{node.ptr}/{esc(key)}", f"unknown operation keyword {key!r}")
    if op.get("deprecated"):
        node.out["deprecated"] = True
    if "security" in op:
        node.out["security"] = copy.deepcopy(op["security"])


OPERATION_KEYWORDS: Rule[OperationNode] = Rule(
    "operation-keywords",
    operation_keywords,
    "an unknown operation keyword refused; deprecated and security kept",
)
