"""Canonical URLs measured on one URL list: ours against courlan's `clean_url` alone.

Each group holds spellings of one article (they must map to one URL); URLs of different
groups name different articles (they must stay apart). Both canonicalisers are scored on
the same pairs, so the list shows what courlan does on its own and what ours adds.
"""

from __future__ import annotations

import itertools

import pytest
from courlan import clean_url

from tasks.crawl.urls import canonicalize_url

GROUPS: list[list[str]] = [
    [  # campaign, click ids, fragments, parameter order, default port, case
        "https://www.herald.example/news/2026/03/04/dam-opens?id=77&page=2",
        "https://www.herald.example/news/2026/03/04/dam-opens?page=2&id=77",
        "https://www.herald.example:443/news/2026/03/04/dam-opens?id=77&page=2#comments",
        "HTTPS://WWW.Herald.example/news/2026/03/04/dam-opens?utm_source=rss&id=77&page=2",
        "https://www.herald.example/news/2026/03/04/dam-opens?id=77&fbclid=IwAR0x&page=2",
        "https://www.herald.example/news/2026/03/04/dam-opens?gclid=Cj0K&page=2&id=77",
        "https://www.herald.example/news/2026/03/04/dam-opens?id=77&page=2&xtor=RSS-1",
        "https://www.herald.example/news/2026/03/04/dam-opens?id=77&page=2&msclkid=9f",
    ],
    [  # session ids in the query and in the path
        "https://www.post.example/article.jsp?story=5120",
        "https://www.post.example/article.jsp?story=5120&PHPSESSID=3f9a0c1d",
        "https://www.post.example/article.jsp;jsessionid=A1B2C3D4?story=5120",
        "https://www.post.example/article.jsp?sessionid=x81&story=5120",
    ],
    [  # AMP and mobile twins, trailing slash, index page, dot segments, encoding
        "https://www.daily.example/world/port-strike",
        "https://m.daily.example/world/port-strike",
        "https://www.daily.example/amp/world/port-strike",
        "https://www.daily.example/world/port-strike/amp",
        "https://www.daily.example/world/port-strike?amp=1",
        "https://www.daily.example/world/port-strike/",
        "https://www.daily.example/world/./port-strike/index.html",
        "https://www.daily.example/world/%70ort-strike",
        "http://www.daily.example:80/world/port-strike".replace("http:", "https:").replace(
            ":80", ":443"
        ),
    ],
    # Different articles whose only difference is a parameter some lists call a tracker.
    ["https://www.gazette.example/article.php?cid=4410"],
    ["https://www.gazette.example/article.php?cid=4411"],
    ["https://www.gazette.example/event.php?eid=12"],
    ["https://www.gazette.example/event.php?eid=13"],
    ["https://www.gazette.example/view?id=7&page=1"],
    ["https://www.gazette.example/view?id=7&page=2"],
    ["https://www.gazette.example:8443/world/port-strike"],
]


def score(canon) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(share of same-article pairs made equal, share of different-article pairs kept apart)."""
    labelled = [(g, u) for g, urls in enumerate(GROUPS) for u in urls]
    same = same_ok = diff = diff_ok = 0
    for (ga, a), (gb, b) in itertools.combinations(labelled, 2):
        equal = canon(a) == canon(b)
        if ga == gb:
            same += 1
            same_ok += equal
        else:
            diff += 1
            diff_ok += not equal
    return same_ok / same, diff_ok / diff


def test_ours_merges_every_spelling_and_keeps_articles_apart() -> None:
    assert score(canonicalize_url) == (1.0, 1.0)


def test_ours_against_courlan_on_the_same_list() -> None:
    merged, apart = score(lambda u: clean_url(u) or u)
    ours_merged, ours_apart = score(canonicalize_url)
    # courlan alone leaves session ids, AMP/mobile twins and path spellings apart, and
    # takes `cid`/`eid` for trackers, merging different articles.
    assert merged < ours_merged and apart < ours_apart


def test_what_courlan_adds_to_our_own_list() -> None:
    """Trackers only courlan's list knows (before it, these kept two URLs apart)."""
    for key in ("xtor", "msclkid", "at_medium", "campaign", "ga_source"):
        url = f"https://www.herald.example/a?id=1&{key}=x"
        assert canonicalize_url(url) == "https://www.herald.example/a?id=1", key


@pytest.mark.slow
def test_search_links_carry_no_tracking_parameters(demo_warehouse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo's ledger outlet links its feed with utm_* parameters; search shows the article."""
    from warehouse.search import search

    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo_warehouse.read_bytes())
    hits = search(copy, "earthquake", source="www.meridianledger.example", limit=50)
    assert hits
    assert all("utm_" not in h["url"] and "?" not in h["url"] for h in hits), hits
