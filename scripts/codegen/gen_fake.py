"""Generate the data of the in-process fake (``instantly_async.testing``) from ``openapi.yaml``.

Called by ``scripts/regen.py`` (``generate(spec, out_dir)``) after the facade tables; writes
``fake_data.py`` into the generated package. ``openapi.yaml`` is not shipped in the wheel, so
everything the fake needs from it is derived here, once:

* per operation: its parameters (query ones with their schemas), its JSON body schema, its
  success status, media type and schema, the schemas of its documented error answers, and what
  it does to the stored state, read from the path structure alone (``kind``):

  - ``create``: ``POST`` to a collection (a path ``T`` with an item path ``T/{p}``);
  - ``read`` / ``update`` / ``delete``: ``GET`` / ``PATCH``/``PUT`` / ``DELETE`` on ``T/{p}``;
  - ``list``: ``GET`` on a collection, or any cursor-paginated operation (its own path is then
    the collection);
  - ``singleton_read`` / ``singleton_update``: ``GET`` / ``PATCH`` on a path without a trailing
    parameter that has both (``/workspaces/current``);
  - ``action``: everything else (answers built from its response schema, the caller's fields
    echoed back);

  and ``parents``: the item paths along its path (each must exist: 404 otherwise);
* per collection: the item schema (from the item ``GET``, else ``PATCH``/``DELETE``, else the
  create answer, else the list's items) and the field that keys it (the item parameter when
  the schema has a property of that name, such as ``email`` for accounts, else ``id``);
* the component schemas, trimmed to the keywords the fake validates and builds answers from.

The data is written as one JSON document inside a Python module (cheap to import and to
type-check); the runtime lives in ``instantly_async/_fake*.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .schema_keywords import PLAIN, SCHEMA_LIST, SCHEMA_MAP, SCHEMA_ONE, VALIDATION_SUBSCHEMA

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
OUTPUT = "fake_data.py"
REF_PREFIX = "#/components/schemas/"
# Schema keywords the fake uses (validation and answer building); everything else is dropped:
# the facts of PLAIN but those only documentation and type hints use, the subschema keywords
# (``contains`` aside: the fake never checks it), ``$ref`` and ``x-validation``.
DOCS_ONLY = frozenset(
    {"title", "deprecated", "nullable", "writeOnly", "examples", "x-enumDescriptions"}
)
KEEP = (PLAIN - DOCS_ONLY) | {
    "$ref",
    "x-validation",
    *SCHEMA_ONE,
    *SCHEMA_MAP,
    *SCHEMA_LIST,
    *(k for k in VALIDATION_SUBSCHEMA if k != "contains"),
}
# Keywords whose value is one subschema (a boolean ``additionalProperties`` stays as it is),
# including the validation-only ones and ``x-validation`` (a map of them).
SUBSCHEMA = frozenset({*SCHEMA_ONE, *VALIDATION_SUBSCHEMA, "x-validation"})
ERROR_CODES = ("400", "401", "402", "403", "404", "409", "429", "500", "503")


class GenFakeError(Exception):
    """The document has something the fake cannot model; the message says what."""


def trim(schema: Any) -> Any:
    """``schema`` with only the keywords of :data:`KEEP`; ``$ref`` shortened to the name."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "examples" and "example" not in schema and isinstance(value, list) and value:
            out["example"] = value[0]
        if key not in KEEP:
            continue
        if key == "$ref":
            if not str(value).startswith(REF_PREFIX):
                raise GenFakeError(f"cannot follow $ref {value!r}")
            out[key] = str(value)[len(REF_PREFIX) :]
        elif key in SCHEMA_MAP and isinstance(value, dict):
            out[key] = {name: trim(sub) for name, sub in value.items()}
        elif key in SCHEMA_LIST and isinstance(value, list):
            out[key] = [trim(sub) for sub in value]
        elif key in SUBSCHEMA:
            out[key] = trim(value)  # a boolean or any other non-object value stays as it is
        else:
            out[key] = value
    return out


