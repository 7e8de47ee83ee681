"""The operation rules: applied, in this order, to every operation (``State.operation``).

The order is the order of our operation's keys in ``openapi.yaml``; pagination and the retry
class read what the rules before them wrote.
"""

from __future__ import annotations

from ...rules import Rule
from ..base import OperationNode
from .bodies import REQUEST_BODY
from .ids import OPERATION_ID
from .keywords import OPERATION_KEYWORDS
from .pagination import PAGINATION
from .parameters import PARAMETERS
from .prose import RATE_LIMITS, SCOPES
from .responses import RESPONSES
from .retry import RETRY_CLASS
from .tags import OPERATION_TAGS, SUMMARY

OPERATION_RULES: tuple[Rule[OperationNode], ...] = (
    OPERATION_ID,
    SUMMARY,
    OPERATION_TAGS,
    SCOPES,
    RATE_LIMITS,
    OPERATION_KEYWORDS,
    PARAMETERS,
    REQUEST_BODY,
    RESPONSES,
    PAGINATION,  # reads the parameters, body and 200 response
    RETRY_CLASS,  # reads the whole operation (x-pagination too)
)
"""Every operation goes through these rules, in this order."""
