"""AsyncInstantly: construction, headers, base URL, pool ownership, with_options."""

from __future__ import annotations

import httpx
import pytest
from _core_support import API_KEY, Server, get_request, harness, json_response, make_op

from instantly_async import AsyncInstantly, InstantlyError, RateLimit, RateLimitConfig, __version__
from instantly_async._client import DEFAULT_TIMEOUT
from instantly_async._ratelimit import DEFAULT_RATE_LIMITS

OP = make_op("getLead", "GET", "/api/v2/leads/{id}")


def test_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSTANTLY_API_KEY", raising=False)
    with pytest.raises(InstantlyError, match="INSTANTLY_API_KEY"):
        AsyncInstantly()


@pytest.mark.parametrize("key", ["", "   "])
def test_empty_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.delenv("INSTANTLY_API_KEY", raising=False)
    with pytest.raises(InstantlyError, match="No API key"):
        AsyncInstantly(key)
    monkeypatch.setenv("INSTANTLY_API_KEY", key)
    with pytest.raises(InstantlyError, match="No API key"):
        AsyncInstantly()


@pytest.mark.anyio
async def test_api_key_falls_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTANTLY_API_KEY", "env-key")
    server = Server(json_response(200, {"id": "abc"}))
    async with harness(server, api_key=None) as h:
        await h.client._request(OP, get_request())
    assert server.requests[0].headers["authorization"] == "Bearer env-key"


@pytest.mark.anyio
async def test_explicit_api_key_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTANTLY_API_KEY", "env-key")
    server = Server(json_response(200, {}))
    async with harness(server) as h:
        await h.client._request(OP, get_request())
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.anyio
async def test_request_headers_url_params_and_body() -> None:
    server = Server(json_response(200, {}))
    async with harness(server, default_headers={"X-Team": "growth"}) as h:
        request = {
            "method": "post",
            "url": "/api/v2/leads/list",
            "params": {"ids": ["a", "b"], "limit": 10},
            "json": {"search": "jane"},
            "headers": {"X-Request": "1"},
        }
        await h.client._request(make_op(), request)
    sent = server.requests[0]
    assert sent.method == "POST"
    assert sent.url.path == "/api/v2/leads/list"
    assert sent.url.host == "api.instantly.ai"
    assert sent.url.params.get_list("ids") == ["a", "b"]
    assert sent.url.params["limit"] == "10"
    assert sent.read() == b'{"search":"jane"}'
    assert sent.headers["user-agent"] == f"instantly-async/{__version__}"
    assert sent.headers["x-team"] == "growth"
    assert sent.headers["x-request"] == "1"
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    "base_url",
    [
        "api.instantly.ai",
        "ftp://api.instantly.ai",
        "https://",
        "https://api.instantly.ai/api/v2",
        "https://api.instantly.ai?x=1",
        "https://api.instantly.ai/#top",
        "http://[::1",
    ],
)
def test_bad_base_url_is_a_clear_error(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        AsyncInstantly(API_KEY, base_url=base_url)


@pytest.mark.anyio
async def test_base_url_keeps_a_path_prefix() -> None:
    server = Server(json_response(200, {}))
    async with harness(server, base_url="http://127.0.0.1:4010/instantly/") as h:
        assert h.client.base_url == "http://127.0.0.1:4010/instantly"
        await h.client._request(OP, get_request("/api/v2/leads/abc"))
    assert str(server.requests[0].url) == "http://127.0.0.1:4010/instantly/api/v2/leads/abc"


@pytest.mark.parametrize("max_retries", [-1, 1.5, True])
def test_bad_max_retries_is_rejected(max_retries: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        AsyncInstantly(API_KEY, max_retries=max_retries)  # type: ignore[arg-type]


def test_http_client_must_be_async() -> None:
    with httpx.Client() as sync_client, pytest.raises(TypeError, match="AsyncClient"):
        AsyncInstantly(API_KEY, http_client=sync_client)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_context_manager_closes_its_own_pool() -> None:
    async with AsyncInstantly(API_KEY) as client:
        assert not client.is_closed
        assert client.timeout == DEFAULT_TIMEOUT
    assert client.is_closed


@pytest.mark.anyio
async def test_context_manager_leaves_a_user_client_open() -> None:
    async with httpx.AsyncClient(timeout=3.0) as http:
        async with AsyncInstantly(API_KEY, http_client=http) as client:
            assert client.timeout == httpx.Timeout(3.0)  # the user's client decides
        assert not http.is_closed
        await client.aclose()
        assert not http.is_closed


@pytest.mark.anyio
async def test_with_options_shares_pool_and_governor() -> None:
    server = Server(json_response(200, {}))
    async with harness(server, rate_limit=True, max_retries=4) as h:
        base = h.client
        copy = base.with_options(timeout=5.0, max_retries=0, headers={"X-Extra": "yes"})
        assert type(copy) is type(base)
        assert copy._http is base._http
        assert copy._governor is base._governor is not None
        assert (copy.max_retries, base.max_retries) == (0, 4)
        assert copy.timeout == httpx.Timeout(5.0)
        assert copy._api_key == base._api_key
        await copy._request(OP, get_request())
        await base._request(OP, get_request())
        async with copy:
            pass
        assert not base.is_closed  # a copy never closes the shared pool
    first, second = server.requests
    assert first.headers["x-extra"] == "yes"
    assert "x-extra" not in second.headers
    assert first.extensions["timeout"] == httpx.Timeout(5.0).as_dict()
    assert second.headers["authorization"] == first.headers["authorization"]


@pytest.mark.anyio
async def test_timeout_is_sent_with_each_request() -> None:
    server = Server(json_response(200, {}))
    async with harness(server, timeout=7.5) as h:
        await h.client._request(OP, get_request())
        await h.client.with_options(timeout=None)._request(OP, get_request())
    assert server.requests[0].extensions["timeout"] == httpx.Timeout(7.5).as_dict()
    assert server.requests[1].extensions["timeout"] == httpx.Timeout(None).as_dict()


def test_rate_limit_argument_forms() -> None:
    def config(client: AsyncInstantly) -> RateLimitConfig | None:
        return None if client._governor is None else client._governor.config

    assert config(AsyncInstantly(API_KEY)) == RateLimitConfig()
    assert RateLimitConfig().limits == DEFAULT_RATE_LIMITS
    assert (RateLimit(100, 1.0), RateLimit(6000, 60.0)) == DEFAULT_RATE_LIMITS
    assert config(AsyncInstantly(API_KEY, rate_limit=None)) is None
    assert config(AsyncInstantly(API_KEY, rate_limit=False)) is None
    custom = [RateLimit(5, 1.0)]
    assert config(AsyncInstantly(API_KEY, rate_limit=custom)) == RateLimitConfig((RateLimit(5, 1),))
    chosen = RateLimitConfig(limits=(), per_operation=False)
    assert config(AsyncInstantly(API_KEY, rate_limit=chosen)) is chosen


def test_repr_hides_the_api_key() -> None:
    client = AsyncInstantly(API_KEY)
    assert API_KEY not in repr(client)
    assert "api.instantly.ai" in repr(client)
