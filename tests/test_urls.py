"""URL canonicalization: every spelling of one page maps to one URL, distinct pages stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.crawl.urls import canonicalize_url, choose_canonical, host_of, url_key, url_key_hash

BASE = "https://example.com/news/2025/03/city-votes"


@pytest.mark.parametrize(
    "variant",
    [
        "HTTPS://EXAMPLE.com/news/2025/03/city-votes",
        "https://example.com:443/news/2025/03/city-votes",
        "https://example.com/news/2025/03/city-votes/",
        "https://example.com/news/2025/03/city-votes#comments",
        "https://example.com/news/2025/03/city-votes?utm_source=x&utm_medium=rss",
        "https://example.com/news/2025/03/city-votes?fbclid=abc&gclid=def&mc_eid=1",
        "https://example.com/news//2025/03/./city-votes",
        "https://example.com/news/2025/03/city-votes/amp",
        "https://example.com/amp/news/2025/03/city-votes",
        "https://example.com/news/2025/03/city-votes?amp=1",
        "https://example.com/news/2025/03/city-votes?outputType=amp",
        "https://example.com/news/2025/03/%63ity-votes",
    ],
)
def test_spellings_of_one_page(variant: str) -> None:
    assert canonicalize_url(variant) == BASE


def test_query_order_and_meaningful_parameters() -> None:
    a = canonicalize_url("https://ex.org/view?id=7&page=2&utm_campaign=z")
    assert a == canonicalize_url("https://ex.org/view?page=2&id=7")
    assert a != canonicalize_url("https://ex.org/view?id=8&page=2")
    assert canonicalize_url("http://ex.org:8080/a") == "http://ex.org:8080/a"
    assert canonicalize_url("http://ex.org:80/a") == "http://ex.org/a"


def test_mobile_hosts_and_index_pages() -> None:
    assert canonicalize_url("https://m.example.com/a/b") == "https://www.example.com/a/b"
    assert canonicalize_url("https://mobile.example.co.uk/a") == "https://www.example.co.uk/a"
    assert canonicalize_url("https://ex.org/section/index.html") == "https://ex.org/section"
    assert canonicalize_url("https://m.co/a") == "https://m.co/a"  # a short domain, not mobile


def test_url_key_ignores_scheme_and_www() -> None:
    assert url_key("http://www.example.com/a/") == url_key("https://m.example.com/a")
    assert url_key_hash("https://example.com/a") == url_key_hash("http://www.example.com/a#x")
    assert url_key_hash("https://example.com/a") != url_key_hash("https://example.com/b")


def test_declared_canonical() -> None:
    page = "https://www.ex.org/story/42?utm_source=feed"
    assert choose_canonical(page, "/story/42-title") == "https://www.ex.org/story/42-title"
    assert choose_canonical(page, None, "https://ex.org/story/42") == "https://ex.org/story/42"
    # Ignored: another site, the home page, non-http and templated values.
    assert choose_canonical(page, "https://spam.example/x") == "https://www.ex.org/story/42"
    assert choose_canonical(page, "https://www.ex.org/") == "https://www.ex.org/story/42"
    assert choose_canonical(page, "javascript:void(0)") == "https://www.ex.org/story/42"
    assert choose_canonical(page, "{{canonical}}") == "https://www.ex.org/story/42"


def test_garbage_is_left_alone() -> None:
    assert canonicalize_url("  not a url ") == "not a url"
    assert canonicalize_url("mailto:a@b.c") == "mailto:a@b.c"
    assert canonicalize_url("http://[::1:bad") == "http://[::1:bad"
    assert host_of("https://News.Example.com/x") == "news.example.com"


@given(
    path=st.lists(st.from_regex(r"[a-z0-9\-]{1,8}", fullmatch=True), min_size=1, max_size=4),
    params=st.dictionaries(
        st.from_regex(r"[a-z]{1,5}", fullmatch=True),
        st.from_regex(r"[a-z0-9]{0,4}", fullmatch=True),
        max_size=3,
    ),
)
def test_canonicalization_is_idempotent(path: list[str], params: dict[str, str]) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = "https://Example.com/" + "/".join(path) + ("?" + query if query else "")
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
