"""The change report: what a regeneration changes for a user of the SDK (``make regen SPEC=...``).

Compares two normalized documents (the ``openapi.yaml`` before and after) and lists, each entry
marked breaking or not:

* operations added, removed, moved (method or path), renamed (operationId, same wire), moved
  to another tag; with the facade calls the names lock gave them (added, renamed, aliases);
* parameters and request body fields added, removed, retyped, made required;
* response fields removed, retyped, made nullable (or no longer always present); added;
* enum values added or retired;
* scopes and rate limits changed.

Shared component schemas are compared once (``model X``), by the side they are used on
(request, response or both); an operation's own inline schemas under the operation. The
report ends with the semantic version bump that follows: for 0.x a breaking change bumps the
minor version and anything else the patch; from 1.0 on major / minor (additions) / patch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import HTTP_METHODS as HTTP_METHODS
from .common import PYTHON_FORMATS

REF_PREFIX = "#/components/schemas/"
MAX_DEPTH = 12


@dataclass(frozen=True)
class Entry:
    section: str  # Operations | Facade calls | Parameters and body fields | ... (SECTIONS)
    text: str
    breaking: bool = False
    addition: bool = False  # a new capability (minor from 1.0 on)

    def line(self) -> str:
        return f"- {'**breaking** ' if self.breaking else ''}{self.text}"


SECTIONS = (
    "Operations",
    "Facade calls",
    "Parameters and body fields",
    "Response fields",
    "Enum values",
    "Scopes and rate limits",
)


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)
    old_label: str = ""
    new_label: str = ""
    title: str = ""  # instead of "API changes: <old> -> <new>"

    @property
    def breaking(self) -> bool:
        return any(e.breaking for e in self.entries)

    def bump(self) -> str:
        """'breaking', 'addition', 'fix' or 'none' (:func:`next_version` turns it into a version)."""
        if not self.entries:
            return "none"
        if self.breaking:
            return "breaking"
        if any(e.addition for e in self.entries):
            return "addition"
        return "fix"

    def next_version(self, current: str) -> str:
        return next_version(current, self.bump())

    def markdown(self, current_version: str | None = None) -> str:
        title = self.title or f"API changes: {self.old_label} -> {self.new_label}"
        lines = [f"### {title}", ""]
        if not self.entries:
            lines.append("- no change a user of the SDK can see")
        for section in SECTIONS:
            found = [e for e in self.entries if e.section == section]
            if not found:
                continue
            lines += [f"#### {section}", ""]
            lines += [e.line() for e in sorted(found, key=lambda e: (not e.breaking, e.text))]
            lines.append("")
        breaking = sum(e.breaking for e in self.entries)
        summary = f"{len(self.entries)} change(s), {breaking} breaking"
        if current_version is not None:
            new = self.next_version(current_version)
            summary += (
                f": version {current_version} -> {new} ({self.bump_name(current_version)} bump)"
                if new != current_version
                else ": no version bump"
            )
        lines.append(f"Semantic version: {summary}.")
        return "\n".join(lines).rstrip() + "\n"

    def bump_name(self, current: str) -> str:
        major = _parse(current)[0]
        kind = self.bump()
        if kind == "none":
            return "no"
        if kind == "breaking":
            return "minor (breaking, 0.x)" if major == 0 else "major"
        if kind == "addition":
            return "patch (0.x)" if major == 0 else "minor"
        return "patch"


def _parse(version: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version.strip())
    if not m:
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def next_version(current: str, bump: str) -> str:
    major, minor, patch = _parse(current)
    if bump == "none":
        return current
    if bump == "breaking":
        return f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    if bump == "addition" and major > 0:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# --------------------------------------------------------------------------- schema fields


@dataclass(frozen=True)
class Field:
    types: frozenset[str]  # JSON types without null; "Name" (a model) for a $ref
    nullable: bool
    required: bool
    enum: tuple[Any, ...] | None

    def type_text(self) -> str:
        text = " | ".join(sorted(self.types)) or "any"
        return text + (" | null" if self.nullable else "")


def _ref_name(ref: str) -> str:
    return ref[len(REF_PREFIX) :] if ref.startswith(REF_PREFIX) else ref


def _types(schema: dict[str, Any]) -> tuple[set[str], bool]:
    """The JSON types of a schema (a referenced model by name) and whether null is allowed.

    A string whose format gives it a Python type of its own counts as that type:
    ``string (date-time)``, so a format change is a retyping.
    """
    if "$ref" in schema:
        return {_ref_name(schema["$ref"])}, False
    types: set[str] = set()
    nullable = False
    declared = schema.get("type")
    for t in [declared] if isinstance(declared, str) else list(declared or []):
        if t == "null":
            nullable = True
        elif t == "string" and schema.get("format") in PYTHON_FORMATS:
            types.add(f"string ({schema['format']})")
        else:
            types.add(str(t))
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []) or []:
            if isinstance(branch, dict):
                sub, null = _types(branch)
                types |= sub
                nullable = nullable or null
    if "enum" in schema and None in (schema.get("enum") or []):
        nullable = True
    return types, nullable


def _enum(schema: dict[str, Any]) -> tuple[Any, ...] | None:
    values: list[Any] = []
    found = False
    for s in [schema, *[b for k in ("anyOf", "oneOf") for b in schema.get(k, []) or []]]:
        if not isinstance(s, dict):
            continue
        if isinstance(s.get("enum"), list):
            found = True
            values += [v for v in s["enum"] if v is not None]
        elif "const" in s and s["const"] is not None:
            found = True
            values.append(s["const"])
    return tuple(dict.fromkeys(values)) if found else None


def fields(schema: Any, name: str = "", required: bool = True, depth: int = 0) -> dict[str, Field]:
    """Every field of a schema by dotted path (``items[].email``); ``$ref``s are leaves."""
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return {}
    types, nullable = _types(schema)
    found: dict[str, Field] = {}
    if name:
        found[name] = Field(frozenset(types), nullable, required, _enum(schema))
    if "$ref" in schema:
        return found
    branches = [schema, *[b for k in ("anyOf", "oneOf", "allOf") for b in schema.get(k, []) or []]]
    for branch in branches:
        if not isinstance(branch, dict):
            continue
        req = set(branch.get("required", []) or [])
        for prop, sub in (branch.get("properties") or {}).items():
            path = f"{name}.{prop}" if name else str(prop)
            found.update(fields(sub, path, prop in req, depth + 1))
        items = branch.get("items")
        if isinstance(items, dict):
            found.update(fields(items, f"{name}[]", True, depth + 1))
    return found


# --------------------------------------------------------------------------- documents


def operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """operationId -> operation (with ``x-method`` and ``x-path``)."""
    ops: dict[str, dict[str, Any]] = {}
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict) and "operationId" in op:
                ops[op["operationId"]] = {**op, "x-method": method.upper(), "x-path": path}
    return ops


def _wire(op: dict[str, Any]) -> str:
    return f"{op['x-method']} {re.sub(r'{[^}]*}', '{}', op['x-path'])}"


def _http(op: dict[str, Any]) -> str:
    return f"`{op['x-method']} {op['x-path']}`"


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str):
            yield _ref_name(schema["$ref"])
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def _closure(names: Iterable[str], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def _request_schemas(op: dict[str, Any]) -> list[Any]:
    found = [p.get("schema") for p in op.get("parameters", []) or []]
    body = op.get("requestBody") or {}
    found += [m.get("schema") for m in (body.get("content") or {}).values()]
    return found


def _response_schemas(op: dict[str, Any]) -> list[Any]:
    found = []
    for status, resp in (op.get("responses") or {}).items():
        if str(status).startswith("2"):
            found += [m.get("schema") for m in (resp.get("content") or {}).values()]
    return found


def sides(doc: dict[str, Any]) -> dict[str, set[str]]:
    """Component schema -> {"request", "response"}: where the SDK's users meet it."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    request: set[str] = set()
    response: set[str] = set()
    for op in operations(doc).values():
        request |= _closure((n for s in _request_schemas(op) for n in _refs(s)), schemas)
        response |= _closure((n for s in _response_schemas(op) for n in _refs(s)), schemas)
    result: dict[str, set[str]] = {}
    for name in schemas:
        result[name] = ({"request"} if name in request else set()) | (
            {"response"} if name in response else set()
        )
    return result


