"""Governor: N requests from many tasks against a strict sliding-window server.

The server (an async ``httpx.MockTransport`` handler) accepts at most 100 requests in any
1-second window, counted when a request arrives, and answers 429 beyond that. Each request
takes 1-10 ms to arrive and 1-10 ms to come back (seeded random), so the client's clock and
the server's disagree a little, as they do over a network. Clients run with retries off, so
every 429 is visible. One run per variant (the run is long and mostly waiting).
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import deque
from typing import Any

import _peer
import anyio
import httpx
from _common import (
    JSON_HEADERS,
    MEMBER_ID,
    Figure,
    Settings,
    heading,
    line,
    member_body,
    record,
    verdict,
)

from instantly_async import AsyncInstantly

LIMIT = 100
WINDOW_S = 1.0
TARGET_SHARE = 0.97


class StrictServer:
    """At most ``LIMIT`` accepted requests in any ``WINDOW_S`` window (by arrival time)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._accepted: deque[float] = deque()
        self.ok = 0
        self.rejected = 0
        self.first: float | None = None
        self.last = 0.0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        await anyio.sleep(self._random.uniform(0.001, 0.010))
        now = time.monotonic()
        self.first = now if self.first is None else self.first
        accepted = self._accepted
        while accepted and accepted[0] <= now - WINDOW_S:
            accepted.popleft()
        if len(accepted) >= LIMIT:
            self.rejected += 1
            response = httpx.Response(
                429, json={"error": "rate limited"}, headers={"retry-after": "1"}
            )
        else:
            accepted.append(now)
            self.ok += 1
            response = httpx.Response(200, content=member_body(), headers=JSON_HEADERS)
        await anyio.sleep(self._random.uniform(0.001, 0.010))
        self.last = time.monotonic()
        return response


async def _drive(variant: str, requests: int, tasks: int) -> dict[str, Any]:
    server = StrictServer(seed=1)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
        if variant == "ours":
            # the default governor (Instantly's 100/s and 6,000/min), no retries
            client: Any = AsyncInstantly(api_key="k", http_client=http, max_retries=0)

            async def call() -> Any:
                return await client.workspace_member.get(MEMBER_ID)
        else:
            from instantlyai import AsyncInstantly as PeerClient

            # instantlyai paces by requests_per_minute: the same 100/s, evenly spaced
            peer = PeerClient(
                api_key="k", http_client=http, max_retries=0, requests_per_minute=LIMIT * 60
            )

            async def call() -> Any:
                return await peer.workspace_members.retrieve(MEMBER_ID)

        errors = 0
        shares = [requests // tasks + (1 if i < requests % tasks else 0) for i in range(tasks)]

        async def worker(count: int) -> None:
            nonlocal errors
            for _ in range(count):
                try:
                    await call()
                except Exception:
                    errors += 1

        started = time.monotonic()
        async with anyio.create_task_group() as tg:
            for count in shares:
                tg.start_soon(worker, count)
        elapsed = time.monotonic() - started
    return {
        "elapsed": elapsed,
        "ok": server.ok,
        "rejected": server.rejected,
        "errors": errors,
        "rate": server.ok / elapsed,
    }


def run(settings: Settings) -> None:
    _peer.activate()
    # instantlyai logs every 429 at ERROR level; with no logging configured they would go to
    # stderr through logging's last-resort handler.
    logging.getLogger("instantlyai").addHandler(logging.NullHandler())
    requests, tasks = settings.governor_requests, settings.governor_tasks
    best = (math.ceil(requests / LIMIT) - 1) * WINDOW_S
    heading(
        f"Governor: {requests:,} requests from {tasks} tasks against a strict sliding-window "
        f"server ({LIMIT} per {WINDOW_S:.0f} s by arrival, 1-10 ms each way; retries off; "
        f"one run each)"
    )
    line(
        f"a perfect client needs about {best:.0f} s (a full window at once, then {LIMIT} per "
        f"window), i.e. {requests / best if best else float('inf'):.0f} requests/s"
    )
    runs: list[tuple[str, str, dict[str, Any]]] = [
        ("ours", backend, anyio.run(_drive, "ours", requests, tasks, backend=backend))
        for backend in settings.backends
    ]
    runs.append(("peer", "asyncio", anyio.run(_drive, "peer", requests, tasks, backend="asyncio")))
    for variant, backend, r in runs:
        r["best"] = best / r["elapsed"]
        who = "ours (default governor)" if variant == "ours" else "instantlyai rpm=6000"
        line(
            f"{who:<24} {backend:<8} {r['elapsed']:6.2f} s  {r['ok']:5d} ok  "
            f"{r['rejected']:4d} x 429  {r['rate']:6.1f} requests/s = "
            f"{r['rate'] / LIMIT:.1%} of the limit ({r['best']:.1%} of a perfect client's pace)"
        )
    ours = [r for variant, _backend, r in runs if variant == "ours"]
    peer = runs[-1][2]
    rejected = sum(r["rejected"] for r in ours)
    share = min(r["rate"] / LIMIT for r in ours)
    record(
        Figure(
            f"Governor: {requests:,} requests from {tasks} tasks, strict sliding-window server "
            f"(429s; share of the limit)",
            "",
            ratio=(
                "ours "
                + ", ".join(
                    f"{b}: {r['rejected']} x 429, {r['rate'] / LIMIT:.1%}"
                    for v, b, r in runs
                    if v == "ours"
                )
                + f"; instantlyai: {peer['rejected']} x 429, {peer['rate'] / LIMIT:.1%}"
            ),
            target=f"0 x 429 and >= {TARGET_SHARE:.0%} of the limit",
            verdict=verdict(
                rejected == 0 and share >= TARGET_SHARE, f"{rejected} x 429, {share:.1%}"
            ),
        )
    )
