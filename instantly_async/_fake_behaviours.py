"""The fake's hand-written behaviour: only what openapi.yaml cannot tell.

Every other operation is answered by the generic rules of ``_fake.py`` (collections and items
read from the path structure, answers built from the schemas). Listed in the docstring of
``instantly_async.testing`` and in docs/guides/testing.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake import FakeInstantly, _Call

__all__ = ["HANDLERS", "JOB_TYPES", "on_create", "on_item_action"]

_LEADS = "/api/v2/leads"

JOB_TYPES: dict[str, str] = {
    "moveLeads": "move-leads",
    "enableWarmupForAccounts": "update-warmup-accounts",
    "disableWarmupForAccounts": "update-warmup-accounts",
}
"""The ``type`` of the background job an operation starts (the document lists the types)."""

# Campaign status codes (Campaign.status): what creating, activating and pausing set.
_CAMPAIGN_STATUS = {"createCampaign": 0, "activateCampaign": 1, "pauseCampaign": 2}


def on_create(fake: FakeInstantly, call: _Call, body: dict[str, Any]) -> dict[str, Any]:
    """Fields a create sets beyond what was sent (a new campaign is a draft)."""
    if call.operation_id in _CAMPAIGN_STATUS:
        return {**body, "status": _CAMPAIGN_STATUS[call.operation_id]}
    return body


def on_item_action(fake: FakeInstantly, call: _Call, item: dict[str, Any]) -> None:
    """Changes an action makes to the item it names (activating a campaign activates it)."""
    if call.operation_id in _CAMPAIGN_STATUS:
        item["status"] = _CAMPAIGN_STATUS[call.operation_id]
        item["timestamp_updated"] = fake._now()


def _leads(fake: FakeInstantly) -> dict[str, dict[str, Any]]:
    return fake._store.bucket(_LEADS, ())


def select_leads(
    leads: list[dict[str, Any]], body: dict[str, Any], *, campaign_field: str = "campaign"
) -> list[dict[str, Any]]:
    """The leads a body's filters pick: campaign, list, ids, contacts, search, exclusions."""
    campaign = body.get(campaign_field)
    list_id = body.get("list_id")
    if campaign:
        leads = [lead for lead in leads if lead.get("campaign") == campaign]
    if list_id:
        leads = [lead for lead in leads if lead.get("list_id") == list_id]
    if body.get("ids"):
        wanted = set(body["ids"])
        leads = [lead for lead in leads if lead.get("id") in wanted]
    if body.get("excluded_ids"):
        excluded = set(body["excluded_ids"])
        leads = [lead for lead in leads if lead.get("id") not in excluded]
    if body.get("contacts"):
        contacts = {str(c).lower() for c in body["contacts"]}
        leads = [lead for lead in leads if str(lead.get("email") or "").lower() in contacts]
    search = str(body.get("search") or "").lower()
    if search:
        fields = ("email", "first_name", "last_name", "company_name")
        leads = [
            lead for lead in leads if any(search in str(lead.get(f) or "").lower() for f in fields)
        ]
    return leads


def list_leads(fake: FakeInstantly, call: _Call) -> Any:
    """POST /leads/list: leads of the workspace filtered by the body; cursor in the body."""
    body = fake._body(call)
    return fake._page(call, select_leads(list(_leads(fake).values()), body), "id")


