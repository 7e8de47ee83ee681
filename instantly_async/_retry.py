"""When to retry a request, and how long to wait first.

:meth:`RetryPolicy.decide` is the one decision the client's request loop asks after every
attempt: given the operation (its retry class), the outcome (a response or an exception)
and the number of retries done, send again after how many seconds, or stop.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import httpx

from ._operation import Operation, RetryClass

__all__ = ["RetryPolicy", "never_left", "parse_retry_after", "scrubbed"]

# Raised before any byte of the request was sent.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Transient failures after the request may have reached the server (a body cut short, or
# corrupted on the way, is one too).
_TRANSIENT: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
    httpx.DecodingError,
)
# Failures that stop a request before the server can act on it.
_NEVER_LEFT: tuple[type[Exception], ...] = (
    *_NOT_SENT,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


def never_left(error: BaseException) -> bool:
    """True when ``error`` proves the server cannot have acted on the request: it was never
    sent (connection refused, connect or pool timeout), or could not even be built."""
    return isinstance(error, _NEVER_LEFT) or not isinstance(error, httpx.HTTPError)


def scrubbed(error: BaseException) -> BaseException:
    """``error`` with the local variables of its finished frames (and those of its causes
    and contexts) cleared, so that no traceback printed with locals shows a request's
    headers; returns it."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        todo += [current.__cause__, current.__context__]
    return error


def parse_retry_after(
    headers: Mapping[str, str], now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), else None."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000" or no zone: HTTP dates are in UTC
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - now()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


async def anyio_sleep(seconds: float) -> None:
    """``anyio.sleep``, imported on first use: a call that never waits does not load anyio."""
    import anyio

    await anyio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry rules: statuses and errors worth retrying, capped exponential backoff with jitter."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    """Longest ``Retry-After`` honoured; longer waits are cut to this."""
    random: Callable[[], float] = random.random
    sleep: Callable[[float], Awaitable[None]] = anyio_sleep
    now: Callable[[], float] = time.time
    """Wall clock, to read ``Retry-After`` HTTP dates."""

    def decide(
        self, op: Operation, outcome: httpx.Response | BaseException, retries_done: int
    ) -> float | None:
        """Seconds to wait before sending ``op`` again after ``outcome``, or None to stop.

        None once ``max_retries`` retries are done, for a 2xx, and for whatever
        :meth:`should_retry_status` / :meth:`should_retry_error` reject for the operation's
        retry class; a ``Retry-After`` header sets the wait when present.
        """
        if retries_done >= self.max_retries:
            return None
        if isinstance(outcome, httpx.Response):
            if outcome.is_success or not self.should_retry_status(
                op.retry_class, outcome.status_code
            ):
                return None
            return self.delay(retries_done, outcome.headers)
        if not self.should_retry_error(op.retry_class, outcome):
            return None
        return self.delay(retries_done)

    def should_retry_status(self, retry_class: RetryClass, status_code: int) -> bool:
        """429 always (the server did not process it); 5xx unless the operation is unsafe."""
        if status_code == 429:
            return True
        return status_code >= 500 and retry_class != "unsafe"

    def should_retry_error(self, retry_class: RetryClass, error: BaseException) -> bool:
        """Failures before sending always; other transient failures unless unsafe."""
        if isinstance(error, _NOT_SENT):
            return True
        return isinstance(error, _TRANSIENT) and retry_class != "unsafe"

    def delay(self, retries_done: int, headers: Mapping[str, str] | None = None) -> float:
        """Seconds to wait before retry number ``retries_done + 1``."""
        if headers is not None:
            retry_after = parse_retry_after(headers, self.now)
            if retry_after is not None:
                return min(retry_after, self.max_retry_after)
        backoff = min(self.initial_delay * 2.0 ** min(retries_done, 32), self.max_delay)
        return backoff * (1.0 - 0.25 * self.random())
