"""Deprecated aliases (issue 8.2): old facade names keep working for the next minor version.

Unit tests on the names lock's rules (scripts/codegen/naming.py): a tag renamed or emptied
keeps its namespace as aliases, aliases record the SDK version that deprecated them and
expire at X.(Y+2).0, the change report lists each expired one as breaking. Then small
synthetic documents regenerated in a row (``scripts/regen.py --spec ... --lock``): version
one has a tag ``Email``, version two renames it ``Unibox``; the SDK built from version two is
imported beside the real one (its own ``_generated`` under the real facade modules) and the
old ``client.email`` is used through httpx.MockTransport. Version three, regenerated with the
version bump, removes the aliases whose time is up. Last, the real names lock: every alias
resolves, on the client and on ``client.with_raw_response``, typed like its target.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from codegen import changes, naming
from codegen.naming import Lock, OperationInfo

REPO = Path(__file__).resolve().parent.parent
JSON = "application/json"


def op(oid: str, ns: str, http: str, tag: str) -> OperationInfo:
    return OperationInfo(operation_id=oid, namespace=ns, tag=tag, http=http)


LIST = "GET /api/v2/emails"
GET = "GET /api/v2/emails/{id}"
EMAIL_LOCK = {
    "listEmails": {"name": "email.list", "http": LIST},
    "getEmail": {"name": "email.get", "http": GET},
}


def renamed_tag() -> list[OperationInfo]:
    """Upstream renamed the tag ``Email`` to ``Unibox``: every operation moved."""
    return [op("listEmails", "unibox", LIST, "Unibox"), op("getEmail", "unibox", GET, "Unibox")]


# --------------------------------------------------------------------------- the rules


def test_an_alias_is_kept_for_the_next_minor_version() -> None:
    assert naming.alias_removed_in("0.1.0") == "0.3.0"
    assert naming.alias_removed_in("0.2.7") == "0.4.0"
    assert naming.alias_removed_in("1.4.2") == "1.6.0"
    assert not naming.alias_expired("0.1.0", "0.1.5")
    assert not naming.alias_expired("0.1.0", "0.2.9")
    assert naming.alias_expired("0.1.0", "0.3.0")
    assert naming.alias_expired("1.4.2", "2.0.0")  # a major version ends it too
    with pytest.raises(naming.NamingError, match=r"not a MAJOR\.MINOR\.PATCH version: 'next'"):
        naming.alias_expired("0.1.0", "next")


def test_a_renamed_tag_keeps_its_namespace_as_deprecated_aliases() -> None:
    result = naming.resolve_method_names(renamed_tag(), Lock(methods=EMAIL_LOCK), version="0.1.0")
    assert result.names == {
        "listEmails": ("unibox", "list_emails"),
        "getEmail": ("unibox", "get_email"),
    }
    assert result.aliases == {("email", "list"): "listEmails", ("email", "get"): "getEmail"}
    assert result.deprecated_namespaces() == ["email"]
    assert result.aliases_in("email") == [
        ("get", "unibox", "get_email"),
        ("list", "unibox", "list_emails"),
    ]
    assert result.since("email", "list") == "0.1.0"
    assert result.lock.aliases["email.list"] == {"operation": "listEmails", "since": "0.1.0"}
    assert sorted(str(c) for c in result.changes) == [
        "moved: email.get() -> unibox.get_email() (getEmail)",
        "moved: email.list() -> unibox.list_emails() (listEmails)",
    ]
    assert not any(c.breaking for c in result.changes)  # nothing a caller loses yet


def test_aliases_expire_by_the_sdk_version_and_the_report_says_so() -> None:
    first = naming.resolve_method_names(renamed_tag(), Lock(methods=EMAIL_LOCK), version="0.1.0")
    for version in ("0.1.0", "0.1.4", "0.2.0", "0.2.9"):
        kept = naming.resolve_method_names(renamed_tag(), first.lock, version=version)
        assert kept.aliases == first.aliases, version
        assert kept.changes == [] and kept.lock.dump() == first.lock.dump(), version
    gone = naming.resolve_method_names(renamed_tag(), first.lock, version="0.3.0")
    assert gone.aliases == {} and gone.lock.aliases == {}
    assert gone.deprecated_namespaces() == []
    assert [(c.kind, c.breaking) for c in gone.changes] == [("alias-expired", True)] * 2
    assert str(gone.changes[1]) == (
        "alias-expired: removed deprecated alias client.email.list() (deprecated in 0.1.0, "
        "removed in 0.3.0): use client.unibox.list_emails()"
    )
    report = changes.compare({}, {}, gone.changes)
    assert [e.line() for e in report.entries] == [
        "- **breaking** removed deprecated alias client.email.get() (deprecated in 0.1.0, "
        "removed in 0.3.0): use client.unibox.get_email()",
        "- **breaking** removed deprecated alias client.email.list() (deprecated in 0.1.0, "
        "removed in 0.3.0): use client.unibox.list_emails()",
    ]
    assert report.next_version("0.2.4") == "0.3.0"
    assert report.next_version("1.5.1") == "2.0.0"


def test_an_expired_alias_frees_its_name() -> None:
    lock = Lock(
        methods={"pauseAccount": {"name": "account.pause", "http": "POST /p/{id}"}},
        aliases={"account.halt": {"operation": "pauseAccount", "since": "0.1.0"}},
    )
    ops = [op("pauseAccount", "account", "POST /p/{id}", "Account")]
    ops.append(op("halt", "account", "POST /p", "Account"))
    with pytest.raises(naming.NamingError, match="every name for it is taken"):
        naming.resolve_method_names(ops, lock, version="0.2.0")
    result = naming.resolve_method_names(ops, lock, version="0.3.0")
    assert result.names["halt"] == ("account", "halt")
    assert [c.kind for c in result.changes] == ["added", "alias-expired"]


def test_an_alias_of_the_first_lock_format_is_dated_by_the_next_regeneration() -> None:
    lock = Lock.load(REPO / "scripts/names/lock.yaml")
    lock.aliases = {"email.list": {"operation": "listEmails"}}  # as `email.list: listEmails`
    lock.methods = dict(EMAIL_LOCK)
    lock.methods["listEmails"] = {"name": "email.list_emails", "http": LIST}
    ops = [op("listEmails", "email", LIST, "Email"), op("getEmail", "email", GET, "Email")]
    assert naming.resolve_method_names(ops, lock).lock.aliases["email.list"] == {
        "operation": "listEmails"
    }
    dated = naming.resolve_method_names(ops, lock, version="0.4.1")
    assert dated.lock.aliases["email.list"] == {"operation": "listEmails", "since": "0.4.1"}


# --------------------------------------------------------------------------- regeneration

pytest.importorskip("openapi_python_client", reason="regeneration needs Python 3.11+")

from codegen import regen  # noqa: E402


def version_one() -> dict[str, Any]:
    email = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "read": {"type": "boolean"}},
    }
    ref = {"$ref": "#/components/schemas/Email"}
    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref},
            "next_starting_after": {"type": "string"},
        },
    }

    def ok(schema: dict[str, Any]) -> dict[str, Any]:
        return {"200": {"description": "OK", "content": {JSON: {"schema": schema}}}}

    def param(name: str, where: str = "path", kind: str = "string") -> dict[str, Any]:
        return {"name": name, "in": where, "required": where == "path", "schema": {"type": kind}}

    body = {"type": "object", "properties": {"read": {"type": "boolean"}}, "required": ["read"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "components": {"schemas": {"Email": email}},
        "paths": {
            "/api/v2/emails": {
                "get": {
                    "operationId": "listEmails",
                    "tags": ["Email"],
                    "parameters": [
                        param("limit", "query", "integer"),
                        param("starting_after", "query"),
                    ],
                    "responses": ok(page),
                }
            },
            "/api/v2/emails/{id}": {
                "get": {
                    "operationId": "getEmail",
                    "tags": ["Email"],
                    "parameters": [param("id")],
                    "responses": ok(ref),
                }
            },
            "/api/v2/emails/{id}/read": {
                "post": {
                    "operationId": "markEmailRead",
                    "tags": ["Email"],
                    "parameters": [param("id")],
                    "requestBody": {"required": True, "content": {JSON: {"schema": body}}},
                    "responses": ok(ref),
                }
            },
            "/api/v2/leads/{id}": {
                "get": {
                    "operationId": "getLead",
                    "tags": ["Lead"],
                    "parameters": [param("id")],
                    "responses": ok(ref),
                },
                "delete": {
                    "operationId": "deleteLead",
                    "tags": ["Lead"],
                    "parameters": [param("id")],
                    "responses": ok(ref),
                },
            },
        },
    }


def version_two() -> dict[str, Any]:
    """Upstream renamed the tag Email to Unibox (the wire stays the same)."""
    doc = version_one()
    for item in doc["paths"].values():
        for operation in item.values():
            if operation["tags"] == ["Email"]:
                operation["tags"] = ["Unibox"]
    return doc


def version_three() -> dict[str, Any]:
    """Version two without ``deleteLead``: a breaking change, so a minor bump on 0.x."""
    doc = version_two()
    del doc["paths"]["/api/v2/leads/{id}"]["delete"]
    return doc


def regenerate(root: Path, doc: dict[str, Any], name: str, *args: str) -> Path:
    src = root / f"{name}.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = root / name / "_generated"
    argv = ["--spec", str(src), "--openapi", str(root / "openapi.yaml"), "--output", str(out)]
    argv += ["--lock", str(root / "lock.yaml"), "--changelog", str(root / "CHANGELOG.md")]
    assert regen.main([*argv, *args]) == 0
    return out.parent


def load_sdk(root: Path, name: str) -> types.ModuleType:
    """The facade modules of instantly_async over the ``_generated`` package in ``root``."""
    package = types.ModuleType(name)
    package.__path__ = [str(root), str(REPO / "instantly_async")]
    sys.modules[name] = package
    return importlib.import_module(f"{name}._client")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Versions one and two regenerated in a row at SDK version 0.1.0."""
    root = tmp_path_factory.mktemp("aliases")
    regenerate(root, version_one(), "one", "--sdk-version", "0.1.0")
    with pytest.MonkeyPatch.context() as patch:  # docs/reference.md is written for the target
        patch.setattr(regen, "TARGET", root / "two" / "_generated")
        patch.setattr(regen, "REFERENCE", root / "reference.md")
        two = regenerate(root, version_two(), "two", "--sdk-version", "0.1.0")
    for kept in ("openapi.yaml", "lock.yaml"):  # version two's state, for later runs
        (root / f"two-{kept}").write_bytes((root / kept).read_bytes())
    name = "_instantly_aliases_two"
    yield {
        "root": root,
        "two": two,
        "sdk": load_sdk(two, name),
        "changelog": (root / "CHANGELOG.md").read_text(encoding="utf-8"),
        "lock": yaml.safe_load((root / "lock.yaml").read_text(encoding="utf-8")),
        "reference": root / "reference.md",
    }
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


