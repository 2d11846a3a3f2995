"""Enrich stage on batches and the shared samples; its warehouse tables and views in DuckDB."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from records import Article, Entity, article_id_for
from tasks.context import StageContext
from tasks.enrich import enrich_batch, enrich_stage, enrich_text
from tasks.enrich.keyphrases import stop_words as keyphrase_stop_words
from warehouse import topics_store
from warehouse.articles_store import write_articles
from warehouse.store import prepare

SHARED = Path(os.environ.get("NEWSFLOW_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SAMPLES = SHARED / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"shared samples not found at {SAMPLES} (set NEWSFLOW_SHARED)"
)

STORY = (
    "Firefighters battled a wildfire near Marseille on Sunday as strong winds pushed the "
    "flames towards the coast.\n"
    "Interior minister Gerald Darmanin said 400 firefighters and six water bombers had "
    "been sent to the area, and residents of two villages were evacuated.\n"
    "Darmanin warned that the heatwave across southern France would keep the fire risk high."
)


def _article(url: str, text: str, title: str | None = None, **kw: object) -> Article:
    return Article(
        article_id=article_id_for(url),
        url=url,
        canonical_url=url,
        source=url.split("/")[2],
        text=text,
        title=title,
        content_hash=str(hash(text)),
        **kw,
    )


@needs_samples
def test_aggregator_story_contract() -> None:
    out = enrich_text(None, (SAMPLES / "aggregator-story.txt").read_text())
    names = {e["name"] for e in out["entities"]}
    assert {"Russia", "North Korea", "Sergei Shoigu", "Vladimir Putin", "Ukraine"} <= names
    assert any(n.startswith("Kursk") for n in names)
    topics = [t["topic"] for t in out["topics"]]
    assert {"conflict", "politics"} <= set(topics)
    assert topics[0] == "conflict"
    assert all(set(e) == {"name", "label", "mentions", "aliases"} for e in out["entities"])
    keywords = [k["keyword"] for k in out["keywords"]]
    assert keywords[0] == "north korea"
    assert not {"korea", "north korean"} & set(keywords)


@needs_samples
def test_boilerplate_link_boxes_contribute_no_entities() -> None:
    page = (SAMPLES / "article-with-boilerplate.txt").read_text()
    out = enrich_text(None, page)
    names = {e["name"] for e in out["entities"]}
    # Named only in the link boxes ("Latest Stories", "Popular Now", ...), never in the article.
    headline_only = {
        "Joe Biden", "Shigeru Ishiba", "Peru", "Tesla", "Nvidia", "AMD", "Meta", "Instagram",
        "Amazon", "Iran", "Hong Kong", "Kyiv", "Donald Trump", "Elon Musk", "China", "FTC",
        "Chinese", "Canadian", "South Korea", "Japan", "Mojave", "Jimmy Fallon",
    }  # fmt: skip
    assert not names & headline_only, names & headline_only
    assert {"North Korea", "Russia", "NK News", "Dongseo University"} <= names
    by_name = {e["name"]: e for e in out["entities"]}
    # The link boxes name North Korea many more times; the article itself three times.
    assert by_name["North Korea"]["mentions"] == 3


def test_enrich_batch_fills_and_copies_duplicates() -> None:
    original = _article("https://a.example/fire", STORY, "Wildfire forces evacuations in France")
    copy = _article("https://b.example/fire-copy", STORY, duplicate_of=original.article_id)
    orphan = _article("https://c.example/x", STORY, duplicate_of="not-in-this-batch")
    empty = _article("https://d.example/empty", "", None)
    out, stats = enrich_batch([copy, original, orphan, empty])
    assert out == [copy, original, orphan, empty]
    ents = {e.name: e for e in original.entities}
    assert ents["Gerald Darmanin"].label == "PERSON" and ents["Gerald Darmanin"].mentions == 2
    assert ents["France"].label == "GPE" and ents["France"].mentions == 2  # title + body
    assert {t for t, _ in original.topics} & {"disaster", "weather"}
    assert original.keywords and all(0 < s <= 1 for _, s in original.keywords)
    assert copy.entities == original.entities and copy.entities is not original.entities
    assert copy.topics == original.topics
    assert orphan.entities == [] and orphan.topics == []
    assert stats.records_in == 4 and stats.records_out == 4
    assert stats.extra["copied_from_canonical"] == 1
    assert stats.extra["duplicate_skipped"] == 1
    assert stats.extra["empty"] == 1
    assert stats.extra["analysed"] == 1


def test_non_english_gets_no_english_entities() -> None:
    text = (
        "O presidente do Brasil disse nesta segunda-feira que o governo vai investir mais em "
        "escolas e hospitais nas regiões do Norte e do Nordeste, segundo a agência oficial."
    )
    art = _article("https://e.example/sport/noticia", text, language="pt")
    enrich_batch([art])
    assert art.entities == []
    # Portuguese keyphrases, cut at Portuguese stop words ("do", "em", "que" never appear)
    pt_stop = keyphrase_stop_words("pt")
    assert art.keywords and "agência oficial" in [k for k, _ in art.keywords]
    assert not {w for k, _ in art.keywords for w in k.split()} & pt_stop
    assert art.topics[0][0] == "sport"  # the URL's section is strong evidence


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    prepare(con)
    return con


def _load(con: duckdb.DuckDBPyConnection, articles: list[Article], recount: bool = False) -> None:
    """As the load stage does: entity counts moved by the batch's change (or recounted)."""
    con.execute("BEGIN TRANSACTION")
    result = write_articles(con, articles, "run-1", datetime.now(UTC))
    topics_store.write_batch(con, articles, "run-1", None if recount else result.was_canonical)
    con.execute("COMMIT")


