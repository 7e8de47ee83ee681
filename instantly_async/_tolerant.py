"""Tolerant, lossless reading of API responses into the generated models.

The generated ``from_dict`` methods do the common cases inline (straight-line code) and call
into this module only for what is rare: a value that does not fit its declared type
(:func:`drift`), a union of several shapes (:func:`read_union`), and writing values back
(:func:`dump`). The rules:

* a missing field reads as ``UNSET``; unknown fields are kept in ``additional_properties``;
* a value that does not fit its type or format is kept exactly as received (never a guess),
  except ``""`` for a nullable date or date-time, which reads as ``None``;
* every such deviation is logged once per operation and field (``instantly_async`` logger,
  level WARNING), or raises :class:`ResponseDrift` inside :func:`reading` with
  ``strict=True`` (the client's ``strict_responses=True``);
* ``to_dict()`` writes back what was received: date and date-time strings keep their original
  spelling while the value is unchanged.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from contextvars import ContextVar, Token
from enum import Enum
from types import TracebackType
from typing import Any

from ._generated.types import UNSET

__all__ = [
    "GeneratedModel",
    "ResponseDrift",
    "drift",
    "dump",
    "dump_date",
    "parse_date",
    "parse_datetime",
    "read_union",
    "reading",
]

logger = logging.getLogger("instantly_async")

# Deviation kinds, as they appear in messages.
MISSING = "missing"  # a required field is absent
TYPE = "type"  # the JSON type does not fit (an object where a string is declared, ...)
FORMAT = "format"  # a string that does not parse as its format (date, date-time)
ENUM = "enum"  # a value the enum does not list
EMPTY = "empty"  # "" for a nullable date or date-time (read as None)
CONST = "const"  # a value other than the declared constant

_KIND_TEXT = {
    MISSING: "is missing",
    TYPE: "has an undocumented type",
    FORMAT: "does not parse as its format",
    ENUM: "has a value its enum does not list",
    EMPTY: 'is "" where a date or null is documented (read as None)',
    CONST: "differs from its documented constant",
}


def _is_unset(value: object) -> bool:
    # by name too: a copy of the generated package (tests) has a types.Unset of its own
    return value is UNSET or type(value).__name__ == "Unset"


# --------------------------------------------------------------------------- dates

_FRACTION_RE = re.compile(r"\.(\d+)")


def _parse_datetime_310(text: str) -> datetime.datetime:
    """``datetime.fromisoformat`` of Python 3.11 for 3.10: ``Z`` and 1-9 fraction digits."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    m = _FRACTION_RE.search(text)
    if m and len(m.group(1)) != 6:
        text = text[: m.start(1)] + m.group(1)[:6].ljust(6, "0") + text[m.end(1) :]
    return datetime.datetime.fromisoformat(text)


parse_datetime: Callable[[str], datetime.datetime]
if sys.version_info >= (3, 11):
    parse_datetime = datetime.datetime.fromisoformat
else:  # pragma: no cover - exercised on Python 3.10 only
    parse_datetime = _parse_datetime_310
parse_date: Callable[[str], datetime.date] = datetime.date.fromisoformat


def dump_date(value: object, raw: Mapping[str, str] | None, key: str) -> Any:
    """A date or date-time for JSON: the received string while the value is unchanged."""
    original = raw.get(key) if raw else None
    if original is not None:
        if value is None and original == "":
            return ""
        if isinstance(value, datetime.datetime):
            try:
                same = parse_datetime(original)
            except ValueError:
                same = None
            if same is not None and same == value and same.utcoffset() == value.utcoffset():
                return original
        elif isinstance(value, datetime.date):
            try:
                if parse_date(original) == value:
                    return original
            except ValueError:
                pass
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- deviations


