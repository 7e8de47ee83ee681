"""Client-side rate governor: sliding windows shared by every task using a client.

Every attempt (retries included) takes one slot in each window that applies: the
workspace-wide windows of the client, then the windows of the operation itself.
Waiting tasks are served first come, first served, and sleep instead of polling.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio

from ._operation import Operation, RateLimit

__all__ = ["DEFAULT_RATE_LIMITS", "RateGovernor", "RateLimitConfig"]

DEFAULT_RATE_LIMITS: tuple[RateLimit, ...] = (RateLimit(100, 1.0), RateLimit(6000, 60.0))
"""Instantly's workspace-wide limits: 100 requests per second and 6,000 per minute."""


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """How the client paces its requests.

    ``limits`` apply to all requests of the client (Instantly counts them per workspace);
    with ``per_operation`` the limits that the API documents for single operations apply too.
    """

    limits: tuple[RateLimit, ...] = DEFAULT_RATE_LIMITS
    per_operation: bool = True

    def __post_init__(self) -> None:
        limits = tuple(self.limits)
        for limit in limits:
            if not isinstance(limit, RateLimit):
                raise TypeError(f"RateLimitConfig.limits must hold RateLimit, got {limit!r}")
        object.__setattr__(self, "limits", limits)


class _Window:
    """At most ``limit.requests`` slots granted in any ``limit.seconds`` window."""

    __slots__ = ("_granted", "limit")

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._granted: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until a slot is free (0 when one is free now)."""
        granted = self._granted
        while granted and granted[0] + self.limit.seconds <= now:
            granted.popleft()
        if len(granted) < self.limit.requests:
            return 0.0
        return granted[0] + self.limit.seconds - now

    def take(self, now: float) -> None:
        self._granted.append(now)


@dataclass(slots=True)
class _Lane:
    """Windows that are waited for together, one task at a time (FIFO)."""

    windows: tuple[_Window, ...]
    # fast_acquire: an uncontended acquire does not yield to the scheduler (waiters stay FIFO)
    lock: anyio.Lock = field(default_factory=lambda: anyio.Lock(fast_acquire=True))


class RateGovernor:
    """Paces requests to stay within the configured windows."""

    def __init__(
        self,
        config: RateLimitConfig,
        *,
        clock: Callable[[], float] = anyio.current_time,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.config = config
        self._clock = clock
        self._sleep = sleep
        self._workspace = _Lane(tuple(_Window(limit) for limit in config.limits))
        self._operations: dict[str, _Lane | None] = {}

    def _operation_lane(self, op: Operation) -> _Lane | None:
        try:
            return self._operations[op.operation_id]
        except KeyError:
            lane = _Lane(tuple(_Window(x) for x in op.rate_limits)) if op.rate_limits else None
            self._operations[op.operation_id] = lane
            return lane

    async def acquire(self, op: Operation) -> None:
        """Wait until ``op`` may send one request, and count it."""
        lanes = [self._workspace] if self._workspace.windows else []
        if self.config.per_operation:
            lane = self._operation_lane(op)
            if lane is not None:
                lanes.insert(0, lane)
        if lanes:
            await self._acquire(lanes)

    async def _acquire(self, lanes: list[_Lane]) -> None:
        # Lanes are locked in a fixed order (operation, then workspace). While a lane's lock
        # is held nobody else takes its slots, so a lane found free stays free until we take it.
        lane = lanes[0]
        async with lane.lock:
            await self._wait(lane.windows)
            if len(lanes) > 1:
                await self._acquire(lanes[1:])
            now = self._clock()
            for window in lane.windows:
                window.take(now)

    async def _wait(self, windows: tuple[_Window, ...]) -> None:
        while True:
            now = self._clock()
            delay = max((window.wait(now) for window in windows), default=0.0)
            if delay <= 0:
                return
            await self._sleep(delay)
