"""The request side of the resource methods: dict bodies, key and type checks, per-call options.

Everything runs over httpx.MockTransport; a refused call must send nothing.
"""

from __future__ import annotations

import datetime
import inspect
import json
import pydoc
from collections.abc import Awaitable
from typing import Any

import httpx
import pytest

from instantly_async import APIStatusError, AsyncInstantly
from instantly_async.types import (
    BulkAddLeadsBodyLeadsItem,
    CreateCampaignCampaignScheduleParam,
)

pytestmark = pytest.mark.anyio

LEAD = {"id": "l1", "timestamp_created": "2025-01-01T00:00:00.000Z", "organization": "o"}
SCHEDULE: CreateCampaignCampaignScheduleParam = {
    "schedules": [
        {
            "name": "Weekdays",
            "timing": {"from": "09:00", "to": "17:00"},
            "days": {"1": True, "2": True},
            "timezone": "Etc/GMT+12",
        }
    ]
}


async def sent(call: Awaitable[object]) -> None:
    """Await a call whose request is under test; the mock answers 422, whatever was sent."""
    with pytest.raises(APIStatusError):
        await call


class Recorder:
    """Records requests; answers 422 (so that no response model is involved) unless told."""

    def __init__(self, answer: Any = None, status: int = 422) -> None:
        self.answer = answer if answer is not None else {}
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.answer)

    def client(self) -> AsyncInstantly:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncInstantly(api_key="k", http_client=http, rate_limit=None, max_retries=0)

    def json(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


# --------------------------------------------------------------------------- dict bodies


async def test_nested_dicts_at_depth_reach_the_wire_unchanged() -> None:
    rec = Recorder({"id": "c1", "name": "Q3", "campaign_schedule": SCHEDULE})
    async with rec.client() as client:
        await sent(
            client.campaign.create(
                name="Q3",
                campaign_schedule=SCHEDULE,
                sequences=[
                    {
                        "steps": [
                            {
                                "type": "email",
                                "delay": 2,
                                "variants": [{"subject": "Hi", "body": "Yo"}],
                            }
                        ]
                    }
                ],
            )
        )
    body = rec.json()
    assert body["campaign_schedule"] == SCHEDULE
    assert body["sequences"][0]["steps"][0]["variants"] == [{"subject": "Hi", "body": "Yo"}]


async def test_a_list_of_dicts_and_models_mixed() -> None:
    rec = Recorder({"status": "success"})
    async with rec.client() as client:
        await sent(
            client.lead.bulk_add(
                leads=[{"email": "a@example.com", "custom_variables": {"n": 1}}],
                campaign_id="c1",
            )
        )
        model = BulkAddLeadsBodyLeadsItem(email="b@example.com")
        await sent(client.lead.bulk_add(leads=[model], campaign_id="c1"))  # type: ignore[list-item]
    assert rec.json(0)["leads"] == [{"email": "a@example.com", "custom_variables": {"n": 1}}]
    assert rec.json(1)["leads"] == [{"email": "b@example.com"}]


async def test_misspelt_key_at_depth_names_the_path_and_the_closest_key() -> None:
    rec = Recorder()
    leads: list[Any] = [{"email": f"{i}@example.com"} for i in range(3)] + [{"emial": "x"}]
    async with rec.client() as client:
        with pytest.raises(TypeError) as info:
            await client.lead.bulk_add(leads=leads)
        assert str(info.value) == (
            "lead.bulk_add(): unknown key 'emial' at leads[3].emial; did you mean 'email'?"
        )
        item: Any = {**SCHEDULE["schedules"][0], "timng": {}}
        schedule: CreateCampaignCampaignScheduleParam = {"schedules": [item]}
        with pytest.raises(
            TypeError, match=r"campaign_schedule\.schedules\[0\]\.timng; did you mean 'timing'"
        ):
            await client.campaign.create(name="x", campaign_schedule=schedule)
        with pytest.raises(TypeError, match=r"unknown key 'zzz' at .*; known keys: "):
            await client.lead.bulk_add(leads=[{"zzz": 1}])  # type: ignore[typeddict-unknown-key]
    assert rec.requests == []


async def test_a_misspelt_keyword_argument_suggests_the_real_one() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(TypeError) as info:
            await client.lead.create(emial="a@example.com")  # type: ignore[call-arg]
        assert str(info.value) == (
            "lead.create() got an unexpected keyword argument 'emial'; did you mean 'email'?"
        )
        with pytest.raises(TypeError, match=r"^lead\.bulk_add\(\) missing 1 required .*'leads'"):
            await client.lead.bulk_add()  # type: ignore[call-arg]
        with pytest.raises(
            TypeError, match=r"^lead\.list\(\) got an unexpected .*'serch'.*'search'"
        ):
            client.lead.list(serch="x")  # type: ignore[call-arg]
    assert rec.requests == []


async def test_a_missing_required_nested_key() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(
            TypeError, match=r"campaign_schedule is missing the required key 'schedules'"
        ):
            await client.campaign.create(name="x", campaign_schedule={})  # type: ignore[typeddict-item]
    assert rec.requests == []


async def test_the_body_field_named_body_is_a_plain_argument() -> None:
    rec = Recorder({"id": "e1"})
    async with rec.client() as client:
        await sent(
            client.email.reply(
                eaccount="me@example.com",
                reply_to_uuid="u1",
                subject="Re: hi",
                body={"text": "Thanks"},
            )
        )
    assert rec.json()["body"] == {"text": "Thanks"}


# --------------------------------------------------------------------------- value checks


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": 3}, r"lead\.create\(\): email must be string or null, got int 3"),
        ({"skip_if_in_list": None}, r"lead\.create\(\): skip_if_in_list may not be None"),
        ({"skip_if_in_list": "yes"}, r"skip_if_in_list must be boolean, got str"),
        ({"lt_interest_status": True}, r"lt_interest_status must be number, got bool"),
        ({"custom_variables": {"a": [1]}}, r"custom_variables\.a must be string or number"),
        ({"custom_variables": "a=1"}, r"custom_variables must be object, got str"),
    ],
)
async def test_values_that_do_not_fit_their_json_type_are_refused(
    kwargs: dict[str, Any], message: str
) -> None:
    rec = Recorder(LEAD)
    async with rec.client() as client:
        with pytest.raises(TypeError, match=message):
            await client.lead.create(**kwargs)
    assert rec.requests == []


