"""Story clustering: the demo site's known stories, incremental assignment across runs."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from records import Article, Entity, article_id_for
from tasks.crawl.urls import host_of
from tasks.dedup import dedup_batch
from tasks.stories import assign_stories, story_id_for
from warehouse import dedup_store, stories_store
from warehouse.schema import migrate

T0 = datetime(2025, 5, 2, 9, 0, tzinfo=UTC)


def _demo_truth():  # type: ignore[no-untyped-def]
    generator = pytest.importorskip(
        "deployments.demosite.generator", reason="demo site (deployments/demosite) not present"
    )
    site = generator.build_site(7)
    truths = list(site.articles_at(site.editions - 1))
    return sorted(truths, key=lambda t: (t.published, t.canonical_url))


def _article(t) -> Article:  # type: ignore[no-untyped-def]
    return Article(
        article_id=article_id_for(t.canonical_url),
        url=t.canonical_url,
        canonical_url=t.canonical_url,
        source=host_of(t.canonical_url),
        text=t.text,
        title=t.title,
        published_at=t.published,
        modified_at=t.modified,
        entities=[Entity(e.name, e.label, e.count, list(e.aliases)) for e in t.entities],
    )


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


def _f1(articles: list[Article], truths) -> float:  # type: ignore[no-untyped-def]
    """Pairwise F1 of predicted stories against the site's truth.

    A duplicate belongs to its original's story (the truth's story_id, or the original's
    own singleton group when the original is in no multi-outlet story).
    """
    by_url = {t.canonical_url: t for t in truths}
    gold: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    for a, t in zip(articles, truths, strict=True):
        original = by_url.get(t.duplicate_of, t) if t.duplicate_of else t
        gold[original.story_id or t.story_id or original.canonical_url].append(a.article_id)
        pred[a.story_id or ""].append(a.article_id)
    p, g = _pairs(pred), _pairs(gold)
    tp = len(p & g)
    precision, recall = tp / max(1, len(p)), tp / max(1, len(g))
    return 2 * precision * recall / max(1e-9, precision + recall)


def test_demo_site_stories_in_one_batch() -> None:
    truths = _demo_truth()
    articles = [_article(t) for t in truths]
    dedup_batch(articles, None)
    assign_stories(articles, None)
    assert _f1(articles, truths) >= 0.9


def test_demo_site_stories_across_runs(tmp_path) -> None:
    """Fed in five runs through a real warehouse, stories still come together."""
    truths = _demo_truth()
    articles = [_article(t) for t in truths]
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    size = len(articles) // 5 + 1
    for run, start in enumerate(range(0, len(articles), size)):
        batch = articles[start : start + size]
        dedup_batch(batch, con)
        assign_stories(batch, con)
        _load(con, batch, f"r{run}")
    assert _f1(articles, truths) >= 0.9
    rows = con.execute(
        "SELECT count(*), sum(article_count), max(source_count) FROM stories"
    ).fetchall()[0]
    canonical = sum(1 for a in articles if not a.duplicate_of)
    assert rows[1] == canonical  # every canonical article is counted in exactly one story
    assert rows[2] >= 3


def _load(con: duckdb.DuckDBPyConnection, articles: list[Article], run_id: str) -> None:
    con.execute("BEGIN TRANSACTION")
    for a in articles:
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, source, title, text, "
            "content_hash, duplicate_of, story_id, published_at, first_seen_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
            "story_id = excluded.story_id, duplicate_of = excluded.duplicate_of",
            [
                a.article_id,
                a.url,
                a.canonical_url,
                a.source,
                a.title,
                a.text,
                a.duplicate_of,
                a.story_id,
                a.published_at,
                T0,
                T0,
            ],
        )
        con.execute("DELETE FROM article_entities WHERE article_id = ?", [a.article_id])
        if a.entities:
            con.executemany(
                "INSERT INTO article_entities VALUES (?, ?, ?, ?)",
                [[a.article_id, e.name, e.label, e.mentions] for e in a.entities],
            )
    dedup_store.write_batch(con, articles, run_id)
    stories_store.write_stories(con, articles, run_id)
    con.execute("COMMIT")


def _story_article(aid: str, source: str, title: str, text: str, hours: float, ents) -> Article:  # type: ignore[no-untyped-def]
    url = f"https://{source}/{aid}"
    return Article(
        article_id=aid,
        url=url,
        canonical_url=url,
        source=source,
        text=text,
        title=title,
        published_at=T0 + timedelta(hours=hours),
        entities=[Entity(n, lab, 2) for n, lab in ents],
    )


FLOOD = "Flood barriers failed in Lowmarsh overnight after the river Tane rose two metres."
FIRE = "A warehouse fire in Greyport destroyed stock worth millions, firefighters said."


def test_incremental_join_window_and_duplicates(tmp_path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    ents = [("Lowmarsh", "GPE"), ("Tane", "LOC"), ("Environment Agency", "ORG")]
    first = _story_article("a1", "one.example", "River Tane floods Lowmarsh", FLOOD * 3, 0, ents)
    other = _story_article(
        "b1", "two.example", "Greyport warehouse fire", FIRE * 3, 1, [("Greyport", "GPE")]
    )
    assign_stories([first, other], con)
    _load(con, [first, other], "r1")
    assert first.story_id == story_id_for("a1") and other.story_id == story_id_for("b1")
    # Next run: another outlet's report joins; a copy of it follows its canonical's story;
    # the same event far outside the window starts a new story.
    follow = _story_article(
        "a2",
        "three.example",
        "Lowmarsh flood: River Tane barriers fail",
        "Residents of Lowmarsh were evacuated as the Tane broke through barriers. " + FLOOD,
        5,
        ents,
    )
    copy = _story_article("a3", "four.example", "copy", follow.text, 6, ents)
    copy.duplicate_of = "a2"
    late = _story_article("a4", "five.example", "River Tane floods Lowmarsh", FLOOD * 3, 400, ents)
    stats = assign_stories([follow, copy, late], con)
    assert follow.story_id == first.story_id
    assert copy.story_id == first.story_id
    assert late.story_id == story_id_for("a4")
    assert stats.extra["joined"] == 1 and stats.extra["started"] == 1
    _load(con, [follow, copy, late], "r2")
    row = con.execute(
        "SELECT headline, article_count, source_count, first_published_at, last_published_at "
        "FROM stories WHERE story_id = ?",
        [first.story_id],
    ).fetchall()[0]
    assert row[0] == "River Tane floods Lowmarsh"
    # Counted over canonical articles: the copy on a fourth outlet adds neither.
    assert row[1:3] == (2, 2)
    assert row[3] == first.published_at and row[4] == follow.published_at


def test_works_without_entities() -> None:
    a = _story_article("x1", "one.example", "River Tane floods Lowmarsh", FLOOD * 3, 0, [])
    b = _story_article("x2", "two.example", "Lowmarsh flood as River Tane rises", FLOOD * 2, 2, [])
    c = _story_article("x3", "three.example", "Greyport warehouse fire", FIRE * 3, 2, [])
    assign_stories([a, b, c], None)
    assert a.story_id == b.story_id != c.story_id
