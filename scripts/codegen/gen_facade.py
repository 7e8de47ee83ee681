"""Generate the facade's per-operation code from ``openapi.yaml``: namespaces, methods, tables.

Called by ``scripts/regen.py`` after openapi-python-client has written the client, into the
same (temporary) ``_generated`` folder:

* ``operations.py``: one :class:`instantly_async._operation.Operation` per operation
  (method, path, tag, ``x-required-scopes``, ``x-rate-limits``, ``x-pagination``);
* ``resources/<namespace>.py``: one class per tag whose methods call the generated endpoint
  modules through the client's request pipeline;
* ``namespaces.py``: the ``Namespaces`` mixin of ``AsyncInstantly`` (one lazily built
  attribute per tag);

and :func:`reference_markdown` renders ``docs/reference.md``. Types, parameter names and
model names come from openapi-python-client's own parser, so they always match the
generated code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import ModelProperty, Property
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol

from . import gen_params, naming
from .common import operations

ROOT = Path(__file__).resolve().parents[2]
# Names a method's own parameters must not take (they are the facade's).
RESERVED_PARAMS = frozenset(
    {"self", "max_items", "extra_headers", "extra_query", "extra_body", "timeout"}
)
DANGLING = naming.DANGLING
snake = naming.snake


def method_names(tag: str, operation_ids: list[str]) -> dict[str, str]:
    """Facade method names for a namespace's operations, before the names lock.

    The operationId in snake_case, with the tag's noun (singular or plural) dropped from the
    end when what is left is non-empty, a valid name, and unique within the namespace.
    ``scripts/codegen/naming.py`` keeps the names once given (the lock) and adds the reviewed ones.
    """
    return naming.default_method_names(tag, operation_ids)


def load_generator_data(spec: dict[str, Any], config_path: Path) -> GeneratorData:
    config = Config.from_sources(
        ConfigFile.load_from_path(config_path),
        MetaType("none"),
        document_source=ROOT / "openapi.yaml",
        file_encoding="utf-8",
        overwrite=True,
        output_path=None,
    )
    data = GeneratorData.from_dict(spec, config=config)
    if isinstance(data, GeneratorError):
        raise RuntimeError(f"openapi-python-client could not parse the document: {data.header}")
    return data


def _imports(prop: Property | PropertyProtocol) -> set[str]:
    """Every import a type annotation of ``prop`` needs, from a module one level down."""
    return prop.get_imports(prefix="..") | prop.get_lazy_imports(prefix="..")


def _code(prop: Property | PropertyProtocol) -> str:
    return str(prop.get_type_string().as_unembedded_code())


def _type_str(type_code: str) -> str:
    # A method named `list` shadows the builtin inside the class body for type checkers.
    return re.sub(r"(?<![\w.])list\[", "builtins.list[", type_code)


def _param_decl(prop: Property) -> str:
    text = str(prop.to_string().as_unembedded_code())
    name, _, rest = text.partition(":")
    return f"{name}:{_type_str(rest)}"


@dataclass
class Field:
    """One keyword argument of a resource method that is not a path parameter."""

    name: str  # the Python name (query parameters) or the JSON key (body fields)
    decl: str  # "name: type" or "name: type = UNSET"
    required: bool
    where: str  # "query", "header" or "body"
    doc: str  # "string | null, required; one of ..."
    shape: str  # the module-level Shape variable
    typed_dicts: list[str] = field(default_factory=list)  # TypedDicts its type names
    nested: list[tuple[str, str]] = field(default_factory=list)  # keys inside, for the reference


@dataclass
class Method:
    """What the facade generates for one operation."""

    operation_id: str
    name: str
    op: dict[str, Any]
    endpoint: Endpoint
    module: str
    tag_module: str
    imports: set[str] = field(default_factory=set)
    spec: dict[str, Any] = field(default_factory=dict)
    fields_rendered: list[Field] = field(default_factory=list)
    # what render() declared: (def or async def, parameters, return type); deprecated aliases
    # of this method are declared the same way
    signature: tuple[str, list[str], str] | None = None

    @property
    def pagination(self) -> dict[str, Any] | None:
        value = self.op.get("x-pagination")
        return value if isinstance(value, dict) else None

    @property
    def label(self) -> str:
        """How messages name the method: 'lead.create'."""
        return f"{self.tag_module}.{self.name}"

    def body_schema(self) -> dict[str, Any] | None:
        """The JSON body's (resolved) object schema, if the operation has a body."""
        body = self.op.get("requestBody")
        if not isinstance(body, dict):
            return None
        content = body.get("content") or {}
        if list(content) != ["application/json"]:
            raise RuntimeError(
                f"{self.operation_id}: only JSON bodies are supported: {list(content)}"
            )
        schema: dict[str, Any] = gen_params.resolve(
            self.spec, content["application/json"].get("schema") or {}
        )
        if "object" not in gen_params.json_types(schema) or gen_params._variants(schema):
            raise RuntimeError(f"{self.operation_id}: the body is not a plain JSON object")
        return schema

    def body_required(self) -> bool:
        return bool((self.op.get("requestBody") or {}).get("required"))

    def fields(self, params: gen_params.Params) -> tuple[list[Field], str | None]:
        """Query/header parameters and body fields, and the body's Shape variable."""
        ep = self.endpoint
        raw = {(p["in"], p["name"]): p for p in self.op.get("parameters", [])}
        out: list[Field] = []
        for where, group in (("query", ep.query_parameters), ("header", ep.header_parameters)):
            for p in group:
                self.imports |= _imports(p)
                spec_param = raw[(where, p.name)]
                schema = spec_param.get("schema") or {}
                required = bool(spec_param.get("required"))
                out.append(
                    Field(
                        name=p.python_name,
                        decl=_param_decl(p),
                        required=required,
                        where=where,
                        doc=gen_params.param_doc(self.spec, schema, required),
                        shape=params.shape(schema),
                    )
                )
        body_shape = None
        schema = self.body_schema()
        if schema is not None:
            op_name = gen_params.pascal(self.operation_id)
            doc = f"the body of ``client.{self.label}()`` (``{self.operation_id}``)"
            body_type = params.type_expr(schema, op_name + "Params", doc)
            td = next(t for t in params.typed_dicts if t.name == body_type)
            required_body = self.body_required()
            props = schema.get("properties") or {}
            for key, expr, required in td.fields:
                required = required and required_body
                default = "" if required else " | Unset = UNSET"
                out.append(
                    Field(
                        name=key,
                        decl=f"{key}: {_type_str(expr)}{default}",
                        required=required,
                        where="body",
                        doc=gen_params.param_doc(self.spec, props[key], required),
                        shape=params.shape(props[key]),
                        typed_dicts=sorted(set(re.findall(r"\b[A-Z]\w*Param\b", expr))),
                        nested=gen_params.nested_rows(self.spec, props[key], key),
                    )
                )
                self.imports |= _param_imports(expr, self.tag_module)
            body_shape = params.shape(schema)
        names = [f.name for f in out] + [p.python_name for p in ep.path_parameters]
        taken = [n for n in names if n in RESERVED_PARAMS or n.startswith("_")]
        if taken or len(set(names)) != len(names):
            raise RuntimeError(
                f"{self.operation_id}: parameter names clash with each other or the facade's: "
                f"{sorted(names)}"
            )
        return out, body_shape

    def success_types(self) -> list[str]:
        types: list[str] = []
        for response in self.endpoint.responses:
            code_range = response.status_code.range
            if code_range and 200 <= code_range[0] <= 299:
                self.imports |= _imports(response.prop)
                no_body = response.source["return_type"] == "None"
                t = "None" if no_body else _code(response.prop)
                if t not in types:
                    types.append(t)
        return types

    def item_type(self) -> str:
        pag = self.pagination
        assert pag is not None
        for response in self.endpoint.responses:
            code_range = response.status_code.range
            if not (code_range and 200 <= code_range[0] <= 299):
                continue
            prop = response.prop
            if isinstance(prop, ModelProperty):
                for p in [*(prop.required_properties or []), *(prop.optional_properties or [])]:
                    if p.name == pag["items_field"] and isinstance(p, ListProperty):
                        self.imports |= _imports(p.inner_property)
                        return _code(p.inner_property)
        return "Any"

    def render(self, params: gen_params.Params) -> str:
        ep = self.endpoint
        for p in ep.path_parameters:
            self.imports |= _imports(p)
        fields, body_shape = self.fields(params)
        self.fields_rendered = fields
        path_params = [_param_decl(p) for p in ep.path_parameters]
        ordered = [f for f in fields if f.required] + [f for f in fields if not f.required]
        kw = [f.decl for f in ordered]
        pag = self.pagination
        if pag is not None:
            item = _type_str(self.item_type())
            returns = f"AsyncPaginator[{item}]"
            kw.append("max_items: int | None = None")
        else:
            success = self.success_types()
            returns = _type_str(" | ".join(success)) if success else "None"
        kw += [
            "extra_headers: Mapping[str, str] | None = None",
            "extra_query: Mapping[str, object] | None = None",
            "extra_body: Mapping[str, object] | None = None",
            "timeout: float | httpx.Timeout | None | Unset = UNSET",
        ]
        head = "def" if pag is not None else "async def"
        all_params = ["self", *path_params, "*", *kw]
        self.signature = (head, all_params, returns)
        lines = [f"@_friendly({self.label!r})"]
        lines.append(
            f"    {head} {self.name}(\n        "
            + ",\n        ".join(all_params)
            + f",\n    ) -> {returns}:"
        )
        lines.append(f'        """{self.docstring(fields)}\n        """')
        # the endpoint module, imported on first use by its package (``__getattr__``), then a
        # plain attribute: no import machinery on every call
        lines.append(f"        _ep = _api.{self.module}")
        lines.append("")
        for p in ep.path_parameters:
            lines.append(f"        _path({self.label!r}, {p.python_name!r}, {p.python_name})")
        query = [f for f in fields if f.where != "body"]
        if query:
            checks = ", ".join(f"{f.name!r}: ({f.shape}, {f.name})" for f in query)
            lines.append(f"        _check_params({self.label!r}, {{{checks}}})")
        call_args = [f"{p.python_name}={p.python_name}" for p in ep.path_parameters]
        call_args += [f"{f.name}={f.name}" for f in query]
        body_fields = [f for f in fields if f.where == "body"]
        if body_shape is not None:
            given = ", ".join(f"{f.name!r}: {f.name}" for f in body_fields)
            lines.append(
                f"        _json = _body({self.label!r}, {body_shape}, {{{given}}}, extra_body, "
                f"{self.body_required()!r})"
            )
            call_args.append("body=_cast(Any, _json)")
        args = ", ".join(call_args)
        lines.append(
            f"        _request = _options({self.label!r}, _ep._get_kwargs({args}), "
            "extra_headers, extra_query, extra_body, timeout)"
        )
        op_ref = f"_OPS[{self.operation_id!r}]"
        if pag is not None:
            lines.append(
                f"        return self._client._paginate({op_ref}, _request, "
                "_parser(_ep), max_items=max_items)"
            )
        elif returns == "None":
            lines.append(
                f"        await self._client._call({op_ref}, _request, _parser(_ep), "
                "allow_none=True)"
            )
        elif "None" in returns.split(" | "):
            lines.append(
                f"        return _cast({returns!r}, await self._client._call({op_ref}, _request, "
                "_parser(_ep), allow_none=True))"
            )
        else:
            lines.append(
                f"        return _cast({returns!r}, await self._client._call({op_ref}, _request, "
                "_parser(_ep)))"
            )
        return "\n".join(lines)

    def docstring(self, fields: list[Field]) -> str:
        op = self.op
        summary = str(op.get("summary") or self.operation_id).strip().rstrip(".")
        method, path = op["x-method"], op["x-path"]
        parts = [f"{summary}.", "", f"``{method.upper()} {path}`` (``{self.operation_id}``)."]
        scopes = op.get("x-required-scopes")
        if scopes:
            parts.append(f"Scopes: {scope_text(op, '``')}.")
        for limit in op.get("x-rate-limits", []):
            parts.append(f"Limit: {limit['requests']} requests per {limit['seconds']} s.")
        parts.append(background_job_note(op))
        if self.pagination is not None:
            parts.append("Await the result for one page, or ``async for`` over it for every item.")
        args = []
        raw = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "path"}
        for p in self.endpoint.path_parameters:
            schema = (raw.get(p.name) or {}).get("schema") or {}
            args.append(
                f"    {p.python_name}: {gen_params.param_doc(self.spec, schema, True)}; in the path."
            )
        for f in fields:
            where = "" if f.where == "body" else f"; in the {f.where}"
            typed = ", ".join(f"``{t}``" for t in f.typed_dicts)
            where += f" ({typed})" if typed else ""
            args.append(f"    {f.name}: {f.doc}{where}.")
        if self.pagination is not None:
            args.append("    max_items: stop after this many items when iterating.")
        args.append(
            "    extra_headers, extra_query, extra_body: sent as given, in addition "
            "(``extra_body`` keys join the JSON body)."
        )
        args.append("    timeout: seconds (or an ``httpx.Timeout``) for this call only.")
        parts.append("Args:\n" + "\n".join(args))
        text = "\n\n".join(p for p in parts if p).replace("\n\n\n\n", "\n\n")
        text = text.replace("\\", "\\\\")
        return "\n".join(
            ("        " + line) if line and i else line for i, line in enumerate(text.split("\n"))
        )


