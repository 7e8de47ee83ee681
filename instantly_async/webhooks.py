"""Receive Instantly webhooks: check a delivery's shared-secret header and parse it.

::

    from instantly_async import webhooks

    event = webhooks.parse(body, headers, secret=os.environ["INSTANTLY_WEBHOOK_SECRET"])
    if event.event_type == "reply_received":
        print(event.lead_email, event.reply_text_snippet)

Instantly sends each event as a JSON ``POST`` to the webhook's ``target_hook_url``, with the
custom ``headers`` the webhook was created with. Give the webhook a secret header (for example
``headers={"X-Webhook-Secret": secret}``) and check it here: :func:`parse` compares it in
constant time and raises :class:`WebhookVerificationError` when it is missing or wrong.
"""

from __future__ import annotations

import datetime
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._exceptions import InstantlyError
from ._generated.models.webhook_event_type import WEBHOOK_EVENT_TYPE_VALUES, WebhookEventType

__all__ = [
    "DEFAULT_SECRET_HEADER",
    "EVENT_TYPES",
    "WebhookError",
    "WebhookEvent",
    "WebhookEventType",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "parse",
    "verify",
]

DEFAULT_SECRET_HEADER = "X-Webhook-Secret"
"""The header :func:`parse` checks unless told another (``header_name=``)."""

# Deliveries name some events differently from the subscription enum of the API document:
# a subscription to ``email_link_clicked`` delivers ``link_clicked``, and auto-replies arrive as
# ``auto_reply_received`` (Instantly's webhook events guide, developer.instantly.ai/webhook-events).
_DELIVERED_ONLY = frozenset({"link_clicked", "auto_reply_received"})

EVENT_TYPES: frozenset[str] = (
    frozenset(WEBHOOK_EVENT_TYPE_VALUES) - {"all_events"}
) | _DELIVERED_ONLY
"""The event types deliveries carry: the API document's webhook event types (``all_events`` only
subscribes) and the delivered names it lacks (``link_clicked``, ``auto_reply_received``)."""

MAX_BODY_BYTES = 5 * 1024 * 1024

HeadersLike = (
    Mapping[str, str]
    | Mapping[bytes, bytes]
    | Iterable[tuple[str, str]]
    | Iterable[tuple[bytes, bytes]]
)


class WebhookError(InstantlyError):
    """A webhook delivery could not be accepted."""


class WebhookVerificationError(WebhookError):
    """The shared-secret header is missing or does not match: answer 401, do not process."""


class WebhookPayloadError(WebhookError, ValueError):
    """The body is not a JSON object with an ``event_type``: answer 400."""


_TEXT_FIELDS = (
    "workspace",
    "campaign_id",
    "campaign_name",
    "lead_email",
    "email_account",
    "unibox_url",
    "email_id",
    "email_subject",
    "email_text",
    "email_html",
    "reply_text_snippet",
    "reply_subject",
    "reply_text",
    "reply_html",
)
_INT_FIELDS = ("step", "variant")
_KNOWN_FIELDS = frozenset({"event_type", "timestamp", "is_first", *_TEXT_FIELDS, *_INT_FIELDS})


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """One webhook delivery. The common fields are typed (None when the delivery lacks them);
    ``data`` keeps the whole payload as sent, ``extra`` what the typed fields do not cover
    (such as your leads' custom variables)."""

    event_type: WebhookEventType | str
    """E.g. ``"reply_received"``; types the document does not list yet are kept as sent."""
    timestamp: datetime.datetime | None = None
    """When the event happened (timezone-aware when the delivery says so)."""
    workspace: str | None = None
    campaign_id: str | None = None
    campaign_name: str | None = None
    lead_email: str | None = None
    email_account: str | None = None
    """The sending account the event concerns."""
    unibox_url: str | None = None
    step: int | None = None
    """The campaign step (from 1)."""
    variant: int | None = None
    """The step's variant (from 1)."""
    is_first: bool | None = None
    """Whether this is the lead's first event of this type."""
    email_id: str | None = None
    """The email's id: ``reply_to_uuid`` for ``client.email.reply()``."""
    email_subject: str | None = None
    email_text: str | None = None
    email_html: str | None = None
    reply_text_snippet: str | None = None
    reply_subject: str | None = None
    reply_text: str | None = None
    reply_html: str | None = None
    data: dict[str, Any] = attrs.field(factory=dict, repr=False)
    """The whole payload, as decoded from JSON."""

    @property
    def extra(self) -> dict[str, Any]:
        """Payload keys without a typed field (e.g. lead variables merged in by Instantly)."""
        return {k: v for k, v in self.data.items() if k not in _KNOWN_FIELDS}

    @property
    def is_known_type(self) -> bool:
        """Whether ``event_type`` is one the API document lists."""
        return self.event_type in EVENT_TYPES

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> WebhookEvent:
        """Build an event from a decoded payload; raises :class:`WebhookPayloadError`."""
        if not isinstance(payload, Mapping):
            raise WebhookPayloadError(
                f"a webhook payload is a JSON object, got {type(payload).__name__}"
            )
        event_type = payload.get("event_type")
        if not isinstance(event_type, str) or not event_type:
            raise WebhookPayloadError("the webhook payload has no event_type")
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            value = payload.get(name)
            values[name] = value if isinstance(value, str) else None
        for name in _INT_FIELDS:
            values[name] = _int(payload.get(name))
        is_first = payload.get("is_first")
        values["is_first"] = is_first if isinstance(is_first, bool) else None
        return cls(
            event_type=event_type,
            timestamp=_timestamp(payload.get("timestamp")),
            data=dict(payload),
            **values,
        )


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _timestamp(value: object) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"  # Python 3.10's fromisoformat() does not read "Z"
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None  # kept as sent in ``data``


