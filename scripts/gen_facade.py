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

import naming
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import ModelProperty, Property
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol

ROOT = Path(__file__).resolve().parent.parent
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Names a method's own parameters must not take (they are the facade's).
RESERVED_PARAMS = frozenset({"self", "body", "max_items", "fields"})
DANGLING = naming.DANGLING


snake = naming.snake


def method_names(tag: str, operation_ids: list[str]) -> dict[str, str]:
    """Facade method names for a namespace's operations, before the names lock.

    The operationId in snake_case, with the tag's noun (singular or plural) dropped from the
    end when what is left is non-empty, a valid name, and unique within the namespace.
    ``scripts/naming.py`` keeps the names once given (the lock) and adds the reviewed ones.
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
class Method:
    """What the facade generates for one operation."""

    operation_id: str
    name: str
    op: dict[str, Any]
    endpoint: Endpoint
    module: str
    tag_module: str
    imports: set[str] = field(default_factory=set)

    @property
    def pagination(self) -> dict[str, Any] | None:
        value = self.op.get("x-pagination")
        return value if isinstance(value, dict) else None

    def body_model(self) -> ModelProperty | None:
        """The JSON body model whose properties become keyword arguments, if any."""
        bodies = self.endpoint.bodies
        if len(bodies) != 1 or bodies[0].body_type != "json":
            return None
        prop = bodies[0].prop
        if not isinstance(prop, ModelProperty) or prop.required_properties is None:
            return None
        fields = [*(prop.required_properties or []), *(prop.optional_properties or [])]
        ep = self.endpoint
        params = {
            p.python_name for p in ep.path_parameters + ep.query_parameters + ep.header_parameters
        }
        names = {p.python_name for p in fields}
        if not fields or names & (params | RESERVED_PARAMS):
            return None
        return prop

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

    def render(self) -> str:
        ep = self.endpoint
        for p in ep.path_parameters + ep.query_parameters + ep.header_parameters:
            self.imports |= _imports(p)
        path_params = [_param_decl(p) for p in ep.path_parameters]
        kw_params = [_param_decl(p) for p in ep.query_parameters + ep.header_parameters]
        params = ep.path_parameters + ep.query_parameters + ep.header_parameters
        call_args = [f"{p.python_name}={p.python_name}" for p in params]
        body_decl: list[str] = []
        model = self.body_model()
        field_decls: list[str] = []
        if ep.bodies:
            body_prop = ep.bodies[0].prop
            self.imports |= _imports(body_prop)
            body_type = " | ".join(
                dict.fromkeys(
                    _type_str(str(b.prop.get_type_string(no_optional=True).as_unembedded_code()))
                    for b in ep.bodies
                )
            )
            required = all(b.prop.required for b in ep.bodies)
            if model is not None:
                for p in [*(model.required_properties or []), *(model.optional_properties or [])]:
                    self.imports |= _imports(p)
                    field_decls.append(_param_decl(p))
                body_decl = [f"body: {body_type} | Unset = UNSET"]
            elif required:
                body_decl = [f"body: {body_type}"]
            else:
                body_decl = [f"body: {body_type} | Unset = UNSET"]
            call_args.append("body=body")

        pag = self.pagination
        if pag is not None:
            item = _type_str(self.item_type())
            returns = f"AsyncPaginator[{item}]"
            extra = ["max_items: int | None = None"]
        else:
            success = self.success_types()
            returns = _type_str(" | ".join(success)) if success else "None"
            extra = []

        doc = self.docstring(model is not None)
        is_async = pag is None
        head = "async def" if is_async else "def"

        def signature(kw: list[str]) -> str:
            params = ["self", *path_params]
            if kw:
                params += ["*", *kw]
            return f"{head} {self.name}(\n        " + ",\n        ".join(params) + ",\n    )"

        lines: list[str] = []
        if model is not None:
            lines.append("@overload")
            lines.append(f"    {signature(kw_params + field_decls + extra)} -> {returns}: ...")
            lines.append("")
            lines.append("    @overload")
            body_only = [d for d in body_decl]
            body_only[0] = body_only[0].replace(" | Unset = UNSET", "")
            lines.append(f"    {signature(kw_params + body_only + extra)} -> {returns}: ...")
            lines.append("")
            impl_kw = [*kw_params, *body_decl, *extra, "**fields: Any"]
            lines.append(f"    {signature(impl_kw)} -> {returns}:")
        else:
            lines.append(f"{signature(kw_params + body_decl + extra)} -> {returns}:")
        lines.append(f'        """{doc}\n        """')
        lines.append(f"        from ..api.{self.tag_module} import {self.module} as _ep")
        lines.append("")
        for p in ep.path_parameters:
            call = f"{self.tag_module}.{self.name}"
            lines.append(f"        _path({call!r}, {p.python_name!r}, {p.python_name})")
        if model is not None:
            info = model.class_info
            lines.append(f"        from ..models.{info.module_name} import {info.name} as _model")
            lines.append("")
            lines.append(f"        body = _body(_model, body, fields, {self.name!r})")
        args = ", ".join(call_args)
        lines.append(f"        request = _ep._get_kwargs({args})")
        op_ref = f"_OPS[{self.operation_id!r}]"
        if pag is not None:
            lines.append(
                f"        return self._client._paginate({op_ref}, request, "
                "_parser(_ep), max_items=max_items)"
            )
        elif returns == "None":
            lines.append(
                f"        await self._client._call({op_ref}, request, _parser(_ep), "
                "allow_none=True)"
            )
        elif "None" in returns.split(" | "):
            lines.append(
                f"        return cast({returns!r}, await self._client._call({op_ref}, request, "
                "_parser(_ep), allow_none=True))"
            )
        else:
            lines.append(
                f"        return cast({returns!r}, await self._client._call({op_ref}, request, "
                "_parser(_ep)))"
            )
        return "\n".join(lines)

    def docstring(self, expanded: bool) -> str:
        op = self.op
        summary = str(op.get("summary") or self.operation_id).strip().rstrip(".")
        method, path = op["x-method"], op["x-path"]
        parts = [f"{summary}.", "", f"``{method.upper()} {path}`` (``{self.operation_id}``)."]
        scopes = op.get("x-required-scopes")
        if scopes:
            parts.append(f"Scopes: {scope_text(op, '``')}.")
        for limit in op.get("x-rate-limits", []):
            parts.append(f"Limit: {limit['requests']} requests per {limit['seconds']} s.")
        if self.pagination is not None:
            parts.append("Await the result for one page, or ``async for`` over it for every item.")
        if expanded:
            parts.append("Pass the body's fields as keyword arguments, or a ``body`` model.")
        return "\n\n        ".join(p for p in parts if p).replace("\n\n        \n\n", "\n\n")


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
    ops: dict[str, dict[str, Any]] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                ops[op["operationId"]] = {**op, "x-method": method, "x-path": path}
    return ops


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
        else:  # the names lock (scripts/naming.py)
            chosen = {op["operationId"]: names.names[op["operationId"]][1] for op, _ in found}
        methods = [
            Method(
                operation_id=op["operationId"],
                name=chosen[op["operationId"]],
                op=op,
                endpoint=ep,
                module=str(ep.name),
                tag_module=str(tag_module),
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


def render_alias(alias: str, target_namespace: str, target: str, namespace: str) -> str:
    """A deprecated facade name that still works, warning with the name to use."""
    where = "self" if target_namespace == namespace else f"self._client.{target_namespace}"
    new = f"{target_namespace}.{target}()"
    return (
        f"def {alias}(self, *args: Any, **kwargs: Any) -> Any:\n"
        f'        """Deprecated: use ``client.{new}``."""\n'
        f"        _warnings.warn(\n"
        f'            "client.{namespace}.{alias}() is deprecated: use client.{new}",\n'
        f"            DeprecationWarning,\n"
        f"            stacklevel=2,\n"
        f"        )\n"
        f"        return {where}.{target}(*args, **kwargs)"
    )


def render_resource(
    namespace: str, methods: list[Method], aliases: list[tuple[str, str, str]] | None = None
) -> str:
    bodies = [m.render() for m in methods]
    bodies += [render_alias(a, ns, t, namespace) for a, ns, t in aliases or []]
    imports: set[str] = set()
    for m in methods:
        imports |= m.imports
    # UNSET and Unset are needed at run time (defaults); the rest only for annotations
    typing_only = sorted(i for i in imports if not i.startswith("from ..types import"))
    tag = methods[0].op["tags"][0]
    lines = [
        f'"""``client.{namespace}``: the {tag} operations."""',
        "",
        "from __future__ import annotations",
        "",
        "import builtins",
        "import warnings as _warnings",
        "from typing import TYPE_CHECKING, Any, cast, overload",
        "",
        "from ..operations import OPERATIONS as _OPS",
        "from ..types import UNSET, Unset",
        "from ._support import _body, _parser, _path",
        "",
        "if TYPE_CHECKING:",
        "    from ..._client import _BaseClient",
        "    from ..._pagination import AsyncPaginator",
        *(f"    {i}" for i in typing_only),
        "",
        "__all__ = [" + repr(_class_name(namespace)) + "]",
        "",
        "",
        f"class {_class_name(namespace)}:",
        f'    """The {tag} operations, as ``client.{namespace}``."""',
        "",
        "    def __init__(self, client: _BaseClient) -> None:",
        "        self._client = client",
    ]
    for body in bodies:
        lines += ["", "    " + body]
    lines.append("")
    return "\n".join(lines)


SUPPORT = '''"""Helpers the generated resource methods share."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