EMAIL = {"id": "e1", "read": True}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/api/v2/emails":
            return httpx.Response(200, json={"items": [EMAIL], "next_starting_after": None})
        return httpx.Response(200, json=EMAIL)

    def client(self, sdk: types.ModuleType) -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return sdk.AsyncInstantly(api_key="k", http_client=http, rate_limit=None, max_retries=0)

    def wire(self) -> list[tuple[str, str, bytes]]:
        return [(r.method, str(r.url.copy_with(query=None)), r.content) for r in self.requests]


def test_the_renamed_tag_is_reported_and_locked(regenerated: dict[str, Any]) -> None:
    lock = regenerated["lock"]
    assert lock["aliases"] == {
        "email.get": {"operation": "getEmail", "since": "0.1.0"},
        "email.list": {"operation": "listEmails", "since": "0.1.0"},
        "email.mark_email_read": {"operation": "markEmailRead", "since": "0.1.0"},
    }
    report = regenerated["changelog"]
    assert "- `listEmails` moved from tag Email to Unibox" in report
    assert (
        "- moved: email.list() -> unibox.list_emails() (listEmails) "
        "(the old name stays as a deprecated alias)"
    ) in report
    assert "**breaking**" not in report
    generated = regenerated["two"] / "_generated"
    namespaces = (generated / "namespaces.py").read_text(encoding="utf-8")
    assert 'NAMESPACES = (\n    "lead",\n    "unibox",\n)' in namespaces
    assert 'DEPRECATED_NAMESPACES = ("email",)' in namespaces


