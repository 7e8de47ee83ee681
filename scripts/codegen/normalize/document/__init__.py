"""The document rules: ``RULES``, applied in this order to the whole document.

The schema and operation rules run inside ``schemas`` and ``operations``.
"""

from __future__ import annotations

from ...rules import Rule
from ..base import State
from .error_bodies import ERROR_BODIES
from .live_overrides import LIVE_API_OVERRIDES
from .operations import OPERATION_IDS, OPERATIONS
from .provenance import PROVENANCE
from .request_consts import REQUEST_CONSTS
from .schemas import SCHEMA_NAMES, SCHEMAS
from .top import DOCUMENT, OPENAPI_VERSION, SECURITY_SCHEMES, TAGS

RULES: tuple[Rule[State], ...] = (
    OPENAPI_VERSION,
    SCHEMA_NAMES,  # before anything reads a $ref
    DOCUMENT,
    SECURITY_SCHEMES,
    SCHEMAS,  # before the operations: pagination looks into component schemas
    TAGS,
    OPERATIONS,
    ERROR_BODIES,
    REQUEST_CONSTS,  # after error-bodies: their statusCode and error become consts
    OPERATION_IDS,
    PROVENANCE,  # after every rule that can record a repair
    LIVE_API_OVERRIDES,  # last: the corrections apply to the finished document
)
"""The normalizer: these rules, in this order."""
