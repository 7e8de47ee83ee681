"""JSON Schema for the fake: request validation with the service's messages, answer building.

Works on the trimmed schemas of ``_generated/fake_data.py`` (``$ref`` holds a bare component
name). Validation messages follow the service (Fastify + Ajv): ``body must have required
property 'name'``, ``body/limit must be <= 100``, ``querystring/limit must be number``.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Builder", "SchemaSet"]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_MISSING: Any = object()


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _JSON_TYPES.get(kind, ()))


class SchemaSet:
    """The component schemas, with ``$ref`` resolution, validation and value checks."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self._refs: dict[str, dict[str, Any]] = {}

    def resolve(self, schema: Any) -> dict[str, Any]:
        """``schema`` with ``$ref`` followed (sibling keywords win), ``allOf`` merged in."""
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str) and len(schema) == 1:
            cached = self._refs.get(ref)
            if cached is None:
                cached = self._refs[ref] = self._resolve(schema)
            return cached
        return self._resolve(schema)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = schema
        for _ in range(32):
            ref = result.get("$ref")
            if ref is None:
                break
            target = self.components.get(ref, {})
            result = {**target, **{k: v for k, v in result.items() if k != "$ref"}}
        parts = result.get("allOf")
        if isinstance(parts, list):
            merged = {k: v for k, v in result.items() if k != "allOf"}
            for part in parts:
                for key, value in self.resolve(part).items():
                    if key == "properties":
                        merged["properties"] = {**merged.get("properties", {}), **value}
                    elif key == "required":
                        merged["required"] = [*merged.get("required", []), *value]
                    else:
                        merged.setdefault(key, value)
            result = merged
        return result

    # ------------------------------------------------------------------ validation

    def error(self, value: Any, schema: Any, where: str) -> str | None:
        """The first problem of ``value`` against ``schema`` (Ajv's wording), or None."""
        s = self.resolve(schema)
        kinds = _types(s)
        if kinds and not any(_is_type(value, k) for k in kinds):
            return f"{where} must be {','.join(kinds)}"
        if "const" in s and value != s["const"]:
            return f"{where} must be equal to constant"
        enum = s.get("enum")
        if isinstance(enum, list) and value not in enum:
            return f"{where} must be equal to one of the allowed values"
        if isinstance(value, str):
            problem = self._string_error(value, s, where)
            if problem:
                return problem
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            problem = self._number_error(value, s, where)
            if problem:
                return problem
        if isinstance(value, list):
            problem = self._array_error(value, s, where)
            if problem:
                return problem
        if isinstance(value, dict):
            problem = self._object_error(value, s, where)
            if problem:
                return problem
        for key in ("anyOf", "oneOf"):
            branches = s.get(key)
            if isinstance(branches, list) and branches:
                matching = sum(1 for b in branches if self.error(value, b, where) is None)
                if matching == 0:
                    return f"{where} must match a schema in {key}"
                if key == "oneOf" and matching > 1:
                    return f"{where} must match exactly one schema in oneOf"
        if "not" in s and self.error(value, s["not"], where) is None:
            return f"{where} must NOT be valid"
        if "if" in s and isinstance(s["if"], dict):
            branch = s.get("then") if self.error(value, s["if"], where) is None else s.get("else")
            if isinstance(branch, dict):
                problem = self.error(value, branch, where)
                if problem:
                    return problem
        rules = s.get("x-validation")
        if isinstance(rules, dict):
            return self.error(value, rules, where)
        return None

    def _string_error(self, value: str, s: Mapping[str, Any], where: str) -> str | None:
        low, high = s.get("minLength"), s.get("maxLength")
        if isinstance(low, int) and len(value) < low:
            return f"{where} must NOT have fewer than {low} characters"
        if isinstance(high, int) and len(value) > high:
            return f"{where} must NOT have more than {high} characters"
        pattern = s.get("pattern")
        if isinstance(pattern, str):
            try:
                matched = re.search(pattern, value) is not None
            except re.error:
                matched = True  # a pattern Python cannot read: the service is the judge
            if not matched:
                return f'{where} must match pattern "{pattern}"'
        return None

    def _number_error(self, value: float, s: Mapping[str, Any], where: str) -> str | None:
        checks: list[tuple[str, str, Callable[[float, float], bool]]] = [
            ("minimum", ">=", lambda v, b: v >= b),
            ("maximum", "<=", lambda v, b: v <= b),
            ("exclusiveMinimum", ">", lambda v, b: v > b),
            ("exclusiveMaximum", "<", lambda v, b: v < b),
        ]
        for keyword, op, ok in checks:
            bound = s.get(keyword)
            if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                continue
            if not ok(value, bound):
                return f"{where} must be {op} {bound}"
        step = s.get("multipleOf")
        if (
            isinstance(step, (int, float))
            and step
            and not math.isclose(value / step, round(value / step))
        ):
            return f"{where} must be multiple of {step}"
        return None

    def _array_error(self, value: list[Any], s: Mapping[str, Any], where: str) -> str | None:
        low, high = s.get("minItems"), s.get("maxItems")
        if isinstance(low, int) and len(value) < low:
            return f"{where} must NOT have fewer than {low} items"
        if isinstance(high, int) and len(value) > high:
            return f"{where} must NOT have more than {high} items"
        items = s.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                problem = self.error(item, items, f"{where}/{i}")
                if problem:
                    return problem
        return None

    def _object_error(self, value: dict[str, Any], s: Mapping[str, Any], where: str) -> str | None:
        for name in s.get("required") or []:
            if name not in value:
                return f"{where} must have required property '{name}'"
        props: dict[str, Any] = s.get("properties") or {}
        extra = s.get("additionalProperties")
        for name, item in value.items():
            if name in props:
                problem = self.error(item, props[name], f"{where}/{name}")
            elif extra is False:
                problem = f"{where} must NOT have additional properties"
            elif isinstance(extra, dict):
                problem = self.error(item, extra, f"{where}/{name}")
            else:
                problem = None
            if problem:
                return problem
        low = s.get("minProperties")
        if isinstance(low, int) and len(value) < low:
            return f"{where} must NOT have fewer than {low} properties"
        return None

    def is_valid(self, value: Any, schema: Any) -> bool:
        return self.error(value, schema, "value") is None

    def coerce(self, text: str | list[str], schema: Any) -> Any:
        """A query-string value converted to the schema's type, as Ajv's ``coerceTypes`` does."""
        s = self.resolve(schema)
        kinds = _types(s)
        if isinstance(text, list):
            if "array" in kinds:
                return [self.coerce(t, s.get("items", {})) for t in text]
            text = text[-1]
        if "array" in kinds:
            parts = text.split(",") if text else []
            return [self.coerce(t, s.get("items", {})) for t in parts]
        for kind in kinds:
            if kind in ("number", "integer"):
                try:
                    number = float(text)
                except ValueError:
                    continue
                if kind == "integer" and not number.is_integer():
                    continue
                return int(number) if number.is_integer() else number
            if kind == "boolean" and text in ("true", "false"):
                return text == "true"
            if kind == "null" and text == "":
                return None
            if kind == "string":
                return text
        return text


