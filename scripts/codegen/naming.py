"""The names lock: public names move only for upstream reasons (``scripts/names/lock.yaml``).

Three kinds of public names come out of regeneration, and each is locked:

* facade calls: ``operationId -> namespace.method`` (with the operation's method and path, so an
  operation upstream renames while the wire stays the same is recognised);
* shared error bodies: ``signature -> component schema name`` (the signature is the statuses,
  the ``error`` text and the property names: nothing that a frequency or an example changes);
* model classes: ``schema location in openapi.yaml -> class name``.

Regeneration extends the lock with what is new and never rewrites an entry on its own. A
locked method name changes only through the reviewed table ``scripts/names/readable.yaml``
applied with ``make regen RENAME=1``; an operation upstream moved to another tag, or renamed
while the wire serves it the same way, gets its new name and keeps the old one as a deprecated
alias. Locked class names are enforced through the generator's ``class_overrides``.
"""

from __future__ import annotations

import copy
import keyword
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .common import operations as operations
from .common import snake as snake

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "scripts" / "names" / "lock.yaml"
READABLE = ROOT / "scripts" / "names" / "readable.yaml"

LOCK_HEADER = """\
# The names lock (scripts/codegen/naming.py): public names of the SDK, extended by `make regen`,
# never rewritten by it. Changing a locked method name takes the reviewed table
# scripts/names/readable.yaml and `make regen RENAME=1`; the old name stays as a deprecated alias.
#   methods:      operationId -> {name: namespace.method, http: METHOD /path}
#   aliases:      namespace.old_name -> {operation: operationId, since: SDK version} (deprecated
#                 facade names still served; removed once the version reaches X.(Y+2).0 for since X.Y.Z)
#   error_bodies: shared error body signature -> component schema name
#   classes:      schema location in openapi.yaml -> model class name
"""


class NamingError(Exception):
    """A name cannot be given without an explicit decision (the message says which)."""


def _esc(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


# --------------------------------------------------------------------------- the lock file


@dataclass
class Lock:
    methods: dict[str, dict[str, str]] = field(default_factory=dict)
    # "namespace.old" -> {"operation": operationId, "since": SDK version it was deprecated in}
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    error_bodies: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = LOCK) -> Lock:
        if not path.is_file():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise NamingError(f"{path}: not a names lock")
        return cls(
            methods={str(k): dict(v) for k, v in (data.get("methods") or {}).items()},
            aliases={str(k): _alias_entry(v) for k, v in (data.get("aliases") or {}).items()},
            error_bodies={str(k): str(v) for k, v in (data.get("error_bodies") or {}).items()},
            classes={str(k): str(v) for k, v in (data.get("classes") or {}).items()},
        )

    def dump(self) -> str:
        data = {
            "methods": {k: self.methods[k] for k in sorted(self.methods)},
            "aliases": {k: self.aliases[k] for k in sorted(self.aliases)},
            "error_bodies": {k: self.error_bodies[k] for k in sorted(self.error_bodies)},
            "classes": {k: self.classes[k] for k in sorted(self.classes)},
        }
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)
        return LOCK_HEADER + body

    def save(self, path: Path = LOCK) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dump(), encoding="utf-8", newline="\n")

    def copy(self) -> Lock:
        return copy.deepcopy(self)


def _alias_entry(value: Any) -> dict[str, str]:
    """A lock's alias entry; the first format (``ns.old: operationId``) has no version yet."""
    if isinstance(value, dict):
        entry = {"operation": str(value["operation"])}
        if value.get("since") is not None:
            entry["since"] = str(value["since"])
        return entry
    return {"operation": str(value)}


def _version(text: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text.strip())
    if m is None:
        raise NamingError(f"not a MAJOR.MINOR.PATCH version: {text!r}")
    return int(m[1]), int(m[2]), int(m[3])


def alias_removed_in(since: str) -> str:
    """The SDK version from which an alias deprecated in version ``since`` is gone.

    An alias is kept for the next minor version: deprecated while the SDK is at X.Y.Z, it is
    served by every X.Y and X.(Y+1) release and removed from X.(Y+2).0 on (or from the next
    major version, whichever comes first).
    """
    major, minor, _ = _version(since)
    return f"{major}.{minor + 2}.0"


