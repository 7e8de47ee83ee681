"""The generated namespaces: names, arguments, bodies, pagination and errors, over MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from instantly_async import (
    AsyncInstantly,
    AsyncPaginator,
    NotFoundError,
    Page,
    PermissionDeniedError,
)
from instantly_async._generated.models.create_workspace_member_body import (
    CreateWorkspaceMemberBody,
)
from instantly_async._generated.models.lead import Lead
from instantly_async._generated.models.workspace_member import WorkspaceMember
from instantly_async._generated.namespaces import FACADE_NAMES, NAMESPACES
from instantly_async._generated.operations import OPERATIONS

pytestmark = pytest.mark.anyio

Handler = Callable[[httpx.Request], httpx.Response]

MEMBER = {
    "id": "01959271-1f8b-75f2-be1d-5be4942ab332",
    "email": "user@example.com",
    "user_id": "01959271-1f8b-75f2-be1d-5be578ad3a68",
    "role": "editor",
    "timestamp_created": "2025-03-14T02:17:22.059Z",
    "workspace_id": "01959271-1f8b-75f2-be1d-5be62bb6dd3b",
    "accepted": True,
}


def lead(n: int) -> dict[str, Any]:
    return {
        "id": f"lead-{n}",
        "timestamp_created": "1970-01-01T00:00:00.000Z",
        "timestamp_updated": "1970-01-01T00:00:00.000Z",
        "organization": "org",
        "status": 1,
        "email_open_count": 0,
        "email_reply_count": 0,
        "email_click_count": 0,
        "company_domain": "example.com",
        "status_summary": {},
    }


class Recorder:
    """A MockTransport handler that records requests and answers from a function."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def client(self, **kwargs: Any) -> AsyncInstantly:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncInstantly(api_key="test-key", http_client=http, rate_limit=None, **kwargs)

    def json(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


def test_every_operation_is_reachable() -> None:
    with open(Path(__file__).parents[2] / "openapi.yaml", encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    ids = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert len(ids) == 240
    assert set(OPERATIONS) == ids == set(FACADE_NAMES)
    client = AsyncInstantly(api_key="k")
    for op_id, (namespace, method) in FACADE_NAMES.items():
        assert namespace in NAMESPACES
        assert callable(getattr(getattr(client, namespace), method)), op_id


def test_method_names_follow_the_operation_ids() -> None:
    assert FACADE_NAMES["listWorkspaceMember"] == ("workspace_member", "list")
    assert FACADE_NAMES["createWorkspaceMember"] == ("workspace_member", "create")
    assert FACADE_NAMES["getWorkspaceMember"] == ("workspace_member", "get")
    assert FACADE_NAMES["patchWorkspaceMember"] == ("workspace_member", "patch")
    assert FACADE_NAMES["deleteWorkspaceMember"] == ("workspace_member", "delete")
    assert FACADE_NAMES["listLeads"] == ("lead", "list")
    assert FACADE_NAMES["bulkDeleteLeads"] == ("lead", "bulk_delete")
    assert FACADE_NAMES["getDailyAccountAnalytics"] == (
        "account",
        "get_daily_account_analytics",
    )
    # the reviewed name (scripts/names/readable.yaml): pause matches resume
    assert FACADE_NAMES["pauseAccount"] == ("account", "pause")
    assert FACADE_NAMES["resumeAccount"] == ("account", "resume")
    assert FACADE_NAMES["pauseAccounts"] == ("account", "pause_accounts")
    assert FACADE_NAMES["createblukBlockListEntry"] == ("block_list_entry", "create_bulk")
    assert FACADE_NAMES["deleteallBlockListEntry"] == ("block_list_entry", "delete_all")


async def test_an_old_spelling_still_works_and_warns() -> None:
    rec = Recorder(
        lambda r: httpx.Response(200, json={"items": [], "valid_count": 0, "invalid_count": 0})
    )
    async with rec.client() as client:
        with pytest.warns(
            DeprecationWarning,
            match=r"block_list_entry\.createbluk\(\) is "
            r"deprecated: use client\.block_list_entry\.create_bulk\(\)",
        ):
            await client.block_list_entry.createbluk(bl_values=["a.example"])
        await client.block_list_entry.create_bulk(bl_values=["a.example"])
    old, new = rec.requests
    assert (old.method, old.url.path) == (new.method, new.url.path)
    assert old.content == new.content


def test_every_deprecated_alias_names_a_current_method() -> None:
    lock = yaml.safe_load((Path(__file__).parents[2] / "scripts/names/lock.yaml").read_text())
    client = AsyncInstantly(api_key="k")
    assert lock["aliases"], "the reviewed renames keep their old spellings"
    for alias, entry in lock["aliases"].items():
        operation_id = entry["operation"]
        namespace, old = alias.split(".")
        assert callable(getattr(getattr(client, namespace), old)), alias
        assert FACADE_NAMES[operation_id][1] != old


def test_namespaces_are_cached_per_client() -> None:
    client = AsyncInstantly(api_key="k")
    assert client.lead is client.lead
    other = client.with_options(max_retries=0)
    assert other.lead is not client.lead


async def test_body_fields_as_keyword_arguments() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        member = await client.workspace_member.create(email="user@example.com", role="editor")
    assert isinstance(member, WorkspaceMember)
    assert member.role == "editor"
    request = rec.requests[0]
    assert (request.method, request.url.path) == ("POST", "/api/v2/workspace-members")
    assert rec.json() == {"email": "user@example.com", "role": "editor"}
    assert request.headers["authorization"] == "Bearer test-key"


async def test_a_models_dict_as_keyword_arguments_gives_the_same_request() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        body = CreateWorkspaceMemberBody(email="user@example.com", role="editor")
        await client.workspace_member.create(**body.to_dict())
    assert rec.json() == {"email": "user@example.com", "role": "editor"}


async def test_missing_or_unknown_arguments_are_clear_errors() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        with pytest.raises(TypeError, match=r"workspace_member\.create\(\).*'role'"):
            await client.workspace_member.create(email="user@example.com")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"create\(\).*unexpected keyword.*'colour'"):
            await client.workspace_member.create(email="u@example.com", role="view", colour=1)  # type: ignore[call-arg]
    assert rec.requests == []


async def test_path_parameters_are_positional_and_quoted() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        await client.workspace_member.get("a/b c")
    assert rec.requests[0].url.raw_path == b"/api/v2/workspace-members/a%2Fb%20c"


async def test_delete_sends_no_body() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        await client.workspace_member.delete("m1")
    request = rec.requests[0]
    assert request.method == "DELETE"
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_unknown_enum_value_is_kept() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={**MEMBER, "role": "superadmin"}))
    async with rec.client() as client:
        member = await client.workspace_member.get("m1")
    role: str = member.role  # typed as the known values; a new one is kept as sent
    assert role == "superadmin"


