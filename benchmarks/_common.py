"""Shared helpers: interleaved timing, medians, the results table, and the test data.

Every comparison runs its variants side by side (in one process, or one batch of
subprocesses), rotating their order each round, and compares medians: on a shared, noisy
machine only ratios measured this way mean anything.
"""

from __future__ import annotations

import copy
import gc
import json
import os
import statistics
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OPENAPI = REPO / "openapi.yaml"
BENCH_DIR = REPO / ".bench"

Samples = dict[str, list[float]]


@dataclass(frozen=True)
class Settings:
    """How much work each benchmark does (``--quick`` shrinks everything)."""

    quick: bool
    import_rounds: int
    coldstart_rounds: int
    pipeline_rounds: int
    pipeline_calls: int
    parse_rounds: int
    parse_pages: int
    page_rounds: int
    page_calls: int
    paging_rounds: int
    paging_leads: int
    paging_small: int
    concurrency_rounds: int
    concurrency_calls: int
    governor_requests: int
    governor_tasks: int
    prefetch_pages: int
    regen_runs: int
    backends: tuple[str, ...] = field(default=("asyncio", "trio"))


FULL = Settings(
    quick=False,
    import_rounds=11,
    coldstart_rounds=15,
    pipeline_rounds=21,
    pipeline_calls=300,
    parse_rounds=21,
    parse_pages=10,
    page_rounds=21,
    page_calls=10,
    paging_rounds=3,
    paging_leads=100_000,
    paging_small=10_000,
    concurrency_rounds=9,
    concurrency_calls=2_000,
    governor_requests=1_500,
    governor_tasks=200,
    prefetch_pages=100,
    regen_runs=2,
)
QUICK = Settings(
    quick=True,
    import_rounds=3,
    coldstart_rounds=3,
    pipeline_rounds=3,
    pipeline_calls=30,
    parse_rounds=3,
    parse_pages=2,
    page_rounds=3,
    page_calls=2,
    paging_rounds=1,
    paging_leads=3_000,
    paging_small=1_000,
    concurrency_rounds=2,
    concurrency_calls=200,
    governor_requests=200,
    governor_tasks=40,
    prefetch_pages=10,
    regen_runs=1,
)


# --------------------------------------------------------------------------- timing


def _order(names: Sequence[str], round_no: int) -> list[str]:
    """The variants rotated by the round number, so that none always runs first."""
    shift = round_no % len(names)
    return [*names[shift:], *names[:shift]]


def interleave(variants: Mapping[str, Callable[[], float]], rounds: int) -> Samples:
    """Run each variant once per round (order rotated); each call returns one measurement."""
    names = list(variants)
    samples: Samples = {name: [] for name in names}
    for round_no in range(rounds):
        for name in _order(names, round_no):
            gc.collect()
            samples[name].append(variants[name]())
    return samples


async def interleave_async(
    variants: Mapping[str, Callable[[], Awaitable[float]]], rounds: int
) -> Samples:
    """:func:`interleave` for coroutines (all variants share one event loop)."""
    names = list(variants)
    samples: Samples = {name: [] for name in names}
    for round_no in range(rounds):
        for name in _order(names, round_no):
            gc.collect()
            samples[name].append(await variants[name]())
    return samples


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio_line(
    samples: Samples, numerator: str, denominator: str, *, label: str | None = None
) -> str:
    """``label = 1.23x`` (ratio of medians) with the spread of the per-round ratios."""
    top, bottom = samples[numerator], samples[denominator]
    per_round = sorted(a / b for a, b in zip(top, bottom, strict=True) if b > 0)
    text = f"{label or f'{numerator}/{denominator}'} = {median(top) / median(bottom):.2f}x"
    if len(per_round) > 1:
        text += (
            f" (per-round ratios: median {median(per_round):.2f}x, "
            f"range {per_round[0]:.2f}x-{per_round[-1]:.2f}x)"
        )
    return text


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def fmt_us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} us"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --------------------------------------------------------------------------- report

LOG: list[str] = []


