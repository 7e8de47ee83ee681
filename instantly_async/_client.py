"""The client: configuration, the connection pool, and the request pipeline."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast, final, overload

import httpx

from ._exceptions import (
    MAY_HAVE_BEEN_APPLIED,
    APIConnectionError,
    APIError,
    APIResponseDecodeError,
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    bounded,
    decode_text,
    make_status_error,
)
from ._generated.namespaces import Namespaces
from ._operation import Operation, RateLimit
from ._pagination import AsyncPaginator, page_parser
from ._paths import check_path
from ._ratelimit import Permit, RateGovernor, RateLimitConfig
from ._request import checked_timeout
from ._response import APIResponse, raw_capture
from ._retry import RetryPolicy, never_left, scrubbed
from ._tolerant import ResponseDrift, json_type, reading, report
from ._urls import UrlBuilder
from ._version import __version__

if TYPE_CHECKING:
    from ._background_jobs import BackgroundJobs

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
# or a shared governor such as RedisRateLimit (any object with acquire() and __aenter__)
RateLimitArg = RateLimitConfig | Sequence[RateLimit] | RateLimit | RateGovernor | bool | Any | None


def _check_base_url(base_url: str | httpx.URL) -> str:
    problem = "must be an absolute http(s) URL such as 'https://api.instantly.ai'"
    try:
        url = httpx.URL(str(base_url))
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"base_url {problem}, got {base_url!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"base_url {problem}, got {base_url!r}")
    if url.query or url.fragment:
        raise ConfigurationError(f"base_url must not have a query or a fragment, got {base_url!r}")
    text = str(url).rstrip("/")
    if text.endswith("/api/v2"):
        raise ConfigurationError(
            f"base_url must not end with /api/v2 (operation paths include it), got {base_url!r}"
        )
    return text


def _is_shared_governor(rate_limit: object) -> bool:
    """A governor object of its own (``RedisRateLimit``): it acquires and is entered."""
    return hasattr(rate_limit, "acquire") and hasattr(rate_limit, "__aenter__")


def _rate_config(rate_limit: object) -> RateLimitConfig | None:
    if rate_limit is None or rate_limit is False:
        return None
    if rate_limit is True:
        return RateLimitConfig()
    if isinstance(rate_limit, RateLimitConfig):
        return rate_limit
    if isinstance(rate_limit, RateLimit):
        return RateLimitConfig(limits=(rate_limit,))
    if isinstance(rate_limit, (list, tuple)) and all(isinstance(x, RateLimit) for x in rate_limit):
        return RateLimitConfig(limits=tuple(rate_limit))
    raise ConfigurationError(
        "rate_limit must be True, False, None, a RateLimitConfig, a RateLimit or a list of "
        f"RateLimit, got {rate_limit!r}"
    )


def _as_timeout(timeout: object, name: str = "timeout") -> httpx.Timeout | NotGiven | None:
    """A checked timeout argument: seconds, an ``httpx.Timeout``, None, or NOT_GIVEN."""
    if isinstance(timeout, NotGiven):
        return timeout
    return checked_timeout(timeout, name)


def _check_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be a non-negative int, got {max_retries!r}")
    return max_retries


def _check_headers(headers: object) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ConfigurationError(f"default_headers must be a mapping, got {type(headers).__name__}")
    for name, value in headers.items():
        if not (isinstance(name, str) and isinstance(value, str)):
            raise ConfigurationError(f"default_headers must map str to str, got {name!r}")
        if not (_printable_ascii(name) and _printable_ascii(value)) or ":" in name or not name:
            raise ConfigurationError(
                f"default_headers[{name!r}] must be printable ASCII without line breaks"
            )
    return dict(headers)


def _printable_ascii(text: str) -> bool:
    return text.isascii() and all(" " <= c <= "~" or c == "\t" for c in text)


class _ApiKey(str):
    """The API key: an ordinary ``str`` whose ``repr`` does not show it (tracebacks with
    locals, debuggers and loggers print ``'[REDACTED]'``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'[REDACTED]'"

    def __reduce__(self) -> tuple[Any, ...]:
        # pickling would write the key; nothing of this package pickles it on purpose
        raise TypeError("the API key cannot be pickled")


def _api_key(value: object) -> _ApiKey:
    """The checked key (surrounding whitespace stripped); errors never show it."""
    if value is None:
        value = os.environ.get(_API_KEY_ENV)
    if not isinstance(value, str) or not value.strip():
        kind = "" if value is None or isinstance(value, str) else f" (got {type(value).__name__})"
        value = None
        raise ConfigurationError(
            f"No API key: pass api_key=... or set the {_API_KEY_ENV} environment variable{kind}"
        )
    key = value.strip()
    value = None
    if not _printable_ascii(key) or any(c in key for c in " \t"):
        where = next(
            i for i, c in enumerate(key) if not ("!" <= c <= "~")
        )  # position only: the key itself never goes into the message
        key = ""
        raise ConfigurationError(
            "The API key must be printable ASCII without spaces or control characters; "
            f"character {where + 1} is not (check for a line break or a stray quote)"
        )
    return _ApiKey(key)


class _BaseClient:
    """Request machinery shared by the client and its ``with_options`` copies."""

    _api_key: _ApiKey
    _base_url: str
    _http: httpx.AsyncClient
    _owns_http: bool
    _timeout: httpx.Timeout | NotGiven | None
    _retry: RetryPolicy
    _governor: Any  # RateGovernor, a shared governor (RedisRateLimit) or None
    _default_headers: dict[str, str]
    _headers: dict[str, str]
    _sent_headers: httpx.Headers
    _url: UrlBuilder
    _strict_responses: bool = False

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
        strict_responses: bool = False,
    ) -> None:
        """Create a client.

        - ``api_key``: defaults to ``$INSTANTLY_API_KEY``; a missing key is an error.
          Surrounding whitespace is stripped; a key with other spaces, control characters
          or non-ASCII characters is refused (without showing it).
        - ``base_url``: scheme and host (plus an optional path prefix), without ``/api/v2``.
        - ``timeout``: seconds or an ``httpx.Timeout``; None waits forever. Defaults to 60 s
          (10 s to connect), or to the timeout of ``http_client`` when one is given.
        - ``max_retries``: retries of a failed attempt when it is safe; 0 disables them.
        - ``http_client``: your own ``httpx.AsyncClient``; you close it, the client never does.
        - ``rate_limit``: True for Instantly's workspace limits (100 requests/s, 6,000/min)
          plus the limits of each operation; a ``RateLimitConfig`` or a list of ``RateLimit``
          for others; None or False for no pacing.
        - ``default_headers``: headers sent with every request.
        - ``strict_responses``: raise :class:`APIResponseValidationError` (naming the JSON
          pointer) when a response does not fit the document, instead of keeping the value
          as received and logging a warning once per operation and field.

        Bad options raise :class:`~instantly_async.ConfigurationError` (a ``ValueError`` and
        a ``TypeError``) naming the option.
        """
        try:
            key = _api_key(api_key)
        finally:
            api_key = None  # the caller's value stays out of this frame's traceback locals
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        if not isinstance(strict_responses, bool):
            raise ConfigurationError(f"strict_responses must be a bool, got {strict_responses!r}")
        self._strict_responses = strict_responses
        self._api_key = key
        self._base_url = _check_base_url(base_url)
        self._retry = RetryPolicy(max_retries=_check_max_retries(max_retries))
        if isinstance(rate_limit, RateGovernor) or _is_shared_governor(rate_limit):
            # with_options shares the original's governor; RedisRateLimit is shared by design
            self._governor = rate_limit
        else:
            config = _rate_config(rate_limit)
            self._governor = RateGovernor(config) if config is not None else None
        checked = _as_timeout(timeout)
        if isinstance(checked, NotGiven) and http_client is None:
            checked = DEFAULT_TIMEOUT
        self._timeout = checked
        self._default_headers = _check_headers(default_headers)
        if http_client is None:
            http_client = httpx.AsyncClient(
                timeout=checked if isinstance(checked, httpx.Timeout) else None,
                follow_redirects=False,
            )
            self._owns_http = True
        else:
            self._owns_http = False
        self._http = http_client
        self._headers = {
            "Authorization": _ApiKey(f"Bearer {key}"),
            "User-Agent": f"instantly-async/{__version__}",
            # JSON first; the few operations that answer CSV or text still get their answer
            "Accept": "application/json, */*;q=0.8",
            **self._default_headers,
        }
        # Built once: httpx would otherwise normalise the headers and parse the URL per request.
        self._sent_headers = httpx.Headers(self._headers)
        self._url = UrlBuilder(self._base_url)

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

    def _options(self) -> dict[str, Any]:
        """Constructor arguments that rebuild this client on the same pool and governor."""
        return {
            "api_key": self._api_key,
            "base_url": self._base_url,
            "timeout": self._timeout,
            "max_retries": self._retry.max_retries,
            "http_client": self._http,
            "rate_limit": self._governor,
            "default_headers": self._default_headers,
            "strict_responses": self._strict_responses,
        }

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
        options = self._options()
        if not isinstance(timeout, NotGiven):
            options["timeout"] = timeout
        if not isinstance(max_retries, NotGiven):
            options["max_retries"] = max_retries
        if headers:
            options["default_headers"] = {**self._default_headers, **headers}
        clone = type(self)(**options)
        # the same backoff, clock and sleep (tests replace them), with the new retry count
        clone._retry = replace(self._retry, max_retries=clone._retry.max_retries)
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
        if _is_shared_governor(self._governor):
            await self._governor.__aenter__()  # e.g. RedisRateLimit opens its connection pool
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.aclose()
        finally:
            if _is_shared_governor(self._governor):
                await self._governor.__aexit__(exc_type, exc, tb)

    def __repr__(self) -> str:
        # also for a client whose construction failed (tracebacks with locals show it)
        retry = getattr(self, "_retry", None)
        retries = retry.max_retries if retry is not None else "?"
        base_url = getattr(self, "_base_url", "?")
        return f"{type(self).__name__}(base_url={base_url!r}, max_retries={retries})"

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError(f"{type(self).__name__} cannot be pickled (it holds the API key)")

    # ------------------------------------------------------------------ requests

    async def _request(self, op: Operation, request: Mapping[str, Any]) -> httpx.Response:
        """Send a request built by a generated ``_get_kwargs``; return its 2xx response.

        One bounded loop around a single send: after each attempt :meth:`RetryPolicy.decide`
        says whether to send again and after how long; otherwise the outcome is returned
        (2xx) or raised as a typed :class:`APIError`.
        """
        method = str(request.get("method") or op.method).upper()
        path = str(request["url"])
        check_path(op.operation_id, op.method, op.path, path)
        url = self._base_url + path
        target = self._url(path)
        options = {key: request[key] for key in _REQUEST_KEYS if key in request}
        extra = request.get("headers")
        headers = {**self._headers, **extra} if extra else self._sent_headers
        timeout = self._timeout_of(request)
        debug = logger.isEnabledFor(logging.DEBUG)
        policy = self._retry
        attempt = 0
        while True:
            started = time.perf_counter() if debug else 0.0
            outcome = await self._attempt(op, method, target, headers, timeout, options, attempt)
            if debug:
                self._log_attempt(op, method, path, outcome, started, attempt)
            if isinstance(outcome, httpx.Response) and 200 <= outcome.status_code < 300:
                return outcome  # what decide() and _outcome() make of a 2xx, without them
            delay = policy.decide(op, outcome, attempt)
            if delay is None:
                return self._outcome(op, method, url, outcome)
            self._log_retry(op, method, path, outcome, delay, attempt)
            if isinstance(outcome, httpx.Response):
                await outcome.aclose()
            await policy.sleep(delay)
            attempt += 1

    def _timeout_of(self, request: Mapping[str, Any]) -> Any:
        """The per-call ``request["timeout"]`` when given, else the client's."""
        if "timeout" in request:  # a per-call timeout: seconds, an httpx.Timeout or None
            given = request["timeout"]
            if not isinstance(given, NotGiven) and type(given).__name__ != "Unset":
                per_call = _as_timeout(given)
                if not isinstance(per_call, NotGiven):
                    return per_call
        if isinstance(self._timeout, NotGiven):
            return httpx.USE_CLIENT_DEFAULT
        return self._timeout

    async def _attempt(
        self,
        op: Operation,
        method: str,
        url: httpx.URL,
        headers: Mapping[str, str],
        timeout: Any,
        options: dict[str, Any],
        attempt: int,
    ) -> httpx.Response | Exception:
        """One attempt: the response, or the exception that stopped it."""
        if self._http.is_closed:
            raise ClientClosedError(
                f"{op.describe()}: the client is closed"
                + (" (it was closed while the call waited to retry)" if attempt else "")
            )
        try:
            return await self._send(op, method, url, headers, timeout, options)
        except Exception as exc:
            if self._http.is_closed:
                raise ClientClosedError(
                    f"{op.describe()}: the client was closed during the call"
                ) from scrubbed(exc)
            return exc

    async def _send(
        self,
        op: Operation,
        method: str,
        url: httpx.URL,
        headers: Mapping[str, str],
        timeout: Any,
        options: dict[str, Any],
    ) -> httpx.Response:
        """One attempt: take a slot of the rate governor, send, and hand the slot back when
        the response (or the failure) arrives."""
        governor = self._governor
        if governor is None:
            return await self._exchange(method, url, headers, timeout, options)
        # the in-process governor grants a free slot without a coroutine; else wait for one
        permit = governor.try_acquire(op) if type(governor) is RateGovernor else None
        if permit is None:
            permit = await governor.acquire(op)
        response: httpx.Response | None = None
        try:
            response = await self._exchange(method, url, headers, timeout, options)
        finally:
            if type(permit) is Permit:
                permit.release_nowait(response)  # in-process: no await needed
            else:
                await permit.release(response)
        return response

    async def _exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: Mapping[str, str],
        timeout: Any,
        options: dict[str, Any],
    ) -> httpx.Response:
        """Send the request and read the whole response.

        A compressed body is read raw and decoded afterwards: httpx decodes inside nested
        async generators and, when the decoder fails, leaves them suspended (trio then warns
        when they are collected); reading raw first keeps every generator exhausted.
        """
        http = self._http
        request = http.build_request(method, url, headers=headers, timeout=timeout, **options)
        response = await http.send(request, stream=True)
        try:
            if "content-encoding" not in response.headers:
                await response.aread()
                return response
            raw = [chunk async for chunk in response.aiter_raw()]
        finally:
            await response.aclose()
        return httpx.Response(  # decodes the body now (DecodingError when it is corrupt)
            response.status_code,
            headers=response.headers,
            content=b"".join(raw),
            request=request,
            extensions=response.extensions,
            history=response.history,
            default_encoding=http._default_encoding,
        )

    def _outcome(
        self, op: Operation, method: str, url: str, outcome: httpx.Response | Exception
    ) -> httpx.Response:
        """The final outcome: a 2xx response is returned, anything else raised, typed."""
        unsafe = op.retry_class == "unsafe"
        if isinstance(outcome, httpx.Response):
            if outcome.is_success:
                return outcome
            applied = op.retry_class != "safe" and outcome.status_code >= 500
            raise self._redact(make_status_error(op, outcome, url, may_have_been_applied=applied))
        applied = op.retry_class != "safe" and not never_left(outcome)
        error_class: type[APIError] = APIConnectionError
        if isinstance(outcome, httpx.TimeoutException):
            error_class, what = APITimeoutError, "timed out"
        elif isinstance(outcome, httpx.DecodingError):
            error_class, what = (
                APIResponseDecodeError,
                "answered with a body that cannot be decoded",
            )
        elif isinstance(outcome, httpx.HTTPError):
            what = "connection failed"
        else:
            what = "could not be sent"
        detail = str(outcome)
        message = f"{op.describe()} {what}: {type(outcome).__name__}"
        message += f": {bounded(detail, 200)}" if detail else ""
        if applied and unsafe:
            message += MAY_HAVE_BEEN_APPLIED
        error = error_class(
            message,
            operation_id=op.operation_id,
            method=method,
            url=url,
            may_have_been_applied=applied,
        )
        raise self._redact(error) from scrubbed(outcome)

    def _redact(self, error: APIError) -> APIError:
        """``error`` without the API key in its message (a server or a library may echo it)."""
        key = str.__str__(self._api_key)
        if key in error.message:
            error.message = error.message.replace(key, "[REDACTED]")
            error.args = (error.message,)
        return error

    def _log_attempt(
        self,
        op: Operation,
        method: str,
        path: str,
        outcome: httpx.Response | Exception,
        started: float,
        attempt: int,
    ) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        extra: dict[str, Any] = {
            "operation_id": op.operation_id,
            "http_method": method,
            "http_path": path,
            "attempt": attempt + 1,
            "duration_ms": elapsed_ms,
        }
        if isinstance(outcome, httpx.Response):
            extra["status_code"] = outcome.status_code
            logger.debug(
                "%s %s -> %d in %.1f ms (%s, attempt %d)",
                method, path, outcome.status_code, elapsed_ms, op.operation_id, attempt + 1,
                extra=extra,
            )  # fmt: skip
        else:
            what = (
                "timed out" if isinstance(outcome, httpx.TimeoutException) else "connection failed"
            )
            logger.debug(
                "%s %s %s after %.1f ms: %s (%s, attempt %d)",
                method, path, what, elapsed_ms, type(outcome).__name__, op.operation_id,
                attempt + 1, extra=extra,
            )  # fmt: skip

    def _log_retry(
        self,
        op: Operation,
        method: str,
        path: str,
        outcome: httpx.Response | Exception,
        delay: float,
        attempt: int,
    ) -> None:
        reason = (
            str(outcome.status_code)
            if isinstance(outcome, httpx.Response)
            else type(outcome).__name__
        )
        logger.info(
            "Retrying %s %s in %.2f s after %s (%s, retry %d of %d)",
            method, path, delay, reason, op.operation_id, attempt + 1, self._retry.max_retries,
            extra={
                "operation_id": op.operation_id,
                "http_method": method,
                "http_path": path,
                "attempt": attempt + 1,
                "retry_delay": delay,
            },
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
        capture = raw_capture()
        strict = self._strict_responses
        if capture is not None:  # client.with_raw_response...: hand back the response
            if capture.lazy:
                raw = APIResponse(
                    response,
                    op.operation_id,
                    lambda: _parse(op, response, url, parse, allow_none=allow_none, strict=strict),
                )
                return cast(T, raw)
            capture.response, capture.operation_id = response, op.operation_id
        return _parse(op, response, url, parse, allow_none=allow_none, strict=strict)

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
        given: object = max_items
        if given is not None and (
            isinstance(given, bool) or not isinstance(given, int) or given < 0
        ):
            raise ConfigurationError(
                f"max_items must be a non-negative int or None, got {max_items!r}"
            )
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
    strict: bool = False,
) -> T:
    try:
        with reading(op.operation_id, strict=strict) as state:
            result = parse(response)
        if state.found:
            report(state, response.json)
    except ResponseDrift as exc:
        pointer = _locate(exc, response)
        problem = bounded(str(exc), 300)
        raise _validation_error(op, response, url, problem, pointer=pointer) from exc
    except Exception as exc:  # whatever the body does to a parser (RecursionError included)
        problem = bounded(f"{type(exc).__name__}: {exc}", 200)
        kind = _json_kind(response)
        if kind is not None:  # e.g. an array where the document describes an object
            problem = f"the body is a JSON {kind}; {problem}"
        raise _validation_error(op, response, url, problem) from exc
    if result is None and not allow_none:
        raise _validation_error(op, response, url, "no data for this status")
    return result


