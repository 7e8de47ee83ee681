"""Every failure is an InstantlyError: options checked up front, bounded messages, request
ids, closed clients, and with_options built by the constructor."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from _core_support import Server, get_request, harness, json_response, make_op

from instantly_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AsyncInstantly,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    InstantlyError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    RateLimit,
)
from instantly_async._exceptions import MAX_MESSAGE_DETAIL

GET_LEAD = make_op("getLead", "GET", "/api/v2/leads/{id}")
KEY = "key-123"


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"timeout": "abc"}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": "3"}, "max_retries"),
        ({"max_retries": 2.0}, "max_retries"),
        ({"rate_limit": "fast"}, "rate_limit"),
        ({"rate_limit": [RateLimit(1, 1.0), "x"]}, "rate_limit"),
        ({"rate_limit": 10}, "rate_limit"),
        ({"base_url": "ftp://x"}, "base_url"),
        ({"http_client": object()}, "http_client"),
        ({"default_headers": {"X-A": "line\nbreak"}}, "default_headers"),
        ({"default_headers": {"X-A": 1}}, "default_headers"),
        ({"default_headers": "X-A: 1"}, "default_headers"),
    ],
)
def test_bad_options_are_refused_at_construction(options: dict[str, Any], name: str) -> None:
    with pytest.raises(ConfigurationError, match=name) as caught:
        AsyncInstantly(KEY, **options)
    error: Exception = caught.value
    assert isinstance(error, ValueError) and isinstance(error, TypeError)


def test_bad_options_are_refused_by_with_options() -> None:
    client = AsyncInstantly(KEY)
    with pytest.raises(ConfigurationError, match="timeout"):
        client.with_options(timeout="abc")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="max_retries"):
        client.with_options(max_retries=-2)


@pytest.mark.parametrize("max_items", [-1, "10", 2.5, True])
@pytest.mark.anyio
async def test_bad_max_items_is_refused_at_call(max_items: Any) -> None:
    async with harness(Server(json_response(200, {"items": []}))) as h:
        with pytest.raises(ConfigurationError, match="max_items"):
            h.client.lead.list(max_items=max_items)
    assert h.server.count == 0


@pytest.mark.anyio
async def test_per_call_timeout_is_checked_and_honoured() -> None:
    server = Server(json_response(200, {}))
    async with harness(server, timeout=9.0) as h:
        request = {**get_request(), "timeout": 1.5}
        await h.client._request(GET_LEAD, request)
        with pytest.raises(ConfigurationError, match="timeout"):
            await h.client._request(GET_LEAD, {**get_request(), "timeout": "soon"})
    assert server.requests[0].extensions["timeout"] == httpx.Timeout(1.5).as_dict()
    assert server.count == 1


@pytest.mark.anyio
async def test_a_huge_server_message_is_cut_and_kept_whole_on_body() -> None:
    message = "x" * 1_000_000
    server = Server(json_response(400, {"error": "Bad Request", "message": message}))
    async with harness(server) as h:
        with pytest.raises(BadRequestError) as caught:
            await h.client._request(GET_LEAD, get_request())
    text = str(caught.value)
    assert len(text) < MAX_MESSAGE_DETAIL + 300
    assert "more characters on .body" in text
    assert isinstance(caught.value.body, dict) and caught.value.body["message"] == message


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-request-id": "abc-1"}, "abc-1"),
        ({"cf-ray": "8c1f2a3b4c5d6e7f-AMS"}, "8c1f2a3b4c5d6e7f-AMS"),
        ({"x-request-id": "abc-1", "cf-ray": "ray"}, "abc-1"),
        ({}, None),
    ],
)
@pytest.mark.anyio
async def test_every_status_error_carries_the_request_id(
    headers: dict[str, str], expected: str | None
) -> None:
    server = Server(json_response(404, {"message": "no"}, headers))
    async with harness(server) as h:
        with pytest.raises(NotFoundError) as caught:
            await h.client._request(GET_LEAD, get_request())
    assert caught.value.request_id == expected
    assert (f"request id {expected}" in str(caught.value)) is (expected is not None)


@pytest.mark.anyio
async def test_unsafe_5xx_says_it_may_have_been_applied() -> None:
    unsafe = make_op("bulkDeleteLeads", "DELETE", "/api/v2/leads", retry="unsafe")
    server = Server(json_response(500, {}), json_response(200, {}))
    async with harness(server) as h:
        with pytest.raises(InternalServerError) as caught:
            await h.client._request(unsafe, {"method": "delete", "url": "/api/v2/leads"})
    assert caught.value.may_have_been_applied is True
    assert "may have been applied" in str(caught.value)
    assert server.count == 1


@pytest.mark.anyio
async def test_errors_building_the_request_are_typed() -> None:
    server = Server(json_response(200, {}))
    async with harness(server) as h:
        request = {**get_request(), "headers": {"X-Name": "caf\u00e9"}}  # not ASCII
        with pytest.raises(APIConnectionError, match="could not be sent") as caught:
            await h.client._request(GET_LEAD, request)
    assert isinstance(caught.value.__cause__, UnicodeEncodeError)
    assert caught.value.may_have_been_applied is False
    assert server.count == 0


@pytest.mark.anyio
async def test_calls_on_a_closed_client() -> None:
    client = AsyncInstantly(KEY, rate_limit=None)
    await client.aclose()
    with pytest.raises(ClientClosedError, match="closed") as caught:
        await client._request(GET_LEAD, get_request())
    error: Exception = caught.value
    assert isinstance(error, InstantlyError) and isinstance(error, RuntimeError)


@pytest.mark.anyio
async def test_path_refusals_are_instantly_errors() -> None:
    async with harness(Server(json_response(200, {}))) as h:
        with pytest.raises(InvalidRequestError) as caught:
            await h.client.lead.delete("..")
    error: Exception = caught.value
    assert isinstance(error, ValueError) and isinstance(error, InstantlyError)


def test_with_options_calls_the_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    original = AsyncInstantly.__init__

    def spy(self: AsyncInstantly, *args: Any, **kwargs: Any) -> None:
        calls.append(kwargs)
        original(self, *args, **kwargs)

    client = AsyncInstantly(KEY, default_headers={"X-A": "1"}, max_retries=4)
    monkeypatch.setattr(AsyncInstantly, "__init__", spy)
    copy = client.with_options(max_retries=1, headers={"X-B": "2"})
    assert len(calls) == 1 and calls[0]["http_client"] is client._http
    assert copy._headers["X-A"] == "1" and copy._headers["X-B"] == "2"
    assert copy.max_retries == 1 and client.max_retries == 4
    assert copy._governor is client._governor
    assert copy._owns_http is False


def test_status_error_is_still_an_api_status_error() -> None:
    assert issubclass(BadRequestError, APIStatusError)


@pytest.mark.anyio
async def test_a_change_whose_answer_does_not_parse_was_applied() -> None:
    unsafe = make_op("createLead", "POST", "/api/v2/leads", retry="unsafe")

    def broken(response: httpx.Response) -> object:
        raise KeyError("id")

    async with harness(Server(json_response(200, {}))) as h:
        with pytest.raises(APIResponseValidationError) as caught:
            await h.client._call(unsafe, {"method": "post", "url": "/api/v2/leads"}, broken)
        assert caught.value.may_have_been_applied is True
        with pytest.raises(APIResponseValidationError) as read:
            await h.client._call(GET_LEAD, get_request(), broken)
        assert read.value.may_have_been_applied is False
