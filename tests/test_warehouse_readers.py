"""Readers are never locked out (issue 23): an outside process reads during a whole ingest.

The reader is another process, as a notebook or the DuckDB CLI would be: every 0.5 s it
opens the warehouse read-only (plain `duckdb.connect` for the file; newsflow's own
connection for a lake, which needs the extensions loaded), counts articles and closes.
It must never fail or wait, and every count it sees must be one the run had after a
whole batch (the counts taken in the run right after each batch was made visible).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

import flows.ingest
from tests.conftest import FAST_FETCH, REPO, demo_sources
from warehouse.store import connect_readonly, writer

pytestmark = pytest.mark.slow

READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    db, stop = sys.argv[1], Path(sys.argv[2])
    import duckdb
    from warehouse.store import connect_readonly
    print("ready", flush=True)
    while not stop.exists():
        started = time.monotonic()
        try:
            if db.startswith("ducklake:"):
                con = connect_readonly(db, wait_seconds=0)
            else:
                con = duckdb.connect(db, read_only=True)
            try:
                n = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            finally:
                con.close()
            print(f"ok {n} {time.monotonic() - started:.3f}", flush=True)
        except Exception as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            print(f"fail {first}", flush=True)
        time.sleep(0.5)
    """
)


def _count(db: str) -> int:
    con = connect_readonly(db)
    try:
        return int(con.execute("SELECT count(*) FROM articles").fetchall()[0][0])
    finally:
        con.close()


@pytest.mark.parametrize("kind", ["file", "lake"])
def test_outside_reader_is_never_locked_out(
    kind: str,
    prefect_api: str,
    demo_site: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = str(tmp_path / "w.duckdb") if kind == "file" else f"ducklake:sqlite:{tmp_path}/c.sqlite"
    with writer(db):  # an empty, migrated warehouse for the reader to open from the start
        pass
    boundaries = {0}
    publish = flows.ingest.publish

    def publish_and_count(where: str) -> bool:
        done = publish(where)
        boundaries.add(_count(where))
        return done

    monkeypatch.setattr(flows.ingest, "publish", publish_and_count)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, db, str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        demo_site.set_edition(0)
        summary = flows.ingest.ingest(
            sources=demo_sources(demo_site),
            db=db,
            allow_private_hosts=True,
            fetch=FAST_FETCH,
            batch_size=25,
        )
        time.sleep(1.0)  # one more read after the run
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    lines = out.split()
    reads = [line.split() for line in out.splitlines() if line.strip()]
    failures = [r for r in reads if r[0] == "fail"]
    assert not failures, f"the reader was refused: {failures[:3]} {err[-500:]}"
    counts = [int(r[1]) for r in reads if r[0] == "ok"]
    seconds = [float(r[2]) for r in reads if r[0] == "ok"]
    assert lines and len(counts) >= 5, out
    final = _count(db)
    boundaries.add(final)
    assert len(set(counts)) >= 3, f"the reader saw too few states during the run: {counts}"
    assert all(c in boundaries for c in counts), (counts, sorted(boundaries))
    assert counts == sorted(counts), counts
    assert counts[-1] == final
    # Opening a lake loads three extensions first (about a second on a busy machine):
    # that is the reader's own start-up; what must not happen is waiting for the run.
    slowest = 2.0 if kind == "file" else 10.0
    assert max(seconds) < slowest, f"a read waited: {max(seconds):.2f} s"
    # publishing is a stage of the run's own: after every batch, copies only on a file
    publishing = next(r for r in summary["stages"] if r["stage"] == "publish")
    assert publishing["in"] == summary["batches"] > 1
    assert (publishing["out"] >= 1) if kind == "file" else (publishing["out"] == 0)


def test_published_file_follows_the_working_copy(tmp_path: Path) -> None:
    """Outside a run every writer publishes on exit; a file replaced by hand is taken up."""
    from tests.test_warehouse_fixtures import article_rows, insert_articles

    path = tmp_path / "w.duckdb"
    rows = article_rows(30)
    for r in rows:
        r["duplicate_of"] = None
    with writer(path) as con:
        insert_articles(con, rows[:10])
    assert _count(str(path)) == 10
    # someone writes the published file directly (an analyst, a restored backup)
    con = duckdb.connect(str(path))
    con.execute(
        "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM articles LIMIT 4)"
    )
    con.close()
    with writer(path) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 6
        insert_articles(con, rows[10:20])
    assert _count(str(path)) == 16
    # the warehouse removed: the next writer starts from nothing
    path.unlink()
    with writer(path) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0
