"""Full-text search: ranking, filters, duplicates, and when the index is rebuilt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.test_warehouse_fixtures import article_rows, build_ready, insert_articles
from warehouse.query import WarehouseError, connect_readonly
from warehouse.search import format_results, index_is_fresh, search
from warehouse.store import transaction, writer

ROOT = Path(__file__).resolve().parents[1]


def _add(path: Path, article_id: str, title: str, text: str, source: str = "extra.example") -> None:
    row = article_rows(1)[0] | {
        "article_id": article_id,
        "url": f"https://{source}/{article_id}",
        "canonical_url": f"https://{source}/{article_id}",
        "source": source,
        "title": title,
        "text": text,
        "content_hash": article_id,
        "story_id": None,
        "published_at": datetime(2024, 3, 10, tzinfo=UTC),
    }
    with writer(path) as con, transaction(con):
        insert_articles(con, [row])


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return build_ready(tmp_path / "w.duckdb")


def test_finds_stemmed_terms_best_first_without_duplicates(db: Path) -> None:
    hits = search(db, "floods rescued")
    assert hits and all("Flood" in h["title"] for h in hits)
    assert [h["rank"] for h in hits] == sorted((h["rank"] for h in hits), reverse=True)
    assert all(h["duplicate_of"] is None for h in hits)
    with_dups = search(db, "council vote", include_duplicates=True, limit=100)
    assert len(with_dups) == len(search(db, "council vote", limit=100)) + 3
    assert sum(1 for h in with_dups if h["duplicate_of"]) == 3
    assert "flood" in hits[0]["snippet"].lower()


def test_title_match_outranks_text_only_match(db: Path) -> None:
    _add(db, "t-title", "Volcano erupts near harbour", "Ash fell on the town overnight.")
    _add(db, "t-text", "Morning briefing", "Ash fell on the town after the volcano woke.")
    hits = search(db, "volcano")
    assert [h["article_id"] for h in hits] == ["t-title", "t-text"]


def test_every_term_must_match_and_filters_apply(db: Path) -> None:
    assert search(db, "flooding zeppelin") == []
    recent = search(db, "flooding", since="2024-03-04", limit=100)
    assert recent and all(h["published_at"] >= datetime(2024, 3, 4, tzinfo=UTC) for h in recent)
    only = search(db, "flooding", source="example.com", limit=100)  # suffix: www-less host
    assert only and {h["source"] for h in only} == {"news.example.com"}
    with pytest.raises(WarehouseError, match="YYYY-MM-DD"):
        search(db, "flooding", since="last tuesday")
    with pytest.raises(WarehouseError, match="search terms"):
        search(db, "  ")


def test_index_is_persisted_and_rebuilt_when_articles_change(db: Path) -> None:
    search(db, "flooding")
    con = connect_readonly(db)
    assert index_is_fresh(con)
    con.close()
    _add(db, "late", "Meteorite lands in a field", "A farmer found a meteorite.")
    con = connect_readonly(db)
    assert not index_is_fresh(con)
    con.close()
    assert [h["article_id"] for h in search(db, "meteorite")] == ["late"]
    con = connect_readonly(db)
    assert index_is_fresh(con)
    con.close()


def test_stale_index_while_another_reader_holds_the_file(db: Path) -> None:
    """A reader elsewhere blocks the rebuild; search indexes in memory and stays complete."""
    search(db, "flooding")
    _add(db, "fresh", "Comet seen over the bay", "Astronomers saw the comet.")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time, duckdb
                con = duckdb.connect({str(db)!r}, read_only=True)
                print("ready", flush=True)
                time.sleep(30)
                """
            ),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        hits = search(db, "comet", rebuild_wait_seconds=0.2)
        assert [h["article_id"] for h in hits] == ["fresh"]
        con = connect_readonly(db)
        # a reader no longer keeps the rebuild out: it wrote the working copy, published
        assert index_is_fresh(con)
        con.close()
    finally:
        holder.kill()
        holder.wait()


def test_format_results(db: Path) -> None:
    hits = search(db, "flooding", limit=2)
    text = format_results(hits, "table")
    assert text.startswith(" 1. ") and hits[0]["url"] in text
    assert format_results([], "table") == "no matching articles\n"
    assert '"article_id"' in format_results(hits, "json")


def test_old_schema_file_is_upgraded_by_search(tmp_path: Path) -> None:
    from tests.test_warehouse_fixtures import build
    from warehouse.schema import LATEST, current_version

    path = build(tmp_path / "v1.duckdb", version=1)
    assert search(path, "flooding")
    con = duckdb.connect(str(path), read_only=True)
    assert current_version(con) == LATEST
    con.close()


def test_a_failed_index_build_reports_its_own_error(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too little memory for the build: DuckDB's out-of-memory error reaches the caller,
    not a follow-up "transaction is aborted" from restoring the limit, and nothing is
    half-written."""
    import warehouse.search as search_module

    monkeypatch.setattr(search_module, "FTS_MEMORY", "1MB")
    with pytest.raises(duckdb.OutOfMemoryException), writer(db) as con, transaction(con):
        search_module.build_index(con)
    monkeypatch.undo()
    con = connect_readonly(db)
    assert not index_is_fresh(con)
    con.close()
    assert search(db, "floods rescued")
