"""Bylines in many languages, and the things in byline-like markup that are no author."""

from __future__ import annotations

import pytest

from tasks.clean.bylines import not_a_name, strip_lead
from tasks.clean.extraction import parse_html
from tasks.clean.metadata import clean_authors, extract_metadata, unescaped

ARTICLE = "<h1>Neue Brücke eröffnet</h1><p>Die neue Brücke ist seit Montag offen.</p>"


def authors_of(body: str) -> list[str]:
    tree = parse_html(f"<html><head></head><body>{body}</body></html>")
    assert tree is not None
    return extract_metadata(tree, "https://blog.example/2026/bruecke").authors


@pytest.mark.parametrize(
    ("markup", "name"),
    [
        ('<span>Geschrieben von</span><a href="/u/1">Marta Lindqvist</a>', "Marta Lindqvist"),
        ("<span>Veröffentlicht von</span><a>Jonas Ebner</a>", "Jonas Ebner"),
        ("<span>Author</span><a>Priya Ramanathan</a>", "Priya Ramanathan"),
        ("Autor: Tomasz Wierzba", "Tomasz Wierzba"),
        ("~ Hanna Voss", "Hanna Voss"),
        ("Publié par Élodie Garnier", "Élodie Garnier"),
        ("Escrito por Lucía Ferrán", "Lucía Ferrán"),
        ("di Matteo Braschi", "Matteo Braschi"),
        ("door Femke de Wit", "Femke de Wit"),
        ("Skrevet av Eirik Haugland", "Eirik Haugland"),
        ("przez Jan Kowalczyk", "Jan Kowalczyk"),
        ("Автор: Ирина Соколова", "Ирина Соколова"),
    ],
)
def test_lead_words_in_many_languages_are_not_part_of_the_name(markup: str, name: str) -> None:
    """The lead word is dropped even when the template glues it to the name."""
    assert authors_of(f'{ARTICLE}<div class="byline">{markup}</div>') == [name]


def test_agencies_and_sites_that_sign_in_lower_case_stay() -> None:
    assert clean_authors(["dpa"]) == ["dpa"]
    assert clean_authors(["kicker"]) == ["kicker"]


def test_particles_that_belong_to_the_name_stay() -> None:
    assert strip_lead("Di Maio") == "Di Maio"
    assert strip_lead("DiCaprio") == "DiCaprio"
    assert strip_lead("Von Anna Berg") == "Anna Berg"
    assert clean_authors(["Femke de Wit", "Byron Ashcroft"]) == ["Femke de Wit", "Byron Ashcroft"]


@pytest.mark.parametrize(
    "label",
    ["Name *", "Name (erforderlich", "E-Mail (wird nicht veröffentlicht)", "Posted on",
     "Veröffentlicht am", "Publié le", "Anzeige", "Sponsored by Acme Tours", "wordpressadmin",
     "admin", "sophie-foster", "j_smith", "From Wikipedia", "Quelle: dpa", "}"],
)  # fmt: skip
def test_labels_accounts_and_sponsors_are_not_names(label: str) -> None:
    assert not_a_name(label)
    assert clean_authors([label]) == []


def test_comment_authors_are_not_the_article_author() -> None:
    """'X sagt' headings and anything inside a comment thread or form is skipped."""
    page = f"""{ARTICLE}
    <div id="comments"><div class="comment-author vcard"><span class="author">Karl Brenner</span>
    sagt:</div><p>Schöner Artikel!</p></div>"""
    assert authors_of(page) == []
    assert clean_authors(["Karl Brenner sagt:", "Dana Whitfield says"]) == []
    form = f"""{ARTICLE}<form id="commentform"><p class="comment-form-author">
    <label for="author">Name <span class="required">*</span></label>
    <input id="author" name="author"></p></form>"""
    assert authors_of(form) == []


def test_teaser_lists_and_sidebars_do_not_lend_their_authors() -> None:
    page = f"""{ARTICLE}<div class="sidebar"><h3>Beliebt</h3><ul><li><a>Anderer Text</a>
    <span class="byline">Rudi Kessler</span></li></ul></div>"""
    assert authors_of(page) == []


def test_no_author_is_an_answer() -> None:
    """A recipe page with only a form and a date label names nobody."""
    page = f"""{ARTICLE}<div class="entry-meta"><span class="posted-on">Veröffentlicht am
    <time>3. März 2026</time></span></div>
    <div class="author-box"><span class="author">Posted on</span></div>"""
    assert authors_of(page) == []


def test_declared_author_in_an_article_aside_is_kept() -> None:
    page = f"""{ARTICLE}<aside><span itemprop="author"><span itemprop="name">Noor Haddad</span>
    </span></aside>"""
    assert authors_of(page) == ["Noor Haddad"]


def test_date_words_after_the_name_are_dropped() -> None:
    assert clean_authors(["Joe Wee Monday"]) == ["Joe Wee"]
    assert clean_authors(["Lena Hartmann Freitag"]) == ["Lena Hartmann"]


