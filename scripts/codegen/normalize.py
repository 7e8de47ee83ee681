"""Normalize Instantly's published OpenAPI document into our own ``openapi.yaml``.

Usage::

    python scripts/normalize.py [SOURCE] [-o openapi.yaml]

SOURCE is a path or URL to any version of the upstream document, JSON or YAML
(default: the official ``https://api.instantly.ai/openapi/api_v2.json``).

The output records the facts of the API (paths, methods, parameters, schemas, types,
formats, enums with their short labels, examples, summaries) plus structured extensions
that the upstream document only states in prose or not at all:

* ``x-required-scopes``: the scopes that each allow an operation;
* ``x-rate-limits``: an operation's own limits, ``[{requests, seconds}]``;
* ``x-pagination``: how a cursor-paginated list operation pages;
* ``x-retry``: ``safe | idempotent | unsafe``, when a failed call may be re-sent
  (``scripts/codegen/retry_classes.py``);
* ``x-validation``: validation-only combinators moved out of the generator's way.

Upstream ``description`` prose is not carried over. The output is deterministic: the same
input gives byte-identical output. Anything the normalizer does not understand stops it
with an error that names the JSON pointer, so it never writes a silently broken document.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import email.utils
import hashlib
import http
import json
import re
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import (
    naming,
    overrides,  # codegen/overrides.py: the live-API corrections
)
from . import (
    schema_keywords as keywords,
)
from .common import HTTP_METHODS as HTTP_METHODS
from .common import json_type as _json_type
from .common import operations as _operations
from .retry_classes import retry_class
from .rules import Rule, run

DEFAULT_SOURCE = "https://api.instantly.ai/openapi/api_v2.json"
OPENAPI_YAML = Path(__file__).resolve().parents[2] / "openapi.yaml"

# The schema keywords, by what their value is (codegen/schema_keywords.py).
PLAIN_KEYWORDS = keywords.PLAIN
DROPPED_KEYWORDS = keywords.DROPPED
REF_SIBLINGS_DROPPED = keywords.REF_SIBLINGS_DROPPED
VALIDATION_ONLY_KEYWORDS = keywords.VALIDATION_ONLY
SCHEMA_ONE = keywords.SCHEMA_ONE
SCHEMA_MAP = keywords.SCHEMA_MAP
SCHEMA_LIST = keywords.SCHEMA_LIST

STATUS_PHRASES = {code.value: code.phrase for code in http.HTTPStatus}

_SCOPE_LIST = r"(?:`[^`]+`[\s,]*(?:or\s+)?)+"
SCOPES_RE = re.compile(rf"Requires one of the following scopes:\s*({_SCOPE_LIST})")
# "Requires all of the following scope groups:\n- One of `a:x`, `a:all`\n- One of `b:x`, ..."
SCOPE_GROUPS_RE = re.compile(
    rf"Requires all of the following scope groups:\s*((?:\s*[-*][ \t]*One of[ \t]+{_SCOPE_LIST})+)"
)
# Prose that talks about required scopes in a form the two patterns above do not cover.
SCOPE_PROSE_RE = re.compile(r"\brequire[sd]?\b[^\n]*\bscope", re.IGNORECASE)
RATE_RE = re.compile(
    r"(\d[\d,]*)\s+requests?\s+per\s+(?:(\d+)\s+)?(second|minute|hour|day)s?"
    r"(?:\s+per\s+(workspace|IP))?",
    re.IGNORECASE,
)
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
DEF_NAME_RE = re.compile(r"^def-\d+$")


# Statuses whose responses have no body by definition (HTTP): a documented body is dropped.
NO_BODY_STATUSES = frozenset({"204", "205", "304"})
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME_PREFIX_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def _example_fits(schema: dict[str, Any], value: Any) -> bool:
    """Does a scalar example fit the schema's own type, enum, const, format and pattern?"""
    types = schema.get("type")
    allowed = [types] if isinstance(types, str) else list(types or [])
    if allowed:
        kind = _json_type(value)
        if not (kind in allowed or (kind == "integer" and "number" in allowed)):
            return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "const" in schema and value != schema["const"]:
        return False
    if isinstance(value, str):
        if schema.get("format") == "date" and not DATE_RE.match(value):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                if not re.search(pattern, value):
                    return False
            except re.error:
                pass  # a pattern Python cannot read: no verdict
    return True


def _fit_example(schema: dict[str, Any], value: Any) -> tuple[bool, Any]:
    """(keep, value): an example repaired to fit its schema, or dropped.

    Upstream uses placeholders that do not fit (a date-time on a ``format: date``, ``null`` on a
    non-null type). Prism serves examples as responses, so an unfit one would make the mock
    answer what the API never does. A date-time on a date keeps its date part; a ``null``
    example makes the type nullable (the API evidently sends it); anything else is dropped.
    """
    if isinstance(value, (dict, list)):
        return True, value  # structured examples are left to their own properties' schemas
    if value is None:
        types = schema.get("type")
        if isinstance(types, str) and types != "null":
            schema["type"] = [types, "null"]
        elif isinstance(types, list) and "null" not in types:
            schema["type"] = [*types, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return True, value
    if schema.get("format") == "date" and isinstance(value, str):
        m = DATE_TIME_PREFIX_RE.match(value)
        if m:
            value = m.group(1)
    return (True, value) if _example_fits(schema, value) else (False, None)


def _fit_examples(schema: dict[str, Any]) -> None:
    if "example" in schema:
        keep, value = _fit_example(schema, schema["example"])
        if keep:
            schema["example"] = value
        else:
            del schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list):
        fitted = [v for keep, v in (_fit_example(schema, e) for e in examples) if keep]
        if fitted:
            schema["examples"] = fitted
        else:
            del schema["examples"]


