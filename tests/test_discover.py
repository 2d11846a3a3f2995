"""Discovery from feeds, sitemaps, homepages, lists, directories and WARC files."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tasks.crawl.discover import Source, SourceError, discover
from tasks.crawl.feeds import parse_listing
from tasks.crawl.fetch import FetchSettings, fetch_batch
from tasks.crawl.robots import parse_robots
from tests.faultserver import FaultServer, SiteConfig, article_html

FAST = FetchSettings(
    allow_private_hosts=True, per_host_delay=0.0, max_attempts=1, total_timeout=2.0
)


def _site() -> SiteConfig:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>One</title><link>/page/1</link>"
        "<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate></item>"
        "<item><title>Two</title><link>/page/2?utm_source=rss</link>"
        "<pubDate>Tue, 01 Jan 2019 10:00:00 GMT</pubDate></item>"
        "</channel></rss>"
    )
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<entry><title>Three</title><link rel="alternate" href="/page/3"/>'
        "<published>2025-03-05T09:00:00+01:00</published></entry></feed>"
    )
    jsonfeed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": "4",
                    "url": "/page/4",
                    "title": "Four",
                    "date_published": "2025-03-06T00:00:00Z",
                }
            ],
        }
    )
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        "<url><loc>/page/5</loc><news:news><news:publication_date>2025-03-07T08:00:00Z"
        "</news:publication_date><news:title>Five</news:title></news:news></url>"
        "<url><loc>/page/1</loc><lastmod>2025-03-01</lastmod></url></urlset>"
    )
    gz_sitemap = gzip.compress(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>/page/6</loc></url></urlset>"
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/news-sitemap.xml</loc></sitemap><sitemap><loc>/s.xml.gz</loc></sitemap>"
        "<sitemap><loc>/index.xml</loc></sitemap></sitemapindex>"  # lists itself: no loop
    )
    home = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head>'
        '<body><a href="/page/1">1</a><a href="/page/7">7</a><a href="/private/9">p</a>'
        '<a href="https://elsewhere.example/x">x</a><a href="/pic.jpg">pic</a></body></html>'
    )
    plain_home = '<html><body><a href="/page/8">8</a> <a href="/section">s</a></body></html>'
    return SiteConfig(
        robots="User-agent: *\nDisallow: /private/\nSitemap: /index.xml\n",
        pages={
            "/rss.xml": ("application/rss+xml", rss.encode()),
            "/atom.xml": ("application/atom+xml", atom.encode()),
            "/feed.json": ("application/feed+json", jsonfeed.encode()),
            "/news-sitemap.xml": ("application/xml", sitemap.encode()),
            "/s.xml.gz": ("application/x-gzip", gz_sitemap),
            "/index.xml": ("application/xml", index.encode()),
            "/": ("text/html", home.encode()),
            "/plain": ("text/html", plain_home.encode()),
            "/section": ("text/html", article_html("section", links=["/page/9", "/page/8"])),
        },
    )


@pytest.fixture()
def site() -> Any:
    with FaultServer(_site()) as s:
        yield s


def _paths(targets: list[Any]) -> list[str]:
    return [t.url.split("/", 3)[-1] for t in targets]


def test_rss_atom_and_json_feed(site: FaultServer) -> None:
    sources = [Source("feed", site.url(p)) for p in ("/rss.xml", "/atom.xml", "/feed.json")]
    targets, stats = discover(sources, FAST)
    assert _paths(targets) == ["page/1", "page/2?utm_source=rss", "page/3", "page/4"]
    assert targets[0].published_hint == datetime(2025, 3, 4, 10, tzinfo=UTC)
    assert targets[2].published_hint == datetime(2025, 3, 5, 8, tzinfo=UTC)
    assert targets[3].title_hint == "Four" and targets[0].source == site.url("/rss.xml")
    assert stats.records_out == 4 and stats.extra["listings_feed"] == 3


def test_sitemap_index_news_dates_gzip_and_cross_source_dedup(site: FaultServer) -> None:
    sources = [
        Source("feed", site.url("/rss.xml"), name="rss"),
        Source("sitemap", site.url("/index.xml")),
    ]
    targets, stats = discover(sources, FAST)
    assert _paths(targets) == ["page/1", "page/2?utm_source=rss", "page/5", "page/6"]
    five = targets[2]
    assert five.published_hint == datetime(2025, 3, 7, 8, tzinfo=UTC) and five.title_hint == "Five"
    assert stats.dropped["duplicate_url"] == 1  # /page/1 from the sitemap too
    assert stats.extra["listings_sitemapindex"] == 1


def test_since_drops_older_dated_targets(site: FaultServer) -> None:
    targets, stats = discover(
        [Source("feed", site.url("/rss.xml"))], FAST, since=datetime(2024, 1, 1)
    )
    assert _paths(targets) == ["page/1"] and stats.dropped["older_than_since"] == 1


def test_homepage_autodiscovers_feeds(site: FaultServer) -> None:
    targets, stats = discover([Source("homepage", site.url("/"))], FAST)
    assert _paths(targets) == ["page/1", "page/2?utm_source=rss", "page/3"]
    assert stats.extra["feeds_autodiscovered"] == 2


def test_homepage_without_feeds_uses_robots_sitemaps(site: FaultServer) -> None:
    targets, _ = discover([Source("homepage", site.url("/plain"))], FAST)
    assert _paths(targets) == ["page/5", "page/1", "page/6"]


def test_link_following_is_same_site_depth_and_page_limited(site: FaultServer) -> None:
    targets, _ = discover([Source("url", site.url("/plain"), follow_links=1)], FAST)
    assert _paths(targets) == ["plain", "page/8", "section"]
    deeper, _ = discover([Source("url", site.url("/plain"), follow_links=2)], FAST)
    assert _paths(deeper) == ["plain", "page/8", "section", "page/9"]
    assert [t.depth for t in deeper] == [0, 1, 1, 2]
    capped, _ = discover([Source("url", site.url("/plain"), follow_links=2, max_pages=2)], FAST)
    assert len(capped) == 2


def test_link_following_skips_offsite_media_and_robots_disallowed(site: FaultServer) -> None:
    targets, _ = discover([Source("url", site.url("/"), follow_links=1)], FAST)
    found = _paths(targets)
    assert "page/7" in found and "pic.jpg" not in found
    assert not any("elsewhere" in t.url for t in targets)
    assert "/private/9" not in site.paths()


def test_discovery_order_is_deterministic(site: FaultServer) -> None:
    sources = [Source("sitemap", site.url("/index.xml")), Source("homepage", site.url("/"))]
    first, _ = discover(sources, FAST)
    second, _ = discover(sources, FAST)
    assert [t.url for t in first] == [t.url for t in second]


def test_unreachable_listing_is_counted_not_fatal(site: FaultServer) -> None:
    targets, stats = discover(
        [Source("feed", site.url("/gone")), Source("feed", site.url("/rss.xml"))], FAST
    )
    assert len(targets) == 2 and stats.dropped["listing_unavailable"] == 1


def test_discovery_refuses_private_hosts_by_default(site: FaultServer) -> None:
    safe = dataclasses.replace(FAST, allow_private_hosts=False)
    rows: list[dict[str, Any]] = []
    targets, _ = discover([Source("feed", site.url("/rss.xml"))], safe, log_rows=rows)
    assert targets == [] and site.requests == []
    assert rows and rows[0]["error_class"] == "private_address"


def test_feeds_and_robots_are_revalidated_from_the_cache_dir(
    site: FaultServer, tmp_path: Path
) -> None:
    cached = dataclasses.replace(FAST, cache_dir=str(tmp_path / "cache"))
    sources = [Source("homepage", site.url("/"))]
    first, _ = discover(sources, cached)
    site.clear()
    rows: list[dict[str, Any]] = []
    second, _ = discover(sources, cached, log_rows=rows)
    assert [t.url for t in first] == [t.url for t in second]
    assert site.requests and all(
        "If-None-Match" in r.headers or "If-Modified-Since" in r.headers for r in site.requests
    )
    assert {r["outcome"] for r in rows} == {"unchanged"}


def test_urls_file_and_single_url(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# today\nhttps://a.example/1\n\nftp://nope/x\nhttps://a.example/1#frag\n")
    targets, stats = discover(
        [Source("urls_file", str(listing)), Source("url", "https://b.example/x")], FAST
    )
    assert [t.url for t in targets] == ["https://a.example/1", "https://b.example/x"]
    assert stats.dropped["duplicate_url"] == 1


def test_directory_of_html_and_gz_is_read_locally(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_bytes(article_html("a"))
    (tmp_path / "sub" / "b.html.gz").write_bytes(gzip.compress(article_html("b")))
    (tmp_path / "notes.txt").write_text("not a page")
    targets, _ = discover([Source("dir", str(tmp_path))], FAST)
    assert [Path(t.path).name for t in targets] == ["a.html", "b.html.gz"]
    assert all(t.url.startswith("file://") for t in targets)
    pages, log, _ = fetch_batch(targets, FAST, {})
    assert pages[1].body == article_html("b") and all(r["kind"] == "local" for r in log)
    validators = {p.url: (p.etag, None) for p in pages}
    again, _, stats = fetch_batch(targets, FAST, validators)
    assert all(p.unchanged and p.body is None for p in again)
    assert stats.extra["unchanged"] == 2


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (lambda: Source("rss", "https://x.example/"), "unknown source kind"),  # type: ignore[arg-type]
        (lambda: Source("feed", "x.example/rss"), r"not an http\(s\) URL"),
        (lambda: Source("url", "https://x.example/", follow_links=-1), "follow_links"),
        (lambda: Source("url", "https://x.example/", max_pages=0), "max_pages"),
    ],
)
def test_bad_sources_raise_source_error(source: Any, words: str) -> None:
    with pytest.raises(SourceError, match=words):
        source()


def test_missing_paths_raise_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a directory"):
        discover([Source("dir", str(tmp_path / "missing"))], FAST)
    with pytest.raises(SourceError, match="not a file"):
        discover([Source("warc", str(tmp_path / "missing.warc.gz"))], FAST)


# -- parsers ------------------------------------------------------------------------------------


def test_xml_entities_are_not_expanded() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><link>https://a.example/&x;</link></item></channel></rss>"
    )
    listing = parse_listing(evil, "https://a.example/")
    assert all("root:" not in e.url for e in listing.entries)


def test_plain_text_sitemap() -> None:
    listing = parse_listing(b"https://a.example/1\nhttps://a.example/2\n", "https://a.example/")
    assert [e.url for e in listing.entries] == ["https://a.example/1", "https://a.example/2"]


def test_robots_longest_match_wildcards_and_groups() -> None:
    text = (
        "User-agent: *\nDisallow: /\nAllow: /news/\nDisallow: /news/*.pdf$\nCrawl-delay: 2\n"
        "Sitemap: https://a.example/s.xml\n\nUser-agent: otherbot\nDisallow:\n"
    )
    robots = parse_robots(text, "newsflow/0.1 (+https://x)")
    assert robots.allowed("https://a.example/news/story")
    assert not robots.allowed("https://a.example/news/file.pdf")
    assert robots.allowed("https://a.example/news/file.pdf?x=1")  # $ anchors the end
    assert not robots.allowed("https://a.example/about")
    assert robots.allowed("https://a.example/robots.txt")
    assert robots.crawl_delay == 2.0 and robots.sitemaps == ["https://a.example/s.xml"]
    assert parse_robots(text, "otherbot/1").allowed("https://a.example/about")
