"""Valid arguments for every operation of openapi.yaml, synthesized from its schemas.

:func:`synthesize` builds the JSON-level arguments of one operation (path parameters, query
parameters, request body); :func:`facade_call` turns them into a call of the facade method
``client.<namespace>.<method>(...)``: path parameters positional, query parameters keyword-only,
and the body's fields as keyword arguments, with nested objects as plain JSON dicts and lists.

Values come from the document: ``const``, then ``example`` / ``examples``, then ``enum``, and
only then a value synthesized from ``type`` / ``format`` / ``pattern`` / bounds. Objects get
their required properties always, and their optional properties when those carry an example.
The validation-only rules the normalizer moved into ``x-validation`` (``anyOf`` of ``required``
branches, ``if``/``then``/``else``, ``not``) are honoured too: missing properties they require
are added, and :func:`check_x_validation` confirms the result (Prism does not see them).
"""

from __future__ import annotations

import copy
import datetime
import functools
import importlib
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from instantly_async._generated.namespaces import FACADE_NAMES
from instantly_async._generated.types import UNSET, File, Unset

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
MAX_DEPTH = 12

# Values for string patterns found in openapi.yaml (a synthesizer for arbitrary regular
# expressions is not worth it; an unknown pattern fails loudly so this table gets extended).
PATTERN_SAMPLES: dict[str, str] = {
    r"^([01][0-9]|2[0-3]):([0-5][0-9])$": "09:00",
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$": (
        "f9cc070d-8dba-4341-b847-f083c358e460"
    ),
    r"^\s*\S+\.[a-zA-Z]{2,}\s*$": "example.com",
    r".*\S.*": "example",
    r"^https?://": "https://example.com",
    r"^[^\n\r]*$": "example",
    r"^rule-(0|[1-9][0-9]*)$": "rule-0",
    r"^ptid_(?!ptid_)[A-Za-z0-9_-]{1,45}$": "ptid_example",
    r"^\s*$|^(ptid_)?(?!ptid_)[A-Za-z0-9_-]{1,45}$": "ptid_example",
}

FORMAT_SAMPLES: dict[str, str] = {
    "date-time": "2024-01-01T00:00:00.000Z",
    "date": "2024-01-01",
    "time": "09:00:00",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "uuid": "f9cc070d-8dba-4341-b847-f083c358e460",
    "ipv4": "192.0.2.1",
}


class SynthesisError(Exception):
    """The document has a schema this module cannot produce a valid value for."""


BAD_EXAMPLES: dict[str, str] = {}
"""Examples of the document that do not fit their own schema (where -> why), found while
synthesizing; a synthesized value is used instead."""


# --------------------------------------------------------------------------- the document


@functools.cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open("rb") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)
    return spec


