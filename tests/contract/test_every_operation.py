"""Every operation of openapi.yaml, called once through the facade against Prism.

For each anyio backend, one module-scoped sweep (:func:`sweep`) opens one ``AsyncInstantly``
on Prism and calls every operation in turn as ``client.<namespace>.<method>(...)`` with valid
arguments synthesized from the document (``_args.py``): path parameters positional, query
parameters and body fields as keyword arguments (nested objects as plain dicts); paginated operations are awaited for their first page. A
recording transport keeps every HTTP exchange.

Then, per operation and backend, :func:`test_operation` checks that Prism found nothing wrong
with the request (no request-side ``sl-violations`` entry, no Prism-made error answer) and
that the call returned the documented success type. Known failures are listed explicitly in
:data:`EXPECTED_FAILURES` with their cause: such an operation is reported as ``xfail`` only
while it still fails with the expected text; once it passes (or fails differently) its test
fails, so that the list stays exact. :func:`test_every_operation_called` prints and asserts
"called 240/240 operations" per backend.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import _args
import httpx
import pytest
from _prism import format_violations, prism_problem, request_violations, response_violations

from instantly_async import AsyncInstantly, Page
from instantly_async._generated.namespaces import FACADE_NAMES
from instantly_async._generated.operations import OPERATIONS
from instantly_async._generated.types import Unset

EXPECTED_OPERATION_COUNT = 240


@dataclass(frozen=True)
class Expected:
    """A known failure: why, and a text its failure report must contain."""

    reason: str
    match: str


# operationId -> the known failure. Each one must still fail, with a report containing
# ``match``; a pass (or a different failure) fails the test so that this list stays exact.
# Empty: the document's unfit examples and 204 bodies are repaired by scripts/normalize.py,
# and the client's Accept header admits the CSV download.
EXPECTED_FAILURES: dict[str, Expected] = {}


# --------------------------------------------------------------------------- recording


@dataclass
class Exchange:
    operation_id: str
    request: httpx.Request
    response: httpx.Response


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport; keeps every request and its (fully read) response."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[Exchange] = []
        self.current = "?"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.exchanges.append(Exchange(self.current, request, response))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# --------------------------------------------------------------------------- the sweep


@dataclass
class Outcome:
    operation_id: str
    call: str = ""
    body_style: str = ""
    result: Any = None
    error: BaseException | None = None
    argument_problems: list[str] = field(default_factory=list)
    """Rules of ``x-validation`` (not seen by Prism) that the synthesized body breaks."""
    exchanges: list[Exchange] = field(default_factory=list)


@dataclass
class Sweep:
    backend: str
    outcomes: dict[str, Outcome]
    seconds: float

    @property
    def called(self) -> int:
        return sum(1 for o in self.outcomes.values() if o.exchanges)


async def _run_one(client: AsyncInstantly, outcome: Outcome) -> None:
    call = _args.facade_call(client, outcome.operation_id)
    outcome.call, outcome.body_style = call.describe(), call.body_style
    body = call.json_args.body
    if not isinstance(body, Unset):
        schema = _args.body_schema(outcome.operation_id)
        outcome.argument_problems = _args.check_x_validation(body, schema)
    # A coroutine, or for paginated operations an AsyncPaginator: awaiting it fetches page 1.
    outcome.result = await call.method(*call.args, **call.kwargs)


@pytest.fixture(scope="module")
async def sweep(anyio_backend: str, prism_url: str) -> AsyncIterator[Sweep]:
    transport = RecordingTransport(httpx.AsyncHTTPTransport())
    outcomes: dict[str, Outcome] = {}
    started = time.perf_counter()
    async with (
        httpx.AsyncClient(transport=transport, timeout=30.0) as http,
        AsyncInstantly(api_key="dummy-key", base_url=prism_url, http_client=http) as client,
    ):
        for operation_id in sorted(OPERATIONS):
            outcome = outcomes[operation_id] = Outcome(operation_id)
            transport.current = operation_id
            before = len(transport.exchanges)
            try:
                await _run_one(client, outcome)
            except Exception as exc:  # reported by that operation's test, not the whole sweep
                outcome.error = exc
            outcome.exchanges = transport.exchanges[before:]
    yield Sweep(anyio_backend, outcomes, time.perf_counter() - started)


# --------------------------------------------------------------------------- checks


def _describe_exchange(exchange: Exchange) -> str:
    request, response = exchange.request, exchange.response
    return f"{request.method} {request.url} -> {response.status_code}"


def _problems(outcome: Outcome) -> list[str]:
    """Everything wrong with one operation's call, as readable lines."""
    oid = outcome.operation_id
    problems: list[str] = []
    if not outcome.exchanges:
        problems.append(f"{oid}: no HTTP request was sent")
    for broken in outcome.argument_problems:
        problems.append(f"{oid}: the synthesized arguments are invalid: {broken}")
    for exchange in outcome.exchanges:
        found = request_violations(exchange.response)
        if found:
            problems.append(
                f"{oid}: Prism reports request violations for {_describe_exchange(exchange)}:\n"
                + format_violations(found)
            )
        elif (problem := prism_problem(exchange.response)) is not None:
            problems.append(
                f"{oid}: Prism answered {_describe_exchange(exchange)} with its own error "
                f"{problem.get('type')}: {problem.get('detail') or problem.get('title')}"
            )
    if outcome.error is not None:
        error = outcome.error
        problems.append(f"{oid}: {outcome.call or 'call'} raised {type(error).__name__}: {error}")
        return problems
    expected = _args.expected_success_type(oid)
    result = outcome.result
    if OPERATIONS[oid].pagination is not None:
        if not isinstance(result, Page):
            problems.append(f"{oid}: awaiting the paginator gave {type(result).__name__}, not Page")
            return problems
        if expected is not None and not isinstance(result.raw, expected):
            problems.append(f"{oid}: page.raw is {type(result.raw).__name__}, not {expected}")
        item_type = _args.expected_item_type(oid)
        if not result.items:
            problems.append(f"{oid}: the first page has no items (Prism returns the example)")
        if item_type is not None:
            wrong = [type(i).__name__ for i in result.items if not isinstance(i, item_type)]
            if wrong:
                problems.append(f"{oid}: page items are {wrong}, not {item_type.__name__}")
    elif expected is None:
        if result is not None:
            problems.append(f"{oid}: no success body is documented, got {type(result).__name__}")
    elif result is None or not isinstance(result, expected):
        names = ", ".join(t.__name__ for t in expected)
        problems.append(f"{oid}: returned {type(result).__name__}, expected {names}")
    return problems


