"""Publication dates: parsing, order of trust, time zones, URL and visible-text fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tasks.clean.dates import date_from_url, find_dates, parse_datetime, parse_visible_date
from tasks.clean.extraction import parse_html


def tree_of(head: str, body: str = "<p>x</p>"):
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    return tree


def test_parse_keeps_offsets_and_assumes_utc_only_when_none_is_given() -> None:
    assert parse_datetime("2020-06-07T23:30:00-04:00") == datetime(
        2020, 6, 7, 23, 30, tzinfo=timezone(timedelta(hours=-4))
    )
    assert parse_datetime("2020-06-07T23:30:00.123Z") == datetime(2020, 6, 7, 23, 30, tzinfo=UTC)
    assert parse_datetime("2020-06-07 08:15+0530").utcoffset() == timedelta(hours=5, minutes=30)
    assert parse_datetime("Sun, 07 Jun 2020 10:00:00 GMT") == datetime(2020, 6, 7, 10, tzinfo=UTC)
    assert parse_datetime("20200607") == datetime(2020, 6, 7, tzinfo=UTC)
    for bad in ("", "soon", "0000-00-00", "1970-01-01T00:00:00Z", "2999-01-01", None, 12):
        assert parse_datetime(bad) is None


def test_url_dates() -> None:
    assert date_from_url("https://x.example/2020/06/07/story") == datetime(2020, 6, 7, tzinfo=UTC)
    assert date_from_url("https://x.example/news-20200607-story") == datetime(
        2020, 6, 7, tzinfo=UTC
    )
    assert date_from_url("https://x.example/article/12345678") is None
    assert date_from_url(None) is None


def test_jsonld_beats_meta_which_beats_time_elements() -> None:
    tree = tree_of(
        '<meta property="article:published_time" content="2021-02-03T10:00:00+01:00">',
        '<time datetime="2021-01-01T00:00:00Z">old</time>',
    )
    pub, _ = find_dates(tree, None, {"datePublished": "2021-02-02T09:00:00+01:00"})
    assert pub == datetime.fromisoformat("2021-02-02T09:00:00+01:00")
    pub, _ = find_dates(tree, None, {})
    assert pub == datetime.fromisoformat("2021-02-03T10:00:00+01:00")
    pub, _ = find_dates(tree_of("", '<time datetime="2021-01-01T00:00:00Z">x</time>'), None)
    assert pub == datetime(2021, 1, 1, tzinfo=UTC)


def test_modified_is_separate_and_never_before_publication() -> None:
    tree = tree_of(
        '<meta property="article:published_time" content="2021-02-03T10:00:00Z">'
        '<meta property="article:modified_time" content="2021-02-04T08:00:00Z">'
    )
    pub, mod = find_dates(tree, None)
    assert (pub.day, mod.day) == (3, 4)
    tree = tree_of(
        '<meta property="article:published_time" content="2021-02-03T10:00:00Z">'
        '<meta property="article:modified_time" content="2020-01-01T08:00:00Z">'
    )
    assert find_dates(tree, None)[1] is None


def test_url_day_settles_a_utc_timestamp_near_midnight() -> None:
    tree = tree_of('<meta property="article:published_time" content="2020-02-18T02:18:11Z">')
    pub, _ = find_dates(tree, "https://x.example/2020/02/17/story")
    assert pub is not None and pub.date().isoformat() == "2020-02-17"
    # ten in the morning UTC is the 18th nearly everywhere: the timestamp stands
    tree = tree_of('<meta property="article:published_time" content="2020-02-18T10:04:00Z">')
    pub, _ = find_dates(tree, "https://x.example/2020/02/17/story")
    assert pub == datetime(2020, 2, 18, 10, 4, tzinfo=UTC)


def test_visible_date_line_next_to_the_headline() -> None:
    assert parse_visible_date("Published 2 March 2026, 15:15 EET") == datetime(
        2026, 3, 2, 15, 15, tzinfo=timezone(timedelta(hours=2))
    )
    assert parse_visible_date("March 2, 2026 10:08 pm") == datetime(2026, 3, 2, 22, 8, tzinfo=UTC)
    assert parse_visible_date("03.03.2026 09:20") == datetime(2026, 3, 3, 9, 20, tzinfo=UTC)
    body = (
        "<header><h1>Headline</h1><span class='date'>5 March 2021 · 18:17 CET</span></header>"
        "<aside><ul><li><span class='date'>1 March 2021</span></li></ul></aside>"
    )
    pub, _ = find_dates(tree_of("", f"<main>{body}</main>"), None, use_htmldate=False)
    assert pub == datetime(2021, 3, 5, 18, 17, tzinfo=timezone(timedelta(hours=1)))
    listing = "<h1>Latest</h1>" + "".join(
        f"<div class='item-date'>{d} May 2021</div>" for d in (1, 2, 3)
    )
    assert find_dates(tree_of("", f"<main>{listing}</main>"), None, use_htmldate=False) == (
        None,
        None,
    )


def test_htmldate_is_the_last_resort() -> None:
    body = "<p>Posted on 2019-05-04 by the editors.</p>" + "<p>Some article text here.</p>" * 5
    pub, _ = find_dates(tree_of("<title>t</title>", body), "https://x.example/post")
    assert pub is not None and pub.date().isoformat() == "2019-05-04"


def test_utc_stamp_moves_to_the_outlets_home_day() -> None:
    meta = '<meta property="article:published_time" content="2020-08-25T00:23:33Z">'
    pub, _ = find_dates(tree_of(meta), "https://news.example.ca/story", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2020-08-24"
    assert pub == datetime(2020, 8, 25, 0, 23, 33, tzinfo=UTC)  # same instant, local offset
    assert pub.utcoffset() == timedelta(hours=-4)
    # a bare wall time (no zone written) is not moved: its day is already the local one
    bare = '<meta property="article:published_time" content="2020-08-25T00:23:33">'
    pub, _ = find_dates(tree_of(bare), "https://news.example.ca/story", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2020-08-25"
    # no country known (.com, no language region): the UTC day stands
    pub, _ = find_dates(tree_of(meta), "https://news.example.com/story", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2020-08-25"


def test_language_region_names_the_zone_and_the_printed_day_beats_it() -> None:
    head = (
        '<meta property="og:locale" content="en_AU">'
        '<meta property="article:published_time" content="2020-10-28T22:22:49Z">'
    )
    pub, _ = find_dates(tree_of(head), "https://news.example.com/a", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2020-10-29"  # Sydney morning
    shown = '<time datetime="2020-10-28T22:22:49Z">28 October 2020</time>'
    pub, _ = find_dates(tree_of(head, shown), "https://news.example.com/a", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2020-10-28"
    assert pub == datetime(2020, 10, 28, 22, 22, 49, tzinfo=UTC)


def test_epoch_attribute_and_date_line_under_the_headline() -> None:
    body = '<div><span data-time="1594448723">11:25 PM - 10 Jul 2020</span></div>'
    pub, _ = find_dates(tree_of("", body), "https://social.example/x", use_htmldate=False)
    assert pub == datetime(2020, 7, 11, 6, 25, 23, tzinfo=UTC)
    body = "<div><h2>Fires contained</h2><p>Wire<br>13 Jan 2020, 22:11 GMT+10</p></div>"
    pub, _ = find_dates(tree_of("", body), None, use_htmldate=False)
    assert pub == datetime(2020, 1, 13, 22, 11, tzinfo=timezone(timedelta(hours=10)))


def test_front_pages_get_no_heuristic_date() -> None:
    body = "<p>Posted on 2019-05-04 by the editors.</p>" + "<p>Some article text here.</p>" * 5
    tree = tree_of("<title>t</title>", body)
    assert find_dates(tree, "https://x.example/")[0] is None
    assert find_dates(tree, "https://x.example/post")[0] is not None
