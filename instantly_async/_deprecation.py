"""Deprecated facade names: they keep working, and warn with the name to use."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def deprecated(function: Callable[P, R], old: str, new: str) -> Callable[P, R]:
    """``function`` under its former name ``old``: typed as ``function``; each call warns
    (``DeprecationWarning``) ``"<old> is deprecated: use <new>"``."""
    message = f"{old} is deprecated: use {new}"

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return function(*args, **kwargs)

    return call