# --------------------------------------------------------------------------- tests


def test_operation_inventory() -> None:
    """openapi.yaml, the operations table and the facade table agree: 240 operations."""
    in_document = set(_args.spec_operations())
    assert len(in_document) == EXPECTED_OPERATION_COUNT
    assert set(OPERATIONS) == in_document
    assert set(FACADE_NAMES) == in_document
    assert set(EXPECTED_FAILURES) <= in_document, set(EXPECTED_FAILURES) - in_document


def test_every_operation_called(sweep: Sweep) -> None:
    total = len(OPERATIONS)
    failed = {oid: p for oid, o in sweep.outcomes.items() if (p := _problems(o))}
    styles = [o.body_style for o in sweep.outcomes.values()]
    summary = (
        f"called {sweep.called}/{total} operations on {sweep.backend} in {sweep.seconds:.1f} s "
        f"({styles.count('kwargs')} with body fields as keyword arguments, "
        f"{styles.count('none')} without a body); "
        f"{len(failed)} failed ({len(set(failed) & set(EXPECTED_FAILURES))} expected)"
    )
    print(summary)
    response_side = {
        oid: [v for e in o.exchanges for v in response_violations(e.response)]
        for oid, o in sweep.outcomes.items()
    }
    response_side = {oid: v for oid, v in response_side.items() if v}
    if response_side:
        print(f"Prism found the document's own examples off-schema for {len(response_side)}:")
        for oid, found in sorted(response_side.items()):
            print(f"  {oid}:\n{format_violations(found)}")
    if _args.BAD_EXAMPLES:
        print("Examples that do not fit their schema (synthesized values used instead):")
        for where, why in sorted(_args.BAD_EXAMPLES.items()):
            print(f"  {where}: {why}")
    assert sweep.called == total == EXPECTED_OPERATION_COUNT, summary


@pytest.mark.parametrize("operation_id", sorted(_args.spec_operations()))
def test_operation(sweep: Sweep, operation_id: str) -> None:
    outcome = sweep.outcomes[operation_id]
    report = "\n".join(_problems(outcome))
    expected = EXPECTED_FAILURES.get(operation_id)
    if expected is None:
        assert not report, report + _trace(outcome)
        return
    if not report:
        pytest.fail(f"{operation_id} passes now: remove it from EXPECTED_FAILURES", pytrace=False)
    if expected.match not in report:
        pytest.fail(
            f"{operation_id} fails differently than expected ({expected.match!r} not found):\n"
            + report
            + _trace(outcome),
            pytrace=False,
        )
    pytest.xfail(f"{operation_id}: {expected.reason}")


def _trace(outcome: Outcome) -> str:
    lines = [f"\n  call: {outcome.call or '(not built)'}"]
    for exchange in outcome.exchanges:
        body = exchange.request.content.decode("utf-8", "replace")
        lines.append(f"  {_describe_exchange(exchange)}")
        if body:
            lines.append(f"    request body: {body[:500]}")
        text = exchange.response.text
        lines.append(f"    response body: {text[:500]}")
        raw = exchange.response.headers.get("sl-violations")
        if raw:
            lines.append(f"    sl-violations: {json.dumps(json.loads(raw))[:800]}")
    return "\n".join(lines)
