"""Schema-driven drift fuzzing of every response schema in openapi.yaml.

A valid body is synthesized from each operation's 2xx response schema (tests/contract/_args.py),
then drifted: a required field dropped, an unknown field added, an empty or odd timestamp in a
date or date-time field, an enum value the document does not list, a value of another JSON
type. The lenient reader never raises and gives back every value (``to_dict()`` equals the
drifted body); the strict reader raises naming the JSON pointer of the drift (an unknown field
is not drift).
"""

from __future__ import annotations

import copy
import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _args
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instantly_async._generated.operations import OPERATIONS
from instantly_async._tolerant import (
    ResponseDrift,
    _warned,
    dump,
    parse_date,
    parse_datetime,
    reading,
)

ODD_TIMESTAMPS = ("", "yesterday", "2025-13-45", "2025-09-30T25:61:00Z", "09/30/2025", "17276829x")
KINDS = ("drop", "unknown", "odd_format", "enum", "wrong_type")
Path_ = list[str | int]


@dataclass
class Node:
    path: Path_
    schema: dict[str, Any]
    value: Any
    additional: bool  # an additionalProperties value (its key is not a declared field)


@dataclass
class Case:
    operation_id: str
    status: int
    body: Any
    nodes: list[Node]


def _collect(value: Any, schema: Any, path: Path_, out: list[Node], additional: bool) -> None:
    s = _args._merge_all_of(_args.resolve(schema))
    if "anyOf" in s or "oneOf" in s:
        return  # a union: which member a value is meant for is ambiguous; not drifted
    out.append(Node(path, s, value, additional))
    if isinstance(value, dict):
        props = s.get("properties") or {}
        extra = s.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                _collect(item, props[key], [*path, key], out, False)
            elif isinstance(extra, dict):
                _collect(item, extra, [*path, key], out, True)
    elif isinstance(value, list) and isinstance(s.get("items"), dict):
        for i, item in enumerate(value):
            _collect(item, s["items"], [*path, i], out, False)


def _cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for operation_id in sorted(OPERATIONS):
        status, media = _args.success_response(operation_id)
        if media is None or media.get("x-media-type") != "application/json":
            continue
        schema = media.get("schema")
        if not schema:
            continue
        body = _args.sample(schema, where=operation_id)
        nodes: list[Node] = []
        _collect(body, schema, [], nodes, False)
        cases[operation_id] = Case(operation_id, int(status), body, nodes)
    return cases


CASES = _cases()


class _Client:
    raise_on_unexpected_status = False


API = Path(__file__).resolve().parents[2] / "instantly_async" / "_generated" / "api"
MODULES = {
    p.stem.replace("_", ""): f"instantly_async._generated.api.{p.parent.name}.{p.stem}"
    for p in API.glob("*/*.py")
    if p.name != "__init__.py"
}


def _parse(operation_id: str, body: Any, *, strict: bool) -> Any:
    module = importlib.import_module(MODULES[operation_id.lower()])
    status = CASES[operation_id].status if operation_id in CASES else 200
    response = httpx.Response(status, content=json.dumps(body).encode())
    with reading(operation_id, strict=strict):
        return module._parse_response(client=_Client(), response=response)


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    return [t for t in types if t != "null"]


