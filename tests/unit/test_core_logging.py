"""Logging: what is logged, and that the API key never is."""

from __future__ import annotations

import logging

import httpx
import pytest
from _core_support import API_KEY, Server, get_request, harness, json_response, make_op

from instantly_async import APIError, AsyncInstantly

GET_LEAD = make_op("getLead", "GET", "/api/v2/leads/{id}")


def record_text(record: logging.LogRecord) -> str:
    return f"{record.getMessage()} {record.__dict__!r}"


@pytest.mark.anyio
async def test_requests_and_retries_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="instantly_async")
    server = Server(json_response(503, {}), json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(GET_LEAD, get_request("/api/v2/leads/abc"))
    ours = [r for r in caplog.records if r.name == "instantly_async"]
    messages = [r.getMessage() for r in ours]
    assert messages[0].startswith("GET /api/v2/leads/abc -> 503 in ")
    assert messages[0].endswith("ms (getLead, attempt 1)")
    assert (
        messages[1] == "Retrying GET /api/v2/leads/abc in 0.50 s after 503 (getLead, retry 1 of 2)"
    )
    assert messages[2].startswith("GET /api/v2/leads/abc -> 200 in ")
    assert [r.levelno for r in ours] == [logging.DEBUG, logging.INFO, logging.DEBUG]
    last = ours[2]
    assert last.__dict__["operation_id"] == "getLead"
    assert last.__dict__["http_method"] == "GET"
    assert last.__dict__["http_path"] == "/api/v2/leads/abc"
    assert last.__dict__["status_code"] == 200
    assert last.__dict__["attempt"] == 2
    assert last.__dict__["duration_ms"] >= 0


@pytest.mark.anyio
async def test_transport_failures_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="instantly_async")
    async with harness(Server(httpx.ConnectError), max_retries=1) as h:
        with pytest.raises(APIError):
            await h.client._request(GET_LEAD, get_request("/api/v2/leads/abc"))
    messages = [r.getMessage() for r in caplog.records if r.name == "instantly_async"]
    assert "GET /api/v2/leads/abc connection failed after" in messages[0]
    assert messages[1].startswith("Retrying GET /api/v2/leads/abc in 0.50 s after ConnectError")
    assert len(messages) == 3


@pytest.mark.anyio
async def test_the_api_key_is_never_logged(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    monkeypatch.setenv("INSTANTLY_API_KEY", API_KEY)
    server = Server(
        json_response(503, {}),
        json_response(429, {}, {"Retry-After": "0"}),
        json_response(200, {}),
        json_response(401, {"message": "Invalid API key"}),
        httpx.ReadTimeout,
    )
    errors: list[Exception] = []
    async with harness(server, api_key=None, max_retries=2) as h:
        await h.client._request(GET_LEAD, get_request())
        for _ in range(2):
            try:
                await h.client.with_options(max_retries=0)._request(GET_LEAD, get_request())
            except APIError as exc:
                errors.append(exc)
    async with AsyncInstantly():  # its own pool, logging its own setup
        pass
    assert len(errors) == 2
    assert len(caplog.records) >= 6
    for record in caplog.records:
        assert API_KEY not in record_text(record)
    for error in errors:
        assert API_KEY not in str(error)
        assert API_KEY not in repr(error)
