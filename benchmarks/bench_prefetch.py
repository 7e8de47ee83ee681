"""Prefetch: pages fetched one ahead while the consumer works, vs fetched on demand.

Each page takes ``FETCH_S`` to arrive (an async ``httpx.MockTransport`` handler sleeps), plus
the client's own time to parse it; the consumer spends ``WORK_S`` on each page (an async
sleep: I/O-bound work such as writing to a database). "fetch" below is measured: a walk
without consumer work, per page (latency + parsing). On demand a walk costs about
pages x (fetch + work); with ``paginator.prefetch()`` the fetch of page i + 1 overlaps the work
on page i, so the ideal is pages x max(fetch, work). Memory: traced peak while walking N and
5 x N pages with prefetch, after a warm-up (past pages must not be retained; each page
leaves only its cursor, kept to detect a cycle).
"""

from __future__ import annotations

import functools
import gc
import json
import time
import tracemalloc
from typing import Any

import anyio
import httpx
from _common import Figure, Settings, heading, line, median, record, response_example, verdict

from instantly_async import AsyncInstantly

FETCH_S = 0.020
WORK_S = 0.020
PAGE_SIZE = 20
TARGET = 1.1
MEMORY_FACTOR = 5


def _transport(pages: int, latency: float) -> httpx.MockTransport:
    item = response_example("listLeads")["items"][0]

    async def handler(request: httpx.Request) -> httpx.Response:
        cursor = json.loads(request.content or b"{}").get("starting_after")
        number = int(cursor) if cursor else 0
        if latency:
            await anyio.sleep(latency)
        body: dict[str, Any] = {
            "items": [{**item, "id": f"{number}-{i}"} for i in range(PAGE_SIZE)]
        }
        if number + 1 < pages:
            body["next_starting_after"] = str(number + 1)
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


async def _walk(pages: int, *, prefetch: bool, latency: float, work: float) -> tuple[float, int]:
    async with httpx.AsyncClient(transport=_transport(pages, latency)) as http:
        client = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        paginator = client.lead.list(limit=PAGE_SIZE)
        seen = 0
        started = time.perf_counter()
        if prefetch:
            async with paginator.prefetch() as prefetched:
                async for page in prefetched.pages():
                    seen += len(page.items)
                    if work:
                        await anyio.sleep(work)
        else:
            async for page in paginator.pages():
                seen += len(page.items)
                if work:
                    await anyio.sleep(work)
        return time.perf_counter() - started, seen


async def _peak(pages: int, warm_up: int) -> int:
    await _walk(warm_up, prefetch=True, latency=0.0, work=0.0)  # imports and caches first
    gc.collect()
    tracemalloc.start()
    try:
        await _walk(pages, prefetch=True, latency=0.0, work=0.0)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(settings: Settings) -> None:
    pages = settings.prefetch_pages
    rounds = 2 if settings.quick else 3
    heading(
        f"Prefetch: {pages} pages of {PAGE_SIZE} leads, {FETCH_S * 1000:.0f} ms latency per "
        f"fetch, {WORK_S * 1000:.0f} ms of consumer work per page ({rounds} rounds, medians)"
    )
    results: list[tuple[str, float]] = []
    for backend in settings.backends:
        samples: dict[str, list[float]] = {"fetch": [], "on demand": [], "prefetch": []}
        for _ in range(rounds):
            for name, prefetch, work in (
                ("fetch", False, 0.0),
                ("on demand", False, WORK_S),
                ("prefetch", True, WORK_S),
            ):
                walk = functools.partial(
                    _walk, pages, prefetch=prefetch, latency=FETCH_S, work=work
                )
                elapsed, seen = anyio.run(walk, backend=backend)
                if seen != pages * PAGE_SIZE:
                    raise SystemExit(f"prefetch walk saw {seen} items, not {pages * PAGE_SIZE}")
                samples[name].append(elapsed / pages)
        fetch, on_demand, ahead = (median(samples[k]) for k in ("fetch", "on demand", "prefetch"))
        ratio = ahead / max(fetch, WORK_S)
        results.append((backend, ratio))
        line(
            f"{backend:<8} per page: fetch {fetch * 1000:5.1f} ms, work {WORK_S * 1000:4.1f} ms, "
            f"on demand {on_demand * 1000:5.1f} ms, prefetch {ahead * 1000:5.1f} ms = "
            f"{ratio:.3f}x max(fetch, work)"
        )
    small, large = pages, pages * MEMORY_FACTOR
    peak_small = anyio.run(_peak, small, small)
    peak_large = anyio.run(_peak, large, small)
    growth = peak_large / peak_small
    line(
        f"traced peak memory with prefetch: {small} pages {peak_small / 1024:.0f} KiB, "
        f"{large} pages {peak_large / 1024:.0f} KiB ({growth:.2f}x; "
        f"{(peak_large - peak_small) / (large - small):.0f} B per extra page)"
    )
    worst = max(ratio for _, ratio in results)
    record(
        Figure(
            f"Prefetch: {pages} pages, {FETCH_S * 1000:.0f} ms latency + "
            f"{WORK_S * 1000:.0f} ms work per page (time per page / max(fetch, work))",
            "",
            ratio=", ".join(f"{b}: {r:.3f}x" for b, r in results)
            + f"; peak memory {large} vs {small} pages: {growth:.2f}x",
            target=f"<= {TARGET}x; memory flat",
            verdict=verdict(
                worst <= TARGET and growth <= 1.1,
                f"{worst:.3f}x, memory {growth:.2f}x",
            ),
        )
    )