async def test_required_non_nullable_none_and_integer_checks() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(TypeError, match=r"campaign\.create\(\): name may not be None"):
            await client.campaign.create(name=None, campaign_schedule=SCHEDULE)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"daily_max_leads must be integer or null, got float"):
            await client.campaign.create(name="x", campaign_schedule=SCHEDULE, daily_max_leads=2.5)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"email_list\[1\] must be string, got int"):
            await client.campaign.create(name="x", campaign_schedule=SCHEDULE, email_list=["a", 1])  # type: ignore[list-item]
        with pytest.raises(TypeError, match=r"email_list must be array, got str"):
            await client.campaign.create(name="x", campaign_schedule=SCHEDULE, email_list="a")
    assert rec.requests == []


async def test_query_values_are_checked_too() -> None:
    rec = Recorder({"items": []}, status=200)
    async with rec.client() as client:
        with pytest.raises(
            TypeError, match=r"workspace_member\.list\(\): limit must be integer, got str"
        ):
            await client.workspace_member.list(limit="10")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"list_webhook_event\(\)|from_ must be a datetime"):
            await client.webhook_event.list(from_="2025-01-01")  # type: ignore[arg-type]
        page = await client.webhook_event.list(from_=datetime.datetime(2025, 1, 1))
    assert page.items == []
    assert rec.requests[0].url.params["from"] == "2025-01-01T00:00:00"


