"""A loopback HTTP server whose answers are written per test: drips, stalls, bombs.

`tests/faultserver.py` serves a fixed site of faults; this one takes a handler per
path (`HostileServer({"/robots.txt": drip(...)})`) for the attacks of the hostile
suite (tests/test_hostile.py). It only ever listens on 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]


def send(status: int, body: bytes = b"", ctype: str = "text/html", **headers: str) -> Handler:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        for key, value in headers.items():
            h.send_header(key.replace("_", "-"), value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return answer


def drip(every: float = 0.5, total: int = 10_000, ctype: str = "text/plain") -> Handler:
    """Headers at once, then one byte every `every` seconds: alive, never finished."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(total))
        h.end_headers()
        try:
            for _ in range(total):
                h.wfile.write(b"#")
                h.wfile.flush()
                time.sleep(every)
        except OSError:
            return

    return answer


def stall(seconds: float) -> Handler:
    """Accept, then say nothing for `seconds` (no status line)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.close_connection = True

    return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    routes: dict[str, Handler]
    hits: list[tuple[str, float]]
    lock: threading.Lock

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients hanging up is the point of most tests here


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.hits.append((self.path, time.monotonic()))
        route = self.server.routes.get(path) or self.server.routes.get("*")
        (route or send(404, b"not found", "text/plain"))(self)


class HostileServer:
    def __init__(self, routes: dict[str, Handler]) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = routes
        self._server.hits = []
        self._server.lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def hits(self) -> list[tuple[str, float]]:
        with self._server.lock:
            return list(self._server.hits)

    def paths(self) -> list[str]:
        return [p for p, _ in self.hits]

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
