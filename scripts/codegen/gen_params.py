"""Request-side facts of one operation, from its JSON Schemas in ``openapi.yaml``.

:class:`Params` collects, for the generated resource methods (``scripts/codegen/gen_facade.py``):

* Python type expressions for each body field, with a ``TypedDict`` per object schema of the
  body (``<OperationId>Params`` for the body itself, ``<OperationId><Path>Param`` for nested
  objects), written to ``_generated/params/<namespace>.py``;
* :class:`instantly_async._request.Shape` constructor code for each value, so that the
  resource methods check values against their JSON types without reflection at call time;
* one line of documentation per parameter (type, required, enum values with their
  ``x-enumDescriptions`` labels, default, nullable) for docstrings and docs/reference.md.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from .common import PYTHON_FORMATS
from .common import json_type as _json_kind

JSON_KINDS = {
    "string": "STR",
    "integer": "INT",
    "number": "NUM",
    "boolean": "BOOL",
    "array": "ARR",
    "object": "OBJ",
    "null": "NULL",
}
PY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
FORMATS = tuple(f for f in PYTHON_FORMATS if f != "binary")  # JSON values; binary is a file
MAX_ENUM_DOC = 40


def pascal(name: str) -> str:
    """'campaign_schedule' -> 'CampaignSchedule'; 'createLead' -> 'CreateLead'."""
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def resolve(spec: dict[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> Any:
    """Follow local ``$ref``s (sibling keywords win) and merge ``allOf`` parts."""
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot follow $ref {ref!r}")
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        return resolve(spec, {**target, **siblings}, seen | {ref})
    parts = schema.get("allOf")
    if isinstance(parts, list):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in parts:
            part = resolve(spec, part, seen)
            for key, value in part.items():
                if key == "properties":
                    merged["properties"] = {**merged.get("properties", {}), **value}
                elif key == "required":
                    merged["required"] = [*merged.get("required", []), *value]
                else:
                    merged.setdefault(key, value)
        return merged
    return schema


def json_types(s: dict[str, Any]) -> list[str]:
    """The declared JSON types; inferred from ``enum``/``const``/``properties``/``items``."""
    declared = s.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    values = s.get("enum") if isinstance(s.get("enum"), list) else None
    if "const" in s:
        values = [s["const"]]
    if values is not None:
        kinds: dict[str, None] = {}
        for v in values:
            kinds[_json_kind(v)] = None
        return list(kinds)
    if "properties" in s or "additionalProperties" in s:
        return ["object"]
    if "items" in s:
        return ["array"]
    return []


def nullable(spec: dict[str, Any], schema: Any) -> bool:
    """Whether ``null`` fits the schema (its own type, its enum, or one of its variants)."""
    s = resolve(spec, schema)
    if not isinstance(s, dict):
        return True
    kinds = json_types(s)
    if "null" in kinds or (not kinds and not _variants(s)):
        return True
    return any(nullable(spec, v) for v in _variants(s))


def _variants(s: dict[str, Any]) -> list[Any]:
    for key in ("oneOf", "anyOf"):
        branches = s.get(key)
        if isinstance(branches, list) and branches:
            return branches
    return []


def _closed(s: dict[str, Any]) -> bool | Any:
    """additionalProperties as the checks use it: False (closed), True (open) or a schema.

    Request objects that declare properties are closed unless they say otherwise, so that a
    misspelt key is caught; ``extra_body=`` sends what the document does not know yet.
    """
    extra = s.get("additionalProperties")
    if extra is None:
        return "properties" not in s
    if extra is True or extra == {}:
        return True
    if extra is False:
        return False
    return extra


@dataclass
class TypedDictDef:
    name: str
    doc: str
    fields: list[tuple[str, str, bool]]  # (key, type expression, required)


@dataclass
class Params:
    """Type expressions, TypedDicts and shape code for one namespace's request bodies."""

    spec: dict[str, Any]
    typed_dicts: list[TypedDictDef] = field(default_factory=list)
    shapes: dict[str, str] = field(default_factory=dict)  # shape code -> variable name
    _names: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ shapes

    def shape(self, schema: Any) -> str:
        """The name of a module-level ``Shape`` for ``schema`` (identical shapes shared)."""
        s = resolve(self.spec, schema)
        if not isinstance(s, dict):
            return self._intern("_Shape(ANY)")
        kinds = json_types(s)
        bits = " | ".join(JSON_KINDS[k] for k in kinds if k in JSON_KINDS)
        args: list[str] = []
        variants = _variants(s)
        if variants:
            names = [self.shape(v) for v in variants]
            args.append("variants=(" + "".join(f"{n}, " for n in names) + ")")
            bits = "NULL" if nullable(self.spec, s) else ""
        elif not bits:
            bits = "ANY"
        if "object" in kinds and not variants:
            props = s.get("properties") or {}
            if props:
                items = ", ".join(f"{k!r}: {self.shape(v)}" for k, v in props.items())
                args.append(f"props={{{items}}}")
            required = tuple(str(r) for r in s.get("required") or [] if r in props)
            if required:
                args.append(f"required={required!r}")
            extra = _closed(s)
            if extra is True:
                args.append("extra=True")
            elif extra is not False:
                args.append(f"extra={self.shape(extra)}")
        if "array" in kinds and not variants and isinstance(s.get("items"), dict):
            args.append(f"items={self.shape(s['items'])}")
        fmt = s.get("format")
        if fmt in FORMATS and "string" in kinds:
            args.append(f"fmt={fmt!r}")
        return self._intern(f"_Shape({bits or '0'}{''.join(', ' + a for a in args)})")

    def _intern(self, code: str) -> str:
        name = self.shapes.get(code)
        if name is None:
            name = f"_S{len(self.shapes)}"
            self.shapes[code] = name
        return name

    # ------------------------------------------------------------------ types

    def type_expr(self, schema: Any, name: str, doc: str, where: str = "") -> str:
        """A Python type for ``schema``; object schemas become TypedDicts named ``name``.

        ``doc`` names the body ("the body of ``client.lead.create()``"), ``where`` the place
        inside it ("leads[]"), for the TypedDicts' docstrings.
        """
        s = resolve(self.spec, schema)
        if not isinstance(s, dict):
            return "Any"
        kinds = json_types(s)
        variants = _variants(s)
        parts: list[str] = []
        if variants:
            for i, v in enumerate(variants):
                parts.append(self.type_expr(v, f"{name}Type{i}", doc, where))
            if "null" in kinds:
                parts.append("None")
        elif "const" in s or isinstance(s.get("enum"), list):
            values = [s["const"]] if "const" in s else list(s["enum"])
            literals = [repr(v) for v in values if v is not None and not isinstance(v, float)]
            if any(isinstance(v, float) for v in values):
                parts.append("float")
            if literals:
                parts.append("Literal[" + ", ".join(literals) + "]")
            if None in values or "null" in kinds:
                parts.append("None")
        else:
            if not kinds:
                return "Any"
            for kind in kinds:
                if kind in PY_TYPES:
                    parts.append(PY_TYPES[kind])
                elif kind == "array":
                    items = s.get("items")
                    inner = (
                        self.type_expr(items, f"{name}Item", doc, where + "[]") if items else "Any"
                    )
                    parts.append(f"Sequence[{inner}]")
                elif kind == "object":
                    parts.append(self._object_type(s, name, doc, where))
        unique = list(dict.fromkeys(p for part in parts for p in _split_union(part)))
        if "None" in unique:  # None last reads best
            unique = [p for p in unique if p != "None"] + ["None"]
        return " | ".join(unique) or "Any"

    def _object_type(self, s: dict[str, Any], name: str, doc: str, where: str) -> str:
        props = s.get("properties") or {}
        extra = _closed(s)
        if not props:
            if extra is True or extra is False:
                return "Mapping[str, Any]"
            return f"Mapping[str, {self.type_expr(extra, name + 'Value', doc, where + '[*]')}]"
        required = set(s.get("required") or [])
        name = name if name.endswith("Params") else name + "Param"
        if name in self._names:
            raise ValueError(f"TypedDict name {name!r} generated twice")
        self._names.add(name)
        base = name[: -len("Param")] if name.endswith("Param") else name[: -len("Params")]
        inner = f"{where}." if where else ""
        fields = [
            (key, self.type_expr(value, base + pascal(key), doc, inner + key), key in required)
            for key, value in props.items()
        ]
        text = f"``{where}`` in {doc}." if where else doc[:1].upper() + doc[1:] + "."
        self.typed_dicts.append(TypedDictDef(name, text, fields))
        return name

    # ------------------------------------------------------------------ rendering

    def render_shapes(self) -> list[str]:
        return [f"{name} = {code}" for code, name in self.shapes.items()]

    def render_typed_dicts(self, namespace: str) -> str:
        lines = [
            f'"""TypedDicts for the request bodies of ``client.{namespace}``."""',
            "",
            "# No `from __future__ import annotations`: real annotations keep __required_keys__",
            "# right at run time (each TypedDict is defined after the ones it uses).",
            "import sys",
            "from collections.abc import Mapping, Sequence",
            "from typing import Any, Literal",
            "",
            "if sys.version_info >= (3, 11):",
            "    from typing import Required, TypedDict",
            "else:  # pragma: no cover",
            "    from typing_extensions import Required, TypedDict",
            "",
            "__all__ = [" + ", ".join(repr(t.name) for t in sorted_defs(self.typed_dicts)) + "]",
        ]
        for td in self.typed_dicts:
            lines += ["", ""]
            plain = all(k.isidentifier() and not keyword.iskeyword(k) for k, _, _ in td.fields)
            if plain:
                lines.append(f"class {td.name}(TypedDict, total=False):")
                lines.append(f'    """{td.doc}"""')
                lines.append("")
                for key, expr, required in td.fields:
                    lines.append(f"    {key}: {_required(expr, required)}")
            else:
                items = ", ".join(f"{k!r}: {_required(e, r)}" for k, e, r in td.fields)
                lines.append(f"{td.name} = TypedDict({td.name!r}, {{{items}}}, total=False)")
        lines.append("")
        return "\n".join(lines)


