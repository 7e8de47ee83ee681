"""Deprecated facade names: they keep working, and warn with the name to use."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["deprecated", "marked"]

if TYPE_CHECKING:
    # PEP 702: type checkers and editors mark a use of a deprecated alias (the warning at run
    # time comes from the alias itself). typing_extensions is not a runtime dependency.
    from typing_extensions import deprecated as marked
else:

    def marked(message: str) -> Callable[[F], F]:
        """At run time: nothing (see TYPE_CHECKING above)."""

        def keep(function: F) -> F:
            return function

        return keep


def deprecated(function: Callable[P, R], old: str, new: str) -> Callable[P, R]:
    """``function`` under its former name ``old``: typed as ``function``; each call warns
    (``DeprecationWarning``) ``"<old> is deprecated: use <new>"``."""
    message = f"{old} is deprecated: use {new}"

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return function(*args, **kwargs)

    return call
