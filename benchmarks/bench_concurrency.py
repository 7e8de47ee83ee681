"""2,000 concurrent calls (no governor), asyncio and trio.

Every variant starts all its calls at once in one task group on a shared
``httpx.AsyncClient`` (httpx.MockTransport) and waits for all of them; the measurement is the
CPU time of the whole batch. Variants run interleaved in one event loop per backend.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import _peer
import anyio
import httpx
from _common import (
    MEMBER_ID,
    MEMBER_URL,
    Figure,
    Samples,
    Settings,
    fmt_ms,
    heading,
    interleave_async,
    line,
    median,
    member_transport,
    ratio_line,
    ratio_of,
    record,
    verdict,
)

from instantly_async import AsyncInstantly

TARGET_RAW = 1.10


def _batch(call: Callable[[], Awaitable[Any]], calls: int) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        results: list[Any] = []

        async def one() -> None:
            results.append(await call())

        started = time.process_time()
        async with anyio.create_task_group() as tg:
            for _ in range(calls):
                tg.start_soon(one)
        elapsed = time.process_time() - started
        if len(results) != calls:
            raise SystemExit(f"{len(results)} of {calls} calls answered")
        return elapsed

    return once


async def _measure(settings: Settings, with_peer: bool) -> Samples:
    async with httpx.AsyncClient(transport=member_transport()) as http:
        ours = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        headers = {"Authorization": "Bearer k", "Accept": "application/json"}

        async def raw() -> Any:
            response = await http.request("GET", MEMBER_URL, headers=headers)
            return json.loads(response.content)

        async def ours_call() -> Any:
            return await ours.workspace_member.get(MEMBER_ID)

        calls = settings.concurrency_calls
        variants = {"ours": _batch(ours_call, calls), "raw": _batch(raw, calls)}
        if with_peer:
            from instantlyai import AsyncInstantly as PeerClient

            peer = PeerClient(api_key="k", http_client=http)

            async def peer_call() -> Any:
                return await peer.workspace_members.retrieve(MEMBER_ID)

            variants["peer"] = _batch(peer_call, calls)
        for once in variants.values():
            await once()
        return await interleave_async(variants, settings.concurrency_rounds)


def run(settings: Settings) -> None:
    _peer.activate()
    calls = settings.concurrency_calls
    heading(
        f"{calls:,} concurrent calls, no governor (GET /api/v2/workspace-members/{{id}} on "
        f"httpx.MockTransport; {settings.concurrency_rounds} rounds per variant, interleaved; "
        f"CPU time of the batch, medians)"
    )
    results: dict[str, Samples] = {}
    for backend in settings.backends:
        # instantlyai is asyncio-only (it sleeps with asyncio.sleep); on trio it runs only
        # because this benchmark never makes it sleep, so it is measured on asyncio alone.
        samples = anyio.run(_measure, settings, backend == "asyncio", backend=backend)
        results[backend] = samples
        line(f"{backend}:")
        for key in samples:
            values = samples[key]
            line(
                f"  {key:<5}{fmt_ms(median(values))}  [{min(values) * 1e3:.1f}-"
                f"{max(values) * 1e3:.1f}]  ({median(values) / calls * 1e6:.1f} us per call)"
            )
        line("  " + ratio_line(samples, "ours", "raw", label="ours/raw"))
        if "peer" in samples:
            line("  " + ratio_line(samples, "peer", "raw", label="instantlyai/raw"))
    for backend, samples in results.items():
        to_raw = ratio_of(samples["ours"], samples["raw"])
        peer_ratio = (
            f"; instantlyai {ratio_of(samples['peer'], samples['raw']):.2f}x raw"
            if "peer" in samples
            else ""
        )
        record(
            Figure(
                f"{calls:,} concurrent calls, no governor ({backend})",
                "ms",
                ours=samples["ours"],
                peer=samples.get("peer"),
                raw=samples["raw"],
                ratio=f"{to_raw:.2f}x raw{peer_ratio}",
                target=f"<= {TARGET_RAW}x raw",
                verdict=verdict(to_raw <= TARGET_RAW, f"{to_raw:.3f}x"),
            )
        )
