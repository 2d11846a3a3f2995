"""Connecting to a DuckLake, and what differs when the warehouse is one.

The ducklake, sqlite_scanner and postgres_scanner extensions come from their pinned
wheels (duckdb-extension-*==1.5.5) and are LOADed from the wheel's file, as the fts
extension is (warehouse/search.py): nothing is downloaded, no ~/.duckdb is needed.

What a lake cannot do, and what newsflow does instead:
- no PRIMARY KEY (DuckLake has no indexes or key constraints): migrations create the
  tables without them (`ddl`), and every upsert is a MERGE (`upsert`) keyed on the
  same columns, so a batch loaded twice still leaves one row per key;
- no DEFAULT other than a literal: `schema_version.applied_at` is given explicitly;
- no macros, so the fts index cannot live in the lake: `newsflow search` indexes the
  current snapshot in memory (warehouse/search.py).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from warehouse.location import Location

# The extension wheels, by the name DuckDB knows each extension under.
_WHEELS = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
}
_CATALOG_EXTENSION = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}


class LakeSetupError(RuntimeError):
    """An extension wheel is missing or does not match DuckDB."""


def extension_file(name: str) -> Path:
    """The extension binary shipped in its wheel for this DuckDB version."""
    module = _WHEELS[name]
    try:
        package = importlib.import_module(module)
    except ImportError as exc:
        wheel = module.replace("_", "-")
        raise LakeSetupError(
            f"a DuckLake warehouse needs {wheel} (pip install {wheel}=={duckdb.__version__})"
        ) from exc
    base = Path(package.__file__ or ".").parent / "extensions"
    exact = base / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(base.glob(f"*/{name}.duckdb_extension"))
    if not found:
        raise LakeSetupError(f"no {name}.duckdb_extension under {base}; reinstall {module}")
    return found[-1]


def load_extensions(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    for name in (_CATALOG_EXTENSION[catalog], "ducklake"):
        path = str(extension_file(name)).replace("'", "''")
        con.execute(f"LOAD '{path}'")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(
    loc: Location,
    *,
    read_only: bool,
    snapshot: int | None = None,
    config: dict[str, Any] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached under `loc.name` and selected by USE."""
    assert loc.catalog is not None and loc.data_path is not None
    con = duckdb.connect(
        ":memory:", config={"autoinstall_known_extensions": False, **(config or {})}
    )
    try:
        load_extensions(con, loc.catalog)
        options = [f"DATA_PATH {_quote(str(loc.data_path) + '/')}"]
        if read_only:
            options.append("READ_ONLY")
        else:
            loc.data_path.mkdir(parents=True, exist_ok=True)
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        name = loc.name.replace('"', '""')
        con.execute(f'ATTACH {_quote(loc.attach_target())} AS "{name}" ({", ".join(options)})')
        con.execute(f'USE "{name}"')
    except BaseException:
        con.close()
        raise
    return con


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's current catalog is a DuckLake."""
    rows = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return bool(rows) and rows[0][0] == "ducklake"


_KEY_COLUMN = re.compile(r"\s+PRIMARY KEY\b", re.IGNORECASE)
_KEY_CLAUSE = re.compile(r",\s*PRIMARY KEY\s*\([^)]*\)", re.IGNORECASE)
_CALL_DEFAULT = re.compile(r"\s+DEFAULT\s+\w+\(\)", re.IGNORECASE)


def ddl(con: duckdb.DuckDBPyConnection, statement: str) -> str:
    """`statement` as the warehouse can run it: on a lake, without key constraints
    and call defaults (the lake has neither; uniqueness is the upserts' job)."""
    if not is_lake(con):
        return statement
    statement = _KEY_CLAUSE.sub("", statement)
    statement = _KEY_COLUMN.sub("", statement)
    return _CALL_DEFAULT.sub("", statement)


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    source: str,
    key: Sequence[str],
    updates: str | None,
    params: Sequence[Any] | None = None,
) -> None:
    """Insert the rows of `source` (a SELECT giving `columns`); rows whose `key` is
    already there get `updates` instead (SET assignments over `excluded.`, the new
    row, and `table.`, the stored one), or nothing when `updates` is None.

    A DuckDB file does it with ON CONFLICT over the key's index; a lake has no index,
    so there it is a MERGE on the same key, with the same meaning.
    """
    names = ", ".join(columns)
    if not is_lake(con):
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        con.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM ({source}) "
            f"ON CONFLICT ({', '.join(key)}) {action}",
            list(params or []),
        )
        return
    match = " AND ".join(f"{table}.{k} = excluded.{k}" for k in key)
    values = ", ".join(f"excluded.{c}" for c in columns)
    matched = f"WHEN MATCHED THEN UPDATE SET {updates} " if updates else ""
    con.execute(
        f"MERGE INTO {table} USING ({source}) AS excluded ON {match} {matched}"
        f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({values})",
        list(params or []),
    )


def snapshot_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> int | None:
    """The snapshot a run's last commit made (its `finish_run`), or None."""
    rows = con.execute(
        f"SELECT max(snapshot_id) FROM {_catalog(con)}.snapshots() WHERE commit_message = ?",
        [run_message(run_id)],
    ).fetchall()
    return None if not rows or rows[0][0] is None else int(rows[0][0])


def run_message(run_id: str) -> str:
    return f"newsflow run {run_id} finished"


def mark_commit(con: duckdb.DuckDBPyConnection, message: str) -> None:
    """Name the snapshot the open transaction will commit (for time travel by run)."""
    con.execute(f"CALL {_catalog(con)}.set_commit_message('newsflow', ?)", [message])


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchall()[0][0]
    return '"' + str(name).replace('"', '""') + '"'