class ResponseDrift(ValueError):
    """A response value that does not fit the document (raised in strict mode)."""

    def __init__(self, model: str, key: str, kind: str, value: object, where: object) -> None:
        self.model = model
        self.key = key
        self.kind = kind
        self.value = value
        self.where = where
        self.pointer: str | None = None
        super().__init__(self.describe())

    @property
    def field(self) -> str:
        """``Model.field`` (the same for every item of a list)."""
        return f"{self.model}.{self.key}"

    def describe(self) -> str:
        where = f"{self.pointer} ({self.field})" if self.pointer is not None else self.field
        text = f"{where} {_KIND_TEXT.get(self.kind, self.kind)}"
        if self.kind in (TYPE, MISSING):
            if self.kind == TYPE:
                text += f": got {json_type(self.value)}"
        else:
            text += f": {_short(self.value)}"
        return text

    def locate(self, root: object) -> str | None:
        """Find this value in ``root`` (the decoded response body): its JSON pointer."""
        path = _find(root, self.where)
        if path is None:
            return None
        if isinstance(self.where, list):
            index = next((i for i, v in enumerate(self.where) if v is self.value), None)
            if index is None:
                index = next((i for i, v in enumerate(self.where) if v == self.value), None)
            if index is not None:
                path.append(index)
        else:
            path.append(self.key)
        self.pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
        self.args = (self.describe(),)
        return self.pointer