def _norm(path: str) -> str:
    return path.rstrip("/") or "/"


def _last_param(path: str) -> str | None:
    found = re.fullmatch(r".*/\{([^}/]+)\}", path)
    return found[1] if found else None


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0]


def _success(op: dict[str, Any], oid: str) -> tuple[int, str | None, Any]:
    responses = op.get("responses") or {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2"))
    if len(codes) != 1:
        raise GenFakeError(f"{oid}: expected one 2xx response, found {codes}")
    content = (responses[codes[0]] or {}).get("content") or {}
    if not content:
        return int(codes[0]), None, None
    media = next(iter(content))
    return int(codes[0]), media, trim((content[media] or {}).get("schema", {}))


def _is_array(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "array"


def _page_items(schema: Any, items_field: str = "items") -> Any:
    """The item schema of a page-shaped response (``{items: [...]}``), else None."""
    if isinstance(schema, dict) and schema.get("type") == "object":
        prop = (schema.get("properties") or {}).get(items_field)
        if isinstance(prop, dict) and prop.get("type") == "array":
            return prop.get("items", {})
    return None


def analyse(spec: dict[str, Any]) -> dict[str, Any]:
    """The fake's data: ``operations``, ``collections``, ``schemas``."""
    raw: list[tuple[str, str, str, dict[str, Any]]] = []
    for path, item in (spec.get("paths") or {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                raw.append((op["operationId"], method.upper(), path, op))
    raw.sort()

    # Item paths: T/{p} with a non-paginated GET, PATCH, PUT or DELETE, T ending in a literal.
    items: dict[str, tuple[str, str]] = {}
    for _, method, path, op in raw:
        p = _norm(path)
        param = _last_param(p)
        if (
            param
            and method in ("GET", "PATCH", "PUT", "DELETE")
            and not op.get("x-pagination")
            and _last_param(_parent(p)) is None
            and not (method == "GET" and _is_array(_success(op, op["operationId"])[2]))
        ):
            items[p] = (_parent(p), param)
    collection_paths = {c for c, _ in items.values()}
    methods_on: dict[str, set[str]] = {}
    for _, method, path, _op in raw:
        methods_on.setdefault(_norm(path), set()).add(method)

    operations: dict[str, Any] = {}
    item_schemas: dict[str, list[tuple[int, Any]]] = {}
    for oid, method, path, op in raw:
        p = _norm(path)
        status, media, schema = _success(op, oid)
        pagination = op.get("x-pagination")
        parents = [
            prefix
            for prefix in (p[: m.end()] for m in re.finditer(r"/\{[^}/]+\}", p))
            if prefix in items
        ]
        collection: str | None = None
        page_items = _page_items(schema, (pagination or {}).get("items_field", "items"))
        if page_items is None and _is_array(schema):
            page_items = schema.get("items", {})
        if pagination or (method == "GET" and p in collection_paths and page_items is not None):
            kind, collection = "list", p
            if page_items is not None:
                item_schemas.setdefault(p, []).append((9, page_items))
        elif method == "POST" and p in collection_paths:
            kind, collection = "create", p
            item_schemas.setdefault(p, []).append((5, schema))
        elif p in items:
            kind = {"GET": "read", "PATCH": "update", "PUT": "update", "DELETE": "delete"}.get(
                method, "action"
            )
            collection = items[p][0]
            if kind != "action":
                rank = {"read": 1, "update": 2, "delete": 3}[kind]
                item_schemas.setdefault(collection, []).append((rank, schema))
        elif _last_param(p) is None and "GET" in methods_on[p] and methods_on[p] & {"PATCH", "PUT"}:
            kind = {"GET": "singleton_read", "DELETE": "singleton_delete"}.get(
                method, "singleton_update" if method in ("PATCH", "PUT") else "action"
            )
            collection = None if kind == "action" else p
        else:
            kind = "action"
        params: dict[str, Any] = {}
        for param in op.get("parameters") or []:
            if "$ref" in param:
                raise GenFakeError(f"{oid}: parameter $refs are not supported")
            params[param["name"]] = {
                "in": param["in"],
                "required": bool(param.get("required")),
                "schema": trim(param.get("schema", {})),
            }
        body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
        errors: dict[str, Any] = {}
        for code, response in (op.get("responses") or {}).items():
            content = (response or {}).get("content") or {}
            if str(code) in ERROR_CODES and "application/json" in content:
                errors[str(code)] = trim(content["application/json"].get("schema", {}))
        operations[oid] = {
            "method": method,
            "path": path,
            "kind": kind,
            "collection": collection,
            "parents": parents,
            "params": params,
            "body": trim(body.get("schema", {})) if body is not None else None,
            "body_required": bool((op.get("requestBody") or {}).get("required")),
            "status": status,
            "media": media,
            "response": schema,
            "errors": errors,
        }

    collections: dict[str, Any] = {}
    for path in sorted({o["collection"] for o in operations.values() if o["collection"]}):
        if operations and any(
            o["collection"] == path and o["kind"].startswith("singleton")
            for o in operations.values()
        ):
            schemas = [
                o["response"]
                for o in operations.values()
                if o["collection"] == path and o["response"]
            ]
            collections[path] = {
                "schema": schemas[0] if schemas else {},
                "key": None,
                "param": None,
            }
            continue
        candidates = sorted(item_schemas.get(path, []), key=lambda c: c[0])
        schema = next((s for _, s in candidates if s), {})
        param = next((prm for ip, (c, prm) in items.items() if c == path), None)
        key = "id"
        resolved = _resolve(schema, spec)
        if param is not None and param in (resolved.get("properties") or {}):
            key = param
        collections[path] = {"schema": schema, "key": key, "param": param}

    # What an action answers with, when its response schema is that of stored state: the item
    # named in its path (``/campaigns/{id}/pause``), the singleton it sits under
    # (``/workspaces/current/change-owner``), or a new item of a collection that has no create
    # operation of its own (the background job it started, the email it sent).
    created = {o["collection"] for o in operations.values() if o["kind"] == "create"}
    for o in operations.values():
        response = o["response"]
        if o["kind"] != "action" or not isinstance(response, dict) or "$ref" not in response:
            continue
        if o["parents"] and collections[items[o["parents"][-1]][0]]["schema"] == response:
            o["returns_item"] = o["parents"][-1]
            continue
        for path, coll in collections.items():
            if coll["schema"] != response:
                continue
            if coll["key"] is None and _norm(o["path"]).startswith(path + "/"):
                o["returns_singleton"] = path
            elif path in collection_paths and path not in created and "{" not in path:
                o["creates"] = path
    components = {
        name: trim(schema)
        for name, schema in sorted(((spec.get("components") or {}).get("schemas") or {}).items())
    }
    return {"operations": operations, "collections": collections, "schemas": components}


def _resolve(schema: Any, spec: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"]
        target = spec["components"]["schemas"].get(name.removeprefix(REF_PREFIX))
        return target if isinstance(target, dict) else {}
    return schema if isinstance(schema, dict) else {}


def render(data: dict[str, Any]) -> str:
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True)
    if '"""' in text or text.endswith("\\"):
        raise GenFakeError("the fake's data cannot be embedded in a raw string literal")
    return (
        '"""What the fake (``instantly_async.testing``) knows of openapi.yaml: operations,\n'
        'collections, trimmed schemas. Written by scripts/codegen/gen_fake.py."""\n\n'
        "import json\n"
        "from typing import Any\n\n"
        f'DATA: dict[str, Any] = json.loads(\n    r"""\n{text}\n"""\n)\n'
    )


def generate(spec: dict[str, Any], out_dir: Path) -> None:
    """Write ``fake_data.py`` into the generated package ``out_dir``."""
    (out_dir / OUTPUT).write_text(render(analyse(spec)), encoding="utf-8")