def alias_expired(since: str, version: str) -> bool:
    """Whether an alias deprecated in ``since`` is no longer served at SDK ``version``."""
    return _version(version) >= _version(alias_removed_in(since))


def load_readable(path: Path = READABLE) -> dict[str, str]:
    """The reviewed table: operationId -> readable method name."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise NamingError(f"{path}: must map operationIds to method names")
    table = {str(k): str(v) for k, v in data.items()}
    for oid, name in table.items():
        if not _valid_method(name):
            raise NamingError(f"{path}: {oid}: {name!r} is not a valid method name")
    return table


def _valid_method(name: str) -> bool:
    return bool(name) and name.isidentifier() and not keyword.iskeyword(name) and name[0] != "_"


# --------------------------------------------------------------------------- facade methods

# A name may not end on these once the noun is dropped ("disable_warmup_for" reads wrong).
DANGLING = frozenset({"for", "to", "from", "by", "of", "in", "into", "with", "on", "at"})


def default_method_names(tag: str, operation_ids: list[str]) -> dict[str, str]:
    """Facade method names for a namespace's operations, with no lock (the naming rule).

    The operationId in snake_case, with the tag's noun (singular or plural) dropped from the
    end when what is left is non-empty, a valid name, and unique within the namespace.
    """
    noun = snake(tag)
    nouns = {noun, noun + "s", noun + "es"}
    if noun.endswith("s"):
        nouns.add(noun[:-1])
    full = {oid: snake(oid) for oid in operation_ids}
    short: dict[str, str] = {}
    for oid, name in full.items():
        short[oid] = name
        for n in sorted(nouns, key=len, reverse=True):
            if name.endswith("_" + n):
                short[oid] = name[: -len(n) - 1]
                break
    taken: dict[str, int] = {}
    for oid in operation_ids:
        taken[short[oid]] = taken.get(short[oid], 0) + 1
    result: dict[str, str] = {}
    for oid in operation_ids:
        name = short[oid]
        ok = (
            name
            and name.rsplit("_", 1)[-1] not in DANGLING
            and _valid_method(name)
            and taken[name] == 1
            and (name == full[oid] or name not in full.values())
        )
        result[oid] = name if ok else full[oid]
    if len(set(result.values())) != len(result):
        raise ValueError(f"method names clash in namespace {tag!r}: {sorted(result.values())}")
    return result


@dataclass(frozen=True)
class OperationInfo:
    """What naming needs to know of an operation."""

    operation_id: str
    namespace: str  # the generator's module for the tag (``api/<namespace>/``)
    tag: str
    http: str  # "POST /api/v2/leads"


@dataclass
class Change:
    """One line of the names report."""

    kind: str  # added | renamed | moved | upstream-renamed | removed | alias-dropped
    text: str
    breaking: bool = False

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


@dataclass
class MethodNames:
    """The resolved facade names, the deprecated aliases, what changed and the new lock."""

    names: dict[str, tuple[str, str]]  # operationId -> (namespace, method)
    aliases: dict[tuple[str, str], str]  # (namespace, old method) -> operationId
    changes: list[Change]
    lock: Lock
    renames_refused: list[str] = field(default_factory=list)

    def aliases_in(self, namespace: str) -> list[tuple[str, str, str]]:
        """(alias, target namespace, target method) for the aliases living in ``namespace``."""
        found = []
        for (ns, old), oid in sorted(self.aliases.items()):
            if ns == namespace:
                target_ns, target = self.names[oid]
                found.append((old, target_ns, target))
        return found

    def since(self, namespace: str, alias: str) -> str | None:
        """The SDK version an alias was deprecated in (None: not recorded)."""
        return self.lock.aliases.get(f"{namespace}.{alias}", {}).get("since")

    def deprecated_namespaces(self) -> list[str]:
        """Namespaces that only hold deprecated aliases (upstream renamed or emptied the tag)."""
        live = {ns for ns, _ in self.names.values()}
        return sorted({ns for ns, _ in self.aliases} - live)


def _wire(http: str) -> str:
    """A path's shape without parameter names: the wire sees ``{x}`` and ``{y}`` alike."""
    method, _, path = http.partition(" ")
    return f"{method} {re.sub(r'{[^}]*}', '{}', path)}"


