"""Paging: one 100-lead page through the client, and 100,000 leads with ``async for``.

A. One page (``await client.lead.list(limit=100)``), in one process, interleaved: CPU time
   per lead of fetching and parsing a 100-lead page, against instantlyai and raw httpx.
B. Every lead of 1,000 pages, each walk in a fresh process (variants rotated each round): CPU
   time of the walk and the peak RSS of the process, at 100,000 leads and at 10,000 leads.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import _peer
import anyio
import httpx
from _common import (
    BENCH_DIR,
    LEADS_URL,
    PAGE_SIZE,
    REPO,
    Figure,
    LeadPages,
    Samples,
    Settings,
    fmt_ms,
    fmt_us,
    heading,
    huge_limits,
    interleave,
    interleave_async,
    item_id,
    lead_item,
    line,
    median,
    ratio_line,
    ratio_of,
    record,
    verdict,
)

from instantly_async import AsyncInstantly

TARGET_RAW = 1.5
TARGET_RSS = 1.05
CHILD = REPO / "benchmarks" / "_paging_child.py"


def _per_lead(call: Callable[[], Awaitable[Any]], calls: int) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        started = time.process_time()
        for _ in range(calls):
            await call()
        return (time.process_time() - started) / (calls * PAGE_SIZE)

    return once


async def _one_page(settings: Settings) -> Samples:
    from instantlyai import AsyncInstantly as PeerClient

    async with httpx.AsyncClient(transport=LeadPages(2).transport()) as http:
        ours = AsyncInstantly(api_key="k", http_client=http, rate_limit=huge_limits())
        peer = PeerClient(api_key="k", http_client=http)
        headers = {"Authorization": "Bearer k", "Accept": "application/json"}

        async def ours_page() -> list[Any]:
            return (await ours.lead.list(limit=PAGE_SIZE)).items

        async def peer_page() -> list[Any]:
            return (await peer.leads.list(limit=PAGE_SIZE)).items

        async def raw_page() -> list[Any]:
            response = await http.post(LEADS_URL, json={"limit": PAGE_SIZE}, headers=headers)
            items: list[Any] = json.loads(response.content)["items"]
            return items

        expected = [item_id(0, i) for i in range(PAGE_SIZE)]
        for check in (ours_page, peer_page):
            if [str(lead.id) for lead in await check()] != expected:
                raise SystemExit(f"{check.__name__}: unexpected page")
        variants = {
            "ours": _per_lead(ours_page, settings.page_calls),
            "peer": _per_lead(peer_page, settings.page_calls),
            "raw": _per_lead(raw_page, settings.page_calls),
        }
        for once in variants.values():
            await once()
        return await interleave_async(variants, settings.page_rounds)


def _child(variant: str, leads: int, backend: str, runs: dict[str, list[dict[str, float]]]):
    site = str(_peer.site_packages())
    lead = BENCH_DIR / "lead.json"
    lead.write_text(json.dumps(lead_item()))

    def once() -> float:
        proc = subprocess.run(
            [sys.executable, str(CHILD), variant, str(leads), backend, str(lead), site],
            cwd=CHILD.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"paging child {variant} failed ({proc.returncode}):\n{proc.stderr}")
        report: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
        runs[variant].append(report)
        return report["cpu"]

    return once


def _walks(settings: Settings, leads: int, rounds: int) -> tuple[Samples, Samples]:
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "peer": [], "raw": []}
    variants = {name: _child(name, leads, "asyncio", runs) for name in runs}
    cpu = interleave(variants, rounds)
    rss = {name: [r["rss_mb"] for r in reports] for name, reports in runs.items()}
    return cpu, rss


def run(settings: Settings) -> None:
    _peer.activate()
    heading(
        f"A. One 100-lead page through the client (POST /api/v2/leads/list on "
        f"httpx.MockTransport; {settings.page_rounds} rounds x {settings.page_calls} pages per "
        f"variant, interleaved; CPU time per lead, medians)"
    )
    samples = anyio.run(_one_page, settings, backend="asyncio")
    labels = {
        "ours": "await client.lead.list(limit=100)  (governor on, huge limits)",
        "peer": "await instantlyai client.leads.list(limit=100)",
        "raw": "httpx POST + json.loads",
    }
    for key, label in labels.items():
        line(f"{key:<5}{fmt_us(median(samples[key]))}/lead  {label}")
    line(ratio_line(samples, "ours", "peer", label="ours/instantlyai"))
    line(ratio_line(samples, "ours", "raw", label="ours/raw"))
    to_peer, to_raw = (
        ratio_of(samples["ours"], samples["peer"]),
        ratio_of(samples["ours"], samples["raw"]),
    )
    record(
        Figure(
            "One 100-lead page through the client, per lead",
            "us",
            ours=samples["ours"],
            peer=samples["peer"],
            raw=samples["raw"],
            ratio=f"{to_peer:.2f}x instantlyai; {to_raw:.2f}x raw",
        )
    )

    big, small = settings.paging_leads, settings.paging_small
    heading(
        f"B. {big:,} leads with async for ({big // PAGE_SIZE:,} pages), each walk in a fresh "
        f"process ({settings.paging_rounds} rounds, order rotated; CPU time of the walk, "
        f"peak RSS), and {small:,} leads for the memory comparison"
    )
    cpu, rss_big = _walks(settings, big, settings.paging_rounds)
    _cpu_small, rss_small = _walks(settings, small, 1)
    labels = {
        "ours": "async for lead in client.lead.list(limit=100)  (governor on, huge limits)",
        "peer": "async for lead in await instantlyai client.leads.list(limit=100)",
        "raw": "httpx POST loop + json.loads, counting items",
    }
    for key, label in labels.items():
        line(
            f"{key:<5}{fmt_ms(median(cpu[key]))}  "
            f"[{min(cpu[key]):.2f}-{max(cpu[key]):.2f} s]  "
            f"peak RSS {median(rss_big[key]):.0f} MB at {big:,}, "
            f"{median(rss_small[key]):.0f} MB at {small:,}  {label}"
        )
    line(ratio_line(cpu, "ours", "raw", label="ours/raw"))
    line(ratio_line(cpu, "ours", "peer", label="ours/instantlyai"))
    to_raw = ratio_of(cpu["ours"], cpu["raw"])
    to_peer = ratio_of(cpu["ours"], cpu["peer"])
    growth = {k: median(rss_big[k]) / median(rss_small[k]) for k in rss_big}
    line(
        "peak RSS at "
        + f"{big:,} / at {small:,}: "
        + ", ".join(f"{k} {g:.3f}x" for k, g in growth.items())
    )
    record(
        Figure(
            f"{big:,} leads with async for",
            "s",
            ours=cpu["ours"],
            peer=cpu["peer"],
            raw=cpu["raw"],
            ratio=f"{to_raw:.2f}x raw; {to_peer:.2f}x instantlyai",
            target=f"<= {TARGET_RAW}x raw",
            verdict=verdict(to_raw <= TARGET_RAW, f"{to_raw:.3f}x"),
        )
    )
    record(
        Figure(
            f"Peak RSS at {big:,} leads vs {small:,}",
            "MB",
            ours=rss_big["ours"],
            peer=rss_big["peer"],
            raw=rss_big["raw"],
            ratio=", ".join(f"{k} {g:.3f}x" for k, g in growth.items()),
            target=f"ours <= {TARGET_RSS}x",
            verdict=verdict(growth["ours"] <= TARGET_RSS, f"{growth['ours']:.3f}x"),
        )
    )
