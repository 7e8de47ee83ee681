"""The client: configuration, the connection pool, and the request pipeline."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, TypeVar, final, overload

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InstantlyError,
    make_status_error,
)
from ._generated.namespaces import Namespaces
from ._operation import Operation, RateLimit
from ._pagination import AsyncPaginator, page_parser
from ._paths import check_path
from ._ratelimit import RateGovernor, RateLimitConfig
from ._retry import RetryPolicy
from ._version import __version__

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "NOT_GIVEN", "AsyncInstantly", "NotGiven"]

logger = logging.getLogger("instantly_async")

DEFAULT_BASE_URL = "https://api.instantly.ai"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
_API_KEY_ENV = "INSTANTLY_API_KEY"
_REQUEST_KEYS = ("params", "json", "data", "files", "content", "cookies")

_C = TypeVar("_C", bound="_BaseClient")
T = TypeVar("T")
R = TypeVar("R")


@final
class NotGiven:
    """Marks an argument that was not passed (``None`` has a meaning of its own)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

TimeoutArg = float | httpx.Timeout | None
RateLimitArg = RateLimitConfig | Sequence[RateLimit] | bool | None


def _check_base_url(base_url: str | httpx.URL) -> str:
    problem = "must be an absolute http(s) URL such as 'https://api.instantly.ai'"
    try:
        url = httpx.URL(str(base_url))
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"base_url {problem}, got {base_url!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url {problem}, got {base_url!r}")
    if url.query or url.fragment:
        raise ValueError(f"base_url must not have a query or a fragment, got {base_url!r}")
    text = str(url).rstrip("/")
    if text.endswith("/api/v2"):
        raise ValueError(
            f"base_url must not end with /api/v2 (operation paths include it), got {base_url!r}"
        )
    return text


def _rate_config(rate_limit: RateLimitArg) -> RateLimitConfig | None:
    if rate_limit is None or rate_limit is False:
        return None
    if rate_limit is True:
        return RateLimitConfig()
    if isinstance(rate_limit, RateLimitConfig):
        return rate_limit
    if isinstance(rate_limit, RateLimit):
        return RateLimitConfig(limits=(rate_limit,))
    return RateLimitConfig(limits=tuple(rate_limit))


def _as_timeout(timeout: TimeoutArg | NotGiven) -> httpx.Timeout | NotGiven | None:
    return httpx.Timeout(timeout) if isinstance(timeout, (int, float)) else timeout


def _check_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
    return max_retries


