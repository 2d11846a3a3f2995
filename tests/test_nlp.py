"""Entities, keyphrases and topics on small texts written for these tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.enrich.nlp import extract_entities, extract_keyphrases, prose_segments
from tasks.enrich.taxonomy import TAXONOMY, classify


def _by_name(title: str | None, text: str) -> dict[str, tuple[str, int]]:
    return {e.name: (e.label, e.mentions) for e in extract_entities(title, text)}


def test_later_surname_is_the_person_named_earlier() -> None:
    text = (
        "Defence minister Marek Zielinski met union leaders in Warsaw on Friday.\n"
        "Zielinski told reporters that the talks had gone well.\n"
        "Later, Zielinski's office published the agreement."
    )
    ents = {e.name: e for e in extract_entities(None, text)}
    assert ents["Marek Zielinski"].label == "PERSON"
    assert ents["Marek Zielinski"].mentions == 3
    assert "Zielinski" in ents["Marek Zielinski"].aliases
    assert "Zielinski" not in ents
    assert ents["Warsaw"].label == "GPE"


def test_known_person_resolves_without_full_name_and_kremlin_stays_org() -> None:
    text = (
        "The Kremlin said on Monday that Putin would not attend the summit in Geneva.\n"
        "Officials in Moscow gave no reason for the decision, the Kremlin added."
    )
    ents = _by_name(None, text)
    assert ents["Vladimir Putin"] == ("PERSON", 1)
    assert ents["Kremlin"] == ("ORG", 2)
    assert ents["Moscow"][0] == "GPE"


def test_title_splits_nationality_and_person() -> None:
    text = "Speaking in Kyiv, Ukrainian President Volodymyr Zelensky thanked the European Union."
    ents = _by_name(None, text)
    assert ents["Ukrainian"][0] == "NORP"
    assert ents["Volodymyr Zelensky"][0] == "PERSON"
    assert ents["European Union"][0] == "ORG"
    assert "President Volodymyr Zelensky" not in ents


def test_suffixes_and_acronyms_label_unknown_names() -> None:
    text = (
        "Researchers at the Institute for Coastal Studies (ICS) and Harbin Polytechnic "
        "University mapped the Tarrow River delta.\n"
        "The ICS team said the Brackwater Summit next month would discuss the findings."
    )
    ents = _by_name(None, text)
    # the long form once, the acronym twice (its definition included)
    assert ents["Institute for Coastal Studies"] == ("ORG", 3)
    assert ents["Harbin Polytechnic University"][0] == "ORG"
    assert ents["Tarrow River"][0] == "LOC"
    assert ents["Brackwater Summit"][0] == "EVENT"


def test_sentence_initial_words_are_not_names() -> None:
    text = (
        "Meanwhile, prices rose again in Germany during the autumn months.\n"
        "Analysts expect them to keep rising, and Several economists agree with that view."
    )
    names = set(_by_name(None, text))
    assert "Germany" in names
    assert not names & {"Meanwhile", "Analysts", "Several"}


def test_headline_lines_are_not_prose() -> None:
    text = (
        "Popular Now\n"
        "Kestrel Motors Recalls Thousands Of Cars Over Faulty Brakes\n"
        "Ministers in Lisbon approved the budget on Tuesday after a long debate."
    )
    assert prose_segments(text) == [
        "Ministers in Lisbon approved the budget on Tuesday after a long debate."
    ]
    assert "Kestrel Motors" not in _by_name(None, text)


def test_title_counts_known_names_only() -> None:
    text = "Rescue teams reached Nepal on Sunday after the avalanche, officials in Kathmandu said."
    ents = _by_name("Avalanche Buries Village In Nepal", text)
    assert ents["Nepal"] == ("GPE", 2)
    assert "Avalanche Buries Village" not in ents


def test_keyphrases_are_ranked_and_not_repeated() -> None:
    text = (
        "North Korea sent more troops to the border this week, according to officials.\n"
        "North Korean soldiers were seen near the border crossing, and Korea watchers said "
        "the troop movements were the largest this year.\n"
        "The North Korean army has moved troops to the border before, but never this many."
    )
    phrases = extract_keyphrases("North Korea moves troops to the border", text)
    words = [p for p, _ in phrases]
    scores = [s for _, s in phrases]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0
    korea = [p for p in words if "korea" in p]
    assert len(korea) == 1, words
    assert any("troop" in p for p in words)
    assert any("border" in p for p in words)


def test_topics_from_lexicon() -> None:
    sport = classify(
        "The striker scored twice as the home team won the league match, and the coach "
        "praised the players after the season's biggest victory in the stadium."
    )
    assert sport[0][0] == "sport"
    mixed = classify(
        "Parliament voted on the defence budget as troops prepared for a new offensive; the "
        "minister said the government would send more missiles to the army.",
        title="Lawmakers back war budget",
    )
    assert {t for t, _ in mixed} >= {"politics", "conflict"}
    assert all(0 < s <= 1 for _, s in mixed)
    assert classify("") == []


def test_section_hints_are_strong_evidence() -> None:
    text = "The results were announced on Tuesday and reaction was mixed across the country."
    assert classify(text, hints=["Sport"])[0][0] == "sport"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=60)))
def test_never_fails_on_arbitrary_text(text: str, title: str | None) -> None:
    ents = extract_entities(title, text)
    assert all(e.mentions >= 1 and e.label for e in ents)
    phrases = extract_keyphrases(title, text)
    assert all(0 < s <= 1 for _, s in phrases)
    assert all(t in TAXONOMY for t, _ in classify(text, title))


def test_dateline_and_middle_initials() -> None:
    text = (
        "LISBON — A court fined Maria T. Albuquerque on Thursday for contempt, and Albuquerque "
        "said she would appeal the ruling."
    )
    ents = _by_name(None, text)
    assert ents["Lisbon"][0] == "GPE"
    assert ents["Maria T. Albuquerque"] == ("PERSON", 2)
