"""The API key leaks nowhere: messages, pickles, log records, tracebacks with locals."""

from __future__ import annotations

import logging
import pickle
import socket
import traceback
from collections.abc import Iterator

import httpx
import pytest
from _fault_server import FaultServer

from instantly_async import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AsyncInstantly,
    ConfigurationError,
    InstantlyError,
)
from instantly_async._generated.operations import OPERATIONS

KEY = "sk-live-4f8a2c9e1b7d-SECRET"
GET_LEAD = OPERATIONS["getLead"]
DELETE_LEADS = OPERATIONS["bulkDeleteLeads"]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(stall_seconds=2.0) as fault_server:
        yield fault_server


def _traceback_text(error: BaseException) -> str:
    """Everything a traceback printed with locals would show, causes included."""
    exc = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "".join(exc.format())


def _package_frames_text(error: BaseException) -> str:
    """The locals of this package's frames in the traceback (the caller's own frames hold
    what the caller passed, out of the package's hands)."""
    exc: traceback.TracebackException | None = traceback.TracebackException.from_exception(
        error, capture_locals=True
    )
    parts: list[str] = []
    while exc is not None:
        for frame in exc.stack:
            if "instantly_async" in frame.filename:
                parts.append(repr(frame.locals))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def assert_no_key(error: BaseException) -> None:
    texts = [str(error), repr(error), _traceback_text(error), repr(error.__dict__)]
    for text in texts:
        assert KEY not in text
    assert KEY.encode() not in pickle.dumps(error)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)


def _client(base_url: str, **options: object) -> AsyncInstantly:
    return AsyncInstantly(f"  {KEY}\n", base_url=base_url, rate_limit=None, **options)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_surrounding_whitespace_is_stripped(server: FaultServer) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with http, AsyncInstantly(f"\t {KEY} \r\n", http_client=http, rate_limit=None) as c:
        await c._request(GET_LEAD, {"method": "get", "url": "/api/v2/leads/x"})
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize(
    "bad", [f"{KEY}\nX-Injected: 1", f"{KEY}\x00", f"{KEY} extra", f"{KEY}é", f"{KEY}\u200b"]
)
def test_bad_keys_are_refused_without_showing_them(bad: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AsyncInstantly(bad)
    assert "API key" in str(caught.value)
    error: Exception = caught.value
    assert isinstance(error, ValueError) and isinstance(error, InstantlyError)
    text = _package_frames_text(caught.value)
    assert "_api_key" in text or "api_key" in text  # the package's frames were looked at
    assert KEY not in text and KEY not in str(caught.value)
    assert KEY[:8] not in str(caught.value)


def test_the_key_is_not_in_reprs() -> None:
    client = AsyncInstantly(KEY)
    assert KEY not in repr(client)
    assert KEY not in repr(client._headers) and KEY not in repr(vars(client))
    with pytest.raises(TypeError):
        pickle.dumps(client)


@pytest.mark.anyio
async def test_status_errors_pickle_without_the_key(server: FaultServer) -> None:
    server.reset()
    server.plan("/api/v2/leads/x", "status:404")
    async with _client(server.base_url) as client:
        with pytest.raises(APIStatusError) as caught:
            await client._request(GET_LEAD, {"method": "get", "url": "/api/v2/leads/x"})
    error = caught.value
    assert error.response.request.headers["authorization"] == "[REDACTED]"
    assert_no_key(error)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.status_code == 404 and copy.request_id == "req-404"
    assert copy.response.request.url == error.response.request.url


@pytest.mark.anyio
async def test_validation_errors_pickle_without_the_key(server: FaultServer) -> None:
    server.reset()
    server.plan("/api/v2/leads/x", "ok")

    def parse(response: httpx.Response) -> object:
        raise ValueError("nope")

    async with _client(server.base_url) as client:
        with pytest.raises(APIResponseValidationError) as caught:
            await client._call(GET_LEAD, {"method": "get", "url": "/api/v2/leads/x"}, parse)
    assert_no_key(caught.value)


@pytest.mark.parametrize("fault", ["reset_after_head", "half_body", "stall_body"])
@pytest.mark.anyio
async def test_connection_errors_carry_no_key(server: FaultServer, fault: str) -> None:
    server.reset()
    server.plan("/api/v2/leads", fault)
    request = {"method": "delete", "url": "/api/v2/leads", "json": {"limit": 1}}
    async with _client(server.base_url, timeout=httpx.Timeout(5.0, read=0.2)) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client._request(DELETE_LEADS, request)
    assert caught.value.__cause__ is not None
    assert_no_key(caught.value)


@pytest.mark.anyio
async def test_refused_connection_and_logs_carry_no_key(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    client = _client(f"http://127.0.0.1:{port}", max_retries=1)
    client._retry = client._retry.__class__(max_retries=1, initial_delay=0.0)
    async with client:
        with pytest.raises(APIError) as caught:
            await client._request(GET_LEAD, {"method": "get", "url": "/api/v2/leads/x"})
    assert_no_key(caught.value)
    assert caplog.records, "debug logging was on: records were expected"
    for record in caplog.records:
        assert KEY not in record.getMessage() and KEY not in repr(vars(record))
