"""Serve the mock over real HTTP with uvicorn: in the foreground (the CLI) or in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from .app import create_app
from .service import SegmentService

__all__ = ["bind", "build_server", "running_server"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; binding before uvicorn starts makes port 0 report its real port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it Nagle plus delayed ACKs cost ~40 ms per keep-alive request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def build_server(service: SegmentService, log_level: str = "warning", access_log: bool = False) -> uvicorn.Server:
    """A uvicorn server for `service`; run it with `server.run(sockets=[bind(host, port)])`."""
    config = uvicorn.Config(
        create_app(service),
        log_level=log_level,
        access_log=access_log,
        # No websockets and no lifespan: the mock needs neither, and importing them can warn.
        ws="none",
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


@contextmanager
def running_server(service: SegmentService, host: str = "127.0.0.1", timeout: float = 10.0) -> Iterator[str]:
    """Serve `service` on an ephemeral port in a thread; yields the base URL, stops on exit."""
    sock = bind(host, 0)
    port = sock.getsockname()[1]
    server = build_server(service)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="eloqua-mock", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"mock server did not start within {timeout} s")
            time.sleep(0.01)
        yield f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