def heading(text: str) -> None:
    print()
    print(f"== {text}")
    LOG.extend(["", f"== {text}"])
    sys.stdout.flush()


def line(text: str = "") -> None:
    shown = f"  {text}" if text else ""
    print(shown)
    LOG.append(shown)
    sys.stdout.flush()


UNITS = {"s": 1.0, "ms": 1e3, "us": 1e6, "MB": 1.0, "x": 1.0, "%": 1.0, "": 1.0}


def stat(values: Sequence[float] | None, unit: str) -> str:
    """``median [min-max] unit`` for the table (one value: just the value)."""
    if not values:
        return "-"
    scale = UNITS[unit]
    digits = 0 if unit in ("MB", "%") else 1 if unit in ("ms", "us") else 2
    med, low, high = (v * scale for v in (median(values), min(values), max(values)))
    if len(values) == 1 or low == high:
        return f"{med:.{digits}f} {unit}".strip()
    return f"{med:.{digits}f} {unit} [{low:.{digits}f}-{high:.{digits}f}]"


@dataclass
class Figure:
    """One row of the BENCHMARKS.md table."""

    name: str
    unit: str
    ours: Sequence[float] | None = None
    peer: Sequence[float] | None = None
    raw: Sequence[float] | None = None
    ratio: str = "-"
    target: str = "-"
    verdict: str = "-"


FIGURES: list[Figure] = []


def record(figure: Figure) -> Figure:
    FIGURES.append(figure)
    return figure


def ratio_of(top: Sequence[float], bottom: Sequence[float]) -> float:
    return median(top) / median(bottom)


def verdict(ok: bool, detail: str) -> str:
    return f"met ({detail})" if ok else f"**missed** ({detail})"


# --------------------------------------------------------------------------- example bodies