def scope_text(op: dict[str, Any], quote: str) -> str:
    """'any one of a, b' or, with scope groups, 'one from each of (a, b) and (c, d), or any of e'."""

    def listed(scopes: list[str]) -> str:
        return ", ".join(f"{quote}{s}{quote}" for s in scopes)

    scopes = op.get("x-required-scopes", [])
    groups = op.get("x-required-scope-groups", [])
    if groups:
        each = " and ".join(f"({listed(g)})" for g in groups)
        return f"one from each of {each}, or any one of {listed(scopes)}"
    return f"any one of {listed(scopes)}" if scopes else ""


def _operations_by_id(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: {**op, "x-method": method, "x-path": path}
        for path, method, op in operations(spec)
    }


def _namespaces(
    spec: dict[str, Any], data: GeneratorData, names: naming.MethodNames | None = None
) -> dict[str, list[Method]]:
    ops = _operations_by_id(spec)

    def key(path: str, method: str) -> tuple[str, str]:
        return re.sub(r"\{[^}]*\}", "{}", path), method.lower()

    by_path = {key(o["x-path"], o["x-method"]): o for o in ops.values()}
    result: dict[str, list[Method]] = {}
    for tag_module in sorted(data.endpoint_collections_by_tag):
        collection = data.endpoint_collections_by_tag[tag_module]
        endpoints = sorted(collection.endpoints, key=lambda e: str(e.name))
        found = []
        for ep in endpoints:
            op = by_path.get(key(ep.path.get_untrusted_value(), ep.method))
            if op is None:
                raise RuntimeError(
                    f"no operation in openapi.yaml for {ep.method} {ep.path.get_untrusted_value()}"
                )
            found.append((op, ep))
        tag = found[0][0]["tags"][0]
        if names is None:
            chosen = method_names(tag, [op["operationId"] for op, _ in found])
        else:  # the names lock (scripts/codegen/naming.py)
            chosen = {op["operationId"]: names.names[op["operationId"]][1] for op, _ in found}
        methods = [
            Method(
                operation_id=op["operationId"],
                name=chosen[op["operationId"]],
                op=op,
                endpoint=ep,
                module=str(ep.name),
                tag_module=str(tag_module),
                spec=spec,
            )
            for op, ep in found
        ]
        result[str(tag_module)] = methods
    return result