@functools.cache
def spec_operations() -> dict[str, dict[str, Any]]:
    """operationId -> operation object, with ``x-method`` and ``x-path`` added."""
    ops: dict[str, dict[str, Any]] = {}
    for path, item in load_spec()["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                if op["operationId"] in ops:
                    raise SynthesisError(f"duplicate operationId {op['operationId']!r}")
                ops[op["operationId"]] = {**op, "x-method": method, "x-path": path}
    return ops


def resolve(schema: Any) -> dict[str, Any]:
    """Follow local ``$ref``s; sibling keywords of a ``$ref`` win over the target's."""
    if not isinstance(schema, dict):
        return {}
    result: dict[str, Any] = schema
    seen: set[str] = set()
    while "$ref" in result:
        ref = result["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise SynthesisError(f"cannot follow $ref {ref!r}")
        seen.add(ref)
        target: Any = load_spec()
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {k: v for k, v in result.items() if k != "$ref"}
        result = {**target, **siblings}
    return result


def ref_name(schema: Any) -> str | None:
    """``Lead`` for ``{"$ref": "#/components/schemas/Lead"}``, else None."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref: str = schema["$ref"]
        if ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[1]
    return None


# --------------------------------------------------------------------------- values


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def _example(schema: dict[str, Any]) -> tuple[bool, Any]:
    """(found, value) of the schema's own example: ``example``, else the first of ``examples``."""
    if "example" in schema:
        return True, copy.deepcopy(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return True, copy.deepcopy(examples[0])
    return False, None


def has_example(schema: Any) -> bool:
    s = resolve(schema)
    return "const" in s or _example(s)[0]


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return [resolve(b) for b in branches]
    return []


def _merge_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in parts:
        part = _merge_all_of(resolve(part))
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def sample(schema: Any, *, where: str = "", depth: int = 0) -> Any:
    """A value valid for ``schema``, preferring the document's own examples."""
    if depth > MAX_DEPTH:
        raise SynthesisError(f"{where}: schema nests too deep")
    s = _merge_all_of(resolve(schema))
    if "const" in s:
        return copy.deepcopy(s["const"])
    found, value = _example(s)
    if found and not is_valid(value, s):
        BAD_EXAMPLES[where] = f"example {value!r:.80} does not fit its schema"
        found, value = False, None
    kinds = _types(s)
    if found and not (isinstance(value, dict) and "object" in kinds):
        return value
    enum = s.get("enum")
    if isinstance(enum, list) and enum:
        non_null = [v for v in enum if v is not None]
        return copy.deepcopy(non_null[0] if non_null else enum[0])
    branches = _branches(s)
    if branches and not kinds:
        chosen = next((b for b in branches if _types(b) != ["null"]), branches[0])
        return sample(chosen, where=where, depth=depth + 1)
    kinds = [k for k in kinds if k != "null"] or kinds
    kind = kinds[0] if kinds else ("object" if "properties" in s else "")
    if kind == "object":
        return _object(s, value if found else {}, where=where, depth=depth)
    if kind == "array":
        return _array(s, where=where, depth=depth)
    if kind == "string":
        return _string(s, where=where)
    if kind in ("integer", "number"):
        return _number(s, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if not s or set(s) <= {"description", "title", "x-enumDescriptions"}:
        return "example"  # any value is valid
    raise SynthesisError(f"{where}: no rule for schema {s!r:.200}")


def _object(s: dict[str, Any], base: dict[str, Any], *, where: str, depth: int) -> dict[str, Any]:
    props: dict[str, Any] = s.get("properties") or {}
    required = [str(n) for n in s.get("required") or []]
    result: dict[str, Any] = dict(base)

    def add(name: str) -> None:
        if name not in result:
            if name in props:
                result[name] = sample(props[name], where=f"{where}.{name}", depth=depth + 1)
            elif isinstance(s.get("additionalProperties"), dict):
                extra = s["additionalProperties"]
                result[name] = sample(extra, where=f"{where}.{name}", depth=depth + 1)
            else:
                result[name] = "example"

    for name in required:
        add(name)
    rules = s.get("x-validation")
    forbidden = _forbidden_combinations(rules)
    for name, prop in props.items():
        if name not in result and has_example(prop) and not resolve(prop).get("readOnly"):
            add(name)
            if any(is_valid(result, combination) for combination in forbidden):
                del result[name]  # an optional property that x-validation rules out here
    # Branches of a oneOf/anyOf next to properties: satisfy the first one's requirements.
    branches = _branches(s)
    if branches:
        for name in branches[0].get("required") or []:
            add(str(name))
    if isinstance(rules, dict):
        for _ in range(10):
            missing = needed_properties(result, rules)
            if not missing:
                break
            for name in missing:
                add(name)
    min_props = s.get("minProperties")
    if isinstance(min_props, int) and len(result) < min_props:
        for name in props:
            if len(result) >= min_props:
                break
            add(name)
        while len(result) < min_props:
            add(f"key{len(result)}")
    return result


def _array(s: dict[str, Any], *, where: str, depth: int) -> list[Any]:
    count = max(1, int(s.get("minItems") or 0))
    if isinstance(s.get("maxItems"), int):
        count = min(count, s["maxItems"])
    items = s.get("items", {})
    values = [sample(items, where=f"{where}[{i}]", depth=depth + 1) for i in range(count)]
    if s.get("uniqueItems") and count > 1:
        raise SynthesisError(f"{where}: uniqueItems with minItems > 1")
    return values


def _string(s: dict[str, Any], *, where: str) -> str:
    pattern = s.get("pattern")
    fmt = s.get("format")
    if isinstance(pattern, str):
        if pattern not in PATTERN_SAMPLES:
            raise SynthesisError(f"{where}: no sample for pattern {pattern!r}")
        text = PATTERN_SAMPLES[pattern]
    elif isinstance(fmt, str) and fmt in FORMAT_SAMPLES:
        text = FORMAT_SAMPLES[fmt]
    else:
        text = "example"
    min_length = s.get("minLength")
    max_length = s.get("maxLength")
    if isinstance(min_length, int) and len(text) < min_length:
        text += "x" * (min_length - len(text))
    if isinstance(max_length, int) and len(text) > max_length:
        text = text[:max_length]
    if isinstance(pattern, str) and not re.search(pattern, text):
        raise SynthesisError(f"{where}: sample {text!r} does not match {pattern!r}")
    return text


def _number(s: dict[str, Any], *, integer: bool) -> int | float:
    low = s.get("minimum")
    exclusive_low = s.get("exclusiveMinimum")
    high = s.get("maximum")
    value: float = 1
    if isinstance(low, (int, float)):
        value = max(value, low)
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        value = max(value, exclusive_low + 1)
    if isinstance(high, (int, float)):
        value = min(value, high)
    step = s.get("multipleOf")
    if isinstance(step, (int, float)) and step:
        value = (value // step) * step or step
    return int(value) if integer or float(value).is_integer() else value


# --------------------------------------------------------------------------- x-validation


def _is_date_time(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)", text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "email": lambda text: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None,
    "uuid": lambda text: (
        re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", text) is not None
    ),
    "uri": lambda text: re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) is not None,
}


def _forbidden_combinations(rules: Any) -> list[dict[str, Any]]:
    """The ``not`` schemas of ``rules`` (top level and in ``allOf``): what must not match."""
    if not isinstance(rules, dict):
        return []
    found = [rules["not"]] if isinstance(rules.get("not"), dict) else []
    for part in rules.get("allOf") or []:
        found += _forbidden_combinations(part)
    return found


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def is_valid(value: Any, schema: Any) -> bool:
    """A small JSON Schema check for the keywords ``x-validation`` uses."""
    s = resolve(schema)
    kinds = _types(s)
    if kinds:
        ok = False
        for kind in kinds:
            classes = _PYTHON_TYPES.get(kind, ())
            if isinstance(value, classes) and not (kind != "boolean" and isinstance(value, bool)):
                ok = not (kind == "integer" and isinstance(value, float) and not value.is_integer())
                ok = ok or (kind == "integer" and isinstance(value, int))
            if ok:
                break
        if not ok:
            return False
    if "const" in s and value != s["const"]:
        return False
    if isinstance(s.get("enum"), list) and value not in s["enum"]:
        return False
    if isinstance(value, str):
        if isinstance(s.get("minLength"), int) and len(value) < s["minLength"]:
            return False
        if isinstance(s.get("maxLength"), int) and len(value) > s["maxLength"]:
            return False
        if isinstance(s.get("pattern"), str) and not re.search(s["pattern"], value):
            return False
        check = FORMAT_CHECKS.get(str(s.get("format")))
        if check is not None and not check(value):
            return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(s.get("minimum"), (int, float)) and value < s["minimum"]:
            return False
        if isinstance(s.get("maximum"), (int, float)) and value > s["maximum"]:
            return False
    if isinstance(value, dict):
        if any(name not in value for name in s.get("required") or []):
            return False
        props = s.get("properties") or {}
        for name, sub in props.items():
            if name in value and not is_valid(value[name], sub):
                return False
        extra = s.get("additionalProperties")
        if extra is False and any(name not in props for name in value):
            return False
        if isinstance(extra, dict) and not all(
            is_valid(v, extra) for k, v in value.items() if k not in props
        ):
            return False
        if isinstance(s.get("minProperties"), int) and len(value) < s["minProperties"]:
            return False
    if isinstance(value, list):
        if "items" in s and not all(is_valid(v, s["items"]) for v in value):
            return False
        if isinstance(s.get("minItems"), int) and len(value) < s["minItems"]:
            return False
        if isinstance(s.get("maxItems"), int) and len(value) > s["maxItems"]:
            return False
        if "contains" in s and not any(is_valid(v, s["contains"]) for v in value):
            return False
    if "allOf" in s and not all(is_valid(value, sub) for sub in s["allOf"]):
        return False
    if "anyOf" in s and not any(is_valid(value, sub) for sub in s["anyOf"]):
        return False
    if "oneOf" in s and sum(is_valid(value, sub) for sub in s["oneOf"]) != 1:
        return False
    if "not" in s and is_valid(value, s["not"]):
        return False
    if "if" in s:
        branch = s.get("then") if is_valid(value, s["if"]) else s.get("else")
        if branch is not None and not is_valid(value, branch):
            return False
    return True


def needed_properties(value: dict[str, Any], rules: dict[str, Any]) -> list[str]:
    """Properties to add to ``value`` so that it moves towards satisfying ``rules``."""
    if is_valid(value, rules):
        return []
    missing = [str(n) for n in rules.get("required") or [] if n not in value]
    for sub in rules.get("allOf") or []:
        missing += needed_properties(value, sub)
    for key in ("anyOf", "oneOf"):
        branches = rules.get(key)
        if isinstance(branches, list) and not any(is_valid(value, b) for b in branches):
            missing += needed_properties(value, branches[0])
    if "if" in rules:
        branch = rules.get("then") if is_valid(value, rules["if"]) else rules.get("else")
        if isinstance(branch, dict):
            missing += needed_properties(value, branch)
    return list(dict.fromkeys(missing))


def check_x_validation(value: Any, schema: Any, where: str = "body") -> list[str]:
    """Every ``x-validation`` rule (at any depth of ``schema``) that ``value`` breaks."""
    problems: list[str] = []
    s = _merge_all_of(resolve(schema))
    rules = s.get("x-validation")
    if isinstance(rules, dict) and not is_valid(value, rules):
        problems.append(f"{where}: breaks x-validation {rules!r:.300}")
    if isinstance(value, dict):
        for name, sub in (s.get("properties") or {}).items():
            if name in value:
                problems += check_x_validation(value[name], sub, f"{where}.{name}")
    elif isinstance(value, list) and "items" in s:
        for i, item in enumerate(value):
            problems += check_x_validation(item, s["items"], f"{where}[{i}]")
    branches = _branches(s)
    matching = [
        b for b in branches if is_valid(value, {k: v for k, v in b.items() if k != "x-validation"})
    ]
    if matching:
        problems += check_x_validation(value, matching[0], where)
    return problems


# --------------------------------------------------------------------------- operations


@dataclass
class JsonArgs:
    """The JSON-level arguments of one operation."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = UNSET
    """The JSON body, or UNSET when the operation takes none (or an optional one is left out)."""


def _parameter_value(param: dict[str, Any], where: str) -> Any:
    schema = param.get("schema", {})
    candidates = [param["example"]] if "example" in param else []
    examples = param.get("examples")
    if isinstance(examples, dict):
        candidates += [
            e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e
        ]
    for candidate in candidates:
        if is_valid(candidate, schema):
            return copy.deepcopy(candidate)
        BAD_EXAMPLES[where] = f"example {candidate!r:.80} does not fit its schema"
    return sample(schema, where=where)


def synthesize(operation_id: str) -> JsonArgs:
    """Path parameters, query parameters (required ones, optional ones with examples), body."""
    op = spec_operations()[operation_id]
    args = JsonArgs()
    for raw in op.get("parameters") or []:
        param = resolve(raw)
        where = f"{operation_id} {param['in']} {param['name']}"
        if param["in"] == "path":
            args.path[param["name"]] = _parameter_value(param, where)
        elif param["in"] == "query":
            if param.get("required") or "example" in param or has_example(param.get("schema")):
                args.query[param["name"]] = _parameter_value(param, where)
        else:
            raise SynthesisError(f"{where}: parameters in {param['in']} are not supported")
    body = resolve(op.get("requestBody"))
    if body:
        media = body.get("content", {}).get("application/json")
        if media is None:
            raise SynthesisError(f"{operation_id}: only JSON request bodies are supported")
        args.body = sample(media.get("schema", {}), where=f"{operation_id} body")
    return args


def body_schema(operation_id: str) -> Any:
    body = resolve(spec_operations()[operation_id].get("requestBody"))
    return body.get("content", {}).get("application/json", {}).get("schema", {}) if body else {}


def success_response(operation_id: str) -> tuple[str, dict[str, Any] | None]:
    """(status code, media type object or None) of the operation's 2xx response."""
    responses = spec_operations()[operation_id]["responses"]
    codes = sorted(code for code in responses if str(code).startswith("2"))
    if len(codes) != 1:
        raise SynthesisError(f"{operation_id}: expected one 2xx response, found {codes}")
    response = resolve(responses[codes[0]])
    content = response.get("content") or {}
    if not content:
        return str(codes[0]), None
    if len(content) != 1:
        raise SynthesisError(f"{operation_id}: several media types for {codes[0]}")
    media: dict[str, Any] = next(iter(content.values()))
    return str(codes[0]), {**media, "x-media-type": next(iter(content))}


# --------------------------------------------------------------------------- the facade


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _pascal(name: str) -> str:
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    return "".join(w[:1].upper() + w[1:] for w in words)


def _models() -> Any:
    return importlib.import_module("instantly_async._generated.models")


def model_class(name: str) -> type[Any]:
    """The generated model class for a component or inline schema name (case-insensitive)."""
    models = _models()
    wanted = _norm(name)
    for candidate in getattr(models, "__all__", ()):
        if _norm(candidate) == wanted:
            cls: type[Any] = getattr(models, candidate)
            return cls
    raise SynthesisError(f"no generated model named like {name!r}")


def expected_success_type(operation_id: str) -> tuple[type[Any], ...] | None:
    """What the facade must return for the documented 2xx response, from openapi.yaml.

    None: no success body is documented (the call returns None). ``(object,)``: any JSON
    (an empty schema). Paginated operations: the type of the whole parsed page (``Page.raw``).
    """
    code, media = success_response(operation_id)
    if media is None:
        return None
    schema = media.get("schema", {})
    if media["x-media-type"] != "application/json":
        return (str, bytes, File)
    name = ref_name(schema)
    if name is not None:
        return (model_class(name),)
    s = resolve(schema)
    kinds = [k for k in _types(s) if k != "null"]
    if not s or (not kinds and not _branches(s) and "properties" not in s):
        return (object,)
    if kinds == ["object"] or (not kinds and "properties" in s):
        return (model_class(f"{_pascal(operation_id)}Response{code}"),)
    if kinds == ["array"]:
        return (list,)
    if kinds:
        return tuple(c for k in kinds for c in _PYTHON_TYPES[k])
    return (object,)


def expected_item_type(operation_id: str) -> type[Any] | None:
    """The model class of a paginated operation's items, when they are a named schema."""
    op = spec_operations()[operation_id]
    pagination = op.get("x-pagination") or {}
    _, media = success_response(operation_id)
    if media is None:
        return None
    page = resolve(media.get("schema", {}))
    items = resolve((page.get("properties") or {}).get(pagination.get("items_field", "")))
    name = ref_name(items.get("items"))
    return model_class(name) if name is not None else None


def endpoint_module(method: Callable[..., Any]) -> types.ModuleType:
    """The generated endpoint module a facade method calls (its ``_ep = _api.<module>``)."""
    source = inspect.getsource(method)
    found = re.search(r"_ep = _api\.(\w+)", source)
    package = inspect.unwrap(method).__globals__.get("_api")
    if found is None or not isinstance(package, types.ModuleType):
        raise SynthesisError(f"{method.__qualname__}: no endpoint module found")
    return importlib.import_module(f"{package.__name__}.{found[1]}")


def _to_python(value: Any, annotation: Any, where: str) -> Any:
    """Convert a JSON value into what a generated parameter annotation expects."""
    if annotation is Any or annotation is inspect.Parameter.empty:
        return value
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not Unset]
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _to_python(value, option, where)
            except (TypeError, ValueError, KeyError, SynthesisError) as exc:
                errors.append(f"{option}: {exc}")
        raise SynthesisError(f"{where}: {value!r} fits none of {annotation}: {errors}")
    if origin is Literal:
        if value not in typing.get_args(annotation):
            raise ValueError(f"{value!r} is not one of {typing.get_args(annotation)}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {value!r}")
        (inner,) = typing.get_args(annotation) or (Any,)
        return [_to_python(v, inner, where) for v in value]
    if annotation is datetime.datetime:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if annotation is datetime.date:
        return datetime.date.fromisoformat(str(value))
    if annotation is bool:
        if not isinstance(value, bool):
            raise TypeError(f"expected a bool, got {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"expected an int, got {value!r}")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected an int, got {value!r}")
        return int(value)
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"expected a number, got {value!r}")
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {value!r}")
        return value
    if isinstance(annotation, type) and hasattr(annotation, "from_dict"):
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object for {annotation.__name__}, got {value!r}")
        return annotation.from_dict(dict(value))
    raise SynthesisError(f"{where}: cannot convert {value!r} to {annotation!r}")


Style = Literal["kwargs", "body", "none"]


@dataclass
class FacadeCall:
    """One ready-to-run call of a facade method."""

    operation_id: str
    namespace: str
    method_name: str
    method: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    body_style: Style
    json_args: JsonArgs

    def describe(self) -> str:
        shown = ", ".join([*map(repr, self.args), *(f"{k}=..." for k in self.kwargs)])
        return f"client.{self.namespace}.{self.method_name}({shown})"


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: param.annotation
        # eval_str: endpoint modules use ``from __future__ import annotations``
        for name, param in inspect.signature(function, eval_str=True).parameters.items()
    }


