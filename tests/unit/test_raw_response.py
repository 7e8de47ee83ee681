"""client.with_raw_response.<namespace>.<method>(...): status, headers, request, .parse()."""

from __future__ import annotations

import pickle

import httpx
import pytest

from instantly_async import APIResponseValidationError, AsyncInstantly, NotFoundError, Page
from instantly_async._generated.models.workspace_member import WorkspaceMember
from instantly_async._generated.namespaces import FACADE_NAMES, NAMESPACES
from instantly_async._response import APIResponse

KEY = "raw-key-5c1e"
MEMBER_ID = "01959271-1f8b-75f2-be1d-5be4942ab332"
MEMBER = {
    "id": MEMBER_ID,
    "email": "user@example.com",
    "user_id": "01959271-1f8b-75f2-be1d-5be578ad3a68",
    "role": "editor",
    "timestamp_created": "2025-03-14T02:17:22.059Z",
    "workspace_id": "01959271-1f8b-75f2-be1d-5be62bb6dd3b",
    "accepted": True,
}


class Recorder:
    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]

    def client(self) -> AsyncInstantly:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncInstantly(KEY, http_client=http, rate_limit=None, max_retries=0)


@pytest.mark.anyio
async def test_raw_get_gives_status_headers_request_and_parse() -> None:
    headers = {"x-request-id": "r-1"}
    rec = Recorder(httpx.Response(200, json=MEMBER, headers=headers))
    async with rec.client() as client:
        expected = await client.workspace_member.get(MEMBER_ID)
        raw: APIResponse[WorkspaceMember] = await client.with_raw_response.workspace_member.get(
            MEMBER_ID
        )
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r-1" and raw.request_id == "r-1"
    assert raw.method == "GET" and raw.url.path == f"/api/v2/workspace-members/{MEMBER_ID}"
    assert raw.request.headers["authorization"] == "[REDACTED]"
    assert raw.operation_id == "getWorkspaceMember"
    assert raw.json() == MEMBER and raw.text == raw.content.decode()
    assert KEY not in repr(raw)
    member: WorkspaceMember = raw.parse()  # typed: mypy checks this assignment
    assert member.to_dict() == expected.to_dict()
    assert raw.parse() is member  # parsed once
    assert len(rec.requests) == 2


@pytest.mark.anyio
async def test_parse_errors_wait_for_parse() -> None:
    rec = Recorder(httpx.Response(200, json=["not", "a", "lead"]))
    async with rec.client() as client:
        raw = await client.with_raw_response.lead.get("abc")
        assert raw.status_code == 200  # the body does not fit, yet the response is here
        with pytest.raises(APIResponseValidationError):
            raw.parse()


@pytest.mark.anyio
async def test_status_errors_still_raise_with_the_request_id() -> None:
    rec = Recorder(httpx.Response(404, json={"message": "gone"}, headers={"cf-ray": "ray-9"}))
    async with rec.client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.with_raw_response.lead.delete("abc")
    assert caught.value.request_id == "ray-9"
    assert KEY.encode() not in pickle.dumps(caught.value)


@pytest.mark.anyio
async def test_path_checks_apply_to_raw_calls_too() -> None:
    rec = Recorder(httpx.Response(200, json={}))
    async with rec.client() as client:
        with pytest.raises(ValueError, match=r"lead\.delete\(\)"):
            await client.with_raw_response.lead.delete("..")
    assert rec.requests == []


@pytest.mark.anyio
async def test_paginated_methods_answer_with_the_first_page() -> None:
    body = {"items": [MEMBER], "next_starting_after": "cursor-2"}
    rec = Recorder(httpx.Response(200, json=body, headers={"x-request-id": "p-1"}))
    async with rec.client() as client:
        raw = await client.with_raw_response.workspace_member.list(limit=1)
        assert raw.request_id == "p-1" and raw.status_code == 200
        page = raw.parse()
        assert isinstance(page, Page)
        assert page.next_starting_after == "cursor-2" and len(page.items) == 1
        # the plain call is unaffected afterwards (the raw mode ends with the call)
        assert not isinstance(await client.workspace_member.list(limit=1), APIResponse)
    assert len(rec.requests) == 2


@pytest.mark.anyio
async def test_methods_without_a_result_parse_to_none() -> None:
    from instantly_async._generated.operations import OPERATIONS

    nothing = [
        oid
        for oid in FACADE_NAMES
        if OPERATIONS[oid].method == "DELETE" and "{" in OPERATIONS[oid].path
    ]
    assert nothing
    rec = Recorder(httpx.Response(200, json={}))
    async with rec.client() as client:
        namespace, method = FACADE_NAMES["deleteDomainForwarding"]
        raw = await getattr(getattr(client.with_raw_response, namespace), method)("example.com")
        assert raw.status_code == 200


def test_every_namespace_and_method_has_a_raw_twin() -> None:
    client = AsyncInstantly(KEY, rate_limit=None)
    raw = client.with_raw_response
    assert client.with_raw_response is raw
    for oid, (namespace, method) in FACADE_NAMES.items():
        assert callable(getattr(getattr(raw, namespace), method)), oid
    assert set(NAMESPACES) <= set(dir(raw))
    assert client.with_options(max_retries=0).with_raw_response is not raw