class NormalizeError(Exception):
    """The upstream document has something the normalizer cannot turn into facts."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer}: {message}")
        self.pointer = pointer
        self.message = message


def _esc(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _object(value: Any, ptr: str, what: str) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an error naming ``ptr``."""
    if not isinstance(value, dict):
        raise NormalizeError(ptr, f"{what} must be an object, got {type(value).__name__}")
    return value


# --------------------------------------------------------------------------------------
# Loading and dumping


DATE_IN_NAME_RE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def source_date(src: str, last_modified: str | None = None) -> str:
    """The upstream document's date (the document itself carries none).

    The date in the source's file name (``2026-08-21.json``), else the server's
    ``Last-Modified`` for a URL, else today (UTC): the day it was retrieved.
    """
    name = src.rstrip("/").rsplit("/", 1)[-1]
    m = DATE_IN_NAME_RE.search(name)
    if m:
        return m.group(1)
    if last_modified:
        try:
            return email.utils.parsedate_to_datetime(last_modified).date().isoformat()
        except (TypeError, ValueError):
            pass
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


_LAST_MODIFIED: dict[str, str] = {}


def load_source(src: str) -> tuple[dict[str, Any], bytes]:
    """Read a document from a path or URL; returns it parsed and its raw bytes."""
    if re.match(r"^https?://", src):
        with urllib.request.urlopen(src, timeout=60) as resp:
            raw = resp.read()
            modified = resp.headers.get("Last-Modified")
            if modified:
                _LAST_MODIFIED[src] = modified
    else:
        path = Path(src)
        if not path.is_file():
            raise NormalizeError("", f"no such file: {src}")
        raw = path.read_bytes()
    text = raw.decode("utf-8-sig")  # strips a UTF-8 BOM
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise NormalizeError("", f"{src} is neither JSON nor YAML: {exc}") from exc
    if not isinstance(doc, dict) or "paths" not in doc:
        raise NormalizeError("", f"{src} is not an OpenAPI document (no 'paths')")
    return doc, raw


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never emit &anchors / *aliases
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(doc: dict[str, Any]) -> str:
    """Block-style YAML, keys in document order, no aliases: stable for diffs."""
    text: str = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


# --------------------------------------------------------------------------------------
# Names


def title_to_name(title: str) -> str:
    """'Inbox Placement Blacklist & SpamAssassin Report' -> 'InboxPlacementBlacklistAndSpamAssassinReport'."""
    words = re.split(r"[^0-9A-Za-z]+", title.replace("&", " And "))
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not name or name[0].isdigit():
        raise ValueError(title)
    return name


def tag_name(tag: str) -> str:
    """Upstream tags are identifiers except for '&' (old documents) and stray spaces."""
    return title_to_name(tag) if re.search(r"[^0-9A-Za-z]", tag) else tag


def _name_or_fail(convert: Callable[[str], str], text: Any, ptr: str) -> str:
    """``convert(text)``, or an error at ``ptr`` when ``text`` cannot give a Python name."""
    try:
        if not isinstance(text, str):
            raise ValueError(text)
        return convert(text)
    except ValueError:
        raise NormalizeError(ptr, f"{text!r} does not give a valid name") from None


# --------------------------------------------------------------------------------------
# Schemas


def _is_validation_only(schema: Any, declared: frozenset[str] = frozenset()) -> bool:
    """A subschema that adds no shape, only constraints on what its parent declares.

    `required` lists, `not`/`if`/`then`/`else`, and `properties` that refine properties the
    parent already declares (a minLength, an enum, a nested object's own constraints).
    """
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in ("required", "minProperties", "maxProperties", *DROPPED_KEYWORDS):
            continue
        if key in VALIDATION_ONLY_KEYWORDS:
            continue
        if key in ("anyOf", "oneOf", "allOf"):
            if not all(_is_validation_only(b, declared) for b in value):
                return False
            continue
        if key == "properties":
            # refinements of properties the parent declares; a property it does not declare
            # is new shape (the generator must see it), however plain its schema
            if not (isinstance(value, dict) and set(value) <= declared):
                return False
            continue
        return False
    return True


