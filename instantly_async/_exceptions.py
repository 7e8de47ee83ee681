"""Errors raised by the client.

::

    InstantlyError                      everything this package raises
    ├── APIError                        a call to the API went wrong
    │   ├── APIStatusError              non-2xx response (other 4xx land here as is)
    │   │   ├── BadRequestError         400, 413, 422
    │   │   ├── AuthenticationError     401 (carries required_scopes)
    │   │   ├── PaymentRequiredError    402
    │   │   ├── PermissionDeniedError   403 (carries required_scopes)
    │   │   ├── NotFoundError           404
    │   │   ├── ConflictError           409
    │   │   ├── RateLimitError          429 (carries retry_after)
    │   │   └── InternalServerError     5xx
    │   ├── APIConnectionError          no response: network failure, or the request could
    │   │   │                           not be sent
    │   │   └── APITimeoutError         no response in time
    │   ├── APIResponseDecodeError      a response body that cannot be decoded (corrupt gzip)
    │   └── APIResponseValidationError  2xx response that does not match the schema
    ├── ClientClosedError               the client (its connection pool) is closed; also a
    │                                   RuntimeError
    ├── ConfigurationError              a bad API key or client option; also a ValueError
    │                                   and a TypeError
    ├── InvalidRequestError             refused before sending (a path parameter that would
    │                                   not stay one path segment); also a ValueError
    ├── PaginationError                 no next page, or the server repeats a cursor
    └── UnknownOperationError           unknown operation id (also a KeyError)

Anything that goes wrong while sending, decoding or parsing is raised as one of these, with
the original exception as ``__cause__``. Every :class:`APIError` says whether the request
may have been applied (``may_have_been_applied``): a change the server may have made
although the call failed, so that re-sending it yourself could apply it twice.

Messages stay short: the server's own message is cut at :data:`MAX_MESSAGE_DETAIL`
characters; the whole body is on ``.body``. No message, attribute or pickled copy carries
the API key: the request kept on an error has its ``Authorization`` header redacted.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._operation import Operation
from ._retry import parse_retry_after

__all__ = [
    "MAX_MESSAGE_DETAIL",
    "APIConnectionError",
    "APIError",
    "APIResponseDecodeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InstantlyError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PaginationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnknownOperationError",
]


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls, *args)
    BaseException.__init__(error, *args)
    error.__dict__.update(state)
    return error


MAX_MESSAGE_DETAIL = 500
"""Longest part of a server's error message quoted in an exception message (characters)."""

REDACTED = "[REDACTED]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key"})


def redacted_request(request: httpx.Request) -> httpx.Request:
    """A copy of ``request`` whose credentials are replaced by ``[REDACTED]``."""
    headers = [
        (name, REDACTED if name.lower() in _SECRET_HEADERS else value)
        for name, value in request.headers.items()
    ]
    try:
        content: bytes | None = request.content
    except httpx.RequestNotRead:
        content = None
    return httpx.Request(
        request.method, request.url, headers=headers, content=content, extensions={}
    )


def redact_response(response: httpx.Response) -> httpx.Response:
    """``response`` with its request (if any) replaced by a redacted copy; returns it."""
    try:
        request = response.request
    except RuntimeError:
        return response
    response.request = redacted_request(request)
    return response


class InstantlyError(Exception):
    """Base class of every error this package raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default pickling; restore the state.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


class ClientClosedError(InstantlyError, RuntimeError):
    """The client is closed (``aclose()`` or the end of ``async with``), also while a call
    was waiting to retry."""


class ConfigurationError(InstantlyError, ValueError, TypeError):
    """A bad API key or client option (``timeout``, ``max_retries``, ``rate_limit``, ...).

    Also a ``ValueError`` and a ``TypeError``, so either ``except`` catches it.
    """


class InvalidRequestError(InstantlyError, ValueError):
    """A request refused before anything was sent (e.g. a path parameter of ``..``)."""


class PaginationError(InstantlyError):
    """There is no next page, or the server sent back a cursor it had already sent."""


class UnknownOperationError(InstantlyError, KeyError):
    """No operation has this id."""

    def __str__(self) -> str:
        # KeyError would show the repr of the message.
        return str(self.args[0]) if self.args else ""


class APIError(InstantlyError):
    """A call to the API failed."""

    message: str
    operation_id: str
    method: str
    url: str
    body: object | None
    """Decoded JSON error body, else the raw text, else None."""
    may_have_been_applied: bool
    """True when the call changes data and failed after the request may have reached the
    server (a timeout, a dropped connection, a 5xx): the change may have happened."""

    def __init__(
        self,
        message: str,
        *,
        operation_id: str,
        method: str,
        url: str,
        body: object | None = None,
        may_have_been_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation_id = operation_id
        self.method = method
        self.url = url
        self.body = body
        self.may_have_been_applied = may_have_been_applied


REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray")
"""Response headers that identify a request, first found wins (Instantly's API is served
through Cloudflare, whose ``cf-ray`` names every request)."""


def request_id_of(headers: httpx.Headers) -> str | None:
    """The server's id of a request, from the first of :data:`REQUEST_ID_HEADERS` it sent."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


