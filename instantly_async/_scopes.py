"""Which API key scopes an operation needs, and the least privileged scopes for a set of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._exceptions import UnknownOperationError
from ._operation import Operation

__all__ = ["minimal_scopes", "required_scopes"]


def _operations() -> Mapping[str, Operation]:
    from ._generated.operations import OPERATIONS  # on first use: 240 Operation objects

    return OPERATIONS


def required_scopes(operation_id: str) -> tuple[str, ...]:
    """Scopes that each allow calling ``operation_id`` (any one is enough).

    Empty when the API documents none. Raises :class:`UnknownOperationError` (a ``KeyError``)
    for an unknown id, suggesting close matches.
    """
    return _required_scopes(_operations(), operation_id)


def minimal_scopes(operation_ids: Iterable[str]) -> tuple[str, ...]:
    """The least privileged scopes for an API key that can call every operation given.

    Every operation accepts any one of its scopes, so the answer is the least privileged set
    that includes one scope of each operation. Scopes are ranked from least to most privileged:

    1. ``<resource>:read``
    2. ``<resource>:<other action>`` (e.g. ``campaigns:update``)
    3. ``<resource>:all``
    4. ``all:read``, then ``all:<other action>``, then ``all:all``

    Sets are compared by their most privileged scope first, then by how many scopes they hold of
    that rank, then the next rank down, and so on; so a set of resource-specific scopes beats
    one ``all:*`` scope, and among equally privileged sets the smaller one wins. Remaining ties
    go to the alphabetically first set. The result is exact, deterministic and sorted
    alphabetically. Operations that document no scopes add nothing.
    """
    return _minimal_scopes(_operations(), operation_ids)


def _lookup(table: Mapping[str, Operation], operation_id: str) -> Operation:
    try:
        return table[operation_id]
    except KeyError:
        pass
    import difflib  # only needed for this message

    message = f"unknown operation id {operation_id!r}"
    folded = {key.casefold(): key for key in table}
    close = [folded[operation_id.casefold()]] if operation_id.casefold() in folded else []
    close += [
        m for m in difflib.get_close_matches(operation_id, table, n=3, cutoff=0.7) if m not in close
    ]
    if close:
        message += f"; did you mean {', '.join(close)}?"
    raise UnknownOperationError(message) from None


def _required_scopes(table: Mapping[str, Operation], operation_id: str) -> tuple[str, ...]:
    return _lookup(table, operation_id).required_scopes


def scope_rank(scope: str) -> int:
    """Privilege rank of a scope: 0 (``x:read``) to 5 (``all:all``)."""
    resource, _, action = scope.partition(":")
    action_rank = 0 if action == "read" else 2 if action == "all" else 1
    return (3 if resource == "all" else 0) + action_rank


def _minimal_scopes(
    table: Mapping[str, Operation], operation_ids: Iterable[str]
) -> tuple[str, ...]:
    if isinstance(operation_ids, str):
        raise TypeError("minimal_scopes() takes a collection of operation ids, not one string")
    needs = {
        frozenset(group)
        for op_id in operation_ids
        for group in _lookup(table, op_id).scope_requirements
    }
    needs.discard(frozenset())
    # An operation whose scopes include all scopes of another one is covered with it.
    by_size = sorted(needs, key=lambda s: (len(s), sorted(s)))
    kept: list[frozenset[str]] = []
    for need in by_size:
        if not any(other <= need for other in kept):
            kept.append(need)
    return _search(kept)


_Key = tuple[tuple[int, ...], tuple[str, ...]]


def _search(needs: list[frozenset[str]]) -> tuple[str, ...]:
    """Exact branch and bound over the scopes of the most constrained uncovered operation."""
    best: list[_Key] = []

    def visit(chosen: tuple[str, ...], cost: tuple[int, ...], open_needs: list[set[str]]) -> None:
        if not open_needs:
            key = (cost, tuple(sorted(chosen)))
            if not best or key < best[0]:
                best[:] = [key]
            return
        # Adding a scope makes the cost strictly larger, so an equal cost cannot win anymore.
        if best and cost >= best[0][0]:
            return
        target = min(open_needs, key=lambda s: (len(s), sorted(s)))
        options = sorted(target, key=lambda s: (scope_rank(s), s))
        for index, scope in enumerate(options):
            # Scopes tried in earlier branches are off limits here: no set is visited twice.
            banned = options[:index]
            rest = [need.difference(banned) for need in open_needs if scope not in need]
            if any(not need for need in rest):
                continue
            new_cost = tuple(sorted((*cost, scope_rank(scope)), reverse=True))
            visit((*chosen, scope), new_cost, rest)

    visit((), (), [set(need) for need in needs])
    return best[0][1] if best else ()
