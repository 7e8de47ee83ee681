"""One benchmark worker process: REQUESTS calls from TASKS tasks through a RedisRateLimit
(or, with WORKSPACE=LOCAL, through its own in-process governor).

``python _shared_worker.py BACKEND REDIS_URL WORKSPACE BASE_URL REQUESTS TASKS LIMIT SECONDS``
prints ``ok <count>``.
"""

from __future__ import annotations

import sys

import anyio

from instantly_async import AsyncInstantly, RateLimit, RateLimitConfig, RedisRateLimit
from instantly_async._operation import Operation

GET_LEAD = Operation("getLead", "GET", "/api/v2/leads/{id}", "Lead", (), (), None)


async def main(redis_url: str, workspace: str, base_url: str, requests: int, tasks: int,
               limit: int, seconds: float) -> None:  # fmt: skip
    config = RateLimitConfig(limits=(RateLimit(limit, seconds),), per_operation=False)
    shared = (
        config
        if workspace == "LOCAL"
        else RedisRateLimit(redis_url, workspace=workspace, config=config)
    )
    done = 0
    todo = iter(range(requests))
    async with AsyncInstantly("key", base_url=base_url, rate_limit=shared) as client:

        async def worker() -> None:
            nonlocal done
            for index in todo:
                url = f"/api/v2/leads/lead-{index}"
                await client._request(GET_LEAD, {"method": "GET", "url": url})
                done += 1

        async with anyio.create_task_group() as group:
            for _ in range(tasks):
                group.start_soon(worker)
    print(f"ok {done}", flush=True)


if __name__ == "__main__":
    backend, url, ws, base = sys.argv[1:5]
    n, t, lim, sec = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])
    anyio.run(main, url, ws, base, n, t, lim, sec, backend=backend)
