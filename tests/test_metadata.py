"""Metadata: JSON-LD (with @graph), meta tags, bylines, titles, canonical URLs, language."""

from __future__ import annotations

from tasks.clean.extraction import parse_html
from tasks.clean.language import detect_language, pick_language
from tasks.clean.metadata import clean_authors, extract_metadata, strip_site_suffix


def meta_of(head: str, body: str = "<p>x</p>", url: str = "https://news.example/a/1"):
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    return extract_metadata(tree, url)


def test_jsonld_graph_article_wins_over_meta_tags() -> None:
    md = meta_of(
        """<meta property="og:title" content="Other title - News Example">
        <script type="application/ld+json">{"@graph": [{"@type": "WebPage", "name": "page"},
        {"@type": ["NewsArticle"], "headline": "Bridge reopens after repairs",
         "author": {"@type": "Person", "name": "Helena Strand"},
         "articleSection": ["City"], "image": [{"url": "/img/bridge.jpg"}],
         "keywords": ["bridges", "Transport"], "publisher": {"name": "News Example"}}]}
        </script>"""
    )
    assert md.title == "Bridge reopens after repairs"
    assert md.authors == ["Helena Strand"]
    assert md.section == "City"
    assert md.image_url == "https://news.example/img/bridge.jpg"
    assert md.tags == ["bridges", "Transport"]
    assert md.site_name == "News Example"


def test_meta_tags_and_title_suffix() -> None:
    md = meta_of(
        """<title>Council votes on budget | The Daily Example</title>
        <meta property="og:site_name" content="The Daily Example">
        <meta name="description" content="  A vote   late at night. ">
        <meta property="article:tag" content="budget"><meta property="article:tag" content="Budget">
        <meta property="article:section" content="Politics">
        <meta name="author" content="By Ewan Marlowe, Political Correspondent">"""
    )
    assert md.title == "Council votes on budget"
    assert md.description == "A vote late at night."
    assert md.tags == ["budget"]
    assert md.section == "Politics"
    assert md.authors == ["Ewan Marlowe"]


def test_title_prefix_and_host_suffix() -> None:
    assert strip_site_suffix("Example News - Storm hits coast", "Example News", "x.com") == (
        "Storm hits coast"
    )
    assert strip_site_suffix("Storm hits coast — dailyexample", None, "www.dailyexample.com") == (
        "Storm hits coast"
    )
    assert strip_site_suffix("Storm: what we know", "Example", "e.com") == "Storm: what we know"


def test_authors_are_names_only() -> None:
    raw = [
        "By Greta Holm and Idris Vrana",
        "Sarah E. Needleman",
        "Opinion by Theo Lenz",
        "kofi.amsel@news.example",
        "@kofi_amsel",
        "Newsroom Staff",
        "https://news.example/authors/kofi",
        "greta holm",
    ]
    assert clean_authors(raw) == ["Greta Holm", "Idris Vrana", "Sarah E. Needleman", "Theo Lenz"]


def test_byline_in_page_when_no_structured_author() -> None:
    md = meta_of(
        "<title>t</title>",
        '<h1>t</h1><div class="byline">Text: <a rel="author" href="/a/x">Clara Moreau</a>, '
        "Health correspondent</div><p class='credits'>Reporting by Ann Lee; editing by Bo Li</p>",
    )
    assert md.authors == ["Clara Moreau"]


def test_canonical_url_must_be_plausible() -> None:
    assert (
        meta_of('<link rel="canonical" href="/a/1?ref=x">').canonical_url
        == "https://news.example/a/1?ref=x"
    )
    assert meta_of('<link rel="canonical" href="https://news.example/">').canonical_url is None
    assert meta_of('<link rel="canonical" href="https://spam.example/a/1">').canonical_url is None
    assert (
        meta_of('<meta property="og:url" content="https://m.news.example/a/1">').canonical_url
        == "https://m.news.example/a/1"
    )


def test_broken_jsonld_is_ignored_or_repaired() -> None:
    md = meta_of(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ok",}</script>'
        '<script type="application/ld+json">{{{ not json</script>'
    )
    assert md.title == "Ok"


def test_language_declared_detected_and_overridden() -> None:
    german = "Der Rat hat am Dienstag die neue Regelung für den Hafen beschlossen, und die " * 5
    assert meta_of("", url="https://x.example/a").language is None
    assert detect_language(german) == "de"
    assert pick_language("en", german) == "de"  # a template's lang="en" on a German page
    assert pick_language("fr", "Short text.") == "fr"
    assert detect_language("12345 !!!") is None


def test_byline_line_under_the_headline_without_markup() -> None:
    body = """<table><tr><td><font><h2>Ferry service resumes</h2></font>
    <div class="info"><b>Ida Marchetti</b> &amp; <b>Jan van der Berg</b> | Coast Press Agency
    | ida@ferries.example<br><span>4 March 2026</span></div>
    <div>The ferry service resumed on Monday after a week of storms.</div></td></tr></table>"""
    assert meta_of("", body).authors == ["Ida Marchetti", "Jan van der Berg"]
    # A standfirst under the headline is not a byline.
    standfirst = "<h1>Ferry service resumes</h1><p>Storms kept the boats in port for a week</p>"
    assert meta_of("", standfirst).authors == []
