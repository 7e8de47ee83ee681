"""Parse: 100-item pages of leads and of campaigns, dict -> models, per item.

Ours parses the page the way the client does (the generated page model's ``from_dict``);
instantlyai the way its paginator does (``Model.model_validate`` per item). Every field of
the example item is filled in, so the whole model is exercised.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import _peer
from _common import (
    PAGE_SIZE,
    Figure,
    Settings,
    campaign_item,
    fmt_us,
    heading,
    interleave,
    lead_item,
    line,
    median,
    page_of,
    ratio_line,
    ratio_of,
    record,
    verdict,
)

TARGET_PEER = 0.70


def _timed(parse: Callable[[], object], pages: int) -> Callable[[], float]:
    def once() -> float:
        started = time.process_time()
        for _ in range(pages):
            parse()
        return (time.process_time() - started) / (pages * PAGE_SIZE)

    return once


def _one(name: str, settings: Settings, ours: Any, peer_model: Any, page: dict[str, Any]) -> None:
    items = page["items"]
    parsed = ours.from_dict(page)
    if [x.id for x in parsed.items] != [x["id"] for x in items]:
        raise SystemExit(f"{name}: our page model lost items")
    peer_ids = [str(peer_model.model_validate(i).id) for i in items]
    if peer_ids != [x["id"] for x in items]:
        raise SystemExit(f"{name}: instantlyai lost items")
    variants = {
        "ours": _timed(lambda: ours.from_dict(page), settings.parse_pages),
        "peer": _timed(lambda: [peer_model.model_validate(i) for i in items], settings.parse_pages),
    }
    variants["ours"]()  # warm-up (lazy imports of nested models)
    samples = interleave(variants, settings.parse_rounds)
    to_peer = ratio_of(samples["ours"], samples["peer"])
    line(f"{name}:")
    line(f"  ours {fmt_us(median(samples['ours']))}/item  {ours.__name__}.from_dict(page)")
    line(
        f"  peer {fmt_us(median(samples['peer']))}/item  "
        f"[{peer_model.__name__}.model_validate(item) for item in page['items']]"
    )
    line("  " + ratio_line(samples, "ours", "peer", label="ours/instantlyai"))
    record(
        Figure(
            f"Parse one {name} dict -> model (per item, 100-item pages)",
            "us",
            ours=samples["ours"],
            peer=samples["peer"],
            ratio=f"{to_peer:.2f}x instantlyai",
            target=f"<= {TARGET_PEER}x instantlyai",
            verdict=verdict(to_peer <= TARGET_PEER, f"{to_peer:.3f}x"),
        )
    )


def run(settings: Settings) -> None:
    _peer.activate()
    from instantlyai.models import Campaign as PeerCampaign
    from instantlyai.models import Lead as PeerLead

    from instantly_async._generated.models import ListCampaignResponse200, ListLeadsResponse200

    heading(
        f"Parse 100-item pages, dict -> models ({settings.parse_rounds} rounds x "
        f"{settings.parse_pages} pages per variant, interleaved; CPU time per item, medians)"
    )
    _one("lead", settings, ListLeadsResponse200, PeerLead, page_of(lead_item()))
    _one(
        "campaign",
        settings,
        ListCampaignResponse200,
        PeerCampaign,
        page_of(campaign_item()),
    )