async def test_dates_and_uuids_are_written_as_text() -> None:
    from instantly_async._request import STR, Shape, check

    shape = Shape(STR, fmt="date-time")
    when = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert check("m", "at", when, shape) == "2025-01-02T03:04:05+00:00"
    with pytest.raises(TypeError, match=r"m\(\): at must be string, got object"):
        check("m", "at", object(), shape)


# --------------------------------------------------------------------------- per-call options


async def test_extra_body_query_headers_reach_the_wire() -> None:
    rec = Recorder(LEAD)
    async with rec.client() as client:
        await sent(
            client.lead.create(
                email="a@example.com",
                extra_body={"country": "DE", "x": {"y": [1]}},
                extra_query={"trace": "1"},
                extra_headers={"X-Debug": "yes"},
            )
        )
        await sent(client.workspace_member.get("m1", extra_query={"expand": "all"}))
    first = rec.requests[0]
    assert rec.json(0) == {"email": "a@example.com", "country": "DE", "x": {"y": [1]}}
    assert first.url.params["trace"] == "1"
    assert first.headers["x-debug"] == "yes"
    assert first.headers["authorization"] == "Bearer k"
    assert rec.requests[1].url.params["expand"] == "all"


async def test_extra_body_alone_makes_a_body() -> None:
    rec = Recorder({"id": "x"})
    async with rec.client() as client:
        await sent(client.lead_label.delete("l1", extra_body={"reassigned_status": 1}))
        await sent(client.lead_label.delete("l2"))
    assert rec.json(0) == {"reassigned_status": 1}
    assert rec.requests[1].content == b""


async def test_per_call_timeout_reaches_the_transport() -> None:
    rec = Recorder({"items": []}, status=200)
    async with rec.client() as client:
        await client.workspace_member.list(timeout=3.5)
        await client.workspace_member.list(timeout=httpx.Timeout(1.0, connect=0.5))
        await client.workspace_member.list()
        default = client.timeout
        with pytest.raises(TypeError, match=r"workspace_member\.list\(\): timeout must be"):
            await client.workspace_member.list(timeout="abc")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"timeout must be .*got nan"):
            await client.workspace_member.list(timeout=float("nan"))
    timeouts = [r.extensions["timeout"] for r in rec.requests]
    assert timeouts[0] == httpx.Timeout(3.5).as_dict()
    assert timeouts[1] == httpx.Timeout(1.0, connect=0.5).as_dict()
    assert default is not None
    assert timeouts[2] == default.as_dict()  # the client's own
    assert len(rec.requests) == 3


async def test_extra_options_are_mappings() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(TypeError, match=r"lead\.create\(\): extra_headers must be a mapping"):
            await client.lead.create(extra_headers=[("a", "b")])  # type: ignore[arg-type]
    assert rec.requests == []


# --------------------------------------------------------------------------- signatures


def test_signatures_show_the_real_parameters() -> None:
    client = AsyncInstantly(api_key="k")
    sig = inspect.signature(client.lead.bulk_add)
    assert sig.parameters["leads"].default is inspect.Parameter.empty
    assert sig.parameters["leads"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "Sequence[BulkAddLeadsLeadsItemParam]" in str(sig.parameters["leads"].annotation)
    for name in ("extra_headers", "extra_query", "extra_body", "timeout"):
        assert name in sig.parameters
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    text = pydoc.plain(pydoc.render_doc(client.lead.create))
    assert "lt_interest_status: number, optional; one of 1 (Interested)" in text
    assert "email: 'str | None | Unset' = UNSET" in text or "email:" in text
    listing = pydoc.plain(pydoc.render_doc(client.lead.list))
    assert "search:" in listing and "max_items" in listing and "**fields" not in listing


async def test_none_inside_a_nested_object_where_null_is_not_allowed() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(TypeError) as info:
            await client.campaign.create(
                name="x",
                campaign_schedule={"schedules": [{**SCHEDULE["schedules"][0], "name": None}]},  # type: ignore[typeddict-item]
            )
    assert str(info.value) == (
        "campaign.create(): campaign_schedule.schedules[0].name must be string, got None"
    )
    assert rec.requests == []
