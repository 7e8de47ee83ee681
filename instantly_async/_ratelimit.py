"""Client-side rate governor: sliding windows shared by every task using a client.

Every attempt (retries included) takes one slot in each window that applies: the
workspace-wide windows of the client, then the windows of the operation itself.
Waiting tasks are served first come, first served, and sleep instead of polling.

The server counts a request when it *arrives*, somewhere between the moment the governor
grants it and the moment its response comes back. So a slot stays taken while its request is
in flight and for one full window after the response (or the failure) came back: whenever the
server saw it, it has left the server's window before the slot is granted again. A strict
sliding-window server therefore never sees more than the limit in any window; the price is
one round trip per window (about 1% for a 1 s window and a 10 ms round trip).

A ``429`` with ``Retry-After`` pauses every task of the governor for that long.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._operation import Operation, RateLimit
from ._retry import anyio_sleep, parse_retry_after

if TYPE_CHECKING:
    import anyio
    import httpx

__all__ = ["DEFAULT_RATE_LIMITS", "MAX_PAUSE", "Permit", "RateGovernor", "RateLimitConfig"]

DEFAULT_RATE_LIMITS: tuple[RateLimit, ...] = (RateLimit(100, 1.0), RateLimit(6000, 60.0))
"""Instantly's workspace-wide limits: 100 requests per second and 6,000 per minute."""

MAX_PAUSE = 60.0
"""Longest pause taken from a ``Retry-After`` header; longer ones are cut to this."""


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
    """At most ``requests`` slots taken in any window of ``seconds``.

    A slot is taken from its grant until ``seconds`` after its release: ``in_flight`` counts
    the slots not released yet, ``released`` holds release times (oldest first).
    """

    __slots__ = ("in_flight", "released", "requests", "seconds")

    def __init__(self, limit: RateLimit) -> None:
        self.requests = limit.requests
        self.seconds = float(limit.seconds)
        self.in_flight = 0
        self.released: deque[float] = deque()

    def wait(self, now: float) -> float | None:
        """Seconds until a slot is free (0 when one is free now); None when every slot is
        in flight (the first release tells when one will be free)."""
        released = self.released
        cutoff = now - self.seconds
        while released and released[0] <= cutoff:
            released.popleft()
        if self.in_flight + len(released) < self.requests:
            return 0.0
        if released:
            return released[0] - cutoff
        return None

    def free(self, now: float) -> bool:
        released = self.released
        cutoff = now - self.seconds
        while released and released[0] <= cutoff:
            released.popleft()
        return self.in_flight + len(released) < self.requests


@dataclass(slots=True)
class _Lane:
    """Windows that are waited for together, one task at a time (FIFO)."""

    windows: tuple[_Window, ...]
    # Made by the first task that has to wait (see _acquire): creating an anyio.Lock loads
    # anyio's event-loop backend, about 15 ms that a first call without waiting need not pay.
    lock: anyio.Lock | None = None
    # set (and dropped) by the next release, for a waiter that found every slot in flight
    released: anyio.Event | None = None


class Permit:
    """One granted request. :meth:`release` it when the response (or the failure) arrives."""

    __slots__ = ("_governor", "_lanes")

    def __init__(self, governor: RateGovernor, lanes: tuple[_Lane, ...]) -> None:
        self._governor = governor
        self._lanes: tuple[_Lane, ...] | None = lanes

    async def release(self, response: httpx.Response | None = None) -> None:
        """Start the slot's last window now. ``response``: the answer, if one came; a 429
        with ``Retry-After`` pauses every task of the governor. Releasing twice is harmless."""
        self.release_nowait(response)

    def release_nowait(self, response: httpx.Response | None = None) -> None:
        lanes = self._lanes
        if lanes is None:
            return
        self._lanes = None
        governor = self._governor
        now = governor._clock()
        for lane in lanes:
            for window in lane.windows:
                window.in_flight -= 1
                window.released.append(now)
            if lane.released is not None:
                lane.released.set()
                lane.released = None
        if response is not None and response.status_code == 429:
            governor.pause_for(parse_retry_after(response.headers), now)


class RateGovernor:
    """Paces requests to stay within the configured windows (in this process)."""

    def __init__(
        self,
        config: RateLimitConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio_sleep,
    ) -> None:
        self.config = config
        self._clock = clock
        self._sleep = sleep
        self._workspace = _Lane(tuple(_Window(limit) for limit in config.limits))
        self._plans: dict[str, tuple[_Lane, ...]] = {}
        self._paused_until = float("-inf")

    def _plan(self, op: Operation) -> tuple[_Lane, ...]:
        """The lanes ``op`` waits for, in locking order (operation, then workspace)."""
        try:
            return self._plans[op.operation_id]
        except KeyError:
            lanes: list[_Lane] = []
            if self.config.per_operation and op.rate_limits:
                lanes.append(_Lane(tuple(_Window(x) for x in op.rate_limits)))
            if self._workspace.windows:
                lanes.append(self._workspace)
            plan = self._plans[op.operation_id] = tuple(lanes)
            return plan

    def pause_for(self, seconds: float | None, now: float | None = None) -> None:
        """Hold back every request for ``seconds`` (cut to :data:`MAX_PAUSE`)."""
        if seconds is None or not seconds > 0:
            return
        start = self._clock() if now is None else now
        self._paused_until = max(self._paused_until, start + min(seconds, MAX_PAUSE))

    async def acquire(self, op: Operation) -> Permit:
        """Wait until ``op`` may send one request and take its slots; release the permit
        when the response arrives."""
        lanes = self._plan(op)
        # Fast path, without awaiting: nobody waits (a held lock means a waiter) and every
        # window has room. Nothing else runs between this check and taking the slots.
        now = self._clock()
        if now >= self._paused_until:
            for lane in lanes:
                if lane.lock is not None and lane.lock.locked():
                    break
            else:
                if all(window.free(now) for lane in lanes for window in lane.windows):
                    for lane in lanes:
                        for window in lane.windows:
                            window.in_flight += 1
                    return Permit(self, lanes)
        if lanes:
            await self._acquire(lanes)
        return Permit(self, lanes)

    async def _acquire(self, lanes: tuple[_Lane, ...]) -> None:
        # Lanes are locked in a fixed order (operation, then workspace). While a lane's lock
        # is held nobody else takes its slots, so a lane found free stays free until we take it.
        lane = lanes[0]
        if lane.lock is None:
            import anyio

            # fast_acquire: an uncontended acquire does not yield to the scheduler (waiters
            # stay FIFO)
            lane.lock = anyio.Lock(fast_acquire=True)
        async with lane.lock:
            await self._wait(lane)
            if len(lanes) > 1:
                # the last lane waited for checks the pause last
                await self._acquire(lanes[1:])
            for window in lane.windows:
                window.in_flight += 1

    async def _wait(self, lane: _Lane) -> None:
        while True:
            now = self._clock()
            delay = self._paused_until - now
            all_in_flight = False
            for window in lane.windows:
                wait = window.wait(now)
                if wait is None:
                    all_in_flight = True
                elif wait > delay:
                    delay = wait
            if delay > 0:
                await self._sleep(delay)
            elif all_in_flight:
                if lane.released is None:
                    import anyio

                    lane.released = anyio.Event()
                await lane.released.wait()
            else:
                return
