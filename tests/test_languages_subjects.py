"""Languages, keyphrases and subject categories across languages (texts written for these
tests), and `ingest` and `extract` agreeing on the same page."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract import extract_items
from records import Article, Page, article_id_for
from tasks.clean import clean_page
from tasks.clean.language import detect_language, pick_language
from tasks.enrich import enrich_article, enrich_batch, enrich_text
from tasks.enrich.keyphrases import FULL, stop_words
from tasks.enrich.taxonomy import TAXONOMY, classify, topic_weights

GERMAN = (
    "Die Bundesregierung hat am Mittwoch in Berlin einen neuen Haushalt für das kommende Jahr "
    "vorgelegt. Der Finanzminister sagte vor dem Bundestag, die Koalition wolle die Schulden "
    "begrenzen und gleichzeitig mehr Geld in Schulen, Bahnstrecken und den Klimaschutz "
    "stecken.\n"
    "Die Opposition kritisierte den Entwurf scharf. Ihre Abgeordneten warfen der Regierung "
    "vor, die Steuerpläne belasteten vor allem Familien mit kleinen Einkommen. Die Parteien "
    "der Koalition wollen den Haushalt noch vor der Sommerpause im Parlament verabschieden.\n"
    "Mehrere Ministerpräsidenten der Länder forderten zudem mehr Mitsprache bei der "
    "Verteilung der Mittel für den Haushalt."
)

# One short news paragraph per fully covered language, written for this test.
PARAGRAPHS = {
    "en": "The city council approved a new budget for public libraries on Tuesday. The mayor "
    "said the money would pay for longer opening hours and new books for children, and "
    "that the libraries had been asking for the change for years.",
    "de": GERMAN,
    "fr": "Le conseil municipal a approuvé mardi un nouveau budget pour les bibliothèques de "
    "la ville. Le maire a déclaré que cet argent permettrait d'ouvrir plus longtemps et "
    "d'acheter des livres pour les enfants, une demande ancienne des bibliothécaires.",
    "es": "El ayuntamiento aprobó el martes un nuevo presupuesto para las bibliotecas de la "
    "ciudad. La alcaldesa dijo que el dinero servirá para ampliar los horarios y comprar "
    "libros para los niños, algo que los bibliotecarios pedían desde hace años.",
    "it": "Il consiglio comunale ha approvato martedì un nuovo bilancio per le biblioteche "
    "della città. Il sindaco ha detto che i fondi serviranno ad allungare gli orari e a "
    "comprare libri per i bambini, come chiedevano da anni i bibliotecari.",
    "pt": "A câmara municipal aprovou na terça-feira um novo orçamento para as bibliotecas da "
    "cidade. O prefeito disse que o dinheiro vai servir para ampliar os horários e comprar "
    "livros para as crianças, um pedido antigo dos bibliotecários.",
    "nl": "De gemeenteraad heeft dinsdag een nieuwe begroting voor de openbare bibliotheken "
    "goedgekeurd. De burgemeester zei dat het geld wordt gebruikt voor langere "
    "openingstijden en nieuwe boeken voor kinderen, waar de bibliotheken al jaren om vroegen.",
}

SWAHILI = (
    "Serikali ya mkoa imesema kwamba barabara mpya itajengwa kati ya miji miwili mwaka ujao. "
    "Wakazi wengi wamefurahi kwa sababu safari ya sasa inachukua saa nyingi, hasa wakati wa "
    "mvua kubwa ambapo magari hukwama njiani kwa siku kadhaa."
)
JAPANESE = (
    "市議会は火曜日、市立図書館の新しい予算を承認した。市長は、開館時間の延長と子ども向けの"
    "本の購入に使うと述べた。図書館は何年も前からこの変更を求めていた。"
)


def _article(text: str, title: str | None = None, language: str | None = None) -> Article:
    url = f"https://news.example/a/{abs(hash(text)) % 10_000}"
    return Article(article_id_for(url), url, url, "news.example", text, title=title,
                   language=language)  # fmt: skip


def test_german_article_gets_german_keyphrases_and_topics() -> None:
    assert detect_language(GERMAN) == "de"
    art = _article(GERMAN, title="Regierung legt Haushalt vor")
    enrich_batch([art])  # no declared language: detected
    words = {w for k, _ in art.keywords for w in k.split()}
    assert art.keywords, "a German article gets keyphrases"
    assert not words & stop_words("de"), "no German stop word is a keyphrase"
    assert not words & {"die", "und", "der", "den", "das"}
    assert any("haushalt" in w for w in words)
    assert art.topics and art.topics[0][0] in {"politics", "economy"}
    assert {t for t, _ in art.topics} <= set(TAXONOMY)


@pytest.mark.parametrize("lang", FULL)
def test_stop_words_are_never_keyphrases(lang: str) -> None:
    text = PARAGRAPHS[lang]
    assert detect_language(text) == lang
    out = enrich_text(None, text)
    words = {w for k in out["keywords"] for w in k["keyword"].split()}
    assert out["keywords"], f"{lang}: some keyphrases"
    assert not words & stop_words(lang), f"{lang}: stop words in {sorted(words)}"


@pytest.mark.parametrize("text", [SWAHILI, JAPANESE], ids=["swahili", "japanese"])
def test_uncovered_language_gives_no_garbage(text: str) -> None:
    """No keyphrases cut with another language's stop words, no topic guessed from text."""
    out = enrich_text(None, text)
    assert out["keywords"] == []
    assert out["topics"] == []
    # a declared language we have no lists for: the same
    assert enrich_text(None, text, language="sw")["keywords"] == []


