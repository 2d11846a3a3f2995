"""A DuckLake warehouse on a SQLite catalog (issue 23): the whole pipeline, readers and
time travel, compared with the default DuckDB file on the same demo site."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAST_FETCH, REPO, demo_sources, ingest_process
from tests.test_pipeline import SNAPSHOT
from warehouse.export import export_parquet
from warehouse.maintenance import compact
from warehouse.query import run_query
from warehouse.search import search
from warehouse.store import WarehouseError, connect_readonly

pytestmark = pytest.mark.slow


def lake_db(folder: Path) -> str:
    return f"ducklake:sqlite:{folder / 'catalog.sqlite'}"


def snapshot(db: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    con = connect_readonly(db)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        con.close()


def ingest(site: Any, db: str | Path) -> dict[str, Any]:
    from flows.ingest import ingest as run

    return run(
        sources=demo_sources(site),
        db=str(db),
        allow_private_hosts=True,
        fetch=FAST_FETCH,
        batch_size=25,
    )


@pytest.fixture(scope="module")
def both(
    prefect_api: str, demo_site: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """The demo site (edition 0) loaded into a DuckDB file and into a lake."""
    demo_site.set_edition(0)
    folder = tmp_path_factory.mktemp("lake")
    file_db, lake = folder / "w.duckdb", lake_db(folder)
    for db in (file_db, lake):
        summary = ingest(demo_site, db)
        assert summary["pages_failed"] == 0, summary["sources"]
    return file_db, lake


def test_lake_holds_what_the_file_holds(both: tuple[Path, str]) -> None:
    file_db, lake = both
    assert snapshot(lake) == snapshot(file_db)
    data = Path(lake.removeprefix("ducklake:sqlite:") + ".files")
    assert list(data.rglob("*.parquet")), "no Parquet files beside the catalog"


def test_second_run_on_the_lake_adds_nothing(both: tuple[Path, str], demo_site: Any) -> None:
    """The lake keeps HTTP validators like the file: a re-run fetches nothing again."""
    _, lake = both
    before = snapshot(lake)
    demo_site.set_edition(0)
    summary = ingest(demo_site, lake)
    assert summary["articles_new"] == 0
    assert summary["pages_fetched"] == 0  # every page answered 304 (or an unchanged digest)
    assert snapshot(lake) == before


def test_lake_keeps_documentation_views_and_schema(both: tuple[Path, str]) -> None:
    _, lake = both
    con = connect_readonly(lake)
    try:
        comment = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = 'articles' AND column_name = 'canonical_url'"
        ).fetchall()
        views = {
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
                "AND NOT internal"
            ).fetchall()
        }
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        per_day = con.execute("SELECT sum(articles) FROM daily_articles_per_source").fetchall()
        canon = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchall()
    finally:
        con.close()
    from warehouse.schema import LATEST

    assert comment and comment[0][0], "COMMENT ON did not reach the lake"
    assert {"v_articles", "daily_articles_per_source"} <= views
    assert version == LATEST
    assert per_day == canon


def test_query_search_export_report_on_the_lake(both: tuple[Path, str], tmp_path: Path) -> None:
    file_db, lake = both
    sql = "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY source"
    assert run_query(lake, sql, "csv") == run_query(file_db, sql, "csv")
    # the sandbox still refuses other files
    with pytest.raises(WarehouseError):
        run_query(lake, f"SELECT * FROM read_csv('{REPO / 'pyproject.toml'}')")
    hits_lake = search(lake, "flood", limit=5)
    hits_file = search(file_db, "flood", limit=5)
    assert hits_lake and [h["article_id"] for h in hits_lake] == [
        h["article_id"] for h in hits_file
    ]
    written = export_parquet(lake, tmp_path / "export")
    assert written["tables"]["articles"] == len(snapshot(lake)["articles"])
    from warehouse.report import render_report

    out = tmp_path / "report.html"
    render_report(lake, out)
    assert "<html" in out.read_text(encoding="utf-8")[:500].lower()


def test_time_travel_reads_the_lake_as_a_run_left_it(
    prefect_api: str, demo_site: Any, tmp_path: Path
) -> None:
    lake = lake_db(tmp_path)
    demo_site.set_edition(0)
    ingest(demo_site, lake)
    first = run_query(lake, "SELECT run_id FROM runs", "csv").split()[1]
    count_sql = "SELECT count(*) AS n, max(last_seen_at) AS seen FROM articles"
    after_first = run_query(lake, count_sql, "csv")
    demo_site.set_edition(1)
    try:
        ingest(demo_site, lake)
    finally:
        demo_site.set_edition(0)
    now = run_query(lake, count_sql, "csv")
    assert now != after_first  # the second run changed the lake
    assert run_query(lake, count_sql, "csv", as_of=first) == after_first
    runs_then = run_query(lake, "SELECT run_id, status FROM runs", "csv", as_of=first)
    assert runs_then.split() == ["run_id,status", f"{first},completed"]
    with pytest.raises(WarehouseError, match="no finished run"):
        run_query(lake, "SELECT 1", "csv", as_of="nosuchrun")
    # compaction merges the per-batch files and keeps every snapshot readable
    result = compact(lake, keep=dt.timedelta(0))
    assert result["live_files_after"] < result["live_files_before"], result
    assert result["files_on_disk_after"] < result["files_on_disk_before"], result
    assert run_query(lake, count_sql, "csv") == now
    assert run_query(lake, count_sql, "csv", as_of=first) == after_first
    # the CLI: one line, exit 1, for a DuckDB file (it keeps no snapshots)
    file_db = tmp_path / "w.duckdb"
    from warehouse.store import writer

    with writer(file_db):
        pass
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "query",
            "--db",
            str(file_db),
            "--as-of",
            first,
            "SELECT 1",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "keeps no snapshots" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_killed_run_on_the_lake_resumes_to_the_same_warehouse(
    both: tuple[Path, str], demo_site: Any, prefect_api: str, tmp_path: Path
) -> None:
    """kill -9 after some batches committed to the lake; the restart ends where an
    uninterrupted run did (the file run of the same site)."""
    file_db, _ = both
    demo_site.set_edition(0)
    lake = lake_db(tmp_path)
    proc = ingest_process(
        demo_sources(demo_site),
        lake,
        prefect_api,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        loaded = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            try:
                con = connect_readonly(lake, wait_seconds=1)
            except WarehouseError:
                continue
            try:
                loaded = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            except Exception:
                loaded = 0
            finally:
                con.close()
            if loaded > 0:
                break
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert 0 < loaded < len(demo_site.site.truth(0))
    ingest(demo_site, lake)
    assert snapshot(lake) == snapshot(file_db)
    statuses = run_query(lake, "SELECT status FROM runs ORDER BY status", "csv").split()[1:]
    assert statuses == ["completed", "crashed"]
