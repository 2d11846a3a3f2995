"""`newsflow query` formats, read-only access, and what a reader sees while a run loads."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.test_warehouse_fixtures import build_ready
from warehouse.query import WarehouseError, WarehouseLocked, connect_readonly, run_query
from warehouse.store import writer as store_writer

ROOT = Path(__file__).resolve().parents[1]
SQL = (
    "SELECT source, count(*) AS n, list(article_id ORDER BY article_id)[1:2] AS ids "
    "FROM v_articles GROUP BY source ORDER BY source"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ready(tmp_path_factory.mktemp("query") / "w.duckdb")


def test_table_format(db: Path) -> None:
    text = run_query(db, SQL, "table")
    assert "daily.example.org" in text and "source" in text
    assert text.rstrip().endswith("(3 rows)")


def test_csv_format_round_trips(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_query(db, SQL, "csv"))))
    assert [r["source"] for r in rows] == sorted(r["source"] for r in rows)
    assert sum(int(r["n"]) for r in rows) == 27
    assert json.loads(rows[0]["ids"]) and len(json.loads(rows[0]["ids"])) == 2


def test_json_format_keeps_types(db: Path) -> None:
    data = json.loads(run_query(db, SQL + "", "json"))
    assert isinstance(data[0]["n"], int) and isinstance(data[0]["ids"], list)
    stamp = json.loads(run_query(db, "SELECT published_at FROM articles LIMIT 1", "json"))
    assert stamp[0]["published_at"].startswith("2024-03-")


def test_parquet_needs_out_and_round_trips(db: Path, tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="--out"):
        run_query(db, SQL, "parquet", None)
    note = run_query(db, SQL, "parquet", str(tmp_path / "o" / "r.parquet"))
    assert "3 rows" in note
    table = pq.read_table(tmp_path / "o" / "r.parquet")
    assert table.column_names == ["source", "n", "ids"] and table.num_rows == 3


def test_writes_are_refused_with_one_line(db: Path) -> None:
    with pytest.raises(WarehouseError, match="read-only") as info:
        run_query(db, "DELETE FROM articles", "table")
    assert "\n" not in str(info.value)
    with pytest.raises(WarehouseError, match="query failed"):
        run_query(db, "SELEC nonsense", "table")


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="no warehouse at"):
        connect_readonly(tmp_path / "nope.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 200)
    with pytest.raises(WarehouseError) as info:
        connect_readonly(junk)
    assert "\n" not in str(info.value)


def _spawn(code: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_locked_file_gives_a_clear_message_with_the_pid(tmp_path: Path) -> None:
    path = build_ready(tmp_path / "w.duckdb")
    holder = _spawn(
        f"""
        import time, duckdb
        con = duckdb.connect({str(path)!r})
        print("ready", flush=True)
        time.sleep(30)
        """
    )
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked) as info:
            connect_readonly(path, wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5
        message = str(info.value)
        assert f"pid {holder.pid}" in message and str(path) in message
        assert "being written by another process" in message and "\n" not in message
    finally:
        holder.kill()
        holder.wait()
    connect_readonly(path).close()  # released: readers get in again


def test_reader_never_sees_a_torn_batch(tmp_path: Path) -> None:
    """A real second process loads batches of 40 rows; every read sees whole batches."""
    path = tmp_path / "w.duckdb"
    with store_writer(path):  # an empty, migrated warehouse
        pass
    batches, size = 8, 40
    writer = _spawn(
        f"""
        import time
        from tests.test_warehouse_fixtures import article_rows, insert_articles
        from warehouse.store import transaction, writer
        rows = article_rows({batches * size})
        print("ready", flush=True)
        for b in range({batches}):
            chunk = rows[b * {size}:(b + 1) * {size}]
            for r in chunk:
                r["duplicate_of"] = None
            with writer({str(path)!r}) as con, transaction(con):
                insert_articles(con, chunk[: {size} // 2])
                time.sleep(0.05)  # a reader arriving now must not see this half
                insert_articles(con, chunk[{size} // 2 :])
            time.sleep(0.25)  # between batches the file is free
        """
    )
    seen: list[int] = []
    deadline = time.monotonic() + 60
    try:
        while writer.poll() is None and time.monotonic() < deadline:
            con = connect_readonly(path, wait_seconds=10)
            try:
                count = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
                # within one connection the snapshot is stable: same answer twice
                assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == count
            finally:
                con.close()
            seen.append(count)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert len(set(seen)) >= 3, f"reader did not get in between batches: {seen}"
    assert all(c % size == 0 for c in seen), seen
    assert seen == sorted(seen)
    con = connect_readonly(path)
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(batches * size,)]
    con.close()


def test_reader_reads_a_held_warehouse_between_batches(tmp_path: Path) -> None:
    """A run keeps its working copy open across batches and publishes after each one:
    a reader opens the file at any moment and sees whole batches only."""
    path = tmp_path / "w.duckdb"
    with store_writer(path):
        pass
    batches, size = 10, 40
    writer = _spawn(
        f"""
        import time
        from tests.test_warehouse_fixtures import article_rows, insert_articles
        from warehouse import publishing
        from warehouse.store import held, publish, transaction, writer
        publishing.PUBLISH_SHARE = 1.0  # every batch, whatever the copy costs
        rows = article_rows({batches * size})
        for r in rows:
            r["duplicate_of"] = None
        with held({str(path)!r}):
            with writer({str(path)!r}):
                pass
            print("ready", flush=True)
            for b in range({batches}):
                chunk = rows[b * {size}:(b + 1) * {size}]
                with writer({str(path)!r}) as con, transaction(con):
                    insert_articles(con, chunk[: {size} // 2])
                    time.sleep(0.1)  # a reader arriving now must not see this half
                    insert_articles(con, chunk[{size} // 2 :])
                    time.sleep(0.2)
                publish({str(path)!r})
        """
    )
    seen: list[int] = []
    try:
        while writer.poll() is None:
            started = time.monotonic()
            con = connect_readonly(path, wait_seconds=0)  # never waits
            assert time.monotonic() - started < 1.0
            try:
                seen.append(con.execute("SELECT count(*) FROM articles").fetchall()[0][0])
            finally:
                con.close()
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    inside = [c for c in seen if 0 < c < batches * size]
    assert len(set(inside)) >= 3, f"reader did not get in during the run: {seen}"
    assert all(c % size == 0 for c in seen), seen
    assert seen == sorted(seen)
