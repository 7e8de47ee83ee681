"""Retries: what is retried, how long the client waits, and Retry-After."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from _core_support import (
    FakeClock,
    Reply,
    Server,
    get_request,
    harness,
    json_response,
    make_op,
    post_request,
)

from instantly_async import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimit,
    RateLimitConfig,
    RateLimitError,
)
from instantly_async._generated.operations import OPERATIONS
from instantly_async._operation import Operation, RetryClass
from instantly_async._ratelimit import RateGovernor
from instantly_async._retry import RetryPolicy, parse_retry_after

GET_LEAD = make_op("getLead", "GET", "/api/v2/leads/{id}")
CREATE_LEAD = make_op("createLead", "POST", "/api/v2/leads/list", retry="unsafe")
PATCH_LEAD = make_op("patchLead", "PATCH", "/api/v2/leads/{id}", retry="idempotent")
BULK_UPDATE = make_op("moveLeads", "POST", "/api/v2/leads/list", retry="unsafe")
BULK_DELETE = make_op("bulkDeleteLeads", "DELETE", "/api/v2/leads/list", retry="unsafe")
LIST_LEADS = make_op("listLeads", "POST", "/api/v2/leads/list", retry="safe")
NOW = 1_700_000_000.0


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("-4", 0.0),
        ("0", 0.0),
        (http_date(NOW + 30), 30.0),
        (http_date(NOW - 30), 0.0),
        ("Tue, 14 Nov 2023 22:13:50 -0000", 30.0),
        ("nan", None),
        ("inf", None),
        ("in a while", None),
        ("", None),
    ],
)
def test_parse_retry_after(value: str, expected: float | None) -> None:
    assert parse_retry_after({"retry-after": value}, now=lambda: NOW) == expected


def test_parse_retry_after_without_header() -> None:
    assert parse_retry_after(httpx.Headers()) is None
    assert parse_retry_after(httpx.Headers({"Retry-After": "2"})) == 2.0


def test_backoff_is_capped_exponential_with_jitter() -> None:
    no_jitter = RetryPolicy(random=lambda: 0.0)
    assert [no_jitter.delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert no_jitter.delay(10_000) == 8.0
    full_jitter = RetryPolicy(random=lambda: 1.0)
    assert [full_jitter.delay(n) for n in range(3)] == [0.375, 0.75, 1.5]


def test_retry_after_wins_over_backoff_and_is_capped() -> None:
    policy = RetryPolicy(random=lambda: 0.0, now=lambda: NOW)
    assert policy.delay(3, {"retry-after": "2"}) == 2.0
    assert policy.delay(0, {"retry-after": "3600"}) == 60.0
    assert policy.delay(0, {"retry-after": http_date(NOW + 7200)}) == 60.0
    assert policy.delay(1, {"retry-after": "garbage"}) == 1.0
    assert policy.delay(1, {}) == 1.0


@pytest.mark.parametrize(
    ("retry", "status", "expected"),
    [
        ("safe", 429, True),
        ("safe", 500, True),
        ("safe", 501, True),
        ("idempotent", 503, True),
        ("idempotent", 504, True),
        ("safe", 400, False),
        ("safe", 404, False),
        ("idempotent", 409, False),
        ("unsafe", 429, True),
        ("unsafe", 500, False),
        ("unsafe", 503, False),
        ("unsafe", 502, False),
    ],
)
def test_which_statuses_are_retried(retry: RetryClass, status: int, expected: bool) -> None:
    assert RetryPolicy().should_retry_status(retry, status) is expected


@pytest.mark.parametrize(
    ("retry", "error", "expected"),
    [
        ("unsafe", httpx.ConnectError, True),
        ("unsafe", httpx.ConnectTimeout, True),
        ("unsafe", httpx.PoolTimeout, True),
        ("unsafe", httpx.ReadTimeout, False),
        ("unsafe", httpx.WriteTimeout, False),
        ("unsafe", httpx.ReadError, False),
        ("unsafe", httpx.RemoteProtocolError, False),
        ("safe", httpx.ReadTimeout, True),
        ("safe", httpx.ReadError, True),
        ("idempotent", httpx.RemoteProtocolError, True),
        ("idempotent", httpx.WriteTimeout, True),
        ("safe", httpx.LocalProtocolError, False),
        ("safe", httpx.UnsupportedProtocol, False),
    ],
)
def test_which_failures_are_retried(
    retry: RetryClass, error: type[httpx.TransportError], expected: bool
) -> None:
    assert RetryPolicy().should_retry_error(retry, error("x")) is expected


def test_hand_made_operations_take_their_class_from_the_method() -> None:
    assert make_op("x", "GET", "/x").retry_class == "safe"
    assert make_op("x", "DELETE", "/x").retry_class == "unsafe"
    assert make_op("x", "POST", "/x").retry_class == "unsafe"
    assert make_op("x", "POST", "/x", retry="safe").retry_class == "safe"


@pytest.mark.anyio
async def test_get_retried_on_503_then_succeeds() -> None:
    server = Server(json_response(503, {}), json_response(200, {"id": "abc"}))
    async with harness(server) as h:
        response = await h.client._request(GET_LEAD, get_request())
    assert response.json() == {"id": "abc"}
    assert server.count == 2
    assert h.sleeps == [0.5]


@pytest.mark.anyio
async def test_retry_after_seconds_is_honoured() -> None:
    server = Server(json_response(429, {}, {"Retry-After": "3"}), json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(CREATE_LEAD, post_request())
    assert server.count == 2
    assert h.sleeps == [3.0]


@pytest.mark.anyio
async def test_retry_after_http_date_is_honoured() -> None:
    headers = {"Retry-After": http_date(NOW + 12)}
    server = Server(json_response(503, {}, headers), json_response(200, {}))
    async with harness(server, now=NOW) as h:
        await h.client._request(GET_LEAD, get_request())
    assert h.sleeps == [12.0]


@pytest.mark.parametrize("op", [CREATE_LEAD, BULK_UPDATE, BULK_DELETE])
@pytest.mark.anyio
async def test_unsafe_operations_are_not_resent_after_a_500(op: Operation) -> None:
    server = Server(json_response(500, {}), json_response(200, {}))
    async with harness(server) as h:
        with pytest.raises(InternalServerError):
            await h.client._request(op, post_request())
    assert server.count == 1
    assert h.sleeps == []


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError])
@pytest.mark.anyio
async def test_post_is_not_resent_after_it_may_have_arrived(
    failure: type[httpx.TransportError],
) -> None:
    server = Server(failure, json_response(200, {}))
    async with harness(server) as h:
        with pytest.raises(APIConnectionError) as caught:
            await h.client._request(CREATE_LEAD, post_request())
    assert isinstance(caught.value.__cause__, failure)
    assert server.count == 1


@pytest.mark.parametrize("first", [json_response(429, {}), httpx.ConnectError])
@pytest.mark.anyio
async def test_post_is_retried_on_429_and_connect_error(first: Reply) -> None:
    server = Server(first, json_response(201, {"id": "new"}))
    async with harness(server) as h:
        response = await h.client._request(CREATE_LEAD, post_request(body={"email": "a@b.c"}))
    assert response.status_code == 201
    assert server.count == 2
    assert [r.read() for r in server.requests] == [b'{"email":"a@b.c"}'] * 2


@pytest.mark.parametrize("failure", [httpx.ConnectTimeout, httpx.PoolTimeout])
@pytest.mark.anyio
async def test_patch_is_retried_when_nothing_was_sent(failure: type[httpx.TransportError]) -> None:
    server = Server(failure, json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(PATCH_LEAD, post_request())
    assert server.count == 2


@pytest.mark.anyio
async def test_get_is_retried_on_read_timeout() -> None:
    server = Server(httpx.ReadTimeout, httpx.ReadTimeout, json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(GET_LEAD, get_request())
    assert server.count == 3
    assert h.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_exhausted_retries_raise_the_last_error() -> None:
    server = Server(json_response(503, {}), json_response(500, {}), json_response(502, {}))
    async with harness(server, max_retries=2) as h:
        with pytest.raises(InternalServerError) as caught:
            await h.client._request(GET_LEAD, get_request())
    assert caught.value.status_code == 502
    assert server.count == 3
    assert h.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_exhausted_retries_on_timeouts_raise_a_timeout() -> None:
    server = Server(httpx.ConnectTimeout)
    async with harness(server, max_retries=3) as h:
        with pytest.raises(APITimeoutError):
            await h.client._request(CREATE_LEAD, post_request())
    assert server.count == 4


@pytest.mark.anyio
async def test_max_retries_zero_disables_retries() -> None:
    server = Server(json_response(429, {}, {"Retry-After": "1"}), json_response(200, {}))
    async with harness(server, max_retries=0) as h:
        with pytest.raises(RateLimitError):
            await h.client._request(GET_LEAD, get_request())
        server.replies.insert(0, json_response(429, {}))
        response = await h.client.with_options(max_retries=1)._request(GET_LEAD, get_request())
    assert response.status_code == 200
    assert server.count == 3


@pytest.mark.parametrize(("status", "error"), [(400, BadRequestError), (404, NotFoundError)])
@pytest.mark.anyio
async def test_client_errors_are_not_retried(status: int, error: type[Exception]) -> None:
    server = Server(json_response(status, {}), json_response(200, {}))
    async with harness(server) as h:
        with pytest.raises(error):
            await h.client._request(GET_LEAD, get_request())
    assert server.count == 1


@pytest.mark.anyio
async def test_each_retry_takes_a_rate_limit_slot() -> None:
    clock = FakeClock()
    server = Server(json_response(503, {}), json_response(200, {}))
    async with harness(server, max_retries=1) as h:
        config = RateLimitConfig(limits=(RateLimit(1, 10.0),))
        h.client._governor = RateGovernor(config, clock=clock.time, sleep=clock.sleep)
        sent_at: list[float] = []

        def record(request: httpx.Request) -> httpx.Response:
            sent_at.append(clock.now)
            return json_response(503, {}) if len(sent_at) == 1 else json_response(200, {})

        server.replies = [record]

        async def call() -> None:
            await h.client._request(GET_LEAD, get_request())

        await clock.run(call)
    assert sent_at == [0.0, 10.0]
    assert h.sleeps == [0.5]


@pytest.mark.parametrize("op", [PATCH_LEAD, LIST_LEADS])
@pytest.mark.anyio
async def test_idempotent_and_safe_posts_are_resent_after_a_500_or_a_reset(op: Operation) -> None:
    server = Server(json_response(500, {}), httpx.ReadError, json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(op, post_request())
    assert server.count == 3


def test_generated_operations_carry_their_retry_class() -> None:
    assert OPERATIONS["listLeads"].retry_class == "safe"  # POST, yet a read
    assert OPERATIONS["bulkDeleteLeads"].retry_class == "unsafe"  # DELETE, yet a bulk change
    assert OPERATIONS["deleteLead"].retry_class == "idempotent"
    assert OPERATIONS["createLead"].retry_class == "unsafe"
    assert OPERATIONS["getLead"].retry_class == "safe"
    assert all(op.retry is not None for op in OPERATIONS.values())
