"""A fault-injecting HTTP/1.1 server on a real socket on 127.0.0.1, for the fault tests.

It runs in its own threads with blocking sockets, so the client under test can run on any
event loop (asyncio or trio). Each request is read in full and counted by ``(method,
path)``; the server then plays the fault scripted for that path (one fault per request in
order, the last one repeating):

* ``ok``: 200 with a JSON body, keep-alive;
* ``ok_close``: 200, then the server drops the (keep-alive) connection;
* ``status:<code>[:<retry-after>]``: that status (with a ``Retry-After`` header when given);
* ``reset_before_head``: a TCP reset instead of any response;
* ``reset_after_head``: the status line and headers, then a TCP reset;
* ``half_body``: headers announcing 100 bytes, 40 of them, then the connection closes;
* ``stall_head`` / ``stall_body``: nothing / half a body, then silence until the client
  gives up (bounded: the server waits at most ``stall_seconds``);
* ``corrupt_gzip``: 200 with ``Content-Encoding: gzip`` and bytes that are not gzip;
* ``deep_json``: 200 with JSON nested 100,000 levels deep;
* ``deep_json_error``: 500 with such a body.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections import Counter
from types import TracebackType

__all__ = ["FaultServer"]

_OK_BODY = json.dumps(
    {"id": "L1", "items": [], "next_starting_after": None, "deleted_count": 1}
).encode()
_DEEP = b"[" * 100_000 + b"]" * 100_000


def _head(status: int, length: int, extra: str = "") -> bytes:
    reason = {200: "OK", 429: "Too Many Requests"}.get(status, "Error")
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {length}\r\nx-request-id: req-{status}\r\n{extra}\r\n"
    ).encode()


class FaultServer:
    """Serves scripted faults on 127.0.0.1 until closed; see the module docstring."""

    def __init__(self, stall_seconds: float = 5.0) -> None:
        self.stall_seconds = stall_seconds
        self.script: dict[str, list[str]] = {}
        self.default = "ok"
        self.seen: Counter[tuple[str, str]] = Counter()
        self.bodies: list[bytes] = []
        # the fault last played on each connection the server has closed, in closing order
        # ("" when it closed before answering anything); appended after the socket is closed
        self.closed_after: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    # ------------------------------------------------------------------ control

    def plan(self, path: str, *faults: str) -> None:
        """Answer requests to ``path`` with ``faults`` in order (the last one repeats)."""
        with self._lock:
            self.script[path] = list(faults)

    def count(self, method: str, path: str) -> int:
        with self._lock:
            return self.seen[method, path]

    def reset(self) -> None:
        with self._lock:
            self.script.clear()
            self.seen.clear()
            self.bodies.clear()
            self.closed_after.clear()

    def close(self) -> None:
        self._stop.set()
        self._accept.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ serving

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._connection, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next_fault(self, method: str, path: str) -> str:
        with self._lock:
            self.seen[method, path] += 1
            faults = self.script.get(path)
            if not faults:
                return self.default
            return faults.pop(0) if len(faults) > 1 else faults[0]

    def _read_request(self, conn: socket.socket, buffer: bytes) -> tuple[str, str, bytes, bytes]:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError("client closed")
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError("client closed")
            rest += chunk
        return method, target.split("?", 1)[0], rest[:length], rest[length:]

    def _connection(self, conn: socket.socket) -> None:
        conn.settimeout(self.stall_seconds)
        buffer = b""
        fault = ""
        try:
            while not self._stop.is_set():
                method, path, body, buffer = self._read_request(conn, buffer)
                with self._lock:
                    self.bodies.append(body)
                fault = self._next_fault(method, path)
                if not self._answer(conn, fault):
                    return
        except (ConnectionError, TimeoutError, OSError):
            return
        finally:
            conn.close()
            with self._lock:
                self.closed_after.append(fault)

    def _reset(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _stall(self) -> None:
        self._stop.wait(self.stall_seconds)

    def _answer(self, conn: socket.socket, fault: str) -> bool:
        """Play ``fault``; True to keep the connection for the next request."""
        if fault == "ok":
            conn.sendall(_head(200, len(_OK_BODY)) + _OK_BODY)
            return True
        if fault == "ok_close":
            conn.sendall(_head(200, len(_OK_BODY), "connection: keep-alive\r\n") + _OK_BODY)
            return False
        if fault.startswith("status:"):
            _, code, *retry_after = fault.split(":", 2)
            extra = f"retry-after: {retry_after[0]}\r\n" if retry_after else ""
            body = json.dumps({"statusCode": int(code), "error": "Scripted", "message": fault})
            conn.sendall(_head(int(code), len(body), extra) + body.encode())
            return True
        if fault == "reset_before_head":
            self._reset(conn)
            return False
        if fault == "reset_after_head":
            conn.sendall(_head(200, 100))
            self._reset(conn)
            return False
        if fault == "half_body":
            conn.sendall(_head(200, 100) + b'{"id": "' + b"x" * 32)
            return False
        if fault == "stall_head":
            self._stall()
            return False
        if fault == "stall_body":
            conn.sendall(_head(200, 100) + b'{"id": ')
            self._stall()
            return False
        if fault == "corrupt_gzip":
            junk = b"\x1f\x8b\x08\x00this is not gzip at all"
            conn.sendall(_head(200, len(junk), "content-encoding: gzip\r\n") + junk)
            return True
        if fault in ("deep_json", "deep_json_error"):
            status = 200 if fault == "deep_json" else 500
            conn.sendall(_head(status, len(_DEEP)) + _DEEP)
            return True
        raise ValueError(f"unknown fault {fault!r}")
