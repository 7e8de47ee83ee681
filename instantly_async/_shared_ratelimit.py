"""A rate governor shared through Redis: one workspace's limits across many processes.

``AsyncInstantly(rate_limit=RedisRateLimit(url=..., workspace=...))``. Every admission is
decided atomically on the Redis server by a Lua script, with the server's clock, for the
workspace windows and the operation's own windows together (a sliding-window log per window:
a sorted set of slots). As in the in-process governor, a slot counts from its grant until one
window after its response arrived; a slot whose response never comes back (a crashed
process) is freed ``lease`` seconds after its grant. Keys carry the workspace as a hash tag
(``instantly:{workspace}:...``), so one workspace lives in one Redis Cluster slot, and they
expire on their own. A 429 with ``Retry-After`` pauses every process.

When Redis is unreachable, slow or failing, the client falls back to an in-process governor
(with a warning) and tries Redis again with growing back-off; ``on_redis_error="raise"``
raises :class:`SharedRateLimitError` instead. Needs ``pip install 'instantly-async[redis]'``.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import anyio

from ._operation import Operation
from ._ratelimit import (
    MAX_PAUSE,
    Permit,
    RateGovernor,
    RateLimitConfig,
    SharedRateLimitError,
)
from ._retry import parse_retry_after

try:
    import coredis
    import coredis.exceptions
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("RedisRateLimit needs coredis: pip install 'instantly-async[redis]'") from exc

if sys.version_info < (3, 11):  # pragma: no cover - Python 3.10
    from exceptiongroup import BaseExceptionGroup

if TYPE_CHECKING:
    import httpx

__all__ = ["RedisRateLimit"]

logger = logging.getLogger("instantly_async")

# KEYS[1] pause key, KEYS[2..] window keys; ARGV[1] member, ARGV[2] lease (us), then per
# window key k (from 2): ARGV[2k - 1] limit, ARGV[2k] window (us).
# Returns 0 (granted), microseconds to wait, or -1 (every slot in flight: ask again soon).
_ACQUIRE = """
local function num(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return math.ceil(paused - now) end
local lease = tonumber(ARGV[2])
local wait = 0
local in_flight = false
for k = 2, #KEYS do
  local limit = tonumber(ARGV[2 * k - 1])
  local window = tonumber(ARGV[2 * k])
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', num(now - window))
  if redis.call('ZCARD', KEYS[k]) >= limit then
    local first = redis.call('ZRANGEBYSCORE', KEYS[k], '-inf', num(now), 'WITHSCORES', 'LIMIT', 0, 1)
    if first[2] then
      local w = tonumber(first[2]) + window - now
      if w > wait then wait = w end
    else
      in_flight = true
    end
  end
end
if wait > 0 then return math.ceil(wait) end
if in_flight then return -1 end
for k = 2, #KEYS do
  redis.call('ZADD', KEYS[k], num(now + lease), ARGV[1])
  redis.call('PEXPIRE', KEYS[k], math.ceil((tonumber(ARGV[2 * k]) + lease) / 1000))
end
return 0
"""

# KEYS as above; ARGV[1] member, ARGV[2] pause (us, 0 for none).
_RELEASE = """
local function num(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for k = 2, #KEYS do redis.call('ZADD', KEYS[k], 'XX', num(now), ARGV[1]) end
local pause = tonumber(ARGV[2])
if pause > 0 then
  local until_ = now + pause
  local current = tonumber(redis.call('GET', KEYS[1]) or '0')
  if until_ > current then
    redis.call('SET', KEYS[1], num(until_), 'PX', math.ceil(pause / 1000) + 1)
  end
end
return 0
"""

_REDIS_ERRORS = (coredis.exceptions.RedisError, OSError, TimeoutError)


class _Plan:
    __slots__ = ("args", "keys", "lock")

    def __init__(self, keys: list[str], args: list[int]) -> None:
        self.keys = keys
        self.args = args
        self.lock = anyio.Lock()


class _RedisPermit:
    __slots__ = ("_member", "_owner", "_plan")

    def __init__(self, owner: RedisRateLimit, plan: _Plan, member: str) -> None:
        self._owner = owner
        self._plan: _Plan | None = plan
        self._member = member

    async def release(self, response: httpx.Response | None = None) -> None:
        plan = self._plan
        if plan is None:
            return
        self._plan = None
        await self._owner._release(plan, self._member, response)


class RedisRateLimit:
    """Instantly's rate limits shared by every process that uses the same Redis and
    ``workspace`` name.

    - ``url``: the Redis server (``redis://host:port/db``); or pass ``client=`` (a
      ``coredis.Redis`` or ``coredis.RedisCluster``) instead.
    - ``workspace``: a name for the Instantly workspace whose limits are shared.
    - ``config``: the limits (default: Instantly's 100/s and 6,000/min, plus each
      operation's own); every process should use the same.
    - ``on_redis_error``: ``"fallback"`` (default) paces with an in-process governor using
      ``fallback_config`` (default: ``config``) while Redis is unreachable, with a warning, and
      tries Redis again with growing back-off (``retry_after``, doubling up to
      ``max_retry_after`` seconds); ``"raise"`` raises :class:`SharedRateLimitError`.
    - ``timeout``: seconds allowed for each Redis round trip.
    - ``lease``: seconds after which a slot whose response never came back is freed.
    - ``poll``: seconds between two asks while every slot of a full window is in flight.

    Use it inside ``async with`` (``async with AsyncInstantly(rate_limit=shared)`` does it).
    When Redis is unreachable at that moment, this process paces on its own until it is
    opened again (or ``on_redis_error="raise"`` raises there).
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        workspace: str,
        config: RateLimitConfig | None = None,
        on_redis_error: Literal["fallback", "raise"] = "fallback",
        fallback_config: RateLimitConfig | None = None,
        timeout: float = 0.5,
        lease: float = 120.0,
        poll: float = 0.005,
        retry_after: float = 0.5,
        max_retry_after: float = 30.0,
        key_prefix: str = "instantly",
        client: Any = None,
    ) -> None:
        workspace_value: object = workspace
        if not isinstance(workspace_value, str) or not workspace or set(workspace) & set("{}"):
            raise ValueError(
                f"workspace must be a non-empty name without braces, got {workspace!r}"
            )
        if on_redis_error not in ("fallback", "raise"):
            raise ValueError(
                f"on_redis_error must be 'fallback' or 'raise', got {on_redis_error!r}"
            )
        for name, value in (
            ("timeout", timeout),
            ("lease", lease),
            ("poll", poll),
            ("retry_after", retry_after),
            ("max_retry_after", max_retry_after),
        ):
            number: object = value
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not number > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        self.config = config if config is not None else RateLimitConfig()
        self.workspace = workspace
        self._on_error = on_redis_error
        self._timeout = float(timeout)
        self._lease_us = int(lease * 1e6)
        self._poll = float(poll)
        self._retry_after = float(retry_after)
        self._max_retry_after = float(max_retry_after)
        self._prefix = f"{key_prefix}:{{{workspace}}}"
        self._redis: Any = client if client is not None else coredis.Redis.from_url(url)
        self._acquire_script = self._redis.register_script(_ACQUIRE)
        self._release_script = self._redis.register_script(_RELEASE)
        self._local = RateGovernor(fallback_config or self.config)
        self._plans: dict[str, _Plan] = {}
        self._id = uuid.uuid4().hex[:12]
        self._count = 0
        self._open = 0
        self._pool_open = False
        self._down_until: float | None = None  # monotonic time of the next try while down
        self._backoff = self._retry_after

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> RedisRateLimit:
        try:
            await self._redis.__aenter__()  # no cancel scope around it: it opens a task group
        except Exception as exc:  # unreachable at start (coredis raises an exception group)
            if self._on_error == "raise":
                raise SharedRateLimitError(
                    f"Redis rate limit for workspace {self.workspace!r} unavailable: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            logger.warning(
                "Redis rate limit for workspace %r unavailable when opening (%s: %s); pacing "
                "in this process only until it is opened again",
                self.workspace, type(exc).__name__, exc,
            )  # fmt: skip
            self._down_until = float("inf")
            self._open += 1
            self._pool_open = False
            return self
        self._open += 1
        self._pool_open = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._open -= 1
        if self._pool_open:
            self._pool_open = self._open > 0
            try:
                await self._redis.__aexit__(exc_type, exc, tb)
            except BaseExceptionGroup as group:
                # coredis's task group wraps what the block raised: let the original go on
                if exc is None or any(inner is not exc for inner in group.exceptions):
                    raise
        if not self._open and self._down_until == float("inf"):
            self._down_until = None  # opening again tries Redis again

    @property
    def using_redis(self) -> bool:
        """False while Redis is unreachable and the in-process fallback paces requests."""
        return self._down_until is None

    def __repr__(self) -> str:
        return f"RedisRateLimit(workspace={self.workspace!r}, using_redis={self.using_redis})"

    # ------------------------------------------------------------------ admission

    def _plan(self, op: Operation) -> _Plan:
        try:
            return self._plans[op.operation_id]
        except KeyError:
            keys = [f"{self._prefix}:pause"]
            args: list[int] = []
            if self.config.per_operation:
                for limit in op.rate_limits:
                    keys.append(f"{self._prefix}:op:{op.operation_id}:{float(limit.seconds)!r}")
                    args += [limit.requests, int(limit.seconds * 1e6)]
            for limit in self.config.limits:
                keys.append(f"{self._prefix}:ws:{float(limit.seconds)!r}")
                args += [limit.requests, int(limit.seconds * 1e6)]
            plan = self._plans[op.operation_id] = _Plan(keys, args)
            return plan

    async def acquire(self, op: Operation) -> Permit | _RedisPermit:
        """Wait until ``op`` may send one request (in every process sharing the workspace)."""
        if not self._open:
            raise SharedRateLimitError(
                "RedisRateLimit is not open: use `async with AsyncInstantly(rate_limit=...)` "
                "or `async with RedisRateLimit(...)`"
            )
        plan = self._plan(op)
        if len(plan.keys) == 1:  # no limits at all
            return await self._local.acquire(op)
        if self._down_until is not None and time.monotonic() < self._down_until:
            return await self._local.acquire(op)
        async with plan.lock:  # one asker per plan in this process; the rest queue here
            self._count += 1
            member = f"{self._id}:{self._count}"
            args: list[str | int] = [member, self._lease_us, *plan.args]
            while True:
                try:
                    with anyio.fail_after(self._timeout):
                        wait = int(await self._acquire_script(keys=plan.keys, args=args))
                except _REDIS_ERRORS as exc:
                    self._failed(exc)
                    break
                self._recovered()
                if wait == 0:
                    return _RedisPermit(self, plan, member)
                await anyio.sleep(self._poll if wait < 0 else wait / 1e6)
        return await self._local.acquire(op)

    async def _release(self, plan: _Plan, member: str, response: httpx.Response | None) -> None:
        pause_us = 0
        if response is not None and response.status_code == 429:
            seconds = parse_retry_after(response.headers)
            if seconds:
                self._local.pause_for(seconds)
                pause_us = int(min(seconds, MAX_PAUSE) * 1e6)
        # shielded: a cancelled request still hands its slot back (bounded by the timeout)
        with anyio.CancelScope(shield=True), anyio.move_on_after(self._timeout):
            try:
                await self._release_script(keys=plan.keys, args=[member, pause_us])
            except _REDIS_ERRORS as exc:  # the slot's lease frees it later
                logger.debug("Redis rate limit: releasing a slot failed: %r", exc)

    # ------------------------------------------------------------------ Redis trouble

    def _failed(self, exc: BaseException) -> None:
        if self._on_error == "raise":
            raise SharedRateLimitError(
                f"Redis rate limit for workspace {self.workspace!r} unavailable: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if self._down_until is None:
            logger.warning(
                "Redis rate limit for workspace %r unavailable (%s: %s); pacing in this process "
                "only until Redis answers again",
                self.workspace, type(exc).__name__, exc,
            )  # fmt: skip
        else:
            self._backoff = min(self._backoff * 2, self._max_retry_after)
        self._down_until = time.monotonic() + self._backoff

    def _recovered(self) -> None:
        if self._down_until is not None:
            logger.warning("Redis rate limit for workspace %r available again", self.workspace)
            self._down_until = None
            self._backoff = self._retry_after
