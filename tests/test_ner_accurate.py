"""`NEWSFLOW_NER=accurate`: spaCy's NER over the prose fused with the rules, on sentences
written for these tests, and the same entities through `ingest` and `extract`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from records import Entity
from tasks.enrich import ner_accurate as acc
from tasks.enrich import statistical_entities
from tasks.enrich.nlp import extract_entities


def _names(ents: list[Entity]) -> dict[str, str]:
    return {e.name: e.label for e in ents}


def test_spacy_spans_are_cleaned_and_split_where_two_names_were_glued() -> None:
    assert acc.clean_spans("the Kremlin's") == ["Kremlin"]
    assert acc.clean_spans("Yorkshire, England") == ["Yorkshire", "England"]
    assert acc.clean_spans("Panaji (Panjim") == ["Panaji", "Panjim"]
    # dates, numbers, lone stop words and spans across lines are not names
    assert acc.clean_spans("Monday") == []
    assert acc.clean_spans("2019 Games") == []
    assert acc.clean_spans("The") == []
    assert acc.clean_spans("Harbour Road\nCity Hall") == []
    assert acc.clean_spans("tuesday's") == []


def test_a_surname_joins_the_person_named_in_full() -> None:
    rules = [Entity("Sergei Shoigu", "PERSON", 1, [])]
    ents = acc.fuse(rules, [("Sergei Shoigu", "PERSON"), ("Shoigu", "PERSON"), ("Shoigu", "ORG")])
    assert [(e.name, e.label, e.mentions, e.aliases) for e in ents] == [
        ("Sergei Shoigu", "PERSON", 3, ["Shoigu"])
    ]


def test_a_known_form_takes_the_gazetteer_name() -> None:
    [ent] = acc.fuse([], [("U.S.", "ORG"), ("U.S.", "GPE")])
    assert (ent.name, ent.label, ent.mentions, ent.aliases) == ("United States", "GPE", 2, ["U.S."])


def test_rule_names_spacy_did_not_see_stay_only_when_known_or_outside_the_prose() -> None:
    rules = [
        Entity("Associates Properties", "ORG", 1, []),  # a rule guess in prose spaCy read
        Entity("Leeds", "GPE", 1, []),  # a GeoNames town
        Entity("Harlow Athletic", "ORG", 1, []),  # a results row spaCy does not read
    ]
    ents = acc.fuse(rules, [], side_lines="Harlow Athletic 2 Stevenage 1")
    assert _names(ents) == {"Leeds": "GPE", "Harlow Athletic": "ORG"}


def test_one_word_names_only_spacy_found_must_not_be_everyday_words() -> None:
    spans = [("Government", "ORG"), ("Home", "ORG"), ("Zentrix", "ORG"), ("Vale Park", "LOC")]
    ents = acc.fuse([], spans, lower_words=frozenset({"government", "park"}))
    # "Government" is also written in lower case, "Home" is an everyday word
    assert _names(ents) == {"Zentrix": "ORG", "Vale Park": "LOC"}


def test_names_both_found_keep_the_rules_label_with_two_exceptions() -> None:
    rules = [
        Entity("Leicester", "ORG", 2, []),  # a club named after its town
        Entity("Dunmore Rovers", "ORG", 1, []),  # a club suffix
        Entity("Karol Balinski", "GPE", 1, []),  # a rule mistook a person for a place
        Entity("Brampton", "PERSON", 1, []),  # a town the rules took for a person
    ]
    spans = [
        ("Leicester", "GPE"),
        ("Dunmore Rovers", "PERSON"),
        ("Karol Balinski", "PERSON"),
        ("Brampton", "GPE"),
    ]
    assert _names(acc.fuse(rules, spans)) == {
        "Leicester": "ORG",
        "Dunmore Rovers": "ORG",
        "Karol Balinski": "PERSON",
        "Brampton": "GPE",
    }


STORY = (
    "The festival was moved to Quorvale after heavy rain flooded the original site on the "
    "coast last week.\n"
    "Prime Minister Elena Vasquez met union leaders in Madrid on Friday to discuss the "
    "pension reform.\n"
    "Vasquez said the government would publish its plan before the summer."
)


def test_the_mode_adds_a_name_the_rules_drop_and_keeps_theirs() -> None:
    rules = extract_entities(None, STORY, language="en")
    assert "Quorvale" not in _names(rules)  # named once, in no list: too weak for the rules
    [ents] = statistical_entities("accurate", [(None, STORY)], [rules])
    names = _names(ents)
    assert names["Quorvale"] == "GPE"
    assert names["Elena Vasquez"] == "PERSON" and names["Madrid"] == "GPE"
    assert next(e for e in ents if e.name == "Elena Vasquez").aliases == ["Vasquez"]
    assert "Vasquez" not in names


def test_ingest_and_extract_give_the_same_entities(prefect_api: str, tmp_path: Path) -> None:
    """The same page through `newsflow ingest --dir` and `newsflow extract`, mode accurate."""
    pages = tmp_path / "pages"
    pages.mkdir()
    paras = "".join(f"<p>{p}</p>" for p in STORY.split("\n"))
    page = pages / "festival.html"
    page.write_text(
        '<html lang="en"><head><title>Festival moves to Quorvale</title></head><body>'
        f"<article><h1>Festival moves to Quorvale</h1>{paras}</article></body></html>"
    )
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "NEWSFLOW_NER": "accurate",
        "NEWSFLOW_WORKERS": "0",
    }
    cli = str(Path(sys.executable).parent / "newsflow")
    db = tmp_path / "w.duckdb"
    done = subprocess.run(
        [cli, "ingest", "--dir", str(pages), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = set(con.execute("SELECT entity, label, mentions FROM article_entities").fetchall())
    finally:
        con.close()
    done = subprocess.run(
        [cli, "extract", str(page)], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    extracted = {(e["name"], e["label"], e["mentions"]) for e in record["entities"]}
    assert stored == extracted
    assert ("Quorvale", "GPE") in {(n, lab) for n, lab, _ in extracted}


def test_the_model_runs_ner_alone_and_finds_what_the_full_pipeline_finds() -> None:
    """Nothing listens to the small model's shared tok2vec, so NER alone gives the same
    spans at about half the cost (the spacy and accurate modes both use it)."""
    import spacy

    from tasks.enrich.nlp import SPACY_MODEL, spacy_model

    model = spacy_model()
    assert model.pipe_names == ["ner"]
    full = spacy.load(SPACY_MODEL)
    assert [(e.text, e.label_) for e in model(STORY).ents] == [
        (e.text, e.label_) for e in full(STORY).ents
    ]
