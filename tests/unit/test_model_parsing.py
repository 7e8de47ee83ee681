"""Generated models parse dates, and keep what does not parse (see test_tolerant_reader.py)."""

from __future__ import annotations

import datetime

import pytest

from instantly_async._generated.models.campaign_campaign_schedule import (
    CampaignCampaignSchedule,
)
from instantly_async._generated.models.campaign_subsequence_subsequence_schedule import (
    CampaignSubsequenceSubsequenceSchedule,
)
from instantly_async._tolerant import ResponseDrift, reading


def test_nullable_date_parses_a_date_and_null() -> None:
    schedule = CampaignSubsequenceSubsequenceSchedule.from_dict(
        {"schedules": [], "start_date": "2026-01-31", "end_date": None}
    )
    assert schedule.start_date == datetime.date(2026, 1, 31)
    assert schedule.end_date is None


def test_campaign_schedule_dates_read_dates_and_date_times_as_received() -> None:
    # scripts/overrides/live-api.yaml: live campaigns carry date-times here, the document says date
    received = {"schedules": [], "start_date": "2025-04-15T16:43:09.647Z", "end_date": "2026-01-31"}
    with reading(strict=True):
        schedule = CampaignCampaignSchedule.from_dict(received)
    utc = datetime.timezone.utc
    assert schedule.start_date == datetime.datetime(2025, 4, 15, 16, 43, 9, 647000, tzinfo=utc)
    assert schedule.end_date == datetime.datetime(2026, 1, 31)
    assert schedule.to_dict() == received


def test_nullable_date_never_hands_back_a_guess() -> None:
    # the generator's default would hand back the string typed as a date; strict reading refuses
    with reading(strict=True), pytest.raises(ResponseDrift):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": "next tuesday"})
    with reading(strict=True), pytest.raises(ResponseDrift):
        CampaignCampaignSchedule.from_dict({"schedules": [], "start_date": 20260131})
