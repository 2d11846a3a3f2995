"""Body recall on short pages: short paragraphs and lists that precision mode prunes."""

from __future__ import annotations

from records import Page
from tasks.clean import clean_page

# A local news brief whose template puts the lead in <header> (which trafilatura's precision
# mode discards with the header) and the rest in short paragraphs and an opening-hours list.
BRIEF = """<html><head><title>Markt am Samstag verlegt</title></head><body>
<nav><a href="/">Start</a> <a href="/lokales">Lokales</a></nav>
<article><header class="entry-header"><h1>Markt am Samstag verlegt</h1>
<p class="lead">Wegen der Bauarbeiten am Rathausplatz zieht der Wochenmarkt für drei Wochen auf
den Parkplatz an der Stadthalle um. Die Stände öffnen wie gewohnt um sieben Uhr, und auch die
Busse halten weiter in der Nähe. Die Händler haben dem Umzug nach langer Diskussion zugestimmt,
auch der Blumenstand.</p></header>
<div class="entry-content"><p>Die Stadt bittet um Verständnis.</p>
<p>Parkplätze gibt es am Bahnhof.</p><p>Der Fischstand bleibt am alten Platz.</p>
<p>Fragen beantwortet das Bürgerbüro.</p>
<ul><li>Samstag, 7 bis 13 Uhr</li><li>Mittwoch, 7 bis 12 Uhr</li><li>Freitag, 14 bis 18 Uhr</li>
</ul><p>Ab Juni ist der Markt zurück am Rathaus.</p></div></article>
<footer><a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a></footer>
</body></html>"""


def test_short_paragraphs_and_lists_of_a_short_page_are_kept() -> None:
    url = "https://stadtblatt.example/lokales/markt-verlegt"
    page = Page(url=url, final_url=url, source="test", status=200, body=BRIEF.encode())
    article, reason = clean_page(page)
    assert article is not None, reason
    for wanted in (
        "zieht der Wochenmarkt",
        "Parkplätze gibt es am Bahnhof.",
        "Mittwoch, 7 bis 12 Uhr",
        "Ab Juni ist der Markt zurück am Rathaus.",
    ):
        assert wanted in article.text
    assert "Impressum" not in article.text
    assert "Lokales" not in article.text
