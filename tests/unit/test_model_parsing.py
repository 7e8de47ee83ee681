"""Generated models parse strictly where the type is known, and tolerantly for enums."""

from __future__ import annotations

import datetime

import pytest

from instantly_async._generated.models.campaign_campaign_schedule import (
    CampaignCampaignSchedule,
)


def test_nullable_date_parses_a_date_and_null() -> None:
    schedule = CampaignCampaignSchedule.from_dict(
        {"schedules": [], "start_date": "2026-01-31", "end_date": None}
    )
    assert schedule.start_date == datetime.date(2026, 1, 31)
    assert schedule.end_date is None


def test_nullable_date_rejects_what_is_not_a_date() -> None:
    # the generator's default would hand back the string typed as a date; ours refuses
    with pytest.raises(ValueError):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": "next tuesday"})
    with pytest.raises(TypeError):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": 20260131})