import httpx

from ..client import Client
from ..types import UNSET, Unset

T = TypeVar("T")

_PARSE_CLIENT = Client(base_url="", raise_on_unexpected_status=False)


def _parser(module: ModuleType) -> Callable[[httpx.Response], Any]:
    """The generated module's response parser, bound to a parse-only client."""
    parse = module._parse_response

    def run(response: httpx.Response) -> Any:
        return parse(client=_PARSE_CLIENT, response=response)

    return run


def _path(method: str, name: str, value: object) -> None:
    """Refuse a value that would not stay one path segment (``.``, ``..``, empty, ...)."""
    from ..._paths import check_value

    check_value(method, name, value)


def _body(model: type[T], body: T | Unset, fields: dict[str, Any], method: str) -> T:
    """The request body: the ``body`` model given, or one built from keyword arguments."""
    if not isinstance(body, Unset):
        if fields:
            raise TypeError(
                f"{method}() takes either body= or the body's fields as keyword arguments, "
                f"not both (got body= and {', '.join(sorted(fields))})"
            )
        if not isinstance(body, model):
            raise TypeError(
                f"{method}() body= must be a {model.__name__}, got {type(body).__name__}"
            )
        return body
    given = {k: v for k, v in fields.items() if v is not UNSET}
    try:
        return model(**given)
    except TypeError as exc:
        raise TypeError(f"{method}(): {exc}".replace("__init__() ", "")) from None