def _class_name(namespace: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in namespace.split("_")) + "Resource"


def render_operations(spec: dict[str, Any]) -> str:
    lines = [
        '"""Every operation of openapi.yaml: method, path, scopes, limits, pagination."""',
        "",
        "from .._operation import Operation, Pagination, RateLimit",
        "",
        "OPERATIONS: dict[str, Operation] = {",
    ]
    for oid, op in sorted(_operations_by_id(spec).items()):
        scopes = tuple(op.get("x-required-scopes", []))
        groups = tuple(tuple(g) for g in op.get("x-required-scope-groups", []))
        limits = ", ".join(
            f"RateLimit({lim['requests']}, {lim['seconds']})" for lim in op.get("x-rate-limits", [])
        )
        pag = op.get("x-pagination")
        pag_code = "None"
        if pag:
            pag_code = (
                f"Pagination(cursor_param={pag['cursor_param']!r}, cursor_in={pag['cursor_in']!r}, "
                f"items_field={pag['items_field']!r}, "
                f"next_cursor_field={pag['next_cursor_field']!r}, "
                f"limit_param={pag.get('limit_param')!r})"
            )
        lines.append(
            f"    {oid!r}: Operation(operation_id={oid!r}, method={op['x-method'].upper()!r}, "
            f"path={op['x-path']!r}, tag={op['tags'][0]!r}, required_scopes={scopes!r}, "
            f"rate_limits=({limits}{',' if limits else ''}), pagination={pag_code}"
            + (f", required_scope_groups={groups!r}" if groups else "")
            + f", retry={op.get('x-retry', 'unsafe')!r}),"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _param_imports(expr: str, namespace: str) -> set[str]:
    """TYPE_CHECKING imports for the TypedDicts and typing names a field's type uses."""
    names = set(re.findall(r"\b([A-Z]\w*Params?)\b", expr))
    out = {f"from ..params.{namespace} import {n}" for n in sorted(names)}
    for typing_name in ("Literal", "Any"):
        if re.search(rf"\b{typing_name}\[|\b{typing_name}\b", expr):
            out.add(f"from typing import {typing_name}")
    for abc in ("Sequence", "Mapping"):
        if f"{abc}[" in expr:
            out.add(f"from collections.abc import {abc}")
    return out


@dataclass(frozen=True)
class Alias:
    """A deprecated facade name (the names lock's ``aliases``) and the method it stands for."""

    name: str
    namespace: str  # where the old name lives (maybe a namespace upstream renamed or emptied)
    target: Method
    since: str | None = None  # the SDK version it was deprecated in

    @property
    def old(self) -> str:
        return f"client.{self.namespace}.{self.name}()"

    @property
    def new(self) -> str:
        return f"client.{self.target.tag_module}.{self.target.name}()"

    @property
    def removed_in(self) -> str | None:
        return naming.alias_removed_in(self.since) if self.since else None

    def _target(self, owner: str) -> str:
        """The target method, reached from a resource of the alias's namespace (``owner``)."""
        if self.target.tag_module == self.namespace:
            return f"{owner}.{self.target.name}"
        client = "self._client" if owner == "self" else f"{owner}._client"
        return f'_cast("Namespaces", {client}).{self.target.tag_module}.{self.target.name}'


def render_alias(alias: Alias) -> str:
    """A deprecated facade name: the new method's signature, a warning naming the new call."""
    target = alias.target
    if target.signature is None:
        raise RuntimeError(f"{alias.old}: its target {alias.new} is not rendered yet")
    head, params, returns = target.signature
    label = f"{alias.namespace}.{alias.name}"
    names = [decl.split(":", 1)[0].strip() for decl in params[1:] if decl != "*"]
    call = f"{alias._target('self')}({', '.join(f'{n}={n}' for n in names)})"
    until = f" (removed in {alias.removed_in})" if alias.removed_in else ""
    # an async method's body runs when awaited, from the caller's frame; a paginated (plain)
    # method's inside the _friendly wrapper
    stacklevel = 2 if head.startswith("async") else 3
    if returns == "None":
        last = f"        await {call}"
    else:
        last = f"        return {'await ' if head.startswith('async') else ''}{call}"
    return "\n".join(
        [
            f'@_marked("use {alias.new}")',
            f"    @_friendly({label!r})",
            f"    {head} {alias.name}(\n        "
            + ",\n        ".join(params)
            + f",\n    ) -> {returns}:",
            f'        """Deprecated: use ``{alias.new}``{until}."""',
            "        _warnings.warn(",
            f'            "{alias.old} is deprecated: use {alias.new}",',
            "            DeprecationWarning,",
            f"            stacklevel={stacklevel},",
            "        )",
            last,
        ]
    )


def render_resource(
    namespace: str,
    methods: list[Method],
    params: gen_params.Params,
    aliases: list[Alias] | None = None,
    bodies: list[str] | None = None,
) -> str:
    """``resources/<namespace>.py``: the namespace's methods and its deprecated aliases.

    A namespace without methods (upstream renamed or emptied its tag) holds only aliases.
    ``bodies``: the methods as already rendered (with ``params``), else rendered here.
    """
    aliases = aliases or []
    bodies = [m.render(params) for m in methods] if bodies is None else list(bodies)
    bodies += [render_alias(a) for a in aliases]
    imports: set[str] = set()
    for m in methods:
        imports |= m.imports
    for a in aliases:
        imports |= a.target.imports
    if any(a.target.tag_module != namespace for a in aliases):
        imports.add("from ..namespaces import Namespaces")
    # UNSET and Unset are needed at run time (defaults); the rest only for annotations
    typing_only = sorted(
        i
        for i in imports
        if not i.startswith("from ..types import") and i != "from typing import Any"
    )
    if methods:
        tag = methods[0].op["tags"][0]
        about = f"the {tag} operations"
        class_doc = f"The {tag} operations, as ``client.{namespace}``."
    else:
        moved = ", ".join(sorted({f"``client.{a.target.tag_module}``" for a in aliases}))
        until = {a.removed_in for a in aliases if a.removed_in}
        when = f" (removed in {min(until)})" if until else ""
        about = f"deprecated, its calls moved to {moved}"
        class_doc = f"Deprecated: ``client.{namespace}``'s calls moved to {moved}{when}."
    tag_modules = {m.tag_module for m in methods}
    if len(tag_modules) > 1:
        raise RuntimeError(f"{namespace}: methods of several tags: {sorted(tag_modules)}")
    # ``_api``: the tag's package; ``_api.<module>`` imports an endpoint module on first use.
    # For the type checker, the endpoint modules it stands for.
    api_import = [f"from ..api import {m} as _api" for m in sorted(tag_modules)]
    endpoint_modules = sorted(
        f"from ..api.{m.tag_module} import {m.module} as {m.module}" for m in methods
    )
    lines = [
        f'"""``client.{namespace}``: {about}."""',
        "",
        "from __future__ import annotations",
        "",
        "import builtins",
        "import warnings as _warnings",
        "from typing import TYPE_CHECKING, Any",
        "from typing import cast as _cast",
        "",
        *(["from ..._deprecation import deprecated as _deprecated"] if aliases else []),
        *(["from ..._deprecation import marked as _marked"] if aliases else []),
        "from ..._request import ANY, ARR, BOOL, INT, NULL, NUM, OBJ, STR",
        "from ..._request import Shape as _Shape",
        "from ..._request import body as _body",
        "from ..._request import friendly as _friendly",
        "from ..._request import options as _options",
        "from ..._request import params as _check_params",
        "from ..._response import to_raw_page_response, to_raw_response",
        *api_import,
        "from ..operations import OPERATIONS as _OPS",
        "from ..types import UNSET, Unset",
        "from ._support import _parser, _path",
        "",
        "if TYPE_CHECKING:",
        "    from collections.abc import Mapping",
        "",
        "    import httpx",
        "",
        "    from ..._client import _BaseClient",
        "    from ..._pagination import AsyncPaginator",
        *(f"    {i}" for i in endpoint_modules),
        *(f"    {i}" for i in typing_only),
        "",
        f"__all__ = [{_class_name(namespace)!r}, {_class_name(namespace) + 'WithRawResponse'!r}]",
        "",
        "# What each value may be (JSON types, object keys, array items), from openapi.yaml",
        *params.render_shapes(),
        "",
        "",
        f"class {_class_name(namespace)}:",
        f'    """{class_doc}"""',
        "",
        "    def __init__(self, client: _BaseClient) -> None:",
        "        self._client = client",
    ]
    for body in bodies:
        lines += ["", "    " + body]
    lines += ["", "", *_raw_resource(namespace, methods, aliases), ""]
    return "\n".join(lines)


def _raw_resource(
    namespace: str, methods: list[Method], aliases: list[Alias] | None = None
) -> list[str]:
    """``client.with_raw_response.<namespace>``: each method answering with an APIResponse;
    each deprecated alias too, warning with the raw call to use."""
    cls = _class_name(namespace)
    lines = [
        f"class {cls}WithRawResponse:",
        f'    """``client.with_raw_response.{namespace}``: the same calls, answering with the raw',
        '    response (status, headers, request) and ``.parse()`` for the result."""',
        "",
        f"    def __init__(self, resource: {cls}) -> None:",
    ]
    for m in methods:
        wrap = "to_raw_page_response" if m.pagination is not None else "to_raw_response"
        lines.append(f"        self.{m.name} = {wrap}(resource.{m.name})")
    raw = "client.with_raw_response."
    for a in aliases or []:
        wrap = "to_raw_page_response" if a.target.pagination is not None else "to_raw_response"
        lines += [
            f"        self.{a.name} = _deprecated(",
            f"            {wrap}({a._target('resource')}),",
            f"            {a.old.replace('client.', raw, 1)!r},",
            f"            {a.new.replace('client.', raw, 1)!r},",
            "        )",
        ]
    if not methods and not aliases:  # pragma: no cover - a namespace always has one or other
        lines.append("        pass")
    return lines


SUPPORT = '''"""Helpers the generated resource methods share."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx

from ..._paths import check_value
from ..client import Client

_PARSE_CLIENT = Client(base_url="", raise_on_unexpected_status=False)


_PARSERS: dict[ModuleType, Callable[[httpx.Response], Any]] = {}


def _parser(module: ModuleType) -> Callable[[httpx.Response], Any]:
    """The generated module's response parser, bound to a parse-only client (built once)."""
    cached = _PARSERS.get(module)
    if cached is not None:
        return cached
    parse = module._parse_response

    def run(response: httpx.Response) -> Any:
        return parse(client=_PARSE_CLIENT, response=response)

    _PARSERS[module] = run
    return run


# Refuse a value that would not stay one path segment (``.``, ``..``, empty, ...); bound
# once here (``_client`` imports ``_paths`` anyway) instead of importing it on every call.
_path = check_value
'''


def render_namespaces(
    namespaces: dict[str, list[Method]], deprecated: dict[str, list[Alias]] | None = None
) -> str:
    """namespaces.py; ``deprecated``: the namespaces that only hold aliases, with them."""
    deprecated = deprecated or {}
    lines = [
        '"""The ``AsyncInstantly`` namespaces: one attribute per tag, built on first use."""',
        "",
        "from __future__ import annotations",
        "",
        *(["import warnings as _warnings"] if deprecated else []),
        "from functools import cached_property",
        "from typing import TYPE_CHECKING, cast",
        "",
        "if TYPE_CHECKING:",
        "    from .._client import _BaseClient",
    ]
    for ns in sorted([*namespaces, *deprecated]):
        cls = _class_name(ns)
        lines.append(f"    from .resources.{ns} import {cls}, {cls}WithRawResponse")
    lines += ["", "NAMESPACES = (" + "".join(f"{ns!r}, " for ns in namespaces) + ")"]
    lines += [
        "# namespaces upstream renamed or emptied: only deprecated aliases, warning on first use",
        "DEPRECATED_NAMESPACES = (" + "".join(f"{ns!r}, " for ns in sorted(deprecated)) + ")",
        "",
    ]
    lines.append(
        "# operationId -> (namespace, method): how to reach each operation from the client"
    )
    lines.append("FACADE_NAMES: dict[str, tuple[str, str]] = {")
    pairs = sorted((m.operation_id, ns, m.name) for ns, ms in namespaces.items() for m in ms)
    lines += [f"    {oid!r}: ({ns!r}, {name!r})," for oid, ns, name in pairs]
    lines += ["}", "", ""]
    lines += ["class Namespaces:", '    """One attribute per API tag, e.g. ``client.lead``."""']
    lines += [
        "",
        "    @cached_property",
        "    def with_raw_response(self) -> RawNamespaces:",
        '        """The same calls, answering with the raw response: status, headers, the request',
        '        and ``.parse()`` for the result, e.g. ``client.with_raw_response.lead.get(id)``."""',
        "        return RawNamespaces(self)",
    ]
    for ns, methods in namespaces.items():
        tag = methods[0].op["tags"][0]
        cls = _class_name(ns)
        lines += [
            "",
            "    @cached_property",
            f"    def {ns}(self) -> {cls}:",
            f'        """The {tag} operations ({len(methods)})."""',
            f"        from .resources.{ns} import {cls}",
            "",
            f'        return {cls}(cast("_BaseClient", self))',
        ]
    for ns, aliases in sorted(deprecated.items()):
        cls = _class_name(ns)
        use = ", ".join(sorted({f"client.{a.target.tag_module}" for a in aliases}))
        lines += [
            "",
            "    @cached_property",
            f"    def {ns}(self) -> {cls}:",
            f'        """Deprecated: use ``{use}``."""',
            f"        from .resources.{ns} import {cls}",
            "",
            f'        _warnings.warn("client.{ns} is deprecated: use {use}", DeprecationWarning, '
            "stacklevel=3)",
            f'        return {cls}(cast("_BaseClient", self))',
        ]
    lines += ["", "", "class RawNamespaces:"]
    lines += ['    """``client.with_raw_response``: one attribute per API tag."""', ""]
    lines += [
        "    def __init__(self, client: Namespaces) -> None:",
        "        self._client = client",
    ]
    for ns in namespaces:
        cls = _class_name(ns) + "WithRawResponse"
        lines += [
            "",
            "    @cached_property",
            f"    def {ns}(self) -> {cls}:",
            f"        from .resources.{ns} import {cls}",
            "",
            f"        return {cls}(self._client.{ns})",
        ]
    raw = "client.with_raw_response"
    for ns, aliases in sorted(deprecated.items()):
        cls = _class_name(ns)
        use = ", ".join(sorted({f"{raw}.{a.target.tag_module}" for a in aliases}))
        lines += [
            "",
            "    @cached_property",
            f"    def {ns}(self) -> {cls}WithRawResponse:",
            f'        """Deprecated: use ``{use}``."""',
            f"        from .resources.{ns} import {cls}, {cls}WithRawResponse",
            "",
            f'        _warnings.warn("{raw}.{ns} is deprecated: use {use}", DeprecationWarning, '
            "stacklevel=3)",
            f'        return {cls}WithRawResponse({cls}(cast("_BaseClient", self._client)))',
        ]
    return "\n".join(lines) + "\n"


def reference_markdown(
    namespaces: dict[str, list[Method]], aliases: list[Alias] | None = None
) -> str:
    """docs/reference.md: every operation, its facade call, its scopes and its parameters;
    then the deprecated aliases still served (their namespaces are listed nowhere else)."""
    out = [
        "<!-- DO NOT EDIT: generated by scripts/codegen/gen_facade.py from openapi.yaml. "
        "Rebuild with: make regen -->",
        "",
        "# Operation reference",
        "",
        f"{sum(len(m) for m in namespaces.values())} operations in {len(namespaces)} namespaces. "
        "Paginated calls can be awaited (one page) or iterated with `async for` (every item).",
        "Every call also takes `extra_headers=`, `extra_query=`, `extra_body=` and `timeout=`.",
        "Nested objects are plain dicts (their TypedDicts are in `instantly_async.types`).",
        "",
        "retry: `safe` and `idempotent` calls are retried after 5xx, timeouts and dropped "
        "connections; `unsafe` ones only when the request never left or on 429 "
        "(see guides/retries.md).",
        "",
    ]
    if aliases:
        out += [
            "## Deprecated aliases",
            "",
            "Former names of calls, still served for the next minor version after the one that "
            "deprecated them; each warns (`DeprecationWarning`) with the call to use "
            "(see guides/regeneration.md).",
            "",
            "| deprecated call | use | deprecated in | removed in |",
            "|---|---|---|---|",
        ]
        for a in sorted(aliases, key=lambda a: (a.namespace, a.name)):
            link = f"[`{a.new}`](#{_anchor(a.target.tag_module, a.target.name)})"
            out.append(f"| `{a.old}` | {link} | {a.since or '-'} | {a.removed_in or '-'} |")
        out.append("")
    for ns, methods in namespaces.items():
        out += [f"## `client.{ns}`", ""]
        out += ["| call | HTTP | operationId | scopes | retry |", "|---|---|---|---|---|"]
        for m in methods:
            call = f"[`{m.name}()`](#{_anchor(ns, m.name)})" + (
                " (paginated)" if m.pagination else ""
            )
            scopes = scope_text(m.op, "`") or "-"
            http = f"`{m.op['x-method'].upper()} {m.op['x-path']}`"
            retry = m.op.get("x-retry", "unsafe")
            out.append(f"| {call} | {http} | `{m.operation_id}` | {scopes} | {retry} |")
        out.append("")
        for m in methods:
            out += _reference_params(ns, m)
    return "\n".join(out)


def _anchor(ns: str, name: str) -> str:
    return f"{ns}-{name}".replace("_", "-")


def _reference_params(ns: str, m: Method) -> list[str]:
    out = [
        f'<a id="{_anchor(ns, m.name)}"></a>',
        f"### `client.{ns}.{m.name}()`",
        "",
        f"`{m.op['x-method'].upper()} {m.op['x-path']}` (`{m.operation_id}`)",
        "",
    ]
    raw = {p["name"]: p for p in m.op.get("parameters", []) if p.get("in") == "path"}
    rows: list[tuple[str, str, str]] = []
    for p in m.endpoint.path_parameters:
        schema = (raw.get(p.name) or {}).get("schema") or {}
        rows.append((str(p.python_name), "path", gen_params.param_doc(m.spec, schema, True)))
    for f in m.fields_rendered:
        typed = ", ".join(f"`{t}`" for t in f.typed_dicts)
        rows.append((f.name, f.where, f.doc + (f" ({typed})" if typed else "")))
        rows += [(path, "body", doc) for path, doc in f.nested]
    if not rows:
        return [*out, "No parameters.", ""]
    out += ["| parameter | in | type, required, values |", "|---|---|---|"]
    for name, where, doc in rows:
        out.append(f"| `{name}` | {where} | {_md(doc)} |")
    return [*out, ""]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def generate(
    spec: dict[str, Any],
    out_dir: Path,
    config_path: Path | None = None,
    names: naming.MethodNames | None = None,
) -> None:
    """Write operations.py, namespaces.py, resources/ and params/ into the generated package.

    ``names``: the facade names from the names lock (default: the naming rule alone).
    """
    config_path = config_path or ROOT / "generator-config.yaml"
    namespaces = _namespaces(spec, load_generator_data(spec, config_path), names)
    by_id = {m.operation_id: m for ms in namespaces.values() for m in ms}
    aliases: dict[str, list[Alias]] = {}
    for (ns, old), oid in sorted((names.aliases if names is not None else {}).items()):
        alias = Alias(old, ns, by_id[oid], names.since(ns, old) if names is not None else None)
        aliases.setdefault(ns, []).append(alias)
    deprecated = {ns: found for ns, found in aliases.items() if ns not in namespaces}
    (out_dir / "operations.py").write_text(render_operations(spec), encoding="utf-8")
    resources = out_dir / "resources"
    resources.mkdir(exist_ok=True)
    (resources / "__init__.py").write_text(
        '"""One module per namespace of ``AsyncInstantly``."""\n', encoding="utf-8"
    )
    (resources / "_support.py").write_text(SUPPORT, encoding="utf-8")
    params_dir = out_dir / "params"
    params_dir.mkdir(exist_ok=True)
    typed_dicts: dict[str, str] = {}
    # every method first: an alias copies its target's signature, maybe from another namespace
    params_of = {ns: gen_params.Params(spec) for ns in namespaces}
    bodies = {ns: [m.render(params_of[ns]) for m in ms] for ns, ms in namespaces.items()}
    for ns in sorted([*namespaces, *deprecated]):
        params = params_of[ns] if ns in params_of else gen_params.Params(spec)
        text = render_resource(
            ns, namespaces.get(ns, []), params, aliases.get(ns), bodies=bodies.get(ns)
        )
        (resources / f"{ns}.py").write_text(text, encoding="utf-8")
        if params.typed_dicts:
            (params_dir / f"{ns}.py").write_text(params.render_typed_dicts(ns), encoding="utf-8")
            for td in params.typed_dicts:
                if td.name in typed_dicts:
                    raise RuntimeError(
                        f"TypedDict {td.name} generated in {ns} and {typed_dicts[td.name]}"
                    )
                typed_dicts[td.name] = ns
    (out_dir / "namespaces.py").write_text(
        render_namespaces(namespaces, deprecated), encoding="utf-8"
    )
    (params_dir / "__init__.py").write_text(render_params_init(typed_dicts), encoding="utf-8")
    # regen.py moves this out of the package, to docs/reference.md
    every_alias = [a for found in aliases.values() for a in found]
    (out_dir / "_reference.md").write_text(
        reference_markdown(namespaces, every_alias), encoding="utf-8"
    )


def render_params_init(typed_dicts: dict[str, str]) -> str:
    """params/__init__.py: every request TypedDict by name, imported on first use."""
    names = sorted(typed_dicts)
    lines = [
        '"""TypedDicts of the request bodies (public as ``instantly_async.types``)."""',
        "",
        "from importlib import import_module",
        "from typing import TYPE_CHECKING, Any" if names else "from typing import Any",
        "",
        *(["if TYPE_CHECKING:"] if names else []),
        *(f"    from .{typed_dicts[n]} import {n} as {n}" for n in names),
        "",
        "_LAZY_IMPORTS: dict[str, str] = {",
        *(f"    {n!r}: {'.' + typed_dicts[n]!r}," for n in names),
        "}",
        "",
        "__all__ = (" + "".join(f"{n!r}, " for n in names) + ")",
        "",
        "",
        "def __getattr__(name: str) -> Any:",
        "    module_name = _LAZY_IMPORTS.get(name)",
        "    if module_name is None:",
        '        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
        "    value = getattr(import_module(module_name, __name__), name)",
        "    globals()[name] = value",
        "    return value",
        "",
        "",
        "def __dir__() -> list[str]:",
        "    return sorted({*globals(), *__all__})",
        "",
    ]
    return "\n".join(lines)


def background_job_note(op: dict[str, Any]) -> str:
    """The docstring line of an operation that starts a background job ("" for the others):
    a non-GET operation whose 2xx JSON answer is the ``BackgroundJob`` schema."""
    if op["x-method"] == "get":
        return ""
    for code, response in (op.get("responses") or {}).items():
        if not str(code).startswith("2"):
            continue
        content = (response.get("content") or {}).get("application/json") or {}
        if (content.get("schema") or {}).get("$ref") == "#/components/schemas/BackgroundJob":
            return (
                "Starts a background job and returns it at once; wait for it to finish with "
                "``await client.background_job.wait(job)``."
            )
    return ""