def test_the_reference_lists_the_old_namespace_only_as_deprecated_aliases(
    regenerated: dict[str, Any],
) -> None:
    text = regenerated["reference"].read_text(encoding="utf-8")
    assert "## `client.email`" not in text
    assert "## `client.unibox`" in text
    _, _, aliases = text.partition("## Deprecated aliases\n")
    assert (
        "| `client.email.list()` | [`client.unibox.list_emails()`](#unibox-list-emails) "
        "| 0.1.0 | 0.3.0 |"
    ) in aliases


@pytest.mark.anyio
async def test_the_old_namespace_warns_and_calls_the_same_wire(regenerated: dict[str, Any]) -> None:
    sdk = regenerated["sdk"]
    rec = Recorder()
    async with rec.client(sdk) as client:
        with pytest.warns(DeprecationWarning) as caught:
            email = client.email
            assert client.email is email  # built once: warns once
        assert [str(w.message) for w in caught] == ["client.email is deprecated: use client.unibox"]
        assert caught[0].filename == __file__
        with pytest.warns(DeprecationWarning) as caught:
            page = await email.list(limit=5)
            got = await email.get("e1")
            marked = await email.mark_email_read("e1", read=True)
        assert [str(w.message) for w in caught] == [
            "client.email.list() is deprecated: use client.unibox.list_emails()",
            "client.email.get() is deprecated: use client.unibox.get_email()",
            "client.email.mark_email_read() is deprecated: use client.unibox.mark_email_read()",
        ]
        assert {w.filename for w in caught} == {__file__}  # the caller's line, not ours
        new = [
            await client.unibox.list_emails(limit=5),
            await client.unibox.get_email("e1"),
            await client.unibox.mark_email_read("e1", read=True),
        ]
    assert page.items[0].id == got.id == marked.id == "e1"
    assert [type(x) for x in (page, got, marked)] == [type(x) for x in new]
    wire = rec.wire()
    assert wire[:3] == wire[3:]
    assert wire[:3] == [
        ("GET", "https://api.instantly.ai/api/v2/emails", b""),
        ("GET", "https://api.instantly.ai/api/v2/emails/e1", b""),
        ("POST", "https://api.instantly.ai/api/v2/emails/e1/read", b'{"read":true}'),
    ]
    assert rec.requests[0].url.params["limit"] == rec.requests[3].url.params["limit"] == "5"