'''


def render_namespaces(namespaces: dict[str, list[Method]]) -> str:
    lines = [
        '"""The ``AsyncInstantly`` namespaces: one attribute per tag, built on first use."""',
        "",
        "from __future__ import annotations",
        "",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING, cast",
        "",
        "if TYPE_CHECKING:",
        "    from .._client import _BaseClient",
    ]
    for ns in namespaces:
        lines.append(f"    from .resources.{ns} import {_class_name(ns)}")
    lines += ["", "NAMESPACES = (" + "".join(f"{ns!r}, " for ns in namespaces) + ")", ""]
    lines.append(
        "# operationId -> (namespace, method): how to reach each operation from the client"
    )
    lines.append("FACADE_NAMES: dict[str, tuple[str, str]] = {")
    pairs = sorted((m.operation_id, ns, m.name) for ns, ms in namespaces.items() for m in ms)
    lines += [f"    {oid!r}: ({ns!r}, {name!r})," for oid, ns, name in pairs]
    lines += ["}", "", ""]
    lines += ["class Namespaces:", '    """One attribute per API tag, e.g. ``client.lead``."""']
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
    return "\n".join(lines) + "\n"


def reference_markdown(namespaces: dict[str, list[Method]]) -> str:
    """docs/reference.md: every operation, its facade call and its scopes."""
    out = [
        "<!-- DO NOT EDIT: generated by scripts/gen_facade.py from openapi.yaml. "
        "Rebuild with: make regen -->",
        "",
        "# Operation reference",
        "",
        f"{sum(len(m) for m in namespaces.values())} operations in {len(namespaces)} namespaces. "
        "Paginated calls can be awaited (one page) or iterated with `async for` (every item).",
        "",
        "retry: `safe` and `idempotent` calls are retried after 5xx, timeouts and dropped "
        "connections; `unsafe` ones only when the request never left or on 429 "
        "(see guides/retries.md).",
        "",
    ]
    for ns, methods in namespaces.items():
        out += [f"## `client.{ns}`", ""]
        out += ["| call | HTTP | operationId | scopes | retry |", "|---|---|---|---|---|"]
        for m in methods:
            call = f"`{m.name}()`" + (" (paginated)" if m.pagination else "")
            scopes = scope_text(m.op, "`") or "-"
            http = f"`{m.op['x-method'].upper()} {m.op['x-path']}`"
            retry = m.op.get("x-retry", "unsafe")
            out.append(f"| {call} | {http} | `{m.operation_id}` | {scopes} | {retry} |")
        out.append("")
    return "\n".join(out)


def generate(
    spec: dict[str, Any],
    out_dir: Path,
    config_path: Path | None = None,
    names: naming.MethodNames | None = None,
) -> None:
    """Write operations.py, namespaces.py and resources/ into the generated package.

    ``names``: the facade names from the names lock (default: the naming rule alone).
    """
    config_path = config_path or ROOT / "generator-config.yaml"
    namespaces = _namespaces(spec, load_generator_data(spec, config_path), names)
    (out_dir / "operations.py").write_text(render_operations(spec), encoding="utf-8")
    (out_dir / "namespaces.py").write_text(render_namespaces(namespaces), encoding="utf-8")
    resources = out_dir / "resources"
    resources.mkdir(exist_ok=True)
    (resources / "__init__.py").write_text(
        '"""One module per namespace of ``AsyncInstantly``."""\n', encoding="utf-8"
    )
    (resources / "_support.py").write_text(SUPPORT, encoding="utf-8")
    for ns, methods in namespaces.items():
        aliases = names.aliases_in(ns) if names is not None else []
        (resources / f"{ns}.py").write_text(render_resource(ns, methods, aliases), encoding="utf-8")
    # regen.py moves this out of the package, to docs/reference.md
    (out_dir / "_reference.md").write_text(reference_markdown(namespaces), encoding="utf-8")
