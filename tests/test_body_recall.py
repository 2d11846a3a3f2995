"""Body recall on pages unlike news articles, without a second extraction on ordinary pages."""

from __future__ import annotations

from tasks.clean.extraction import (
    RESCUE_PAGE_SHARE,
    content_chars,
    extract_body,
    needs_wider_pass,
    parse_html,
)

STORY = (
    "Die Fähre zwischen Aldbury und Brenwick fährt ab Montag wieder nach dem Sommerfahrplan. "
    "Die Reederei hat die Abfahrten am Morgen verdichtet und eine späte Rückfahrt ergänzt. "
    "Fahrräder fahren weiter kostenlos mit, Autos brauchen eine Reservierung."
)
# A news page: the story, and the furniture around it that is no page text (navigation,
# a box of teaser links with dates, a cookie notice, a script, a footer).
TEASERS = "".join(
    f'<li><a href="/n/{i}">Weitere Meldung aus dem Hafen Nummer {i}</a> 7. März 2026</li>'
    for i in range(12)
)
NEWS = f"""<html lang="de"><head><title>Fähre im Sommerfahrplan</title>
<script>var tracking = "{"x" * 4000}";</script></head><body>
<nav><a href="/">Start</a> <a href="/verkehr">Verkehr</a> <a href="/hafen">Hafen</a></nav>
<div class="cookie-notice"><p>Wir verwenden Cookies, um diese Seite zu verbessern und um
Zugriffe zu zählen. Mit der Nutzung stimmen Sie dem zu.</p></div>
<article><h1>Fähre im Sommerfahrplan</h1><p>{STORY}</p></article>
<div class="latest"><h3>Neueste Meldungen</h3><ul>{TEASERS}</ul></div>
<footer><p>Hafenblatt, Kaistraße 1, 12345 Aldbury. Alle Rechte vorbehalten.</p></footer>
</body></html>"""


def test_page_text_leaves_out_links_scripts_and_furniture() -> None:
    tree = parse_html(NEWS)
    assert tree is not None
    own = len(STORY) + len("Fähre im Sommerfahrplan")
    # the teaser list's dates, the cookie notice, the script and the footer do not count
    assert own - 10 <= content_chars(tree) <= own + len("Neueste Meldungen") + 10


def test_an_ordinary_article_takes_no_second_pass() -> None:
    tree = parse_html(NEWS)
    assert tree is not None
    body = extract_body(tree, "https://hafenblatt.example/verkehr/faehre")
    assert STORY.split(".")[0] in body.text()
    assert "Weitere Meldung" not in body.text()
    assert not needs_wider_pass(tree, len(body.text()))


# A shop page: a short lead, then the description as many short blocks and lists.
WOODS = [
    "Kiefer",
    "Eiche",
    "Nussbaum",
    "Buche",
    "Ahorn",
    "Esche",
    "Birke",
    "Lärche",
    "Zeder",
    "Walnuss",
]
DETAILS = "".join(
    f"<h3>{w}</h3><ul><li>Platte {i + 2} cm, {i + 2}-mal geölt</li>"
    f"<li>Kanten von Hand gebrochen</li><li>Lieferzeit {i + 3} Wochen</li></ul>"
    f"<p>{w} dunkelt am Licht nach; die Platte wird vor dem Versand klimatisiert.</p>"
    for i, w in enumerate(WOODS * 3)
)
SHOP = f"""<html lang="de"><head><title>Esstisch Fjell</title></head><body>
<nav><a href="/">Start</a> <a href="/tische">Tische</a></nav>
<main><h1>Esstisch Fjell</h1><p>Ein schlichter Tisch für sechs bis acht Personen.</p>
<div class="details">{DETAILS}</div></main>
<footer><a href="/impressum">Impressum</a></footer></body></html>"""


def test_a_sliver_of_a_long_page_asks_for_the_wider_pass() -> None:
    tree = parse_html(SHOP)
    assert tree is not None
    page = content_chars(tree)
    assert page > 2500  # the description's short blocks and list items all count
    lead_only = len("Ein schlichter Tisch für sechs bis acht Personen.")
    assert needs_wider_pass(tree, lead_only)
    assert not needs_wider_pass(tree, int(page * RESCUE_PAGE_SHARE) + 1)


def test_the_wider_pass_keeps_a_list_page_whole() -> None:
    tree = parse_html(SHOP)
    assert tree is not None
    text = extract_body(tree, "https://moebel.example/tische/fjell").text()
    for wanted in ("Lieferzeit 5 Wochen", "Walnuss dunkelt am Licht nach", "Kanten von Hand"):
        assert wanted in text
    assert "Impressum" not in text


LEAD = "Auch bei erträglichen Temperaturen ist klar: Die nächste Hitzewelle kommt bestimmt."
ARTICLE_WITH_LEAD = f"""<html lang="de"><head><title>Hitze auf der Schiene</title>
<meta name="description" content="{LEAD}"></head><body>
<nav><a href="/">Start</a> <a href="/verkehr">Verkehr</a></nav>
<article><header class="articlehead"><h1>Hitze auf der Schiene</h1><p class="preface">{LEAD}</p>
</header><div class="text"><p>{STORY}</p><p>{STORY.replace("Fähre", "Bahn")}</p></div></article>
<footer><p>Hafenblatt, Kaistraße 1, 12345 Aldbury.</p></footer></body></html>"""


def test_the_standfirst_in_the_article_header_opens_the_body() -> None:
    from records import Page
    from tasks.clean import clean_page

    url = "https://hafenblatt.example/verkehr/hitze"
    page = Page(url=url, final_url=url, source="test", status=200, body=ARTICLE_WITH_LEAD.encode())
    article, reason = clean_page(page)
    assert article is not None, reason
    assert article.text.startswith(LEAD)
    assert article.text.count(LEAD) == 1


def test_a_description_the_page_does_not_show_is_not_body_text() -> None:
    from records import Page
    from tasks.clean import clean_page

    written_for_search = ARTICLE_WITH_LEAD.replace(f'<p class="preface">{LEAD}</p>', "")
    url = "https://hafenblatt.example/verkehr/hitze"
    page = Page(url=url, final_url=url, source="test", status=200, body=written_for_search.encode())
    article, reason = clean_page(page)
    assert article is not None, reason
    assert LEAD not in article.text
