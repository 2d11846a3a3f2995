"""Analyst views over a hand-built warehouse: numbers checked against the fixture."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.test_warehouse_fixtures import SOURCES, build_ready
from warehouse.views import VIEWS, create_views


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_ready(tmp_path_factory.mktemp("views") / "w.duckdb")
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.execute(sql).fetchall()[0]


def test_views_exist_and_are_idempotent(tmp_path: Path) -> None:
    c = duckdb.connect(str(build_ready(tmp_path / "w.duckdb")))
    first = create_views(c)
    second = create_views(c)
    assert first == second
    assert set(VIEWS) <= set(first)
    c.close()


def test_daily_articles_leave_out_duplicates_and_count_them(con: duckdb.DuckDBPyConnection) -> None:
    articles, duplicates, undated = _one(
        con,
        "SELECT sum(articles), sum(duplicates_excluded), sum(undated) "
        "FROM daily_articles_per_source",
    )
    assert (articles, duplicates) == (27, 3)
    assert undated == 1  # the one article without published_at is dated by first sight
    per_source = dict(
        con.execute(
            "SELECT source, sum(articles) FROM daily_articles_per_source GROUP BY source"
        ).fetchall()
    )
    assert set(per_source) == set(SOURCES)


def test_top_entities_rank_within_each_day(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT day, rank, articles FROM top_entities_daily ORDER BY day, rank"
    ).fetchall()
    assert rows
    by_day: dict = {}
    for day, rank, articles in rows:
        by_day.setdefault(day, []).append((rank, articles))
    for ranked in by_day.values():
        assert [r for r, _ in ranked] == list(range(1, len(ranked) + 1))
        counts = [a for _, a in ranked]
        assert counts == sorted(counts, reverse=True)


def test_topic_shares_sum_to_one_per_day(con: duckdb.DuckDBPyConnection) -> None:
    sums = con.execute("SELECT day, sum(share) FROM topic_trends GROUP BY day").fetchall()
    assert sums and all(abs(s - 1.0) < 1e-9 for _, s in sums)


def test_story_timeline_accumulates_to_story_size(con: duckdb.DuckDBPyConnection) -> None:
    final = dict(
        con.execute(
            "SELECT story_id, max(cumulative_articles) FROM story_timeline GROUP BY story_id"
        ).fetchall()
    )
    overview = dict(con.execute("SELECT story_id, article_count FROM stories_overview").fetchall())
    assert final == overview
    outlets = _one(con, "SELECT outlets FROM stories_overview WHERE story_id = 'story-flood'")[0]
    assert outlets == sorted(SOURCES)
    headline = _one(con, "SELECT headline FROM stories_overview WHERE story_id = 'story-flood'")
    assert headline == ("Riverton floods",)


def test_source_health_ratios(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "SELECT fetches, succeeded, failed, unchanged, success_rate, unchanged_ratio, "
        "articles, duplicates, duplicate_ratio, p95_latency_ms > p50_latency_ms "
        "FROM source_health WHERE source = 'news.example.com'"
    ).fetchall()
    # fixture: i % 3 == 0 -> news.example.com; 304 when i % 7 == 0, failure when i % 11 == 0
    idx = [i for i in range(60) if i % 3 == 0]
    unchanged = sum(1 for i in idx if i % 7 == 0)
    failed = sum(1 for i in idx if i % 7 and i % 11 == 0)
    assert row == [
        (
            20,
            20 - failed,
            failed,
            unchanged,
            (20 - failed) / 20,
            unchanged / 20,
            10,
            1,
            0.1,
            True,
        )
    ]


def test_view_comments_say_duplicates_are_excluded(con: duckdb.DuckDBPyConnection) -> None:
    comments = dict(
        con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()
    )
    for name in ("v_articles", "daily_articles_per_source", "top_entities_daily", "story_timeline"):
        assert "Duplicates excluded" in comments[name]
    assert "duplicates included" in comments["source_health"]
