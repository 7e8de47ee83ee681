"""The tolerant, lossless reader: drift is kept and logged, or raised with strict_responses."""

from __future__ import annotations

import copy
import datetime
import json
import logging
from typing import Any

import httpx
import pytest

from instantly_async import APIResponseValidationError, AsyncInstantly
from instantly_async._generated.models.campaign import Campaign
from instantly_async._generated.models.campaign_campaign_schedule import (
    CampaignCampaignSchedule,
)
from instantly_async._generated.models.lead import Lead
from instantly_async._generated.types import UNSET
from instantly_async._tolerant import ResponseDrift, _warned, reading

SCHEDULE: dict[str, Any] = {
    "schedules": [
        {
            "name": "Weekdays",
            "timing": {"from": "09:00", "to": "17:00"},
            "days": {"1": True, "2": True},
            "timezone": "America/Chicago",
        }
    ],
    "start_date": "2026-01-31",
    "end_date": None,
}
CAMPAIGN: dict[str, Any] = {
    "id": "0199a2c4-0000-7000-8000-000000000001",
    "name": "Spring outreach",
    "status": 1,
    "campaign_schedule": SCHEDULE,
    "timestamp_created": "2025-09-30T07:55:34.416Z",
    "timestamp_updated": "2025-09-30T07:55:34.416Z",
}


def campaign(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CAMPAIGN)
    data.update(changes)
    return data


def page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items)}


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    _warned.clear()


def client_for(body: Any, *, strict: bool = False) -> AsyncInstantly:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return AsyncInstantly(
        api_key="test-key",
        http_client=httpx.AsyncClient(transport=transport),
        rate_limit=None,
        strict_responses=strict,
    )


# --------------------------------------------------------------------------- lossless


LEAD: dict[str, Any] = {
    "id": "l1",
    "timestamp_created": "2025-09-30T07:55:34.416Z",
    "timestamp_updated": "2025-09-30T07:55:34Z",
    "timestamp_last_contact": "2025-10-01T10:00:00.000+02:00",
    "email_open_count": 3,
    "email_reply_count": 0.0,
    "payload": {"city": "Austin", "score": 7.50},
}


LEAD_COMPLETE: dict[str, Any] = {  # every required field
    **LEAD,
    "organization": "o1",
    "status": 1,
    "email_click_count": 0,
    "company_domain": "example.com",
    "status_summary": {},
}


def test_timestamps_nesting_and_numbers_round_trip_exactly() -> None:
    model = Lead.from_dict(LEAD)
    assert model.timestamp_created == datetime.datetime(
        2025, 9, 30, 7, 55, 34, 416000, tzinfo=datetime.timezone.utc
    )
    assert model.to_dict() == LEAD
    assert json.loads(model.to_json()) == LEAD
    data = campaign(daily_limit=50, stop_on_reply=True, brand_new_field={"a": [1, 2.5]})
    assert Campaign.from_dict(data).to_dict() == data


def test_a_changed_timestamp_is_written_from_its_new_value() -> None:
    model = Lead.from_dict(LEAD)
    model.timestamp_updated = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    out = model.to_dict()
    assert out["timestamp_updated"] == "2026-01-01T00:00:00+00:00"
    assert out["timestamp_created"] == "2025-09-30T07:55:34.416Z"


def test_unknown_fields_are_kept_even_on_closed_schemas() -> None:
    # Lead is `additionalProperties: false` upstream; the live API sends more
    data = {"id": "l1", "email": "a@example.com", "undocumented": {"x": 1}}
    lead = Lead.from_dict(data)
    assert lead.additional_properties == {"undocumented": {"x": 1}}
    assert lead["undocumented"] == {"x": 1}
    assert lead.to_dict() == data


# --------------------------------------------------------------------------- tolerant


def test_empty_string_for_a_nullable_date_reads_as_none_and_writes_back() -> None:
    data = {**SCHEDULE, "start_date": "", "end_date": ""}
    schedule = CampaignCampaignSchedule.from_dict(data)
    assert schedule.start_date is None
    assert schedule.end_date is None
    assert schedule.to_dict() == data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "next tuesday"),  # a format that does not parse
        ("start_date", 20260131),  # an undocumented type
        ("schedules", {"not": "a list"}),
    ],
)
def test_values_that_do_not_fit_are_kept_as_received(
    field: str, value: object, caplog: pytest.LogCaptureFixture
) -> None:
    data = {**SCHEDULE, field: value}
    schedule = CampaignCampaignSchedule.from_dict(data)
    assert getattr(schedule, field) == value
    assert schedule.to_dict() == data
    assert f"CampaignCampaignSchedule.{field}" in caplog.text


