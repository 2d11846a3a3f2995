"""A real HTTP server on loopback that misbehaves on purpose, for crawler tests and benchmarks.

Each path prefix is one fault (see `_Handler.do_GET`); every request is recorded with its
headers and time so tests can assert what the crawler sent and how fast. Pages carry ETags and
Last-Modified and answer conditional requests with 304, like a well-run news site.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

LAST_MODIFIED = "Mon, 06 Jan 2025 08:00:00 GMT"


def article_html(n: int | str, title: str | None = None, links: list[str] | None = None) -> bytes:
    title = title or f"Article {n}"
    anchors = "".join(f'<a href="{href}">{href}</a> ' for href in links or [])
    body = " ".join(
        f"Paragraph {i} of article {n} tells the story in plain words." for i in range(8)
    )
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body}</p><nav>{anchors}</nav></body></html>"
    ).encode()


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class SiteConfig:
    robots: str = "User-agent: *\nDisallow: /private/\n"
    latency: float = 0.0  # added before every response (benchmarks)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> (type, body)
    gzip_pages: bool = False  # serve pages gzip-encoded when asked
    validators: bool = True  # send ETag / Last-Modified and answer conditional requests


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    site: SiteConfig
    requests: list[Request]
    counters: Counter[str]
    lock: threading.Lock
    bomb: bytes

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients hanging up on purpose (cut downloads, timeouts) are the point


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(
        self,
        status: int,
        body: bytes = b"",
        ctype: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, ctype: str, body: bytes) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if not self.server.site.validators:
            self._send(200, body, ctype)
            return
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self._send(304, ctype=None, headers={"ETag": etag})
            return
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.server.site.gzip_pages and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, ctype, headers)

    def _once(self, key: str) -> int:
        with self.server.lock:
            self.server.counters[key] += 1
            return self.server.counters[key]

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.requests.append(
                Request(self.path, dict(self.headers.items()), time.monotonic())
            )
        site = self.server.site
        if site.latency:
            time.sleep(site.latency)
        if path in site.pages:
            self._page(*site.pages[path])
        elif path == "/robots.txt":
            if site.robots == "500":
                self._send(500, b"oops", "text/plain")
            else:
                self._page("text/plain", site.robots.encode())
        elif path.startswith(("/page/", "/private/")):
            self._page("text/html; charset=utf-8", article_html(path.rsplit("/", 1)[-1]))
        elif path.startswith("/slow/"):
            time.sleep(float(path.rsplit("/", 1)[-1]))
            self._send(200, article_html("slow"))
        elif path.startswith("/drip"):
            # headers at once, then one byte every 0.2 s: only a total timeout stops this
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return
        elif path.startswith("/flaky/"):
            if self._once(path) == 1:
                self._send(500, b"try again", "text/plain")
            else:
                self._page("text/html; charset=utf-8", article_html("flaky"))
        elif path.startswith("/always500"):
            self._send(503, b"down", "text/plain")
        elif path.startswith("/ratelimit/"):
            if self._once(path) == 1:
                self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            else:
                self._page("text/html; charset=utf-8", article_html("ratelimited"))
        elif path.startswith("/longwait"):
            self._send(429, b"slow down", "text/plain", {"Retry-After": "3600"})
        elif path.startswith("/reset"):
            # abort the connection with a TCP RST before any response
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path.startswith("/loop/"):
            other = "/loop/b" if path == "/loop/a" else "/loop/a"
            self._send(302, b"", None, {"Location": other})
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[-1])
            target = f"/chain/{n - 1}" if n > 0 else "/page/chained"
            self._send(301, b"", None, {"Location": target})
        elif path.startswith("/huge"):
            # no Content-Length: the crawler must cut the download itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"a" * 65530 + b"</p>"
            try:
                for _ in range(2000):  # ~128 MiB if nobody stops reading
                    self.wfile.write(chunk)
            except OSError:
                pass
            self.close_connection = True
        elif path.startswith("/declared-huge"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(500 * 1024 * 1024))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
        elif path.startswith("/bomb"):
            self._send(200, self.server.bomb, "text/html", {"Content-Encoding": "gzip"})
        elif path.startswith("/wrong-charset"):
            # declared UTF-8, actually windows-1252: the bytes must reach cleaning untouched
            body = "<html><body><p>Café crème à la française</p></body></html>".encode("cp1252")
            self._send(200, body, "text/html; charset=utf-8")
        elif path.endswith(".pdf"):
            self._send(200, b"%PDF-1.4 fake pdf", "application/pdf")
        elif path.endswith(".png"):
            self._send(200, b"\x89PNG\r\n\x1a\nfake", "image/png")
        elif path.startswith("/untyped-pdf"):
            self._send(200, b"%PDF-1.4 no content type", None)
        elif path.startswith("/gone"):
            self._send(404, b"not here", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")


class FaultServer:
    """`with FaultServer() as s: s.url("/page/1")`; binds 127.0.0.1 on a free port."""

    def __init__(self, site: SiteConfig | None = None, host: str = "127.0.0.1") -> None:
        self.server = _Server((host, 0), _Handler)
        self.server.site = site or SiteConfig()
        self.server.requests = []
        self.server.counters = Counter()
        self.server.lock = threading.Lock()
        self.server.bomb = gzip_bomb()
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def site(self) -> SiteConfig:
        return self.server.site

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def requests(self) -> list[Request]:
        with self.server.lock:
            return list(self.server.requests)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear(self) -> None:
        with self.server.lock:
            self.server.requests.clear()

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@functools.cache
def gzip_bomb() -> bytes:
    """~64 KiB on the wire that inflates to 64 MiB of zeros."""
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
