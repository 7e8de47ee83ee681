"""2. Request pipeline overhead per call, on httpx.MockTransport (no network)."""

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
    fmt_us,
    heading,
    interleave_async,
    line,
    median,
    ratio_line,
    response_example,
)

from instantly_async import AsyncInstantly, RateLimit, RateLimitConfig
from instantly_async._generated.models import WorkspaceMember
from instantly_async._generated.namespaces import FACADE_NAMES
from instantly_async._ratelimit import DEFAULT_RATE_LIMITS

MEMBER_ID = "f9cc070d-8dba-4341-b847-f083c358e460"
BASE_URL = "https://api.instantly.ai"
PATH = f"/api/v2/workspace-members/{MEMBER_ID}"
OPERATION = "getWorkspaceMember"
NAMESPACE, METHOD = FACADE_NAMES[OPERATION]  # ("workspace_member", "get")

# The default governor's shape (a per-second and a per-minute workspace window, plus the
# operation's own windows), with limits so high that it never waits.
HUGE_LIMITS = RateLimitConfig(
    limits=tuple(RateLimit(10**9, limit.seconds) for limit in DEFAULT_RATE_LIMITS),
    per_operation=True,
)

LABELS = {
    "floor": "bare httpx.AsyncClient.request (the floor)",
    "floor+parse": "bare request + WorkspaceMember.from_dict(response.json())",
    "A": f"client.{NAMESPACE}.{METHOD}(id), rate_limit=None",
    "B": "same, rate governor on (default shape, huge limits)",
}


def _transport() -> httpx.MockTransport:
    content = json.dumps(response_example(OPERATION)).encode()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content, headers=headers)

    return httpx.MockTransport(handler)


def _batch(call: Callable[[], Awaitable[Any]], calls: int) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        started = time.process_time()
        for _ in range(calls):
            await call()
        return (time.process_time() - started) / calls

    return once


async def _measure(settings: Settings) -> Samples:
    async with httpx.AsyncClient(transport=_transport()) as http:
        plain = AsyncInstantly(api_key="k", http_client=http, rate_limit=None)
        governed = AsyncInstantly(api_key="k", http_client=http, rate_limit=HUGE_LIMITS)
        headers = dict(plain._headers)  # what the client sends: auth, user agent, accept
        url = BASE_URL + PATH

        async def bare() -> httpx.Response:
            return await http.request("GET", url, headers=headers)

        async def bare_parsed() -> WorkspaceMember:
            response = await http.request("GET", url, headers=headers)
            return WorkspaceMember.from_dict(response.json())

        async def facade_plain() -> WorkspaceMember:
            result: WorkspaceMember = await getattr(getattr(plain, NAMESPACE), METHOD)(MEMBER_ID)
            return result

        async def facade_governed() -> WorkspaceMember:
            namespace = getattr(governed, NAMESPACE)
            result: WorkspaceMember = await getattr(namespace, METHOD)(MEMBER_ID)
            return result

        for check in (bare_parsed, facade_plain, facade_governed):
            member: object = await check()
            if not isinstance(member, WorkspaceMember) or member.id != MEMBER_ID:
                raise SystemExit(f"unexpected result from {check.__name__}: {member!r}")
        calls = settings.pipeline_calls
        variants = {
            "floor": _batch(bare, calls),
            "floor+parse": _batch(bare_parsed, calls),
            "A": _batch(facade_plain, calls),
            "B": _batch(facade_governed, calls),
        }
        for once in variants.values():  # warm-up
            await once()
        return await interleave_async(variants, settings.pipeline_rounds)


def run(settings: Settings) -> None:
    heading(
        f"2. Request pipeline overhead per call, GET /api/v2/workspace-members/{{id}} on "
        f"httpx.MockTransport ({settings.pipeline_rounds} rounds x {settings.pipeline_calls} "
        f"calls per variant, interleaved; medians)"
    )
    for backend in settings.backends:
        try:
            samples = anyio.run(_measure, settings, backend=backend)
        except ModuleNotFoundError as exc:
            line(f"{backend}: skipped ({exc})")
            continue
        line(f"{backend}:")
        for key, label in LABELS.items():
            line(f"  {key:<12}{fmt_us(median(samples[key]))}/call  {label}")
        line("  " + ratio_line(samples, "A", "floor+parse", label="A/floor+parse"))
        line("  " + ratio_line(samples, "A", "floor", label="A/floor"))
        line("  " + ratio_line(samples, "B", "A", label="B/A (governor)"))
        line(f"  repetitions: {settings.pipeline_rounds} per variant")
        a, b = median(samples["A"]), median(samples["B"])
        floor, parsed = median(samples["floor"]), median(samples["floor+parse"])
        line(
            f"  conclusion: the facade adds {(a - parsed) * 1e6:.1f} us/call over the same work "
            f"by hand ({a / parsed:.2f}x); the rate governor adds {(b - a) * 1e6:.1f} us/call "
            f"({b / a:.2f}x); httpx itself is {floor / a:.0%} of a facade call."
        )
