"""One paging run in a fresh process: ``_paging_child.py VARIANT LEADS BACKEND LEAD PEER_SITE``.

``LEAD`` is a JSON file with the lead to repeat (so the child does not parse openapi.yaml,
which would dwarf the memory being measured); ``PEER_SITE`` is instantlyai's site-packages.
Walks ``LEADS`` leads (100 per page) with ``async for`` (or by hand for ``raw``), keeping
none of them, and prints one JSON line: CPU and wall time of the walk, and the peak RSS of the
process (``VmHWM), so that runs of 10,000 and 100,000 leads show whether memory stays
flat.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


async def _ours(http: Any, leads: int) -> int:
    from _common import PAGE_SIZE, huge_limits

    from instantly_async import AsyncInstantly

    client = AsyncInstantly(api_key="k", http_client=http, rate_limit=huge_limits())
    count = 0
    async for _lead in client.lead.list(limit=PAGE_SIZE):
        count += 1
    return count


async def _peer(http: Any, leads: int) -> int:
    from _common import PAGE_SIZE
    from instantlyai import AsyncInstantly

    client = AsyncInstantly(api_key="k", http_client=http)
    count = 0
    async for _lead in await client.leads.list(limit=PAGE_SIZE):
        count += 1
    return count


async def _raw(http: Any, leads: int) -> int:
    from _common import LEADS_URL, PAGE_SIZE

    headers = {"Authorization": "Bearer k", "Accept": "application/json"}
    body: dict[str, Any] = {"limit": PAGE_SIZE}
    count = 0
    while True:
        response = await http.post(LEADS_URL, json=body, headers=headers)
        response.raise_for_status()
        page = json.loads(response.content)
        for _lead in page["items"]:
            count += 1
        cursor = page.get("next_starting_after")
        if not cursor or not page["items"]:
            return count
        body = {"limit": PAGE_SIZE, "starting_after": cursor}


def _peak_rss_mb() -> float:
    """Peak RSS of this process. On Linux from VmHWM: ``ru_maxrss`` would include the
    parent's RSS at fork time, which survives the exec."""
    try:
        with open("/proc/self/status") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def main() -> None:
    variant, leads, backend = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(sys.argv[4], "rb") as fh:
        lead = json.load(fh)
    sys.path.insert(0, sys.argv[5])
    import anyio
    import httpx
    from _common import PAGE_SIZE, LeadPages

    walk = {"ours": _ours, "peer": _peer, "raw": _raw}[variant]
    pages = LeadPages(leads // PAGE_SIZE, lead)

    async def run() -> dict[str, float]:
        async with httpx.AsyncClient(transport=LeadPages(1, lead).transport()) as http:
            await walk(http, PAGE_SIZE)  # warm-up: first-use imports, one page
        async with httpx.AsyncClient(transport=pages.transport()) as http:
            cpu, wall = time.process_time(), time.perf_counter()
            count = await walk(http, leads)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if count != leads:
            raise SystemExit(f"{variant}: walked {count} leads, not {leads}")
        return {"cpu": cpu, "wall": wall, "rss_mb": _peak_rss_mb()}

    print(json.dumps(anyio.run(run, backend=backend)))


if __name__ == "__main__":
    main()