def _compare_fields(
    where: str,
    old: dict[str, Field],
    new: dict[str, Field],
    side: set[str],
) -> list[Entry]:
    """Field changes of one schema, judged for the side(s) it is used on."""
    request, response = "request" in side, "response" in side
    body = "Parameters and body fields" if request else "Response fields"
    entries: list[Entry] = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        label = f"{where}: field `{path}`"
        if a is None and b is not None:
            parent = _parent(path)
            if parent and parent in new and parent not in old:
                continue  # inside a field that is new itself
            required = request and b.required
            entries.append(
                Entry(
                    body,
                    f"{label} added ({b.type_text()}{', required' if required else ''})",
                    breaking=required,
                    addition=True,
                )
            )
            continue
        if b is None and a is not None:
            parent = _parent(path)
            if parent and parent in old and parent not in new:
                continue  # inside a field removed itself
            entries.append(Entry(body, f"{label} removed", breaking=True))
            continue
        assert a is not None and b is not None
        if a.types != b.types and a.types and b.types:
            entries.append(
                Entry(body, f"{label} retyped {a.type_text()} -> {b.type_text()}", breaking=True)
            )
        if response and b.nullable and not a.nullable:
            entries.append(Entry("Response fields", f"{label} made nullable", breaking=True))
        if request and b.required and not a.required:
            entries.append(Entry(body, f"{label} made required", breaking=True))
        if response and a.required and not b.required and not request:
            entries.append(
                Entry("Response fields", f"{label} no longer always present", breaking=True)
            )
        if a.enum is not None and b.enum is not None:
            added = [v for v in b.enum if v not in a.enum]
            retired = [v for v in a.enum if v not in b.enum]
            if added:
                entries.append(
                    Entry("Enum values", f"{label} gained {_values(added)}", addition=True)
                )
            if retired:
                entries.append(
                    Entry("Enum values", f"{label} retired {_values(retired)}", breaking=request)
                )
    return entries