def bulk_add_leads(fake: FakeInstantly, call: _Call) -> Any:
    """POST /leads/add: store each lead in the campaign or list, skipping duplicates."""
    body = fake._body(call)
    campaign, list_id = body.get("campaign_id"), body.get("list_id")
    existing = list(_leads(fake).values())

    def emails(leads: list[dict[str, Any]]) -> set[str]:
        return {str(lead.get("email") or "").lower() for lead in leads if lead.get("email")}

    in_target = emails(
        [
            lead
            for lead in existing
            if (campaign and lead.get("campaign") == campaign)
            or (list_id and lead.get("list_id") == list_id)
        ]
    )
    in_workspace = emails(existing)
    created: list[dict[str, Any]] = []
    duplicates = skipped = 0
    for index, lead in enumerate(body.get("leads") or []):
        email = str(lead.get("email") or "").lower()
        if email and email in in_target:
            duplicates += 1
            continue
        if email and body.get("skip_if_in_workspace") and email in in_workspace:
            skipped += 1
            continue
        source = {k: v for k, v in lead.items() if k != "custom_variables"}
        if lead.get("custom_variables"):
            source["payload"] = lead["custom_variables"]
        source.update(campaign=campaign, list_id=list_id)
        if body.get("assigned_to") and not source.get("assigned_to"):
            source["assigned_to"] = body["assigned_to"]
        stored = fake._new_item(_LEADS, (), source)
        if email:
            in_target.add(email)
            in_workspace.add(email)
        created.append(
            {
                "index": index,
                **{k: stored.get(k) for k in ("id", "email", "first_name", "last_name", "phone")},
            }
        )
    sent = len(body.get("leads") or [])
    return fake._answer(
        call,
        {
            "status": "success",
            "total_sent": sent,
            "leads_uploaded": len(created),
            "in_blocklist": 0,
            "blocklist_used": body.get("blocklist_id"),
            "duplicated_leads": duplicates,
            "skipped_count": skipped,
            "invalid_email_count": 0,
            "incomplete_count": 0,
            "duplicate_email_count": duplicates,
            "remaining_in_plan": None,
            "created_leads": created,
        },
    )


def bulk_delete_leads(fake: FakeInstantly, call: _Call) -> Any:
    """DELETE /leads: delete the leads of a campaign or list (optionally by ids, up to limit)."""
    body = fake._body(call)
    bucket = _leads(fake)
    chosen = select_leads(list(bucket.values()), body, campaign_field="campaign_id")
    if isinstance(body.get("status"), (int, float)):
        chosen = [lead for lead in chosen if lead.get("status") == body["status"]]
    if isinstance(body.get("limit"), int):
        chosen = chosen[: body["limit"]]
    for lead in chosen:
        bucket.pop(str(lead["id"]), None)
    return fake._answer(call, {"count": len(chosen)})


def move_leads(fake: FakeInstantly, call: _Call) -> Any:
    """POST /leads/move: a background job; the leads move when it succeeds."""
    body = dict(fake._body(call))
    to_campaign, to_list = body.get("to_campaign_id"), body.get("to_list_id")

    def move() -> dict[str, Any]:
        bucket = _leads(fake)
        chosen = select_leads(list(bucket.values()), body)
        if isinstance(body.get("limit"), (int, float)):
            chosen = chosen[: int(body["limit"])]
        for lead in chosen:
            target = lead
            if body.get("copy_leads"):
                target = fake._new_item(_LEADS, (), {k: v for k, v in lead.items() if k != "id"})
            if to_campaign:
                target["campaign"] = to_campaign
            if to_list:
                target["list_id"] = to_list
            target["timestamp_updated"] = fake._now()
        return {"moved_lead_emails": [lead["email"] for lead in chosen if lead.get("email")]}

    entity = {"entity_type": "campaign", "entity_id": to_campaign} if to_campaign else {}
    if to_list and not to_campaign:
        entity = {"entity_type": "list", "entity_id": to_list}
    return fake._answer(call, fake._start_job(call, move, **entity))


def get_background_job(fake: FakeInstantly, call: _Call) -> Any:
    """GET /background-jobs/{id}: each poll moves the job on one step."""
    bucket, key = fake._item(call, call.op["parents"][-1])
    fake._advance_job(bucket[key])
    return fake._answer(call, bucket[key])


HANDLERS: dict[str, Callable[[FakeInstantly, _Call], Any]] = {
    "listLeads": list_leads,
    "bulkAddLeads": bulk_add_leads,
    "bulkDeleteLeads": bulk_delete_leads,
    "moveLeads": move_leads,
    "getBackgroundJob": get_background_job,
}
"""operationId -> hand-written handler (the others follow the generic rules)."""
