"""Discovery: turn configured sources into a deterministic, duplicate-free list of targets.

Network sources (feeds, sitemaps, homepages, link following) are read through the same polite
`Crawler` fetching uses, so robots.txt, the per-host delay and the address guard apply to
discovery too, and feeds/sitemaps are revalidated with conditional requests when
`FetchSettings.cache_dir` is set. Local sources (URL lists, directories, WARC files) need no
network: directory and WARC targets carry `Target.path`, so fetching reads them from disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urljoin, urlsplit

from records import StageStats, Target, events
from tasks.context import StageContext
from tasks.crawl import warc
from tasks.crawl.feeds import ListingError, feed_links, parse_listing, same_site_links
from tasks.crawl.fetch import HTML_TYPES, Crawler, FetchSettings, HostMemory, run_sync
from tasks.crawl.urls import canonicalize_url

log = logging.getLogger("newsflow.discover")

SourceKind = Literal["feed", "sitemap", "url", "urls_file", "dir", "warc", "homepage"]
_NETWORK_KINDS = ("feed", "sitemap", "url", "homepage")
_HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")
# Nesting allowed for sitemap indexes (index -> index -> sitemap); deeper is a loop or abuse.
MAX_SITEMAP_DEPTH = 3
# Child sitemaps read per source: big outlets list hundreds; a runaway index lists millions.
MAX_CHILD_SITEMAPS = 2000


class SourceError(ValueError):
    """A source that cannot be used as configured; the message says what to change."""


@dataclass
class Source:
    """One configured source. `name` labels its targets (default: the location)."""

    kind: SourceKind
    location: str
    name: str | None = None
    follow_links: int = 0  # same-site link depth to follow from each listed page (0 = none)
    max_pages: int | None = None  # cap on targets from this source (None = all)

    def __post_init__(self) -> None:
        if self.kind not in get_args(SourceKind):
            raise SourceError(
                f"unknown source kind {self.kind!r}; use one of {', '.join(get_args(SourceKind))}"
            )
        if not isinstance(self.location, str) or not self.location.strip():
            raise SourceError(f"{self.kind} source needs a location (URL or path)")
        self.location = self.location.strip()
        if self.kind in _NETWORK_KINDS:
            parts = urlsplit(self.location)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SourceError(
                    f"{self.kind} source {self.location!r} is not an http(s) URL; "
                    "give a full URL like https://example.org/feed.xml"
                )
        if not isinstance(self.follow_links, int) or self.follow_links < 0:
            raise SourceError(f"follow_links must be an integer >= 0, got {self.follow_links!r}")
        if self.max_pages is not None and (
            not isinstance(self.max_pages, int) or self.max_pages < 1
        ):
            raise SourceError(f"max_pages must be a positive integer, got {self.max_pages!r}")

    @property
    def label(self) -> str:
        return self.name or self.location


class _Run:
    """State of one discovery run: the crawler, counters and fetch-log rows."""

    def __init__(self, crawler: Crawler, stats: StageStats) -> None:
        self.crawler = crawler
        self.stats = stats

    async def listing(
        self, url: str, source: Source, depth: int = 0, seen: set[str] | None = None
    ) -> list[Target]:
        """Targets from a feed, sitemap or sitemap index (followed recursively)."""
        seen = seen if seen is not None else set()
        if url in seen or depth > MAX_SITEMAP_DEPTH:
            return []
        seen.add(url)
        status, body, error = await self.crawler.get_cached(
            url, source=source.label, check_robots=True
        )
        if body is None or not 200 <= status < 300:
            self.stats.drop("listing_unavailable")
            log.warning("%s: cannot read %s: %s", source.label, url, error or f"HTTP {status}")
            return []
        try:
            parsed = parse_listing(body, url)
        except ListingError as exc:
            self.stats.drop("listing_unreadable")
            log.warning("%s: %s is not a feed or sitemap: %s", source.label, url, exc)
            return []
        self.stats.extra[f"listings_{parsed.kind}"] += 1
        if parsed.kind == "html":
            # a homepage given as a feed: use the feeds it announces
            targets: list[Target] = []
            for feed in feed_links(body, url)[:5]:
                targets.extend(await self.listing(feed, source, depth + 1, seen))
            return targets
        if parsed.kind == "sitemapindex":
            targets = []
            for child in parsed.children[:MAX_CHILD_SITEMAPS]:
                targets.extend(await self.listing(child, source, depth + 1, seen))
            return targets
        events.emit("discovered", len(parsed.entries))
        return [
            Target(
                e.url,
                source.label,
                published_hint=e.published,
                title_hint=e.title,
                lastmod=e.lastmod,
            )
            for e in parsed.entries
        ]

    async def homepage(self, source: Source) -> list[Target]:
        """Feeds announced by <link rel=alternate>; else sitemaps named in robots.txt."""
        url = source.location
        status, body, error = await self.crawler.get_cached(
            url, source=source.label, max_bytes=self.crawler.settings.max_bytes, check_robots=True
        )
        if body is None or not 200 <= status < 300:
            self.stats.drop("listing_unavailable")
            log.warning("%s: cannot read homepage: %s", source.label, error or f"HTTP {status}")
            return []
        targets: list[Target] = []
        seen: set[str] = set()
        feeds = feed_links(body, url)
        self.stats.extra["feeds_autodiscovered"] += len(feeds)
        for feed in feeds:
            targets.extend(await self.listing(feed, source, 1, seen))
        if not feeds:
            robots = await self.crawler.robots(url)
            for sitemap in robots.sitemaps:
                targets.extend(await self.listing(urljoin(url, sitemap), source, 1, seen))
        if not targets and source.follow_links == 0:
            log.warning("%s: homepage announces no feeds or sitemaps", source.label)
        return targets

    async def follow(self, start: list[Target], source: Source) -> list[Target]:
        """Breadth-first same-site link following from each start page, depth-limited."""
        limit = source.max_pages or 10_000
        found = list(start)
        seen = {canonicalize_url(t.url) for t in start}
        frontier = [t for t in start if not t.path]
        while frontier and len(found) < limit:
            page = frontier.pop(0)
            if page.depth >= source.follow_links:
                continue
            status, body, _ = await self.crawler.get_cached(
                page.url,
                source=source.label,
                max_bytes=self.crawler.settings.max_bytes,
                check_robots=True,
            )
            if body is None or not 200 <= status < 300:
                continue
            for link in same_site_links(body, page.url):
                key = canonicalize_url(link)
                if key in seen:
                    continue
                seen.add(key)
                child = Target(link, source.label, depth=page.depth + 1)
                found.append(child)
                frontier.append(child)
                if len(found) >= limit:
                    break
        self.stats.extra["links_followed"] += len(found) - len(start)
        return found

    async def source(self, source: Source) -> list[Target]:
        kind = source.kind
        if kind in ("feed", "sitemap"):
            targets = await self.listing(source.location, source)
        elif kind == "homepage":
            targets = await self.homepage(source)
            if source.follow_links:
                targets = [Target(source.location, source.label), *targets]
        elif kind == "url":
            targets = [Target(source.location, source.label)]
        elif kind == "urls_file":
            targets = await asyncio.to_thread(_urls_file, source)
        elif kind == "dir":
            targets = await asyncio.to_thread(_directory, source)
        else:
            targets = await asyncio.to_thread(_warc_file, source)
        if kind not in ("feed", "sitemap", "homepage"):  # listings announce their own
            events.emit("discovered", len(targets))
        if source.follow_links and kind not in ("dir", "warc"):
            targets = await self.follow(targets, source)
        if source.max_pages is not None and len(targets) > source.max_pages:
            self.stats.drop("over_max_pages", len(targets) - source.max_pages)
            targets = targets[: source.max_pages]
        self.stats.extra[f"source_{kind}"] += 1
        return targets


def _urls_file(source: Source) -> list[Target]:
    try:
        text = Path(source.location).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SourceError(
            f"cannot read URL list {source.location}: {exc.strerror}; check the path"
        ) from exc
    targets = []
    skipped: list[str] = []
    for line in text.splitlines():
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        try:
            scheme = urlsplit(url).scheme
        except ValueError:  # e.g. "http://[::1"
            scheme = ""
        if scheme in ("http", "https"):
            targets.append(Target(url, source.label))
        else:
            skipped.append(url)
    if skipped:
        # one line for the file, not one per line: a wrong file (a log, a binary) would
        # otherwise flood the run's log with its contents
        log.warning(
            "%s: skipped %d line(s) that are not http(s) URLs, e.g. %r",
            source.label,
            len(skipped),
            skipped[0][:100],
        )
    return targets


def _directory(source: Source) -> list[Target]:
    root = Path(source.location)
    if not root.is_dir():
        raise SourceError(f"dir source {root} is not a directory; give a folder of .html files")
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.name.lower().endswith(_HTML_SUFFIXES)
    )
    # a symlink may point anywhere (`page.html -> /etc/passwd`): only files that really
    # live under the directory are read
    inside = root.resolve()
    files = [p for p in files if p.resolve().is_relative_to(inside)]
    return [Target(p.resolve().as_uri(), source.label, path=str(p.resolve())) for p in files]


def _warc_file(source: Source) -> list[Target]:
    path = source.location
    if not os.path.isfile(path):
        raise SourceError(f"warc source {path} is not a file; give a .warc or .warc.gz file")
    latest: dict[str, warc.ResponseInfo] = {}
    try:
        for info in warc.scan_responses(path):
            if info.status != 200 or (info.content_type and info.content_type not in HTML_TYPES):
                continue
            known = latest.get(info.url)
            if known is None or (info.date and known.date and info.date > known.date):
                latest[info.url] = info  # a URL captured twice: keep the newest capture
    except warc.WarcError as exc:
        raise SourceError(f"{exc}; check that --warc names a WARC file") from exc
    ordered = sorted(latest.values(), key=lambda i: i.offset)
    return [Target(i.url, source.label, path=f"{path}#{i.offset}") for i in ordered]


def discover(
    sources: list[Source],
    settings: FetchSettings,
    since: datetime | None = None,
    *,
    log_rows: list[dict[str, Any]] | None = None,
    memory: HostMemory | None = None,
) -> tuple[list[Target], StageStats]:
    """Targets from every source, deduplicated by canonical URL, in source then listing order.

    `since` drops targets whose feed/sitemap date is older (undated ones are kept). Requests
    made for discovery are appended to `log_rows` (fetch_log rows) when a list is given.
    """
    started = time.perf_counter()
    stats = StageStats("discover", records_in=len(sources))
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)

    async def go() -> list[list[Target]]:
        async with Crawler(settings, archive=False, memory=memory) as crawler:
            run = _Run(crawler, stats)
            try:
                return list(await asyncio.gather(*(run.source(s) for s in sources)))
            finally:
                if log_rows is not None:
                    log_rows.extend(crawler.log)

    per_source = run_sync(go)
    targets: list[Target] = []
    index: dict[str, Target] = {}
    for batch in per_source:
        for target in batch:
            key = canonicalize_url(target.url) if not target.path else target.path
            known = index.get(key)
            if known is not None:
                stats.drop("duplicate_url")
                known.published_hint = known.published_hint or target.published_hint
                known.title_hint = known.title_hint or target.title_hint
                continue
            if since is not None and target.published_hint is not None:
                hint = target.published_hint
                if hint.tzinfo is None:
                    hint = hint.replace(tzinfo=UTC)
                if hint < since:
                    stats.drop("older_than_since")
                    continue
            index[key] = target
            targets.append(target)
    stats.records_out = len(targets)
    stats.seconds = time.perf_counter() - started
    return targets, stats


def discover_stage(
    sources: list[Source], ctx: StageContext
) -> tuple[tuple[list[Target], list[dict[str, Any]]], StageStats]:
    """The stage: targets, and discovery's own fetch_log rows (robots, feeds, sitemaps)."""
    rows: list[dict[str, Any]] = []
    targets, stats = discover(
        sources, ctx.fetch or FetchSettings(), ctx.since, log_rows=rows, memory=ctx.memory
    )
    return (targets, rows), stats