def _member_pages(request: httpx.Request) -> httpx.Response:
    after = request.url.params.get("starting_after")
    pages = {None: ("a", ["1", "2"]), "a": ("b", ["3"]), "b": (None, [])}
    cursor, ids = pages[after]
    body: dict[str, Any] = {"items": [{**MEMBER, "id": i} for i in ids]}
    if cursor:
        body["next_starting_after"] = cursor
    return httpx.Response(200, json=body)


async def test_query_cursor_pagination() -> None:
    rec = Recorder(_member_pages)
    async with rec.client() as client:
        paginator = client.workspace_member.list(limit=2)
        assert isinstance(paginator, AsyncPaginator)
        page = await paginator
        assert isinstance(page, Page)
        assert [m.id for m in page.items] == ["1", "2"]
        assert page.next_starting_after == "a"
        ids = [m.id async for m in client.workspace_member.list(limit=2)]
    assert ids == ["1", "2", "3"]
    assert [r.url.params.get("starting_after") for r in rec.requests[1:]] == [None, "a", "b"]
    assert all(r.url.params["limit"] == "2" for r in rec.requests)


async def test_resume_from_a_saved_cursor() -> None:
    rec = Recorder(_member_pages)
    async with rec.client() as client:
        ids = [m.id async for m in client.workspace_member.list(starting_after="a")]
    assert ids == ["3"]


async def test_body_cursor_pagination_for_leads() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        after = json.loads(request.content).get("starting_after")
        if after is None:
            return httpx.Response(200, json={"items": [lead(1)], "next_starting_after": "c1"})
        return httpx.Response(200, json={"items": [lead(2)]})

    rec = Recorder(answer)
    async with rec.client() as client:
        leads = [x async for x in client.lead.list(campaign="camp-1")]
    assert all(isinstance(x, Lead) for x in leads)
    assert [x.id for x in leads] == ["lead-1", "lead-2"]
    assert [r.url.path for r in rec.requests] == ["/api/v2/leads/list"] * 2
    assert rec.json(0) == {"campaign": "camp-1"}
    assert rec.json(1) == {"campaign": "camp-1", "starting_after": "c1"}


async def test_max_items_stops_early() -> None:
    rec = Recorder(_member_pages)
    async with rec.client() as client:
        ids = [m.id async for m in client.workspace_member.list(max_items=2)]
    assert ids == ["1", "2"]
    assert len(rec.requests) == 1


async def test_scope_aware_error_from_a_namespace_call() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope"}
        return httpx.Response(403, json=body)

    rec = Recorder(answer)
    async with rec.client() as client:
        with pytest.raises(PermissionDeniedError) as info:
            await client.lead.bulk_delete(campaign_id="c1")
    err = info.value
    assert err.operation_id == "bulkDeleteLeads"
    assert err.required_scopes == ("leads:delete", "leads:all", "all:delete", "all:all")
    assert "leads:delete" in str(err)


async def test_not_found_is_typed() -> None:
    body = {"statusCode": 404, "error": "Not Found", "message": "Resource not found"}
    rec = Recorder(lambda r: httpx.Response(404, json=body))
    async with rec.client() as client:
        with pytest.raises(NotFoundError, match="Resource not found"):
            await client.workspace_member.get("missing")


async def test_empty_path_parameter_is_refused_before_sending() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=MEMBER))
    async with rec.client() as client:
        with pytest.raises(ValueError, match=r"workspace_member\.get\(\): 'id' must stay one"):
            await client.workspace_member.get("")
        with pytest.raises(ValueError, match=r"delete\(\) needs a value for 'id', got None"):
            await client.workspace_member.delete(None)  # type: ignore[arg-type]
    assert rec.requests == []  # "" would have addressed GET /api/v2/workspace-members/ instead
