"""Operation rules ``scopes`` and ``rate-limits`` (codegen/normalize/operation/prose.py)."""

from __future__ import annotations

from typing import Any

import pytest
from _normalize_support import OP_PTR, operation_rule
from codegen.normalize import NormalizeError
from codegen.normalize.operation.prose import RATE_LIMITS, SCOPES, scopes_alone


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("", {}),
        ("No scope talk here.", {}),
        (
            "Requires one of the following scopes: `leads:read`, `leads:all`",
            {"x-required-scopes": ["leads:read", "leads:all"]},
        ),
        (
            "Requires all of the following scope groups:\n"
            "- One of `a:update`, `all:all`\n- One of `b:update`, `all:all`",
            {
                "x-required-scopes": ["all:all"],
                "x-required-scope-groups": [["a:update", "all:all"], ["b:update", "all:all"]],
            },
        ),
        (  # said twice, once shortened: the longest stands
            "Requires one of the following scopes: `x:create`\n\n"
            "Requires one of the following scopes: `x:create`, `x:all`",
            {"x-required-scopes": ["x:create", "x:all"]},
        ),
    ],
)
def test_scopes(prose: str, expected: dict[str, Any]) -> None:
    assert operation_rule(SCOPES, {"description": prose}) == expected


@pytest.mark.parametrize(
    ("prose", "message"),
    [
        ("This endpoint requires the leads scope.", "in a form the normalizer does not know"),
        (
            "Requires one of the following scopes: `a:x`\n"
            "Requires one of the following scopes: `b:x`",
            "scope statements that disagree",
        ),
        (
            "Requires one of the following scopes: `a:x`\n"
            "Requires all of the following scope groups:\n- One of `b:x`",
            "both 'one of the following scopes' and 'scope groups'",
        ),
    ],
)
def test_scope_prose_it_cannot_read_fails_naming_the_pointer(prose: str, message: str) -> None:
    with pytest.raises(NormalizeError, match=message) as err:
        operation_rule(SCOPES, {"description": prose})
    assert err.value.pointer == f"{OP_PTR}/description"


def test_scopes_alone_are_in_every_group() -> None:
    assert scopes_alone([]) == []
    assert scopes_alone([["a", "all"], ["b", "all"]]) == ["all"]


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("", {}),
        (
            "Limited to 20 requests per minute.",
            {"x-rate-limits": [{"requests": 20, "seconds": 60}]},
        ),
        (
            "1,000 requests per 10 seconds per IP; 20 requests per minute; 20 requests per minute",
            {
                "x-rate-limits": [
                    {"requests": 1000, "seconds": 10, "per": "ip"},
                    {"requests": 20, "seconds": 60},
                ]
            },
        ),
        (
            "5 requests per day per workspace",
            {"x-rate-limits": [{"requests": 5, "seconds": 86400, "per": "workspace"}]},
        ),
    ],
)
def test_rate_limits(prose: str, expected: dict[str, Any]) -> None:
    assert operation_rule(RATE_LIMITS, {"description": prose}) == expected
