"""The demo site is the fixture most pipeline tests stand on, so its own promises are tested:
determinism, real HTTP behaviour, ground truth that agrees with the served bytes, and a
scale mode that stays lazy."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC
from email.utils import format_datetime

import httpx
import pytest

from deployments.demosite import CATEGORIES, build_site, serve
from deployments.demosite import templates as T
from deployments.demosite.__main__ import main as cli_main

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site():
    return build_site(seed=7)


@pytest.fixture(scope="module")
def running(site):
    with serve(site) as r:
        yield r


def _text(page: str) -> str:
    """Page text with tags replaced by newlines, so a paragraph must sit whole inside one node."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


# ----- determinism -----------------------------------------------------------------------
def test_same_seed_same_bytes_and_other_seed_differs(site):
    again = build_site(seed=7)
    assert [a.as_dict() for a in again.articles] == [a.as_dict() for a in site.articles]
    for o in site.outlets:
        a = site.article(o.index, 3)
        assert T.render_article(site, o, a, 0) == T.render_article(
            again, o, again.article(o.index, 3), 0
        )
        assert T.render_feed(site, o, 1, "http://h") == T.render_feed(again, o, 1, "http://h")
    other = build_site(seed=8)
    assert [a.title for a in other.articles] != [a.title for a in site.articles]