def test_swahili_is_unknown_not_its_nearest_neighbour() -> None:
    assert detect_language(SWAHILI) is None
    assert pick_language("sw", SWAHILI) == "sw"
    assert pick_language("en", SWAHILI) is None  # a template's lang="en" is not believed


def test_declared_language_kept_on_a_short_line_and_overridden_on_prose() -> None:
    assert pick_language("pt-BR", "Governo anuncia novo plano") == "pt"
    assert pick_language("en", PARAGRAPHS["nl"]) == "nl"


# Error classes from the issue, on sentences of our own.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mobile phone users will soon be able to download films over the net. The operator "
            "said its new handsets and broadband service would let people watch online video "
            "on the move, and that web browsing would be twice as fast.",
            "science",
        ),
        (
            "Sales of games consoles rose sharply in the run-up to Christmas, and the makers of "
            "the latest video games said online play had brought in millions of new gamers "
            "who download extra levels for their consoles.",
            "science",
        ),
        (
            "Labour has promised to cut taxes for working families if it wins the next general "
            "election. The Tories said the plans did not add up, and the Liberal Democrats "
            "called on the chancellor to publish the budget costings before MPs vote.",
            "politics",
        ),
        (
            "MPs voted by a narrow margin to pass the new law on identity cards. The home "
            "secretary told the Commons that ministers would bring the bill back to the Lords "
            "next month, while opposition peers promised to fight the plans.",
            "politics",
        ),
    ],
    ids=[
        "tech-phones",
        "tech-games",
        "politics-labour-tax",
        "politics-law",
    ],
)
def test_error_classes(text: str, expected: str) -> None:
    assert classify(text)[0][0] == expected


# Issue 21, second round (h21s): words that technology and business news share with other
# topics ("security", "virus", "space", "team", "player", a laptop as a lifestyle product, Mr
# Jobs) made the wrong topic reported beside, or instead of, the right one.
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (
            "The new laptop is thinner than last year's model and its battery lasts a full day. "
            "For gaming it is no match for a console, but the screen is bright and the keyboard "
            "is quiet. The smartphone maker said the laptop goes on sale next month.",
            "science",
            {"lifestyle"},
        ),
        (
            "A computer virus that spreads by e-mail has infected thousands of machines, "
            "security experts said. The virus sends itself to every address it finds, and "
            "security firms said the new virus was the fastest spreading this year. Users were "
            "told to update their security software.",
            "science",
            {"conflict", "health"},
        ),
        (
            "Apple boss Steve Jobs has unveiled a new iPod. Mr Jobs told the crowd that the "
            "music player would hold thousands of songs. The firm had sold millions of the "
            "players, he said.",
            "science",
            {"labour", "sport"},
        ),
        (
            "Sales of MP3 players and DVD players rose over Christmas, the electronics chain "
            "said, as shoppers bought portable media players. The team behind the latest "
            "player said it would add wireless music streaming.",
            "science",
            {"sport"},
        ),
        (
            "The start-up has raised seed funding to rent office space in London. Its chief "
            "executive said the team would double in size and the company would launch in "
            "Paris next year.",
            "economy",
            {"sport", "science"},
        ),
    ],
    ids=["gadget-review", "computer-virus", "steve-jobs", "media-players", "startup"],
)
def test_shared_words_do_not_pull_in_other_topics(
    text: str, expected: str, absent: set[str]
) -> None:
    topics = [t for t, _ in classify(text)]
    assert topics[0] == expected
    assert not absent & set(topics)


COMPANY_TRIAL = (
    "The founder of the energy company was found guilty of fraud on Monday. The jury at the "
    "federal court heard that he lied to shareholders about the firm's debts before it went "
    "bankrupt. His lawyers said he would appeal, and the judge will pass sentence in June. "
    "Investors lost billions when the shares collapsed."
)


def test_a_desk_topic_close_to_an_aspect_topic_comes_first() -> None:
    """A company's fraud trial: more crime cues than business ones, but it is business news
    with a crime aspect. Both are reported, business first with the higher score."""
    weights = topic_weights(COMPANY_TRIAL)
    assert weights["crime"] > weights["economy"]
    topics = classify(COMPANY_TRIAL)
    assert [t for t, _ in topics] == ["economy", "crime"]
    assert topics[0][1] > topics[1][1]


