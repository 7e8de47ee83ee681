"""instantly_async.webhooks: checking the shared-secret header and parsing a delivery."""

from __future__ import annotations

import datetime
import hmac
import json
from typing import Any

import httpx
import pytest

from instantly_async import InstantlyError, webhooks
from instantly_async._generated.models.webhook_event_type import WEBHOOK_EVENT_TYPE_VALUES

SECRET = "s3cret-value"
HEADERS = {"X-Webhook-Secret": SECRET, "Content-Type": "application/json"}

# Shaped like Instantly's documented webhook payload: base fields, optional lead, step and
# reply fields, and the lead's own variables merged in as extra keys.
REPLY: dict[str, Any] = {
    "timestamp": "2026-03-02T09:15:27.512Z",
    "event_type": "reply_received",
    "workspace": "0b1d7e8c-4b71-4a3f-9a55-1f6e2f1c0a11",
    "campaign_id": "5f0c2a9e-7d1b-4c7e-8a43-2b9f6d3e8c21",
    "campaign_name": "Q2 outreach",
    "lead_email": "jane@example.com",
    "email_account": "sales@example.org",
    "unibox_url": "https://app.instantly.ai/app/unibox?thread=abc",
    "step": 2,
    "variant": 1,
    "is_first": True,
    "email_id": "0199aa77-0000-7000-8000-000000000001",
    "reply_subject": "Re: quick question",
    "reply_text_snippet": "Sounds good, let's talk",
    "reply_text": "Sounds good, let's talk next week.",
    "reply_html": "<p>Sounds good, let's talk next week.</p>",
    "firstName": "Jane",
    "companyName": "Example Inc",
}


def test_a_delivery_becomes_a_typed_event() -> None:
    event = webhooks.parse(json.dumps(REPLY).encode(), HEADERS, secret=SECRET)
    assert event.event_type == "reply_received"
    assert event.is_known_type
    assert event.timestamp == datetime.datetime(
        2026, 3, 2, 9, 15, 27, 512000, tzinfo=datetime.timezone.utc
    )
    assert event.lead_email == "jane@example.com"
    assert event.campaign_name == "Q2 outreach"
    assert (event.step, event.variant, event.is_first) == (2, 1, True)
    assert event.reply_text_snippet == "Sounds good, let's talk"
    assert event.email_subject is None  # not in this delivery
    assert event.extra == {"firstName": "Jane", "companyName": "Example Inc"}
    assert event.data == REPLY  # nothing lost


def test_body_may_be_text_or_already_decoded() -> None:
    as_text = webhooks.parse(json.dumps(REPLY), HEADERS, secret=SECRET)
    as_dict = webhooks.parse(REPLY, HEADERS, secret=SECRET)
    assert as_text == as_dict


def test_event_types_come_from_the_document_and_the_delivered_names() -> None:
    delivered = {"link_clicked", "auto_reply_received"}  # Instantly's webhook events guide
    assert (
        webhooks.EVENT_TYPES == (frozenset(WEBHOOK_EVENT_TYPE_VALUES) - {"all_events"}) | delivered
    )
    assert {"email_sent", "reply_received", "lead_interested"} <= webhooks.EVENT_TYPES
    for name in delivered:
        assert webhooks.parse({"event_type": name}, HEADERS, secret=SECRET).is_known_type


def test_an_unlisted_event_type_is_kept() -> None:
    event = webhooks.parse({"event_type": "custom_label_hot"}, HEADERS, secret=SECRET)
    assert event.event_type == "custom_label_hot"
    assert not event.is_known_type
    assert event.timestamp is None and event.lead_email is None


def test_odd_field_values_are_left_untyped_and_kept() -> None:
    payload = {"event_type": "email_sent", "timestamp": "yesterday", "step": "3", "variant": 1.5}
    event = webhooks.parse(payload, HEADERS, secret=SECRET)
    assert event.timestamp is None
    assert event.step == 3
    assert event.variant is None
    assert event.data["timestamp"] == "yesterday"


@pytest.mark.parametrize(
    "headers",
    [
        {"x-webhook-secret": SECRET},
        [(b"x-webhook-secret", SECRET.encode())],  # ASGI scope["headers"]
        httpx.Headers({"X-WEBHOOK-SECRET": SECRET}),
    ],
    ids=["lower-case", "asgi-pairs", "httpx-headers"],
)
def test_header_lookup_is_case_insensitive(headers: Any) -> None:
    assert webhooks.parse(REPLY, headers, secret=SECRET).event_type == "reply_received"


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({}, "has no X-Webhook-Secret header"),
        (None, "has no X-Webhook-Secret header"),
        ({"X-Webhook-Secret": "wrong"}, "does not match"),
        ({"X-Webhook-Secret": SECRET + " "}, "does not match"),
        ({"Authorization": SECRET}, "has no X-Webhook-Secret header"),
    ],
)
def test_a_missing_or_wrong_secret_is_refused(headers: Any, problem: str) -> None:
    with pytest.raises(webhooks.WebhookVerificationError, match=problem) as caught:
        webhooks.parse(REPLY, headers, secret=SECRET)
    assert isinstance(caught.value, InstantlyError)
    assert SECRET not in str(caught.value)


def test_the_secret_is_refused_before_the_body_is_read() -> None:
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.parse(b"not json at all", {}, secret=SECRET)


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    webhooks.parse(REPLY, HEADERS, secret=["old-secret", SECRET])
    # every configured secret is compared, also after a match
    assert calls == [(SECRET.encode(), b"old-secret"), (SECRET.encode(), SECRET.encode())]


def test_another_header_name_and_secret_rotation() -> None:
    headers = {"Authorization": "Bearer new"}
    event = webhooks.parse(
        REPLY, headers, secret=["Bearer old", "Bearer new"], header_name="Authorization"
    )
    assert event.lead_email == "jane@example.com"


def test_checking_can_be_turned_off_explicitly() -> None:
    assert webhooks.parse(REPLY, None, secret=None).event_type == "reply_received"


@pytest.mark.parametrize("secret", ["", [], [""]])
def test_an_empty_secret_is_a_mistake(secret: Any) -> None:
    with pytest.raises(ValueError, match="secret must be a non-empty string"):
        webhooks.parse(REPLY, HEADERS, secret=secret)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        ("[1, 2]", "a JSON object, got list"),
        (b'{"campaign_id": "x"}', "no event_type"),
        (b'{"event_type": ""}', "no event_type"),
        (b" " * (webhooks.MAX_BODY_BYTES + 1), "larger than"),
    ],
    ids=["broken", "binary", "list", "no-type", "empty-type", "too-large"],
)
def test_a_body_that_is_no_event_is_refused(body: bytes | str, problem: str) -> None:
    with pytest.raises(webhooks.WebhookPayloadError, match=problem) as caught:
        webhooks.parse(body, HEADERS, secret=SECRET)
    assert isinstance(caught.value, ValueError)
