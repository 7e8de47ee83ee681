"""When to retry a request, and how long to wait first."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import anyio
import httpx

from ._operation import RetryClass

__all__ = ["RetryPolicy", "parse_retry_after"]

# Raised before any byte of the request was sent.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Transient failures after the request may have reached the server.
_TRANSIENT: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
)


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


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry rules: statuses and errors worth retrying, capped exponential backoff with jitter."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    """Longest ``Retry-After`` honoured; longer waits are cut to this."""
    random: Callable[[], float] = random.random
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep
    now: Callable[[], float] = time.time
    """Wall clock, to read ``Retry-After`` HTTP dates."""

    def should_retry_status(self, retry_class: RetryClass, status_code: int) -> bool:
        """429 always (the server did not process it); 5xx unless the operation is unsafe."""
        if status_code == 429:
            return True
        return status_code >= 500 and retry_class != "unsafe"

    def should_retry_error(self, retry_class: RetryClass, error: Exception) -> bool:
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