# ----- the world's shape ----------------------------------------------------------------------
def test_counts_meet_the_contract(site):
    arts = list(site.articles)
    assert len(site.outlets) == 5 and 60 <= len(arts) <= 90
    assert len({o.family for o in site.outlets}) == 5
    assert {o.feed_format for o in site.outlets} == {"rss", "atom"}
    by_outlet = Counter(a.outlet for a in arts)
    assert min(by_outlet.values()) >= 10
    stories = site.stories(0)
    multi = {
        sid: urls
        for sid, urls in stories.items()
        if len({site.lookup_url(u).outlet for u in urls}) >= 2
    }
    assert len(multi) >= 8
    copies = [a for a in arts if a.kind == "wire" and a.duplicate_of]
    assert len(copies) >= 5
    truth = site.truth(0)
    for c in copies:  # a syndicated copy points at the first copy, in another outlet
        orig = truth[c.duplicate_of]
        assert orig.kind == "wire" and orig.duplicate_of is None and orig.outlet != c.outlet
        assert orig.story_id == c.story_id
        assert len(set(orig.paragraphs) & set(c.paragraphs)) >= len(c.paragraphs) - 2
    reps = [a for a in arts if a.kind == "republish"]
    assert reps and all(truth[r.duplicate_of].outlet == r.outlet for r in reps)
    assert all(r.canonical_url != r.duplicate_of for r in reps)
    negatives = [a for a in arts if a.kind == "negative"]
    assert len(negatives) >= 5 and all(a.story_id is None for a in negatives)
    story_cats = {tuple(truth[u[0]].categories) for u in multi.values()}
    assert sum(tuple(a.categories) in story_cats for a in negatives) == len(negatives)
    assert sum(a.modified is not None for a in arts) >= 5
    assert all(4 <= len(a.paragraphs) <= 12 for a in arts)
    assert len({c for a in arts for c in a.categories}) >= 15
    assert {c for a in arts for c in a.categories} <= set(CATEGORIES)
    assert {a.date_style for a in arts} == {
        "jsonld",
        "jsonld_graph",
        "og",
        "meta_date",
        "meta_pubdate",
        "text",
        "time",
    }
    assert any(len(a.authors) > 1 for a in arts)
    staff = [j for o in site.outlets for j in o.journalists]
    assert any(j.role for j in staff) and any(j.email for j in staff)
    assert any(j.handle for j in staff)
    labels = {e.label for a in arts for e in a.entities}
    assert labels == {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"}
    for a in arts:  # entity counts agree with the text they were counted in
        whole = a.title + "\n" + a.text
        for e in a.entities:
            assert e.count >= 1 and (e.name in whole or any(x in whole for x in e.aliases))


def test_story_covers_differ_in_wording(site):
    truth = site.truth(0)
    for urls in site.stories(0).values():
        covers = [truth[u] for u in urls if truth[u].duplicate_of is None]
        for i, a in enumerate(covers):
            for b in covers[i + 1 :]:
                assert a.title != b.title and a.paragraphs[0] != b.paragraphs[0]
                shared = set(a.paragraphs) & set(b.paragraphs)
                assert len(shared) <= len(a.paragraphs) // 2


def test_edition_one_updates_in_place_and_adds(site):
    e0, e1 = site.truth(0), site.truth(1)
    assert set(e0) < set(e1)
    new = [e1[u] for u in set(e1) - set(e0)]
    assert {a.kind for a in new} >= {"story", "single", "wire", "republish"}
    updated = [u for u in e0 if e0[u].paragraphs != e1[u].paragraphs]
    assert len(updated) >= 3
    for u in updated:
        before, after = e0[u], e1[u]
        assert after.revision == 1 and after.updated_in == 1 and after.path == before.path
        assert after.modified and after.modified > before.published
        assert len(after.paragraphs) == len(before.paragraphs) + 1
        assert after.paragraphs[-1] != before.paragraphs[-1]


# ----- served pages agree with the truth -------------------------------------------------------
def test_every_page_holds_its_truth_and_template(site, running):
    with httpx.Client() as client:
        for a in site.articles:
            r = client.get(running.url_for(a))
            assert r.status_code == 200
            assert r.headers["content-type"] == "text/html; charset=utf-8"
            page = r.text
            text = _text(page)
            for p in a.paragraphs:
                assert p in text, (a.canonical_url, p)
            assert a.title in text
            assert f'content="{html.escape(a.canonical_url)}"' in page  # og:url
            assert all(name in text for name in a.authors)
            for bp in site.boilerplate[a.outlet]:
                assert bp in text
                assert all(bp not in p for p in a.paragraphs)
            pub = a.published.isoformat(timespec="seconds")
            if a.date_style in ("jsonld", "jsonld_graph", "og", "meta_date", "time"):
                assert pub in page
            elif a.date_style == "meta_pubdate":
                assert f'name="pubdate" content="{a.published:%Y%m%d}"' in page
            else:
                assert f"Published {a.published.day} {a.published:%B %Y, %H:%M} {a.tz}" in text
                assert pub not in page  # visible text is the only source
            if a.modified and a.date_style in ("jsonld", "jsonld_graph", "og"):
                assert a.modified.isoformat(timespec="seconds") in page


def test_jsonld_is_valid_and_names_the_article(site, running):
    styles = {"jsonld": 0, "jsonld_graph": 0}
    for a in site.articles:
        if a.date_style not in styles:
            continue
        page = httpx.get(running.url_for(a)).text
        raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        data = json.loads(raw.group(1))
        node = next(n for n in data.get("@graph", [data]) if n["@type"] == "NewsArticle")
        assert node["headline"] == a.title
        assert [x["name"] for x in node["author"]] == list(a.authors)
        styles[a.date_style] += 1
    assert all(styles.values())


# ----- HTTP behaviour ---------------------------------------------------------------------
def test_feeds_sitemaps_and_robots(site, running):
    with httpx.Client(follow_redirects=True) as client:
        for o, feed in zip(site.outlets, running.feeds, strict=True):
            r = client.get(feed)
            assert r.status_code == 200 and "charset=utf-8" in r.headers["content-type"]
            root = ET.fromstring(r.content)
            if o.feed_format == "rss":
                links = [i.findtext("link") for i in root.iter("item")]
            else:
                links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
            assert len(links) == site.article_count(o.index, 0)
            r = client.get(links[0])  # short links redirect, utm links still resolve
            assert r.status_code == 200 and r.url.path != "/s/"
            home = client.get(running.origins[o.slug] + "/").text
            assert f'type="application/{o.feed_format}+xml"' in home
            assert f'href="{o.feed_path}"' in home and "/private/" in home
            robots = client.get(running.origins[o.slug] + "/robots.txt").text
            assert "Disallow: /private/" in robots and "Sitemap: " in robots
            section = client.get(running.origins[o.slug] + o.section_path("world"))
            assert section.status_code == 200
        # Outlet 0: sitemap index -> article sitemap + Google news sitemap.
        root = ET.fromstring(client.get(running.sitemaps[0]).content)
        children = [x.text for x in root.iter(f"{SM}loc")]
        assert root.tag == f"{SM}sitemapindex" and any("news" in c for c in children)
        urls = []
        for c in children:
            sub = client.get(c).text
            urls += re.findall(r"<loc>(.*?)</loc>", sub)
            if "news" in c:
                assert "<news:publication_date>" in sub
        assert set(urls) >= {
            running.url_for(a) for a in site.articles if a.outlet == site.outlets[0].slug
        }
        plain = ET.fromstring(client.get(running.sitemaps[1]).content)
        assert plain.tag == f"{SM}urlset"


def test_conditional_requests_gzip_and_errors(site, running):
    a = site.articles[5]
    url = running.url_for(a)
    with httpx.Client() as client:
        r = client.get(url)
        etag, lm = r.headers["etag"], r.headers["last-modified"]
        assert lm == format_datetime((a.modified or a.published).astimezone(UTC), usegmt=True)
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": lm}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
        raw = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip" and raw.text == r.text
        head = client.head(url, headers={"Accept-Encoding": "identity"})
        assert head.headers["content-length"] == str(len(r.content)) and not head.content
        assert client.get(running.origins[a.outlet] + "/no/such/page").status_code == 404
    with httpx.Client() as client:  # decode nothing: the wire bytes really are gzip
        resp = client.send(
            client.build_request("GET", url, headers={"Accept-Encoding": "gzip"}), stream=True
        )
        assert gzip.decompress(b"".join(resp.iter_raw())) == r.content
        resp.close()
    assert running.count(path=re.escape(a.path), status=304) >= 2
    assert running.requests[(a.outlet, a.path, 304)] >= 2


def test_set_edition_serves_updates_and_keeps_unchanged_pages(site):
    e1 = site.truth(1)
    with serve(site, edition=0) as r, httpx.Client() as client:
        tags = {a.canonical_url: client.get(r.url_for(a)).headers["etag"] for a in site.articles}
        r.set_edition(1)
        r.reset_counts()
        statuses = Counter()
        for url, tag in tags.items():
            resp = client.get(r.url_for(url), headers={"If-None-Match": tag})
            statuses[resp.status_code] += 1
            if resp.status_code == 200:  # only in-place updates changed
                assert e1[url].revision == 1
                assert e1[url].paragraphs[1] in _text(resp.text)
        assert statuses[200] == sum(a.revision for a in site.articles_at(1))
        assert statuses[304] == len(tags) - statuses[200]
        assert r.count(conditional=True) == len(tags) and r.count(conditional=False) == 0
        feed = client.get(r.feeds[0]).text
        new = [
            a for a in site.articles_at(1) if a.edition == 1 and a.outlet == site.outlets[0].slug
        ]
        assert all(r.url_for(a) in feed for a in new)
        with pytest.raises(ValueError):
            r.set_edition(5)


# ----- scale mode -------------------------------------------------------------------------
def test_scale_mode_is_lazy_and_realistically_sized():
    big = build_site(seed=3, pages=100_000)
    assert len(big.outlets) == 50 and len(big.articles) == 100_000
    assert big._plan == []
    sizes = []
    for o in big.outlets[::7]:
        last = big.article_count(o.index, 0) - 1
        for i in (0, last // 2, last):
            a = big.article(o.index, i)
            sizes.append(len(T.render_article(big, o, a, 0).encode()))
            assert big.lookup(o.slug, a.path) == a
    assert all(50_000 <= s <= 150_000 for s in sizes), sizes
    assert big._truth.cache_info().currsize < 200  # nothing beyond what was asked for
    kinds = Counter(big.spec(o, i).kind for o in range(0, 50, 5) for i in range(0, 2000, 11))
    assert kinds["story"] > 100 and kinds["wire"] > 5 and kinds["republish"] > 5


def test_scale_site_served_with_paged_sitemaps():
    small = build_site(seed=5, pages=1200, outlets=6, sitemap_chunk=100)
    with serve(small) as r, httpx.Client() as client:
        idx = client.get(r.sitemaps[2]).text
        children = re.findall(r"<loc>(.*?)</loc>", idx)
        assert len([c for c in children if "articles" in c]) == 2
        urls = re.findall(r"<loc>(.*?)</loc>", client.get(children[1]).text)
        assert len(urls) == 100
        page = client.get(urls[-1])
        assert page.status_code == 200 and 50_000 <= len(page.content) <= 150_000
        truth = small.lookup(small.outlets[2].slug, httpx.URL(urls[-1]).raw_path.decode())
        assert truth is not None and truth.paragraphs[0] in _text(page.text)


def test_cli_truth_prints_json_lines(capsys):
    assert cli_main(["truth", "--seed", "7"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = json.loads(lines[0])
    assert len(lines) == len(build_site(7).articles)
    assert {"canonical_url", "paragraphs", "entities", "story_id", "duplicate_of"} <= set(first)