def _header(headers: HeadersLike | None, name: str) -> bytes | None:
    """The value of header ``name`` (case-insensitive) as bytes; None when absent."""
    if headers is None:
        return None
    wanted = name.lower()
    # a mapping (dict, httpx/starlette Headers) or (name, value) pairs (ASGI's scope["headers"])
    items: Iterable[tuple[Any, Any]] = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in items:
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == wanted:
            return value if isinstance(value, bytes) else str(value).encode("utf-8")
    return None


def verify(
    headers: HeadersLike | None,
    *,
    secret: str | bytes | Sequence[str | bytes],
    header_name: str = DEFAULT_SECRET_HEADER,
) -> None:
    """Check that ``headers`` carry the shared secret in ``header_name``, in constant time.

    ``secret`` may be a list (e.g. the old and the new secret while you rotate them).
    Raises :class:`WebhookVerificationError` when the header is missing or matches none.
    """
    secrets = [secret] if isinstance(secret, (str, bytes)) else list(secret)
    if not secrets or any(not s for s in secrets):
        raise ValueError("secret must be a non-empty string (or a list of them)")
    sent = _header(headers, header_name)
    if sent is None:
        raise WebhookVerificationError(f"the delivery has no {header_name} header")
    matched = False
    for expected in secrets:
        expected_bytes = expected.encode("utf-8") if isinstance(expected, str) else expected
        matched |= hmac.compare_digest(sent, expected_bytes)
    if not matched:
        raise WebhookVerificationError(f"the {header_name} header does not match the secret")


def parse(
    body: bytes | str | Mapping[str, Any],
    headers: HeadersLike | None = None,
    *,
    secret: str | bytes | Sequence[str | bytes] | None,
    header_name: str = DEFAULT_SECRET_HEADER,
) -> WebhookEvent:
    """Check a webhook delivery and turn it into a :class:`WebhookEvent`.

    - ``body``: the request body (bytes or text), or the JSON your framework already decoded.
    - ``headers``: the request headers (any mapping, or a list of pairs as in ASGI).
    - ``secret``: the value the webhook sends in ``header_name`` (set with the webhook's
      ``headers`` when you create it); a list accepts any of them. Pass ``secret=None`` only
      when something else authenticates the deliveries.
    - ``header_name``: the header that carries it (case-insensitive).

    Raises :class:`WebhookVerificationError` (answer 401) before looking at the body when the
    secret does not match, and :class:`WebhookPayloadError` (answer 400) for a body that is not
    a JSON object with an ``event_type``.
    """
    if secret is not None:
        verify(headers, secret=secret, header_name=header_name)
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body)
        if len(raw) > MAX_BODY_BYTES:
            raise WebhookPayloadError(f"the webhook body is larger than {MAX_BODY_BYTES} bytes")
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise WebhookPayloadError(f"the webhook body is not JSON: {exc}") from None
    elif isinstance(body, str):
        try:
            payload = json.loads(body)
        except json.JSONDecodeError as exc:
            raise WebhookPayloadError(f"the webhook body is not JSON: {exc}") from None
    else:
        payload = body
    return WebhookEvent.from_dict(payload)
