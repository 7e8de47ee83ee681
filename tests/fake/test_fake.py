"""instantly_async.testing: SDK flows run through the stateful fake (asyncio and trio)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from instantly_async import (
    APITimeoutError,
    AuthenticationError,
    BackgroundJobFailed,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from instantly_async.testing import FakeClock, FakeInstantly
from instantly_async.types import BulkAddLeadsLeadsItemParam

pytestmark = pytest.mark.anyio

SCHEDULE = {
    "schedules": [
        {
            "name": "Weekdays",
            "timing": {"from": "09:00", "to": "17:00"},
            "days": {"1": True, "2": True},
            "timezone": "Etc/GMT+12",
        }
    ]
}


def _leads(count: int, domain: str = "example.com") -> list[BulkAddLeadsLeadsItemParam]:
    return [{"email": f"p{i}@{domain}", "first_name": f"P{i}"} for i in range(count)]


async def _campaign(client: Any, name: str = "Q3") -> Any:
    return await client.campaign.create(name=name, campaign_schedule=SCHEDULE)


async def test_campaign_leads_move_flow() -> None:
    fake = FakeInstantly()
    async with fake.client() as client:
        campaign = await _campaign(client)
        target = await client.lead_list.create(name="Warm")
        added = await client.lead.bulk_add(campaign_id=campaign.id, leads=_leads(250))
        assert (added.total_sent, added.leads_uploaded) == (250, 250)

        first = await client.lead.list(campaign=campaign.id, limit=100)
        assert len(first.items) == 100 and first.next_starting_after == first.items[-1].id
        emails = [lead.email async for lead in client.lead.list(campaign=campaign.id, limit=100)]
        assert emails == [f"p{i}@example.com" for i in range(250)]

        job = await client.lead.move(campaign=campaign.id, to_list_id=target.id)
        seen = [job.status]
        while job.status not in ("success", "failed"):
            job = await client.background_job.get(job.id)
            seen.append(job.status)
        assert seen == ["pending", "in-progress", "success"] and job.progress == 100
        moved = [lead async for lead in client.lead.list(list_id=target.id)]
        assert len(moved) == 250
    pages = [r for r in fake.requests if r.operation_id == "listLeads"]
    assert [r.json.get("starting_after") for r in pages[1:4]] == [
        None,
        first.items[-1].id,
        pages[3].json["starting_after"],
    ]


async def test_bulk_add_skips_duplicates_and_bulk_delete() -> None:
    fake = FakeInstantly()
    async with fake.client() as client:
        campaign = await _campaign(client)
        await client.lead.bulk_add(campaign_id=campaign.id, leads=_leads(3))
        again = await client.lead.bulk_add(campaign_id=campaign.id, leads=_leads(5))
        assert (again.leads_uploaded, again.duplicated_leads) == (2, 3)
        deleted = await client.lead.bulk_delete(campaign_id=campaign.id)
        assert deleted.count == 5
        assert (await client.lead.list(campaign=campaign.id)).items == []


async def test_crud_by_path_structure() -> None:
    fake = FakeInstantly()
    async with fake.client() as client:
        member = await client.workspace_member.create(email="a@example.com", role="editor")
        assert member.role == "editor" and member.id
        assert member.timestamp_created is not None
        got = await client.workspace_member.get(member.id)
        assert (got.email, got.role) == ("a@example.com", "editor")
        patched = await client.workspace_member.patch(member.id, role="view")
        assert patched.role == "view"
        await client.workspace_member.delete(member.id)
        with pytest.raises(NotFoundError) as caught:
            await client.workspace_member.get(member.id)
        assert caught.value.status_code == 404


async def test_query_cursor_pages_through_stored_items() -> None:
    fake = FakeInstantly()
    async with fake.client() as client:
        for i in range(5):
            await client.lead_label.create(label=f"L{i}", interest_status_label="positive")
        first = await client.lead_label.list(limit=2)
        assert [x.label for x in first.items] == ["L0", "L1"]
        second = await first.next_page()
        assert [x.label for x in second.items] == ["L2", "L3"]
        labels = [x.label async for x in client.lead_label.list(limit=2)]
        assert labels == [f"L{i}" for i in range(5)]
        last = await second.next_page()
        assert [x.label for x in last.items] == ["L4"] and not last.has_next_page()


async def test_singleton_state_persists() -> None:
    fake = FakeInstantly()
    async with fake.client() as client:
        await client.workspace.patch(name="Acme")
        assert (await client.workspace.get()).name == "Acme"
        campaign = await _campaign(client)
        assert campaign.status == 0
        assert (await client.campaign.activate(campaign.id)).status == 1


async def test_scopes_like_the_service() -> None:
    fake = FakeInstantly()
    async with fake.client(scopes=["leads:read"], max_retries=0) as client:
        await client.lead.list()
        with pytest.raises(PermissionDeniedError) as denied:
            await client.campaign.list()
    assert denied.value.status_code == 403
    body = denied.value.body
    assert isinstance(body, dict) and (body["statusCode"], body["error"]) == (403, "Forbidden")
    assert "campaigns:read" in denied.value.required_scopes
    async with httpx.AsyncClient(transport=fake.transport) as http:
        response = await http.get("https://api.instantly.ai/api/v2/campaigns")
    assert response.status_code == 401
    assert response.json() == {
        "statusCode": 401,
        "error": "Unauthorized",
        "message": "Missing Authorization header",
    }
    bad_key = fake.client(max_retries=0, default_headers={"Authorization": "Bearer nope"})
    async with bad_key:
        with pytest.raises(AuthenticationError):
            await bad_key.campaign.list()


async def test_request_validation_400_like_the_service() -> None:
    fake = FakeInstantly()
    async with httpx.AsyncClient(transport=fake.transport) as http:
        headers = {"Authorization": f"Bearer {fake.api_key()}"}
        url = "https://api.instantly.ai/api/v2/campaigns"
        missing = await http.post(url, json={"name": "x"}, headers=headers)
        wrong = await http.post(
            url, json={"name": 5, "campaign_schedule": SCHEDULE}, headers=headers
        )
        limit = await http.get(url, params={"limit": "1000"}, headers=headers)
    assert missing.status_code == 400
    assert missing.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "body must have required property 'campaign_schedule'",
    }
    assert wrong.json()["message"] == "body/name must be string"
    assert limit.status_code == 400 and limit.json()["message"].startswith("querystring/limit")
    async with fake.client(max_retries=0) as client:
        with pytest.raises(BadRequestError):
            await client.lead.bulk_add(leads=[])


async def test_rate_limits_against_the_clock() -> None:
    clock = FakeClock()
    fake = FakeInstantly(clock=clock)
    async with fake.client(rate_limit=None, max_retries=0) as client:
        for _ in range(100):
            await client.workspace.get()
        with pytest.raises(RateLimitError) as limited:
            await client.workspace.get()
        assert limited.value.response.headers["Retry-After"] == "1"
        assert limited.value.body == {
            "statusCode": 429,
            "error": "Too Many Requests",
            "message": "Rate limit exceeded",
        }
        clock.advance(1.0)
        await client.workspace.get()
        # listEmail has its own limit of 20 requests a minute
        for _ in range(20):
            clock.advance(0.1)
            await client.email.list()
        with pytest.raises(RateLimitError) as per_operation:
            await client.email.list()
        assert int(per_operation.value.response.headers["Retry-After"]) > 1


async def test_fault_injection_and_request_log() -> None:
    fake = FakeInstantly()
    fake.fail_next("listCampaign", status=503)
    fake.fail_next("getWorkspace", exception=httpx.ReadTimeout)
    async with fake.client(max_retries=0) as client:
        with pytest.raises(InternalServerError) as failed:
            await client.campaign.list()
        assert failed.value.status_code == 503
        with pytest.raises(APITimeoutError):
            await client.workspace.get()
        await client.campaign.list()
    assert [(r.operation_id, r.status) for r in fake.requests] == [
        ("listCampaign", 503),
        ("getWorkspace", None),
        ("listCampaign", 200),
    ]
    with pytest.raises(ValueError, match="unknown operation id"):
        fake.fail_next("noSuchOperation", status=500)
    with pytest.raises(ValueError, match="exactly one"):
        fake.fail_next("listCampaign")


async def test_retries_recover_from_an_injected_fault() -> None:
    fake = FakeInstantly()
    fake.fail_next("getWorkspace", status=429, retry_after=0)
    async with fake.client() as client:
        await client.workspace.get()
    assert [r.status for r in fake.requests] == [429, 200]


async def test_failed_background_job() -> None:
    fake = FakeInstantly()
    fake.fail_next_job()
    async with fake.client() as client:
        campaign = await _campaign(client)
        await client.lead.bulk_add(campaign_id=campaign.id, leads=_leads(2))
        job = await client.lead.move(campaign=campaign.id, to_campaign_id="elsewhere")
        with pytest.raises(BackgroundJobFailed) as failed:
            await client.background_job.wait(job, poll_interval=0)
        assert failed.value.job.status == "failed"
        assert len((await client.lead.list(campaign=campaign.id)).items) == 2


async def test_seed_and_inspect_state() -> None:
    fake = FakeInstantly(seed=7)
    email = fake.add("emails", subject="Hello")
    assert email["subject"] == "Hello" and email["id"]
    async with fake.client() as client:
        got = await client.email.get(email["id"])
        assert got.subject == "Hello"
        page = await client.email.list()
        assert [e.id for e in page.items] == [email["id"]]
    assert fake.get("emails", email["id"]) == email
    assert FakeInstantly(seed=7).add("emails")["id"] == FakeInstantly(seed=7).add("emails")["id"]
    with pytest.raises(ValueError, match="no collection"):
        fake.add("nothing-here")


def test_bad_arguments_are_named() -> None:
    fake = FakeInstantly()
    with pytest.raises(ValueError, match="scope looks like"):
        fake.api_key(["everything"])
    with pytest.raises(TypeError, match="sets api_key itself"):
        fake.client(api_key="x")
    with pytest.raises(ValueError, match="cannot go back"):
        FakeClock().advance(-1)