@pytest.mark.anyio
async def test_aliases_answer_raw_responses_too(regenerated: dict[str, Any]) -> None:
    sdk = regenerated["sdk"]
    rec = Recorder()
    async with rec.client(sdk) as client:
        with pytest.warns(DeprecationWarning) as caught:
            raw_page = await client.with_raw_response.email.list(limit=2)
            raw = await client.with_raw_response.email.get("e1")
        assert [str(w.message) for w in caught] == [
            "client.with_raw_response.email is deprecated: use client.with_raw_response.unibox",
            "client.with_raw_response.email.list() is deprecated: "
            "use client.with_raw_response.unibox.list_emails()",
            "client.with_raw_response.email.get() is deprecated: "
            "use client.with_raw_response.unibox.get_email()",
        ]
        assert {w.filename for w in caught} == {__file__}
    assert (raw_page.status_code, raw.status_code) == (200, 200)
    assert raw.parse().id == "e1"
    assert raw_page.parse().items[0].id == "e1"
    assert [r.url.path for r in rec.requests] == ["/api/v2/emails", "/api/v2/emails/e1"]


def test_an_alias_has_its_targets_signature(regenerated: dict[str, Any]) -> None:
    sdk = regenerated["sdk"]
    client = sdk.AsyncInstantly(api_key="k")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        email = client.email
    pairs = [("list", "list_emails"), ("get", "get_email"), ("mark_email_read", "mark_email_read")]
    for old, new in pairs:
        alias, target = getattr(email, old), getattr(client.unibox, new)
        assert inspect.signature(alias) == inspect.signature(target), old
        assert alias.__doc__ == f"Deprecated: use ``client.unibox.{new}()`` (removed in 0.3.0)."
    with pytest.raises(TypeError, match=r"email\.get\(\) got an unexpected keyword argument 'idd'"):
        email.get(idd="e1")  # misspelt: refused before a warning or a request
    with pytest.raises(TypeError, match="did you mean 'read'"):
        email.mark_email_read("e1", raed=True)


