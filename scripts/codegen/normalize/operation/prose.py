"""Scopes and rate limits, which upstream states only in an operation's description.

* ``x-required-scopes``: the scopes that each allow the call (any one is enough);
* ``x-required-scope-groups``: when one scope of *each* group is needed;
* ``x-rate-limits``: ``[{requests, seconds}]`` (``per: ip|workspace`` when stated).

Prose about scopes in a form these patterns do not know stops the normalizer.
"""

from __future__ import annotations

import re
from typing import Any

from ...rules import Rule
from ..base import NormalizeError, OperationNode

_SCOPE_LIST = r"(?:`[^`]+`[\s,]*(?:or\s+)?)+"
SCOPES_RE = re.compile(rf"Requires one of the following scopes:\s*({_SCOPE_LIST})")
# "Requires all of the following scope groups:\n- One of `a:x`, `a:all`\n- One of `b:x`, ..."
SCOPE_GROUPS_RE = re.compile(
    rf"Requires all of the following scope groups:\s*((?:\s*[-*][ \t]*One of[ \t]+{_SCOPE_LIST})+)"
)
# Prose that talks about required scopes in a form the two patterns above do not cover.
SCOPE_PROSE_RE = re.compile(r"\brequire[sd]?\b[^\n]*\bscope", re.IGNORECASE)
RATE_RE = re.compile(
    r"(\d[\d,]*)\s+requests?\s+per\s+(?:(\d+)\s+)?(second|minute|hour|day)s?"
    r"(?:\s+per\s+(workspace|IP))?",
    re.IGNORECASE,
)
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_scope_groups(prose: str) -> list[list[str]]:
    """The scope groups an operation needs: one scope of every group (``[]``: none stated).

    "Requires one of the following scopes: `a`, `b`" is one group; "Requires all of the
    following scope groups:" lists several, one per "- One of `a`, `b`" line.

    Upstream sometimes states one group twice, first shortened (`email_verifications:create`,
    then the usual four scopes): the longest statement stands for the others when it lists all
    their scopes. Statements that contradict each other raise ValueError.
    """
    lists = [re.findall(r"`([^`]+)`", m.group(1)) for m in SCOPES_RE.finditer(prose)]
    if lists:
        longest = max(lists, key=len)
        if any(not set(other) <= set(longest) for other in lists):
            raise ValueError(f"scope statements that disagree: {lists}")
        if SCOPE_GROUPS_RE.search(prose):
            raise ValueError("both 'one of the following scopes' and 'scope groups'")
        return [longest]
    m = SCOPE_GROUPS_RE.search(prose)
    if m:
        lines = re.split(r"\s*[-*][ \t]*One of[ \t]+", m.group(1))
        return [re.findall(r"`([^`]+)`", line) for line in lines if line.strip()]
    return []


def scopes_alone(groups: list[list[str]]) -> list[str]:
    """The scopes that each allow the call on their own (in every group), in upstream order."""
    if not groups:
        return []
    return [s for s in groups[0] if all(s in g for g in groups[1:])]


def parse_rate_limits(prose: str) -> list[dict[str, Any]]:
    """Every distinct "N requests per [M] unit [per workspace|IP]" of ``prose``, in order."""
    limits: list[dict[str, Any]] = []
    for m in RATE_RE.finditer(prose):
        requests = int(m.group(1).replace(",", ""))
        seconds = int(m.group(2) or 1) * UNIT_SECONDS[m.group(3).lower()]
        limit: dict[str, Any] = {"requests": requests, "seconds": seconds}
        if m.group(4):
            limit["per"] = "ip" if m.group(4).lower() == "ip" else "workspace"
        if limit not in limits:
            limits.append(limit)
    return limits


def scopes(node: OperationNode) -> None:
    prose, ptr = node.prose, node.ptr
    try:
        groups = parse_scope_groups(prose)
    except ValueError as exc:
        raise NormalizeError(ptr + "/description", str(exc)) from None
    if not groups and SCOPE_PROSE_RE.search(prose):
        raise NormalizeError(
            ptr + "/description",
            "required scopes stated in a form the normalizer does not know",
        )
    alone = scopes_alone(groups)
    if alone:
        node.out["x-required-scopes"] = alone
    if len(groups) > 1:
        node.out["x-required-scope-groups"] = groups


def rate_limits(node: OperationNode) -> None:
    limits = parse_rate_limits(node.prose)
    if limits:
        node.out["x-rate-limits"] = limits


SCOPES: Rule[OperationNode] = Rule(
    "scopes",
    scopes,
    "x-required-scopes and x-required-scope-groups from the description; scope prose in "
    "another form refused",
)
RATE_LIMITS: Rule[OperationNode] = Rule(
    "rate-limits", rate_limits, "x-rate-limits from the description"
)
