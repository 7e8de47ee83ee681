"""The request TypedDicts under mypy: ``make lint`` type-checks this module.

mypy runs with ``warn_unused_ignores`` (``--strict``), so each ``# type: ignore[code]`` below is
a check that mypy does report that error: a misspelt key, a value of the wrong type, a missing
required key, an unknown keyword argument. The same calls then run, to show that the checks
at run time agree (a TypeError, nothing sent), and that well-typed literals go through.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from instantly_async import APIStatusError, AsyncInstantly
from instantly_async.types import (
    BulkAddLeadsLeadsItemParam,
    CreateCampaignCampaignScheduleParam,
    CreateLeadParams,
)

pytestmark = pytest.mark.anyio

LEADS: list[BulkAddLeadsLeadsItemParam] = [
    {"email": "a@example.com", "first_name": "Ada", "lt_interest_status": 1},
    {"email": "b@example.com", "custom_variables": {"plan": "pro", "seats": 3, "trial": False}},
]
SCHEDULE: CreateCampaignCampaignScheduleParam = {
    "schedules": [
        {
            "name": "Office hours",
            "timing": {"from": "09:00", "to": "17:00"},
            "days": {"1": True, "2": True, "3": True},
            "timezone": "Etc/GMT+12",
        }
    ],
}
NEW_LEAD: CreateLeadParams = {"email": "c@example.com", "skip_if_in_workspace": True}

# What mypy refuses (each ignore must be needed, or `make lint` fails):
MISSPELT: BulkAddLeadsLeadsItemParam = {"emial": "x@example.com"}  # type: ignore[typeddict-unknown-key]
WRONG_TYPE: BulkAddLeadsLeadsItemParam = {"email": 3}  # type: ignore[typeddict-item]
NOT_AN_ENUM_VALUE: BulkAddLeadsLeadsItemParam = {"lt_interest_status": 7}  # type: ignore[typeddict-item]
MISSING_REQUIRED: CreateCampaignCampaignScheduleParam = {}  # type: ignore[typeddict-item]


class Recorder:
    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content) if request.content else None)
        return httpx.Response(422, json={})

    def client(self) -> AsyncInstantly:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncInstantly(api_key="k", http_client=http, rate_limit=None, max_retries=0)


async def test_typed_literals_are_sent_as_written() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(APIStatusError):
            await client.lead.bulk_add(leads=LEADS, campaign_id="c1")
        with pytest.raises(APIStatusError):
            await client.campaign.create(name="Q3", campaign_schedule=SCHEDULE)
        with pytest.raises(APIStatusError):
            await client.lead.create(**NEW_LEAD)  # a whole body TypedDict as keyword arguments
    assert rec.bodies[0] == {"leads": LEADS, "campaign_id": "c1"}
    assert rec.bodies[1] == {"name": "Q3", "campaign_schedule": SCHEDULE}
    assert rec.bodies[2] == NEW_LEAD


async def test_what_mypy_refuses_is_refused_at_run_time_too() -> None:
    rec = Recorder()
    async with rec.client() as client:
        with pytest.raises(TypeError, match=r"unknown key 'emial' at leads\[0\]\.emial"):
            await client.lead.bulk_add(leads=[MISSPELT])
        with pytest.raises(TypeError, match=r"leads\[0\]\.email must be string or null"):
            await client.lead.bulk_add(leads=[WRONG_TYPE])
        with pytest.raises(TypeError, match=r"missing the required key 'schedules'"):
            await client.campaign.create(name="Q3", campaign_schedule=MISSING_REQUIRED)
        with pytest.raises(TypeError, match=r"did you mean 'campaign_schedule'"):
            await client.campaign.create(name="Q3", campaign_schedul=SCHEDULE)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"lead\.create\(\): email must be string or null"):
            await client.lead.create(email=42)  # type: ignore[arg-type]
    assert rec.bodies == []
    # enum values stay advisory at run time (the API adds values before the document does)
    async with rec.client() as client:
        with pytest.raises(APIStatusError):
            await client.lead.bulk_add(leads=[NOT_AN_ENUM_VALUE])
    assert rec.bodies == [{"leads": [{"lt_interest_status": 7}]}]


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_types_load_lazily_and_the_client_never_loads_them() -> None:
    loaded = _loaded_after(
        "from instantly_async import AsyncInstantly\nAsyncInstantly(api_key='k').lead"
    )
    assert not {m for m in loaded if ".params" in m or m == "instantly_async.types"}
    assert "difflib" not in loaded  # loaded only to explain an error
    loaded = _loaded_after("from instantly_async.types import Lead, CreateLeadParams")
    params = {m for m in loaded if m.startswith("instantly_async._generated.params.")}
    assert params == {"instantly_async._generated.params.lead"}
    models = {m for m in loaded if m.startswith("instantly_async._generated.models.")}
    assert 0 < len(models) < 20, sorted(models)
    assert "instantly_async._client" not in loaded


def test_types_module_names_models_and_typed_dicts() -> None:
    import instantly_async.types as types

    assert types.Lead.__module__ == "instantly_async._generated.models.lead"
    assert types.CreateLeadParams.__required_keys__ == frozenset()
    assert "leads" in types.BulkAddLeadsParams.__required_keys__
    assert {"Lead", "CreateLeadParams", "UNSET"} <= set(dir(types))
    with pytest.raises(AttributeError, match="no attribute 'Leed'"):
        _ = types.Leed