def facade_call(client: object, operation_id: str) -> FacadeCall:
    """The call of ``client.<namespace>.<method>`` for ``operation_id``, with synthesized args."""
    namespace, method_name = FACADE_NAMES[operation_id]
    method: Callable[..., Any] = getattr(getattr(client, namespace), method_name)
    json_args = synthesize(operation_id)
    signature = inspect.signature(method)
    endpoint = endpoint_module(method)
    hints = _hints(endpoint._get_kwargs)
    by_norm = {_norm(name): name for name in signature.parameters}

    def python_name(json_name: str, where: str) -> str:
        name = by_norm.get(_norm(json_name))
        if name is None:
            raise SynthesisError(f"{operation_id}: no parameter for {where} {json_name!r}")
        return name

    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    path_names = {python_name(n, "path parameter"): v for n, v in json_args.path.items()}
    for name, param in signature.parameters.items():
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and name in path_names:
            args.append(_to_python(path_names.pop(name), hints.get(name, Any), name))
    if path_names:
        raise SynthesisError(f"{operation_id}: path parameters not positional: {path_names}")
    for json_name, value in json_args.query.items():
        name = python_name(json_name, "query parameter")
        kwargs[name] = _to_python(value, hints.get(name, Any), f"{operation_id} query {name}")

    style: Style = "none"
    if not isinstance(json_args.body, Unset):
        # the body's fields are keyword arguments, nested objects plain dicts (JSON as is)
        if not isinstance(json_args.body, dict):
            raise SynthesisError(f"{operation_id}: the body is not a JSON object")
        style = "kwargs"
        for key, value in json_args.body.items():
            if key not in signature.parameters:
                raise SynthesisError(f"{operation_id}: no keyword argument for body field {key!r}")
            kwargs[key] = copy.deepcopy(value)
    return FacadeCall(
        operation_id=operation_id,
        namespace=namespace,
        method_name=method_name,
        method=method,
        args=tuple(args),
        kwargs=kwargs,
        body_style=style,
        json_args=json_args,
    )


def iter_operation_ids() -> Iterator[str]:
    yield from sorted(spec_operations())
