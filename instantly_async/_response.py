"""Raw responses: ``client.with_raw_response.<namespace>.<method>(...)``.

The same call as ``client.<namespace>.<method>(...)``, with the same checks, retries and
errors (a non-2xx status still raises), answering with an :class:`APIResponse`: the status,
the headers, the request, and :meth:`APIResponse.parse` for the typed result that the plain
call returns. A paginated method answers with its first page's response, whose ``parse()``
gives the :class:`~instantly_async.Page`.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

import httpx

from ._exceptions import redacted_request, request_id_of

if TYPE_CHECKING:
    from ._pagination import AsyncPaginator, Page

__all__ = ["APIResponse", "to_raw_page_response", "to_raw_response"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_UNPARSED: Any = object()


@dataclass
class _Capture:
    """What a call in raw mode hands back from the client's ``_call``."""

    lazy: bool
    response: httpx.Response | None = None
    operation_id: str = ""
    parse: Callable[[], Any] | None = None
    calls: int = field(default=0)


_RAW: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar(
    "instantly_async_raw_response", default=None
)


def raw_capture() -> _Capture | None:
    """The capture of the raw-response call running in this task, if any (for ``_call``)."""
    return _RAW.get()


class APIResponse(Generic[R]):
    """A 2xx response of an operation, before (or besides) its typed result."""

    http_response: httpx.Response
    """The ``httpx.Response`` itself (read in full)."""
    operation_id: str

    def __init__(
        self,
        http_response: httpx.Response,
        operation_id: str,
        parse: Callable[[], R] | None = None,
        parsed: R = _UNPARSED,
    ) -> None:
        self.http_response = http_response
        self.operation_id = operation_id
        self._parse = parse
        self._parsed = parsed
        self._request: httpx.Request | None = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        """The request that got this response, its ``Authorization`` header redacted."""
        if self._request is None:
            self._request = redacted_request(self.http_response.request)
        return self._request

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> httpx.URL:
        return self.http_response.request.url

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (``x-request-id``, else Cloudflare's ``cf-ray``)."""
        return request_id_of(self.http_response.headers)

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.http_response.content)

    def parse(self) -> R:
        """The typed result, as the plain call returns it (parsed once, on first use).

        Raises :class:`~instantly_async.APIResponseValidationError` when the body does not
        fit the operation's schema.
        """
        if self._parsed is _UNPARSED:
            if self._parse is None:  # pragma: no cover - every APIResponse gets one or the other
                raise RuntimeError("nothing to parse")
            self._parsed = self._parse()
        return self._parsed

    def __repr__(self) -> str:
        return (
            f"<APIResponse [{self.status_code}] {self.method} {self.url.path} "
            f"({self.operation_id})>"
        )


def to_raw_response(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """``method`` answering with the :class:`APIResponse` instead of the parsed result."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        capture = _Capture(lazy=True)
        token = _RAW.set(capture)
        try:
            result: Any = await method(*args, **kwargs)
        finally:
            _RAW.reset(token)
        if not isinstance(result, APIResponse):  # pragma: no cover - a method without a call
            raise TypeError(f"{getattr(method, '__qualname__', method)} made no API call")
        return result

    return call


def to_raw_page_response(
    method: Callable[P, AsyncPaginator[T]],
) -> Callable[P, Awaitable[APIResponse[Page[T]]]]:
    """A paginated ``method`` answering with its first page's :class:`APIResponse`."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[Page[T]]:
        paginator = method(*args, **kwargs)
        capture = _Capture(lazy=False)
        token = _RAW.set(capture)
        try:
            page = await paginator
        finally:
            _RAW.reset(token)
        if capture.response is None:  # pragma: no cover - the first page is always fetched
            raise RuntimeError("the first page was not fetched")
        return APIResponse(capture.response, capture.operation_id, parsed=page)

    return call
