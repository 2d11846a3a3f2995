"""A small but realistic warehouse, built by inserting rows directly.

The pipeline is built concurrently, so these tests do not depend on it: three
outlets over five days, one syndicated story with duplicates, entities, topics,
and a fetch log with failures, 304s and latencies. Shared by the warehouse tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.schema import LATEST, migrate

DAY0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
SOURCES = ("news.example.com", "daily.example.org", "wire.example.net")
_WORDS = [
    "council",
    "budget",
    "vote",
    "harbour",
    "flood",
    "rescue",
    "election",
    "minister",
    "school",
    "energy",
    "prices",
    "rail",
    "strike",
    "hospital",
    "storm",
    "bridge",
    "museum",
    "festival",
    "court",
    "ruling",
    "climate",
]
_TOPICS = ("politics", "weather", "business", "culture")
_ENTITIES = (("Maria Lopez", "PERSON"), ("Port Authority", "ORG"), ("Riverton", "GPE"))


def _text(i: int) -> str:
    words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(60)]
    return " ".join(words) + "."


def article_rows(n: int = 30) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(n):
        source = SOURCES[i % len(SOURCES)]
        published = DAY0 + timedelta(days=i % 5, hours=i % 7)
        story = "story-flood" if i % 4 == 0 else ("story-vote" if i % 6 == 1 else None)
        dup = f"a{i - 3:04d}" if i % 10 == 9 else None
        title = f"Flood rescue in Riverton {i}" if story == "story-flood" else f"Council vote {i}"
        rows.append(
            {
                "article_id": f"a{i:04d}",
                "url": f"https://{source}/news/{i}",
                "canonical_url": f"https://{source}/news/{i}",
                "source": source,
                "title": title,
                "authors": ["A. Writer"],
                "published_at": None if i == 5 else published,
                "modified_at": None,
                "language": "en",
                "site_name": source.split(".")[0].title(),
                "description": None,
                "section": "news",
                "tags": [],
                "image_url": None,
                "text": _text(i) + (" flooding rescue boats" if story == "story-flood" else ""),
                "markdown": None,
                "word_count": 60,
                "content_hash": f"h{i}",
                "duplicate_of": dup,
                "story_id": story,
                "feed_source": f"https://{source}/feed",
                "first_seen_at": published + timedelta(hours=1),
                "last_seen_at": published + timedelta(hours=1),
                "run_id": "run-1",
            }
        )
    return rows


def insert_articles(con: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> None:
    table = pa.Table.from_pylist(rows)
    con.register("_fixture_articles", table)
    try:
        cols = ", ".join(table.column_names)
        con.execute(f"INSERT INTO articles ({cols}) SELECT {cols} FROM _fixture_articles")
    finally:
        con.unregister("_fixture_articles")


def fill(con: duckdb.DuckDBPyConnection, n: int = 30) -> None:
    """Insert the sample rows into a migrated (V1 or later) warehouse."""
    rows = article_rows(n)
    insert_articles(con, rows)
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status, sources, articles_new) "
        "VALUES ('run-1', ?, ?, 'completed', ?, ?)",
        [DAY0, DAY0 + timedelta(minutes=5), list(SOURCES), n],
    )
    for r in rows:
        if r["duplicate_of"]:
            con.execute(
                "INSERT INTO duplicates VALUES (?, ?, 'near', 0.91, ?, 'run-1')",
                [r["article_id"], r["duplicate_of"], DAY0],
            )
    con.execute(
        "INSERT INTO stories VALUES ('story-flood', 'Riverton floods', ?, ?, 8, 3, ?), "
        "('story-vote', NULL, ?, ?, 5, 2, ?)",
        [DAY0, DAY0 + timedelta(days=4), DAY0] * 2,
    )
    for i, r in enumerate(rows):
        for k, (name, label) in enumerate(_ENTITIES):
            if (i + k) % 2 == 0:
                con.execute(
                    "INSERT INTO article_entities VALUES (?, ?, ?, ?)",
                    [r["article_id"], name, label, 1 + (i + k) % 3],
                )
        con.execute(
            "INSERT INTO article_topics VALUES (?, ?, ?)",
            [r["article_id"], _TOPICS[i % len(_TOPICS)], 0.5 + (i % 5) / 10],
        )
        con.execute(
            "INSERT INTO article_keywords VALUES (?, ?, ?)", [r["article_id"], "flood", 0.4]
        )
    for name, label in _ENTITIES:
        con.execute("INSERT INTO entities VALUES (?, ?, [], 10)", [name, label])
    for i in range(60):
        source = SOURCES[i % len(SOURCES)]
        status = 304 if i % 7 == 0 else (0 if i % 11 == 0 else 200)
        con.execute(
            "INSERT INTO fetch_log (url, final_url, status, error, elapsed_ms, fetched_at, "
            "run_id, source, outcome) VALUES (?, ?, ?, ?, ?, ?, 'run-1', ?, ?)",
            [
                f"https://{source}/news/{i}",
                f"https://{source}/news/{i}",
                status,
                "connect timeout" if status == 0 else None,
                50.0 + 10 * (i % 9) + (200 if source == SOURCES[2] else 0),
                DAY0 + timedelta(minutes=i),
                source,
                {0: "network-error", 304: "unchanged"}.get(status, "ok"),
            ],
        )


def build(path: Path, *, version: int = LATEST, n: int = 30) -> Path:
    """A warehouse file at schema `version` holding the sample data."""
    con = duckdb.connect(str(path))
    try:
        migrate(con, target=version)
        fill(con, n)
    finally:
        con.close()
    return path


def build_ready(path: Path, n: int = 30) -> Path:
    """Sample warehouse opened once by the real writer path (migrations + views)."""
    from warehouse.store import writer

    build(path, n=n)
    with writer(path):
        pass
    return path


def test_fixture_builds_latest(tmp_path: Path) -> None:
    path = build_ready(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(30,)]
        assert con.execute("SELECT count(*) FROM v_articles").fetchall() == [(27,)]
    finally:
        con.close()
