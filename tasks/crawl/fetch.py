"""Fetching: one polite, bounded, retrying httpx client for the whole run.

Politeness is per host (netloc): requests to one host start at least `per_host_delay` seconds
apart (or the robots.txt Crawl-delay, if larger), and a 429/503 Retry-After pushes the whole
host back, not just the one URL. Everything that can grow is bounded: attempts, redirects,
body bytes (cut while streaming, decoded bytes counted separately so a gzip bomb stops at the
limit), and the total time of a request. Every attempt becomes a `fetch_log` row, so a failure
is explained by its row rather than by a log file.

Sync outside (`fetch_batch` runs its own event loop), async inside.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import random
import threading
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from records import Page, StageStats, Target, events
from records.keys import body_digest
from records.redact import without_credentials
from records.times import as_utc, parse_http_date
from tasks.context import StageContext
from tasks.crawl import warc
from tasks.crawl.feeds import ListingError, read_local
from tasks.crawl.netguard import Allowlist, BlockedAddressError, Guard, guarded_transport
from tasks.crawl.robots import MAX_ROBOTS_BYTES, Robots, robots_for_status
from tasks.crawl.urls import host_of
from warehouse.crawl_store import load_validators
from warehouse.store import warehouse_exists, writer

T = TypeVar("T")
MiB = 1024 * 1024
DEFAULT_USER_AGENT = "newsflow/0.1 (+https://github.com/newsflow/newsflow; news ingestion bot)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchConfigError(ValueError):
    """A FetchSettings value that cannot work; the message says which and what to use."""


@dataclass
class FetchSettings:
    """How politely and how far the crawler may go. Defaults suit a scheduled news crawl."""

    # Identifies us to site owners; keep a contact URL in it (RFC 9309 matches its first token).
    user_agent: str = DEFAULT_USER_AGENT
    # Connecting should be quick; a server that takes 10 s to accept is overloaded.
    connect_timeout: float = 10.0
    # Longest silence between two reads of one response.
    read_timeout: float = 20.0
    # Whole request including redirects and body: stops a server that drips one byte a second.
    total_timeout: float = 60.0
    # Largest page body kept (decoded). News pages are 50 KiB-2 MiB; 10 MiB is generous.
    max_bytes: int = 10 * MiB
    # Largest feed / sitemap (sitemaps.org allows 50 MB uncompressed).
    max_listing_bytes: int = 64 * MiB
    # Decoded/wire ratio above which a compressed body counts as a bomb (HTML gzips ~5-15x).
    max_compression_ratio: float = 200.0
    # Redirect hops per request; real sites need 1-3.
    max_redirects: int = 5
    # Requests in flight over all hosts.
    concurrency: int = 32
    # Requests in flight to one host.
    per_host_concurrency: int = 1
    # Minimum seconds between request starts to one host: 1.0 = one request per second.
    per_host_delay: float = 1.0
    # A robots.txt Crawl-delay above this is capped, so one site cannot stall a run for hours.
    max_crawl_delay: float = 30.0
    # Attempts per URL (first try included) on timeouts, connection errors, 429 and 5xx.
    max_attempts: int = 4
    # Backoff before attempt n is uniform in [0, min(cap, base * 2**(n-2))] ("full jitter").
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    # A Retry-After longer than this ends the attempts instead of stalling the run.
    max_retry_after: float = 120.0
    # Whole time for one URL, attempts and backoff included: no attempt starts after it, and
    # the last one is cut to what is left (4 attempts of a 60 s drip took 4 minutes).
    max_page_seconds: float = 120.0
    # Seconds one host may spend failing (timeouts, errors, 5xx) in one run; past it, its
    # remaining URLs are skipped until the next run, so N dripping URLs cannot stall N times.
    max_host_stall_seconds: float = 300.0
    # Content types kept as pages; others are logged and dropped before the body is read.
    allowed_content_types: tuple[str, ...] = HTML_TYPES
    # Fetch targets that resolve to private, loopback, link-local or multicast addresses.
    allow_private_hosts: bool = False
    # Host names (".example.org" for a whole domain) or CIDR networks allowed despite the above.
    host_allowlist: tuple[str, ...] = ()
    # Where fetched responses are archived as WARC (None: no archive, no reprocess).
    archive_dir: str | None = None
    # Obey robots.txt (and its Crawl-delay).
    respect_robots: bool = True
    # Where robots.txt, feeds and sitemaps are cached with their validators, so later runs
    # revalidate them with conditional requests (None: fetch them afresh every run).
    cache_dir: str | None = None

    def __post_init__(self) -> None:
        positive = (
            "connect_timeout",
            "read_timeout",
            "total_timeout",
            "max_bytes",
            "max_listing_bytes",
            "max_compression_ratio",
            "concurrency",
            "per_host_concurrency",
            "max_attempts",
            "max_page_seconds",
            "max_host_stall_seconds",
        )
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, float) and not math.isfinite(value):
                # nan compares false with everything: a nan delay would switch it off
                raise FetchConfigError(f"fetch setting {spec.name} must be finite, got {value}")
        for name in positive:
            if not getattr(self, name) > 0:
                raise FetchConfigError(
                    f"fetch setting {name} must be > 0, got {getattr(self, name)}"
                )
        for name in ("per_host_delay", "backoff_base", "backoff_cap", "max_redirects"):
            if getattr(self, name) < 0:
                raise FetchConfigError(
                    f"fetch setting {name} must be >= 0, got {getattr(self, name)}"
                )
        if not self.user_agent.strip():
            raise FetchConfigError(
                "fetch setting user_agent must name the crawler, e.g. 'newsflow/0.1 (+url)'"
            )
        self.allowed_content_types = tuple(t.lower() for t in self.allowed_content_types)
        self.host_allowlist = tuple(self.host_allowlist)


@dataclass(slots=True)
class _Outcome:
    """One attempt's result, before it becomes a Page and a fetch_log row."""

    status: int = 0
    final_url: str = ""
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    wire_bytes: int = 0
    error: str | None = None
    error_class: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    unchanged: bool = False


