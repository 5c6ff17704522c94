"""Servers that fail at the network level, on 127.0.0.1 ephemeral ports, in threads, stoppable.

`FaultServer` is a raw-socket HTTP/1.1 server that answers like the reference mock (through
`SegmentService.handle`) for its first `healthy` requests, then commits its fault on the next `times`
requests (None: on every one after); `when` narrows the requests that count to those it accepts (copies,
say). `closing_mock` is the reference mock served by uvicorn, stopped (listener closed) after its Nth
request. Each fault ends when the client goes away or the server stops: nothing here runs unbounded.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import unquote

from eloqua_conformance.mock import Request, Response, SegmentService
from eloqua_conformance.mock.server import bind, build_server

__all__ = ["FAULTS", "FaultServer", "StopsAfter", "closing_mock"]

_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 415: "Unsupported Media Type", 500: "Internal Server Error"}  # fmt: skip
# Half a response: the status line, headers promising 400 bytes, then 14 of them.
_HALF = b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"type":"Cont'
_GARBAGE = b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1 \xff\xfe not HTTP at all \x00\r\n\r\n"


def _reset(conn: socket.socket, stopped: threading.Event) -> None:
    conn.sendall(_HALF)
    # Linger 0: close() sends RST instead of FIN, so the client sees the connection reset mid-response.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _stall(conn: socket.socket, stopped: threading.Event) -> None:
    stopped.wait()  # accept the request, never answer


def _garbage(conn: socket.socket, stopped: threading.Event) -> None:
    conn.sendall(_GARBAGE)


def _trickle(conn: socket.socket, stopped: threading.Event) -> None:
    """A 200 promising 10 000 bytes, sent one byte every 0.2 s: never a read timeout, never an end."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n")
    for _ in range(10_000):
        if stopped.wait(0.2):
            return
        conn.sendall(b" ")


ENDLESS_CHUNK = b'{"filler":"' + b"x" * (256 * 1024 - 13) + b'",'


def _endless(conn: socket.socket, stopped: threading.Event) -> None:
    """A chunked 201 that never ends, as fast as the client reads (until it stops reading, or 4 GiB)."""
    conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = f"{len(ENDLESS_CHUNK):x}\r\n".encode() + ENDLESS_CHUNK + b"\r\n"
    for _ in range(4 * 1024 * 4):
        if stopped.is_set():
            return
        conn.sendall(chunk)


FAULTS = {"reset": _reset, "stall": _stall, "garbage": _garbage, "trickle": _trickle, "endless": _endless}


def _read_request(reader) -> Request | None:
    """One HTTP/1.1 request from a socket file, or None when the client closed the connection."""
    line = reader.readline(65536)
    if not line.strip():
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers = []
    while (header := reader.readline(65536)) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    length = int(dict(headers).get("content-length", "0"))
    path, _, query = target.partition("?")
    return Request(method, unquote(path), query, tuple(headers), reader.read(length) if length else b"")


class FaultServer:
    """The reference mock for `healthy` requests, then the fault `fault` (a key of FAULTS) for `times` requests."""

    def __init__(self, service: SegmentService, fault: str, healthy: int = 0, times: int | None = None,
                 when: Callable[[Request], bool] | None = None) -> None:  # fmt: skip
        self.service, self.fault, self.healthy, self.times = service, FAULTS[fault], healthy, times
        self.when = when or (lambda request: True)
        self.requests = 0  # requests received so far (that `when` accepts)
        self.faulted: list[tuple[float, float]] = []  # (start, end) of each fault committed, monotonic
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)  # so the accept loop notices stop()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> FaultServer:
        self._spawn(self._accept_loop)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="fault-server")
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._connections.add(conn)
            self._spawn(self._serve, conn)

    def _faulty(self, request: Request) -> bool:
        if not self.when(request):
            return False
        with self._lock:
            self.requests += 1
            number = self.requests
        return number > self.healthy and (self.times is None or number <= self.healthy + self.times)

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn, conn.makefile("rb") as reader:
                while not self._stopped.is_set() and (request := _read_request(reader)) is not None:
                    if self._faulty(request):
                        started = time.monotonic()
                        try:
                            self.fault(conn, self._stopped)
                        finally:
                            with self._lock:
                                self.faulted.append((started, time.monotonic()))
                        return  # the connection is closed on leaving `with conn`
                    response = self.service.handle(request)
                    head = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Other')}",
                            f"Content-Length: {len(response.body)}"]  # fmt: skip
                    head += [f"{name}: {value}" for name, value in response.headers]
                    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
        except (OSError, ValueError):
            pass  # the client went away, or stop() shut the connection
        finally:
            with self._lock:
                self._connections.discard(conn)


class StopsAfter(SegmentService):
    """The reference mock, which calls `stop` once it has answered `limit` requests."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.answered, self.stop = limit, 0, lambda: None
        self._count_lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        with self._count_lock:
            self.answered += 1
            if self.answered == self.limit:
                self.stop()
        return response


@contextmanager
def closing_mock(limit: int) -> Iterator[tuple[str, StopsAfter]]:
    """The reference mock over uvicorn in a thread; after its `limit`th request the server shuts down."""
    service = StopsAfter(limit)
    sock = bind("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = build_server(service)

    def stop() -> None:
        # Runs on the server's event loop (handle() is called there), so this takes effect before the
        # client's next request: the listener closes now, and the current connection after this response.
        for listener in server.servers:
            listener.close()
        for connection in list(server.server_state.connections):
            connection.shutdown()
        server.should_exit = True

    service.stop = stop
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="closing-mock")
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        yield url, service
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