class Builder:
    """Builds answers from schemas: what the caller stored first, then examples and defaults.

    ``server_value(name, schema)`` supplies the values the service sets itself (ids,
    timestamps, the workspace) and returns ``_MISSING`` for the others.
    """

    MISSING = _MISSING

    def __init__(self, schemas: SchemaSet, server_value: Callable[[str, dict[str, Any]], Any]):
        self.schemas = schemas
        self.server_value = server_value

    def build(self, schema: Any, source: Any = _MISSING, name: str = "", depth: int = 0) -> Any:
        """A value for ``schema``: ``source`` where it fits, the rest sampled."""
        s = self.schemas.resolve(schema)
        if depth > 16:
            return None
        kinds = _types(s)
        branches = s.get("oneOf") or s.get("anyOf")
        if isinstance(branches, list) and branches and not kinds:
            if source is not _MISSING:
                for branch in branches:
                    if self.schemas.is_valid(source, branch):
                        return self.build(branch, source, name, depth + 1)
            chosen = next(
                (b for b in branches if _types(self.schemas.resolve(b)) != ["null"]), branches[0]
            )
            return self.build(chosen, source, name, depth + 1)
        if source is not _MISSING:
            if isinstance(source, dict) and ("object" in kinds or "properties" in s):
                return self._object(s, source, depth)
            if isinstance(source, list) and "array" in kinds:
                items = s.get("items", {})
                return [self.build(items, v, "", depth + 1) for v in source]
            if self.schemas.is_valid(source, s):
                return copy.deepcopy(source)
        return self.sample(s, name, depth)

    def sample(self, schema: Any, name: str = "", depth: int = 0) -> Any:
        """A value for ``schema`` from nothing: server value, const, example, default, type."""
        s = self.schemas.resolve(schema)
        if "const" in s:
            return copy.deepcopy(s["const"])
        server = self.server_value(name, s)
        if server is not _MISSING:
            return server
        for key in ("example", "default"):
            if key in s and self.schemas.is_valid(s[key], s) and not isinstance(s[key], list):
                return copy.deepcopy(s[key])
        enum = s.get("enum")
        if isinstance(enum, list) and enum:
            return copy.deepcopy(next((v for v in enum if v is not None), enum[0]))
        kinds = [k for k in _types(s) if k != "null"] or _types(s)
        branches = s.get("oneOf") or s.get("anyOf")
        if not kinds and isinstance(branches, list) and branches:
            return self.build(s, _MISSING, name, depth + 1)
        kind = kinds[0] if kinds else ("object" if "properties" in s else "")
        if kind == "object":
            return self._object(s, {}, depth)
        if kind == "array":
            low_items = s.get("minItems")
            count = low_items if isinstance(low_items, int) else 0
            return [self.sample(s.get("items", {}), "", depth + 1) for _ in range(count)]
        if kind == "string":
            low = s.get("minLength") if isinstance(s.get("minLength"), int) else 0
            return "x" * max(low, 1) if low else "example"
        if kind in ("integer", "number"):
            low = s.get("minimum")
            return low if isinstance(low, (int, float)) and not isinstance(low, bool) else 0
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return None

    def _object(self, s: dict[str, Any], source: dict[str, Any], depth: int) -> dict[str, Any]:
        props: dict[str, Any] = s.get("properties") or {}
        if not props:
            return copy.deepcopy(source) if source else {}
        required = set(s.get("required") or [])
        result: dict[str, Any] = {}
        for name, prop in props.items():
            if name in source:
                value = source[name]
                if isinstance(value, (dict, list)):
                    result[name] = self.build(prop, value, name, depth + 1)
                    continue
                if self.schemas.is_valid(value, prop):
                    result[name] = value
                    continue
            if name in required:
                result[name] = self.sample(prop, name, depth + 1)
        extra = s.get("additionalProperties")
        if extra is not False and extra is not None:
            for name, value in source.items():
                if name not in props:
                    result[name] = copy.deepcopy(value)
        return result
