"""3. Pagination: ``async for`` over the facade's paginator vs the same pages by hand."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
from _common import (
    Samples,
    Settings,
    fmt_ms,
    heading,
    interleave_async,
    line,
    median,
    ratio_line,
    response_example,
)

from instantly_async import AsyncInstantly
from instantly_async._generated.models import Lead, ListLeadsResponse200
from instantly_async._generated.namespaces import FACADE_NAMES
from instantly_async._generated.types import Unset

PAGES = 50
PAGE_SIZE = 100
TOTAL = PAGES * PAGE_SIZE
URL = "https://api.instantly.ai/api/v2/leads/list"
OPERATION = "listLeads"
NAMESPACE, METHOD = FACADE_NAMES[OPERATION]  # ("lead", "list")


def _pages() -> list[bytes]:
    """``PAGES`` listLeads bodies of ``PAGE_SIZE`` leads; page i links to page i + 1."""
    template = response_example(OPERATION)["items"][0]
    pages = []
    for number in range(PAGES):
        items = [{**template, "id": f"lead-{number * PAGE_SIZE + i:05d}"} for i in range(PAGE_SIZE)]
        body: dict[str, Any] = {"items": items}
        if number + 1 < PAGES:
            body["next_starting_after"] = f"cursor-{number + 1}"
        pages.append(json.dumps(body).encode())
    return pages


def _transport() -> httpx.MockTransport:
    pages = _pages()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = json.loads(request.content).get("starting_after")
        number = int(cursor.removeprefix("cursor-")) if cursor else 0
        return httpx.Response(200, content=pages[number], headers=headers)

    return httpx.MockTransport(handler)


def _timed(walk: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        started = time.process_time()
        await walk()
        return time.process_time() - started

    return once


async def _measure(settings: Settings) -> Samples:
    async with httpx.AsyncClient(transport=_transport()) as http:
        # rate_limit=None: 50 requests in well under a second would make the default governor
        # (100 requests/s) wait, and that wait is not pagination overhead.
        client = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        headers = dict(client._headers)

        async def facade() -> list[Lead]:
            paginator = getattr(getattr(client, NAMESPACE), METHOD)(limit=PAGE_SIZE)
            return [lead async for lead in paginator]

        async def by_hand() -> list[Lead]:
            leads: list[Lead] = []
            body: dict[str, Any] = {"limit": PAGE_SIZE}
            while True:
                response = await http.post(URL, json=body, headers=headers)
                response.raise_for_status()
                page = ListLeadsResponse200.from_dict(response.json())
                leads.extend(page.items)
                cursor = page.next_starting_after
                if isinstance(cursor, Unset) or not page.items:
                    return leads
                body = {"limit": PAGE_SIZE, "starting_after": cursor}

        expected = [f"lead-{i:05d}" for i in range(TOTAL)]
        for check in (facade, by_hand):
            ids = [lead.id for lead in await check()]
            if ids != expected:
                raise SystemExit(
                    f"{check.__name__} returned {len(ids)} leads, not {TOTAL} in order"
                )

        variants = {"A": _timed(facade), "B": _timed(by_hand)}
        return await interleave_async(variants, settings.pagination_rounds)


def run(settings: Settings) -> None:
    heading(
        f"3. Pagination: {TOTAL:,} leads over {PAGES} pages, POST /api/v2/leads/list on "
        f"httpx.MockTransport ({settings.pagination_rounds} rounds, interleaved; medians)"
    )
    for backend in settings.backends:
        try:
            samples = anyio.run(_measure, settings, backend=backend)
        except ModuleNotFoundError as exc:
            line(f"{backend}: skipped ({exc})")
            continue
        a, b = median(samples["A"]), median(samples["B"])
        line(f"{backend}:")
        line(f"  A {fmt_ms(a)}  async for lead in client.{NAMESPACE}.{METHOD}(limit={PAGE_SIZE})")
        line(f"  B {fmt_ms(b)}  bare httpx POST loop + ListLeadsResponse200.from_dict")
        line("  " + ratio_line(samples, "A", "B", label="A/B (overhead ratio)"))
        line(f"  repetitions: {settings.pagination_rounds} per variant")
        line(
            f"  conclusion: the paginator costs {(a - b) / TOTAL * 1e6:+.2f} us per item "
            f"({(a - b) / PAGES * 1e3:+.2f} ms per page) over hand-written paging; "
            f"{b / TOTAL * 1e6:.1f} us per item is parsing and httpx."
        )
