"""Shared governor (RedisRateLimit): 4 processes x 50 tasks sharing one workspace.

Against a strict sliding-window server on loopback (tests/_strict_server.py, 100 per 1 s by
arrival) with a real redis-server on a free loopback port: the 429 count and the share of
the limit achieved ((accepted - limit) / (last - first arrival)), then the same load with four
in-process governors; the added latency of one admission and one release on loopback Redis
(median, p99); and what happens when Redis is stopped. Skipped without redis-server/coredis.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import anyio
from _common import REPO, Figure, Settings, heading, line, record, verdict

sys.path.insert(0, str(REPO / "tests"))
from _redis_server import RedisServer
from _strict_server import StrictServer

WORKER = Path(__file__).with_name("_shared_worker.py")
LIMIT, WINDOW, PROCESSES, TASKS = 100, 1.0, 4, 50


def _load(redis: RedisServer, mode: str, per_process: int) -> tuple[int, int, float]:
    with StrictServer([(LIMIT, WINDOW)]) as server:
        workspace = "LOCAL" if mode == "local" else f"bench-{uuid.uuid4().hex[:6]}"
        args = [server.base_url, str(per_process), str(TASKS), str(LIMIT), str(WINDOW)]
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), "asyncio", redis.url, workspace, *args],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.wait(600)
    stats = server.stats
    return len(stats.accepted), stats.rejected, stats.achieved(LIMIT, WINDOW)


async def _latency(redis: RedisServer, rounds: int) -> list[str]:
    from instantly_async import RateLimit, RateLimitConfig, RedisRateLimit
    from instantly_async._operation import Operation

    op = Operation("getLead", "GET", "/api/v2/leads/{id}", "Lead", (), (), None)
    huge = RateLimitConfig(limits=(RateLimit(10**9, 1.0), RateLimit(10**9, 60.0)))
    out = []
    async with RedisRateLimit(redis.url, workspace="latency", config=huge) as shared:
        acquire, release = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            permit = await shared.acquire(op)
            granted = time.perf_counter()
            await permit.release()
            acquire.append(granted - started)
            release.append(time.perf_counter() - granted)
        for name, xs in (("admission", acquire), ("release", release)):
            xs.sort()
            out.append(
                f"{name}: median {statistics.median(xs) * 1e6:.0f} us, "
                f"p99 {xs[int(len(xs) * 0.99)] * 1e6:.0f} us ({len(xs)} sequential)"
            )
        redis.stop()
        started = time.perf_counter()
        permit = await shared.acquire(op)
        first = time.perf_counter() - started
        await permit.release()
        out.append(
            f"Redis stopped: the next admission took {first * 1000:.1f} ms (failure detected, "
            f"in-process fallback), using_redis={shared.using_redis}; requests keep flowing"
        )
        redis.start()
    return out


def run(settings: Settings) -> None:
    heading(
        f"Shared governor: {PROCESSES} processes x {TASKS} tasks, one workspace, strict "
        f"{LIMIT} per {WINDOW:.0f} s server, RedisRateLimit vs {PROCESSES} in-process governors"
    )
    executable = shutil.which("redis-server")
    try:
        import coredis  # noqa: F401
    except ImportError:
        executable = None
    if executable is None:
        line("skipped: needs redis-server and coredis (pip install -e '.[dev]')")
        return
    per_process = 50 if settings.quick else 300
    redis = RedisServer(executable)
    redis.start()
    try:
        ok, rejected, share = _load(redis, "redis", per_process)
        line(f"RedisRateLimit: {ok} ok, {rejected} x 429, {share:.1%} of the limit")
        local_ok, local_rejected, _ = _load(redis, "local", per_process)
        line(f"4 in-process governors: {local_ok} ok, {local_rejected} x 429")
        for text in anyio.run(_latency, redis, 200 if settings.quick else 2000):
            line(text)
    finally:
        redis.stop()
    record(
        Figure(
            f"Shared governor: {PROCESSES} processes x {TASKS} tasks, strict server "
            "(429s; share of the limit)",
            "",
            ratio=f"redis: {rejected} x 429, {share:.1%}; 4 local governors: "
            f"{local_rejected} x 429",
            target="0 x 429 and >= 95% of the limit",
            verdict=verdict(rejected == 0 and share >= 0.95, f"{rejected} x 429, {share:.1%}"),
        )
    )
