"""The rate governor against a strict sliding-window server on real loopback sockets."""

from __future__ import annotations

import anyio
import pytest
from _strict_server import StrictServer

from instantly_async import AsyncInstantly, RateLimit, RateLimitConfig
from instantly_async._operation import Operation

GET_LEAD = Operation("getLead", "GET", "/api/v2/x/{id}", "Lead", (), (), None)
LIST_EMAILS = Operation(
    "listEmails", "GET", "/api/v2/x/{id}", "Email", (), (RateLimit(20, 0.2),), None
)

# Scaled down from 100/s: the same shape, 1,500 requests in about 3 s.
LIMIT = RateLimit(100, 0.2)
REQUESTS = 1500
TASKS = 200


async def drive(client: AsyncInstantly, ops: list[Operation], tasks: int) -> int:
    """Send one request per op from ``tasks`` concurrent tasks; the number answered 2xx."""
    todo = iter(enumerate(ops))
    done = 0

    async def worker() -> None:
        nonlocal done
        for index, op in todo:
            url = op.path.replace("{id}", f"lead-{index}")  # a path that fits the operation
            await client._request(op, {"method": op.method, "url": url})
            done += 1

    async with anyio.create_task_group() as group:
        for _ in range(tasks):
            group.start_soon(worker)
    return done


@pytest.mark.anyio
async def test_strict_server_sees_no_429_from_many_tasks() -> None:
    with StrictServer([(LIMIT.requests, LIMIT.seconds)]) as server:
        config = RateLimitConfig(limits=(LIMIT,), per_operation=False)
        async with AsyncInstantly("key", base_url=server.base_url, rate_limit=config) as client:
            done = await drive(client, [GET_LEAD] * REQUESTS, TASKS)
    assert done == REQUESTS
    assert server.stats.rejected == 0
    assert len(server.stats.accepted) == REQUESTS


@pytest.mark.anyio
async def test_operation_limits_hold_too() -> None:
    # listEmails: 20 per 0.2 s of its own, inside a workspace limit of 100 per 0.2 s
    with StrictServer(
        [(LIMIT.requests, LIMIT.seconds)], path_limits={"/api/v2/emails": [(20, 0.2)]}
    ) as server:
        config = RateLimitConfig(limits=(LIMIT,))
        async with AsyncInstantly("key", base_url=server.base_url, rate_limit=config) as client:
            done = await drive(client, [LIST_EMAILS] * 100, 50)
    assert done == 100
    assert server.stats.rejected == 0
