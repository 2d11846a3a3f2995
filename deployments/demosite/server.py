"""Real HTTP serving of a DemoSite: one origin (a port on 127.0.0.1) per outlet.

Separate ports rather than 127.0.0.x aliases because they work on every OS without setup,
and a port is enough to make each outlet its own host for politeness and robots.txt. One
selector thread accepts for all outlets and a thread per connection answers (keep-alive,
HTTP/1.1), so fifty outlets cost fifty sockets, not fifty polling loops.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import selectors
import sys
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from deployments.demosite import templates as T
from deployments.demosite.generator import SECTIONS, ArticleTruth, DemoSite, Outlet

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class RequestRecord:
    outlet: str
    method: str
    path: str
    status: int
    conditional: bool  # carried If-None-Match or If-Modified-Since
    gzip: bool  # answered with Content-Encoding: gzip
    size: int  # body bytes sent
    user_agent: str


@dataclass
class _Response:
    status: int
    ctype: str
    body: bytes
    last_modified: datetime | None = None
    location: str | None = None
    etag: str | None = None
    gz: bytes | None = None


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, addr: tuple[str, int], running: RunningSite, outlet: Outlet) -> None:
        self.running, self.outlet = running, outlet
        super().__init__(addr, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client closing a kept-alive connection is normal, not worth a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsflow-demosite/1"
    timeout = 30  # idle keep-alive connections are closed, so threads do not pile up
    server: _OutletServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        running, outlet = self.server.running, self.server.outlet
        try:
            resp = running._response(outlet, self.path)
        except Exception as exc:  # a bug here must show as a 500, not a hung client
            resp = _Response(500, "text/plain; charset=utf-8", f"error: {exc!r}\n".encode())
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        status, body, zipped = resp.status, resp.body, False
        if status == 200 and _not_modified(resp, inm, ims):
            status, body = 304, b""
        elif (
            status == 200
            and len(body) > 512
            and "gzip" in (self.headers.get("Accept-Encoding") or "")
        ):
            if resp.gz is None:
                resp.gz = gzip.compress(body, compresslevel=5, mtime=0)
            body, zipped = resp.gz, True
        # Counted before answering, so a client that has its response sees it counted.
        running._record(
            RequestRecord(
                outlet.slug,
                self.command,
                self.path,
                status,
                bool(inm or ims),
                zipped,
                0 if head else len(body),
                self.headers.get("User-Agent") or "",
            )
        )
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(body)))
        if resp.etag:
            self.send_header("ETag", resp.etag)
        if resp.last_modified:
            self.send_header(
                "Last-Modified", format_datetime(resp.last_modified.astimezone(UTC), usegmt=True)
            )
        if resp.location:
            self.send_header("Location", resp.location)
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _not_modified(resp: _Response, inm: str | None, ims: str | None) -> bool:
    if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or resp.etag in tags
    if ims and resp.last_modified:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return resp.last_modified.replace(microsecond=0) <= since
    return False


class RunningSite:
    """A DemoSite being served. Use `serve()`; URLs here are fetchable, not canonical."""

    def __init__(
        self, site: DemoSite, edition: int = 0, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        site._check_edition(edition)
        self.site, self.edition, self.host = site, edition, host
        self.requests: Counter[tuple[str, str, int]] = Counter()  # (outlet, path, status)
        self.log: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, str, str], _Response] = OrderedDict()
        self._cache_max = 256 if any(o.heavy for o in site.outlets) else 4096
        self._servers: list[_OutletServer] = []
        try:
            for o in site.outlets:
                self._servers.append(_OutletServer((host, port + o.index if port else 0), self, o))
        except OSError:
            self.close()
            raise
        self.origins: dict[str, str] = {
            s.outlet.slug: f"http://{host}:{s.server_address[1]}" for s in self._servers
        }
        self._by_domain = {o.domain: self.origins[o.slug] for o in site.outlets}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="demosite", daemon=True)
        self._thread.start()

    # ----- URLs --------------------------------------------------------------------------------
    @property
    def homepages(self) -> list[str]:
        return [self.origins[o.slug] + "/" for o in self.site.outlets]

    @property
    def feeds(self) -> list[str]:
        return [self.origins[o.slug] + o.feed_path for o in self.site.outlets]

    @property
    def sitemaps(self) -> list[str]:
        return [self.origins[o.slug] + "/sitemap.xml" for o in self.site.outlets]

    @property
    def robots(self) -> list[str]:
        return [self.origins[o.slug] + "/robots.txt" for o in self.site.outlets]

    def url_for(self, article: ArticleTruth | str) -> str:
        """Fetchable URL of an article (truth record or canonical URL)."""
        if isinstance(article, ArticleTruth):
            return self.origins[article.outlet] + article.path
        parts = urlsplit(article)
        origin = self._by_domain[parts.netloc]
        return origin + parts.path + (f"?{parts.query}" if parts.query else "")

    def outlet_of(self, url: str) -> Outlet | None:
        """The outlet whose origin serves `url` (fetchable) or owns it (canonical)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        for o in self.site.outlets:
            if self.origins[o.slug] == origin or o.domain == parts.netloc:
                return o
        return None

    def set_edition(self, edition: int) -> None:
        """Serve a later (or earlier) edition: updated articles in place, new ones listed."""
        self.site._check_edition(edition)
        with self._lock:
            self.edition = edition

    # ----- counters ------------------------------------------------------------------------
    def _record(self, rec: RequestRecord) -> None:
        with self._lock:
            self.log.append(rec)
            self.requests[(rec.outlet, rec.path, rec.status)] += 1

    def count(
        self,
        *,
        outlet: str | None = None,
        path: str | None = None,
        status: int | None = None,
        conditional: bool | None = None,
    ) -> int:
        """Requests so far matching every given filter (path may be a regex: fullmatch)."""
        with self._lock:
            log = list(self.log)
        return sum(
            1
            for r in log
            if (outlet is None or r.outlet == outlet)
            and (path is None or r.path == path or re.fullmatch(path, r.path))
            and (status is None or r.status == status)
            and (conditional is None or r.conditional == conditional)
        )

    def reset_counts(self) -> None:
        with self._lock:
            self.log.clear()
            self.requests.clear()

    # ----- serving ---------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        sel = selectors.DefaultSelector()
        for s in self._servers:
            sel.register(s, selectors.EVENT_READ, s)
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(0.05):
                    key.data._handle_request_noblock()
        finally:
            sel.close()

    def close(self) -> None:
        if getattr(self, "_thread", None) is not None:
            self._stop.set()
            self._thread.join(5)
        for s in self._servers:
            s.server_close()

    def _response(self, o: Outlet, raw: str) -> _Response:
        edition = self.edition
        key = (edition, o.slug, raw)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        resp = self._render(o, raw, edition)
        if resp.status == 200 and resp.etag is None:
            resp.etag = '"' + hashlib.blake2b(resp.body, digest_size=10).hexdigest() + '"'
        with self._lock:
            self._cache[key] = resp
            while len(self._cache) > self._cache_max:
                self._cache.popitem(last=False)
        return resp

    def _render(self, o: Outlet, raw: str, edition: int) -> _Response:
        site, base = self.site, self.origins[o.slug]
        parts = urlsplit(raw)
        path = parts.path
        query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
        full = path + (f"?{urlencode(query)}" if query else "")
        now = site.now(edition)

        def page(text: str, ctype: str = HTML, lm: datetime | None = now) -> _Response:
            return _Response(200, ctype, text.encode("utf-8"), lm)

        if path == "/":
            return page(T.render_home(site, o, edition))
        if path == o.feed_path:
            ctype = "application/rss+xml" if o.feed_format == "rss" else "application/atom+xml"
            return page(T.render_feed(site, o, edition, base), ctype + "; charset=utf-8")
        if path == "/robots.txt":
            return page(T.render_robots(o, base), "text/plain; charset=utf-8")
        if path.startswith("/sitemap") and path.endswith(".xml"):
            xml = T.render_sitemap(site, o, edition, base, path)
            if xml is not None:
                return page(xml, XML)
        if path.startswith("/private/"):
            return page(T.render_private(o))
        if path == "/static/analytics.js":
            return page(
                "/* demo analytics: counts nothing */\n", "application/javascript; charset=utf-8"
            )
        m = re.fullmatch(r"/s/(\d+)", path)
        if m and o.short_links and int(m.group(1)) < site.article_count(o.index, edition):
            target = site.brief(o.index, int(m.group(1)))[1]
            return _Response(
                301, HTML, b"<a href='" + target.encode() + b"'>moved</a>", location=target
            )
        for s in SECTIONS:
            if path == o.section_path(s) or path == o.section_path(s).rstrip("/"):
                return page(T.render_section(site, o, s, edition))
        a = site.lookup(o.slug, full, edition)
        if a is not None:
            return page(T.render_article(site, o, a, edition), HTML, a.modified or a.published)
        return _Response(
            404,
            HTML,
            b"<!DOCTYPE html><html><head><title>Not found</title>"
            b"</head><body><h1>Page not found</h1></body></html>\n",
        )


@contextmanager
def serve(
    site: DemoSite, edition: int = 0, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningSite]:
    """Serve `site` until the block ends. port=0: ephemeral ports; port=N: N + outlet index."""
    running = RunningSite(site, edition, host, port)
    try:
        yield running
    finally:
        running.close()
