"""Reading the warehouse: read-only connections and `newsflow query`.

Runs never hold the file readers open (warehouse/store.py publishes a copy after
batches), so a reader gets in at once and sees whole batches only: never half of
one, because a batch is a single transaction. A lake is read at its latest snapshot,
or, with `--as-of RUN_ID`, at the one a run left. Only another program holding the
file read-write keeps a reader out: after `wait_seconds` it gets one line naming the
file and the holder's pid instead of a DuckDB stack trace.

`newsflow query` runs SQL written by whoever types it, so its connection is shut in
on the warehouse (`sandbox`): no other file, no network, no extension install or
auto-load, a memory limit without spilling to disk, and a time limit; the
configuration is then locked so the SQL cannot undo any of it.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.lake import is_lake, snapshot_of_run
from warehouse.store import (
    WarehouseError,
    WarehouseLocked,
    connect_readonly,
    corrupt_error,
    corrupt_message,
    location,
)

__all__ = [
    "WarehouseError",
    "WarehouseLocked",
    "connect_readonly",
    "connect_sandboxed",
    "fetch_table",
    "run_query",
]

Format = Literal["table", "line", "csv", "json", "parquet"]
TABLE_MAX_ROWS = 1000  # the table format is for eyes; csv/json/parquet give everything
TABLE_MAX_CELL = 60

# Bounds on one `newsflow query`/`search` statement: a cross join or a runaway recursive
# CTE stops with one line instead of taking the machine. Both can be raised per call (the
# CLI passes $NEWSFLOW_QUERY_SECONDS and $NEWSFLOW_QUERY_MEMORY: flows/settings.py).
QUERY_SECONDS = 120.0
QUERY_MEMORY = "2GB"


def sandbox(
    con: duckdb.DuckDBPyConnection, memory: str | None = None, *, data_dir: str | None = None
) -> None:
    """Let `con` reach nothing but the database it has open, for good.

    Extensions the caller needs (search's fts) must be loaded before: afterwards no file
    is read, so not even a signed extension binary. `lock_configuration` comes last and
    makes every later SET fail, so the SQL cannot switch any of this back on. A lake's
    tables are Parquet files in `data_dir`: that one directory stays readable.
    """
    folder = (data_dir or "").rstrip("/").replace("'", "''")
    allowed = [f"SET allowed_directories = ['{folder}/']"] if data_dir else []
    settings = [
        *allowed,
        "SET autoinstall_known_extensions = false",
        "SET autoload_known_extensions = false",
        "SET allow_community_extensions = false",
        f"SET memory_limit = '{memory or QUERY_MEMORY}'",
        "SET max_temp_directory_size = '0B'",
        "SET enable_external_access = false",
        "SET lock_configuration = true",
    ]
    try:
        for statement in settings:
            con.execute(statement)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot restrict the query connection: {_first_line(exc)}") from exc


def connect_sandboxed(
    path: str | os.PathLike[str],
    wait_seconds: float = 5.0,
    memory: str | None = None,
    *,
    as_of: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can read the warehouse and nothing else (see `sandbox`);
    with `as_of` (a run id), the lake as that run left it."""
    snapshot = run_snapshot(path, as_of) if as_of else None
    con = connect_readonly(path, wait_seconds, snapshot=snapshot)
    loc = location(path)
    try:
        sandbox(con, memory, data_dir=str(loc.data_path.resolve()) if loc.data_path else None)
    except BaseException:
        con.close()
        raise
    return con


def run_snapshot(path: str | os.PathLike[str], run_id: str) -> int:
    """The lake snapshot run `run_id` committed last (`newsflow query --as-of RUN_ID`)."""
    con = connect_readonly(path)
    try:
        if not is_lake(con):
            raise WarehouseError(
                f"--as-of needs a DuckLake warehouse (--db ducklake:sqlite:PATH); {path} is a "
                "DuckDB file, which keeps no snapshots"
            )
        snapshot = snapshot_of_run(con, run_id.strip())
    finally:
        con.close()
    if snapshot is None:
        raise WarehouseError(
            f"no finished run {run_id!r} in {path}; see SELECT run_id, status FROM runs"
        )
    return snapshot


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def fetch_table(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: list[Any] | None = None,
    *,
    seconds: float | None = None,
) -> pa.Table:
    """Run SQL and return every row as Arrow; errors become one-line WarehouseErrors.

    With `seconds`, a timer interrupts the statement when it runs longer.
    """
    if not sql.strip().strip(";").strip():
        raise WarehouseError("no SQL given; e.g. newsflow query 'SELECT count(*) FROM articles'")
    timer = threading.Timer(seconds, con.interrupt) if seconds else None
    try:
        if timer is not None:
            timer.daemon = True
            timer.start()
        result = con.execute(sql, params or [])
        if result.description is None:  # a statement with no result set (SET, PRAGMA ...)
            return pa.table({})
        return result.fetch_arrow_table()
    except duckdb.InterruptException as exc:
        raise WarehouseError(
            f"query stopped after the {seconds:g} s limit; narrow it (WHERE, LIMIT) or raise "
            "NEWSFLOW_QUERY_SECONDS"
        ) from exc
    except duckdb.OutOfMemoryException as exc:
        raise WarehouseError(
            f"query stopped at the memory limit ({_first_line(exc)}); narrow it or raise "
            "NEWSFLOW_QUERY_MEMORY"
        ) from exc
    except duckdb.Error as exc:
        if corrupt_error(exc):
            raise WarehouseError(corrupt_message(None, exc)) from exc
        if isinstance(exc, duckdb.PermissionException):
            raise WarehouseError(
                f"query failed: {_first_line(exc)} (newsflow query reads the warehouse only: "
                "no other files, no network; use newsflow export for files)"
            ) from exc
        message = _first_line(exc)
        if "read-only" in message.lower() or "read only" in message.lower():
            message += " (newsflow query opens the warehouse read-only)"
        raise WarehouseError(f"query failed: {message}") from exc
    finally:
        if timer is not None:
            timer.cancel()


def _plain(value: Any) -> Any:
    """A JSON-safe version of one Arrow value (dates as ISO 8601, bytes as base64)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    plain = _plain(value)
    if isinstance(plain, list | dict):
        return json.dumps(plain, ensure_ascii=False)
    return str(plain)


def to_csv(table: pa.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([_cell(v) for v in row.values()])
    return buf.getvalue()


def to_json(table: pa.Table) -> str:
    """A JSON array, one object per line: valid JSON that also diffs and greps well."""
    rows = [json.dumps(_plain(r), ensure_ascii=False) for r in table.to_pylist()]
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(rows) + "\n]\n"


def to_text_table(table: pa.Table, width: int | None = None) -> str:
    """A table when every column gets a readable width, else the line format."""
    from rich.console import Console
    from rich.table import Table

    from warehouse.lines import clip, fits, footer, to_lines

    width = width or max(shutil.get_terminal_size((120, 24)).columns, 80)
    if not fits(table, width, _cell, TABLE_MAX_CELL):
        return to_lines(table, _cell, TABLE_MAX_ROWS)

    out = Table(show_edge=False, header_style="bold")
    for name in table.column_names:
        out.add_column(name, overflow="ellipsis", no_wrap=True, max_width=TABLE_MAX_CELL)
    shown = table.slice(0, TABLE_MAX_ROWS)
    for row in shown.to_pylist():
        out.add_row(*(clip(_cell(v), TABLE_MAX_CELL) for v in row.values()))
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        color_system=None,
        soft_wrap=False,
    )
    console.print(out)
    return buf.getvalue() + footer(table, shown.num_rows) + "\n"


def render(table: pa.Table, fmt: Format) -> str:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "json":
        return to_json(table)
    if fmt == "table":
        return to_text_table(table)
    if fmt == "line":
        from warehouse.lines import to_lines

        return to_lines(table, _cell, TABLE_MAX_ROWS)
    raise WarehouseError(f"format {fmt} cannot be printed; give --out FILE")


def run_query(
    path: str | os.PathLike[str],
    sql: str,
    fmt: Format = "table",
    out: str | None = None,
    *,
    as_of: str | None = None,
    seconds: float | None = None,
    memory: str | None = None,
) -> str:
    """Run `sql` read-only; return the rendered text, or a one-line note when written to `out`.

    With `as_of` (a run id) a lake is read as that run left it (time travel). `seconds`
    and `memory` bound the statement (None: QUERY_SECONDS, QUERY_MEMORY).
    """
    if fmt not in ("table", "line", "csv", "json", "parquet"):
        raise WarehouseError(f"unknown format {fmt!r}; use table, line, csv, json or parquet")
    if fmt == "parquet" and not out:
        raise WarehouseError("parquet output needs --out FILE.parquet")
    con = connect_sandboxed(path, memory=memory, as_of=as_of)
    try:
        table = fetch_table(con, sql, seconds=seconds or QUERY_SECONDS)
    finally:
        con.close()
    if out is None:
        return render(table, fmt)
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            pq.write_table(table, target)
        else:
            target.write_text(render(table, fmt), encoding="utf-8")
    except OSError as exc:
        raise WarehouseError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return f"wrote {table.num_rows} rows to {target}"
