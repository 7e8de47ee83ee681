"""The request side of the generated resource methods: value checks and per-call options.

Every resource method is generated with its real keyword parameters. Before anything is
sent, :func:`body` checks the values given against their JSON types (derived from
``openapi.yaml`` when the SDK was generated, as :class:`Shape` trees) and turns them into the
JSON body: plain ``dict``/``list`` values are accepted wherever a nested object or array is
expected, unknown keys are refused with the closest known one suggested, and ``None`` is
refused where the document does not allow ``null``. :func:`options` then applies the
per-call ``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout``.
"""

from __future__ import annotations

import datetime
import functools
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar, cast

import httpx

from ._exceptions import ConfigurationError
from ._generated.types import UNSET, Unset

__all__ = [
    "ANY",
    "ARR",
    "BOOL",
    "INT",
    "NULL",
    "NUM",
    "OBJ",
    "STR",
    "JsonBody",
    "Shape",
    "body",
    "check",
    "friendly",
    "options",
]

# JSON types as bits of Shape.kinds
STR: Final = 1
INT: Final = 2
NUM: Final = 4
BOOL: Final = 8
ARR: Final = 16
OBJ: Final = 32
NULL: Final = 64
ANY: Final = 127

_NAMES: tuple[tuple[int, str], ...] = (
    (STR, "string"),
    (INT, "integer"),
    (NUM, "number"),
    (BOOL, "boolean"),
    (ARR, "array"),
    (OBJ, "object"),
    (NULL, "null"),
)
_KIND_OF: dict[type, int] = {
    str: STR,
    int: INT | NUM,
    float: NUM,
    bool: BOOL,
    type(None): NULL,
    list: ARR,
    tuple: ARR,
    dict: OBJ,
}

F = TypeVar("F", bound=Callable[..., Any])


class Shape:
    """What a JSON value may be: its types, and for objects and arrays what they contain.

    ``props`` (declared keys), ``required``, ``extra`` (False: no other key; True: any other
    key; a Shape: other keys with values of that shape), ``items`` (array items), ``variants``
    (``oneOf``/``anyOf``: the value fits one of them), ``fmt`` (``date``/``date-time``/``uuid``:
    Python ``date``/``datetime``/``UUID`` objects are written as text).
    """

    __slots__ = ("extra", "fast", "fmt", "items", "kinds", "props", "required", "variants")

    def __init__(
        self,
        kinds: int,
        props: Mapping[str, Shape] | None = None,
        required: tuple[str, ...] = (),
        extra: Shape | bool = False,
        items: Shape | None = None,
        variants: tuple[Shape, ...] = (),
        fmt: str | None = None,
    ) -> None:
        self.kinds = kinds
        self.props = props
        self.required = required
        self.extra = extra
        self.items = items
        self.variants = variants
        self.fmt = fmt
        # JSON kinds accepted as they are, with nothing inside to check: the fast path
        leaves = STR | INT | NUM | BOOL | NULL
        if variants:
            self.fast = kinds & NULL
            for v in variants:
                if not v.variants:
                    self.fast |= v.kinds & leaves
        else:
            self.fast = kinds & leaves

    def describe(self) -> str:
        if self.variants:
            names = dict.fromkeys(v.describe() for v in self.variants)
            if self.kinds & NULL and "null" not in names:
                names["null"] = None
            return " or ".join(names)
        return " or ".join(name for bit, name in _NAMES if self.kinds & bit)