@cache
def spec() -> dict[str, Any]:
    """openapi.yaml, parsed (the C loader when PyYAML has it)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with OPENAPI.open("rb") as fh:
        data = yaml.load(fh, Loader=loader)
    if not isinstance(data, dict):
        raise SystemExit(f"{OPENAPI}: not an OpenAPI document")
    return data


def _resolve(schema: Any) -> Any:
    seen: set[str] = set()
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not str(ref).startswith("#/"):
            raise ValueError(f"cannot resolve {ref!r}")
        seen.add(ref)
        node: Any = spec()
        for part in str(ref)[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


_FORMAT_DEFAULTS = {
    "date-time": "1970-01-01T00:00:00.000Z",
    "date": "1970-01-01",
    "email": "user@example.com",
    "uuid": "f9cc070d-8dba-4341-b847-f083c358e460",
    "uri": "https://example.com",
}


def example_of(schema: Any, depth: int = 0) -> Any:
    """A value for ``schema`` built from its ``example``s; every property of an object is
    filled in (recursively), so parsing it exercises the whole model."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return None
    for key in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(key, ()) if _resolve(b).get("type") != "null"]
        if branches:
            return example_of(branches[0], depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_of(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    properties = schema.get("properties")
    if (kind == "object" or properties) and properties and depth < 12:
        return {name: example_of(prop, depth + 1) for name, prop in properties.items()}
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return copy.deepcopy(examples[0])
    if "const" in schema:
        return schema["const"]
    enum = [v for v in schema.get("enum", ()) if v is not None]
    if enum:
        return enum[0]
    if kind == "array":
        return [example_of(schema.get("items", {}), depth + 1)]
    if kind == "object":
        return {}
    if kind == "string":
        return _FORMAT_DEFAULTS.get(str(schema.get("format")), "string")
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return None


def response_example(operation_id: str, status: str = "200") -> Any:
    """An example JSON body of ``operation_id``'s ``status`` response."""
    for item in spec()["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                media = operation["responses"][status]["content"]["application/json"]
                return example_of(media["schema"])
    raise KeyError(f"no operation {operation_id!r} in {OPENAPI.name}")


# --------------------------------------------------------------------------- test data

MEMBER_ID = "f9cc070d-8dba-4341-b847-f083c358e460"
BASE_URL = "https://api.instantly.ai"
MEMBER_URL = f"{BASE_URL}/api/v2/workspace-members/{MEMBER_ID}"
LEADS_URL = f"{BASE_URL}/api/v2/leads/list"
PAGE_SIZE = 100
JSON_HEADERS = {"content-type": "application/json"}


@cache
def member_body() -> bytes:
    """A small GET's answer: one workspace member."""
    body = response_example("getWorkspaceMember")
    body["id"] = MEMBER_ID
    return json.dumps(body).encode()


@cache
def lead_item() -> dict[str, Any]:
    """One lead with every documented field filled in (valid for both SDKs' models)."""
    item: dict[str, Any] = response_example("listLeads")["items"][0]
    return item


@cache
def campaign_item() -> dict[str, Any]:
    """One campaign with every documented field filled in (valid for both SDKs' models)."""
    item: dict[str, Any] = response_example("listCampaign")["items"][0]
    for schedule in item.get("campaign_schedule", {}).get("schedules", []):
        # the generic example "string" is not an HH:MM time, which instantlyai rejects
        schedule["timing"] = {"from": "09:00", "to": "17:00"}
    return item


def item_id(page: int, index: int) -> str:
    """The id of item ``index`` of page ``page``: a UUID, as the API sends (and instantlyai
    insists on)."""
    return f"00000000-0000-4000-8000-{page:07d}{index:03d}00"


def page_of(item: dict[str, Any]) -> dict[str, Any]:
    """A 100-item page of copies of ``item`` with distinct ids."""
    items = [{**item, "id": item_id(0, i)} for i in range(PAGE_SIZE)]
    return {"items": items, "next_starting_after": "cursor-1"}


class LeadPages:
    """listLeads pages built on the fly (so 100,000 leads cost no memory up front).

    Page ``n`` holds leads ``item_id(n, 0)`` ... ``item_id(n, 99)``; every page but the last
    links to the next one with ``next_starting_after = cursor-<n + 1>``.
    """

    _MARK = 1111111  # the page number in the template's ids, replaced per page
    _NEXT = "NNNNNNN"

    def __init__(self, pages: int, lead: dict[str, Any] | None = None) -> None:
        self.pages = pages
        template = lead_item() if lead is None else lead
        items = [{**template, "id": item_id(self._MARK, i)} for i in range(PAGE_SIZE)]
        linked = json.dumps({"items": items, "next_starting_after": f"cursor-{self._NEXT}"})
        if linked.count(str(self._MARK)) != PAGE_SIZE:
            raise AssertionError("the page marker is not unique in the lead template")
        self._linked = linked.encode()
        self._last = json.dumps({"items": items}).encode()

    def body(self, number: int) -> bytes:
        page = f"{number:07d}".encode()
        if number + 1 >= self.pages:
            return self._last.replace(b"%d" % self._MARK, page)
        nxt = f"{number + 1:07d}".encode()
        return self._linked.replace(b"%d" % self._MARK, page).replace(self._NEXT.encode(), nxt)

    @staticmethod
    def number(request_content: bytes) -> int:
        cursor = json.loads(request_content or b"{}").get("starting_after")
        return int(cursor.removeprefix("cursor-")) if cursor else 0

    def transport(self) -> Any:
        import httpx

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                200, content=self.body(self.number(request.content)), headers=JSON_HEADERS
            )

        return httpx.MockTransport(handler)


def member_transport() -> Any:
    import httpx

    content = member_body()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content, headers=JSON_HEADERS)

    return httpx.MockTransport(handler)


def huge_limits() -> Any:
    """The default governor's shape (per-second and per-minute workspace windows plus each
    operation's own), with limits so high that it never waits: its cost, not its pacing."""
    from instantly_async import RateLimit, RateLimitConfig
    from instantly_async._ratelimit import DEFAULT_RATE_LIMITS

    return RateLimitConfig(
        limits=tuple(RateLimit(10**9, limit.seconds) for limit in DEFAULT_RATE_LIMITS),
        per_operation=True,
    )