class Normalizer:
    def __init__(
        self,
        doc: dict[str, Any],
        *,
        error_bodies: dict[str, str] | None = None,
        classes: dict[str, str] | None = None,
    ) -> None:
        self.src = doc
        self.locked_error_bodies = error_bodies or {}
        """The names lock's error bodies: signature -> component name."""
        self.locked_classes = classes or {}
        """The names lock's classes: schema location -> class name."""
        self.error_bodies: dict[str, str] = {}
        """Every shared error body of the output: signature -> component name."""
        self.renames: dict[str, str] = {}
        self.repairs: list[str] = []
        """Defects of the upstream document read in their one safe way ("pointer: what")."""
        self.schemas: dict[str, Any] = {}
        """The normalized component schemas, by their new names (filled before the paths)."""

    # ---- schema walk

    def repair(self, ptr: str, what: str) -> None:
        """Record a defect of the upstream document read in its one safe way (reported)."""
        self.repairs.append(f"{ptr}: {what}")

    def ref(self, ref: Any, ptr: str) -> str | None:
        """The renamed ``$ref``; None for a dangling one (recorded as a repair)."""
        prefix = "#/components/schemas/"
        if not isinstance(ref, str) or not ref.startswith(prefix):
            raise NormalizeError(ptr, f"unsupported $ref {ref!r} (only {prefix}... is understood)")
        name = ref[len(prefix) :]
        if name not in self.renames:
            self.repair(
                ptr, f"$ref to a schema that does not exist ({ref!r}), read as an open object"
            )
            return None
        return prefix + self.renames[name]

    def validation(self, value: Any, ptr: str) -> Any:
        """A validation-only subschema (or list of them) kept as it is under ``x-validation``.

        Prose is dropped (but not a property *named* ``description``) and ``$ref``s point to
        the renamed schemas.
        """
        if isinstance(value, list):
            return [self.validation(v, f"{ptr}/{i}") for i, v in enumerate(value)]
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            raise NormalizeError(ptr, f"a schema must be an object or a boolean, got {value!r}")
        out: dict[str, Any] = {}
        for key, sub in value.items():
            kptr = f"{ptr}/{_esc(key)}"
            if key in DROPPED_KEYWORDS or key.startswith("x-"):
                continue
            if key == "$ref":
                target = self.ref(sub, kptr)
                if target is not None:  # a dangling one constrains nothing
                    out[key] = target
            elif key in PLAIN_KEYWORDS or key == "dependentRequired":
                out[key] = copy.deepcopy(sub)
            elif key in SCHEMA_MAP:
                if not isinstance(sub, dict):
                    raise NormalizeError(kptr, f"'{key}' must be an object")
                out[key] = {n: self.validation(v, f"{kptr}/{_esc(n)}") for n, v in sub.items()}
            elif key in (*SCHEMA_ONE, *SCHEMA_LIST, *VALIDATION_ONLY_KEYWORDS):
                out[key] = self.validation(sub, kptr)
            else:
                raise NormalizeError(kptr, f"unknown schema keyword {key!r}")
        return out

    def schema(self, s: Any, ptr: str) -> Any:
        if isinstance(s, bool):
            return {} if s else {"x-validation": {"not": {}}}
        if not isinstance(s, dict):
            raise NormalizeError(ptr, f"a schema must be an object or a boolean, got {s!r}")
        if "$ref" in s:
            for key in s:
                if key != "$ref" and key not in REF_SIBLINGS_DROPPED:
                    raise NormalizeError(
                        f"{ptr}/{_esc(key)}", f"{key!r} next to a $ref (it would be lost)"
                    )
            target = self.ref(s["$ref"], ptr + "/$ref")
            return {"$ref": target} if target is not None else {"type": "object"}

        out: dict[str, Any] = {}
        validation: dict[str, Any] = {}
        for key, value in s.items():
            kptr = f"{ptr}/{_esc(key)}"
            if key in DROPPED_KEYWORDS:
                continue
            if key in PLAIN_KEYWORDS:
                out[key] = copy.deepcopy(value)
            elif key in SCHEMA_MAP:
                if not isinstance(value, dict):
                    raise NormalizeError(kptr, "'properties' must be an object")
                out[key] = {n: self.schema(v, f"{kptr}/{_esc(n)}") for n, v in value.items()}
            elif key in SCHEMA_ONE:
                if key == "additionalProperties" and isinstance(value, bool):
                    out[key] = value
                else:
                    out[key] = self.schema(value, kptr)
            elif key in SCHEMA_LIST:
                if not isinstance(value, list) or not value:
                    raise NormalizeError(kptr, f"'{key}' must be a non-empty list")
                declared = frozenset(s.get("properties", {}))
                only = [_is_validation_only(b, declared) for b in value]
                if all(only):
                    validation[key] = self.validation(value, kptr)
                    continue
                for i, b in enumerate(value):
                    if only[i] and any(k not in DROPPED_KEYWORDS for k in b):
                        # the generator would model this branch as a shape of its own
                        raise NormalizeError(
                            f"{kptr}/{i}", f"a validation-only branch in an '{key}' of shapes"
                        )
                out[key] = [self.schema(b, f"{kptr}/{i}") for i, b in enumerate(value)]
            elif key in VALIDATION_ONLY_KEYWORDS:
                validation[key] = self.validation(value, kptr)
            elif key.startswith("x-"):
                continue  # other vendor extensions carry no facts we know of
            else:
                raise NormalizeError(kptr, f"unknown schema keyword {key!r}")

        if validation:
            out["x-validation"] = validation
        if "title" in out and not re.fullmatch(r"/components/schemas/[^/]+", ptr):
            # the generator would build class names from inline titles (CreateAccountCreateAccount)
            out["x-title"] = out.pop("title")
        self._fix_types(out, ptr)
        self._fix_arrays(out, ptr)
        _fit_examples(out)
        return self._split_mixed(out, ptr)

    @staticmethod
    def _fix_arrays(out: dict[str, Any], ptr: str) -> None:
        types = out.get("type")
        is_array = types == "array" or (isinstance(types, list) and "array" in types)
        if is_array and "items" not in out:
            out["items"] = {}  # an array of anything
        if "type" not in out and "items" in out:
            out["type"] = "array"

    @staticmethod
    def _fix_types(out: dict[str, Any], ptr: str) -> None:
        """Infer a missing type from an enum; fold an enum's null into the type."""
        enum = out.get("enum")
        if enum is None:
            return
        if not isinstance(enum, list) or not enum:
            raise NormalizeError(ptr + "/enum", "an enum must be a non-empty list")
        value_types = {_json_type(v) for v in enum}
        if "integer" in value_types and "number" in value_types:
            value_types.discard("integer")
        if "array" in value_types or "object" in value_types:
            raise NormalizeError(ptr + "/enum", "enum values that are arrays or objects")
        declared = out.get("type")
        declared_list = declared if isinstance(declared, list) else [declared] if declared else []
        if not declared_list:
            declared_list = sorted(value_types)
        if "null" in value_types and "null" not in declared_list:
            declared_list = [*declared_list, "null"]
        for t in sorted(value_types - {"null"}):
            fits = t in declared_list or (t == "integer" and "number" in declared_list)
            if not fits:  # the listed values are the facts: widen the declared type
                declared_list = [*declared_list, t]
        out["type"] = declared_list[0] if len(declared_list) == 1 else declared_list

    def _split_mixed(self, out: dict[str, Any], ptr: str) -> dict[str, Any]:
        """A schema with several non-null types becomes an anyOf with one branch a type."""
        types = out.get("type")
        if not isinstance(types, list):
            return self._enum_cleanup(out)
        non_null = [t for t in types if t != "null"]
        if len(non_null) <= 1:
            if not non_null:
                out["type"] = "null"
                out.pop("enum", None)
            return self._enum_cleanup(out)
        per_type = {
            "string": ("format", "pattern", "minLength", "maxLength"),
            "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
            "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
            "array": ("items", "minItems", "maxItems", "uniqueItems"),
            "object": (
                "properties",
                "additionalProperties",
                "required",
                "minProperties",
                "maxProperties",
            ),
            "boolean": (),
        }
        keep_keys = (
            "title",
            "x-title",
            "readOnly",
            "writeOnly",
            "deprecated",
            "default",
            "example",
            "examples",
            "x-validation",
        )
        split_keys = {"type", "enum", "const", "x-enumDescriptions"}.union(*per_type.values())
        for k in out:
            if k not in split_keys and k not in keep_keys:
                raise NormalizeError(f"{ptr}/{_esc(k)}", f"{k!r} on a schema with several types")
        has_const = "const" in out
        enum = [out["const"]] if has_const else out.get("enum")
        labels = out.get("x-enumDescriptions")
        branches: list[dict[str, Any]] = []
        for t in non_null:
            if t not in per_type:
                raise NormalizeError(ptr + "/type", f"unknown type {t!r}")
            branch: dict[str, Any] = {"type": t}
            for k in per_type[t]:
                if k in out:
                    branch[k] = out[k]
            if enum is not None:
                values = [
                    v
                    for v in enum
                    if _json_type(v) == t or (t == "number" and _json_type(v) == "integer")
                ]
                if not values:
                    continue  # the enum allows no value of this type
                if has_const:
                    branch["const"] = values[0]
                    branches.append(branch)
                    continue
                branch["enum"] = values
                if isinstance(labels, dict):
                    sub = {str(v): labels[str(v)] for v in values if str(v) in labels}
                    if sub:
                        branch["x-enumDescriptions"] = sub
            branches.append(self._enum_cleanup(branch))
        if "null" in types and not has_const:
            branches.append({"type": "null"})
        if not branches:
            raise NormalizeError(ptr, "no listed value fits any of the types")
        keep = {k: v for k, v in out.items() if k in keep_keys}
        if len(branches) == 1:
            return {**branches[0], **keep}
        return {"anyOf": branches, **keep}

    @staticmethod
    def _enum_cleanup(out: dict[str, Any]) -> dict[str, Any]:
        """Boolean enums carry no more than the type: keep the values as a fact, not an enum."""
        enum = out.get("enum")
        if enum is None:
            return out
        t = out.get("type")
        types = [t] if isinstance(t, str) else list(t or [])
        base = next((x for x in types if x != "null"), "null")
        if base == "boolean":
            values = [v for v in enum if v is not None]
            out.pop("enum")
            if sorted(values) != [False, True]:
                out["x-enum-values"] = values  # e.g. [true]: a fact Prism need not enforce
        return out

    # ---- document

    def parameter(self, p: Any, ptr: str) -> dict[str, Any]:
        p = _object(p, ptr, "a parameter")
        if "$ref" in p:
            raise NormalizeError(ptr, "parameter $refs are not supported")
        for key in ("name", "in"):
            if not isinstance(p.get(key), str):
                raise NormalizeError(ptr, f"a parameter without {key!r}")
        new: dict[str, Any] = {}
        for key, value in p.items():
            if key in DROPPED_KEYWORDS:
                continue
            if key == "schema":
                new[key] = self.schema(value, ptr + "/schema")
            elif key in (
                "name",
                "in",
                "required",
                "example",
                "examples",
                "style",
                "explode",
                "deprecated",
                "allowEmptyValue",
            ):
                new[key] = copy.deepcopy(value)
            else:
                raise NormalizeError(f"{ptr}/{_esc(key)}", f"unknown parameter keyword {key!r}")
        schema = new.get("schema")
        if "example" in new and isinstance(schema, dict) and "$ref" not in schema:
            keep, value = _fit_example(copy.deepcopy(schema), new["example"])
            if keep and value is not None:
                new["example"] = value
            else:
                del new["example"]
        return new

    def content(self, content: Any, ptr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for media, body in _object(content, ptr, "'content'").items():
            mptr = f"{ptr}/{_esc(media)}"
            entry: dict[str, Any] = {}
            for key, value in _object(body, mptr, "a media type").items():
                if key == "schema":
                    entry[key] = self.schema(value, mptr + "/schema")
                elif key in ("example", "examples"):
                    entry[key] = copy.deepcopy(value)
                elif key not in DROPPED_KEYWORDS:
                    raise NormalizeError(
                        f"{mptr}/{_esc(key)}", f"unknown media type keyword {key!r}"
                    )
            out[media] = entry
        return out

    def operation(self, op: Any, path: str, method: str, ptr: str) -> dict[str, Any]:
        op = _object(op, ptr, "an operation")
        operation_id = op.get("operationId")
        if operation_id is None or operation_id == "":
            operation_id = derived_operation_id(method, path)
            self.repair(f"{ptr}/operationId", f"missing, derived as {operation_id!r}")
        elif not isinstance(operation_id, str):
            raise NormalizeError(f"{ptr}/operationId", f"not a string: {operation_id!r}")
        new: dict[str, Any] = {"operationId": operation_id}
        if op.get("summary"):
            new["summary"] = op["summary"]
        new["tags"] = [
            _name_or_fail(tag_name, t, f"{ptr}/tags/{i}") for i, t in enumerate(op.get("tags", []))
        ] or ["Default"]
        prose = op.get("description") or ""
        try:
            groups = parse_scope_groups(prose)
        except ValueError as exc:
            raise NormalizeError(ptr + "/description", str(exc)) from None
        if not groups and SCOPE_PROSE_RE.search(prose):
            raise NormalizeError(
                ptr + "/description",
                "required scopes stated in a form the normalizer does not know",
            )
        scopes = scopes_alone(groups)
        if scopes:
            new["x-required-scopes"] = scopes
        if len(groups) > 1:
            new["x-required-scope-groups"] = groups
        limits = parse_rate_limits(prose)
        if limits:
            new["x-rate-limits"] = limits
        for key in op:
            if key not in (
                "operationId",
                "summary",
                "tags",
                "description",
                "parameters",
                "requestBody",
                "responses",
                "security",
                "deprecated",
            ):
                raise NormalizeError(f"{ptr}/{_esc(key)}", f"unknown operation keyword {key!r}")
        if op.get("deprecated"):
            new["deprecated"] = True
        if "security" in op:
            new["security"] = copy.deepcopy(op["security"])
        raw_params = op.get("parameters", [])
        if not isinstance(raw_params, list):
            raise NormalizeError(ptr + "/parameters", "'parameters' must be a list")
        params = [self.parameter(p, f"{ptr}/parameters/{i}") for i, p in enumerate(raw_params)]
        if params:
            new["parameters"] = params
        body = op.get("requestBody")
        if body is not None:
            bptr = ptr + "/requestBody"
            for key in _object(body, bptr, "a request body"):
                if key not in ("content", "required", *DROPPED_KEYWORDS):
                    raise NormalizeError(
                        f"{bptr}/{_esc(key)}", f"unknown request body keyword {key!r}"
                    )
            content = self.content(body.get("content", {}), bptr + "/content")
            content = {
                m: c for m, c in content.items() if c.get("schema", {}).get("type") != "null"
            }
            if content:
                new["requestBody"] = {"content": content}
                if body.get("required"):
                    new["requestBody"]["required"] = True
        responses: dict[str, Any] = {}
        for code, resp in _object(op.get("responses", {}), ptr + "/responses", "responses").items():
            rptr = f"{ptr}/responses/{_esc(code)}"
            if "$ref" in _object(resp, rptr, "a response"):
                raise NormalizeError(rptr, "response $refs are not supported")
            phrase = (
                STATUS_PHRASES.get(int(code), "Response") if str(code).isdigit() else "Response"
            )
            r: dict[str, Any] = {"description": phrase}
            for key in resp:
                if key not in ("description", "content", "headers"):
                    raise NormalizeError(f"{rptr}/{_esc(key)}", f"unknown response keyword {key!r}")
            if resp.get("content") and str(code) not in NO_BODY_STATUSES:
                r["content"] = self.content(resp["content"], rptr + "/content")
            responses[str(code)] = r
        if not responses:
            raise NormalizeError(ptr + "/responses", "operation without responses")
        new["responses"] = responses
        pagination = detect_pagination(new, self)
        if pagination:
            new["x-pagination"] = pagination
        new["x-retry"] = retry_class(method, path, new, prose)
        return new

    def resolve(self, schema: Any) -> Any:
        """Follow a normalized $ref to the normalized component schema it names."""
        seen = 0
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas[name]
            seen += 1
            if seen > 20:
                raise NormalizeError("/components/schemas", f"$ref cycle through {name}")
        return schema


# --------------------------------------------------------------------------------------
# Prose -> structure


def parse_scope_groups(prose: str) -> list[list[str]]:
    """The scope groups an operation needs: one scope of every group (``[]``: none stated).

    "Requires one of the following scopes: `a`, `b`" is one group; "Requires all of the
    following scope groups:" lists several, one per "- One of `a`, `b`" line.

    Upstream sometimes states one group twice, first shortened (`email_verifications:create`,
    then the usual four scopes): the longest statement stands for the others when it lists all
    their scopes. Statements that contradict each other raise ValueError.
    """
    lists = [re.findall(r"`([^`]+)`", m.group(1)) for m in SCOPES_RE.finditer(prose)]
    if lists:
        longest = max(lists, key=len)
        if any(not set(other) <= set(longest) for other in lists):
            raise ValueError(f"scope statements that disagree: {lists}")
        if SCOPE_GROUPS_RE.search(prose):
            raise ValueError("both 'one of the following scopes' and 'scope groups'")
        return [longest]
    m = SCOPE_GROUPS_RE.search(prose)
    if m:
        lines = re.split(r"\s*[-*][ \t]*One of[ \t]+", m.group(1))
        return [re.findall(r"`([^`]+)`", line) for line in lines if line.strip()]
    return []


def scopes_alone(groups: list[list[str]]) -> list[str]:
    """The scopes that each allow the call on their own (in every group), in upstream order."""
    if not groups:
        return []
    return [s for s in groups[0] if all(s in g for g in groups[1:])]


def parse_rate_limits(prose: str) -> list[dict[str, Any]]:
    limits: list[dict[str, Any]] = []
    for m in RATE_RE.finditer(prose):
        requests = int(m.group(1).replace(",", ""))
        seconds = int(m.group(2) or 1) * UNIT_SECONDS[m.group(3).lower()]
        limit: dict[str, Any] = {"requests": requests, "seconds": seconds}
        if m.group(4):
            limit["per"] = "ip" if m.group(4).lower() == "ip" else "workspace"
        if limit not in limits:
            limits.append(limit)
    return limits


def detect_pagination(op: dict[str, Any], norm: Normalizer) -> dict[str, Any] | None:
    """A list operation pages when it takes `starting_after` and answers items + next cursor."""
    ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
    resp = norm.resolve(ok.get("schema", {}))
    props = resp.get("properties", {}) if isinstance(resp, dict) else {}
    items = props.get("items")
    items_type = items.get("type") if isinstance(items, dict) else None
    if items_type != "array" and not (
        isinstance(items_type, list) and sorted(items_type) == ["array", "null"]
    ):
        return None
    if "next_starting_after" not in props:
        return None
    where = None
    query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
    limit_param = "limit" if "limit" in query else None
    if "starting_after" in query:
        where = "query"
    else:
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        bprops = norm.resolve(body.get("schema", {})).get("properties", {})
        if "starting_after" in bprops:
            where = "body"
            limit_param = "limit" if "limit" in bprops else None
    if where is None:
        return None
    result: dict[str, Any] = {
        "cursor_param": "starting_after",
        "cursor_in": where,
        "items_field": "items",
        "next_cursor_field": "next_starting_after",
    }
    if limit_param:
        result["limit_param"] = limit_param
    return result


# --------------------------------------------------------------------------------------
# Whole-document passes


def derived_operation_id(method: str, path: str) -> str:
    """An operationId from method and path, for an operation upstream left without one.

    ``post /api/v2/oauth/google/init`` -> ``postOauthGoogleInit``; ``get /api/v2/accounts/{email}``
    -> ``getAccountsByEmail``. The ``/api/vN`` prefix carries nothing.
    """
    words = [method.lower()]
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["api"]:
        segments = segments[1:]
    if segments and re.fullmatch(r"v\d+", segments[0]):
        segments = segments[1:]
    for segment in segments:
        param = re.fullmatch(r"\{(.+)\}", segment)
        parts = [p for p in re.split(r"[^0-9A-Za-z]+", param.group(1) if param else segment) if p]
        if param:
            parts = ["by", *parts]
        words += parts
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def _check_operation_ids(doc: dict[str, Any]) -> None:
    """operationIds are unique, also once case and separators are gone (the generator's
    snake_case module names would collide: ``listLeads`` and ``list_leads``)."""
    seen: dict[str, tuple[str, str]] = {}
    for path, method, op in _operations(doc):
        oid = op["operationId"]
        where = f"/paths/{_esc(path)}/{method}/operationId"
        key = re.sub(r"[^0-9a-z]", "", str(oid).lower())
        if key in seen:
            other, other_where = seen[key]
            what = "is also used" if other == oid else f"gives the same Python name as {other!r}"
            raise NormalizeError(where, f"operationId {oid!r} {what} at {other_where}")
        seen[key] = (oid, where)


def _error_name(schema: dict[str, Any], status: str) -> str:
    error = schema.get("properties", {}).get("error", {})
    values = error.get("enum") if isinstance(error, dict) else None
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return title_to_name(values[0]) + "Error"
    phrase = STATUS_PHRASES.get(int(status)) if status.isdigit() else None
    return title_to_name(phrase) + "Error" if phrase else f"Error{status}"


def _without_examples(schema: Any) -> Any:
    """A normalized schema without its examples (but with a property *named* ``example``)."""
    if isinstance(schema, list):
        return [_without_examples(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("example", "examples"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _without_examples(sub) for name, sub in value.items()}
        elif key in (*SCHEMA_ONE, *SCHEMA_LIST):
            out[key] = _without_examples(value)
        else:
            out[key] = value
    return out


def _hoist_error_bodies(
    doc: dict[str, Any],
    locked: dict[str, str] | None = None,
    classes: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Identical inline error bodies become one named component schema each.

    Names are locked by signature (``naming.error_signature``: ``statusCode``, ``error``,
    property names), so neither one more use nor a reworded example renames a body. A new
    body takes the class name its inline location had (``classes``, the lock), else
    ``<Error>Error``, numbered in signature order, never reusing a locked name. Returns the
    names and ``signature -> name`` for every shared body.
    """
    locked = locked or {}
    classes = classes or {}
    groups: dict[str, list[tuple[str, dict[str, Any], str]]] = {}
    for path, method, op in _operations(doc):
        for status, resp in op["responses"].items():
            if not (status.isdigit() and int(status) >= 400):
                continue
            for media_type, media in resp.get("content", {}).items():
                s = media.get("schema")
                if isinstance(s, dict) and "$ref" not in s:
                    key = json.dumps(_without_examples(s), sort_keys=True)
                    where = (
                        f"/paths/{_esc(path)}/{method}/responses/{_esc(status)}"
                        f"/content/{_esc(media_type)}/schema"
                    )
                    groups.setdefault(key, []).append((status, media, where))
    shared = {key: uses for key, uses in groups.items() if len(uses) >= 2}
    by_signature: dict[str, list[str]] = {}
    for key in shared:
        sig = naming.error_signature(json.loads(key))
        by_signature.setdefault(sig, []).append(key)
    signatures: dict[str, str] = {}
    for sig, keys in by_signature.items():
        for i, key in enumerate(sorted(keys)):  # bodies alike but for details: by content
            signatures[key] = sig if i == 0 else f"{sig} #{i + 1}"
    schemas = doc["components"]["schemas"]
    names: dict[str, str] = {}
    for key, sig in signatures.items():
        if sig in locked:
            name = locked[sig]
            if name in schemas:
                raise NormalizeError(
                    f"/components/schemas/{_esc(name)}",
                    f"upstream now has a schema named like the locked error body {sig}",
                )
            names[key] = name
    used = set(schemas) | set(locked.values())
    for key in sorted(set(signatures) - set(names), key=lambda k: signatures[k]):
        uses = shared[key]
        inherited = [classes[u[2]] for u in uses if u[2] in classes]
        base = _error_name(json.loads(key), min(u[0] for u in uses))
        name, n = (inherited[0], 0) if inherited else (base, 2)
        while name in used:
            name, n = f"{base}{n}", n + 1
        names[key] = name
        used.add(name)
    # components in order of use (most used first), as before the lock: openapi.yaml's order
    ordered = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for key, uses in ordered:
        name = names[key]
        schemas[name] = uses[0][1]["schema"]  # the first use's examples stand for all
        for _status, media, _where in uses:
            media["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return [names[key] for key, _ in ordered], {signatures[k]: names[k] for k in signatures}


def _single_enums_to_const(schema: Any) -> None:
    """`enum: [x]` is `const: x`; the generator then needs no module for a one-value type."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    enum = schema.get("enum")
    if isinstance(enum, list) and len([v for v in enum if v is not None]) == 1 and None not in enum:
        schema["const"] = schema.pop("enum")[0]
    for key in SCHEMA_MAP:
        for sub in schema.get(key, {}).values():
            _single_enums_to_const(sub)
    for key in SCHEMA_ONE:
        _single_enums_to_const(schema.get(key))
    for key in SCHEMA_LIST:
        for sub in schema.get(key, []):
            _single_enums_to_const(sub)


def _request_consts(doc: dict[str, Any], error_schemas: list[str]) -> None:
    """One-value enums become consts where no new value can surprise a parser.

    That is in what we send (inline request bodies and parameters) and in the shared error
    bodies, whose `statusCode` and `error` are fixed by their status. Responses keep their
    enums: upstream adds values to them, and the tolerant enum parser keeps unknown ones.
    """
    for _path, _method, op in _operations(doc):
        for param in op.get("parameters", []):
            _single_enums_to_const(param.get("schema"))
        for media in op.get("requestBody", {}).get("content", {}).values():
            _single_enums_to_const(media.get("schema"))
    for name in error_schemas:
        schema = doc["components"]["schemas"][name]
        for prop in ("statusCode", "error"):
            _single_enums_to_const(schema.get("properties", {}).get(prop))


# --------------------------------------------------------------------------------------
# The rules, in order


@dataclass
class State:
    """What the rules share: the upstream document, the output being built, the options."""

    norm: Normalizer
    lock: naming.Lock | None = None
    raw: bytes | None = None
    date: str | None = None
    live_overrides: bool = False
    overrides_path: Path | None = None
    out: dict[str, Any] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    """The upstream component schemas, by their upstream names."""
    components: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    hoisted: list[str] = field(default_factory=list)


def rule_openapi_version(st: State) -> None:
    src = st.norm.src
    version = str(src.get("openapi", ""))
    if not version.startswith("3."):
        raise NormalizeError("/openapi", f"unsupported OpenAPI version {version!r}")
    if "paths" not in src:
        raise NormalizeError("", "not an OpenAPI document (no 'paths')")
    st.components = _object(src.get("components", {}), "/components", "'components'")
    st.schemas = _object(st.components.get("schemas", {}), "/components/schemas", "'schemas'")


def rule_schema_names(st: State) -> None:
    for name, s in st.schemas.items():
        sptr = f"/components/schemas/{_esc(name)}"
        new = name
        if DEF_NAME_RE.match(name):
            title = s.get("title") if isinstance(s, dict) else None
            if not title:
                raise NormalizeError(sptr, "a def-N schema without title")
            new = _name_or_fail(title_to_name, title, sptr + "/title")
        elif not re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]*", name):
            new = _name_or_fail(title_to_name, name, sptr)
        if new in st.norm.renames.values():
            raise NormalizeError(sptr, f"two schemas named {new!r}")
        st.norm.renames[name] = new


def rule_document(st: State) -> None:
    src = st.norm.src
    st.out = {
        "openapi": "3.1.0",
        "info": {
            "title": "Instantly API V2",
            "version": str(src.get("info", {}).get("version", "0")),
        },
        "servers": [{"url": "https://api.instantly.ai"}],
        "security": copy.deepcopy(src.get("security", [{"ApiKeyAuth": []}])),
        "tags": [],
        "paths": {},
        "components": {"securitySchemes": {}, "schemas": st.norm.schemas},
    }


def rule_security_schemes(st: State) -> None:
    schemes = st.components.get("securitySchemes", {})
    for name, scheme in _object(schemes, "/components/securitySchemes", "schemes").items():
        sptr = f"/components/securitySchemes/{_esc(name)}"
        st.out["components"]["securitySchemes"][name] = {
            k: copy.deepcopy(v)
            for k, v in _object(scheme, sptr, "a security scheme").items()
            if k not in DROPPED_KEYWORDS
        }


def rule_schemas(st: State) -> None:
    norm = st.norm
    for name, s in st.schemas.items():
        norm.schemas[norm.renames[name]] = norm.schema(s, f"/components/schemas/{_esc(name)}")


def rule_tags(st: State) -> None:
    for i, tag in enumerate(st.norm.src.get("tags", [])):
        tag_obj = _object(tag, f"/tags/{i}", "a tag")
        name = _name_or_fail(tag_name, tag_obj.get("name"), f"/tags/{i}/name")
        if name not in st.tags:
            st.tags.append(name)


def rule_operations(st: State) -> None:
    for path, item in _object(st.norm.src["paths"], "/paths", "paths").items():
        pptr = f"/paths/{_esc(path)}"
        new_item: dict[str, Any] = {}
        for method, op in _object(item, pptr, "a path item").items():
            if method not in HTTP_METHODS:
                raise NormalizeError(f"{pptr}/{_esc(method)}", "path-level keys other than methods")
            new_item[method] = st.norm.operation(op, path, method, f"{pptr}/{method}")
            for t in new_item[method].get("tags", []):
                if t not in st.tags:
                    st.tags.append(t)
        st.out["paths"][path] = new_item
    st.out["tags"] = [{"name": t} for t in st.tags]


def rule_error_bodies(st: State) -> None:
    norm = st.norm
    st.hoisted, norm.error_bodies = _hoist_error_bodies(
        st.out, norm.locked_error_bodies, norm.locked_classes
    )
    if st.lock is not None:
        for sig, name in norm.error_bodies.items():
            st.lock.error_bodies.setdefault(sig, name)


def rule_request_consts(st: State) -> None:
    _request_consts(st.out, st.hoisted)


def rule_operation_ids(st: State) -> None:
    _check_operation_ids(st.out)


def rule_provenance(st: State) -> None:
    if st.raw is not None:
        st.out["info"]["x-upstream-sha256"] = hashlib.sha256(st.raw).hexdigest()
    if st.date is not None:
        st.out["info"]["x-upstream-date"] = st.date
    if st.norm.repairs:
        st.out["info"]["x-upstream-repairs"] = list(st.norm.repairs)


def rule_live_api_overrides(st: State) -> None:
    if st.live_overrides:
        st.out = apply_live_overrides(st.out, st.overrides_path)


RULES: tuple[Rule[State], ...] = (
    Rule("openapi-version", rule_openapi_version, "OpenAPI 3.x with paths"),
    Rule("schema-names", rule_schema_names, "def-N and non-identifier schema names renamed"),
    Rule("document", rule_document, "the fixed top of our document (info, servers, security)"),
    Rule("security-schemes", rule_security_schemes, "schemes without prose"),
    Rule("schemas", rule_schemas, "the schema walk over every component schema"),
    Rule("tags", rule_tags, "declared tags, then the operations' tags, in order"),
    Rule(
        "operations",
        rule_operations,
        "per operation: parameters, bodies, responses, scopes, rate limits, pagination, "
        "retry classes (scripts/codegen/retry_classes.py)",
    ),
    Rule("error-bodies", rule_error_bodies, "shared error bodies hoisted to named components"),
    Rule("request-consts", rule_request_consts, "single-value request enums as const"),
    Rule("operation-ids", rule_operation_ids, "operationIds unique and present"),
    Rule("provenance", rule_provenance, "upstream sha256, date and repairs under info"),
    Rule("live-api-overrides", rule_live_api_overrides, "scripts/overrides/live-api.yaml"),
)
"""The normalizer: these rules, in this order."""


def normalize(
    doc: dict[str, Any],
    raw: bytes | None = None,
    *,
    date: str | None = None,
    lock: naming.Lock | None = None,
    live_overrides: bool = False,
    overrides_path: Path | None = None,
) -> dict[str, Any]:
    """Return our normalized document for an upstream document (``RULES``, in order).

    Provenance goes into ``info``: ``x-upstream-sha256`` (of ``raw``, the bytes as published)
    and ``x-upstream-date``. Repairs of upstream defects are listed under
    ``info.x-upstream-repairs`` (absent when none). ``lock``: the names lock; its error-body
    names are kept and the new ones added to it. ``live_overrides``: apply the live-API
    corrections last.
    """
    normalizer = Normalizer(
        doc,
        error_bodies=lock.error_bodies if lock else None,
        classes=lock.classes if lock else None,
    )
    state = State(
        normalizer,
        lock=lock,
        raw=raw,
        date=date,
        live_overrides=live_overrides,
        overrides_path=overrides_path,
    )
    return run(RULES, state).out


def repairs(doc: dict[str, Any]) -> list[str]:
    """The repairs a normalized document records ("pointer: what was done")."""
    found = doc.get("info", {}).get("x-upstream-repairs", [])
    return [str(r) for r in found] if isinstance(found, list) else []


def apply_live_overrides(doc: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The live-API corrections (``scripts/overrides/live-api.yaml``) applied to ``doc``."""
    try:
        return overrides.apply(doc, overrides.load(path) if path else None)
    except overrides.OverrideError as exc:
        raise NormalizeError(exc.pointer, f"live-api override: {exc}") from None


def normalize_file(
    src: str, dest: Path, lock_path: Path | None = None, *, live_overrides: bool | None = None
) -> list[str]:
    """Normalize SOURCE (path or URL) and write it to DEST as YAML; returns the repairs made.

    ``lock_path``: the names lock (error-body names kept, new ones added to the file).
    The live-API corrections are applied last: by default when DEST is the project's own
    ``openapi.yaml`` (they are part of it), else when ``live_overrides`` is true.
    """
    doc, raw = load_source(src)
    lock = naming.Lock.load(lock_path) if lock_path is not None else None
    if live_overrides is None:
        live_overrides = dest.resolve() == OPENAPI_YAML
    date = source_date(src, _LAST_MODIFIED.get(src))
    out = normalize(doc, raw, date=date, lock=lock, live_overrides=live_overrides)
    dest.write_text(dump_yaml(out), encoding="utf-8")
    if lock is not None and lock_path is not None:
        text = lock.dump()
        if not lock_path.is_file() or lock_path.read_text(encoding="utf-8") != text:
            lock.save(lock_path)
    return repairs(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", default=DEFAULT_SOURCE, help="path or URL")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(__file__).resolve().parents[2] / "openapi.yaml"
    )
    parser.add_argument(
        "--lock",
        type=Path,
        default=None,
        help="names lock (default: scripts/names/lock.yaml when writing the repo's openapi.yaml)",
    )
    parser.add_argument(
        "--live-overrides",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply scripts/overrides/live-api.yaml (default: when writing the project's "
        "openapi.yaml)",
    )
    args = parser.parse_args(argv)
    lock = args.lock
    if lock is None and args.output.resolve() == naming.ROOT / "openapi.yaml":
        lock = naming.LOCK
    try:
        live = args.live_overrides
        for repair in normalize_file(args.source, args.output, lock, live_overrides=live):
            print(f"normalize: repaired {repair}")
    except NormalizeError as exc:
        print(f"normalize: {exc}", file=sys.stderr)
        return 1
    print(f"normalize: wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