def test_the_page_section_keeps_an_aspect_topic_first() -> None:
    assert classify(COMPANY_TRIAL, hints=["crime"])[0][0] == "crime"


def test_a_plain_crime_story_stays_crime() -> None:
    text = (
        "Police arrested two men after a shop owner was stabbed during a robbery on Friday "
        "night. Detectives said the suspects would appear in court on Monday, charged with "
        "assault."
    )
    assert [t for t, _ in classify(text)] == ["crime"]


def test_names_are_not_cue_words() -> None:
    """ "Jobs" and "Bill" as names give no labour or legislation evidence."""
    weights = topic_weights("Steve Jobs and Bill Gates met. Mr Jobs spoke first.")
    assert "labour" not in weights
    assert "politics" not in weights
    assert topic_weights("Thousands of jobs will go.")["labour"] > 0
    assert topic_weights("The bill passed the Senate.")["politics"] > 0


def test_best_topic_is_kept_on_little_evidence_with_a_low_score() -> None:
    """A two-line item with one sport cue gets sport, scored low; a text with no cue, or
    with only a half-weight one, gets nothing."""
    topics = classify("The visitors scored twice after the break on Saturday.", "Away day")
    assert [t for t, _ in topics] == ["sport"]
    assert topics[0][1] < 0.1
    assert classify("He said it would happen on Tuesday.") == []
    assert classify("The hosts were beaten at home on Saturday.") == []  # "beaten": half


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "L'équipe a remporté le match de championnat dimanche au stade, grâce à deux buts "
            "de son attaquant. L'entraîneur a salué la victoire du club.",
            "sport",
        ),
        (
            "es",
            "El gobierno presentó en el parlamento su reforma electoral, y los partidos de la "
            "oposición anunciaron que votarán en contra antes de las elecciones.",
            "politics",
        ),
        (
            "it",
            "La banca centrale ha alzato i tassi per frenare l'inflazione, mentre la borsa ha "
            "chiuso in calo e le aziende temono una recessione.",
            "economy",
        ),
        (
            "nl",
            "Het ziekenhuis meldt dat het aantal patiënten met het virus stijgt. Artsen roepen "
            "op tot vaccinatie en de zorg staat onder druk.",
            "health",
        ),
    ],
)
def test_subjects_in_other_languages(lang: str, text: str, expected: str) -> None:
    assert classify(text, language=lang)[0][0] == expected


def _page_html(title: str, text: str, lang: str | None) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<html{lang_attr}><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paras}</article></body></html>"
    ).encode()


@pytest.mark.parametrize("lang", [None, "de", "en"], ids=["undeclared", "declared", "wrong"])
def test_ingest_and_extract_give_the_same_topics(tmp_path: Path, lang: str | None) -> None:
    """The same page through the ingest path (clean, enrich_batch) and `newsflow extract`."""
    text = GERMAN.replace("\n", "\n\n")
    html = _page_html("Regierung legt Haushalt vor", text, lang)
    url = "https://news.example/politik/haushalt-2027"
    path = tmp_path / "page.html"
    path.write_bytes(html)
    page = Page(url=url, final_url=url, source="news.example", status=200, body=html)
    article, reason = clean_page(page)
    assert article is not None, reason
    assert article.language == "de"
    enrich_batch([article])
    [record] = list(extract_items([{"path": str(path), "url": url}]))
    assert record["language"] == "de"
    assert record["topics"] == [{"topic": t, "score": s} for t, s in article.topics]
    assert record["keywords"] == [{"keyword": k, "score": s} for k, s in article.keywords]
    assert enrich_article(article)["topics"] == record["topics"]
    assert article.topics and article.keywords


@pytest.mark.parametrize("lang", [None, "de", "en"], ids=["undeclared", "declared", "wrong"])
def test_language_picked_in_the_draft_holds_once_the_template_is_gone(lang: str | None) -> None:
    """Extraction workers pick the language; the flow's process keeps that answer only
    where a fresh detection on the final text (its template line removed) gives it too."""
    from tasks.clean import _draft, _finish
    from tasks.clean.extraction import paragraph_hash

    template = (
        "Sign up for our newsletter and get the best stories of the week delivered to your "
        "inbox every Friday morning, free of charge and without any advertising at all."
    )
    text = template + "\n\n" + GERMAN.replace("\n", "\n\n")
    html = _page_html("Regierung legt Haushalt vor", text, lang)
    url = "https://news.example/politik/haushalt-2027"
    draft, reason = _draft(Page(url=url, final_url=url, source="x", status=200, body=html))
    assert draft is not None, reason
    article, reason = _finish(draft, frozenset({paragraph_hash(template)}))
    assert article is not None, reason
    assert template not in article.text
    assert article.language == pick_language(lang, article.text) == "de"
