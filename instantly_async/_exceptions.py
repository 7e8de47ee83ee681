"""Errors raised by the client.

::

    InstantlyError                      everything this package raises on purpose
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
    │   ├── APIConnectionError          no response: network failure
    │   │   └── APITimeoutError         no response in time
    │   └── APIResponseValidationError  2xx response that does not match the schema
    ├── PaginationError                 no next page, or the server repeats a cursor
    └── UnknownOperationError           unknown operation id (also a KeyError)
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._operation import Operation
from ._retry import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InstantlyError",
    "InternalServerError",
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


class InstantlyError(Exception):
    """Base class of every error this package raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default pickling; restore the state.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


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

    def __init__(
        self,
        message: str,
        *,
        operation_id: str,
        method: str,
        url: str,
        body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation_id = operation_id
        self.method = method
        self.url = url
        self.body = body


class APIStatusError(APIError):
    """The API answered with a non-2xx status."""

    status_code: int
    response: httpx.Response
    required_scopes: tuple[str, ...]
    """Scopes that each allow the operation (any one is enough); empty when unknown."""

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
    ) -> None:
        super().__init__(message, operation_id=operation_id, method=method, url=url, body=body)
        self.response = response
        self.status_code = response.status_code
        self.required_scopes = required_scopes


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
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            operation_id=operation_id,
            method=method,
            url=url,
            required_scopes=required_scopes,
        )
        self.retry_after = parse_retry_after(response.headers)


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class APIConnectionError(APIError):
    """No response: the connection failed."""


class APITimeoutError(APIConnectionError):
    """No response in time."""


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
    ) -> None:
        super().__init__(
            message, operation_id=operation_id, method=method, url=url, body=response.text
        )
        self.response = response
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


def decode_body(response: httpx.Response) -> object | None:
    """The JSON body if it is JSON, else the text, else None."""
    if not response.content:
        return None
    try:
        body: object = json.loads(response.content)
    except ValueError:
        return response.text
    return body


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value)
    return None


def make_status_error(op: Operation, response: httpx.Response, url: str) -> APIStatusError:
    """The typed error for a non-2xx ``response`` to ``op``."""
    status = response.status_code
    body = decode_body(response)
    title = detail = None
    if isinstance(body, dict):
        title = _text(body.get("error"))
        detail = _text(body.get("message"))
    title = title or response.reason_phrase or "Error"
    head = f"{status} {title}"
    scopes = op.required_scopes
    detail = detail if detail != title else None
    if status in (401, 403) and scopes:
        message = f"{head}: {detail}. " if detail else f"{head}: "
        message += f"{op.describe()} needs an API key with {op.describe_scopes()}"
    else:
        message = f"{head} from {op.describe()}"
        message += f": {detail}" if detail else ""
    return status_error_class(status)(
        message,
        response=response,
        body=body,
        operation_id=op.operation_id,
        method=op.method,
        url=url,
        required_scopes=scopes,
    )