class _Failure(Exception):
    def __init__(self, error_class: str, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.retryable = retryable


@dataclass
class _Host:
    delay: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


def _now() -> datetime:
    return datetime.now(UTC)


def _mime(content_type: str | None) -> str | None:
    return content_type.split(";", 1)[0].strip().lower() if content_type else None


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'").lower()
    return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _sniff_markup(body: bytes) -> bool:
    """For responses without Content-Type: does it start like HTML rather than a PDF or image?"""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and not head.startswith(b"<?xml-stylesheet")


class _Decoder:
    """Content-Encoding decoding with a hard output limit (the gzip-bomb guard)."""

    def __init__(self, encoding: str, limit: int, max_ratio: float) -> None:
        self.limit = limit
        self.max_ratio = max_ratio
        self.out = bytearray()
        self.wire = 0
        self.encoding = encoding
        self._inflater: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise _Failure("decode", f"unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> None:
        self.wire += len(chunk)
        if self.wire > self.limit:
            raise _Failure("too_large", f"body larger than {self.limit} bytes (download cut)")
        if self.encoding in ("", "identity"):
            self.out += chunk
            if len(self.out) > self.limit:
                raise _Failure("too_large", f"body larger than {self.limit} bytes (download cut)")
            return
        if self._inflater is None:  # deflate: zlib-wrapped per RFC, raw from some servers
            raw = not chunk or (chunk[0] & 0x0F) != 8
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        data = chunk
        try:
            while data:
                piece = self._inflater.decompress(data, self.limit - len(self.out) + 1)
                self.out += piece
                data = self._inflater.unconsumed_tail
                self._check(self.wire - len(data))
        except zlib.error as exc:
            raise _Failure("decode", f"broken {self.encoding} data: {exc}") from exc

    def _check(self, consumed: int) -> None:
        size = len(self.out)
        ratio = size / max(consumed, 1)
        if size > self.limit or (size > MiB and ratio > self.max_ratio):
            if ratio > self.max_ratio:
                raise _Failure(
                    "bomb",
                    f"decompression bomb: {consumed} compressed bytes inflate past "
                    f"{size} ({ratio:.0f}x; limit {self.max_ratio:.0f}x)",
                )
            raise _Failure(
                "too_large", f"decoded body larger than {self.limit} bytes (download cut)"
            )

    def finish(self) -> bytes:
        if self._inflater is not None:
            try:
                self.out += self._inflater.flush()
            except zlib.error as exc:
                raise _Failure("decode", f"broken {self.encoding} data: {exc}") from exc
            self._check(self.wire)
        return bytes(self.out)


class DiscoveryCache:
    """On-disk copies of robots.txt, feeds and sitemaps with their validators.

    Lets later runs revalidate them (304 reuses the copy), so a run over an unchanged site
    sends only conditional requests.
    """

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        if directory:
            os.makedirs(directory, exist_ok=True)

    def _paths(self, url: str) -> tuple[str, str]:
        assert self.directory
        key = hashlib.sha1(url.encode("utf-8")).hexdigest()
        return os.path.join(self.directory, key + ".json"), os.path.join(
            self.directory, key + ".body"
        )

    def get(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        if not self.directory:
            return None
        meta_path, body_path = self._paths(url)
        try:
            with open(meta_path, encoding="utf-8") as fh:
                meta = json.load(fh)
            with open(body_path, "rb") as fh:
                body = fh.read()
        except (OSError, ValueError):
            return None
        return meta.get("etag"), meta.get("last_modified"), body

    def put(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        if not self.directory or not (etag or last_modified):
            return
        meta_path, body_path = self._paths(url)
        tmp = body_path + ".tmp"
        with open(tmp, "wb") as fh:
            fh.write(body)
        os.replace(tmp, body_path)
        tmp = meta_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"url": url, "etag": etag, "last_modified": last_modified}, fh)
        os.replace(tmp, meta_path)


# Failures that cost the host no waiting: refused before or right after the request.
_NOT_STALLS = frozenset(
    {"private_address", "bad_url", "robots", "content_type", "too_large", "bomb", "http_4xx"}
)


class HostMemory:
    """What a run knows about each host, kept across its batches.

    Each batch fetches in its own Crawler (and event loop), so without this every batch
    fetched robots.txt again and started each host with no memory of its last request:
    with one host, the first request of every batch followed the previous batch's last
    one without the per-host delay. Times are `time.monotonic()` values, the clock of
    every asyncio loop, so they compare across batches. A plain class, not a dataclass:
    Prefect passes it to tasks as it is, without walking into it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.robots: dict[str, tuple[Robots, str | None]] = {}  # root -> rules, refusal note
        self.next_at: dict[str, float] = {}  # host -> earliest start of its next request
        self.delay: dict[str, float] = {}  # host -> delay raised by its Crawl-delay
        self.spent: dict[str, float] = {}  # host -> seconds spent failing this run

    def __repr__(self) -> str:
        return f"HostMemory({len(self.next_at)} hosts)"

    def __getstate__(self) -> dict[str, Any]:
        """A stage shipped to another process (a Dask or process runner) gets the request
        times but no lock and no robots cache: locks do not pickle, and that copy is only
        read there (a remote fetch fetches robots.txt again)."""
        with self.lock:
            return {
                "next_at": dict(self.next_at),
                "delay": dict(self.delay),
                "spent": dict(self.spent),
            }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self.next_at.update(state["next_at"])
        self.delay.update(state["delay"])
        self.spent.update(state["spent"])


class Crawler:
    """The run's shared client: politeness state, robots cache, address guard and archive.

    Use as `async with Crawler(settings) as c:`; discovery and fetching share one so the
    per-host delay holds across both.
    """

    def __init__(
        self, settings: FetchSettings, *, archive: bool = True, memory: HostMemory | None = None
    ) -> None:
        self.settings = settings
        self.memory = memory if memory is not None else HostMemory()
        self.guard = Guard(settings.allow_private_hosts, Allowlist.parse(settings.host_allowlist))
        self.log: list[dict[str, Any]] = []
        self.cache = DiscoveryCache(settings.cache_dir)
        self.archive = (
            warc.ArchiveWriter(settings.archive_dir) if archive and settings.archive_dir else None
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, asyncio.Task[Robots]] = {}  # loads in flight, this loop
        self._global = asyncio.Semaphore(settings.concurrency)
        self._per_host: dict[str, asyncio.Semaphore] = {}
        limits = httpx.Limits(
            max_connections=settings.concurrency,
            max_keepalive_connections=settings.concurrency,
            keepalive_expiry=30.0,
        )
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        )
        self.client = httpx.AsyncClient(
            transport=guarded_transport(self.guard, limits),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            },
        )

    async def __aenter__(self) -> Crawler:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for task in self._robots.values():
            task.cancel()
        await self.client.aclose()
        if self.archive is not None:
            self.archive.close()

    # -- politeness -----------------------------------------------------------------------

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            with self.memory.lock:
                delay = self.memory.delay.get(host, self.settings.per_host_delay)
                next_at = self.memory.next_at.get(host, 0.0)
            state = self._hosts[host] = _Host(delay=delay, next_at=next_at)
        return state

    def _remember(self, host: str, state: _Host) -> None:
        with self.memory.lock:
            self.memory.next_at[host] = max(self.memory.next_at.get(host, 0.0), state.next_at)
            if state.delay != self.settings.per_host_delay:
                self.memory.delay[host] = state.delay

    @asynccontextmanager
    async def _slot(self, host: str) -> Any:
        """Wait for the host's turn and a global slot; the turn is stamped when we send."""
        state = self._host(host)
        per_host = self._per_host.setdefault(
            host, asyncio.Semaphore(self.settings.per_host_concurrency)
        )
        async with per_host:
            async with state.lock:
                loop = asyncio.get_running_loop()
                wait = state.next_at - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                await self._global.acquire()
                state.next_at = loop.time() + state.delay
                self._remember(host, state)
            try:
                yield
            finally:
                self._global.release()

    def _push_back(self, host: str, seconds: float) -> None:
        state = self._host(host)
        loop = asyncio.get_running_loop()
        state.next_at = max(state.next_at, loop.time() + seconds)
        self._remember(host, state)

    # -- robots.txt -----------------------------------------------------------------------

    async def robots(self, url: str) -> Robots:
        """The robots rules for the URL's host, fetched once per run (and revalidated)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc.lower()}"
        with self.memory.lock:
            known = self.memory.robots.get(root)
        if known is not None:  # fetched earlier in this run (maybe by another batch)
            return known[0]
        task = self._robots.get(root)
        if task is None:
            task = self._robots[root] = asyncio.ensure_future(self._load_robots(root))
        return await task

    async def _load_robots(self, root: str) -> Robots:
        url = root + "/robots.txt"
        status, body, error = await self.get_cached(
            url, source="robots", kind="robots", max_bytes=MAX_ROBOTS_BYTES, attempts=2
        )
        # RFC 9309: unreachable robots.txt means assume complete disallow. A body that
        # never completed (a drip cut by the timeout, a cut download) is unreachable too,
        # not an empty file that allows everything; 4xx/5xx are judged by their status.
        note: str | None = None
        if body is None and (status == 0 or not 400 <= status < 600):
            note = f"robots.txt unreachable ({error or f'status {status}'})"
            robots = Robots(disallow_all=True)
        else:
            robots = robots_for_status(
                status, (body or b"").decode("utf-8", "replace"), self.settings.user_agent
            )
            if robots.disallow_all:
                note = f"robots.txt unreachable (status {status})"
        host = urlsplit(root).netloc
        if robots.crawl_delay:
            state = self._host(host)
            state.delay = max(state.delay, min(robots.crawl_delay, self.settings.max_crawl_delay))
            self._remember(host, state)
        with self.memory.lock:
            self.memory.robots[root] = (robots, note)
        return robots

    async def _robots_refusal(self, url: str) -> str | None:
        if not self.settings.respect_robots:
            return None
        robots = await self.robots(url)
        if robots.allowed(url):
            return None
        parts = urlsplit(url)
        with self.memory.lock:
            _, note = self.memory.robots[f"{parts.scheme}://{parts.netloc.lower()}"]
        return note or f"disallowed by robots.txt for {self.settings.user_agent.split('/')[0]}"

    # -- one URL --------------------------------------------------------------------------

    def _row(
        self,
        url: str,
        source: str,
        kind: str,
        attempt: int,
        outcome: str,
        result: _Outcome,
        started: float,
        fetched_at: datetime,
    ) -> dict[str, Any]:
        row = {
            "url": url,
            "final_url": result.final_url or url,
            "status": result.status or None,
            "error": result.error,
            "content_type": result.content_type,
            "bytes": len(result.body) if result.body is not None else result.wire_bytes,
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
            "fetched_at": fetched_at,
            "source": source,
            "attempt": attempt,
            "outcome": outcome,
            "error_class": result.error_class,
            "kind": kind,
        }
        self.log.append(row)
        return row

    async def get(
        self,
        url: str,
        *,
        source: str,
        kind: str = "page",
        validators: tuple[str | None, str | None] = (None, None),
        content_types: Sequence[str] | None = HTML_TYPES,
        max_bytes: int | None = None,
        attempts: int | None = None,
        check_robots: bool = True,
    ) -> tuple[_Outcome, datetime, float, dict[str, Any]]:
        """Fetch with retries: the last outcome, when it was fetched, elapsed ms, its log row.

        A `user:password@` in the URL (or in a redirect's Location) is dropped here, before
        anything is sent: httpx would send it as Basic auth, and every URL, final URL and
        error message of the fetch (fetch_log, Page, archive) is made from these.
        """
        url = without_credentials(url)
        settings = self.settings
        max_bytes = max_bytes or settings.max_bytes
        attempts = attempts or settings.max_attempts
        started = time.perf_counter()
        fetched_at = _now()
        if urlsplit(url).scheme not in ("http", "https"):
            result = _Outcome(final_url=url, error="not an http(s) URL", error_class="bad_url")
            row = self._row(url, source, kind, 0, "skipped", result, started, fetched_at)
            return result, fetched_at, 0.0, row
        refusal = await self._precheck(url, check_robots)
        if refusal is not None:
            result = _Outcome(final_url=url, error=refusal[1], error_class=refusal[0])
            row = self._row(url, source, kind, 0, "skipped", result, started, fetched_at)
            return result, fetched_at, 0.0, row
        result = _Outcome()
        row = {}
        host = host_of(url)
        deadline = started + settings.max_page_seconds
        for attempt in range(1, attempts + 1):
            attempt_started = time.perf_counter()
            fetched_at = _now()
            stalled = self._stalled(host) if attempt == 1 else None
            if stalled is not None:
                result = _Outcome(final_url=url, error=stalled, error_class="host_budget")
                row = self._row(url, source, kind, 0, "skipped", result, started, fetched_at)
                break
            seconds = min(settings.total_timeout, deadline - attempt_started)
            result = await self._attempt(
                url, validators, content_types, max_bytes, check_robots, seconds
            )
            if result.error is not None and result.error_class not in _NOT_STALLS:
                self._stall(host, time.perf_counter() - attempt_started)
            last = attempt == attempts or not result.retryable
            wait = 0.0
            if not last:
                wait = random.uniform(
                    0, min(settings.backoff_cap, settings.backoff_base * 2 ** (attempt - 1))
                )
                if result.retry_after is not None:
                    if result.retry_after > settings.max_retry_after:
                        last = True
                        result.error = (
                            f"{result.error}; Retry-After {result.retry_after:.0f}s exceeds "
                            f"max_retry_after {settings.max_retry_after:.0f}s"
                        )
                    else:
                        wait = max(wait, result.retry_after)
                        self._push_back(host_of(result.final_url or url), result.retry_after)
            if not last:  # the URL's and the host's time budgets end the retries too
                if time.perf_counter() + wait >= deadline:
                    last = True
                    result.error = (
                        f"{result.error}; max_page_seconds {settings.max_page_seconds:g} spent"
                    )
                elif (stalled := self._stalled(host)) is not None:
                    last = True
                    result.error = f"{result.error}; {stalled}"
            if result.unchanged:
                outcome = "unchanged"
            elif result.error is None:
                outcome = "ok"
            else:
                outcome = "failed" if last else "retry"
            row = self._row(
                url, source, kind, attempt, outcome, result, attempt_started, fetched_at
            )
            if last:
                break
            await asyncio.sleep(wait)
        return result, fetched_at, (time.perf_counter() - started) * 1000, row

    def _stalled(self, host: str) -> str | None:
        with self.memory.lock:
            spent = self.memory.spent.get(host, 0.0)
        if spent < self.settings.max_host_stall_seconds:
            return None
        return (
            f"{host} spent {spent:.0f}s failing this run (max_host_stall_seconds "
            f"{self.settings.max_host_stall_seconds:g}); skipped until the next run"
        )

    def _stall(self, host: str, seconds: float) -> None:
        with self.memory.lock:
            self.memory.spent[host] = self.memory.spent.get(host, 0.0) + seconds

    async def _precheck(self, url: str, check_robots: bool) -> tuple[str, str] | None:
        parts = urlsplit(url)
        try:
            await self.guard.resolve(parts.hostname or "", parts.port or 0)
        except BlockedAddressError as exc:
            return "private_address", str(exc)
        except Exception:  # resolution errors are retried (and logged) by the attempt itself
            return None
        if check_robots:
            refusal = await self._robots_refusal(url)
            if refusal is not None:
                return "robots", refusal
        return None

    async def _attempt(
        self,
        url: str,
        validators: tuple[str | None, str | None],
        content_types: Sequence[str] | None,
        max_bytes: int,
        check_robots: bool,
        seconds: float | None = None,
    ) -> _Outcome:
        result = _Outcome(final_url=url)
        limit = self.settings.total_timeout if seconds is None else max(seconds, 0.001)
        try:
            async with asyncio.timeout(limit):
                await self._follow(url, validators, content_types, max_bytes, check_robots, result)
        except _Failure as exc:
            result.body = None
            result.error, result.error_class, result.retryable = (
                str(exc),
                exc.error_class,
                exc.retryable,
            )
        except TimeoutError:
            result.body = None
            result.error = f"no complete response within {limit:g}s"
            result.error_class, result.retryable = "timeout", True
        except httpx.TimeoutException as exc:
            result.body = None
            result.error = f"{type(exc).__name__}: timed out"
            result.error_class, result.retryable = "timeout", True
        except httpx.ConnectError as exc:
            result.body = None
            result.error = f"connection failed: {exc}"
            result.error_class, result.retryable = "connect", True
        except BlockedAddressError as exc:
            result.body = None
            result.error, result.error_class = str(exc), "private_address"
        except (httpx.TransportError, httpx.DecodingError) as exc:
            result.body = None
            result.error = f"{type(exc).__name__}: {str(exc) or 'connection dropped'}"
            result.error_class, result.retryable = "network", True
        except httpx.InvalidURL as exc:
            result.body = None
            result.error, result.error_class = f"invalid URL: {exc}", "bad_url"
        return result

    async def _follow(
        self,
        url: str,
        validators: tuple[str | None, str | None],
        content_types: Sequence[str] | None,
        max_bytes: int,
        check_robots: bool,
        result: _Outcome,
    ) -> None:
        seen = {url}
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            result.final_url = current
            if current != url:
                refusal = await self._precheck(current, check_robots)
                if refusal is not None:
                    raise _Failure(refusal[0], f"redirect to {current}: {refusal[1]}")
            headers: dict[str, str] = {}
            etag, last_modified = validators[0], validators[1]
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            request = self.client.build_request("GET", current, headers=headers)
            async with self._slot(host_of(current)):
                response = await self.client.send(request, stream=True)
                try:
                    location = await self._handle(response, content_types, max_bytes, result)
                finally:
                    await response.aclose()
            if location is None:
                return
            target = without_credentials(urljoin(current, location).split("#", 1)[0])
            if urlsplit(target).scheme not in ("http", "https"):
                raise _Failure("bad_redirect", f"redirect to non-http URL {target!r}")
            if target in seen:
                raise _Failure("redirect_loop", f"redirect loop: {current} -> {target}")
            seen.add(target)
            current = target
        raise _Failure(
            "too_many_redirects", f"more than {self.settings.max_redirects} redirects from {url}"
        )

    async def _handle(
        self,
        response: httpx.Response,
        content_types: Sequence[str] | None,
        max_bytes: int,
        result: _Outcome,
    ) -> str | None:
        """Judge one response; returns a redirect Location to follow, else fills `result`."""
        status = response.status_code
        result.status = status
        result.headers = dict(response.headers.items())
        result.content_type = _mime(response.headers.get("content-type"))
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                raise _Failure("bad_redirect", f"HTTP {status} without a Location header")
            return location
        if status == 304:
            result.unchanged = True
            return None
        if status == 429 or status >= 500:
            result.retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise _Failure(
                "http_429" if status == 429 else "http_5xx",
                f"HTTP {status} {response.reason_phrase}".strip(),
                retryable=status != 501,
            )
        if status >= 300:
            raise _Failure(
                f"http_{status // 100}xx", f"HTTP {status} {response.reason_phrase}".strip()
            )
        if (
            content_types is not None
            and result.content_type
            and result.content_type not in content_types
        ):
            raise _Failure("content_type", f"content type {result.content_type} is not fetched")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            result.wire_bytes = int(declared)
            raise _Failure(
                "too_large",
                f"Content-Length {declared} exceeds the {max_bytes}-byte limit (not read)",
            )
        decoder = _Decoder(
            response.headers.get("content-encoding", "").strip().lower(),
            max_bytes,
            self.settings.max_compression_ratio,
        )
        try:
            async for chunk in response.aiter_raw():
                decoder.feed(chunk)
        finally:
            result.wire_bytes = decoder.wire
        body = decoder.finish()
        if content_types is not None and result.content_type is None and not _sniff_markup(body):
            raise _Failure("content_type", "no Content-Type and the body does not look like HTML")
        result.body = body
        return None

    # -- discovery documents --------------------------------------------------------------

    async def get_cached(
        self,
        url: str,
        *,
        source: str,
        kind: str = "listing",
        max_bytes: int | None = None,
        attempts: int | None = None,
        check_robots: bool = False,
    ) -> tuple[int, bytes | None, str | None]:
        """A feed/sitemap/robots.txt body, revalidated against the on-disk copy if there is one.

        Returns (status, body, error); a 304 returns the cached body with status 200.
        """
        url = without_credentials(url)  # the cache's key, as `get` sends it
        cached = self.cache.get(url)
        validators = (cached[0], cached[1]) if cached else (None, None)
        result, _, _, _ = await self.get(
            url,
            source=source,
            kind=kind,
            validators=validators,
            content_types=None,
            max_bytes=max_bytes or self.settings.max_listing_bytes,
            attempts=attempts,
            check_robots=check_robots,
        )
        if result.unchanged and cached is not None:
            return 200, cached[2], None
        if result.body is not None and 200 <= result.status < 300:
            self.cache.put(
                result.final_url if result.final_url == url else url,
                result.headers.get("etag"),
                result.headers.get("last-modified"),
                result.body,
            )
        return result.status, result.body, result.error

    # -- pages ----------------------------------------------------------------------------

    def _not_due(self, target: Target, etag: str | None, last_modified: str | None) -> Page:
        """A page its listing says has not changed since we last had it: no request."""
        now = _now()
        result = _Outcome(final_url=target.url, status=304, unchanged=True)
        row = self._row(
            target.url, target.source, "page", 0, "unchanged", result, time.perf_counter(), now
        )
        row["error"] = "listing lastmod not newer than the last fetch"
        self.log.append(row)
        return Page(
            url=target.url,
            final_url=target.url,
            source=target.source,
            status=304,
            fetched_at=now,
            etag=etag,
            last_modified=last_modified,
            unchanged=True,
        )

    async def fetch_page(self, target: Target, validators: Sequence[str | None] | None) -> Page:
        """One target as a Page; network targets obey every rule, local ones are just read."""
        if target.path:
            return await asyncio.to_thread(self._read_local, target, validators)
        etag = validators[0] if validators else None
        last_modified = validators[1] if validators and len(validators) > 1 else None
        digest = validators[2] if validators and len(validators) > 2 else None
        if _unchanged_since(target.lastmod, last_modified):
            return self._not_due(target, etag, last_modified)
        result, fetched_at, elapsed, row = await self.get(
            target.url,
            source=target.source,
            validators=(etag, last_modified),
            content_types=self.settings.allowed_content_types,
        )
        page = Page(
            url=target.url,
            final_url=result.final_url or target.url,
            source=target.source,
            status=result.status,
            body=result.body if result.error is None else None,
            content_type=result.content_type,
            encoding=_charset(result.headers.get("content-type")),
            headers=result.headers,
            fetched_at=fetched_at,
            elapsed_ms=round(elapsed, 2),
            etag=result.headers.get("etag") or (etag if result.unchanged else None),
            last_modified=result.headers.get("last-modified")
            or (last_modified if result.unchanged else None),
            unchanged=result.unchanged,
            error=result.error,
            published_hint=target.published_hint,
            title_hint=target.title_hint,
        )
        if page.body is not None and digest and body_digest(page.body) == digest:
            # same bytes as the ingested copy although the server sent no usable validator
            page.unchanged, page.body = True, None
            row["outcome"] = "unchanged"
        if page.body is not None and self.archive is not None:
            self.archive.write(page, reason="OK")
        return page

    def _read_local(self, target: Target, validators: Sequence[str | None] | None) -> Page:
        started = time.perf_counter()
        fetched_at = _now()
        path = target.path or ""
        result = _Outcome(final_url=target.url, status=200)
        page = Page(
            url=target.url,
            final_url=target.url,
            source=target.source,
            status=200,
            fetched_at=fetched_at,
            published_hint=target.published_hint,
            title_hint=target.title_hint,
        )
        try:
            if "#" in path and warc.split_location(path)[0].endswith((".warc", ".warc.gz")):
                archived = warc.read_page_at(path, self.settings.max_bytes, target.source)
                page.final_url = archived.final_url
                page.body = archived.body
                page.error = archived.error
                page.headers = archived.headers
                page.content_type = archived.content_type
                page.encoding = archived.encoding
                page.last_modified = archived.last_modified
                page.etag = f'"sha1:{body_digest(archived.body)}"' if archived.body else None
                page.published_hint = page.published_hint or archived.published_hint
            else:
                stat = os.stat(path)
                page.etag = f'"file:{stat.st_size}-{stat.st_mtime_ns}"'
                page.content_type = "text/html"
                if not (validators and validators[0] == page.etag):
                    page.body = read_local(path, self.settings.max_bytes)
        except (OSError, ListingError, warc.WarcError) as exc:
            page.status, page.body, page.error = 0, None, f"cannot read {path}: {exc}"
            result.error_class = "local_io"
        if page.error is None and validators and validators[0] and validators[0] == page.etag:
            page.unchanged, page.body = True, None
        result.status, result.error, result.body = page.status, page.error, page.body
        result.content_type = page.content_type
        page.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        outcome = "unchanged" if page.unchanged else ("ok" if page.error is None else "failed")
        self._row(target.url, target.source, "local", 1, outcome, result, started, fetched_at)
        return page


def not_due(
    targets: Sequence[Target], validators: Mapping[str, Sequence[str | None]]
) -> list[bool]:
    """Per target: True when its listing dates it no later than the copy we hold, so
    fetching it will send no request at all (see `_unchanged_since`)."""
    due: list[bool] = []
    for target in targets:
        held = validators.get(target.url)
        last_modified = held[1] if held and len(held) > 1 else None
        due.append(target.path is None and _unchanged_since(target.lastmod, last_modified))
    return due


def _unchanged_since(lastmod: datetime | None, last_modified: str | None) -> bool:
    """True when a listing's lastmod is no newer than the copy we hold.

    Sitemaps and feeds date every entry; when that date is not after the Last-Modified
    the server gave for our copy (both on the site's own clock, so clock skew between
    us and the site cannot matter), even the conditional request is spared. That is
    what makes a re-run over a large unchanged site nearly free. Without both dates
    the page is revalidated with a conditional request as usual.
    """
    if lastmod is None or not last_modified:
        return False
    held = parse_http_date(last_modified)
    return held is not None and as_utc(lastmod) <= held


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from sync code, even if this thread already has a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())  # type: ignore[arg-type]
    box: dict[str, Any] = {}

    def runner() -> None:
        try:
            box["value"] = asyncio.run(factory())  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised in the caller thread
            box["error"] = exc

    thread = threading.Thread(target=runner, name="newsflow-fetch")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


async def fetch_targets(
    crawler: Crawler,
    targets: Sequence[Target],
    validators: Mapping[str, Sequence[str | None]],
) -> list[Page]:
    """Fetch in per-host queues so a slow host never holds a slot another host could use."""
    queues: dict[str, deque[int]] = {}
    for i, target in enumerate(targets):
        key = "local" if target.path else host_of(target.url)
        queues.setdefault(key, deque()).append(i)
    pages: list[Page | None] = [None] * len(targets)
    per_host = crawler.settings.per_host_concurrency

    async def worker(queue: deque[int]) -> None:
        while queue:
            i = queue.popleft()
            target = targets[i]
            pages[i] = await crawler.fetch_page(target, validators.get(target.url))
            events.emit("fetched")

    workers: list[Awaitable[None]] = []
    for key, queue in queues.items():
        n = min(len(queue), 4 if key == "local" else per_host)
        workers.extend(worker(queue) for _ in range(n))
    await asyncio.gather(*workers)
    return [p for p in pages if p is not None]


def fetch_batch(
    targets: list[Target],
    settings: FetchSettings,
    validators: Mapping[str, Sequence[str | None]] | None = None,
    memory: HostMemory | None = None,
) -> tuple[list[Page], list[dict[str, Any]], StageStats]:
    """Fetch a batch politely. Returns pages (in target order), fetch_log rows and counters.

    `validators` maps URL -> (etag, last_modified[, body_sha1]) from earlier runs (see
    `warehouse.crawl_store.load_validators`); such URLs get conditional requests and come back
    `unchanged=True` with no body when the server (or the body digest) says nothing changed.
    `memory` carries robots rules and request times from the run's earlier batches.
    """
    started = time.perf_counter()
    stats = StageStats("fetch", records_in=len(targets))
    unique: dict[str, Target] = {}
    for target in targets:
        if target.url in unique:
            stats.drop("duplicate_target")
        else:
            unique[target.url] = target

    async def go() -> tuple[list[Page], list[dict[str, Any]]]:
        async with Crawler(settings, memory=memory) as crawler:
            pages = await fetch_targets(crawler, list(unique.values()), validators or {})
            return pages, crawler.log

    pages, log = run_sync(go)
    last_class = {r["url"]: r["error_class"] for r in log if r["kind"] in ("page", "local")}
    for page in pages:
        if page.unchanged:
            stats.extra["unchanged"] += 1
        elif page.body is None:
            stats.drop(last_class.get(page.url) or "failed")
        else:
            stats.records_out += 1
    stats.extra["requests"] = sum(1 for r in log if r["attempt"] > 0 and r["kind"] != "local")
    stats.extra["retries"] = sum(1 for r in log if r["outcome"] == "retry")
    stats.seconds = time.perf_counter() - started
    return pages, log, stats


def read_archive(paths: Sequence[str] | str, max_bytes: int = 10 * MiB) -> Iterator[Page]:
    """Pages from newsflow WARC archives (files or directories), for the reprocess flow."""
    if isinstance(paths, str):
        paths = [paths]
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(
                os.path.join(path, name)
                for name in sorted(os.listdir(path))
                if name.endswith((".warc", ".warc.gz"))
            )
        else:
            files.append(path)
    for path in files:
        yield from warc.read_pages(path, max_bytes)


def _validators(
    db: str | None, urls: list[str], memory: str | None = None
) -> Mapping[str, Sequence[str | None]]:
    if not db or not warehouse_exists(db) or not urls:
        return {}
    with writer(db, memory=memory) as con:
        return load_validators(con, urls)


def fetch_stage(
    targets: list[Target], ctx: StageContext
) -> tuple[tuple[list[Page], list[dict[str, Any]]], StageStats]:
    """The stage: one batch fetched, with validators from the warehouse (if there is one)."""
    validators = _validators(ctx.db, [t.url for t in targets], ctx.duckdb_memory)
    pages, rows, stats = fetch_batch(targets, ctx.fetch or FetchSettings(), validators, ctx.memory)
    return (pages, rows), stats


def plan_stage(targets: list[Target], ctx: StageContext) -> tuple[list[bool], StageStats]:
    """Which targets their listing says are unchanged since our copy (see `not_due`)."""
    stats = StageStats("plan", records_in=len(targets), records_out=len(targets))
    urls = [t.url for t in targets if t.lastmod is not None]
    validators = _validators(ctx.db, urls, ctx.duckdb_memory)
    if not validators:
        return [False] * len(targets), stats
    return not_due(targets, validators), stats
