"""Operation rules ``summary`` and ``operation-tags`` (codegen/normalize/operation/tags.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.tags import OPERATION_TAGS, SUMMARY


@pytest.mark.parametrize(
    ("src", "expected"),
    [({"summary": "List things"}, {"summary": "List things"}), ({"summary": ""}, {}), ({}, {})],
)
def test_summary(src: dict[str, Any], expected: dict[str, Any]) -> None:
    assert operation_rule(SUMMARY, src) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["Lead"], ["Lead"]),
        (["Inbox & Placement", "Lead List "], ["InboxAndPlacement", "LeadList"]),
        ([], ["Default"]),
        (None, ["Default"]),
    ],
)
def test_tags_become_identifiers(tags: Any, expected: list[str]) -> None:
    src = {} if tags is None else {"tags": tags}
    assert operation_rule(OPERATION_TAGS, src) == {"tags": expected}


@pytest.mark.parametrize("tag", [3, "1 st", "-", None])
def test_a_tag_that_gives_no_name_fails_naming_the_pointer(tag: Any) -> None:
    with pytest.raises(NormalizeError, match="does not give a valid name") as err:
        operation_rule(OPERATION_TAGS, {"tags": ["Lead", tag]})
    assert err.value.pointer == f"{OP_PTR}/tags/1"