class APIStatusError(APIError):
    """The API answered with a non-2xx status."""

    status_code: int
    response: httpx.Response
    """The response; its ``.request`` has the ``Authorization`` header redacted."""
    required_scopes: tuple[str, ...]
    """Scopes that each allow the operation (any one is enough); empty when unknown."""
    request_id: str | None
    """The server's id of the request (``x-request-id``, else Cloudflare's ``cf-ray``), to
    quote to Instantly's support; None when the response carried none."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        operation_id: str,
        method: str,
        url: str,
        required_scopes: tuple[str, ...] = (),
        may_have_been_applied: bool = False,
    ) -> None:
        super().__init__(
            message,
            operation_id=operation_id,
            method=method,
            url=url,
            body=body,
            may_have_been_applied=may_have_been_applied,
        )
        self.response = redact_response(response)
        self.status_code = response.status_code
        self.required_scopes = required_scopes
        self.request_id = request_id_of(response.headers)


class BadRequestError(APIStatusError):
    """400, 413 or 422: the request was rejected as invalid."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid, or lacks a scope for this operation."""


class PaymentRequiredError(APIStatusError):
    """402: the workspace plan does not include this feature."""


class PermissionDeniedError(APIStatusError):
    """403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state."""


class RateLimitError(APIStatusError):
    """429: too many requests."""

    retry_after: float | None
    """Seconds the server asked to wait (``Retry-After``), if it said."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        operation_id: str,
        method: str,
        url: str,
        required_scopes: tuple[str, ...] = (),
        may_have_been_applied: bool = False,
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            operation_id=operation_id,
            method=method,
            url=url,
            required_scopes=required_scopes,
            may_have_been_applied=may_have_been_applied,
        )
        self.retry_after = parse_retry_after(response.headers)


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class APIConnectionError(APIError):
    """No response: the connection failed."""


class APITimeoutError(APIConnectionError):
    """No response in time."""


class APIResponseDecodeError(APIError):
    """The response body could not be decoded (corrupt gzip, deflate, brotli, ...)."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body does not match what the operation returns."""

    status_code: int
    response: httpx.Response
    body: str
    """The raw response text."""
    pointer: str | None
    """The JSON pointer of the value that does not fit (``strict_responses=True``), if known."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        operation_id: str,
        method: str,
        url: str,
        pointer: str | None = None,
        may_have_been_applied: bool = False,
    ) -> None:
        super().__init__(
            message,
            operation_id=operation_id,
            method=method,
            url=url,
            body=decode_text(response),
            may_have_been_applied=may_have_been_applied,
        )
        self.response = redact_response(response)
        self.status_code = response.status_code
        self.pointer = pointer


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class for a non-2xx status."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)


def decode_text(response: httpx.Response) -> str:
    try:
        return response.text
    except Exception:  # an unknown charset, ...: the bytes as UTF-8, never a failure
        return response.content.decode("utf-8", errors="replace")


def decode_body(response: httpx.Response) -> object | None:
    """The JSON body if it is JSON, else the text, else None."""
    if not response.content:
        return None
    try:
        body: object = json.loads(response.content)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to decode
        return decode_text(response)
    return body


def bounded(text: str, limit: int = MAX_MESSAGE_DETAIL) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters on .body)"


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value)
    return None


def make_status_error(
    op: Operation, response: httpx.Response, url: str, *, may_have_been_applied: bool = False
) -> APIStatusError:
    """The typed error for a non-2xx ``response`` to ``op``."""
    status = response.status_code
    body = decode_body(response)
    title = detail = None
    if isinstance(body, dict):
        title = _text(body.get("error"))
        detail = _text(body.get("message"))
    title = bounded(title or response.reason_phrase or "Error", 100)
    detail = bounded(detail) if detail else None
    head = f"{status} {title}"
    scopes = op.required_scopes
    detail = detail if detail != title else None
    if status in (401, 403) and scopes:
        message = f"{head}: {detail}. " if detail else f"{head}: "
        message += f"{op.describe()} needs an API key with {op.describe_scopes()}"
    else:
        message = f"{head} from {op.describe()}"
        message += f": {detail}" if detail else ""
    request_id = request_id_of(response.headers)
    if request_id:
        message += f" (request id {request_id})"
    if may_have_been_applied and op.retry_class == "unsafe":
        message += MAY_HAVE_BEEN_APPLIED
    return status_error_class(status)(
        message,
        response=response,
        body=body,
        operation_id=op.operation_id,
        method=op.method,
        url=url,
        required_scopes=scopes,
        may_have_been_applied=may_have_been_applied,
    )


MAY_HAVE_BEEN_APPLIED = (
    ". The request may have been applied: the operation is not safe to repeat, so it was not "
    "re-sent; check its effect before you send it again"
)