def _counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    return con.execute("SELECT entity, label, article_count FROM entities ORDER BY ALL").fetchall()


@pytest.mark.parametrize("recount", [False, True])
def test_running_entity_counts_equal_a_full_recount(tmp_path: Path, recount: bool) -> None:
    """Batches that add, re-load, drop entities from and flip the duplicate mark of
    articles leave every entity's count where counting all mentions again puts it."""
    import random

    rng = random.Random(5)
    con = _warehouse(tmp_path / "w.duckdb")
    names = [(f"Person {i}", "PERSON") for i in range(6)] + [(f"Town {i}", "GPE") for i in range(4)]
    urls = [f"https://s{i % 3}.example/a/{i}" for i in range(30)]
    for _ in range(25):
        batch = []
        for url in rng.sample(urls, 6):
            art = _article(url, "text")
            art.entities = [
                Entity(n, lab, rng.randint(1, 3), [])
                for n, lab in rng.sample(names, rng.randint(0, 4))
            ]
            if rng.random() < 0.3:
                art.duplicate_of = article_id_for(rng.choice(urls))
            batch.append(art)
        _load(con, batch, recount)
        running = _counts(con)
        topics_store.recount_entities(con)
        assert running == _counts(con)


def test_store_is_idempotent_and_counts_articles(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    day = datetime(2025, 3, 4, 10, tzinfo=UTC)
    a = _article("https://a.example/1", STORY, "Wildfire near Marseille", published_at=day)
    b = _article("https://b.example/2", STORY, "Fire in France", published_at=day)
    dup = _article("https://c.example/3", STORY, published_at=day, duplicate_of=a.article_id)
    enrich_batch([a, b, dup])
    _load(con, [a, b, dup])
    _load(con, [a, b, dup])  # the same batch again: nothing doubles
    rows = con.execute(
        "SELECT count(*) FROM article_entities WHERE entity = 'Gerald Darmanin'"
    ).fetchall()
    assert rows == [(3,)]
    count = con.execute(
        "SELECT article_count, aliases FROM entities WHERE entity = 'Gerald Darmanin'"
    ).fetchall()
    assert count == [(2, ["Darmanin"])]  # the duplicate is not counted
    n_kw = con.execute("SELECT count(*) FROM article_keywords").fetchall()[0][0]
    assert n_kw == 3 * len(a.keywords)
    # An article re-enriched without an entity loses it, and the count follows.
    b.entities = [e for e in b.entities if e.name != "Gerald Darmanin"]
    _load(con, [b])
    count = con.execute(
        "SELECT article_count FROM entities WHERE entity = 'Gerald Darmanin'"
    ).fetchall()
    assert count == [(1,)]


def test_bare_surname_joins_the_warehouse_person(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    first = _article("https://a.example/1", STORY)
    enrich_batch([first])
    _load(con, [first])
    later = _article("https://b.example/2", "x")
    later.entities = [Entity("Darmanin", "PERSON", 2, [])]
    _load(con, [later])
    rows = con.execute(
        "SELECT entity, mentions FROM article_entities WHERE article_id = ?", [later.article_id]
    ).fetchall()
    assert rows == [("Gerald Darmanin", 2)]
    assert con.execute(
        "SELECT article_count FROM entities WHERE entity = 'Gerald Darmanin'"
    ).fetchall() == [(2,)]


def test_views_answer_analyst_questions(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    for name in topics_store.VIEWS:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {topics_store.VIEWS[name]}")
    d1, d2 = datetime(2025, 3, 4, 9, tzinfo=UTC), datetime(2025, 3, 5, 9, tzinfo=UTC)
    arts = [
        _article("https://a.example/1", STORY, published_at=d1),
        _article("https://a.example/2", STORY, published_at=d2),
        _article("https://b.example/3", STORY, published_at=d2),
        _article("https://b.example/4", STORY, published_at=d2, duplicate_of="x"),
    ]
    for art in arts:
        art.entities = [
            Entity("Gerald Darmanin", "PERSON", 2, ["Darmanin"]),
            Entity("France", "GPE", 1, []),
        ]
        art.keywords = [("wildfire", 1.0)]
        art.topics = [("disaster", 0.8)]
    _load(con, arts)
    by_source = con.execute(
        "SELECT source, articles, mentions, rank FROM top_entities_by_source "
        "WHERE entity = 'Gerald Darmanin' ORDER BY source"
    ).fetchall()
    assert by_source == [("a.example", 2, 4, 1), ("b.example", 1, 2, 1)]
    pairs = con.execute("SELECT entity_a, entity_b, articles FROM entity_cooccurrence").fetchall()
    assert pairs == [("France", "Gerald Darmanin", 3)]
    trend = con.execute(
        "SELECT day, articles FROM entity_trends WHERE entity = 'France' ORDER BY day"
    ).fetchall()
    assert [n for _, n in trend] == [1, 2]
    kw = con.execute("SELECT sum(articles) FROM keyword_trends").fetchall()
    assert kw == [(3,)]
    topics = con.execute("SELECT source, articles FROM topics_by_source ORDER BY 1").fetchall()
    assert topics == [("a.example", 2), ("b.example", 1)]


def test_stage_function_takes_the_flow_arguments() -> None:
    art = _article("https://a.example/fire", STORY)
    out, stats = enrich_stage([art], StageContext(db="data/unused.duckdb"))
    assert out[0].entities and stats.stage == "enrich"