def _at(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _pointer(path: Path_) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def drift(case: Case, kind: str, pick: int) -> tuple[Any, Path_ | None] | None:
    """The drifted body and the path where strict reading must fail (None: it must not)."""
    body = copy.deepcopy(case.body)
    if kind == "drop":
        found = [
            (n, key)
            for n in case.nodes
            if isinstance(n.value, dict)
            for key in n.schema.get("required", [])
            if key in n.value
        ]
        if not found:
            return None
        node, key = found[pick % len(found)]
        del _at(body, node.path)[key]
        return body, [*node.path, key]
    if kind == "unknown":
        objects = [
            n
            for n in case.nodes
            if isinstance(n.value, dict)
            and not isinstance(n.schema.get("additionalProperties"), dict)
        ]
        if not objects:
            return None
        node = objects[pick % len(objects)]
        _at(body, node.path)["zz_not_in_the_document"] = {"nested": [1, "two", None]}
        return body, None
    if kind == "odd_format":
        dates = [
            n
            for n in case.nodes
            if n.schema.get("format") in ("date", "date-time") and isinstance(n.value, str)
        ]
        if not dates:
            return None
        node = dates[pick % len(dates)]
        value = ODD_TIMESTAMPS[pick % len(ODD_TIMESTAMPS)]
        _set(body, node.path, value)
        accepted = value == "" and node.schema.get("x-empty-is-null") is True
        return body, None if accepted else node.path
    if kind == "enum":
        enums = [
            n
            for n in case.nodes
            if isinstance(n.schema.get("enum"), list)
            and _types(n.schema) in (["string"], ["integer"], ["number"])
        ]
        if not enums:
            return None
        node = enums[pick % len(enums)]
        _set(body, node.path, "zz-unlisted" if _types(node.schema) == ["string"] else 987654321)
        return body, node.path
    if kind == "wrong_type":
        typed = [
            n
            for n in case.nodes
            if n.path and len(_types(n.schema)) == 1 and "const" not in n.schema
        ]
        if not typed:
            return None
        node = typed[pick % len(typed)]
        replacement: Any = (
            "unexpected" if _types(node.schema)[0] in ("object", "array") else {"unexpected": [1]}
        )
        _set(body, node.path, replacement)
        return body, node.path
    raise AssertionError(kind)


def _set(body: Any, path: Path_, value: Any) -> None:
    _at(body, path[:-1])[path[-1]] = value


def check(case: Case, kind: str, pick: int) -> bool:
    """Run one drift case; False when the schema offers no place for this kind of drift."""
    made = drift(case, kind, pick)
    if made is None:
        return False
    body, where = made
    parsed = _parse(case.operation_id, body, strict=False)  # never raises
    assert dump(parsed) == body, f"{case.operation_id} {kind}: a value was lost or changed"
    if where is None:
        _parse(case.operation_id, body, strict=True)  # not drift: strict reading accepts it
        return True
    with pytest.raises(ResponseDrift) as info:
        _parse(case.operation_id, body, strict=True)
    pointer = info.value.locate(json.loads(json.dumps(body)))
    assert pointer is not None, f"{case.operation_id} {kind}: drift not located"
    if pointer != _pointer(where):  # an equal object elsewhere in the body is as good
        got = [p for p in pointer.split("/")[1:]]
        assert _at(body, [int(p) if p.isdigit() else p for p in got[:-1]]) == _at(
            body, where[:-1]
        ), f"{case.operation_id} {kind}: {pointer} instead of {_pointer(where)}"
    return True


@pytest.fixture(autouse=True)
def _no_warning_state() -> None:
    _warned.clear()


def test_the_odd_timestamps_parse_as_neither_date_nor_date_time() -> None:
    for text in ODD_TIMESTAMPS:
        for parse in (parse_date, parse_datetime):
            with pytest.raises(ValueError):
                parse(text)


def test_every_synthesized_body_fits_the_strict_reader() -> None:
    assert len(CASES) > 150
    for case in CASES.values():
        parsed = _parse(case.operation_id, case.body, strict=True)
        assert dump(parsed) == case.body, case.operation_id


def test_every_response_schema_with_every_kind_of_drift() -> None:
    """Each kind of drift, at the first and the last place each schema offers for it."""
    ran = {kind: 0 for kind in KINDS}
    for case in CASES.values():
        for kind in KINDS:
            for pick in (0, -1):
                ran[kind] += check(case, kind, pick)
    assert all(ran.values()), ran


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    operation_id=st.sampled_from(sorted(CASES)),
    kind=st.sampled_from(KINDS),
    pick=st.integers(min_value=0, max_value=10_000),
)
def test_random_drift_anywhere(operation_id: str, kind: str, pick: int) -> None:
    check(CASES[operation_id], kind, pick)
