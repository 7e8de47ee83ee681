"""RedisRateLimit against a real redis-server and a strict loopback server."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from _redis_server import RedisServer, free_port, redis_server_or_skip
from _strict_server import StrictServer

from instantly_async import (
    AsyncInstantly,
    InstantlyError,
    RateLimit,
    RateLimitConfig,
    SharedRateLimitError,
)
from instantly_async._operation import Operation

GET_LEAD = Operation("getLead", "GET", "/api/v2/leads/{id}", "Lead", (), (), None)
WORKER = Path(__file__).with_name("_shared_worker.py")

# coredis leaves the anyio memory streams of dropped connections to the garbage collector;
# collect them inside these tests so that their ResourceWarnings do not land in later ones
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(autouse=True)
def collect_garbage() -> Iterator[None]:
    yield
    gc.collect()


LIMIT = RateLimit(30, 0.25)
CONFIG = RateLimitConfig(limits=(LIMIT,), per_operation=False)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = redis_server_or_skip()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def shared(url: str, workspace: str, **options: object) -> object:
    from instantly_async import RedisRateLimit

    return RedisRateLimit(url, workspace=workspace, config=CONFIG, **options)  # type: ignore[arg-type]


async def call(client: AsyncInstantly, index: int) -> None:
    await client._request(GET_LEAD, {"method": "GET", "url": f"/api/v2/leads/lead-{index}"})


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_processes_sharing_a_workspace_stay_under_the_limit(
    redis_server: RedisServer, backend: str
) -> None:
    workspace = f"ws-{uuid.uuid4().hex[:8]}"
    with StrictServer([(LIMIT.requests, LIMIT.seconds)]) as server:
        args = [server.base_url, "90", "25", str(LIMIT.requests), str(LIMIT.seconds)]
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), backend, redis_server.url, workspace, *args],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0]
    assert outputs == ["ok 90\n"] * 3
    assert len(server.stats.accepted) == 270
    assert server.stats.rejected == 0


@pytest.mark.anyio
async def test_a_429_in_one_process_pauses_the_others(redis_server: RedisServer) -> None:
    workspace = f"ws-{uuid.uuid4().hex[:8]}"
    with StrictServer([(1000, 1.0)]) as server:
        async with (
            AsyncInstantly(
                "key", base_url=server.base_url, rate_limit=shared(redis_server.url, workspace),
                max_retries=0,
            ) as first,
            AsyncInstantly(
                "key", base_url=server.base_url, rate_limit=shared(redis_server.url, workspace),
            ) as second,
        ):  # fmt: skip
            await call(second, 0)
            server.inject_429("1")
            with pytest.raises(Exception, match="429"):
                await call(first, 1)
            throttled_at = anyio.current_time()
            await call(second, 2)
            waited = anyio.current_time() - throttled_at
    assert server.stats.injected == 1
    assert waited >= 0.9  # the other client honoured the Retry-After recorded in Redis
    assert server.stats.rejected == 0


# coredis leaves anyio memory streams of a dropped connection to the garbage collector
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.anyio
async def test_redis_stopped_and_restarted_mid_run(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    workspace = f"ws-{uuid.uuid4().hex[:8]}"
    governor = shared(redis_server.url, workspace, retry_after=0.05, timeout=0.5)
    caplog.set_level(logging.WARNING, logger="instantly_async")
    with StrictServer([(1000, 1.0)]) as server:
        try:
            async with AsyncInstantly("key", base_url=server.base_url, rate_limit=governor) as c:
                for index in range(5):
                    await call(c, index)
                assert governor.using_redis  # type: ignore[attr-defined]
                redis_server.stop()
                for index in range(5, 15):  # requests keep flowing, paced in this process
                    await call(c, index)
                assert not governor.using_redis  # type: ignore[attr-defined]
                redis_server.start()
                for index in range(15, 200):
                    await call(c, index)
                    if governor.using_redis:  # type: ignore[attr-defined]
                        break
                    await anyio.sleep(0.01)
                assert governor.using_redis  # type: ignore[attr-defined]
        finally:
            redis_server.stop()
            redis_server.start()
            gc.collect()  # those streams' warnings belong to this test
    messages = [record.getMessage() for record in caplog.records]
    assert any("unavailable" in message for message in messages)
    assert any("available again" in message for message in messages)
    assert server.stats.rejected == 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.anyio
async def test_raise_instead_of_falling_back() -> None:
    redis_server_or_skip()
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    governor = shared(url, "ws", on_redis_error="raise", timeout=0.5)
    with StrictServer([(1000, 1.0)]) as server, pytest.raises(InstantlyError) as caught:
        async with AsyncInstantly("key", base_url=server.base_url, rate_limit=governor) as c:
            await call(c, 0)
    error = caught.value
    cause = error if isinstance(error, SharedRateLimitError) else error.__cause__
    assert isinstance(cause, SharedRateLimitError)
    assert "unavailable" in str(cause)
    gc.collect()
    assert server.stats.accepted == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.anyio
async def test_unreachable_at_start_paces_in_process(caplog: pytest.LogCaptureFixture) -> None:
    redis_server_or_skip()
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    governor = shared(url, "ws", timeout=0.5)
    with StrictServer([(LIMIT.requests, LIMIT.seconds)]) as server:
        async with AsyncInstantly("key", base_url=server.base_url, rate_limit=governor) as c:
            async with anyio.create_task_group() as group:
                for index in range(40):
                    group.start_soon(call, c, index)
            assert not governor.using_redis  # type: ignore[attr-defined]
    gc.collect()
    assert len(server.stats.accepted) == 40
    assert server.stats.rejected == 0
    assert any("unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.anyio
async def test_a_shared_governor_must_be_opened(redis_server: RedisServer) -> None:
    governor = shared(redis_server.url, "ws")
    client = AsyncInstantly("key", base_url="http://127.0.0.1:9", rate_limit=governor)
    with pytest.raises(InstantlyError) as caught:
        await call(client, 0)
    await client.aclose()
    error = caught.value
    assert isinstance(error, SharedRateLimitError) or isinstance(
        error.__cause__, SharedRateLimitError
    )
    assert "async with" in str(error)


@pytest.mark.parametrize("workspace", ["", "a{b}", 3])
def test_workspace_names_are_checked(workspace: object) -> None:
    redis_server_or_skip()
    with pytest.raises(ValueError, match="workspace"):
        shared("redis://127.0.0.1:1/0", workspace)  # type: ignore[arg-type]
