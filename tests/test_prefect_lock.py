"""The warehouse lock: overlapping writers queue, a bounded wait fails with advice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from flows.locking import file_lock, lock_name, warehouse_lock
from warehouse.store import WarehouseLocked

# A writer that holds the lock while it writes two rows a moment apart into the
# warehouse itself, then reports how long it queued.
WRITER = textwrap.dedent(
    """
    import sys, time, duckdb
    from flows.locking import warehouse_lock
    db, name = sys.argv[1], sys.argv[2]
    asked = time.time()
    with warehouse_lock(db, timeout=60):
        got = time.time()
        con = duckdb.connect(db)
        con.execute("CREATE TABLE IF NOT EXISTS w (name VARCHAR, t DOUBLE, what VARCHAR)")
        con.execute("INSERT INTO w VALUES (?, ?, 'start')", [name, time.time()])
        con.close()
        time.sleep(1.5)
        con = duckdb.connect(db)
        con.execute("INSERT INTO w VALUES (?, ?, 'end')", [name, time.time()])
        con.close()
    print(f"{got - asked:.3f}")
    """
)


def test_overlapping_processes_queue_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    env = {"NEWSFLOW_LOCK": "file", "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    waits = sorted(float(out) for out, _ in outputs)
    assert waits[0] < 1.0 and waits[1] >= 1.0  # the second one queued behind the first
    rows = duckdb.connect(str(db)).execute("SELECT name, what, t FROM w ORDER BY t").fetchall()
    # Each writer's start and end are adjacent: nobody wrote in between.
    assert [r[1] for r in rows] == ["start", "end", "start", "end"]
    assert rows[0][0] == rows[1][0] and rows[2][0] == rows[3][0] != rows[0][0]


def test_bounded_wait_fails_with_one_line_of_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_LOCK", "file")
    db = tmp_path / "w.duckdb"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with warehouse_lock(db, timeout=5):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(5)
        started = time.monotonic()
        with pytest.raises(WarehouseLocked) as info, warehouse_lock(db, timeout=0.5):
            pytest.fail("got the lock while another run held it")
        assert 0.4 < time.monotonic() - started < 5
        message = str(info.value)
        assert "\n" not in message and "NEWSFLOW_LOCK_TIMEOUT" in message and str(db) in message
    finally:
        release.set()
        thread.join(10)
    with file_lock(db, timeout=1):  # released after the holder left
        pass


def test_lock_names_are_per_file_and_valid(tmp_path: Path) -> None:
    a, b = lock_name(tmp_path / "News Flow.duckdb"), lock_name(tmp_path / "other.duckdb")
    assert a != b and a.startswith("newsflow-warehouse-news-flow-")
    assert lock_name(tmp_path / "x" / ".." / "other.duckdb") == b
    assert all(c.isalnum() or c == "-" for c in a)


def test_unknown_lock_mode_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_LOCK", "nfs")
    with (
        pytest.raises(WarehouseLocked, match="auto, file or prefect"),
        warehouse_lock(tmp_path / "w"),
    ):
        pass
