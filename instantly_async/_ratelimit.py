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

from ._exceptions import InstantlyError
from ._operation import Operation, RateLimit
from ._retry import anyio_sleep, parse_retry_after

if TYPE_CHECKING:
    import anyio
    import httpx

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "MAX_PAUSE",
    "Permit",
    "RateGovernor",
    "RateLimitConfig",
    "SharedRateLimitError",
]

DEFAULT_RATE_LIMITS: tuple[RateLimit, ...] = (RateLimit(100, 1.0), RateLimit(6000, 60.0))
"""Instantly's workspace-wide limits: 100 requests per second and 6,000 per minute."""

MAX_PAUSE = 60.0
"""Longest pause taken from a ``Retry-After`` header; longer ones are cut to this."""


class SharedRateLimitError(InstantlyError):
    """A shared rate governor (``RedisRateLimit``) cannot pace requests: Redis is unreachable
    with ``on_redis_error="raise"``, or the governor is used outside ``async with``."""


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


def _event() -> anyio.Event:
    import anyio  # imported when a task first has to wait: a plain call does not need it

    return anyio.Event()


class _Waiter:
    """A task queued for slots in ``plan``."""

    __slots__ = ("granted", "plan", "wake")

    def __init__(self, plan: tuple[_Window, ...]) -> None:
        self.plan = plan
        self.granted = False
        self.wake = _event()


class Permit:
    """One granted request. :meth:`release` it when the response (or the failure) arrives."""

    __slots__ = ("_governor", "_plan")

    def __init__(self, governor: RateGovernor, plan: tuple[_Window, ...]) -> None:
        self._governor = governor
        self._plan: tuple[_Window, ...] | None = plan

    async def release(self, response: httpx.Response | None = None) -> None:
        """Start the slot's last window now. ``response``: the answer, if one came; a 429
        with ``Retry-After`` pauses every task of the governor. Releasing twice is harmless."""
        self.release_nowait(response)

    def release_nowait(self, response: httpx.Response | None = None) -> None:
        plan = self._plan
        if plan is None:
            return
        self._plan = None
        governor = self._governor
        now = governor._clock()
        for window in plan:
            window.in_flight -= 1
            window.released.append(now)
        if response is not None and response.status_code == 429:
            governor.pause_for(parse_retry_after(response.headers), now)
        if governor._waiters:
            # the first waiter keeps time; a release may tell it when the next slot frees
            governor._waiters[0].wake.set()


class RateGovernor:
    """Paces requests to stay within the configured windows (in this process).

    Waiting tasks form one first-come-first-served queue; a task is skipped only when a
    window that it needs (and an earlier task is waiting for) is full, so an operation with
    exhausted limits of its own does not hold back the others. The first task of the queue
    keeps time and grants every queued task that fits, all at once.
    """

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
        self._workspace = tuple(_Window(limit) for limit in config.limits)
        self._plans: dict[str, tuple[_Window, ...]] = {}
        self._paused_until = float("-inf")
        self._waiters: deque[_Waiter] = deque()

    def _plan(self, op: Operation) -> tuple[_Window, ...]:
        """The windows ``op`` takes a slot in: its own, then the workspace's."""
        try:
            return self._plans[op.operation_id]
        except KeyError:
            own: tuple[_Window, ...] = ()
            if self.config.per_operation and op.rate_limits:
                own = tuple(_Window(x) for x in op.rate_limits)
            plan = self._plans[op.operation_id] = own + self._workspace
            return plan

    def pause_for(self, seconds: float | None, now: float | None = None) -> None:
        """Hold back every request for ``seconds`` (cut to :data:`MAX_PAUSE`)."""
        if seconds is None or not seconds > 0:
            return
        start = self._clock() if now is None else now
        self._paused_until = max(self._paused_until, start + min(seconds, MAX_PAUSE))

    def try_acquire(self, op: Operation) -> Permit | None:
        """The permit of :meth:`acquire` when it is free right now (nobody waits and every
        window has room), else None; never waits (and needs no coroutine)."""
        plan = self._plan(op)
        now = self._clock()
        if not self._waiters and now >= self._paused_until:
            for window in plan:
                if not window.free(now):
                    return None
            for window in plan:
                window.in_flight += 1
            return Permit(self, plan)
        return None

    async def acquire(self, op: Operation) -> Permit:
        """Wait until ``op`` may send one request and take its slots; release the permit
        when the response arrives."""
        # Fast path, without awaiting: nobody waits and every window has room. Nothing else
        # runs between this check and taking the slots.
        permit = self.try_acquire(op)
        if permit is not None:
            return permit
        plan = self._plan(op)
        now = self._clock()
        waiter = _Waiter(plan)
        self._waiters.append(waiter)
        try:
            delay = self._grant(now)
            while not waiter.granted:
                if self._waiters[0] is waiter and delay is not None:
                    await self._sleep(delay)  # the timekeeper
                else:
                    await waiter.wake.wait()
                    waiter.wake = _event()
                if not waiter.granted:
                    delay = self._grant(self._clock())
        except BaseException:
            self._leave(waiter)
            raise
        return Permit(self, plan)

    def _grant(self, now: float) -> float | None:
        """Grant every queued task that fits, in order; seconds until a slot may free (None:
        not before a release)."""
        waiters = self._waiters
        if not waiters:
            return None
        if now < self._paused_until:
            return self._paused_until - now
        head = waiters[0]
        blocked: set[_Window] = set()
        delay: float | None = None
        kept: deque[_Waiter] = deque()
        for waiter in waiters:
            fits = True
            for window in waiter.plan:
                if window in blocked:
                    fits = False
                    continue
                wait = window.wait(now)
                if wait is None or wait > 0:
                    fits = False
                    blocked.add(window)
                    if wait is not None and (delay is None or wait < delay):
                        delay = wait
            if fits:
                for window in waiter.plan:
                    window.in_flight += 1
                waiter.granted = True
                waiter.wake.set()
            else:
                kept.append(waiter)
        self._waiters = kept
        if kept and kept[0] is not head:
            kept[0].wake.set()  # a new timekeeper
        return delay

    def _leave(self, waiter: _Waiter) -> None:
        """A waiting task was cancelled: hand back what it was granted, or leave the queue."""
        if waiter.granted:
            for window in waiter.plan:
                window.in_flight -= 1  # never sent: the slot is free again at once
            self._grant(self._clock())
            return
        waiters = self._waiters
        was_head = bool(waiters) and waiters[0] is waiter
        try:
            waiters.remove(waiter)
        except ValueError:
            return
        if was_head and waiters:
            waiters[0].wake.set()
