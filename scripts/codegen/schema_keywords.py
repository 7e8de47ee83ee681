"""The JSON Schema / OpenAPI schema keywords, by what their value is (defined once).

The normalizer (``codegen.normalize.schema``) reads upstream schemas with these lists; the
fake's data (``codegen.gen_fake``) walks the normalized ones with the same facts.
"""

from __future__ import annotations

PLAIN = frozenset(
    {
        "type",
        "format",
        "enum",
        "const",
        "title",
        "required",
        "readOnly",
        "writeOnly",
        "deprecated",
        "nullable",
        "default",
        "example",
        "examples",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "x-enumDescriptions",
    }
)
"""Keywords whose value is data, not a schema: carried over unchanged."""

DROPPED = frozenset({"description", "hide", "x-tags", "$comment", "externalDocs"})
"""Prose and documentation-renderer hints: never carried over."""

REF_SIBLINGS_DROPPED = DROPPED | {"title", "example", "examples"}
"""Keywords next to a ``$ref`` that carry no fact the referenced schema lacks."""

VALIDATION_SUBSCHEMA = ("not", "if", "then", "else", "contains")
"""Validation-only keywords whose value is one subschema."""

VALIDATION_DATA = ("dependentRequired",)
"""Validation-only keywords whose value is data (property name -> names it requires)."""

VALIDATION_ONLY = (*VALIDATION_SUBSCHEMA, *VALIDATION_DATA)
"""Keywords that only validate and that openapi-python-client cannot model."""

SCHEMA_ONE = ("items", "additionalProperties")
"""Keywords whose value is one subschema (``additionalProperties``: or a boolean)."""

SCHEMA_MAP = ("properties",)
"""Keywords whose value maps names to subschemas."""

SCHEMA_LIST = ("anyOf", "oneOf", "allOf")
"""Keywords whose value is a list of subschemas."""