def resolve_method_names(
    ops: list[OperationInfo],
    lock: Lock,
    readable: dict[str, str] | None = None,
    *,
    allow_renames: bool = False,
    version: str | None = None,
) -> MethodNames:
    """Facade names for ``ops``: locked ones kept, new ones never displacing a locked one.

    ``readable`` (the reviewed table) may change a locked name only with ``allow_renames``;
    refused changes are listed in ``renames_refused`` (the caller fails with them).
    ``version``: the SDK's version; a new alias records it as ``since``, and aliases it has
    outlived (:func:`alias_expired`) are removed. None: no versions recorded or checked.
    """
    readable = readable or {}
    new_lock = lock.copy()
    changes: list[Change] = []
    refused: list[str] = []
    names: dict[str, tuple[str, str]] = {}
    aliases: dict[tuple[str, str], str] = {}
    by_ns: dict[str, list[OperationInfo]] = {}
    for op in ops:
        by_ns.setdefault(op.namespace, []).append(op)
    current = {op.operation_id for op in ops}
    vanished = {
        _wire(entry.get("http", "")): oid
        for oid, entry in lock.methods.items()
        if oid not in current
    }

    def _outlived(entry: dict[str, str]) -> bool:
        since = entry.get("since")
        return since is not None and version is not None and alias_expired(since, version)

    def alias(namespace: str, method: str, oid: str) -> None:
        aliases[(namespace, method)] = oid
        new_lock.aliases[f"{namespace}.{method}"] = {"operation": oid}
        if version is not None:
            new_lock.aliases[f"{namespace}.{method}"]["since"] = version

    # 1. locked operations keep their names (a reviewed rename needs allow_renames)
    taken: dict[str, set[str]] = {ns: set() for ns in by_ns}
    pending: list[OperationInfo] = []
    for op in ops:
        entry = lock.methods.get(op.operation_id)
        if entry is None:
            pending.append(op)
            continue
        ns, _, method = entry["name"].partition(".")
        if ns != op.namespace:  # upstream moved it to another tag: renamed below, old kept
            pending.append(op)
            continue
        wanted = readable.get(op.operation_id, method)
        if wanted != method:
            if allow_renames:
                changes.append(
                    Change("renamed", f"{ns}.{method}() -> {ns}.{wanted}() (reviewed name)")
                )
                alias(ns, method, op.operation_id)
                method = wanted
            else:
                refused.append(f"{op.operation_id}: {ns}.{method} -> {ns}.{wanted}")
        names[op.operation_id] = (ns, method)
        taken[ns].add(method)
        new_lock.methods[op.operation_id] = {"name": f"{ns}.{method}", "http": op.http}

    # 2. new, moved and upstream-renamed operations: default names that displace nothing
    for key, entry in lock.aliases.items():
        ns, _, old = key.partition(".")
        if ns in taken and not _outlived(entry):
            taken[ns].add(old)
    pending_by_ns: dict[str, list[OperationInfo]] = {}
    for op in pending:
        pending_by_ns.setdefault(op.namespace, []).append(op)
    for ns, news in sorted(pending_by_ns.items()):
        tag = news[0].tag
        everyone = [o.operation_id for o in by_ns[ns]]
        defaults = default_method_names(tag, everyone)
        for op in sorted(news, key=lambda o: o.operation_id):
            candidates = [readable.get(op.operation_id), defaults[op.operation_id]]
            candidates.append(snake(op.operation_id))
            free = [c for c in candidates if c and c not in taken[ns]]
            if not free:
                raise NamingError(
                    f"{op.operation_id} ({op.http}): every name for it is taken in "
                    f"namespace {ns!r}; add it to scripts/names/readable.yaml"
                )
            method = free[0]
            names[op.operation_id] = (ns, method)
            taken[ns].add(method)
            new_lock.methods[op.operation_id] = {"name": f"{ns}.{method}", "http": op.http}
            entry = lock.methods.get(op.operation_id)
            before = vanished.pop(_wire(op.http), None) if entry is None else None
            if entry is not None:  # moved to another tag
                old_ns, _, old = entry["name"].partition(".")
                changes.append(
                    Change("moved", f"{old_ns}.{old}() -> {ns}.{method}() ({op.operation_id})")
                )
                alias(old_ns, old, op.operation_id)
            elif before is not None:  # upstream renamed the operationId, same wire
                old_ns, _, old = lock.methods[before]["name"].partition(".")
                text = f"{before} -> {op.operation_id} ({op.http})"
                if (old_ns, old) != (ns, method):
                    text += f": {old_ns}.{old}() -> {ns}.{method}()"
                    alias(old_ns, old, op.operation_id)
                changes.append(Change("upstream-renamed", text))
                new_lock.methods.pop(before, None)
                for entry in new_lock.aliases.values():
                    if entry["operation"] == before:  # aliases of the old id follow it
                        entry["operation"] = op.operation_id
            else:
                changes.append(Change("added", f"{ns}.{method}() ({op.operation_id}, {op.http})"))

    # 3. what vanished, and aliases that no longer lead anywhere
    renamed_from = {c.text.split(" -> ")[0] for c in changes if c.kind == "upstream-renamed"}
    for oid, entry in sorted(lock.methods.items()):
        if oid not in current and oid not in renamed_from:
            new_lock.methods.pop(oid, None)
            changes.append(
                Change("removed", f"{entry['name']}() ({oid}, {entry.get('http')})", True)
            )
    # An alias whose namespace is gone (upstream renamed or emptied the tag) is kept: the old
    # namespace lives on as a deprecated one holding only aliases.
    for key, entry in sorted(new_lock.aliases.items()):
        ns, _, old = key.partition(".")
        oid = entry["operation"]
        if version is not None and "since" not in entry:
            entry["since"] = version  # recorded by the first regeneration that knows it
        if oid in names and _outlived(entry):
            del new_lock.aliases[key]
            aliases.pop((ns, old), None)
            target_ns, target = names[oid]
            changes.append(
                Change(
                    "alias-expired",
                    f"removed deprecated alias client.{key}() (deprecated in {entry['since']}, "
                    f"removed in {alias_removed_in(entry['since'])}): "
                    f"use client.{target_ns}.{target}()",
                    True,
                )
            )
            continue
        why = None
        if oid not in names:
            why = "its operation is gone"
        elif (ns, old) in {v for v in names.values()}:
            why = "a method of that name exists"
        if why is not None:
            del new_lock.aliases[key]
            aliases.pop((ns, old), None)
            changes.append(Change("alias-dropped", f"{key}() ({why})", True))
            continue
        aliases[(ns, old)] = oid
    return MethodNames(names, aliases, changes, new_lock, refused)


