"""Fetching against a real loopback server that injects faults (tests/faultserver.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import itertools
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import duckdb
import httpx
import pytest

from records import Page, Target
from records.times import parse_http_date
from tasks.crawl.fetch import (
    Crawler,
    FetchConfigError,
    FetchSettings,
    fetch_batch,
    parse_retry_after,
)
from tasks.crawl.netguard import Allowlist, BlockedAddressError, is_public
from tests.faultserver import FaultServer, SiteConfig
from warehouse.crawl_store import load_validators, write_batch
from warehouse.schema import migrate

FAST = FetchSettings(
    allow_private_hosts=True,
    per_host_delay=0.0,
    backoff_base=0.02,
    backoff_cap=0.05,
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=1.0,
    max_bytes=1024 * 1024,
    max_attempts=3,
    max_retry_after=2.0,
)


def settings(**changes: Any) -> FetchSettings:
    return dataclasses.replace(FAST, **changes)


def rows_for(log: list[dict[str, Any]], url: str) -> list[dict[str, Any]]:
    return [r for r in log if r["url"] == url]


# -- every fault in one batch: the run completes and each failure says why ---------------

FAULTS = {
    # path: (error_class or None for a good page, words the reason must contain)
    "/page/1": (None, ""),
    "/flaky/1": (None, ""),  # 500 then 200
    "/ratelimit/1": (None, ""),  # 429 with Retry-After: 1, then 200
    "/chain/2": (None, ""),  # two redirects, then a page
    "/wrong-charset": (None, ""),
    "/reset": ("network", "connection dropped"),
    "/loop/a": ("redirect_loop", "redirect loop"),
    "/chain/9": ("too_many_redirects", "more than 5 redirects"),
    "/huge": ("too_large", "download cut"),
    "/declared-huge": ("too_large", "Content-Length"),
    "/bomb": ("bomb", "decompression bomb"),
    "/doc.pdf": ("content_type", "application/pdf"),
    "/img.png": ("content_type", "image/png"),
    "/untyped-pdf": ("content_type", "does not look like HTML"),
    "/private/1": ("robots", "robots.txt"),
    "/gone": ("http_4xx", "404"),
    "/slow/3": ("timeout", "timed out"),
    "/drip": ("timeout", "no complete response"),
    "/always500": ("http_5xx", "503"),
    "/longwait": ("http_429", "max_retry_after"),
}


@pytest.fixture(scope="module")
def fault_run() -> Any:
    # one server per fault so hosts run in parallel and the module stays fast
    servers = [FaultServer().start() for _ in FAULTS]
    try:
        urls = {path: s.url(path) for path, s in zip(FAULTS, servers, strict=True)}
        targets = [Target(u, "faults") for u in urls.values()]
        targets.append(Target(urls["/page/1"], "faults"))  # listed twice
        pages, log, stats = fetch_batch(targets, settings(), {})
        yield urls, pages, log, stats, dict(zip(FAULTS, servers, strict=True))
    finally:
        for s in servers:
            s.stop()


@pytest.mark.parametrize("path", list(FAULTS))
def test_each_fault_ends_with_a_clear_outcome(fault_run: Any, path: str) -> None:
    urls, pages, log, _, _ = fault_run
    error_class, words = FAULTS[path]
    page = next(p for p in pages if p.url == urls[path])
    final = rows_for(log, urls[path])[-1]
    if error_class is None:
        assert page.body and page.error is None and page.status == 200
        assert final["outcome"] == "ok" and final["error_class"] is None
    else:
        assert page.body is None
        assert final["error_class"] == error_class
        assert words in page.error and words in final["error"]
        assert final["outcome"] in ("failed", "skipped")


def test_fault_batch_has_no_duplicates_and_counts_drops(fault_run: Any) -> None:
    _urls, pages, _, stats, _ = fault_run
    assert len(pages) == len({p.url for p in pages}) == len(FAULTS)
    assert stats.dropped["duplicate_target"] == 1
    good = sum(1 for v in FAULTS.values() if v[0] is None)
    assert stats.records_out == good
    assert sum(stats.dropped.values()) == len(FAULTS) - good + 1


def test_retries_are_logged_per_attempt_and_bounded(fault_run: Any) -> None:
    urls, _, log, _, _ = fault_run
    flaky = rows_for(log, urls["/flaky/1"])
    assert [(r["attempt"], r["outcome"], r["status"]) for r in flaky] == [
        (1, "retry", 500),
        (2, "ok", 200),
    ]
    down = rows_for(log, urls["/always500"])
    assert [r["attempt"] for r in down] == [1, 2, 3]  # max_attempts, then it stops
    assert [r["outcome"] for r in down] == ["retry", "retry", "failed"]
    assert len(rows_for(log, urls["/longwait"])) == 1  # an hour's Retry-After: give up at once


def test_retry_after_is_honoured(fault_run: Any) -> None:
    *_, servers = fault_run
    hits = [r.at for r in servers["/ratelimit/1"].requests if r.path.startswith("/ratelimit")]
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.95


def test_robots_disallowed_path_is_never_requested(fault_run: Any) -> None:
    *_, servers = fault_run
    assert servers["/private/1"].paths() == ["/robots.txt"]


def test_oversized_download_is_cut_not_buffered(fault_run: Any) -> None:
    urls, _, log, _, _ = fault_run
    row = rows_for(log, urls["/huge"])[-1]
    # the server would send ~128 MiB; we stop reading just past the 1 MiB limit
    assert FAST.max_bytes < row["bytes"] < FAST.max_bytes + 256 * 1024
    bomb = rows_for(log, urls["/bomb"])[-1]
    assert bomb["bytes"] < 128 * 1024  # a 64 MiB bomb stopped after its first wire chunk


def test_wrong_declared_charset_passes_bytes_through(fault_run: Any) -> None:
    urls, pages, _, _, _ = fault_run
    page = next(p for p in pages if p.url == urls["/wrong-charset"])
    assert page.encoding == "utf-8"  # what the header claimed; cleaning decides
    assert "Café".encode("cp1252") in page.body


def test_redirect_chain_records_final_url(fault_run: Any) -> None:
    urls, pages, _, _, _ = fault_run
    page = next(p for p in pages if p.url == urls["/chain/2"])
    assert page.final_url.endswith("/page/chained")


# -- politeness -----------------------------------------------------------------------------


def _gaps(server: FaultServer, prefix: str = "/page/") -> list[float]:
    times = [r.at for r in server.requests if r.path.startswith(prefix)]
    return [b - a for a, b in itertools.pairwise(times)]


def test_per_host_delay_spaces_requests_and_hosts_run_in_parallel() -> None:
    with FaultServer() as a, FaultServer() as b:
        targets = [Target(s.url(f"/page/{i}"), "p") for i in range(4) for s in (a, b)]
        pages, _, _ = fetch_batch(targets, settings(per_host_delay=0.15), {})
        assert all(p.body for p in pages)
        for server in (a, b):
            gaps = _gaps(server)
            assert len(gaps) == 3 and min(gaps) >= 0.14
        # the two hosts interleave: b's first page comes before a's last one
        first_b = min(r.at for r in b.requests if r.path.startswith("/page/"))
        last_a = max(r.at for r in a.requests if r.path.startswith("/page/"))
        assert first_b < last_a


def test_crawl_delay_from_robots_overrides_a_shorter_delay() -> None:
    site = SiteConfig(robots="User-agent: *\nCrawl-delay: 0.25\n")
    with FaultServer(site) as s:
        pages, _, _ = fetch_batch([Target(s.url(f"/page/{i}"), "p") for i in range(3)], FAST, {})
        assert all(p.body for p in pages)
        assert min(_gaps(s)) >= 0.24


def test_user_agent_is_sent_and_robots_groups_apply_to_it() -> None:
    site = SiteConfig(
        robots="User-agent: newsflow\nDisallow: /page/2\n\nUser-agent: *\nDisallow: /\n"
    )
    with FaultServer(site) as s:
        ua = "newsflow/9.9 (+https://example.org/bot)"
        pages, _log, _ = fetch_batch(
            [Target(s.url(f"/page/{i}"), "p") for i in (1, 2)], settings(user_agent=ua), {}
        )
        assert pages[0].body and pages[1].error and "robots" in pages[1].error
        assert {r.headers["User-Agent"] for r in s.requests} == {ua}


def test_unreachable_robots_means_no_page_requests() -> None:
    with FaultServer(SiteConfig(robots="500")) as s:
        pages, _log, _ = fetch_batch([Target(s.url("/page/1"), "p")], settings(max_attempts=1), {})
        assert "robots.txt unreachable" in pages[0].error
        assert all(p == "/robots.txt" for p in s.paths())


def test_respect_robots_false_fetches_disallowed_paths() -> None:
    with FaultServer() as s:
        pages, _, _ = fetch_batch(
            [Target(s.url("/private/1"), "p")], settings(respect_robots=False), {}
        )
        assert pages[0].body and "/robots.txt" not in s.paths()


# -- safety -----------------------------------------------------------------------------------


def test_loopback_is_refused_by_default_without_a_request() -> None:
    with FaultServer() as s:
        pages, log, stats = fetch_batch(
            [Target(s.url("/page/1"), "p")], settings(allow_private_hosts=False), {}
        )
        assert pages[0].body is None and "non-public address 127.0.0.1" in pages[0].error
        assert log[-1]["error_class"] == "private_address" and log[-1]["outcome"] == "skipped"
        assert stats.dropped["private_address"] == 1
        assert s.requests == []


@pytest.mark.parametrize("entry", ["127.0.0.0/8", "127.0.0.1"])
def test_allowlist_opens_a_private_network(entry: str) -> None:
    with FaultServer() as s:
        st = settings(allow_private_hosts=False, host_allowlist=(entry,))
        pages, _, _ = fetch_batch([Target(s.url("/page/1"), "p")], st, {})
        assert pages[0].body


def test_guard_also_holds_at_connect_time() -> None:
    """Even a request that skips our pre-check cannot reach a private address."""

    async def go(url: str) -> None:
        async with Crawler(settings(allow_private_hosts=False)) as crawler:
            await crawler.client.get(url)

    with FaultServer() as s, pytest.raises(BlockedAddressError):
        asyncio.run(go(s.url("/page/1")))
    assert s.requests == []


def test_address_classes() -> None:
    import ipaddress

    for private in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "fc00::1",
    ):
        assert not is_public(ipaddress.ip_address(private)), private
    for public in ("93.184.216.34", "2606:2800:220:1::1"):
        assert is_public(ipaddress.ip_address(public)), public
    allow = Allowlist.parse([".example.org", "10.0.0.0/8"])
    assert allow.allows_host("news.example.org") and allow.allows_host("example.org")
    assert not allow.allows_host("badexample.org")
    assert allow.allows_addr(ipaddress.ip_address("10.9.9.9"))


def test_non_http_targets_are_refused() -> None:
    pages, log, _ = fetch_batch([Target("file:///etc/passwd", "p")], FAST, {})
    assert pages[0].body is None and log[0]["error_class"] == "bad_url"


# -- conditional requests and the crawl store ---------------------------------------------------


def _warehouse(tmp_path: Any) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    return con


def _run(con: duckdb.DuckDBPyConnection, targets: list[Target], run_id: str) -> list[Page]:
    validators = load_validators(con, [t.url for t in targets])
    pages, log, _ = fetch_batch(targets, FAST, validators)
    con.execute("BEGIN TRANSACTION")
    write_batch(con, pages, log, run_id)
    con.execute("COMMIT")
    return pages


def test_second_run_sends_only_conditional_requests(tmp_path: Any) -> None:
    con = _warehouse(tmp_path)
    with FaultServer(SiteConfig(gzip_pages=True)) as s:
        targets = [Target(s.url(f"/page/{i}"), "p") for i in range(5)]
        first = _run(con, targets, "r1")
        assert all(p.body and not p.unchanged for p in first)
        cache_rows = con.execute("SELECT count(*) FROM http_cache").fetchall()[0][0]
        assert cache_rows == 5
        s.clear()
        second = _run(con, targets, "r2")
        page_requests = [r for r in s.requests if r.path.startswith("/page/")]
        assert len(page_requests) == 5
        assert all("If-None-Match" in r.headers for r in page_requests)
        assert all(p.unchanged and p.body is None and p.status == 304 for p in second)
        assert con.execute("SELECT count(*) FROM http_cache").fetchall()[0][0] == cache_rows
        outcomes = con.execute(
            "SELECT run_id, outcome, count(*) FROM fetch_log WHERE kind = 'page' "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert outcomes == [("r1", "ok", 5), ("r2", "unchanged", 5)]
        # validators survive a 304 that repeats none of them
        etags = con.execute("SELECT count(*) FROM http_cache WHERE etag IS NOT NULL").fetchall()
        assert etags[0][0] == 5


def test_unchanged_body_without_validators_costs_no_processing(tmp_path: Any) -> None:
    con = _warehouse(tmp_path)
    with FaultServer(SiteConfig(validators=False)) as s:
        targets = [Target(s.url("/page/1"), "p")]
        assert _run(con, targets, "r1")[0].body
        again = _run(con, targets, "r2")[0]
        assert again.status == 200 and again.unchanged and again.body is None


def test_write_batch_is_idempotent_for_the_cache(tmp_path: Any) -> None:
    con = _warehouse(tmp_path)
    with FaultServer() as s:
        targets = [Target(s.url("/page/1"), "p")]
        pages, log, _ = fetch_batch(targets, FAST, {})
        write_batch(con, pages, log, "r1")
        write_batch(con, pages, log, "r1")
    assert con.execute("SELECT count(*) FROM http_cache").fetchall() == [(1,)]
    assert load_validators(con, [targets[0].url])[targets[0].url].etag


# -- small pieces --------------------------------------------------------------------------------


def test_retry_after_forms() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_http_dates_are_aware_utc() -> None:
    """One parser for Retry-After, Last-Modified and RSS dates (records.times)."""
    gmt = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_http_date(" Wed, 21 Oct 2015 07:28:00 GMT ") == gmt
    assert parse_http_date("Wed, 21 Oct 2015 09:28:00 +0200") == gmt
    assert parse_http_date("Wed, 21 Oct 2015 07:28:00 -0000") == gmt  # no zone: UTC
    assert parse_http_date("yesterday") is None and parse_http_date("") is None


def test_bad_settings_raise_a_clear_error() -> None:
    with pytest.raises(FetchConfigError, match="per_host_delay"):
        FetchSettings(per_host_delay=-1)
    with pytest.raises(FetchConfigError, match="user_agent"):
        FetchSettings(user_agent=" ")


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    body = b"<html><body>" + b"news " * 2000 + b"</body></html>"
    site = SiteConfig(pages={"/gz": ("text/html", body)}, gzip_pages=True)
    with FaultServer(site) as s:
        pages, log, _ = fetch_batch([Target(s.url("/gz"), "p")], FAST, {})
        assert pages[0].body == body
        assert log[-1]["bytes"] == len(body)
    assert gzip.decompress(gzip.compress(body)) == body


def test_client_uses_no_environment_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.255.255.1:9")
    with FaultServer() as s:
        pages, _, _ = fetch_batch([Target(s.url("/page/1"), "p")], FAST, {})
        assert pages[0].body
    assert isinstance(httpx.__version__, str)


def test_stats_count_requests_and_retries(fault_run: Any) -> None:
    _, _, log, stats, _ = fault_run
    assert stats.extra["retries"] == Counter(r["outcome"] for r in log)["retry"] > 0


def test_targets_their_listing_dates_unchanged_are_planned_first() -> None:
    from datetime import UTC, datetime

    from flows.ingest import NOT_DUE_BATCH, plan_batches
    from tasks.crawl.fetch import not_due

    held = "Tue, 03 Mar 2026 10:00:00 GMT"
    old, new = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC)
    targets = [
        Target("https://a.example/1", "s", lastmod=old),  # listed as older than our copy
        Target("https://a.example/2", "s", lastmod=new),  # changed since
        Target("https://a.example/3", "s"),  # no lastmod: ask the server
        Target("https://a.example/4", "s", lastmod=old),  # never fetched
        Target("https://a.example/5", "s", lastmod=old, path="/tmp/5.html"),  # local file
        Target("https://a.example/6", "s", lastmod=old),
    ]
    validators = {f"https://a.example/{i}": ("etag", held) for i in (1, 2, 3, 5, 6)}
    flags = not_due(targets, validators)
    assert flags == [True, False, False, False, False, True]
    batches = plan_batches(targets, flags, size=2)
    assert [[t.url[-1] for t in b] for b in batches] == [["1", "6"], ["2", "3"], ["4", "5"]]
    many = [Target(f"https://a.example/{i}", "s", lastmod=old) for i in range(NOT_DUE_BATCH + 1)]
    assert [len(b) for b in plan_batches(many, [True] * len(many), size=2)] == [NOT_DUE_BATCH, 1]
