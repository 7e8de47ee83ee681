"""``x-retry``: when a failed call may be sent again (``codegen/retry_classes.py``)."""

from __future__ import annotations

from ...retry_classes import retry_class
from ...rules import Rule
from ..base import OperationNode


def retry(node: OperationNode) -> None:
    node.out["x-retry"] = retry_class(node.method, node.path, node.out, node.prose)


RETRY_CLASS: Rule[OperationNode] = Rule(
    "retry-class",
    retry,
    "x-retry: safe, idempotent or unsafe (scripts/codegen/retry_classes.py and the reviewed "
    "scripts/overrides/retry.yaml)",
)
