"""check_path's one-regex fast path accepts exactly what the full check accepts."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instantly_async import _paths
from instantly_async._generated.operations import OPERATIONS

WITH_PARAMS = sorted(oid for oid, op in OPERATIONS.items() if "{" in op.path)


def _verdict(oid: str, path: str) -> str | None:
    op = OPERATIONS[oid]
    try:
        _paths.check_path(oid, op.method, op.path, path)
    except ValueError as exc:
        return str(exc)
    return None


def _fill(template: str, value: str) -> str:
    return "/".join(value if s.startswith("{") else s for s in template.split("/"))


def _full_check(oid: str, path: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    with monkeypatch.context() as patched:
        patched.setattr(_paths, "_plain", lambda method, template: None)
        return _verdict(oid, path)


SEGMENTS = st.one_of(
    st.sampled_from(["", ".", "..", "...", "x", "Sales", "ACTIVITIES", "analytics", "a.b"]),
    st.text(alphabet="abcAZ09-._~%2eF/;\\ ", max_size=8),
    st.text(max_size=6).map(lambda t: quote(t, safe="")),
)


@settings(max_examples=300, deadline=None)
@given(oid=st.sampled_from(WITH_PARAMS), segment=SEGMENTS)
def test_fast_path_agrees_with_the_full_check(oid: str, segment: str) -> None:
    path = _fill(OPERATIONS[oid].path, segment)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _verdict(oid, path) == _full_check(oid, path, monkeypatch)


def test_reserved_words_take_the_full_check() -> None:
    # /api/v2/ai-agents/{id}/... with id="sales" would spell another operation's path
    oid = next(
        oid
        for oid, op in OPERATIONS.items()
        if op.method == "POST"
        and op.path == "/api/v2/ai-agents/{id}/activity/{activity_id}/approve"
    )
    problem = _verdict(oid, "/api/v2/ai-agents/SALES/activity/x/approve")
    assert problem is not None and "another POST operation" in problem
    assert _verdict(oid, "/api/v2/ai-agents/salesx/activity/x/approve") is None


@settings(max_examples=300, deadline=None)
@given(value=SEGMENTS)
def test_check_value_fast_path_agrees(value: str) -> None:
    try:
        _paths.check_value("lead.get", "id", value)
        fast = None
    except ValueError as exc:
        fast = str(exc)
    problem = _paths.segment_problem(value)
    assert (fast is None) == (problem is None), (value, fast, problem)
