"""Prefetch: pages fetched while the consumer works on the previous one.

The server answers each listLeads page after ``FETCH_S`` (an async ``httpx.MockTransport``
handler that sleeps); the consumer spends ``WORK_S`` on each page (it sleeps too). Without
prefetch a page costs fetch + work; with ``.prefetch()`` it should cost max(fetch, work).
Wall time, one run per variant and backend (the runs are mostly waiting).
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import httpx
from _common import JSON_HEADERS, PAGE_SIZE, Figure, LeadPages, Settings, heading, line, record
from _common import verdict as verdict_of

from instantly_async import AsyncInstantly

FETCH_S = 0.050
WORK_S = 0.050
TARGET = 1.10


def _transport(pages: LeadPages) -> httpx.MockTransport:
    async def handler(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(FETCH_S)
        body = pages.body(pages.number(request.content))
        return httpx.Response(200, content=body, headers=JSON_HEADERS)

    return httpx.MockTransport(handler)


async def _walk(count: int, prefetch: bool) -> tuple[float, float]:
    pages = LeadPages(count)
    async with httpx.AsyncClient(transport=_transport(pages)) as http:
        client = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        seen = 0
        started, cpu = time.perf_counter(), time.process_time()
        listing: Any = client.lead.list(limit=PAGE_SIZE)
        if prefetch:
            async with listing.prefetch() as ahead:
                async for page in ahead.pages():
                    seen += len(page.items)
                    await anyio.sleep(WORK_S)
        else:
            async for page in listing.pages():
                seen += len(page.items)
                await anyio.sleep(WORK_S)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if seen != count * PAGE_SIZE:
        raise SystemExit(f"prefetch={prefetch}: {seen} leads, not {count * PAGE_SIZE}")
    return elapsed, cpu / count


def run(settings: Settings) -> None:
    count = settings.prefetch_pages
    ideal = count * max(FETCH_S, WORK_S)
    heading(
        f"Prefetch: {count} pages, {FETCH_S * 1e3:.0f} ms to fetch each and "
        f"{WORK_S * 1e3:.0f} ms of consumer work per page (wall time, one run each; ideal "
        f"{count} x max(fetch, work) = {ideal:.2f} s)"
    )
    results: dict[str, float] = {}
    for backend in settings.backends:
        plain, _cpu = anyio.run(_walk, count, False, backend=backend)
        ahead, cpu = anyio.run(_walk, count, True, backend=backend)
        results[backend] = ahead / ideal
        line(
            f"{backend:<8} without prefetch {plain:6.2f} s ({plain / ideal:.2f}x ideal)   "
            f"with .prefetch() {ahead:6.2f} s ({ahead / ideal:.2f}x ideal); CPU per page "
            f"{cpu * 1e3:.1f} ms (fetching and parsing 100 leads, which wall time waits for "
            f"when the machine is busy)"
        )
    worst = max(results.values())
    record(
        Figure(
            f"Prefetch: {count} pages, fetch {FETCH_S * 1e3:.0f} ms + work "
            f"{WORK_S * 1e3:.0f} ms per page (wall time / ideal)",
            "",
            ratio=", ".join(f"{b} {r:.2f}x" for b, r in results.items()),
            target=f"<= {TARGET}x max(fetch, work) per page",
            verdict=verdict_of(worst <= TARGET, f"{worst:.2f}x"),
        )
    )
