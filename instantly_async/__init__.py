"""Async-first Python SDK for the Instantly.ai API V2 (asyncio and trio).

::

    from instantly_async import AsyncInstantly

    async with AsyncInstantly() as client:  # api_key from INSTANTLY_API_KEY
        ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._api_spec import API_SPEC, ApiSpec
    from ._background_jobs import BackgroundJobError, BackgroundJobFailed, BackgroundJobTimeout
    from ._client import AsyncInstantly
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseDecodeError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ConfigurationError,
        ConflictError,
        InstantlyError,
        InternalServerError,
        InvalidRequestError,
        NotFoundError,
        PaginationError,
        PaymentRequiredError,
        PermissionDeniedError,
        RateLimitError,
        UnknownOperationError,
    )
    from ._operation import RateLimit
    from ._pagination import AsyncPaginator, Page
    from ._ratelimit import RateLimitConfig, SharedRateLimitError
    from ._response import APIResponse
    from ._scopes import minimal_scopes, required_scopes
    from ._shared_ratelimit import RedisRateLimit
    from ._version import __version__

# Public name -> private module. Loaded on first use, so that importing a generated
# module (instantly_async._generated...) does not pay for the whole facade.
_LAZY: dict[str, str] = {
    "API_SPEC": "._api_spec",
    "ApiSpec": "._api_spec",
    "AsyncInstantly": "._client",
    "BackgroundJobError": "._background_jobs",
    "BackgroundJobFailed": "._background_jobs",
    "BackgroundJobTimeout": "._background_jobs",
    "APIConnectionError": "._exceptions",
    "APIError": "._exceptions",
    "APIResponseDecodeError": "._exceptions",
    "APIResponseValidationError": "._exceptions",
    "APIStatusError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "BadRequestError": "._exceptions",
    "ClientClosedError": "._exceptions",
    "ConfigurationError": "._exceptions",
    "ConflictError": "._exceptions",
    "InstantlyError": "._exceptions",
    "InternalServerError": "._exceptions",
    "InvalidRequestError": "._exceptions",
    "NotFoundError": "._exceptions",
    "PaginationError": "._exceptions",
    "PaymentRequiredError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "RateLimitError": "._exceptions",
    "UnknownOperationError": "._exceptions",
    "RateLimit": "._operation",
    "APIResponse": "._response",
    "AsyncPaginator": "._pagination",
    "Page": "._pagination",
    "RateLimitConfig": "._ratelimit",
    "RedisRateLimit": "._shared_ratelimit",
    "SharedRateLimitError": "._ratelimit",
    "minimal_scopes": "._scopes",
    "required_scopes": "._scopes",
    "__version__": "._version",
}

__all__ = [
    "API_SPEC",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseDecodeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiSpec",
    "AsyncInstantly",
    "AsyncPaginator",
    "AuthenticationError",
    "BackgroundJobError",
    "BackgroundJobFailed",
    "BackgroundJobTimeout",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InstantlyError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "Page",
    "PaginationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitConfig",
    "RateLimitError",
    "RedisRateLimit",
    "SharedRateLimitError",
    "UnknownOperationError",
    "__version__",
    "minimal_scopes",
    "required_scopes",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'instantly_async' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
