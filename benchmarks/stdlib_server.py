"""A conforming Eloqua stand-in on the standard library's http.server, for the performance benchmark.

Run from the project root:  python -m benchmarks.stdlib_server [--port 0]

The decisions are the reference mock's (`SegmentService`, framework-free), so the suite certifies it; the HTTP
layer is `http.server` with keep-alive instead of uvicorn and Starlette, so a request costs the server little
and the benchmark measures the clients. It prints `listening on URL` once it accepts connections, and
`requests: N` (every request answered) when stopped with SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from eloqua_conformance.mock import Request, SegmentService, default_config

__all__ = ["StdlibServer", "main"]


class StdlibServer(ThreadingHTTPServer):
    """`service` over HTTP/1.1 on (host, port), counting the requests it answers."""

    daemon_threads = True

    def __init__(self, service: SegmentService, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.service = service
        self.requests = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def count(self) -> None:
        with self._lock:
            self.requests += 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as both clients use it
    disable_nagle_algorithm = True  # else Nagle and delayed ACKs add ~40 ms to a keep-alive request
    server: StdlibServer

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        raw_path, _, query = self.path.partition("?")
        request = Request(
            method=self.command,
            path=unquote(raw_path, errors="replace"),  # decoded, as ASGI servers hand the reference mock its path
            query=query,
            headers=tuple((name.lower(), value) for name, value in self.headers.items()),
            body=body,
        )
        answer = self.server.service.handle(request)
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)
        self.server.count()

    def __getattr__(self, name: str) -> object:
        """Every method (`do_GET`, `do_QUERY`, ...) goes to the core, which decides: 405 for those it does not serve.

        http.server would answer 501 itself for a method without a `do_` handler.
        """
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a log line per request would cost more than answering it."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    args = parser.parse_args(argv)
    server = StdlibServer(SegmentService(default_config()), args.host, args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"listening on {server.url}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print(f"requests: {server.requests}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
