"""Bad input at the command line: one clear line, a non-zero exit, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main

NEWSFLOW = [sys.executable, "-m", "flows.cli"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`newsflow ARGS` in a process of its own, run from `cwd`."""
    return subprocess.run(
        NEWSFLOW + args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_unknown_flag_is_one_line(tmp_path: Path) -> None:
    result = _run(["ingest", "--feeed", "http://x.example/rss"], tmp_path)
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert "--feeed" in line and "--help" in line


def test_nothing_to_ingest(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["ingest", "--db", str(tmp_path / "w.duckdb")]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "nothing to ingest" in line
    assert not (tmp_path / "w.duckdb").exists()


def test_malformed_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["ingest", "--feed", "not a url", "--db", str(tmp_path / "w.duckdb")]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "not a url" in line and "http" in line
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("sources: [\n  - feed: http://a.example/rss\n", "not valid"),
        ("sources:\n  - podcast: http://a.example/x\n", "needs exactly one of"),
        ("colour: blue\n", "unknown key 'colour'"),
        ("fetch:\n  per_host_dely: 2\n", "unknown key 'per_host_dely'"),
        ("batch_size: -3\n", "batch_size"),
    ],
)
def test_bad_config(
    content: str, expected: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(content)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "--config", str(config), "--db", str(db)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert expected in line
    assert not db.exists()


def test_unreadable_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["ingest", "--config", str(tmp_path / "missing.yaml")]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "cannot read config" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere: permissions untestable")
def test_unwritable_warehouse_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    pages = tmp_path / "pages"
    pages.mkdir()
    assert main(["ingest", "--dir", str(pages), "--db", str(locked / "w.duckdb")]) == 1
    assert "not writable" in _one_line(capsys.readouterr().err)


def test_warehouse_path_is_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from warehouse.store import WarehouseError, open_connection

    with pytest.raises(WarehouseError, match="is a directory"):
        open_connection(tmp_path)


def test_not_a_warehouse_file(tmp_path: Path) -> None:
    from warehouse.store import WarehouseError, open_connection

    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(WarehouseError, match="not a DuckDB warehouse"):
        open_connection(bogus)
    assert bogus.read_text().startswith("these are my notes")


def test_locked_warehouse_is_one_line(tmp_path: Path) -> None:
    """A second process finding the file held gets a clear message after its wait."""
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "c.execute('create table t(x int)'); print('ready', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        from warehouse.store import WarehouseLocked, open_connection

        with pytest.raises(WarehouseLocked, match="in use by another process"):
            open_connection(db, wait_seconds=0.5)
    finally:
        holder.kill()
        holder.wait()


def test_warehouse_parent_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Works as root too: nobody can create a directory where a file stands."""
    blocker = tmp_path / "data"
    blocker.write_text("a file, not a directory")
    pages = tmp_path / "pages"
    pages.mkdir()
    assert main(["ingest", "--dir", str(pages), "--db", str(blocker / "w.duckdb")]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "cannot create directory" in line and "--db" in line
