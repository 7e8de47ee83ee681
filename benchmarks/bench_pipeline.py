"""Per call: one small GET (a workspace member) on httpx.MockTransport, one process.

Variants share one ``httpx.AsyncClient`` and run interleaved in one event loop; each
measurement is the CPU time of a batch of sequential calls, divided by the batch size.
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
    fmt_us,
    heading,
    huge_limits,
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
TARGET_GOVERNOR = 1.05

LABELS = {
    "raw": "httpx AsyncClient.request + json.loads(response.content)",
    "gov": "ours, client.workspace_member.get(id), governor on (default shape, huge limits)",
    "nogov": "ours, same call, rate_limit=None",
    "peer": "instantlyai, client.workspace_members.retrieve(id)",
}


def _batch(call: Callable[[], Awaitable[Any]], calls: int) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        started = time.process_time()
        for _ in range(calls):
            await call()
        return (time.process_time() - started) / calls

    return once


async def _measure(settings: Settings) -> Samples:
    from instantlyai import AsyncInstantly as PeerClient

    async with httpx.AsyncClient(transport=member_transport()) as http:
        governed = AsyncInstantly(api_key="k", http_client=http, rate_limit=huge_limits())
        plain = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        peer = PeerClient(api_key="k", http_client=http)
        headers = {"Authorization": "Bearer k", "Accept": "application/json"}

        async def raw() -> Any:
            response = await http.request("GET", MEMBER_URL, headers=headers)
            return json.loads(response.content)

        async def gov() -> Any:
            return await governed.workspace_member.get(MEMBER_ID)

        async def nogov() -> Any:
            return await plain.workspace_member.get(MEMBER_ID)

        async def peer_call() -> Any:
            return await peer.workspace_members.retrieve(MEMBER_ID)

        assert (await raw())["id"] == MEMBER_ID
        for check in (gov, nogov, peer_call):
            member = await check()
            if str(member.id) != MEMBER_ID:
                raise SystemExit(f"unexpected result from {check.__name__}: {member!r}")
        calls = settings.pipeline_calls
        variants = {
            "raw": _batch(raw, calls),
            "gov": _batch(gov, calls),
            "nogov": _batch(nogov, calls),
            "peer": _batch(peer_call, calls),
        }
        for once in variants.values():  # warm-up
            await once()
        return await interleave_async(variants, settings.pipeline_rounds)


def run(settings: Settings) -> None:
    _peer.activate()
    heading(
        f"Per call, small GET /api/v2/workspace-members/{{id}} on httpx.MockTransport "
        f"({settings.pipeline_rounds} rounds x {settings.pipeline_calls} calls per variant, "
        f"interleaved; CPU time per call, medians)"
    )
    results: dict[str, Samples] = {}
    for backend in settings.backends:
        samples = anyio.run(_measure, settings, backend=backend)
        results[backend] = samples
        line(f"{backend}:")
        for key, label in LABELS.items():
            values = samples[key]
            line(
                f"  {key:<6}{fmt_us(median(values))}/call  "
                f"[{min(values) * 1e6:.1f}-{max(values) * 1e6:.1f}]  {label}"
            )
        line("  " + ratio_line(samples, "gov", "raw", label="ours (governor on) / raw"))
        line("  " + ratio_line(samples, "gov", "peer", label="ours (governor on) / instantlyai"))
        line("  " + ratio_line(samples, "gov", "nogov", label="governor on / rate_limit=None"))
    samples = results["asyncio"] if "asyncio" in results else next(iter(results.values()))
    to_raw = ratio_of(samples["gov"], samples["raw"])
    to_peer = ratio_of(samples["gov"], samples["peer"])
    record(
        Figure(
            "Per call, small GET, one process (governor on; asyncio)",
            "us",
            ours=samples["gov"],
            peer=samples["peer"],
            raw=samples["raw"],
            ratio=f"{to_raw:.2f}x raw; {to_peer:.2f}x instantlyai",
            target=f"<= {TARGET_RAW}x raw",
            verdict=verdict(to_raw <= TARGET_RAW, f"{to_raw:.3f}x"),
        )
    )
    per_backend = {b: ratio_of(s["gov"], s["nogov"]) for b, s in results.items()}
    worst = max(per_backend.values())
    record(
        Figure(
            "Governor on vs rate_limit=None, per call (asyncio)",
            "us",
            ours=samples["gov"],
            raw=None,
            ratio=", ".join(f"{b} {r:.2f}x" for b, r in per_backend.items()),
            target=f"<= {TARGET_GOVERNOR}x (cost under 5%)",
            verdict=verdict(worst <= TARGET_GOVERNOR, f"{worst:.3f}x"),
        )
    )