def operation_infos(doc: dict[str, Any]) -> list[OperationInfo]:
    """Every operation of a normalized document, with the generator's namespace for its tag."""
    from openapi_python_client.strings import PythonIdentifier

    infos = []
    for path, method, op in operations(doc):
        tag = (op.get("tags") or ["default"])[0]
        infos.append(
            OperationInfo(
                operation_id=op["operationId"],
                namespace=str(PythonIdentifier(value=tag, prefix="tag")),
                tag=tag,
                http=f"{method.upper()} {path}",
            )
        )
    return infos


# --------------------------------------------------------------------------- error bodies


def error_signature(schema: dict[str, Any]) -> str:
    """What names a shared error body: its ``statusCode`` and ``error`` values, its properties.

    Taken from the body alone (without examples): neither how often nor under which statuses
    it is used enters it, so one more use or a reworded example never renames it.
    """
    found = schema.get("properties")
    props: dict[str, Any] = found if isinstance(found, dict) else {}

    def fixed(name: str) -> str:
        prop = props.get(name)
        if not isinstance(prop, dict):
            return ""
        value = prop.get("const", prop.get("enum"))
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
        return "" if value is None or isinstance(value, (dict, list)) else str(value)

    return f"{fixed('statusCode') or '-'} {fixed('error')!r} [{','.join(sorted(props))}]"


# --------------------------------------------------------------------------- model classes


@contextmanager
def _tracking_copies() -> Iterator[dict[int, Any]]:
    """While parsing, remember which schema object each generator-made copy came from."""
    from openapi_python_client.schema.openapi_schema_pydantic import Schema

    copies: dict[int, Any] = {}
    original = Schema.model_copy

    def model_copy(self: Any, *args: Any, **kwargs: Any) -> Any:
        new = original(self, *args, **kwargs)
        copies[id(new)] = self
        return new

    Schema.model_copy = model_copy  # type: ignore[method-assign]
    try:
        yield copies
    finally:
        Schema.model_copy = original  # type: ignore[method-assign]