def _parent(path: str) -> str:
    if path.endswith("[]"):
        return path[:-2]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _values(values: list[Any]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _param_fields(op: dict[str, Any]) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for p in op.get("parameters", []) or []:
        schema = p.get("schema") or {}
        types, nullable = _types(schema)
        found[f"{p.get('in')} {p.get('name')}"] = Field(
            frozenset(types), nullable, bool(p.get("required")), _enum(schema)
        )
    return found


def _first_schema(content: Any) -> Any:
    """The schema of a content map's first media type (JSON comes first upstream)."""
    if not isinstance(content, dict) or not content:
        return None
    media = next(iter(content.values()))
    return media.get("schema") if isinstance(media, dict) else None


def _compare_operation(oid: str, a: dict[str, Any], b: dict[str, Any]) -> list[Entry]:
    entries: list[Entry] = []
    where = f"`{oid}`"
    old_p, new_p = _param_fields(a), _param_fields(b)
    for key in sorted(set(old_p) | set(new_p)):
        pa, pb = old_p.get(key), new_p.get(key)
        label = f"{where}: parameter `{key.split(' ', 1)[1]}` ({key.split(' ', 1)[0]})"
        section = "Parameters and body fields"
        if pa is None and pb is not None:
            req = ", required" if pb.required else ""
            entries.append(
                Entry(section, f"{label} added{req}", breaking=pb.required, addition=True)
            )
        elif pb is None:
            entries.append(Entry(section, f"{label} removed", breaking=True))
        elif pa is not None:
            if pa.types != pb.types and pa.types and pb.types:
                text = f"{label} retyped {pa.type_text()} -> {pb.type_text()}"
                entries.append(Entry(section, text, breaking=True))
            if pb.required and not pa.required:
                entries.append(Entry(section, f"{label} made required", breaking=True))
            if pa.enum is not None and pb.enum is not None:
                added = [v for v in pb.enum if v not in pa.enum]
                retired = [v for v in pa.enum if v not in pb.enum]
                if added:
                    text = f"{label} gained {_values(added)}"
                    entries.append(Entry("Enum values", text, addition=True))
                if retired:
                    text = f"{label} retired {_values(retired)}"
                    entries.append(Entry("Enum values", text, breaking=True))

    def body(op: dict[str, Any]) -> dict[str, Field]:
        return fields(_first_schema((op.get("requestBody") or {}).get("content")), "", True)

    if a.get("requestBody") and not b.get("requestBody"):
        entries.append(Entry("Parameters and body fields", f"{where}: request body removed", True))
    elif b.get("requestBody") and not a.get("requestBody"):
        required = bool(b["requestBody"].get("required"))
        entries.append(
            Entry(
                "Parameters and body fields",
                f"{where}: request body added{' (required)' if required else ''}",
                breaking=required,
                addition=True,
            )
        )
    else:
        entries += _compare_fields(f"{where} body", body(a), body(b), {"request"})

    def responses(op: dict[str, Any]) -> dict[str, dict[str, Field]]:
        out: dict[str, dict[str, Field]] = {}
        for status, resp in (op.get("responses") or {}).items():
            if not str(status).startswith("2"):
                continue
            schema = _first_schema(resp.get("content"))
            out[str(status)] = fields(schema, "", True) if schema is not None else {}
        return out

    ra, rb = responses(a), responses(b)
    for status in sorted(set(ra) & set(rb)):
        entries += _compare_fields(
            f"{where} response {status}", ra[status], rb[status], {"response"}
        )
    for status in sorted(set(ra) - set(rb)):
        text = f"{where}: response {status} no longer documented"
        entries.append(Entry("Response fields", text, breaking=not rb))
    for status in sorted(set(rb) - set(ra)):
        entries.append(Entry("Response fields", f"{where}: response {status} added"))

    def scopes(op: dict[str, Any]) -> list[str]:
        return list(op.get("x-required-scopes") or [])

    sa, sb = scopes(a), scopes(b)
    if sa != sb:
        gone = [s for s in sa if s not in sb]
        new = [s for s in sb if s not in sa]
        parts = []
        if gone:
            parts.append(f"no longer allowed by {_values(gone)}")
        if new:
            parts.append(f"now also allowed by {_values(new)}")
        text = f"{where}: scopes " + ("; ".join(parts) or "reordered")
        entries.append(Entry("Scopes and rate limits", text, breaking=bool(gone and sa)))
    if (a.get("x-required-scope-groups") or []) != (b.get("x-required-scope-groups") or []):
        entries.append(Entry("Scopes and rate limits", f"{where}: scope groups changed", True))
    la, lb = a.get("x-rate-limits") or [], b.get("x-rate-limits") or []
    if la != lb:
        text = f"{where}: rate limits {_limits(la)} -> {_limits(lb)}"
        entries.append(Entry("Scopes and rate limits", text))
    return entries


def _limits(limits: list[dict[str, Any]]) -> str:
    if not limits:
        return "none stated"
    return ", ".join(f"{x.get('requests')}/{x.get('seconds')}s" for x in limits)


def _label(doc: dict[str, Any]) -> str:
    info = doc.get("info") or {}
    date = info.get("x-upstream-date")
    sha = str(info.get("x-upstream-sha256") or "")[:12]
    parts = [str(info.get("version") or "?")]
    if date:
        parts.append(str(date))
    if sha:
        parts.append(f"sha256 {sha}")
    return " ".join(parts)


def compare(
    old: dict[str, Any],
    new: dict[str, Any],
    facade: Iterable[Any] = (),
) -> Report:
    """The change report from ``old`` to ``new`` (normalized documents).

    ``facade``: the names lock's changes for this regeneration (``naming.Change``): renamed,
    moved and upstream-renamed calls and their deprecated aliases.
    """
    report = Report(old_label=_label(old), new_label=_label(new))
    entries = report.entries
    facade = list(facade)
    calls: dict[tuple[str, str], str] = {}  # (kind, operationId) -> "ns.method()"
    for change in facade:
        kind = getattr(change, "kind", "")
        m = re.fullmatch(r"(\S+\(\)) \(([^,]+), .*\)", getattr(change, "text", ""))
        if kind in ("added", "removed") and m:
            calls[(kind, m.group(2))] = m.group(1)
    a_ops, b_ops = operations(old), operations(new)
    renamed: dict[str, str] = {}  # new operationId -> old one (same wire)
    gone = {_wire(op): oid for oid, op in a_ops.items() if oid not in b_ops}
    for oid, op in b_ops.items():
        if oid not in a_ops and _wire(op) in gone:
            renamed[oid] = gone.pop(_wire(op))
    for oid in sorted(set(b_ops) - set(a_ops) - set(renamed)):
        text = f"added {_http(b_ops[oid])} (`{oid}`)"
        if ("added", oid) in calls:
            text += f" as `client.{calls.pop(('added', oid))}`"
        entries.append(Entry("Operations", text, addition=True))
    for oid in sorted(set(a_ops) - set(b_ops) - set(renamed.values())):
        text = f"removed {_http(a_ops[oid])} (`{oid}`)"
        if ("removed", oid) in calls:
            text += f", was `client.{calls.pop(('removed', oid))}`"
        entries.append(Entry("Operations", text, True))
    for new_id, old_id in sorted(renamed.items()):
        text = f"operationId `{old_id}` renamed `{new_id}` ({_http(b_ops[new_id])}, same wire)"
        entries.append(Entry("Operations", text))
    pairs = [(oid, a_ops[oid], b_ops[oid]) for oid in sorted(set(a_ops) & set(b_ops))]
    pairs += [(n, a_ops[o], b_ops[n]) for n, o in sorted(renamed.items())]
    for oid, a, b in pairs:
        if (a["x-method"], a["x-path"]) != (b["x-method"], b["x-path"]):
            text = f"`{oid}` moved {_http(a)} -> {_http(b)}"
            entries.append(Entry("Operations", text))
        ta, tb = (a.get("tags") or ["-"])[0], (b.get("tags") or ["-"])[0]
        if ta != tb:
            entries.append(Entry("Operations", f"`{oid}` moved from tag {ta} to {tb}"))
        entries.extend(_compare_operation(oid, a, b))

    a_schemas = (old.get("components") or {}).get("schemas") or {}
    b_schemas = (new.get("components") or {}).get("schemas") or {}
    a_sides, b_sides = sides(old), sides(new)
    for name in sorted(set(a_schemas) & set(b_schemas)):
        side = a_sides.get(name, set()) | b_sides.get(name, set())
        if not side:
            continue
        where = f"model `{name}`"
        entries += _compare_fields(
            where, fields(a_schemas[name]), fields(b_schemas[name]), side or {"response"}
        )
    for change in facade:
        kind = getattr(change, "kind", "")
        if kind == "alias-expired":  # "removed deprecated alias client.x.y() (...): use ..."
            entries.append(Entry("Facade calls", str(change.text), breaking=True))
        elif kind in ("renamed", "moved", "upstream-renamed", "alias-dropped"):
            text = str(change)
            if kind in ("renamed", "moved") or "->" in text.split(": ", 1)[-1].split(" (")[0]:
                text += " (the old name stays as a deprecated alias)"
            entries.append(Entry("Facade calls", text, breaking=bool(change.breaking)))
        elif kind in ("added", "removed"):
            m = re.fullmatch(r"(\S+\(\)) \(([^,]+), .*\)", change.text)
            if m and (kind, m.group(2)) not in calls:
                continue  # told with its operation above
            breaking = kind == "removed"
            entries.append(Entry("Facade calls", str(change), breaking, addition=not breaking))
    return report


# --------------------------------------------------------------------------- CHANGELOG.md

START = "<!-- api-changes: {key} -->"
END = "<!-- /api-changes -->"


def write_changelog(path: Path, report: Report, key: str, current_version: str | None) -> None:
    """Put the report into the changelog's Unreleased section (replacing one for ``key``)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Changelog\n"
    block = f"{START.format(key=key)}\n{report.markdown(current_version)}{END}\n"
    start = START.format(key=key)
    if start in text:
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(END + "\n")
        path.write_text(before + block + after, encoding="utf-8", newline="\n")
        return
    m = re.search(r"^## \[?Unreleased\]?[^\n]*\n", text, re.MULTILINE)
    if m is None:
        head, sep, tail = text.partition("\n## ")
        text = f"{head.rstrip()}\n\n## [Unreleased]\n\n{block}\n" + (f"## {tail}" if sep else "")
    else:
        text = f"{text[: m.end()]}\n{block}{text[m.end() :]}"
    path.write_text(text, encoding="utf-8", newline="\n")


def apply_version(root: Path, new: str) -> list[Path]:
    """Write version ``new`` into pyproject.toml and instantly_async/_version.py."""
    changed = []
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    updated = re.sub(r'(?m)^version = "[^"]+"', f'version = "{new}"', text, count=1)
    if updated != text:
        pyproject.write_text(updated, encoding="utf-8", newline="\n")
        changed.append(pyproject)
    module = root / "instantly_async" / "_version.py"
    text = module.read_text(encoding="utf-8")
    updated = re.sub(r'__version__ = "[^"]+"', f'__version__ = "{new}"', text, count=1)
    if updated != text:
        module.write_text(updated, encoding="utf-8", newline="\n")
        changed.append(module)
    return changed


def current_version(root: Path) -> str:
    text = (root / "instantly_async" / "_version.py").read_text(encoding="utf-8")
    m = re.search(r'__version__ = "([^"]+)"', text)
    if m is None:
        raise ValueError("instantly_async/_version.py has no __version__")
    return m.group(1)
