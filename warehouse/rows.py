"""Row-level helpers every table module of the warehouse uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def has_tables(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> bool:
    """Whether every one of `names` is a table of `con` (a new warehouse has none)."""
    found = con.execute(
        "SELECT count(DISTINCT table_name) FROM duckdb_tables() "
        "WHERE table_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(names)],
    ).fetchall()[0][0]
    return found == len(names)


def rows_by_id(
    con: duckdb.DuckDBPyConnection, select: str, ids: Sequence[str], column: str = "article_id"
) -> list[tuple[Any, ...]]:
    """Rows of `select` (a SELECT ... FROM ... without WHERE) whose `column` is one of `ids`.

    The ids go in as a literal IN list, 500 at a time: DuckDB then reads the other
    columns only where an id matched, where a join with a registered table read them for
    every row (75 ms per batch for the stored signatures at 100k articles; texts worse).
    """
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        chunk = ", ".join("'" + i.replace("'", "''") + "'" for i in ids[start : start + 500])
        rows += con.execute(f"{select} WHERE {column} IN ({chunk})").fetchall()
    return rows