class JsonBody:
    """A checked JSON body, in the place of a generated model (``to_dict()`` gives it back)."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _where(path: str) -> str:
    return f" at {path}" if path else ""


def _kind(value: object) -> int:
    kind = _KIND_OF.get(type(value))
    if kind is not None:
        return kind
    # subclasses: enums, str/int subclasses, other mappings and sequences
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STR
    if isinstance(value, int):
        return INT | NUM
    if isinstance(value, float):
        return NUM
    if isinstance(value, Mapping):
        return OBJ
    if isinstance(value, (list, tuple)):
        return ARR
    return 0


def _type_error(method: str, path: str, shape: Shape, value: object) -> TypeError:
    got = "None" if value is None else f"{type(value).__name__} {value!r:.60}"
    return TypeError(f"{method}(): {path} must be {shape.describe()}, got {got}")


def check(method: str, path: str, value: Any, shape: Shape) -> Any:
    """``value`` as JSON, after checking it fits ``shape``; raises TypeError naming ``path``."""
    kind = _KIND_OF.get(type(value)) or _kind(value)
    if kind & shape.fast:
        return value
    if not kind:
        converted = _convert(value, shape)
        if converted is _NO:
            raise _type_error(method, path, shape, value)
        return converted
    if shape.variants:
        return _check_variants(method, path, value, shape, kind)
    if not kind & shape.kinds:
        raise _type_error(method, path, shape, value)
    if kind == ARR:
        item_shape = shape.items
        if item_shape is None:
            return list(value)
        fast = item_shape.fast
        return [
            v
            if (_KIND_OF.get(type(v)) or _kind(v)) & fast
            else check(method, f"{path}[{i}]", v, item_shape)
            for i, v in enumerate(value)
        ]
    return _check_object(method, path, value, shape)


_NO: Any = object()


def _convert(value: object, shape: Shape) -> Any:
    """Python objects with an obvious JSON form: models, dates, UUIDs."""
    if shape.kinds & OBJ or shape.variants:
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict) and hasattr(value, "__attrs_attrs__"):
            return to_dict()
    if shape.kinds & STR or shape.variants:
        if isinstance(value, (datetime.date, datetime.time)):
            return value.isoformat()
        uuid = sys.modules.get("uuid")  # not imported: the value cannot be a UUID
        if uuid is not None and isinstance(value, uuid.UUID):
            return str(value)
    return _NO


def _check_object(method: str, path: str, value: Mapping[Any, Any], shape: Shape) -> Any:
    props = shape.props
    extra = shape.extra
    if props is None and extra is True:
        return dict(value)
    props = props or {}
    result: dict[str, Any] = {}
    for key, item in value.items():
        sub = props.get(key)
        if sub is None:
            if not isinstance(key, str):
                raise TypeError(f"{method}(): keys must be strings{_where(path)}, got {key!r}")
            if extra is False:
                raise _unknown_key(method, path, key, props)
            if extra is True:
                result[key] = item
                continue
            sub = extra
        if (_KIND_OF.get(type(item)) or _kind(item)) & sub.fast:
            result[key] = item
        else:
            result[key] = check(method, f"{path}.{key}" if path else key, item, sub)
    for name in shape.required:
        if name not in result:
            raise TypeError(f"{method}(): {path} is missing the required key {name!r}")
    return result


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only when there is an error to explain

    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown_key(method: str, path: str, key: str, known: Mapping[str, Shape]) -> TypeError:
    where = f"{path}.{key}" if path else key
    close = _closest(key, known)
    hint = f"; did you mean {close!r}?" if close else ""
    if not close and known:
        hint = "; known keys: " + ", ".join(sorted(known))
    return TypeError(f"{method}(): unknown key {key!r} at {where}{hint}")


def _check_variants(method: str, path: str, value: Any, shape: Shape, kind: int) -> Any:
    if kind == NULL and shape.kinds & NULL:
        return None
    errors: list[tuple[int, TypeError]] = []
    for variant in shape.variants:
        if not (kind & variant.kinds or variant.variants):
            continue
        try:
            return check(method, path, value, variant)
        except TypeError as exc:
            # the variant that knows most of the keys gives the most useful message
            known = variant.props or {}
            score = sum(1 for k in value if k in known) if kind == OBJ else 0
            errors.append((score, exc))
    if errors:
        raise max(errors, key=lambda e: e[0])[1]
    raise _type_error(method, path, shape, value)


def body(
    method: str,
    shape: Shape,
    fields: dict[str, Any],
    extra_body: Mapping[str, object] | None,
    required: bool,
) -> JsonBody | Unset:
    """The JSON body from the keyword arguments given (UNSET ones left out), checked."""
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if not given and not required and not extra_body:
        return UNSET
    props = shape.props or {}
    data: dict[str, Any] = {}
    for key, value in given.items():
        if value is None and not props[key].kinds & NULL:
            raise TypeError(f"{method}(): {key} may not be None")
        data[key] = check(method, key, value, props[key])
    missing = [name for name in shape.required if name not in data]
    if missing and not (extra_body and all(m in extra_body for m in missing)):
        raise TypeError(
            f"{method}() needs the argument {missing[0]!r} (required when a body is sent)"
        )
    return JsonBody(data)


def params(method: str, values: Mapping[str, tuple[Shape, Any]]) -> None:
    """Check query and header parameters (the generated endpoint module serializes them)."""
    for key, (shape, value) in values.items():
        if value is UNSET:
            continue
        if value is None and not shape.kinds & NULL:
            raise TypeError(f"{method}(): {key} may not be None")
        if shape.fmt in ("date", "date-time"):
            wanted = datetime.datetime if shape.fmt == "date-time" else datetime.date
            if not isinstance(value, wanted):
                raise TypeError(
                    f"{method}(): {key} must be a {wanted.__module__}.{wanted.__name__}, "
                    f"got {type(value).__name__} {value!r:.60}"
                )
            continue
        check(method, key, value, shape)


def options(
    method: str,
    request: dict[str, Any],
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, object] | None,
    extra_body: Mapping[str, object] | None,
    timeout: float | httpx.Timeout | Unset | None,
) -> dict[str, Any]:
    """Apply the per-call options to a request built by a generated ``_get_kwargs``."""
    if extra_headers:
        request["headers"] = {
            **(request.get("headers") or {}),
            **_mapping(method, "extra_headers", extra_headers),
        }
    if extra_query:
        request["params"] = {
            **(request.get("params") or {}),
            **_mapping(method, "extra_query", extra_query),
        }
    if extra_body:
        json_body = request.get("json")
        if json_body is not None and not isinstance(json_body, dict):
            raise TypeError(f"{method}(): extra_body needs a JSON object body")
        request["json"] = {**(json_body or {}), **_mapping(method, "extra_body", extra_body)}
    if not isinstance(timeout, Unset):
        request["timeout"] = checked_timeout(timeout, f"{method}(): timeout")
    return request


def _mapping(method: str, name: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{method}(): {name} must be a mapping, got {type(value).__name__}")
    return value


def checked_timeout(timeout: object, name: str = "timeout") -> httpx.Timeout | None:
    """A timeout argument checked: seconds (a positive finite number), an ``httpx.Timeout`` or
    None; anything else raises :class:`ConfigurationError` (a ``TypeError``) naming ``name``."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if (
        isinstance(timeout, (int, float))
        and not isinstance(timeout, bool)
        and math.isfinite(timeout)
        and timeout > 0
    ):
        return httpx.Timeout(timeout)
    raise ConfigurationError(
        f"{name} must be a positive number of seconds, an httpx.Timeout or None, got {timeout!r}"
    )


def friendly(label: str) -> Callable[[F], F]:
    """Decorate a resource method: a misspelt keyword argument names the closest real one."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except TypeError as exc:
                tb = exc.__traceback__
                if tb is None or tb.tb_next is not None:
                    raise  # raised inside the method, not by the call
                raise _call_error(label, function, kwargs, exc) from None

        return cast(F, call)

    return decorate


def _call_error(
    label: str, function: Callable[..., Any], kwargs: dict[str, Any], exc: TypeError
) -> TypeError:
    text = str(exc)
    qualname = function.__qualname__ + "()"
    text = text.replace(qualname, label + "()", 1)
    if "unexpected keyword argument" in text:
        code = function.__code__
        names = code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]
        unknown = [k for k in kwargs if k not in names]
        if unknown:
            close = _closest(unknown[0], names)
            hint = f"; did you mean {close!r}?" if close else ""
            return TypeError(f"{label}() got an unexpected keyword argument {unknown[0]!r}{hint}")
    return TypeError(text)
