"""What every rule shares: the error, JSON pointers, names, and the states rules change."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .. import naming
from ..rules import Rule, run

REF_PREFIX = "#/components/schemas/"


class NormalizeError(Exception):
    """The upstream document has something the normalizer cannot turn into facts."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer}: {message}")
        self.pointer = pointer
        self.message = message


def esc(token: object) -> str:
    """``token`` escaped as one JSON pointer segment."""
    return str(token).replace("~", "~0").replace("/", "~1")


def as_object(value: Any, ptr: str, what: str) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an error naming ``ptr``."""
    if not isinstance(value, dict):
        raise NormalizeError(ptr, f"{what} must be an object, got {type(value).__name__}")
    return value


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


def name_or_fail(convert: Callable[[str], str], text: Any, ptr: str) -> str:
    """``convert(text)``, or an error at ``ptr`` when ``text`` cannot give a Python name."""
    try:
        if not isinstance(text, str):
            raise ValueError(text)
        return convert(text)
    except ValueError:
        raise NormalizeError(ptr, f"{text!r} does not give a valid name") from None


def _schema_rules() -> tuple[Rule[SchemaNode], ...]:
    from .schema import SCHEMA_RULES  # the rule modules import this one

    return SCHEMA_RULES


def _operation_rules() -> tuple[Rule[OperationNode], ...]:
    from .operation import OPERATION_RULES

    return OPERATION_RULES


@dataclass
class State:
    """What the document rules share: the upstream document, the options, the output."""

    src: dict[str, Any]
    """The upstream document, as published."""
    lock: naming.Lock | None = None
    raw: bytes | None = None
    date: str | None = None
    live_overrides: bool = False
    overrides_path: Path | None = None
    schema_rules: tuple[Rule[SchemaNode], ...] = field(default_factory=_schema_rules)
    """Applied to every schema node (``schema()``), in order."""
    operation_rules: tuple[Rule[OperationNode], ...] = field(default_factory=_operation_rules)
    """Applied to every operation (``operation()``), in order."""

    components: dict[str, Any] = field(default_factory=dict)
    """The upstream ``components``."""
    upstream_schemas: dict[str, Any] = field(default_factory=dict)
    """The upstream component schemas, by their upstream names."""
    renames: dict[str, str] = field(default_factory=dict)
    """Upstream schema name -> our component name."""
    out: dict[str, Any] = field(default_factory=dict)
    """Our document, being built."""
    schemas: dict[str, Any] = field(default_factory=dict)
    """Our component schemas, by their new names (filled before the paths)."""
    tags: list[str] = field(default_factory=list)
    error_bodies: dict[str, str] = field(default_factory=dict)
    """Every shared error body of the output: signature -> component name."""
    hoisted: list[str] = field(default_factory=list)
    """The component names of the shared error bodies, in document order."""
    repairs: list[str] = field(default_factory=list)
    """Defects of the upstream document read in their one safe way ("pointer: what")."""

    @property
    def locked_error_bodies(self) -> dict[str, str]:
        """The names lock's error bodies: signature -> component name."""
        return self.lock.error_bodies if self.lock else {}

    @property
    def locked_classes(self) -> dict[str, str]:
        """The names lock's classes: schema location -> class name."""
        return self.lock.classes if self.lock else {}

    def repair(self, ptr: str, what: str) -> None:
        """Record a defect of the upstream document read in its one safe way (reported)."""
        self.repairs.append(f"{ptr}: {what}")

    def ref(self, ref: Any, ptr: str) -> str | None:
        """The renamed ``$ref``; None for a dangling one (recorded as a repair)."""
        if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
            raise NormalizeError(
                ptr, f"unsupported $ref {ref!r} (only {REF_PREFIX}... is understood)"
            )
        name = ref[len(REF_PREFIX) :]
        if name not in self.renames:
            self.repair(
                ptr, f"$ref to a schema that does not exist ({ref!r}), read as an open object"
            )
            return None
        return REF_PREFIX + self.renames[name]

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

    def schema(self, src: Any, ptr: str) -> dict[str, Any]:
        """Our schema for the upstream schema ``src`` at ``ptr`` (``schema_rules``, in order)."""
        return run(self.schema_rules, SchemaNode(self, src, ptr)).out

    def operation(self, src: Any, path: str, method: str, ptr: str) -> dict[str, Any]:
        """Our operation for the upstream one at ``ptr`` (``operation_rules``, in order)."""
        node = OperationNode(self, as_object(src, ptr, "an operation"), path, method, ptr)
        return run(self.operation_rules, node).out


@dataclass
class SchemaNode:
    """One schema being normalized: the upstream node and ours (``out``), at ``ptr``."""

    state: State
    src: Any
    """The upstream schema: an object or a boolean."""
    ptr: str
    out: dict[str, Any] = field(default_factory=dict)


@dataclass
class OperationNode:
    """One operation being normalized: the upstream object and ours (``out``), at ``ptr``."""

    state: State
    src: dict[str, Any]
    path: str
    method: str
    ptr: str
    out: dict[str, Any] = field(default_factory=dict)

    @property
    def prose(self) -> str:
        """The upstream description: scopes and rate limits are stated there."""
        return cast(str, self.src.get("description") or "")