class _BaseClient:
    """Request machinery shared by the client and its ``with_options`` copies."""

    _api_key: str
    _base_url: str
    _http: httpx.AsyncClient
    _owns_http: bool
    _timeout: httpx.Timeout | NotGiven | None
    _retry: RetryPolicy
    _governor: RateGovernor | None
    _headers: dict[str, str]

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        rate_limit: RateLimitArg = True,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Create a client.

        - ``api_key``: defaults to ``$INSTANTLY_API_KEY``; a missing key is an error.
        - ``base_url``: scheme and host (plus an optional path prefix), without ``/api/v2``.
        - ``timeout``: seconds or an ``httpx.Timeout``; None waits forever. Defaults to 60 s
          (10 s to connect), or to the timeout of ``http_client`` when one is given.
        - ``max_retries``: retries of a failed attempt when it is safe; 0 disables them.
        - ``http_client``: your own ``httpx.AsyncClient``; you close it, the client never does.
        - ``rate_limit``: True for Instantly's workspace limits (100 requests/s, 6,000/min)
          plus the limits of each operation; a ``RateLimitConfig`` or a list of ``RateLimit``
          for others; None or False for no pacing.
        - ``default_headers``: headers sent with every request.
        """
        if api_key is None:
            api_key = os.environ.get(_API_KEY_ENV)
        if not isinstance(api_key, str) or not api_key.strip():
            raise InstantlyError(
                f"No API key: pass api_key=... or set the {_API_KEY_ENV} environment variable"
            )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        self._api_key = api_key
        self._base_url = _check_base_url(base_url)
        self._retry = RetryPolicy(max_retries=_check_max_retries(max_retries))
        config = _rate_config(rate_limit)
        self._governor = RateGovernor(config) if config is not None else None
        if isinstance(timeout, NotGiven) and http_client is None:
            timeout = DEFAULT_TIMEOUT
        self._timeout = _as_timeout(timeout)
        if http_client is None:
            http_client = httpx.AsyncClient(
                timeout=self._timeout if isinstance(self._timeout, httpx.Timeout) else None,
                follow_redirects=False,
            )
            self._owns_http = True
        else:
            self._owns_http = False
        self._http = http_client
        self._headers = {
            "Authorization": f"Bearer {api_key}",
            "User-Agent": f"instantly-async/{__version__}",
            # JSON first; the few operations that answer CSV or text still get their answer
            "Accept": "application/json, */*;q=0.8",
            **(default_headers or {}),
        }

    # ------------------------------------------------------------------ configuration

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def max_retries(self) -> int:
        return self._retry.max_retries

    @property
    def timeout(self) -> httpx.Timeout | None:
        """The request timeout; that of the ``http_client`` when it was given without one."""
        if isinstance(self._timeout, NotGiven):
            return self._http.timeout
        return self._timeout

    def with_options(
        self: _C,
        *,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        headers: Mapping[str, str] | None = None,
    ) -> _C:
        """A copy with other settings that shares the connection pool and the rate governor.

        Closing the copy leaves the pool open; close the original client.
        """
        clone = type(self).__new__(type(self))
        clone._api_key = self._api_key
        clone._base_url = self._base_url
        clone._http = self._http
        clone._owns_http = False
        clone._governor = self._governor
        clone._headers = {**self._headers, **(headers or {})}
        clone._retry = self._retry
        if not isinstance(max_retries, NotGiven):
            clone._retry = replace(self._retry, max_retries=_check_max_retries(max_retries))
        clone._timeout = self._timeout if isinstance(timeout, NotGiven) else _as_timeout(timeout)
        return clone

    # ------------------------------------------------------------------ lifecycle

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool, unless it belongs to a user-supplied ``http_client``."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, max_retries={self.max_retries})"

    # ------------------------------------------------------------------ requests

    async def _request(self, op: Operation, request: Mapping[str, Any]) -> httpx.Response:
        """Send a request built by a generated ``_get_kwargs``; return its 2xx response.

        Waits for the rate governor before every attempt, retries what is safe to retry,
        and raises a typed :class:`APIError` otherwise.
        """
        method = str(request.get("method") or op.method).upper()
        path = str(request["url"])
        check_path(op.operation_id, op.method, op.path, path)
        url = self._base_url + path
        options = {key: request[key] for key in _REQUEST_KEYS if key in request}
        headers = {**self._headers, **(request.get("headers") or {})}
        if "timeout" in request:  # a per-call timeout (an httpx.Timeout or None)
            timeout = request["timeout"]
        else:
            timeout = (
                httpx.USE_CLIENT_DEFAULT if isinstance(self._timeout, NotGiven) else self._timeout
            )
        policy = self._retry
        log = {"operation_id": op.operation_id, "http_method": method, "http_path": path}
        retries = 0
        while True:
            attempt = {**log, "attempt": retries + 1}
            started = time.perf_counter()
            try:
                response = await self._send(op, method, url, headers, timeout, options)
            except httpx.TransportError as exc:
                elapsed_ms = (time.perf_counter() - started) * 1000
                error_class = (
                    APITimeoutError
                    if isinstance(exc, httpx.TimeoutException)
                    else APIConnectionError
                )
                what = "timed out" if error_class is APITimeoutError else "connection failed"
                logger.debug(
                    "%s %s %s after %.1f ms: %s (%s, attempt %d)",
                    method, path, what, elapsed_ms, type(exc).__name__, op.operation_id, retries + 1,
                    extra={**attempt, "duration_ms": elapsed_ms},
                )  # fmt: skip
                if retries < policy.max_retries and policy.should_retry_error(op.retry_class, exc):
                    delay = policy.delay(retries)
                    self._log_retry(op, method, path, type(exc).__name__, delay, retries, attempt)
                    await policy.sleep(delay)
                    retries += 1
                    continue
                message = f"{op.describe()} {what}: {type(exc).__name__}"
                message += f": {exc}" if str(exc) else ""
                raise error_class(
                    message, operation_id=op.operation_id, method=method, url=url
                ) from exc
            elapsed_ms = (time.perf_counter() - started) * 1000
            status = response.status_code
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s -> %d in %.1f ms (%s, attempt %d)",
                    method, path, status, elapsed_ms, op.operation_id, retries + 1,
                    extra={**attempt, "status_code": status, "duration_ms": elapsed_ms},
                )  # fmt: skip
            if response.is_success:
                return response
            if retries < policy.max_retries and policy.should_retry_status(op.retry_class, status):
                delay = policy.delay(retries, response.headers)
                self._log_retry(op, method, path, str(status), delay, retries, attempt)
                await response.aclose()
                await policy.sleep(delay)
                retries += 1
                continue
            raise make_status_error(op, response, url)

    async def _send(
        self,
        op: Operation,
        method: str,
        url: str,
        headers: dict[str, str],
        timeout: Any,
        options: dict[str, Any],
    ) -> httpx.Response:
        """One attempt: take a slot of the rate governor, send, and hand the slot back when
        the response (or the failure) arrives."""
        governor = self._governor
        if governor is None:
            return await self._http.request(
                method, url, headers=headers, timeout=timeout, **options
            )
        permit = await governor.acquire(op)
        response: httpx.Response | None = None
        try:
            response = await self._http.request(
                method, url, headers=headers, timeout=timeout, **options
            )
        finally:
            await permit.release(response)
        return response

    def _log_retry(
        self,
        op: Operation,
        method: str,
        path: str,
        reason: str,
        delay: float,
        retries: int,
        extra: dict[str, Any],
    ) -> None:
        logger.info(
            "Retrying %s %s in %.2f s after %s (%s, retry %d of %d)",
            method, path, delay, reason, op.operation_id, retries + 1, self._retry.max_retries,
            extra={**extra, "retry_delay": delay},
        )  # fmt: skip

    async def _call(
        self,
        op: Operation,
        request: Mapping[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        allow_none: bool = False,
    ) -> T:
        """Send ``request`` and parse its 2xx response with ``parse``.

        A parser failure (or ``None``, unless ``allow_none``) raises
        :class:`APIResponseValidationError` with the raw body.
        """
        response = await self._request(op, request)
        url = self._base_url + str(request["url"])
        return _parse(op, response, url, parse, allow_none=allow_none)

    @overload
    def _paginate(
        self,
        op: Operation,
        request: dict[str, Any],
        parse: Callable[[httpx.Response], R],
        items: Callable[[R], Sequence[T]],
        *,
        max_items: int | None = None,
    ) -> AsyncPaginator[T]: ...

    @overload
    def _paginate(
        self,
        op: Operation,
        request: dict[str, Any],
        parse: Callable[[httpx.Response], object],
        items: None = None,
        *,
        max_items: int | None = None,
    ) -> AsyncPaginator[Any]: ...

    def _paginate(
        self,
        op: Operation,
        request: dict[str, Any],
        parse: Callable[[httpx.Response], Any],
        items: Callable[[Any], Sequence[Any]] | None = None,
        *,
        max_items: int | None = None,
    ) -> AsyncPaginator[Any]:
        """A paginator over ``op``'s pages; items come from ``items(parsed)`` or from the
        ``op.pagination.items_field`` of the parsed response."""
        if op.pagination is None:
            raise ValueError(f"{op.describe()} is not a paginated operation")
        parse_page = page_parser(op.pagination, parse, items)

        async def fetch(page_request: dict[str, Any]) -> Any:
            return await self._call(op, page_request, parse_page)

        return AsyncPaginator(fetch, op.pagination, request, max_items=max_items)


def _parse(
    op: Operation,
    response: httpx.Response,
    url: str,
    parse: Callable[[httpx.Response], T],
    *,
    allow_none: bool,
) -> T:
    try:
        result = parse(response)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise _validation_error(op, response, url, problem) from exc
    if result is None and not allow_none:
        raise _validation_error(op, response, url, "no data for this status")
    return result


def _validation_error(
    op: Operation, response: httpx.Response, url: str, problem: str
) -> APIResponseValidationError:
    body = response.text
    snippet = body if len(body) <= 200 else body[:200] + "..."
    content_type = response.headers.get("content-type", "no content type")
    return APIResponseValidationError(
        f"{op.describe()} returned {response.status_code} ({content_type}) with a body that "
        f"does not match the expected schema ({problem}); body: {snippet!r}",
        response=response,
        operation_id=op.operation_id,
        method=op.method,
        url=url,
    )


class AsyncInstantly(Namespaces, _BaseClient):
    """Async client for the Instantly API V2, on asyncio and trio.

    ``api_key`` defaults to the ``INSTANTLY_API_KEY`` environment variable. Use it as an async
    context manager (or call :meth:`aclose`) to close its connection pool. Requests are paced to
    Instantly's workspace limits (``rate_limit``), retried when safe (``max_retries``), and
    failures raise :class:`~instantly_async.APIError` subclasses.
    """
