"""Operation metadata shared by the generated tables and the handwritten facade.

The generated module ``instantly_async._generated.operations`` builds one :class:`Operation`
per API operation from ``openapi.yaml``; the client reads it for routing errors, scopes,
rate limits and pagination. Nothing here imports generated code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["Operation", "Pagination", "RateLimit", "RetryClass"]

RetryClass = Literal["safe", "idempotent", "unsafe"]
"""When a failed call may be sent again (``x-retry`` of openapi.yaml):

* ``safe``: a read; retried after 5xx, timeouts and dropped connections;
* ``idempotent``: a repeat changes nothing more (update or delete of one resource named by
  its id); retried like a read;
* ``unsafe``: creates, sends, bulk and filter-driven changes; re-sent only when the request
  provably never left (connection refused, connect or pool timeout) or on 429.
"""

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``requests`` requests in any window of ``seconds`` seconds."""

    requests: int
    seconds: float

    def __post_init__(self) -> None:
        requests: object = self.requests
        seconds: object = self.seconds
        if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
            raise ValueError(f"RateLimit.requests must be an int of at least 1, got {requests!r}")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(f"RateLimit.seconds must be a number, got {seconds!r}")
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"RateLimit.seconds must be positive and finite, got {seconds!r}")


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a cursor-paginated list operation pages through its results."""

    cursor_param: str
    """Request parameter that carries the cursor (e.g. ``starting_after``)."""
    cursor_in: Literal["query", "body"]
    """Whether the cursor goes into the query string or the JSON body."""
    items_field: str
    """Response field that holds the page's items (e.g. ``items``)."""
    next_cursor_field: str
    """Response field that holds the next cursor (e.g. ``next_starting_after``)."""
    limit_param: str | None
    """Request parameter for the page size, if the operation has one."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One API operation: where it lives and what it needs."""

    operation_id: str
    method: str
    """HTTP method, upper case."""
    path: str
    """Path template, e.g. ``/api/v2/leads/{id}``."""
    tag: str
    required_scopes: tuple[str, ...]
    """Scopes that each allow the call (any one is enough); empty when unknown."""
    rate_limits: tuple[RateLimit, ...]
    """Limits specific to this operation; every entry applies."""
    pagination: Pagination | None
    required_scope_groups: tuple[tuple[str, ...], ...] = ()
    """When set, the key needs one scope from *each* group (``required_scopes`` then lists
    the scopes that are enough on their own)."""
    retry: RetryClass | None = None
    """The retry class; None (hand-made operations) means ``safe`` for GET, HEAD and OPTIONS
    and ``unsafe`` for every other method."""

    @property
    def retry_class(self) -> RetryClass:
        """:attr:`retry`, or the class its HTTP method implies when it is not set."""
        if self.retry is not None:
            return self.retry
        return "safe" if self.method.upper() in _READ_METHODS else "unsafe"

    @property
    def scope_requirements(self) -> tuple[tuple[str, ...], ...]:
        """What a key must satisfy: one scope from each of these groups (none when unknown)."""
        if self.required_scope_groups:
            return self.required_scope_groups
        return (self.required_scopes,) if self.required_scopes else ()

    def describe_scopes(self) -> str:
        """``one of the scopes: a, b`` or, for scope groups, ``one scope from each of ...``."""
        groups = self.scope_requirements
        if len(groups) == 1:
            return "one of the scopes: " + ", ".join(groups[0])
        listed = "; ".join("(" + ", ".join(g) + ")" for g in groups)
        return f"one scope from each of: {listed} (or one of: {', '.join(self.required_scopes)})"

    def describe(self) -> str:
        """``listLeads (POST /api/v2/leads/list)``: how messages name the operation."""
        return f"{self.operation_id} ({self.method} {self.path})"
