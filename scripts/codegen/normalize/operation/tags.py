"""An operation's summary and tags."""

from __future__ import annotations

from ...rules import Rule
from ..base import OperationNode, name_or_fail, tag_name


def summary(node: OperationNode) -> None:
    if node.src.get("summary"):
        node.out["summary"] = node.src["summary"]


def tags(node: OperationNode) -> None:
    node.out["tags"] = [
        name_or_fail(tag_name, t, f"{node.ptr}/tags/{i}")
        for i, t in enumerate(node.src.get("tags", []))
    ] or ["Default"]


SUMMARY: Rule[OperationNode] = Rule("summary", summary, "the summary, when there is one")
OPERATION_TAGS: Rule[OperationNode] = Rule(
    "operation-tags", tags, "tags as identifiers ('&' spelt And); none: Default"
)