def _json_kind(response: httpx.Response) -> str | None:
    """The JSON kind of the body's top level (``array``, ``object``, ...); None if not JSON."""
    try:
        return json_type(response.json())
    except (ValueError, RecursionError):
        return None


def _locate(drift: ResponseDrift, response: httpx.Response) -> str | None:
    try:
        return drift.locate(response.json())
    except ValueError:  # pragma: no cover - the body decoded once already
        return None


def _validation_error(
    op: Operation, response: httpx.Response, url: str, problem: str, *, pointer: str | None = None
) -> APIResponseValidationError:
    body = decode_text(response)
    snippet = body if len(body) <= 200 else body[:200] + "..."
    content_type = response.headers.get("content-type", "no content type")
    return APIResponseValidationError(
        f"{op.describe()} returned {response.status_code} ({content_type}) with a body that "
        f"does not match the expected schema ({problem}); body: {snippet!r}",
        response=response,
        operation_id=op.operation_id,
        method=op.method,
        url=url,
        pointer=pointer,
        may_have_been_applied=op.retry_class != "safe",  # a 2xx: the change was made
    )


class AsyncInstantly(Namespaces, _BaseClient):
    """Async client for the Instantly API V2, on asyncio and trio.

    ``api_key`` defaults to the ``INSTANTLY_API_KEY`` environment variable. Use it as an async
    context manager (or call :meth:`aclose`) to close its connection pool. Requests are paced to
    Instantly's workspace limits (``rate_limit``), retried when safe (``max_retries``), and
    failures raise :class:`~instantly_async.APIError` subclasses.
    """

    @cached_property
    def background_job(self) -> BackgroundJobs:
        """The BackgroundJob operations, plus ``wait()`` and ``watch()`` for a running job."""
        from ._background_jobs import BackgroundJobs

        return BackgroundJobs(self)