def _required(expr: str, required: bool) -> str:
    return f"Required[{expr}]" if required else expr


def sorted_defs(defs: list[TypedDictDef]) -> list[TypedDictDef]:
    return sorted(defs, key=lambda t: t.name)


def _split_union(expr: str) -> list[str]:
    """Top-level members of a union expression (brackets respected)."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in expr:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return [p for p in out if p]


# ------------------------------------------------------------------ documentation


def describe(spec: dict[str, Any], schema: Any, depth: int = 0) -> str:
    """A short JSON-level description: 'string | null', 'array of object', enum values..."""
    s = resolve(spec, schema)
    if not isinstance(s, dict):
        return "any"
    kinds = json_types(s)
    variants = _variants(s)
    if variants:
        text = " or ".join(dict.fromkeys(describe(spec, v, depth + 1) for v in variants))
        return text + (" or null" if "null" in kinds else "")
    words: list[str] = []
    for kind in kinds:
        if kind == "array" and isinstance(s.get("items"), dict) and depth < 2:
            words.append("array of " + describe(spec, s["items"], depth + 1))
        elif kind == "object" and not s.get("properties") and depth < 2:
            extra = _closed(s)
            values = describe(spec, extra, depth + 1) if isinstance(extra, dict) else ""
            words.append(f"object of {values}" if values else "object")
        elif kind == "string" and isinstance(s.get("format"), str):
            words.append(f"string ({s['format']})")
        else:
            words.append(kind)
    return " | ".join(words) or "any"


def enum_text(spec: dict[str, Any], schema: Any) -> str:
    """'one of 1 (Interested), 2 (Meeting Booked), ...' for enums (of arrays' items too)."""
    s = resolve(spec, schema)
    if not isinstance(s, dict):
        return ""
    if "array" in json_types(s) and isinstance(s.get("items"), dict):
        inner = enum_text(spec, s["items"])
        return f"items {inner}" if inner else ""
    values = s.get("enum")
    if "const" in s:
        return f"always {s['const']!r}"
    if not isinstance(values, list):
        return ""
    labels = s.get("x-enumDescriptions") or {}
    shown = []
    for v in values[:MAX_ENUM_DOC]:
        label = labels.get(str(v)) if isinstance(labels, dict) else None
        text = "null" if v is None else repr(v) if isinstance(v, str) else str(v)
        shown.append(f"{text} ({_short(label)})" if label else text)
    more = f", ... ({len(values) - MAX_ENUM_DOC} more)" if len(values) > MAX_ENUM_DOC else ""
    return "one of " + ", ".join(shown) + more


def _short(label: object) -> str:
    text = " ".join(str(label).split())
    return text if len(text) <= 60 else text[:57] + "..."


def param_doc(spec: dict[str, Any], schema: Any, required: bool) -> str:
    """'string | null, required; one of ...; default 5'."""
    s = resolve(spec, schema)
    parts = [describe(spec, s) + (", required" if required else ", optional")]
    enum = enum_text(spec, s)
    if enum:
        parts.append(enum)
    if isinstance(s, dict) and "default" in s:
        parts.append(f"default {s['default']!r}")
    if isinstance(s, dict) and s.get("deprecated"):
        parts.append("deprecated")
    return "; ".join(parts)


def nested_rows(
    spec: dict[str, Any], schema: Any, path: str, depth: int = 0
) -> list[tuple[str, str]]:
    """(``leads[].email``, its doc) for every key inside a body field, depth first."""
    s = resolve(spec, schema)
    if not isinstance(s, dict) or depth > 6:
        return []
    rows: list[tuple[str, str]] = []
    for variant in _variants(s):
        rows += nested_rows(spec, variant, path, depth + 1)
    kinds = json_types(s)
    if "array" in kinds and isinstance(s.get("items"), dict):
        rows += nested_rows(spec, s["items"], path + "[]", depth + 1)
    if "object" in kinds:
        required = set(s.get("required") or [])
        for key, value in (s.get("properties") or {}).items():
            where = f"{path}.{key}"
            rows.append((where, param_doc(spec, value, key in required)))
            rows += nested_rows(spec, value, where, depth + 1)
    return list(dict.fromkeys(rows))
