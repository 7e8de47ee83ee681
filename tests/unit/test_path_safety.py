"""Path parameters never change the endpoint: every operation, hostile and arbitrary values.

For each operation of openapi.yaml with path parameters, the facade method is called with
valid synthesized arguments (``tests/contract/_args.py``) except for one path parameter,
which gets a hostile value. Either a ``ValueError`` is raised and nothing reaches the
transport, or the one request that does reach it is addressed, by a router that decodes
escapes (repeatedly), applies NFKC, treats ``\\`` and ``;`` as separators, removes dot
segments, ignores case and a trailing slash, to no operation but the intended one, with the
value as exactly one segment of the path httpx sends.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Any
from urllib.parse import unquote

import _args
import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instantly_async import AsyncInstantly, InstantlyError
from instantly_async._generated.operations import OPERATIONS
from instantly_async._operation import Operation

OPS_WITH_PARAMS = sorted(oid for oid, op in OPERATIONS.items() if "{" in op.path)

# Values known to be dangerous somewhere, plus their encoded and look-alike forms.
HOSTILE: tuple[str, ...] = (
    "", ".", "..", "...", " ", " .", ". ", "..\t", "\x00", ".\x00", "/", "//", "\\", ";",
    "./", "../", "/..", "a/..", "a/../..", "../..", "..%2f..", "..\\..", "..;", "..;x",
    "%2e", "%2E", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e", "%252e%252e", "%25252e",
    "%2f", "%2F", "%5c", "%3b", "%00", "%20", "%",  "%%", "%zz", "%c0%ae", "%c0%ae%c0%ae",
    "\uff0e", "\uff0e\uff0e", "\u2024", "\u2025", "\u3002", "\uff0f", "\uff3c", "\ufe52",
    "?", "#", "?x=1", "#frag", "a?b", "a#b", "&", "=", "+", "*", "@", ":", "~", "-", "_",
    "\r\n", "\n", "a\nb", "\t", "\u200b", "\u00a0", "\ufeff", "é", "日本", "💥",
    "leads", "list", "LIST", "analytics", "Analytics", "ANALYTICS%20", "admin", "download",
    "lead-finder", "Lead-Finder", "sales", "activity", "activities", "state", "settings",
    "summary", "summary-by-date", "event-types", "search-by-contact", "count-launched",
    "email-service-provider-options", "deliverability", "inbox-manager", "analytic%73",
)  # fmt: skip

TOKENS = (
    ".", "..", "/", "\\", ";", "%", "%2e", "%2E", "%2f", "%5c", "%25", "%00", "\uff0e",
    "\u2024", " ", "\t", "a", "0", "~", "analytics", "sales", "activity", "admin",
)  # fmt: skip

SAFE_VALUES = ("f9cc070d-8dba-4341-b847-f083c358e460", "user@example.com", "example.com")


# --------------------------------------------------------------------------- the router


def _decode(segment: str) -> str:
    while True:
        decoded = unquote(segment)
        if decoded == segment:
            return unicodedata.normalize("NFKC", segment)
        segment = decoded


def _route(path: str) -> list[str]:
    """The segments a lenient router would see in ``path``."""
    text = _decode(path)
    pieces = re.split(r"[/\\;]", text)
    out: list[str] = []
    for piece in pieces:
        stripped = piece.strip("".join(map(chr, range(33))) + "\x7f")
        if stripped == "." or stripped == "":
            continue
        if stripped == "..":
            if out:
                out.pop()
            continue
        out.append(stripped.lower())
    return out


@functools.cache
def _templates(method: str) -> list[tuple[str, list[str]]]:
    return [
        (oid, [s.lower() for s in op.path.split("/") if s])
        for oid, op in OPERATIONS.items()
        if op.method == method
    ]


def endpoints_reached(method: str, path: str) -> set[str]:
    """Every operation of ``method`` whose template a lenient router matches to ``path``."""
    segments = _route(path)
    found = set()
    for oid, template in _templates(method):
        if len(template) == len(segments) and all(
            t.startswith("{") or t == s for t, s in zip(template, segments, strict=True)
        ):
            found.add(oid)
    return found


def exact_segments(op: Operation, raw_path: str) -> list[str] | None:
    """The decoded parameter values when ``raw_path`` is ``op.path`` with each parameter
    exactly one segment (no ``/``, no dot segment), else None."""
    parts, template = raw_path.split("/"), op.path.split("/")
    if len(parts) != len(template):
        return None
    values = []
    for part, t in zip(parts, template, strict=True):
        if t.startswith("{"):
            if part in ("", ".", ".."):
                return None
            values.append(unquote(part))
        elif part != t:
            return None
    return values


# --------------------------------------------------------------------------- calling


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


_calls: dict[tuple[int, str], Any] = {}


@functools.cache
def _template_call(operation_id: str) -> tuple[int, ...]:
    """Positions of the path arguments in the synthesized facade call."""
    op = OPERATIONS[operation_id]
    return tuple(range(op.path.count("{")))


async def attempt(
    client: AsyncInstantly, recorder: Recorder, operation_id: str, position: int, value: str
) -> str:
    """Call the facade with ``value`` as path argument ``position``: 'refused' or 'sent'.

    Fails the test when the request reached another endpoint or was not one segment.
    """
    op = OPERATIONS[operation_id]
    call = _calls.get((id(client), operation_id))
    if call is None:
        call = _calls[id(client), operation_id] = _args.facade_call(client, operation_id)
    args = list(call.args)
    args[position] = value
    recorder.requests.clear()
    try:
        await call.method(*args, **call.kwargs)
    except ValueError as exc:
        assert not recorder.requests, f"{operation_id}({value!r}): sent, then refused"
        assert call.method_name in str(exc) and "segment" in str(exc)
        return "refused"
    except InstantlyError:
        pass  # the {} answer does not parse: irrelevant here, the request was sent
    assert len(recorder.requests) == 1, f"{operation_id}({value!r}): {recorder.requests}"
    request = recorder.requests[0]
    raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    values = exact_segments(op, raw_path)
    assert values is not None and values[position] == value, (
        f"{operation_id}({value!r}) sent {raw_path!r}, not one segment of {op.path!r}"
    )
    reached = endpoints_reached(op.method, raw_path)
    assert reached <= {operation_id}, (
        f"{operation_id}({value!r}) sent {request.method} {raw_path!r}, "
        f"which reaches {sorted(reached)}"
    )
    return "sent"


def _client(recorder: Recorder) -> AsyncInstantly:
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    return AsyncInstantly("key", http_client=http, rate_limit=None, max_retries=0)


def test_every_operation_with_path_parameters_is_covered() -> None:
    assert len(OPS_WITH_PARAMS) >= 100
    # the synthesized call passes the path parameters positionally, in template order
    for oid in OPS_WITH_PARAMS:
        call = _args.facade_call(object.__new__(AsyncInstantly), oid)
        assert len(call.args) == len(_template_call(oid)), oid


@pytest.mark.anyio
async def test_hostile_values_never_reach_another_endpoint() -> None:
    recorder = Recorder()
    outcomes: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    async with _client(recorder) as client:
        _calls.clear()
        for oid in OPS_WITH_PARAMS:
            for position in _template_call(oid):
                for value in HOSTILE:
                    outcomes[await attempt(client, recorder, oid, position, value)] += 1
                    tried[oid] += 1
                for value in SAFE_VALUES:
                    assert await attempt(client, recorder, oid, position, value) == "sent"
    assert min(tried.values()) >= len(HOSTILE)
    # dot segments and their disguises are refused; ordinary odd text is sent encoded
    assert outcomes["refused"] > 0 and outcomes["sent"] > 0
    print(
        f"\npath safety: {len(tried)} operations, {min(tried.values())}-{max(tried.values())} "
        f"hostile values each, {sum(tried.values())} calls: {dict(outcomes)}; "
        "0 reached another endpoint"
    )


_values = st.one_of(
    st.text(max_size=12),
    st.lists(st.sampled_from(TOKENS), max_size=6).map("".join),
    st.sampled_from(HOSTILE).map(str.upper),
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(oid=st.sampled_from(OPS_WITH_PARAMS), data=st.data(), value=_values)
def test_arbitrary_text_never_reaches_another_endpoint(
    anyio_backend: str, oid: str, data: st.DataObject, value: str
) -> None:
    position = data.draw(st.sampled_from(_template_call(oid)))

    async def run() -> None:
        recorder = Recorder()
        async with _client(recorder) as client:
            _calls.clear()
            await attempt(client, recorder, oid, position, value)

    anyio.run(run, backend=anyio_backend)


def test_the_client_checks_the_final_path_itself() -> None:
    """A request built without the resource methods' check is refused by the client."""
    recorder = Recorder()
    op = OPERATIONS["deleteLead"]

    async def run(path: str) -> None:
        async with _client(recorder) as client:
            await client._request(op, {"method": "delete", "url": path})

    for path in (
        "/api/v2/leads/.",
        "/api/v2/leads/..",
        "/api/v2/leads/%2E%2e",
        "/api/v2/leads/",
        "/api/v2/leads",
        "/api/v2/leads/a/b",
        "/api/v2/leads/a b",
        "/api/v2/leads/a%2F..",
    ):
        with pytest.raises(ValueError, match=r"lead\.delete\(\)"):
            anyio.run(run, path)
    assert recorder.requests == []
    get = OPERATIONS["getCampaign"]

    async def run_get(value: str) -> None:
        async with _client(recorder) as client:
            await client.campaign.get(value)

    for value in ("analytics", "ANALYTICS", "count-launched", "analytic%73"):
        with pytest.raises(ValueError, match=r"campaign\.get\(\): 'id'.*another GET operation"):
            anyio.run(run_get, value)
    assert recorder.requests == [] and get.path == "/api/v2/campaigns/{id}"


def test_messages_name_the_method_and_parameter_and_stay_short() -> None:
    async def run() -> Any:
        async with _client(Recorder()) as client:
            return await client.lead.delete("../" * 1000)

    with pytest.raises(ValueError) as info:
        anyio.run(run)
    text = str(info.value)
    assert text.startswith("lead.delete(): 'id' must stay one path segment")
    assert len(text) < 300
