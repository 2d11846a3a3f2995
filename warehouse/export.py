"""`newsflow export --parquet DIR`: the warehouse as Hive-partitioned Parquet.

Other engines (Spark, Polars, pandas, Trino, another DuckDB) read Parquet without
knowing DuckDB's file format or its one-writer lock, so this is the hand-off format
and the way to analyse while a run is loading. Article-level tables are partitioned
by publication date (`published_date=YYYY-MM-DD/`), so a date-range query reads only
those days; articles whose page gave no date go under the day newsflow first saw
them, marked day_from = 'first_seen'. Everything is read through one read-only
connection, i.e. from one committed snapshot, so the tables agree with each other.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from warehouse.query import connect_readonly
from warehouse.schema import current_version
from warehouse.store import WarehouseError

MANIFEST = "_newsflow_export.json"
_DAY = "CAST(timezone('UTC', coalesce(a.published_at, a.first_seen_at)) AS DATE)"

# name -> SELECT producing it; article-level ones carry published_date for partitioning.
PARTITIONED: dict[str, str] = {
    "articles": f"""
        SELECT a.*, CASE WHEN a.published_at IS NULL THEN 'first_seen' ELSE 'published' END
               AS day_from, {_DAY} AS published_date
        FROM articles a""",
    "article_entities": f"""
        SELECT e.*, {_DAY} AS published_date FROM article_entities e JOIN articles a
        USING (article_id)""",
    "article_topics": f"""
        SELECT t.*, {_DAY} AS published_date FROM article_topics t JOIN articles a
        USING (article_id)""",
    "article_keywords": f"""
        SELECT k.*, {_DAY} AS published_date FROM article_keywords k JOIN articles a
        USING (article_id)""",
}
# Small or run-level tables: one file each. Dedup/cleaning internals are not exported.
PLAIN = ("runs", "duplicates", "stories", "entities", "fetch_log")


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _prepare_dir(out: Path) -> None:
    """Refuse to write into a directory holding anything but a previous export."""
    if out.exists() and not out.is_dir():
        raise WarehouseError(f"{out} is a file; give a directory to --parquet")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise WarehouseError(
            f"{out} is not empty and holds no earlier newsflow export; give a new or empty "
            "directory"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create {out}: {exc.strerror or exc}") from exc
    for name in (*PARTITIONED, *PLAIN):  # replace the previous export's tables only
        old = out / name
        if old.is_dir():
            shutil.rmtree(old)
        elif (out / f"{name}.parquet").exists():
            (out / f"{name}.parquet").unlink()


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
            [table],
        ).fetchall()[0][0]
    )


def export_parquet(path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Write every analyst table as Parquet under `out_dir`; returns what was written."""
    out = Path(out_dir)
    _prepare_dir(out)
    con = connect_readonly(path)
    tables: dict[str, int] = {}
    try:
        version = current_version(con)
        for name, select in PARTITIONED.items():
            if not _has(con, name):
                continue
            count = con.execute(f"SELECT count(*) FROM ({select})").fetchall()[0][0]
            tables[name] = int(count)
            if count:
                con.execute(
                    f"COPY ({select}) TO {_sql_path(out / name)} "
                    "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (published_date))"
                )
        for name in PLAIN:
            if not _has(con, name):
                continue
            tables[name] = int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
            con.execute(
                f"COPY {name} TO {_sql_path(out / f'{name}.parquet')} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
    except duckdb.Error as exc:
        raise WarehouseError(f"export failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    partitions = sorted(
        {p.name for name in PARTITIONED for p in (out / name).glob("published_date=*")}
    )
    result: dict[str, Any] = {
        "dir": str(out),
        "schema_version": version,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": tables,
        "partitioned_by": "published_date",
        "partitions": len(partitions),
        "files": sum(1 for _ in out.rglob("*.parquet")),
    }
    (out / MANIFEST).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result
