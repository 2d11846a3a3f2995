"""Opening the warehouse for writing: one short-lived connection per batch.

DuckDB lets one process hold a database file read-write and then refuses every
other process, readers included. The pipeline therefore opens the file only for
the length of a batch's work and closes it again, so analysts (and a queued
second run) get in between batches. A writer that finds the file busy waits a
bounded time, then fails with one line that says what to do.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.schema import LATEST, SchemaError, current_version, migrate

DEFAULT_DB = "data/newsflow.duckdb"

# One writer connection at a time inside this process: DuckDB refuses a second
# handle on the same file with a different configuration, and tasks may run in threads.
_PROCESS_LOCK = threading.RLock()
# Files already migrated by this process: migrations and views run once per process, not per batch.
_PREPARED: set[str] = set()


class WarehouseError(RuntimeError):
    """A warehouse problem the user can act on; its message is one line."""


class WarehouseLocked(WarehouseError):
    """Another process holds the file; retrying later will work."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "resource temporarily unavailable" in text


def check_writable(path: Path) -> None:
    """Fail early, before any work, if the warehouse could not be written."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"cannot create directory {parent} for warehouse {path}: {exc.strerror}; "
            "choose another --db path"
        ) from exc
    if path.exists() and not os.access(path, os.W_OK):
        raise WarehouseError(f"warehouse {path} is not writable; fix its permissions or use --db")
    if not path.exists() and not os.access(parent, os.W_OK):
        raise WarehouseError(f"directory {parent} is not writable; choose another --db path")
    if path.exists() and path.is_dir():
        raise WarehouseError(f"warehouse path {path} is a directory; give a file path to --db")


def open_connection(
    path: str | os.PathLike[str], *, read_only: bool = False, wait_seconds: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to `wait_seconds` while another process holds it."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `newsflow ingest` or `newsflow demo`")
    if not read_only:
        check_writable(path)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "not a valid duckdb" in str(exc).lower():
                raise WarehouseError(
                    f"{path} is not a DuckDB warehouse; pass a new path to --db"
                ) from exc
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"warehouse {path} is in use by another process; "
                    "wait for its run to finish or query a copy (newsflow export)"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        except duckdb.Error as exc:
            raise WarehouseError(
                f"{path} is not a DuckDB warehouse ({exc}); pass a new path to --db"
            ) from exc


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Migrate to the latest schema and (re)create the analyst views."""
    try:
        migrate(con)
    except SchemaError as exc:
        raise WarehouseError(str(exc)) from exc
    try:
        from warehouse.views import create_views
    except ImportError:  # views are optional for the pipeline itself
        return
    create_views(con)


@contextmanager
def writer(
    path: str | os.PathLike[str], *, wait_seconds: float = 60.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, closed (and the file released) on exit."""
    with _PROCESS_LOCK:
        con = open_connection(path, wait_seconds=wait_seconds)
        try:
            key = str(Path(path).resolve())
            if key not in _PREPARED or current_version(con) != LATEST:
                prepare(con)
                _PREPARED.add(key)
            yield con
        finally:
            con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All of a batch or none of it: a killed run leaves no torn batch behind."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
