"""Named rules run in an explicit order over a shared state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")


@dataclass(frozen=True)
class Rule(Generic[S]):
    """One named step of a pipeline: ``apply(state)`` changes ``state`` in place."""

    name: str
    apply: Callable[[S], None]
    doc: str = ""


def run(rules: Iterable[Rule[S]], state: S) -> S:
    """Apply ``rules`` to ``state`` in order; returns ``state``."""
    for rule in rules:
        rule.apply(state)
    return state


def names(rules: Iterable[Rule[S]]) -> list[str]:
    """The rule names, in order."""
    return [rule.name for rule in rules]
