"""A strict rate-limited HTTP server on loopback, for governor tests and benchmarks.

It counts each request when it *arrives* (once its head and body are read) and answers 429
when accepting it would put more than the limit into ANY sliding window ending at that
arrival; otherwise 200 with ``{}``. Rejected requests are not counted in the windows.

It runs an asyncio loop in a daemon thread, so the client under test may use any backend,
or in its own process with ``python tests/_strict_server.py`` (prints its URL, serves until
stdin closes, then prints its statistics as JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

Limits = Sequence[tuple[int, float]]


class _Windows:
    def __init__(self, limits: Limits) -> None:
        self.limits = [(int(n), float(s)) for n, s in limits]
        self.arrivals: deque[float] = deque()
        self.longest = max((s for _, s in self.limits), default=0.0)

    def admits(self, now: float) -> bool:
        arrivals = self.arrivals
        while arrivals and arrivals[0] <= now - self.longest:
            arrivals.popleft()
        for requests, seconds in self.limits:
            cutoff = now - seconds
            inside = (
                sum(1 for t in arrivals if t > cutoff) if seconds < self.longest else len(arrivals)
            )
            if inside >= requests:
                return False
        return True


@dataclass
class Stats:
    accepted: list[float] = field(default_factory=list)
    """Arrival times (``time.monotonic()``) of the requests answered 200."""
    rejected: int = 0
    injected: int = 0
    """429s sent on purpose (:meth:`StrictServer.inject_429`), not counted in ``rejected``."""

    def achieved(self, requests: int, seconds: float) -> float:
        """Fraction of the limit reached: (accepted - limit) / (last - first arrival), which
        a perfect pacer makes exactly ``requests / seconds``."""
        if len(self.accepted) <= requests:
            return float("nan")
        span = max(self.accepted) - min(self.accepted)
        return (len(self.accepted) - requests) / span / (requests / seconds) if span else 0.0


class StrictServer:
    """``limits`` apply to every request; ``path_limits`` to requests whose path starts with
    the key, on top of those. ``latency`` delays each answer (after the arrival is counted)."""

    def __init__(
        self,
        limits: Limits,
        *,
        path_limits: Mapping[str, Limits] | None = None,
        latency: float = 0.0,
    ) -> None:
        self._global = _Windows(limits)
        self._paths = {prefix: _Windows(x) for prefix, x in (path_limits or {}).items()}
        self._latency = latency
        self._lock = threading.Lock()
        self._inject: list[str] = []
        self.stats = Stats()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.base_url = ""

    # ------------------------------------------------------------------ control

    def inject_429(self, retry_after: str, count: int = 1) -> None:
        """Answer the next ``count`` requests 429 with this ``Retry-After``."""
        with self._lock:
            self._inject.extend([retry_after] * count)

    def start(self) -> str:
        ready = threading.Event()

        def serve() -> None:
            loop = self._loop = asyncio.new_event_loop()
            self._server = loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024)
            )
            port = self._server.sockets[0].getsockname()[1]
            self.base_url = f"http://127.0.0.1:{port}"
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=serve, name="strict-server", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self.base_url

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            self._loop = None

    async def _shutdown(self) -> None:
        """Close the listener and every connection, and end every handler."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        # a closed connection ends its handler (end of stream)
        handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if handlers:
            await asyncio.wait(handlers, timeout=5)
        await self._server.wait_closed()
        for _ in range(3):  # let closed transports finish (connection_lost runs soon after)
            await asyncio.sleep(0)

    def __enter__(self) -> StrictServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ serving

    def _decide(self, path: str) -> tuple[int, str | None]:
        now = time.monotonic()
        with self._lock:
            if self._inject:
                self.stats.injected += 1
                return 429, self._inject.pop(0)
            windows = [self._global, *(w for p, w in self._paths.items() if path.startswith(p))]
            if all(w.admits(now) for w in windows):
                for w in windows:
                    w.arrivals.append(now)
                self.stats.accepted.append(now)
                return 200, None
            self.stats.rejected += 1
            return 429, None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if " " in lines[0] else "/"
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length:
                    await reader.readexactly(length)
                status, retry_after = self._decide(path)
                if self._latency:
                    await asyncio.sleep(self._latency)
                body = b"{}" if status == 200 else b'{"error":"Too Many Requests"}'
                extra = f"Retry-After: {retry_after}\r\n" if retry_after is not None else ""
                reason = "OK" if status == 200 else "Too Many Requests"
                writer.write(
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n{extra}\r\n".encode()
                    + body
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()


def main(argv: Sequence[str]) -> int:
    """``_strict_server.py REQUESTS SECONDS [PATH=REQUESTS/SECONDS ...]``"""
    limits = [(int(argv[0]), float(argv[1]))]
    paths: dict[str, Limits] = {}
    for spec in argv[2:]:
        prefix, _, rule = spec.partition("=")
        n, _, s = rule.partition("/")
        paths[prefix] = [(int(n), float(s))]
    with StrictServer(limits, path_limits=paths) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()
        stats = server.stats
    print(
        json.dumps(
            {"accepted": stats.accepted, "rejected": stats.rejected, "injected": stats.injected}
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