def test_title_decorations_the_site_name_does_not_match_are_dropped() -> None:
    """'Headline | Sport' or 'Headline | DW | 28.04.2023' when the page's h1 is the headline."""
    tree = parse_html(
        "<html><head><title>Brücke in Ulm wieder offen | Lokales | 28.04.2023</title></head>"
        "<body><h1>Brücke in Ulm wieder offen</h1><p>Seit Montag rollt der Verkehr.</p>"
        "</body></html>"
    )
    assert tree is not None
    assert extract_metadata(tree, "https://zeitung.example/a/1").title == (
        "Brücke in Ulm wieder offen"
    )
    # A colon in the headline is no decoration: the title keeps its second half.
    tree = parse_html(
        "<html><head><title>Interview mit Anna Berg: Was die Stadt plant</title></head>"
        "<body><h1>Interview mit Anna Berg</h1><p>x</p></body></html>"
    )
    assert tree is not None
    assert extract_metadata(tree, "https://zeitung.example/a/2").title == (
        "Interview mit Anna Berg: Was die Stadt plant"
    )


def meta_of(head: str, body: str, url: str = "https://blog.example/2026/bruecke") -> list[str]:
    tree = parse_html(f"<html><head>{head}</head><body>{ARTICLE}{body}</body></html>")
    assert tree is not None
    return extract_metadata(tree, url).authors


def test_json_ld_wrapped_in_cdata_is_read() -> None:
    data = '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ines Morlan"}]}'
    for wrapped in (f"<![CDATA[{data}]]>", f"//<![CDATA[\n{data}\n//]]>"):
        head = f'<script type="application/ld+json">{wrapped}</script>'
        assert meta_of(head, "") == ["Ines Morlan"]


def test_a_byline_that_runs_on_into_its_date_gives_the_name() -> None:
    line = '<div class="FeatureByline">By <b>Nathan Oakes</b><br>March 25, 2015</div>'
    assert meta_of("", line) == ["Nathan Oakes"]
    assert meta_of("", '<p class="byline">By Dana Kurz Apr 3, 2024 10:15</p>') == ["Dana Kurz"]
    # a label glued before the name: the nested element that holds the name alone wins
    nested = """<div class="authorinfo">Harbour Weekly Extra <div class="authorinfo-txt">
    <span class="authorname">Alex Pyne</span> 1 day ago</div></div>"""
    assert meta_of("", nested) == ["Alex Pyne"]


def test_links_to_author_pages_name_the_authors() -> None:
    line = """<p>Von <a href="/autor/anna-berg">Anna Berg</a> und
    <a href="/autor/jonas-ek">Jonas Ek</a>, 3. März 2026</p>"""
    assert meta_of("", line) == ["Anna Berg", "Jonas Ek"]
    assert meta_of("", '<p><a href="https://www.x.example/by/lea-voss">Lea Voss</a></p>') == [
        "Lea Voss"
    ]
    accents = '<p>Par <a href="/auteur/17350-jeremy-piette">Jérémy Piette</a></p>'
    assert meta_of("", accents) == ["Jérémy Piette"]
    # teaser lists lend no authors, "more from this author" is no name, and a name must be
    # the one the author page is named after
    teaser = """<div class="related"><a href="/author/rudi-kessler">Rudi Kessler</a></div>
    <p><a href="/author/anna-berg">Mehr von dieser Autorin</a></p>
    <p><a href="/autor/anna-berg">Jonas Ek</a></p>"""
    assert meta_of("", teaser) == []


def test_a_person_in_the_meta_tags_beats_json_ld_naming_the_site() -> None:
    site = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Hafenblatt"}}</script>'
    )
    url = "https://www.hafenblatt.example/a/1"
    assert meta_of(site + '<meta name="author" content="Mira Salo">', "", url) == ["Mira Salo"]
    # when nothing names a person, the site stays (agencies and sites sign that way)
    assert meta_of(site, "", url) == ["Hafenblatt"]


def test_entities_left_in_declared_values_are_resolved() -> None:
    """Templates that escape twice, and JSON-LD, which HTML parsing never unescapes."""
    head = (
        '<meta property="og:title" content="Br&amp;uuml;cke &amp;quot;Nord&amp;quot; offen">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Ren&eacute;e Fa&#039;alo"}}</script>'
    )
    tree = parse_html(f"<html><head>{head}</head><body>{ARTICLE}</body></html>")
    assert tree is not None
    meta = extract_metadata(tree, "https://zeitung.example/a/3")
    assert meta.title == 'Brücke "Nord" offen'
    assert meta.authors == ["Renée Fa'alo"]
    # a lone ampersand is text, not an entity
    assert unescaped("Fish & Chips &c") == "Fish & Chips &c"


def test_job_titles_after_east_asian_names_are_dropped() -> None:
    assert clean_authors(["신현주 기자"]) == ["신현주"]
    assert clean_authors(["渡辺洋介記者"]) == ["渡辺洋介"]


def test_the_site_beside_a_person_is_no_author() -> None:
    head = (
        '<meta property="og:site_name" content="Hafenblatt">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Person", "name": "Mira Salo"}, {"@type": "Organization", '
        '"name": "Hafenblatt"}]}</script>'
    )
    assert meta_of(head, "", "https://www.hafenblatt.example/a/1") == ["Mira Salo"]
