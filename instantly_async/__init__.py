"""Async-first Python SDK for the Instantly.ai API V2 (asyncio and trio).

::

    from instantly_async import AsyncInstantly

    async with AsyncInstantly() as client:  # api_key from INSTANTLY_API_KEY
        ...
"""

from ._client import AsyncInstantly
from ._exceptions import (
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
from ._operation import RateLimit
from ._pagination import AsyncPaginator, Page
from ._ratelimit import RateLimitConfig
from ._scopes import minimal_scopes, required_scopes
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncInstantly",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InstantlyError",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PaginationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitConfig",
    "RateLimitError",
    "UnknownOperationError",
    "__version__",
    "minimal_scopes",
    "required_scopes",
]