def test_the_bump_that_reaches_their_end_removes_the_aliases(
    regenerated: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = regenerated["root"]
    before = (root / "lock.yaml").read_text(encoding="utf-8")
    bumped: list[str] = []

    def apply_version(repo: Path, new: str) -> list[Path]:
        bumped.append(new)  # the real one writes the repository's version files
        return []

    monkeypatch.setattr(changes, "apply_version", apply_version)
    capsys.readouterr()
    # at 0.2.3 the aliases are still served; removing deleteLead is breaking: 0.2.3 -> 0.3.0,
    # which is where they end: built again at 0.3.0, the release has none
    three = regenerate(root, version_three(), "three", "--sdk-version", "0.2.3", "--bump")
    assert bumped == ["0.3.0"]
    printed = capsys.readouterr().out
    assert (
        "- **breaking** removed deprecated alias client.email.list() (deprecated in 0.1.0, "
        "removed in 0.3.0): use client.unibox.list_emails()"
    ) in printed
    assert "version 0.2.3 -> 0.3.0 (minor (breaking, 0.x) bump)" in printed
    assert "email.list" in before
    assert yaml.safe_load((root / "lock.yaml").read_text(encoding="utf-8"))["aliases"] == {}
    generated = three / "_generated"
    assert not (generated / "resources" / "email.py").exists()
    assert "DEPRECATED_NAMESPACES = ()" in (generated / "namespaces.py").read_text()


def test_a_regeneration_without_a_new_document_reports_expired_aliases_too(
    regenerated: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = regenerated["root"]
    for kept in ("openapi.yaml", "lock.yaml"):
        (tmp_path / kept).write_bytes((root / f"two-{kept}").read_bytes())
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n## [0.2.0]\n", encoding="utf-8")
    argv = ["--openapi", str(tmp_path / "openapi.yaml"), "--output", str(tmp_path / "out")]
    argv += ["--lock", str(tmp_path / "lock.yaml"), "--changelog", str(changelog)]
    assert regen.main([*argv, "--sdk-version", "0.2.9"]) == 0  # still served: nothing to say
    assert "facade-names" not in changelog.read_text(encoding="utf-8")
    capsys.readouterr()
    assert regen.main([*argv, "--sdk-version", "0.3.0"]) == 0  # the version was set by hand
    printed = capsys.readouterr().out
    assert "names: alias-expired: removed deprecated alias client.email.get()" in printed
    text = changelog.read_text(encoding="utf-8")
    unreleased = text.split("## [0.2.0]")[0]
    assert "### Facade names at version 0.3.0" in unreleased
    assert (
        "- **breaking** removed deprecated alias client.email.mark_email_read() (deprecated in "
        "0.1.0, removed in 0.3.0): use client.unibox.mark_email_read()"
    ) in unreleased
    assert "Semantic version: 3 change(s), 3 breaking." in unreleased
    assert regen.main([*argv, "--sdk-version", "0.3.0"]) == 0  # again: nothing new, no block
    assert changelog.read_text(encoding="utf-8") == text


# --------------------------------------------------------------------------- the real lock


def test_every_alias_of_the_names_lock_resolves_typed_like_its_target() -> None:
    from instantly_async import AsyncInstantly
    from instantly_async._generated.namespaces import DEPRECATED_NAMESPACES, FACADE_NAMES

    lock = naming.Lock.load(REPO / "scripts/names/lock.yaml")
    assert lock.aliases, "the reviewed renames keep their old spellings"
    client = AsyncInstantly(api_key="k")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reaching a live namespace's alias warns nothing
        for key, entry in sorted(lock.aliases.items()):
            namespace, old = key.split(".")
            assert namespace not in DEPRECATED_NAMESPACES
            target_ns, new = FACADE_NAMES[entry["operation"]]
            alias, target = (
                getattr(getattr(client, namespace), old),
                getattr(getattr(client, target_ns), new),
            )
            assert inspect.signature(alias) == inspect.signature(target), key
            assert alias.__doc__.startswith(f"Deprecated: use ``client.{target_ns}.{new}()``")
            raw = getattr(getattr(client.with_raw_response, namespace), old)
            raw_target = getattr(getattr(client.with_raw_response, target_ns), new)
            assert inspect.signature(raw) == inspect.signature(raw_target), key
            assert entry["since"] and not naming.alias_expired(
                entry["since"], changes.current_version(REPO)
            ), f"{key} has expired: run make regen"


class _Ok:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return httpx.Response(200, json=[])


@pytest.mark.anyio
async def test_an_alias_is_typed_for_mypy_like_its_target() -> None:
    """``make lint`` type-checks this: each ignore below must be needed (warn_unused_ignores),
    which it would not be if aliases took ``(*args, **kwargs) -> Any``."""
    from instantly_async import AsyncInstantly
    from instantly_async.types import BlockListEntry

    ok = _Ok()
    http = httpx.AsyncClient(transport=httpx.MockTransport(ok))
    async with AsyncInstantly(api_key="k", http_client=http, rate_limit=None) as client:
        with pytest.warns(DeprecationWarning, match=r"use client\.block_list_entry\.delete_bulk"):
            deleted: list[BlockListEntry] = await client.block_list_entry.deletebulk(ids=["a"])
        assert deleted == []
        with pytest.raises(TypeError, match="did you mean 'ids'"):
            await client.block_list_entry.deletebulk(idz=["a"])  # type: ignore[call-arg]
        with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="ids must be"):
            await client.block_list_entry.deletebulk(ids=3)  # type: ignore[arg-type]
        with pytest.warns(DeprecationWarning):
            count: int = await client.block_list_entry.deletebulk(ids=[])  # type: ignore[assignment]
        assert str(count) == "[]"
    assert ok.paths == ["/api/v2/block-lists-entries/bulk-delete"] * 2
