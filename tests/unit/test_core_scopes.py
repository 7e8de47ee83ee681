"""required_scopes and minimal_scopes."""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Iterator

import pytest
from _core_support import make_op
from hypothesis import given, settings
from hypothesis import strategies as st

from instantly_async import UnknownOperationError, minimal_scopes, required_scopes
from instantly_async._operation import Operation
from instantly_async._scopes import _minimal_scopes, _required_scopes, scope_rank


def scopes_for(resource: str, action: str) -> tuple[str, ...]:
    return (f"{resource}:{action}", f"{resource}:all", f"all:{action}", "all:all")


def table(*ops: Operation) -> dict[str, Operation]:
    return {op.operation_id: op for op in ops}


TABLE = table(
    make_op("listLeads", scopes=scopes_for("leads", "read")),
    make_op("getLead", "GET", "/api/v2/leads/{id}", scopes=scopes_for("leads", "read")),
    make_op("createLead", "POST", "/api/v2/leads", scopes=scopes_for("leads", "create")),
    make_op("deleteLead", "DELETE", "/api/v2/leads/{id}", scopes=scopes_for("leads", "delete")),
    make_op("listCampaigns", "GET", "/api/v2/campaigns", scopes=scopes_for("campaigns", "read")),
    make_op("getWorkspace", "GET", "/api/v2/workspaces/current", scopes=("all:read", "all:all")),
    make_op("rotateKeys", "POST", "/api/v2/api-keys/rotate", scopes=("all:all",)),
    make_op(
        "listLeadLabels", "GET", "/api/v2/lead-labels", scopes=scopes_for("lead-labels", "read")
    ),
    make_op("healthCheck", "GET", "/api/v2/health", scopes=()),
)


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["listLeads"], ("leads:read",)),
        (["listLeads", "getLead"], ("leads:read",)),
        (["listLeads", "listCampaigns"], ("campaigns:read", "leads:read")),
        (["listLeads", "createLead"], ("leads:create", "leads:read")),
        (["createLead", "deleteLead"], ("leads:create", "leads:delete")),
        (["getWorkspace"], ("all:read",)),
        (["getWorkspace", "listLeads", "listCampaigns"], ("all:read",)),
        (["getWorkspace", "createLead"], ("all:read", "leads:create")),
        (["rotateKeys", "listLeads", "createLead"], ("all:all",)),
        (["healthCheck"], ()),
        (["healthCheck", "listLeadLabels"], ("lead-labels:read",)),
        ([], ()),
    ],
)
def test_minimal_scopes(ids: list[str], expected: tuple[str, ...]) -> None:
    assert _minimal_scopes(TABLE, ids) == expected
    assert _minimal_scopes(TABLE, reversed(ids)) == expected
    assert _minimal_scopes(TABLE, iter(ids * 2)) == expected


def test_minimal_scopes_prefers_fewer_scopes_of_the_same_rank() -> None:
    ops = table(
        make_op("one", scopes=("a:read", "b:read")),
        make_op("two", scopes=("b:read", "c:read")),
        make_op("three", scopes=("z:read", "y:read")),
    )
    assert _minimal_scopes(ops, ["one", "two"]) == ("b:read",)
    assert _minimal_scopes(ops, ["three"]) == ("y:read",)  # alphabetical among equals


def test_minimal_scopes_prefers_resource_scopes_over_all() -> None:
    ops = table(*(make_op(f"list{i}", scopes=scopes_for(f"r{i}", "read")) for i in range(12)))
    assert _minimal_scopes(ops, ops) == tuple(sorted(f"r{i}:read" for i in range(12)))


def test_minimal_scopes_rejects_a_single_string() -> None:
    with pytest.raises(TypeError, match="collection"):
        _minimal_scopes(TABLE, "listLeads")


def test_scope_ranks() -> None:
    ranked = ["leads:read", "leads:create", "leads:all", "all:read", "all:update", "all:all"]
    assert [scope_rank(s) for s in ranked] == [0, 1, 2, 3, 4, 5]


def test_required_scopes_and_unknown_ids() -> None:
    assert _required_scopes(TABLE, "listLeads") == scopes_for("leads", "read")
    assert _required_scopes(TABLE, "healthCheck") == ()
    with pytest.raises(UnknownOperationError) as caught:
        _required_scopes(TABLE, "listLead")
    assert isinstance(caught.value, KeyError)
    assert (
        str(caught.value)
        == "unknown operation id 'listLead'; did you mean listLeads, listLeadLabels?"
    )
    with pytest.raises(KeyError, match="did you mean getLead"):
        _required_scopes(TABLE, "GETLEAD")
    with pytest.raises(KeyError, match=r"^unknown operation id 'zzz'$"):
        _minimal_scopes(TABLE, ["listLeads", "zzz"])


@pytest.fixture
def generated_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    module = types.ModuleType("instantly_async._generated.operations")
    module.OPERATIONS = TABLE  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "instantly_async._generated.operations", module)
    yield


@pytest.mark.usefixtures("generated_table")
def test_public_functions_read_the_generated_table() -> None:
    assert required_scopes("getLead") == scopes_for("leads", "read")
    assert minimal_scopes(["listLeads", "createLead"]) == ("leads:create", "leads:read")
    with pytest.raises(UnknownOperationError):
        required_scopes("nope")


UNIVERSE = ["a:read", "a:update", "a:all", "b:read", "b:all", "all:read", "all:update", "all:all"]


def brute_force(needs: list[frozenset[str]]) -> tuple[str, ...]:
    """The documented order, by trying every subset of every scope mentioned."""
    needs = [need for need in needs if need]
    candidates = sorted(set().union(*needs)) if needs else []
    best: tuple[tuple[int, ...], tuple[str, ...]] | None = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            if all(need & set(subset) for need in needs):
                key = (tuple(sorted(map(scope_rank, subset), reverse=True)), tuple(sorted(subset)))
                best = key if best is None or key < best else best
    return best[1] if best else ()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.frozensets(st.sampled_from(UNIVERSE), max_size=4), max_size=7))
def test_minimal_scopes_is_exact(needs: list[frozenset[str]]) -> None:
    ops = table(*(make_op(f"op{i}", scopes=tuple(sorted(n))) for i, n in enumerate(needs)))
    assert _minimal_scopes(ops, ops) == brute_force(needs)
