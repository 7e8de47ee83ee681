"""The change report (scripts/codegen/changes.py): synthetic pairs for every kind of change, the
consecutive shared versions, the changelog and the version bump."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from codegen import changes, naming, normalize

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "instantly-openapi"

JSON = "application/json"
LEAD = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["active", "paused"]},
        "owner": {"type": "object", "properties": {"email": {"type": "string"}}},
    },
    "required": ["id"],
}


def base() -> dict[str, Any]:
    """A normalized document: a list and a create operation, a shared Lead model."""
    ok = {
        "200": {
            "description": "OK",
            "content": {JSON: {"schema": {"$ref": "#/components/schemas/Lead"}}},
        }
    }
    body = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "kind": {"type": "string", "enum": ["a", "b"]}},
        "required": ["email"],
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "2.0.0", "x-upstream-date": "2026-01-01"},
        "components": {"schemas": {"Lead": copy.deepcopy(LEAD)}},
        "paths": {
            "/api/v2/leads": {
                "get": {
                    "operationId": "listLeads",
                    "tags": ["Lead"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {
                            "name": "order",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["asc", "desc"]},
                        },
                    ],
                    "x-required-scopes": ["leads:read", "leads:all"],
                    "responses": ok,
                },
                "post": {
                    "operationId": "createLead",
                    "tags": ["Lead"],
                    "requestBody": {"content": {JSON: {"schema": body}}, "required": True},
                    "x-rate-limits": [{"requests": 20, "seconds": 60}],
                    "responses": copy.deepcopy(ok),
                },
            }
        },
    }


def report(change: Callable[[dict[str, Any]], None]) -> changes.Report:
    old = base()
    new = copy.deepcopy(old)
    change(new)
    return changes.compare(old, new)


def lines(r: changes.Report) -> list[tuple[str, str, bool]]:
    return [(e.section, e.text, e.breaking) for e in r.entries]


def op(doc: dict[str, Any], method: str = "get") -> dict[str, Any]:
    result: dict[str, Any] = doc["paths"]["/api/v2/leads"][method]
    return result


def body(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = op(doc, "post")["requestBody"]["content"][JSON]["schema"]
    return result


def lead(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"]["Lead"]
    return result


def test_no_change_no_entries_no_bump() -> None:
    r = report(lambda d: None)
    assert r.entries == [] and r.bump() == "none"
    assert r.next_version("0.1.0") == "0.1.0"
    assert "no change a user of the SDK can see" in r.markdown("0.1.0")


def test_operation_added_is_an_addition() -> None:
    def change(d: dict[str, Any]) -> None:
        d["paths"]["/api/v2/leads/{id}"] = {
            "get": {**op(d), "operationId": "getLead", "parameters": []}
        }

    r = report(change)
    assert lines(r) == [("Operations", "added `GET /api/v2/leads/{id}` (`getLead`)", False)]
    assert r.bump() == "addition"
    assert r.next_version("0.1.0") == "0.1.1" and r.next_version("1.2.3") == "1.3.0"


def test_operation_removed_is_breaking() -> None:
    r = report(lambda d: d["paths"]["/api/v2/leads"].pop("post"))
    assert lines(r) == [("Operations", "removed `POST /api/v2/leads` (`createLead`)", True)]
    assert r.next_version("0.1.0") == "0.2.0" and r.next_version("1.2.3") == "2.0.0"


def test_operation_renamed_on_the_same_wire_and_moved_path() -> None:
    def change(d: dict[str, Any]) -> None:
        create = d["paths"]["/api/v2/leads"].pop("post")
        create["operationId"] = "addLead"
        d["paths"]["/api/v2/leads"]["post"] = create
        d["paths"]["/api/v2/leads/"] = {"get": d["paths"]["/api/v2/leads"].pop("get")}

    texts = [t for _, t, _ in lines(report(change))]
    assert "operationId `createLead` renamed `addLead` (`POST /api/v2/leads`, same wire)" in texts
    assert "`listLeads` moved `GET /api/v2/leads` -> `GET /api/v2/leads/`" in texts


def test_operation_moved_to_another_tag() -> None:
    r = report(lambda d: op(d).update(tags=["Prospect"]))
    assert lines(r) == [("Operations", "`listLeads` moved from tag Lead to Prospect", False)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: op(d)["parameters"].append(
                {"name": "q", "in": "query", "schema": {"type": "string"}}
            ),
            ("`listLeads`: parameter `q` (query) added", False),
        ),
        (
            lambda d: op(d)["parameters"].append(
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
            ),
            ("`listLeads`: parameter `q` (query) added, required", True),
        ),
        (
            lambda d: op(d)["parameters"].pop(0),
            ("`listLeads`: parameter `limit` (query) removed", True),
        ),
        (
            lambda d: op(d)["parameters"][0].update(schema={"type": "string"}),
            ("`listLeads`: parameter `limit` (query) retyped integer -> string", True),
        ),
        (
            lambda d: op(d)["parameters"][0].update(required=True),
            ("`listLeads`: parameter `limit` (query) made required", True),
        ),
        (
            lambda d: body(d)["properties"].update(note={"type": "string"}),
            ("`createLead` body: field `note` added (string)", False),
        ),
        (
            lambda d: (
                body(d)["properties"].update(note={"type": "string"}),
                body(d)["required"].append("note"),
            ),
            ("`createLead` body: field `note` added (string, required)", True),
        ),
        (
            lambda d: body(d)["properties"].pop("kind"),
            ("`createLead` body: field `kind` removed", True),
        ),
        (
            lambda d: body(d)["properties"].update(email={"type": "integer"}),
            ("`createLead` body: field `email` retyped string -> integer", True),
        ),
        (
            lambda d: body(d)["required"].append("kind"),
            ("`createLead` body: field `kind` made required", True),
        ),
    ],
)
def test_parameters_and_body_fields(
    change: Callable[[dict[str, Any]], None], expected: tuple[str, bool]
) -> None:
    assert lines(report(change)) == [("Parameters and body fields", *expected)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: lead(d)["properties"].pop("owner"),
            ("model `Lead`: field `owner` removed", True),
        ),
        (
            lambda d: lead(d)["properties"]["owner"]["properties"].pop("email"),
            ("model `Lead`: field `owner.email` removed", True),
        ),
        (
            lambda d: lead(d)["properties"].update(id={"type": "integer"}),
            ("model `Lead`: field `id` retyped string -> integer", True),
        ),
        (
            lambda d: lead(d)["properties"]["id"].update(type=["string", "null"]),
            ("model `Lead`: field `id` made nullable", True),
        ),
        (
            lambda d: lead(d).pop("required"),
            ("model `Lead`: field `id` no longer always present", True),
        ),
        (
            lambda d: lead(d)["properties"].update(score={"type": "number"}),
            ("model `Lead`: field `score` added (number)", False),
        ),
    ],
)
def test_response_fields(
    change: Callable[[dict[str, Any]], None], expected: tuple[str, bool]
) -> None:
    assert lines(report(change)) == [("Response fields", *expected)]


def test_enum_values_added_and_retired() -> None:
    def change(d: dict[str, Any]) -> None:
        lead(d)["properties"]["status"]["enum"] = ["active", "archived"]
        body(d)["properties"]["kind"]["enum"] = ["a", "c"]
        op(d)["parameters"][1]["schema"]["enum"] = ["asc", "desc", "random"]

    assert sorted(lines(report(change))) == [
        ("Enum values", "`createLead` body: field `kind` gained `c`", False),
        ("Enum values", "`createLead` body: field `kind` retired `b`", True),  # we send it
        ("Enum values", "`listLeads`: parameter `order` (query) gained `random`", False),
        ("Enum values", "model `Lead`: field `status` gained `archived`", False),
        ("Enum values", "model `Lead`: field `status` retired `paused`", False),  # we read it
    ]


def test_scopes_and_rate_limits() -> None:
    def change(d: dict[str, Any]) -> None:
        op(d)["x-required-scopes"] = ["leads:all", "all:all"]
        op(d, "post")["x-rate-limits"] = [{"requests": 10, "seconds": 60}]

    assert sorted(lines(report(change))) == [
        ("Scopes and rate limits", "`createLead`: rate limits 20/60s -> 10/60s", False),
        (
            "Scopes and rate limits",
            "`listLeads`: scopes no longer allowed by `leads:read`; now also allowed by `all:all`",
            True,
        ),
    ]


def test_facade_changes_from_the_names_lock() -> None:
    facade = [
        naming.Change(
            "renamed",
            "block_list_entry.createbluk() -> block_list_entry.create_bulk() (reviewed name)",
        ),
        naming.Change(
            "removed", "workspace.create() (createWorkspace, POST /api/v2/workspaces/create)", True
        ),
    ]
    r = changes.compare(base(), base(), facade)
    assert lines(r) == [
        (
            "Facade calls",
            "renamed: block_list_entry.createbluk() -> block_list_entry.create_bulk() (reviewed name)"
            " (the old name stays as a deprecated alias)",
            False,
        ),
        (
            "Facade calls",
            "removed: workspace.create() (createWorkspace, POST /api/v2/workspaces/create)",
            True,
        ),
    ]


def test_a_facade_call_is_told_with_its_operation() -> None:
    def change(d: dict[str, Any]) -> None:
        d["paths"]["/api/v2/leads"].pop("post")
        d["paths"]["/api/v2/leads/{id}"] = {"get": {**op(d), "operationId": "getLead"}}

    old, new = base(), base()
    change(new)
    facade = [
        naming.Change("added", "lead.get() (getLead, GET /api/v2/leads/{id})"),
        naming.Change("removed", "lead.create() (createLead, POST /api/v2/leads)", True),
    ]
    assert lines(changes.compare(old, new, facade)) == [
        ("Operations", "added `GET /api/v2/leads/{id}` (`getLead`) as `client.lead.get()`", False),
        (
            "Operations",
            "removed `POST /api/v2/leads` (`createLead`), was `client.lead.create()`",
            True,
        ),
    ]


def test_the_changelog_gets_the_report_once_per_document(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_text(
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n\n## [0.1.0]\n", encoding="utf-8"
    )
    r = report(lambda d: d["paths"]["/api/v2/leads"].pop("post"))
    changes.write_changelog(path, r, "abc", "0.1.0")
    changes.write_changelog(path, r, "abc", "0.1.0")  # the same document again: replaced
    text = path.read_text(encoding="utf-8")
    assert text.count("### API changes: 2.0.0 2026-01-01 -> 2.0.0 2026-01-01") == 1
    assert text.index("## [Unreleased]") < text.index("### API changes") < text.index("### Added")
    assert "- **breaking** removed `POST /api/v2/leads` (`createLead`)" in text
    assert (
        "Semantic version: 1 change(s), 1 breaking: version 0.1.0 -> 0.2.0 (minor (breaking, 0.x) bump)."
        in text
    )


def test_the_bump_is_applied_to_both_version_files(tmp_path: Path) -> None:
    (tmp_path / "instantly_async").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "0.1.0"\n', encoding="utf-8"
    )
    (tmp_path / "instantly_async" / "_version.py").write_text(
        '__version__ = "0.1.0"\n', encoding="utf-8"
    )
    assert len(changes.apply_version(tmp_path, "0.2.0")) == 2
    assert changes.current_version(tmp_path) == "0.2.0"
    assert 'version = "0.2.0"' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- shared versions

DOCUMENTS = sorted(p.stem for p in SHARED.glob("*.json")) if SHARED.is_dir() else []


def normalized(name: str) -> dict[str, Any]:
    doc, raw = normalize.load_source(str(SHARED / f"{name}.json"))
    return normalize.normalize(doc, raw, date=name)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "2026-01-19",
            "2026-05-06",
            ("Operations", "removed `POST /api/v2/workspaces/create` (`createWorkspace`)", True),
        ),
        (
            "2026-05-06",
            "2026-06-17",
            (
                "Operations",
                "`createSuperSearchEnrichment` moved `POST /api/v2/supersearch-enrichment` -> "
                "`POST /api/v2/supersearch-enrichment/`",
                False,
            ),
        ),
    ],
)
def test_consecutive_shared_versions(old: str, new: str, expected: tuple[str, str, bool]) -> None:
    if not DOCUMENTS:
        pytest.skip(f"upstream documents not found in {SHARED}")
    r = changes.compare(normalized(old), normalized(new))
    assert expected in lines(r)
    assert r.breaking and r.next_version("0.1.0") == "0.2.0"
    json.dumps([e.text for e in r.entries])  # plain text entries


@pytest.mark.parametrize(
    ("before", "after", "breaking"),
    [
        ({"format": "date"}, {"format": "date-time"}, True),  # datetime.date -> datetime
        ({}, {"format": "uuid"}, True),  # str -> UUID
        ({"format": "email"}, {}, False),  # str either way: no change a user sees
    ],
)
def test_a_format_that_changes_the_python_type_is_a_retyping(
    before: dict[str, Any], after: dict[str, Any], breaking: bool
) -> None:
    def doc(fmt: dict[str, Any]) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"start": {"type": "string", **fmt}}}
        op = {
            "operationId": "getThing",
            "tags": ["Thing"],
            "responses": {"200": {"content": {"application/json": {"schema": schema}}}},
        }
        return {"paths": {"/api/v2/things": {"get": op}}, "components": {"schemas": {}}}

    entries = changes.compare(doc(before), doc(after)).entries
    assert [e.breaking for e in entries] == ([True] if breaking else [])
    if breaking:
        assert "retyped" in entries[0].text and "field `start`" in entries[0].text
