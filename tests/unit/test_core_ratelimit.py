"""The rate governor, on a virtual clock (and once on tiny real windows)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import httpx
import pytest
from _core_support import FakeClock, Server, get_request, harness, json_response, make_op

from instantly_async import APIConnectionError, RateLimit, RateLimitConfig
from instantly_async._operation import Operation
from instantly_async._ratelimit import RateGovernor

PLAIN = make_op("getLead", "GET", "/api/v2/leads/{id}")


def governor(clock: FakeClock, *limits: RateLimit, per_operation: bool = True) -> RateGovernor:
    config = RateLimitConfig(limits=limits, per_operation=per_operation)
    return RateGovernor(config, clock=clock.time, sleep=clock.sleep)


async def grant_times(
    clock: FakeClock, gov: RateGovernor, ops: list[Operation], *, stagger: bool = False
) -> list[tuple[str, float]]:
    """Acquire once per op concurrently; (job name, virtual time) in the order granted."""
    granted: list[tuple[str, float]] = []

    def job(index: int, op: Operation) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            permit = await gov.acquire(op)
            granted.append((f"{op.operation_id}#{index}", clock.now))
            await permit.release()  # an instant answer

        return run

    await clock.run(*(job(i, op) for i, op in enumerate(ops)), stagger=stagger)
    return granted


@pytest.mark.anyio
async def test_one_window_spreads_a_burst() -> None:
    clock = FakeClock()
    granted = await grant_times(clock, governor(clock, RateLimit(3, 1.0)), [PLAIN] * 7)
    assert [when for _, when in granted] == [0, 0, 0, 1, 1, 1, 2]


@pytest.mark.anyio
async def test_every_window_applies() -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(2, 1.0), RateLimit(3, 10.0))
    granted = await grant_times(clock, gov, [PLAIN] * 5)
    assert [when for _, when in granted] == [0, 0, 1, 10, 10]


@pytest.mark.anyio
async def test_waiters_are_served_first_come_first_served() -> None:
    clock = FakeClock()
    granted = await grant_times(
        clock, governor(clock, RateLimit(1, 1.0)), [PLAIN] * 5, stagger=True
    )
    assert granted == [(f"getLead#{i}", float(i)) for i in range(5)]


@pytest.mark.anyio
async def test_operation_limits_apply_on_top_without_blocking_others() -> None:
    clock = FakeClock()
    slow = make_op("slowOp", "GET", "/api/v2/slow", rate_limits=(RateLimit(1, 5.0),))
    gov = governor(clock, RateLimit(10, 1.0))
    granted = await grant_times(clock, gov, [slow, slow, PLAIN, slow], stagger=True)
    assert granted == [("slowOp#0", 0), ("getLead#2", 0), ("slowOp#1", 5), ("slowOp#3", 10)]


@pytest.mark.anyio
async def test_operation_limits_can_be_ignored() -> None:
    clock = FakeClock()
    slow = make_op("slowOp", "GET", "/api/v2/slow", rate_limits=(RateLimit(1, 5.0),))
    gov = governor(clock, RateLimit(10, 1.0), per_operation=False)
    granted = await grant_times(clock, gov, [slow] * 3)
    assert [when for _, when in granted] == [0, 0, 0]


@pytest.mark.anyio
async def test_operation_and_workspace_limits_combine() -> None:
    clock = FakeClock()
    slow = make_op("slowOp", "GET", "/api/v2/slow", rate_limits=(RateLimit(2, 10.0),))
    gov = governor(clock, RateLimit(1, 1.0))
    granted = await grant_times(clock, gov, [slow, slow, slow, PLAIN], stagger=True)
    # The workspace admits one a second; slowOp admits two per 10 s.
    assert granted == [("slowOp#0", 0), ("slowOp#1", 1), ("getLead#3", 2), ("slowOp#2", 10)]


@pytest.mark.anyio
async def test_no_limits_never_waits() -> None:
    clock = FakeClock()
    granted = await grant_times(clock, governor(clock), [PLAIN] * 50)
    assert {when for _, when in granted} == {0}


@pytest.mark.anyio
async def test_a_cancelled_waiter_gives_way() -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(1, 1.0))
    granted: list[str] = []

    async def first() -> None:
        await (await gov.acquire(PLAIN)).release()
        granted.append("first")

    async def impatient() -> None:
        with anyio.move_on_after(0):
            await (await gov.acquire(PLAIN)).release()
            granted.append("impatient")

    async def last() -> None:
        await (await gov.acquire(PLAIN)).release()
        granted.append("last")

    await clock.run(first, impatient, last, stagger=True)
    assert granted == ["first", "last"]
    assert clock.now == 1.0


@pytest.mark.anyio
async def test_tiny_real_windows_hold() -> None:
    gov = RateGovernor(RateLimitConfig(limits=(RateLimit(2, 0.005),)))
    stamps: list[float] = []

    async def job() -> None:
        permit = await gov.acquire(PLAIN)
        stamps.append(anyio.current_time())
        await permit.release()

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(job)
    assert len(stamps) == 6
    assert stamps == sorted(stamps)
    for earlier, later in zip(stamps, stamps[2:], strict=False):
        assert earlier + 0.005 <= later


@pytest.mark.anyio
async def test_client_copies_share_one_governor() -> None:
    clock = FakeClock()
    server = Server(json_response(200, {}))
    sent_at: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.now)
        return json_response(200, {})

    server.replies = [record]
    async with harness(server) as h:
        h.client._governor = governor(clock, RateLimit(2, 1.0))
        copy = h.client.with_options(max_retries=0)

        async def call_base() -> None:
            await h.client._request(PLAIN, get_request())

        async def call_copy() -> None:
            await copy._request(PLAIN, get_request())

        await clock.run(call_base, call_copy, call_base, call_copy)
    assert sorted(sent_at) == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("requests", "seconds"),
    [(0, 1.0), (-1, 1.0), (1.5, 1.0), (True, 1.0), (1, 0), (1, -2.0), (1, float("inf")), (1, "1")],
)
def test_rate_limit_is_validated(requests: object, seconds: object) -> None:
    with pytest.raises(ValueError, match="RateLimit"):
        RateLimit(requests, seconds)  # type: ignore[arg-type]


def test_rate_limit_config_takes_a_list() -> None:
    config = RateLimitConfig(limits=[RateLimit(1, 1.0)])  # type: ignore[arg-type]
    assert config.limits == (RateLimit(1, 1.0),)
    with pytest.raises(TypeError, match="RateLimit"):
        RateLimitConfig(limits=((1, 1.0),))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- slots held until the answer


async def hold(clock: FakeClock, gov: RateGovernor, latency: float, op: Operation = PLAIN) -> float:
    """Acquire, 'send' for ``latency`` virtual seconds, release; the grant time."""
    permit = await gov.acquire(op)
    granted = clock.now
    await clock.sleep(latency)
    await permit.release()
    return granted


@pytest.mark.anyio
async def test_a_slot_is_held_until_the_answer_and_one_window_after() -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(2, 1.0))
    grants: list[float] = []

    async def job() -> None:
        grants.append(await hold(clock, gov, 0.5))

    await clock.run(*([job] * 5))
    # each pair answers 0.5 s after its grant; its slots come back one window later
    assert sorted(grants) == [0, 0, 1.5, 1.5, 3.0]


@pytest.mark.anyio
async def test_a_waiter_wakes_on_the_first_answer_when_all_slots_are_in_flight() -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(1, 1.0))
    grants: list[float] = []

    async def slow() -> None:
        grants.append(await hold(clock, gov, 7.0))

    async def quick() -> None:
        grants.append(await hold(clock, gov, 0.0))

    await clock.run(slow, quick, stagger=True)
    assert grants == [0.0, 8.0]


@pytest.mark.anyio
async def test_operation_lane_waits_for_its_own_answers() -> None:
    clock = FakeClock()
    slow_op = make_op("slowOp", "GET", "/api/v2/slow", rate_limits=(RateLimit(1, 5.0),))
    gov = governor(clock, RateLimit(10, 1.0))
    grants: list[tuple[str, float]] = []

    def job(op: Operation, latency: float) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            grants.append((op.operation_id, await hold(clock, gov, latency, op)))

        return run

    await clock.run(job(slow_op, 2.0), job(slow_op, 0.0), job(PLAIN, 0.0), stagger=True)
    assert sorted(grants) == [("getLead", 0.0), ("slowOp", 0.0), ("slowOp", 7.0)]


@pytest.mark.anyio
async def test_releasing_twice_frees_one_slot() -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(2, 1.0))
    permit = await gov.acquire(PLAIN)
    await permit.release()
    await permit.release()
    window = gov._workspace[0]
    assert (window.in_flight, list(window.released)) == (0, [0.0])


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "resume"),
    [({"Retry-After": "3"}, 3.0), ({"Retry-After": "3600"}, 60.0), ({}, 0.0)],
)
async def test_a_429_with_retry_after_pauses_every_task(
    headers: dict[str, str], resume: float
) -> None:
    clock = FakeClock()
    gov = governor(clock, RateLimit(100, 1.0))
    grants: list[float] = []

    async def throttled() -> None:
        permit = await gov.acquire(PLAIN)
        await permit.release(httpx.Response(429, headers=headers))

    async def later() -> None:
        permit = await gov.acquire(PLAIN)
        grants.append(clock.now)
        await permit.release(httpx.Response(200))

    await clock.run(throttled, later, later, stagger=True)
    assert grants == [resume, resume]


@pytest.mark.anyio
async def test_client_frees_the_slot_when_the_answer_arrives() -> None:
    clock = FakeClock()
    answered: list[float] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        await clock.sleep(0.25)
        answered.append(clock.now)
        return json_response(200, {})

    async with httpx.AsyncClient(transport=httpx.MockTransport(slow)) as http:
        from instantly_async import AsyncInstantly

        client = AsyncInstantly("key", http_client=http, rate_limit=None, max_retries=0)
        client._governor = governor(clock, RateLimit(1, 1.0))

        async def call() -> None:
            await client._request(PLAIN, get_request())

        await clock.run(call, call, call)
    assert answered == [0.25, 1.5, 2.75]


@pytest.mark.anyio
async def test_client_frees_the_slot_when_sending_fails() -> None:
    clock = FakeClock()
    server = Server(httpx.ReadError, json_response(200, {}))
    async with harness(server, max_retries=0) as h:
        h.client._governor = gov = governor(clock, RateLimit(5, 1.0))
        with pytest.raises(APIConnectionError):
            await h.client._request(PLAIN, get_request())
        window = gov._workspace[0]
        assert (window.in_flight, len(window.released)) == (0, 1)


@pytest.mark.anyio
async def test_client_frees_the_slot_when_cancelled_in_flight() -> None:
    clock = FakeClock()

    async def never(request: httpx.Request) -> httpx.Response:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async with httpx.AsyncClient(transport=httpx.MockTransport(never)) as http:
        from instantly_async import AsyncInstantly

        client = AsyncInstantly("key", http_client=http, rate_limit=None, max_retries=0)
        client._governor = gov = governor(clock, RateLimit(5, 1.0))
        with anyio.move_on_after(0.01):
            await client._request(PLAIN, get_request())
        window = gov._workspace[0]
        assert (window.in_flight, len(window.released)) == (0, 1)
