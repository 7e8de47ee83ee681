"""Helpers for the facade's unit tests: hand-made operations and a scripted mock server."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import httpx

from instantly_async import AsyncInstantly
from instantly_async._operation import Operation, Pagination, RateLimit, RetryClass

API_KEY = "sk-test-7f3a9c0e-SECRET-key"

LEAD_SCOPES = ("leads:read", "leads:all", "all:read", "all:all")


def make_op(
    operation_id: str = "listLeads",
    method: str = "POST",
    path: str = "/api/v2/leads/list",
    *,
    tag: str = "Lead",
    scopes: tuple[str, ...] = LEAD_SCOPES,
    rate_limits: tuple[RateLimit, ...] = (),
    pagination: Pagination | None = None,
    retry: RetryClass | None = None,
) -> Operation:
    return Operation(operation_id, method, path, tag, scopes, rate_limits, pagination, retry=retry)


def get_request(path: str = "/api/v2/leads/abc", **params: Any) -> dict[str, Any]:
    return {"method": "get", "url": path, "params": params}


def post_request(path: str = "/api/v2/leads/list", body: Any = None) -> dict[str, Any]:
    return {"method": "post", "url": path, "params": {}, "json": body or {}}


Reply = httpx.Response | Exception | type[httpx.TransportError]


class Server:
    """Answers requests with the scripted replies in order; the last one repeats.

    A reply is a response, or an httpx transport error (class or instance) to raise.
    """

    def __init__(self, *replies: Reply | Callable[[httpx.Request], httpx.Response]) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, type):
            raise reply("scripted failure", request=request)
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)

    @property
    def count(self) -> int:
        return len(self.requests)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class Harness:
    client: AsyncInstantly
    server: Server
    sleeps: list[float] = field(default_factory=list)


@asynccontextmanager
async def harness(
    server: Server, *, random: float = 0.0, now: float = 0.0, **options: Any
) -> AsyncIterator[Harness]:
    """A client on a MockTransport, no rate limits, retry sleeps recorded instead of slept."""
    options.setdefault("rate_limit", None)
    options.setdefault("api_key", API_KEY)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        client = AsyncInstantly(http_client=http, **options)
        result = Harness(client, server)

        async def sleep(delay: float) -> None:
            result.sleeps.append(delay)
            await anyio.lowlevel.checkpoint()

        client._retry = dataclasses.replace(
            client._retry, sleep=sleep, random=lambda: random, now=lambda: now
        )
        yield result


class FakeClock:
    """Virtual time: sleepers wake only when :meth:`run` moves the clock forward."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, anyio.Event]] = []
        self._activity = 0

    def time(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        event = anyio.Event()
        self._sleepers.append((self.now + delay, event))
        self._activity += 1
        await event.wait()

    async def _settle(self) -> None:
        """Yield until nothing has happened for a good many scheduler passes."""
        quiet, seen = 0, -1
        while quiet < 30:
            await anyio.lowlevel.checkpoint()
            quiet = quiet + 1 if self._activity == seen else 0
            seen = self._activity

    async def run(self, *jobs: Callable[[], Awaitable[object]], stagger: bool = False) -> None:
        """Run the jobs concurrently to completion, jumping the clock from wake-up to wake-up.

        With ``stagger`` each job starts only once the previous ones are blocked, so the
        jobs queue up in the order given.
        """
        running = len(jobs)

        async def track(job: Callable[[], Awaitable[object]]) -> None:
            nonlocal running
            await job()
            running -= 1
            self._activity += 1

        async with anyio.create_task_group() as group:
            for job in jobs:
                group.start_soon(track, job)
                if stagger:
                    await self._settle()
            while True:
                await self._settle()
                if not running:
                    break
                if not self._sleepers:
                    raise AssertionError(f"{running} jobs blocked for good")
                self.now = min(when for when, _ in self._sleepers)
                due = [item for item in self._sleepers if item[0] <= self.now]
                for item in due:
                    self._sleepers.remove(item)
                    item[1].set()
