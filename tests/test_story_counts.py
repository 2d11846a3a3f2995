"""Story counts mean one thing everywhere: the stories table, the views, the report, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from records import Article
from warehouse import stories_store
from warehouse.report import ensure_views
from warehouse.schema import migrate

# What every story figure is defined as: over the story's canonical articles.
FROM_ARTICLES = """
    SELECT story_id,
           count(*) FILTER (WHERE duplicate_of IS NULL) AS article_count,
           count(DISTINCT source) FILTER (WHERE duplicate_of IS NULL) AS source_count,
           min(coalesce(published_at, first_seen_at)) FILTER (WHERE duplicate_of IS NULL) AS first,
           max(coalesce(published_at, first_seen_at)) FILTER (WHERE duplicate_of IS NULL) AS last
    FROM articles WHERE story_id IS NOT NULL GROUP BY story_id
"""


@pytest.mark.slow
def test_demo_warehouse_story_counts_agree_with_articles(demo_warehouse: Path, tmp_path) -> None:
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo_warehouse.read_bytes())
    con = duckdb.connect(str(copy))
    ensure_views(con)
    stored = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT story_id, article_count, source_count, first_published_at, "
            "last_published_at FROM stories"
        ).fetchall()
    }
    counted = {r[0]: r[1:] for r in con.execute(FROM_ARTICLES).fetchall()}
    assert stored, "the demo warehouse has stories"
    assert set(stored) == set(counted), "a story row for every story_id, and no other"
    wrong = {k: (stored[k], counted[k]) for k in stored if stored[k] != counted[k]}
    assert not wrong, wrong
    assert all(n >= sources for n, sources, *_ in stored.values())
    # Several outlets' stories are there, and syndicated copies did not inflate them.
    assert sum(1 for _, sources, *_ in stored.values() if sources > 1) >= 5
    overview = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT story_id, article_count, source_count, len(outlets) FROM stories_overview"
        ).fetchall()
    }
    for story, (n, sources, outlets) in overview.items():
        assert (n, sources) == stored[story][:2]
        assert outlets == sources
    con.close()


def test_report_and_views_use_the_stories_definition(tmp_path) -> None:
    """One original and two syndicated copies on other outlets: 1 article, 1 outlet."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    rows = [
        ("a1", "www.one.example", None),
        ("a2", "www.two.example", "a1"),
        ("a3", "www.three.example", "a1"),
    ]
    for aid, source, dup in rows:
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, source, title, text, "
            "content_hash, duplicate_of, story_id, published_at, first_seen_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, 'Court hears fraud case', 'x', '', ?, 'st-a1', ?, ?, ?)",
            [aid, f"https://{source}/{aid}", f"https://{source}/{aid}", source, dup, t0, t0, t0],
        )
    batch = [
        Article(article_id=a, url="", canonical_url="", source="", text="", story_id="st-a1")
        for a, _, _ in rows
    ]
    stories_store.write_stories(con, batch, "r1")
    assert con.execute("SELECT article_count, source_count FROM stories").fetchall() == [(1, 1)]
    ensure_views(con)
    assert con.execute("SELECT article_count, source_count FROM stories_overview").fetchall() == [
        (1, 1)
    ]
    # The original moves to another story: the story it left goes away with it.
    con.execute("UPDATE articles SET story_id = 'st-x'")
    stories_store.write_stories(
        con,
        [Article(article_id="a1", url="", canonical_url="", source="", text="", story_id="st-x")],
        "r2",
        left=["st-a1"],
    )
    assert con.execute("SELECT story_id, article_count FROM stories").fetchall() == [("st-x", 1)]


def test_migration_recounts_stories_of_an_older_warehouse(tmp_path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con, target=4)
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for aid, source, dup in (("a1", "one", None), ("a2", "two", "a1")):
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, source, text, content_hash, "
            "duplicate_of, story_id, first_seen_at, last_seen_at) "
            "VALUES (?, 'u', 'u', ?, '', '', ?, 'st-a1', ?, ?)",
            [aid, source, dup, t0, t0],
        )
    con.execute("INSERT INTO stories VALUES ('st-a1', 'h', ?, ?, 1, 2, ?)", [t0, t0, t0])
    con.execute("INSERT INTO stories VALUES ('st-gone', 'h', ?, ?, 1, 1, ?)", [t0, t0, t0])
    migrate(con)
    assert con.execute("SELECT story_id, article_count, source_count FROM stories").fetchall() == [
        ("st-a1", 1, 1)
    ]