def json_type(value: object) -> str:
    """The JSON kind of a decoded value (``null``, ``boolean``, ``number``, ``string``, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _find(root: object, target: object) -> list[str | int] | None:
    """The path of ``target`` inside ``root``: by identity first, else by equality."""
    for same in (lambda a, b: a is b, lambda a, b: a == b):
        stack: list[tuple[object, list[str | int]]] = [(root, [])]
        while stack:
            node, path = stack.pop()
            if same(node, target):
                return path
            if isinstance(node, dict):
                stack.extend((v, [*path, k]) for k, v in reversed(list(node.items())))
            elif isinstance(node, list):
                stack.extend((v, [*path, i]) for i, v in reversed(list(enumerate(node))))
    return None


class _Reading:
    """The state of one :func:`reading` block (also its context manager: a class is cheaper
    per response than ``@contextmanager``)."""

    __slots__ = ("_token", "found", "operation_id", "strict")

    def __init__(self, operation_id: str | None, strict: bool) -> None:
        self.operation_id = operation_id
        self.strict = strict
        self.found: list[ResponseDrift] = []
        self._token: Token[_Reading | None] | None = None

    def __enter__(self) -> _Reading:
        if self._token is not None:
            raise RuntimeError("this reading() block is already active")
        self._token = _current.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        token, self._token = self._token, None
        if token is not None:
            _current.reset(token)


_current: ContextVar[_Reading | None] = ContextVar("instantly_async_reading", default=None)
_warned: set[tuple[str | None, str]] = set()
_WARNED_MAX = 10_000


def reading(operation_id: str | None = None, *, strict: bool = False) -> _Reading:
    """Parse responses of ``operation_id`` inside this block (``with reading(...) as state``).

    ``strict=True``: the first deviation raises :class:`ResponseDrift`. Otherwise
    deviations are collected in the yielded object's ``found`` and logged by :func:`report`.
    """
    return _Reading(operation_id, strict)


def drift(model: str, key: str, value: Any, where: object, kind: str = "") -> Any:
    """A value of ``model.key`` that does not fit the document: kept as received (returned),
    or :class:`ResponseDrift` in strict mode. ``where`` is the object or list holding it."""
    if _is_unset(value):
        kind = MISSING
    elif not kind:
        kind = TYPE
    found = ResponseDrift(model, key, kind, value, where)
    state = _current.get()
    if state is None:
        _warn(None, found)
    elif state.strict:
        raise found
    else:
        state.found.append(found)
    return value


def report(state: _Reading, body: Callable[[], object] | None = None) -> None:
    """Log the deviations found while reading, once per operation and field."""
    for found in state.found:
        key = (state.operation_id, found.field)
        if key in _warned:
            continue
        if body is not None:
            with suppress(ValueError):  # a body that decoded once decodes again
                found.locate(body())
        _warn(state.operation_id, found)


def _warn(operation_id: str | None, found: ResponseDrift) -> None:
    key = (operation_id, found.field)
    if key in _warned:
        return
    if len(_warned) >= _WARNED_MAX:
        _warned.clear()
    _warned.add(key)
    where = f"{operation_id} response: " if operation_id else ""
    kept = "" if found.kind == EMPTY else "; kept as received"
    logger.warning(
        "%s%s%s (strict_responses=True would raise; logged once per operation and field)",
        where,
        found.describe(),
        kept,
        extra={"operation_id": operation_id, "drift_field": found.field, "drift_kind": found.kind},
    )


# --------------------------------------------------------------------------- unions


def read_union(
    model: str,
    key: str,
    value: Any,
    where: object,
    readers: Sequence[Callable[[Any], Any]],
) -> Any:
    """Read ``value`` with the first reader that takes it without a deviation.

    A reader raises ``TypeError``/``ValueError`` for a value it does not take. When none takes
    it strictly, the first that takes it leniently wins (the deviations inside it are
    reported); when none takes it at all, the value is kept as received.
    """
    outer = _current.get()
    operation_id = outer.operation_id if outer else None
    inner: ResponseDrift | None = None
    token = _current.set(_Reading(operation_id, True))
    try:
        for read in readers:
            try:
                return read(value)
            except ResponseDrift as exc:  # a member that fits but for a deviation inside
                inner = inner or exc
            except (TypeError, ValueError, KeyError, AttributeError):
                continue
    finally:
        _current.reset(token)
    if outer is not None and outer.strict:
        raise inner or ResponseDrift(model, key, TYPE, value, where)
    lenient = _Reading(operation_id, False)
    token = _current.set(lenient)
    try:
        for read in readers:
            lenient.found.clear()
            try:
                result = read(value)
            except (TypeError, ValueError, KeyError, AttributeError):
                continue
            break
        else:
            lenient.found.clear()
            result = value
    finally:
        _current.reset(token)
    if not lenient.found:
        return drift(model, key, result, where, TYPE)
    for found in lenient.found:  # report what was found inside the member that read it
        if outer is None:
            _warn(None, found)
        else:
            outer.found.append(found)
    return result


# Readers for the members of a union: each returns the value read, or raises TypeError /
# ValueError when the value is not of its kind.

Reader = Callable[[Any], Any]


def _no(value: object, what: str) -> Any:
    raise TypeError(f"{json_type(value)} is not {what}")


def r_str(value: Any) -> Any:
    return value if value.__class__ is str else _no(value, "a string")


def r_int(value: Any) -> Any:
    return value if value.__class__ is int else _no(value, "an integer")


def r_float(value: Any) -> Any:
    return value if value.__class__ in (int, float) else _no(value, "a number")


def r_bool(value: Any) -> Any:
    return value if value.__class__ is bool else _no(value, "a boolean")


def r_none(value: Any) -> Any:
    return value if value is None else _no(value, "null")


def r_any(value: Any) -> Any:
    return value


def r_datetime(value: Any) -> Any:
    return parse_datetime(value) if value.__class__ is str else _no(value, "a date-time")


def r_date(value: Any) -> Any:
    return parse_date(value) if value.__class__ is str else _no(value, "a date")


def r_const(const: object) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is const.__class__ and value == const:
            return value
        return _no(value, repr(const))

    return read


def r_enum(values: Any, kind: type) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is kind and value in values:
            return value
        return _no(value, "a listed value")

    return read


def r_enum_class(cls: Any) -> Reader:
    def read(value: Any) -> Any:
        if value.__class__ is not dict and value in cls._value2member_map_:
            return cls(value)
        return _no(value, "a listed value")

    return read


def r_model(cls: Any) -> Reader:
    def read(value: Any) -> Any:
        return cls.from_dict(value) if value.__class__ is dict else _no(value, "an object")

    return read


def r_list(item: Reader) -> Reader:
    def read(value: Any) -> Any:
        return [item(v) for v in value] if value.__class__ is list else _no(value, "an array")

    return read


# --------------------------------------------------------------------------- writing


def dump(value: Any) -> Any:
    """A value for JSON: models as dicts, dates as ISO strings, the rest as it is."""
    if isinstance(value, GeneratedModel):
        return value.to_dict()
    if isinstance(value, list):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


class GeneratedModel:
    """Base of every generated model: readable ``repr`` and ``to_json()``."""

    # the received spelling of date and date-time fields, by JSON key (set by from_dict())
    __slots__ = ("_raw",)
    _raw: dict[str, str]

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every model defines it
        raise NotImplementedError

    def to_json(self, *, indent: int | None = None) -> str:
        """The model as JSON text: what the API sent, with your changes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __repr__(self) -> str:
        parts: list[str] = []
        for attribute in getattr(type(self), "__attrs_attrs__", ()):
            name = attribute.name
            if name.startswith("_"):
                continue
            value = getattr(self, name, None)
            if _is_unset(value) or (name == "additional_properties" and not value):
                continue
            parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"
