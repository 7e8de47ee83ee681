"""The names lock (scripts/codegen/naming.py): public names only move for upstream reasons.

Unit tests on the resolution rules, then two small document versions regenerated in a row
(``scripts/regen.py --spec ... --lock``) for the cases the issue names: a respelt title, a
``null`` example, a new operation whose short name collides, and a tie between error bodies.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from codegen import naming, normalize
from codegen.naming import Lock, OperationInfo

REPO = Path(__file__).resolve().parent.parent

JSON = "application/json"


def info(oid: str, ns: str = "account", http: str = "POST /api/v2/x", tag: str = "Account") -> Any:
    return OperationInfo(operation_id=oid, namespace=ns, tag=tag, http=http)


def locked(**entries: tuple[str, str]) -> Lock:
    return Lock(methods={oid: {"name": n, "http": h} for oid, (n, h) in entries.items()})


PAUSE = "POST /api/v2/accounts/{email}/pause"
RESUME = "POST /api/v2/accounts/{email}/resume"
PAUSE_MANY = "POST /api/v2/accounts/pause"


# --------------------------------------------------------------------------- facade methods


def test_without_a_lock_names_follow_the_naming_rule() -> None:
    result = naming.resolve_method_names(
        [info("pauseAccount", http=PAUSE), info("resumeAccount", http=RESUME)], Lock()
    )
    assert result.names == {
        "pauseAccount": ("account", "pause"),
        "resumeAccount": ("account", "resume"),
    }
    assert [c.kind for c in result.changes] == ["added", "added"]
    assert result.lock.methods["pauseAccount"] == {"name": "account.pause", "http": PAUSE}


def test_a_new_operation_never_displaces_a_locked_name() -> None:
    lock = locked(pauseAccount=("account.pause", PAUSE))
    ops = [info("pauseAccount", http=PAUSE), info("pauseAccounts", http=PAUSE_MANY)]
    # without the lock both would take their full names (pause_account, pause_accounts)
    assert naming.default_method_names("Account", ["pauseAccount", "pauseAccounts"]) == {
        "pauseAccount": "pause_account",
        "pauseAccounts": "pause_accounts",
    }
    result = naming.resolve_method_names(ops, lock)
    assert result.names["pauseAccount"] == ("account", "pause")
    assert result.names["pauseAccounts"] == ("account", "pause_accounts")
    assert result.aliases == {}


def test_a_new_operation_takes_no_deprecated_alias_either() -> None:
    lock = locked(pauseAccount=("account.pause", PAUSE))
    lock.aliases["account.halt"] = {"operation": "pauseAccount"}
    ops = [info("pauseAccount", http=PAUSE), info("halt", http=PAUSE_MANY)]
    with pytest.raises(naming.NamingError, match=r"halt \(POST /api/v2/accounts/pause\)"):
        naming.resolve_method_names(ops, lock)
    named = naming.resolve_method_names(ops, lock, {"halt": "halt_all"})
    assert named.names["halt"] == ("account", "halt_all")


def test_resolution_is_stable_and_never_rewrites_the_lock() -> None:
    ops = [info("pauseAccount", http=PAUSE), info("resumeAccount", http=RESUME)]
    first = naming.resolve_method_names(ops, Lock())
    again = naming.resolve_method_names(ops, first.lock)
    assert again.lock.dump() == first.lock.dump()
    assert again.changes == []


def test_a_reviewed_rename_needs_the_explicit_flag_and_keeps_an_alias() -> None:
    lock = locked(createblukBlockListEntry=("block_list_entry.createbluk", "POST /b"))
    ops = [info("createblukBlockListEntry", "block_list_entry", "POST /b", "BlockListEntry")]
    readable = {"createblukBlockListEntry": "create_bulk"}
    refused = naming.resolve_method_names(ops, lock, readable)
    assert refused.renames_refused == [
        "createblukBlockListEntry: block_list_entry.createbluk -> block_list_entry.create_bulk"
    ]
    assert refused.names["createblukBlockListEntry"] == ("block_list_entry", "createbluk")
    done = naming.resolve_method_names(ops, lock, readable, allow_renames=True)
    assert done.names["createblukBlockListEntry"] == ("block_list_entry", "create_bulk")
    assert done.aliases == {("block_list_entry", "createbluk"): "createblukBlockListEntry"}
    assert [str(c) for c in done.changes] == [
        "renamed: block_list_entry.createbluk() -> block_list_entry.create_bulk() (reviewed name)"
    ]
    assert done.lock.aliases == {
        "block_list_entry.createbluk": {"operation": "createblukBlockListEntry"}
    }
    # next time: nothing to change, the alias stays
    again = naming.resolve_method_names(ops, done.lock, readable)
    assert again.renames_refused == [] and again.changes == []
    assert again.aliases == done.aliases


def test_a_new_operation_takes_its_reviewed_name_without_a_flag() -> None:
    result = naming.resolve_method_names(
        [info("pauseAccount", http=PAUSE)], Lock(), {"pauseAccount": "halt"}
    )
    assert result.names["pauseAccount"] == ("account", "halt")


def test_an_operation_moved_to_another_tag_keeps_its_old_name_as_an_alias() -> None:
    lock = locked(listTags=("lead.list_tags", "GET /api/v2/tags"))
    ops = [info("listTags", "tag", "GET /api/v2/tags", "Tag"), info("x", "lead")]
    result = naming.resolve_method_names(ops, lock)
    assert result.names["listTags"] == ("tag", "list")
    assert result.aliases == {("lead", "list_tags"): "listTags"}
    assert result.aliases_in("lead") == [("list_tags", "tag", "list")]
    [moved] = [c for c in result.changes if c.kind == "moved"]
    assert str(moved) == "moved: lead.list_tags() -> tag.list() (listTags)"


def test_an_operation_id_renamed_on_the_same_wire_keeps_the_old_name_as_an_alias() -> None:
    lock = locked(getReport=("report.get_report", "GET /api/v2/reports/{id}"))
    ops = [info("fetchReport", "report", "GET /api/v2/reports/{report_id}", "Report")]
    result = naming.resolve_method_names(ops, lock)
    assert result.names["fetchReport"] == ("report", "fetch")
    assert result.aliases == {("report", "get_report"): "fetchReport"}
    assert "getReport" not in result.lock.methods
    assert [c.kind for c in result.changes] == ["upstream-renamed"]


def test_a_same_wire_rename_that_gives_the_same_name_needs_no_alias() -> None:
    # 2026-05-06 -> 2026-06-17: getInboxPlacementBlacklist&SpamAssassinReport -> ...And...
    http = "GET /api/v2/inbox-placement-reports/{id}"
    tag = "InboxPlacementBlacklistAndSpamAssassinReport"
    ns = "inbox_placement_blacklist_and_spam_assassin_report"
    lock = locked(**{"getInboxPlacementBlacklist&SpamAssassinReport": (f"{ns}.get", http)})
    result = naming.resolve_method_names([info(f"get{tag}", ns, http, tag)], lock)
    assert result.names[f"get{tag}"] == (ns, "get")
    assert result.aliases == {}


def test_a_removed_operation_is_a_breaking_change() -> None:
    lock = locked(createWorkspace=("workspace.create", "POST /api/v2/workspaces/create"))
    result = naming.resolve_method_names([info("getWorkspace", "workspace", "GET /w")], lock)
    removed = [c for c in result.changes if c.kind == "removed"]
    assert [c.breaking for c in removed] == [True]
    assert "createWorkspace" not in result.lock.methods


def test_the_reviewed_table_is_valid() -> None:
    table = naming.load_readable()
    lock = naming.Lock.load()
    assert table["createblukBlockListEntry"] == "create_bulk"
    assert table["deleteallBlockListEntry"] == "delete_all"
    assert table["pauseAccount"] == "pause"
    for oid, name in table.items():  # applied: the lock holds every reviewed name
        assert lock.methods[oid]["name"].split(".")[1] == name, oid


def test_a_bad_reviewed_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "readable.yaml"
    path.write_text("pauseAccount: class\n", encoding="utf-8")
    with pytest.raises(naming.NamingError, match="pauseAccount: 'class' is not a valid"):
        naming.load_readable(path)


# --------------------------------------------------------------------------- error bodies


def error_body(status: int, error: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "statusCode": {"type": "number", "enum": [status]},
            "error": {"type": "string", "enum": [error]},
            "message": {"type": "string"},
        },
    }


def op(oid: str, errors: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK"}}
    for status, schema in errors.items():
        responses[status] = {"description": "x", "content": {JSON: {"schema": schema}}}
    return {"operationId": oid, "tags": ["Lead"], "responses": responses}


def tie_document(more_429: int) -> dict[str, Any]:
    """Two bodies with the same error text (402 and 429); 429 used ``more_429`` times more."""
    paths: dict[str, Any] = {}
    for i in range(2):
        paths[f"/a{i}"] = {"get": op(f"getA{i}", {"402": error_body(402, "Rate limit exceeded")})}
    for i in range(2 + more_429):
        paths[f"/b{i}"] = {"get": op(f"getB{i}", {"429": error_body(429, "Rate limit exceeded")})}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


def shared_names(out: dict[str, Any]) -> dict[str, int]:
    schemas = out["components"]["schemas"]
    return {name: schemas[name]["properties"]["statusCode"]["const"] for name in schemas}


def test_tied_error_bodies_are_named_by_content_not_by_use() -> None:
    tied = normalize.normalize(tie_document(0))
    more = normalize.normalize(tie_document(3))  # one more use would swap frequency numbers
    expected = {"RateLimitExceededError": 402, "RateLimitExceededError2": 429}
    assert shared_names(tied) == shared_names(more) == expected


def test_locked_error_body_names_stay_and_new_ones_are_added() -> None:
    lock = Lock(
        error_bodies={"429 'Rate limit exceeded' [error,message,statusCode]": "SlowDownError"}
    )
    out = normalize.normalize(tie_document(0), lock=lock)
    assert shared_names(out) == {"SlowDownError": 429, "RateLimitExceededError": 402}
    assert lock.error_bodies["402 'Rate limit exceeded' [error,message,statusCode]"] == (
        "RateLimitExceededError"
    )


def test_an_inline_error_body_keeps_its_class_name_once_shared() -> None:
    doc = tie_document(0)
    del doc["paths"]["/a1"]  # the 402 body is used once: it stays inline
    where = "/paths/~1a0/get/responses/402/content/application~1json/schema"
    lock = Lock(classes={where: "GetA0Response402"})
    assert (
        normalize.normalize(copy.deepcopy(doc), lock=lock)["paths"]["/a0"]["get"]["responses"][
            "402"
        ]["content"][JSON]["schema"]["type"]
        == "object"
    )
    doc["paths"]["/a1"] = {"get": op("getA1", {"402": error_body(402, "Rate limit exceeded")})}
    out = normalize.normalize(doc, lock=lock)  # a second use: hoisted under the same name
    assert shared_names(out)["GetA0Response402"] == 402


# --------------------------------------------------------------------------- whole regeneration

pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")

from codegen import regen  # noqa: E402


def version_one() -> dict[str, Any]:
    owner = {"type": "object", "properties": {"id": {"type": "string"}}}
    report = {
        "title": "Blacklist & Report",
        "type": "object",
        "properties": {"score": {"type": "number"}},
    }
    thing = {"type": "object", "properties": {"owner": owner, "name": {"type": "string"}}}
    ok = {"200": {"description": "OK", "content": {JSON: {"schema": thing}}}}
    rep = {"$ref": "#/components/schemas/def-3"}

    def param(name: str) -> list[dict[str, Any]]:
        return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]

    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "components": {"schemas": {"def-3": report}},
        "paths": {
            "/api/v2/accounts/{email}/pause": {
                "post": {
                    "operationId": "pauseAccount",
                    "tags": ["Account"],
                    "parameters": param("email"),
                    "responses": ok,
                }
            },
            "/api/v2/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["Thing"],
                    "parameters": param("id"),
                    "responses": ok,
                }
            },
            "/api/v2/reports/{id}": {
                "get": {
                    "operationId": "getReport",
                    "tags": ["Report"],
                    "parameters": param("id"),
                    "responses": {"200": {"description": "OK", "content": {JSON: {"schema": rep}}}},
                }
            },
        },
    }


def version_two() -> dict[str, Any]:
    doc = version_one()
    doc["components"]["schemas"]["def-3"]["title"] = "Blacklist And Report"  # respelt
    thing = doc["paths"]["/api/v2/things/{id}"]["get"]["responses"]["200"]["content"][JSON]
    thing["schema"]["properties"]["owner"]["example"] = None  # -> nullable
    pause_many = copy.deepcopy(doc["paths"]["/api/v2/accounts/{email}/pause"]["post"])
    pause_many["operationId"] = "pauseAccounts"  # its short name collides with pauseAccount's
    del pause_many["parameters"]
    doc["paths"]["/api/v2/accounts/pause"] = {"post": pause_many}
    return doc


def regenerate(tmp_path: Path, doc: dict[str, Any], name: str, *args: str) -> Path:
    src = tmp_path / f"{name}.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / name / "_generated"
    openapi = tmp_path / "openapi.yaml"  # one file, as in the repository: the report compares
    argv = ["--spec", str(src), "--openapi", str(openapi), "--output", str(out)]
    assert regen.main([*argv, "--lock", str(tmp_path / "lock.yaml"), *args]) == 0
    return out


def model_names(package: Path) -> set[str]:
    return {p.stem for p in (package / "models").glob("*.py")} - {"__init__"}


def test_names_survive_a_respelt_title_a_null_example_and_a_colliding_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = regenerate(tmp_path, version_one(), "one")
    assert {"blacklist_report", "get_thing_response_200_owner"} <= model_names(one)
    assert '"pauseAccount": ("account", "pause")' in (one / "namespaces.py").read_text()
    capsys.readouterr()

    # without the lock the generator would rename both classes
    bare = tmp_path / "bare" / "_generated"
    src = tmp_path / "two.json"
    src.write_text(json.dumps(version_two()), encoding="utf-8")
    argv = ["--spec", str(src), "--openapi", str(tmp_path / "bare.yaml"), "--output", str(bare)]
    assert regen.main(argv) == 0
    assert {"blacklist_and_report", "get_thing_response_200_owner_type_0"} <= model_names(bare)
    assert '"pauseAccount": ("account", "pause_account")' in (bare / "namespaces.py").read_text()

    changelog = tmp_path / "CHANGELOG.md"
    two = regenerate(tmp_path, version_two(), "two", "--changelog", str(changelog))
    assert model_names(one) <= model_names(two)
    assert not {"blacklist_and_report", "get_thing_response_200_owner_type_0"} & model_names(two)
    facade = (two / "namespaces.py").read_text()
    assert '"pauseAccount": ("account", "pause")' in facade
    assert '"pauseAccounts": ("account", "pause_accounts")' in facade
    printed = capsys.readouterr().out
    assert "names: added: account.pause_accounts() (pauseAccounts" in printed
    # the change report: printed and written into the changelog's Unreleased section
    assert "### API changes: 1.0.0 " in printed
    report = changelog.read_text(encoding="utf-8")
    assert "- added `POST /api/v2/accounts/pause` (`pauseAccounts`)" in report
    assert "- **breaking** model `BlacklistAndReport`" not in report  # only the title changed
    assert "`getThing` response 200: field `owner` made nullable" in report
    assert "Semantic version: " in report
    lock = yaml.safe_load((tmp_path / "lock.yaml").read_text(encoding="utf-8"))
    assert lock["classes"]["/components/schemas/BlacklistAndReport"] == "BlacklistReport"


def test_check_mode_fails_when_the_lock_lacks_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = regenerate(tmp_path, version_one(), "one")
    (tmp_path / "lock.yaml").write_text("methods: {}\n", encoding="utf-8")
    argv = ["--openapi", str(tmp_path / "openapi.yaml"), "--output", str(one), "--check"]
    assert regen.main([*argv, "--lock", str(tmp_path / "lock.yaml")]) == 1
    assert "lock.yaml is out of date" in capsys.readouterr().err
