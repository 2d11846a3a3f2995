"""Parquet export: Hive partitions by publication date, readable by other engines."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from tests.test_warehouse_fixtures import build_ready
from warehouse.export import MANIFEST, export_parquet
from warehouse.query import WarehouseError


def test_export_is_hive_partitioned_and_complete(tmp_path: Path) -> None:
    db = build_ready(tmp_path / "w.duckdb")
    out = tmp_path / "export"
    result = export_parquet(db, out)
    assert result["tables"]["articles"] == 30 and result["partitions"] == 5
    assert json.loads((out / MANIFEST).read_text())["tables"] == result["tables"]
    days = sorted(p.name for p in (out / "articles").iterdir())
    assert days == [f"published_date=2024-03-0{d}" for d in range(1, 6)]

    # pyarrow, i.e. a reader that knows nothing of DuckDB
    articles = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    assert articles.num_rows == 30
    undated = [r for r in articles.to_pylist() if r["published_at"] is None]
    assert len(undated) == 1 and undated[0]["day_from"] == "first_seen"

    con = duckdb.connect()
    glob = str(out / "article_entities" / "**" / "*.parquet")
    per_day = con.execute(
        f"SELECT count(DISTINCT published_date) FROM read_parquet('{glob}', hive_partitioning=1)"
    ).fetchall()
    assert per_day == [(5,)]
    fetches = con.execute(f"SELECT count(*) FROM '{out / 'fetch_log.parquet'}'").fetchall()
    assert fetches == [(60,)]
    con.close()

    again = export_parquet(db, out)  # re-export into its own directory replaces it
    assert again["files"] == result["files"]


def test_export_refuses_a_foreign_directory(tmp_path: Path) -> None:
    db = build_ready(tmp_path / "w.duckdb")
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(WarehouseError, match="not empty"):
        export_parquet(db, precious)
    assert (precious / "notes.txt").read_text() == "keep me"
