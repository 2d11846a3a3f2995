"""`newsflow query` reaches the warehouse and nothing else, and a runaway query stops.

Each attack below worked before the query connection was sandboxed (issue 22, point 1):
a read-only DuckDB connection still reads and writes any file and installs extensions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_warehouse_fixtures import build_ready
from warehouse.export import export_parquet
from warehouse.query import WarehouseError, run_query
from warehouse.report import render_report
from warehouse.search import search


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ready(tmp_path_factory.mktemp("sandbox") / "w.duckdb")


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("the-secret-value\n")
    return path


def test_copy_to_a_file_is_refused(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    with pytest.raises(WarehouseError, match="warehouse only"):
        run_query(db, f"COPY (SELECT 1) TO '{target}'")
    assert not target.exists()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT content FROM read_text('{path}')",
        "SELECT * FROM read_csv('{path}')",
        "SELECT * FROM glob('{dir}/*')",
        "SELECT * FROM '{path}'",
    ],
)
def test_reading_other_files_is_refused(db: Path, secret: Path, template: str) -> None:
    sql = template.format(path=secret, dir=secret.parent)
    with pytest.raises(WarehouseError) as caught:
        run_query(db, sql, "csv")
    assert "the-secret-value" not in str(caught.value)


def test_attach_and_extensions_are_refused(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    with pytest.raises(WarehouseError):
        run_query(db, f"ATTACH '{other}' AS o")
    assert not other.exists()
    for sql in (
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_parquet('http://127.0.0.1:9/x')",
    ):
        with pytest.raises(WarehouseError):
            run_query(db, sql)


def test_the_sandbox_cannot_be_switched_off(db: Path, secret: Path) -> None:
    for sql in (
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "SET memory_limit = '100GB'",
        f"SET enable_external_access = true; SELECT * FROM read_text('{secret}')",
    ):
        with pytest.raises(WarehouseError):
            run_query(db, sql)


def test_a_runaway_query_stops_with_one_line(db: Path) -> None:
    with pytest.raises(WarehouseError, match="1 s limit") as caught:
        run_query(db, "SELECT count(*) FROM range(100000000) a, range(100000000) b", seconds=1)
    assert "\n" not in str(caught.value)
    # the connection is usable again: a later query in the same process runs normally
    assert "27" in run_query(db, "SELECT count(*) FROM v_articles", "csv")


def test_the_time_limit_comes_from_the_environment(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    monkeypatch.setenv("NEWSFLOW_QUERY_SECONDS", "1")
    sql = "SELECT count(*) FROM range(100000000) a, range(100000000) b"
    assert main(["query", sql, "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 s limit" in err[0] and "NEWSFLOW_QUERY_SECONDS" in err[0]


def test_a_bad_time_limit_is_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    monkeypatch.setenv("NEWSFLOW_QUERY_SECONDS", "nan")
    assert main(["query", "SELECT 1", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "NEWSFLOW_QUERY_SECONDS='nan'" in err[0]


def test_warehouse_reads_still_work(db: Path, tmp_path: Path) -> None:
    assert "27" in run_query(db, "SELECT count(*) FROM v_articles", "csv")
    assert "30" in run_query(db, "SELECT count(*) FROM articles", "json")
    note = run_query(db, "SELECT * FROM articles", "parquet", str(tmp_path / "a.parquet"))
    assert "30 rows" in note
    hits = search(db, "flood rescue")
    assert hits and all("Flood rescue" in h["title"] for h in hits)
    render_report(db, tmp_path / "r.html")
    assert (tmp_path / "r.html").stat().st_size > 1000
    result = export_parquet(db, tmp_path / "export")
    assert result["tables"]["articles"] == 30
    assert os.listdir(tmp_path / "export")
