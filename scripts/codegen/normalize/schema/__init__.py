"""The schema rules: applied, in this order, to every schema node (``State.schema``).

A node's subschemas are normalized while its keywords are read (the first rule), so the
later rules see finished children.
"""

from __future__ import annotations

from ...rules import Rule
from ..base import SchemaNode
from .examples import EXAMPLES
from .keywords import INLINE_TITLES, KEYWORDS
from .mixed import BOOLEAN_ENUMS, MIXED_TYPES
from .types import ARRAY_ITEMS, ENUM_TYPES

SCHEMA_RULES: tuple[Rule[SchemaNode], ...] = (
    KEYWORDS,
    INLINE_TITLES,
    ENUM_TYPES,  # before examples: a null example then sees the enum's type
    ARRAY_ITEMS,
    EXAMPLES,  # before mixed-types: a null example adds null to the type
    MIXED_TYPES,
    BOOLEAN_ENUMS,  # after mixed-types: a boolean branch is one type
)
"""Every schema node goes through these rules, in this order."""
