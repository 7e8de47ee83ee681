"""Background jobs: ``client.background_job.wait()`` and ``watch()``.

Operations that start work on the server (moving leads, bulk account changes, ...) answer with
a ``BackgroundJob``. ``wait()`` polls it, through the normal client calls (so under the rate
governor and with the usual retries), until it succeeds or fails.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING

import anyio

from ._exceptions import InstantlyError
from ._generated.resources.background_job import BackgroundJobResource

if TYPE_CHECKING:
    from ._generated.models.background_job import BackgroundJob

__all__ = [
    "FAILED_STATUSES",
    "FINAL_STATUSES",
    "BackgroundJobError",
    "BackgroundJobFailed",
    "BackgroundJobTimeout",
    "BackgroundJobs",
]

SUCCESS_STATUS = "success"
FAILED_STATUSES = frozenset({"failed", "cancelled"})
"""A job in one of these states ended without success."""
FINAL_STATUSES = frozenset({SUCCESS_STATUS, *FAILED_STATUSES})
"""A job in one of these states will not change any more; any other status is polled again
(``pending``, ``in-progress``, ``paused``, ``draining``, and values the API adds later)."""

DEFAULT_TIMEOUT = 900.0
DEFAULT_POLL_INTERVAL = 1.0
DEFAULT_MAX_POLL_INTERVAL = 15.0
BACKOFF = 1.5

ProgressCallback = Callable[["BackgroundJob"], "Awaitable[object] | object"]

# The event loop's clock and sleep (module attributes, so tests can replace them).
_now = anyio.current_time
_sleep = anyio.sleep


class BackgroundJobError(InstantlyError):
    """A background job did not succeed in time; ``job`` is its last known state."""

    job: BackgroundJob

    def __init__(self, message: str, *, job: BackgroundJob) -> None:
        super().__init__(message)
        self.job = job


class BackgroundJobFailed(BackgroundJobError):
    """The background job ended as ``failed`` or ``cancelled`` (``job.status`` says which)."""


class BackgroundJobTimeout(BackgroundJobError, TimeoutError):
    """The background job was still running when ``wait()``'s timeout ran out."""


def _job_id(job_or_id: object) -> str:
    if isinstance(job_or_id, str):
        if not job_or_id.strip():
            raise ValueError("job_or_id must be a background job or its id, got an empty string")
        return job_or_id
    job_id = getattr(job_or_id, "id", None)
    if isinstance(job_id, str) and job_id:
        return job_id
    raise TypeError(
        f"job_or_id must be a BackgroundJob or its id (str), got {type(job_or_id).__name__}"
    )


def _check_seconds(name: str, value: object, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number of seconds, got {value!r}")
    return float(value)


def _describe(job: BackgroundJob) -> str:
    return f"background job {job.id} ({job.type_}, {job.progress:g}% done)"


class BackgroundJobs(BackgroundJobResource):
    """``client.background_job``: the BackgroundJob operations, plus :meth:`wait` and
    :meth:`watch`."""

    async def wait(
        self,
        job_or_id: BackgroundJob | str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        on_progress: ProgressCallback | None = None,
    ) -> BackgroundJob:
        """Poll a background job until it ends; return it when it succeeded.

        - ``job_or_id``: the ``BackgroundJob`` an operation returned, or its id.
        - ``timeout``: seconds to wait in all (default 15 minutes); None waits forever.
        - ``poll_interval``: seconds before the second poll; each later wait is 1.5 times
          longer, up to ``max_poll_interval``.
        - ``on_progress``: called (or awaited, when it returns an awaitable) with every state
          that differs from the previous one, the first and the last included.

        Raises :class:`BackgroundJobFailed` when the job ends as ``failed`` or ``cancelled``
        and :class:`BackgroundJobTimeout` when time runs out; both carry the job as ``.job``.
        Each poll is a normal ``get()``: paced by the rate governor, retried when safe.
        """
        last: BackgroundJob | None = None
        states = self.watch(
            job_or_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )
        async with aclosing(states):
            async for job in states:
                last = job
                if on_progress is not None:
                    result = on_progress(job)
                    if inspect.isawaitable(result):
                        await result
        assert last is not None  # watch() yields at least once or raises
        if last.status in FAILED_STATUSES:
            raise BackgroundJobFailed(f"{_describe(last)} ended as {last.status}", job=last)
        return last

    async def watch(
        self,
        job_or_id: BackgroundJob | str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    ) -> AsyncGenerator[BackgroundJob, None]:
        """Iterate over a background job's states until it ends (success or not).

        Yields the job at each poll where its status or progress changed, the final state
        last; a failed job is yielded, not raised. A job passed as an object is the first
        state (no request for it). Raises :class:`BackgroundJobTimeout` when
        ``timeout`` runs out first. Arguments as for :meth:`wait`.
        """
        job_id = _job_id(job_or_id)
        limit = _check_seconds("timeout", timeout, allow_none=True)
        delay = _check_seconds("poll_interval", poll_interval)
        ceiling = _check_seconds("max_poll_interval", max_poll_interval)
        assert delay is not None and ceiling is not None
        deadline = None if limit is None else _now() + limit
        seen: tuple[object, object] | None = None
        # A job given as an object is its first state: the first poll comes after a wait.
        job: BackgroundJob | None = None if isinstance(job_or_id, str) else job_or_id
        while True:
            if job is None:
                job = await self.get(job_id)
            state = (job.status, job.progress)
            if state != seen:
                seen = state
                yield job
            if job.status in FINAL_STATUSES:
                return
            wait = min(delay, ceiling)
            if deadline is not None:
                remaining = deadline - _now()
                if remaining <= 0:
                    raise BackgroundJobTimeout(
                        f"{_describe(job)} still {job.status} after {limit:g} s", job=job
                    )
                wait = min(wait, remaining)  # one last poll when the time is up
            await _sleep(wait)
            delay = min(delay * BACKOFF, ceiling)
            job = None