def _pointers(obj: Any, ptr: str, found: dict[int, str], keep: list[Any]) -> None:
    """id(schema object) -> its JSON pointer, over the parsed document's pydantic tree."""
    from openapi_python_client.schema.openapi_schema_pydantic import Schema
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        if isinstance(obj, Schema):
            found.setdefault(id(obj), ptr)
            keep.append(obj)
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value is not None:
                _pointers(value, f"{ptr}/{_esc(info.alias or name)}", found, keep)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            text = key.get_untrusted_value() if hasattr(key, "get_untrusted_value") else key
            _pointers(value, f"{ptr}/{_esc(text)}", found, keep)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            _pointers(value, f"{ptr}/{i}", found, keep)


def model_classes(
    doc: dict[str, Any], config_path: Path, overrides: dict[str, str]
) -> dict[str, str]:
    """Schema location -> model class name, as the pinned generator names them.

    ``overrides`` (default class name -> locked name) are applied as the generator's
    ``class_overrides``, as regeneration does.
    """
    from openapi_python_client.config import ClassOverride, Config, ConfigFile, MetaType
    from openapi_python_client.parser.openapi import EndpointCollection
    from openapi_python_client.parser.properties import (
        ModelProperty,
        Parameters,
        Schemas,
        build_schemas,
    )
    from openapi_python_client.schema import openapi_schema_pydantic as oai

    config_file = ConfigFile.load_from_path(config_path)
    config_file.class_overrides = {
        **(config_file.class_overrides or {}),
        **{k: ClassOverride.model_validate({"class_name": v}) for k, v in overrides.items()},
    }
    config = Config.from_sources(
        config_file,
        MetaType("none"),
        document_source=ROOT / "openapi.yaml",
        file_encoding="utf-8",
        overwrite=True,
        output_path=None,
    )
    with _tracking_copies() as copies:
        openapi = oai.OpenAPI.model_validate(doc)
        pointers: dict[int, str] = {}
        keep: list[Any] = []
        _pointers(openapi, "", pointers, keep)
        schemas = Schemas()
        if openapi.components and openapi.components.schemas:
            schemas = build_schemas(
                components=openapi.components.schemas, schemas=schemas, config=config
            )
        _, schemas, _ = EndpointCollection.from_data(
            data=openapi.paths,
            schemas=schemas,
            parameters=Parameters(),
            request_bodies=(openapi.components and openapi.components.requestBodies) or {},
            responses=(openapi.components and openapi.components.responses) or {},
            config=config,
        )
        found: dict[str, str] = {}
        for prop in schemas.classes_by_name.values():
            if not isinstance(prop, ModelProperty):
                continue
            data: Any = prop.data
            while id(data) not in pointers and id(data) in copies:
                data = copies[id(data)]
            ptr = pointers.get(id(data))
            if ptr is not None:
                found.setdefault(ptr, str(prop.class_info.name))
    return found


@dataclass
class ClassNames:
    overrides: dict[str, str]  # default class name -> locked name (generator class_overrides)
    classes: dict[str, str]  # location -> class name, as generated with the overrides
    changes: list[Change]
    lock: Lock


def resolve_class_names(doc: dict[str, Any], config_path: Path, lock: Lock) -> ClassNames:
    """Locked class names enforced (overrides), new locations added to the lock."""
    overrides: dict[str, str] = {}
    for _round in range(8):  # a parent's name feeds its children's: repeat until stable
        classes = model_classes(doc, config_path, overrides)
        wrong = {
            name: lock.classes[ptr]
            for ptr, name in classes.items()
            if ptr in lock.classes and lock.classes[ptr] != name
        }
        if not wrong:
            break
        overrides.update(wrong)
    else:
        raise NamingError(f"locked class names could not be enforced: {sorted(wrong)[:5]}")
    new_lock = lock.copy()
    changes: list[Change] = []
    taken = set(classes.values())
    for ptr, name in sorted(classes.items()):
        if ptr not in lock.classes:
            new_lock.classes[ptr] = name
            changes.append(Change("class-added", f"{name} ({ptr})"))
    for ptr, name in sorted(lock.classes.items()):
        if ptr not in classes:
            del new_lock.classes[ptr]
            if name not in taken:
                changes.append(Change("class-removed", f"{name} ({ptr})", True))
    return ClassNames(overrides, classes, changes, new_lock)