def test_missing_required_fields_read_as_unset() -> None:
    data = {"start_date": None}  # a draft: `campaign_schedule: {}` and friends
    schedule = CampaignCampaignSchedule.from_dict(data)
    # typed as documented (a list): UNSET is the deviation, logged (see the guide)
    assert getattr(schedule, "schedules") is UNSET  # noqa: B009
    assert schedule.to_dict() == data
    assert Campaign.from_dict({}).to_dict() == {}


def test_enum_values_not_listed_are_kept() -> None:
    model = Campaign.from_dict(campaign(status=99))
    assert getattr(model, "status") == 99  # noqa: B009


def test_strict_reading_raises_on_the_first_deviation() -> None:
    with reading("listCampaigns", strict=True), pytest.raises(ResponseDrift) as info:
        Campaign.from_dict(campaign(status=99))
    assert info.value.field == "Campaign.status"
    assert info.value.kind == "enum"


# --------------------------------------------------------------------------- through the client


@pytest.mark.anyio
async def test_client_keeps_drift_and_warns_once_per_operation_and_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    odd = campaign(campaign_schedule={**SCHEDULE, "start_date": "soon"}, warmup_pool_id="p1")
    body = page(odd, odd)
    async with client_for(body) as client:
        with caplog.at_level(logging.WARNING, logger="instantly_async"):
            first = await client.campaign.list()
            await client.campaign.list()
    assert first.items[0].campaign_schedule.start_date == "soon"
    assert [item.to_dict() for item in first.items] == [odd, odd]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "listCampaign" in message
    assert "/items/0/campaign_schedule/start_date" in message


@pytest.mark.anyio
async def test_strict_responses_raise_naming_the_json_pointer() -> None:
    odd = campaign(campaign_schedule={**SCHEDULE, "start_date": "soon"})
    async with client_for(page(campaign(), odd), strict=True) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await client.campaign.list()
    assert info.value.pointer == "/items/1/campaign_schedule/start_date"
    assert "/items/1/campaign_schedule/start_date" in str(info.value)


@pytest.mark.anyio
async def test_strict_responses_accept_what_fits() -> None:
    async with client_for(page(campaign()), strict=True) as client:
        result = await client.campaign.list()
    assert result.items[0].to_dict() == CAMPAIGN


def test_strict_responses_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="strict_responses"):
        AsyncInstantly(api_key="k", strict_responses="yes")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- repr


def test_repr_leaves_out_unset_fields() -> None:
    lead = Lead.from_dict({"id": "l1", "email": "a@example.com", "extra": 1})
    text = repr(lead)
    assert text.startswith("Lead(id='l1', ")
    assert "email='a@example.com'" in text
    assert "additional_properties={'extra': 1}" in text
    assert "Unset" not in text


def test_empty_string_for_another_nullable_date_is_a_deviation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # campaign_schedule dates are known to be "" (x-empty-is-null); elsewhere "" is drift
    lead = Lead.from_dict({"id": "l1", "timestamp_last_reply": ""})
    assert lead.timestamp_last_reply is None
    assert lead.to_dict() == {"id": "l1", "timestamp_last_reply": ""}
    assert "Lead.timestamp_last_reply" in caplog.text
    caplog.clear()
    CampaignCampaignSchedule.from_dict({**SCHEDULE, "start_date": ""})
    assert "start_date" not in caplog.text
    with reading(strict=True), pytest.raises(ResponseDrift, match="timestamp_last_reply"):
        Lead.from_dict({**LEAD_COMPLETE, "timestamp_last_reply": ""})
    with reading(strict=True):
        assert Lead.from_dict(LEAD_COMPLETE).to_dict() == LEAD_COMPLETE
    with reading(strict=True):
        CampaignCampaignSchedule.from_dict({**SCHEDULE, "start_date": "", "end_date": ""})
