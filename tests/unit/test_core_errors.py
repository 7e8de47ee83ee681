"""Non-2xx responses and transport failures become typed errors."""

from __future__ import annotations

import pickle

import httpx
import pytest
from _core_support import Server, get_request, harness, json_response, make_op, post_request

from instantly_async import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InstantlyError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    UnknownOperationError,
)

LIST_LEADS = make_op()


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (402, PaymentRequiredError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, APIStatusError),
        (409, ConflictError),
        (413, BadRequestError),
        (418, APIStatusError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (507, InternalServerError),
        (302, APIStatusError),
    ],
)
@pytest.mark.anyio
async def test_status_maps_to_error_class(status: int, error_class: type[APIStatusError]) -> None:
    server = Server(json_response(status, {"statusCode": status, "message": "nope"}))
    async with harness(server, max_retries=0) as h:
        with pytest.raises(APIStatusError) as caught:
            await h.client._request(LIST_LEADS, post_request())
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert server.count == 1


@pytest.mark.anyio
async def test_error_carries_the_json_body_and_the_call() -> None:
    body = {"statusCode": 404, "error": "Not Found", "message": "Lead not found"}
    server = Server(json_response(404, body))
    op = make_op("getLead", "GET", "/api/v2/leads/{id}")
    async with harness(server) as h:
        with pytest.raises(NotFoundError) as caught:
            await h.client._request(op, get_request("/api/v2/leads/abc", expand=1))
    error = caught.value
    assert error.message == str(error)
    assert str(error) == "404 Not Found from getLead (GET /api/v2/leads/{id}): Lead not found"
    assert error.body == body
    assert error.operation_id == "getLead"
    assert error.method == "GET"
    assert error.url == "https://api.instantly.ai/api/v2/leads/abc"
    assert error.response.status_code == 404
    assert error.required_scopes == op.required_scopes


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(500, text="<html>oops</html>"), "500 Internal Server Error from listLeads"),
        (httpx.Response(409), "409 Conflict from listLeads (POST /api/v2/leads/list)"),
        (
            json_response(400, {"message": ["name is required", "limit too big"]}),
            "list): name is required; limit too big",
        ),
        (json_response(400, {"message": 17}), "400 Bad Request from listLeads"),
        (json_response(418, ["not", "a", "dict"]), "418 I'm a teapot from listLeads"),
    ],
)
@pytest.mark.anyio
async def test_message_falls_back_to_status_text(response: httpx.Response, expected: str) -> None:
    async with harness(Server(response), max_retries=0) as h:
        with pytest.raises(APIStatusError) as caught:
            await h.client._request(LIST_LEADS, post_request())
    assert expected in str(caught.value)
    if response.headers.get("content-type") != "application/json":
        assert caught.value.body == (response.text or None)


@pytest.mark.parametrize(
    ("status", "error_class"), [(401, AuthenticationError), (403, PermissionDeniedError)]
)
@pytest.mark.anyio
async def test_auth_errors_name_the_scopes(status: int, error_class: type[APIStatusError]) -> None:
    body = {"statusCode": status, "error": "Unauthorized", "message": "Invalid scopes"}
    async with harness(Server(json_response(status, body))) as h:
        with pytest.raises(error_class) as caught:
            await h.client._request(LIST_LEADS, post_request())
    assert str(caught.value) == (
        f"{status} Unauthorized: Invalid scopes. listLeads (POST /api/v2/leads/list) needs an API "
        "key with one of the scopes: leads:read, leads:all, all:read, all:all"
    )
    assert caught.value.required_scopes == ("leads:read", "leads:all", "all:read", "all:all")


@pytest.mark.anyio
async def test_auth_error_without_body_or_scopes() -> None:
    async with harness(Server(httpx.Response(401))) as h:
        with pytest.raises(AuthenticationError) as caught:
            await h.client._request(LIST_LEADS, post_request())
        assert str(caught.value).startswith("401 Unauthorized: listLeads (POST")
        with pytest.raises(AuthenticationError) as caught:
            await h.client._request(make_op(scopes=()), post_request())
    assert str(caught.value) == "401 Unauthorized from listLeads (POST /api/v2/leads/list)"
    assert caught.value.required_scopes == ()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0.5", 0.5), (None, None), ("soon", None)],
)
@pytest.mark.anyio
async def test_rate_limit_error_reads_retry_after(
    header: str | None, expected: float | None
) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    async with harness(Server(json_response(429, {}, headers)), max_retries=0) as h:
        with pytest.raises(RateLimitError) as caught:
            await h.client._request(LIST_LEADS, post_request())
    assert caught.value.retry_after == expected


@pytest.mark.parametrize(
    ("failure", "error_class", "words"),
    [
        (httpx.ConnectError, APIConnectionError, "connection failed: ConnectError"),
        (httpx.ReadError, APIConnectionError, "connection failed: ReadError"),
        (httpx.ConnectTimeout, APITimeoutError, "timed out: ConnectTimeout"),
        (httpx.ReadTimeout, APITimeoutError, "timed out: ReadTimeout"),
    ],
)
@pytest.mark.anyio
async def test_transport_failures(
    failure: type[httpx.TransportError], error_class: type[APIConnectionError], words: str
) -> None:
    async with harness(Server(failure), max_retries=0) as h:
        with pytest.raises(APIConnectionError) as caught:
            await h.client._request(LIST_LEADS, post_request())
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error.__cause__, failure)
    assert words in str(error)
    assert error.url == "https://api.instantly.ai/api/v2/leads/list"
    assert (error.operation_id, error.method, error.body) == ("listLeads", "POST", None)


def test_error_tree() -> None:
    assert issubclass(APIError, InstantlyError)
    for cls in (APIStatusError, APIConnectionError, APIResponseValidationError):
        assert issubclass(cls, APIError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        PaymentRequiredError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        InternalServerError,
    ):
        assert issubclass(cls, APIStatusError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(PaginationError, InstantlyError)
    assert issubclass(UnknownOperationError, KeyError)
    assert issubclass(UnknownOperationError, InstantlyError)


@pytest.mark.anyio
async def test_errors_pickle() -> None:
    body = {"message": "slow down"}
    async with harness(Server(json_response(429, body, {"Retry-After": "2"})), max_retries=0) as h:
        with pytest.raises(RateLimitError) as caught:
            await h.client._request(LIST_LEADS, post_request())
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is RateLimitError
    assert (copy.status_code, copy.retry_after, copy.body) == (429, 2.0, body)
    assert str(copy) == str(caught.value)
    timeout = APITimeoutError("timed out", operation_id="x", method="GET", url="u")
    assert pickle.loads(pickle.dumps(timeout)).url == "u"
