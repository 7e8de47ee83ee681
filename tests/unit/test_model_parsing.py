"""Generated models parse dates, and keep what does not parse (see test_tolerant_reader.py)."""

from __future__ import annotations

import datetime

import pytest

from instantly_async._generated.models.campaign_campaign_schedule import (
    CampaignCampaignSchedule,
)
from instantly_async._tolerant import ResponseDrift, reading


def test_nullable_date_parses_a_date_and_null() -> None:
    schedule = CampaignCampaignSchedule.from_dict(
        {"schedules": [], "start_date": "2026-01-31", "end_date": None}
    )
    assert schedule.start_date == datetime.date(2026, 1, 31)
    assert schedule.end_date is None


def test_nullable_date_never_hands_back_a_guess() -> None:
    # the generator's default would hand back the string typed as a date; strict reading refuses
    with reading(strict=True), pytest.raises(ResponseDrift):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": "next tuesday"})
    with reading(strict=True), pytest.raises(ResponseDrift):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": 20260131})
