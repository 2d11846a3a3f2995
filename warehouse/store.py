"""Opening the warehouse for writing, and letting readers in between batches.

DuckDB lets one process hold a database file read-write and then refuses every
other process, readers included. Outside a run, every `writer()` opens the file
for its work and closes it again. During a run the flow holds one connection
(`held`): closing it checkpoints the file, which costs 0.2-0.3 s per batch at
10,000 articles and grows with the tables' indexes, and each open re-reads the
catalog. A reader that finds the file busy asks for it (`request_read`); the run
sees the request after its next committed batch (`yield_to_readers`), closes the
file, and waits until the reader is in, so readers still get whole batches only.
A writer that finds the file busy waits a bounded time, then fails with one line
that says what to do.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse.schema import LATEST, SchemaError, current_version, migrate, refuse_newer
from warehouse.views import create_views

DEFAULT_DB = "data/newsflow.duckdb"

T = TypeVar("T")
_log = logging.getLogger("newsflow.warehouse")

# One writer connection at a time inside this process: DuckDB refuses a second
# handle on a file it has open ("unique file handle conflict"), and tasks may run in threads.
_PROCESS_LOCK = threading.RLock()
# Files already migrated by this process: migrations and views run once per process, not per batch.
_PREPARED: set[str] = set()
# Memory limits `raise_memory_limit` set, by file: a writer reopened later (after
# yielding to readers) starts there instead of running out twice again.
_RAISED: dict[str, str] = {}
# Files this process keeps open across writers (see `held`): path -> connection or None.
_HELD: dict[str, duckdb.DuckDBPyConnection | None] = {}
# The memory limit a held file is (re)opened with, when its holder gave one.
_HELD_MEMORY: dict[str, str] = {}

# DuckDB's memory for a writing connection (its cache and its queries' working memory,
# which spills to `<db>.tmp/` beyond it). DuckDB's default is 80% of RAM, and a run keeps
# its connection open while the file grows, so without a bound the cache grows with the
# corpus: rebuilding the search index of 100,000 articles peaked at 960 MB RSS unbounded,
# 480 MB at 256 MB, in the same 12 s (measured here). 128 MB leaves room: since schema 3
# the memory DuckDB cannot evict is small (at 30,000 pages `duckdb_memory()` showed
# 7 MB of key indexes and ~50 MB of appended, not yet checkpointed rows), and a 15,000-page
# run went as fast as at 256 MB. The flows pass `NEWSFLOW_DUCKDB_MEMORY` instead when it
# is set (flows/settings.py).
WRITER_MEMORY = "128MB"

# Rows per row group in files this process writes (DuckDB's default is 122,880). DuckDB
# rewrites a row group in full at a checkpoint once rows were appended to it, so with the
# default every automatic checkpoint (each ~16 MB of WAL: ~2,000 pages) rewrote all of
# `articles` until it passed 122,880 rows: at 100,000 articles 1.45 s and +200 MB of RSS,
# growing with the table. At 8,192 rows only the last, partly filled group is rewritten:
# 0.06-0.14 s whatever the size (measured with 200-row appends, a checkpoint every 10).
# DuckDB does not store this in the file, so every writer attaches with it.
ROW_GROUP_SIZE = 8_192

# A waiting reader refreshes its request file at least this often ...
REQUEST_REFRESH_SECONDS = 0.1
# ... so a request older than this belongs to a reader that got in or gave up.
REQUEST_FRESH_SECONDS = 1.0
# Longest a run pauses, file closed, for waiting readers to connect.
YIELD_MAX_SECONDS = 5.0


class WarehouseError(RuntimeError):
    """A warehouse problem the user can act on; its message is one line."""


class WarehouseLocked(WarehouseError):
    """Another process holds the file; retrying later will work."""


_PID = re.compile(r"\(PID (\d+)\)", re.IGNORECASE)


def _is_lock_error(exc: Exception) -> bool:
    # whole phrases only: DuckDB's checksum error says "...in block at location...",
    # and a corrupt file must not be waited on as if another process held it
    text = str(exc).lower()
    if corrupt_error(exc):
        return False
    return (
        "could not set lock" in text
        or "conflicting lock" in text
        or "resource temporarily unavailable" in text
    )


_CORRUPTION = ("corrupt database", "does not match stored checksum", "checksum mismatch")


def corrupt_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(phrase in text for phrase in _CORRUPTION)


def corrupt_message(path: str | os.PathLike[str] | None, exc: BaseException) -> str:
    """One line: the file is damaged, and the ways back."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    archive = Path(path).parent / "archive" if path else "DIR/archive"
    return (
        f"warehouse {path or 'file'} is corrupt ({first}); restore it from a backup, or move "
        f"it aside and rebuild it without the network: newsflow reprocess --db NEW.duckdb "
        f"--archive {archive} (the raw pages archived beside it), or ingest again"
    )


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


def check_warehouse(path: Path) -> None:
    """Before a run starts: an existing file must be a DuckDB warehouse this newsflow can
    write (not corrupt, not from a newer newsflow), so the user gets one line instead of
    a failed flow run. A file held by a running ingest is left for the run to wait on."""
    if not path.exists() or path.is_dir():
        return
    try:
        connect_readonly(path, wait_seconds=0).close()
    except WarehouseLocked:
        return


def connect_readonly(
    path: str | os.PathLike[str], wait_seconds: float = 5.0
) -> duckdb.DuckDBPyConnection:
    """A read-only connection, retrying while a writer holds the file (between its batches).

    Every reader opens the file here (query, search, report, export, the run summary, and
    the check before a run), so each gets the same one-line errors: missing, a directory,
    not DuckDB, corrupt, from a newer newsflow; WarehouseLocked after `wait_seconds`.
    """
    path = Path(path)
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `newsflow ingest` or `newsflow demo`")
    if path.is_dir():
        raise WarehouseError(f"warehouse path {path} is a directory; give the .duckdb file")
    deadline = time.monotonic() + wait_seconds
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(path), read_only=True)
            withdraw_request(path)
            break
        except duckdb.IOException as exc:
            if corrupt_error(exc) or not _is_lock_error(exc):
                withdraw_request(path)
                raise WarehouseError(_open_error(path, exc)) from exc
            if time.monotonic() >= deadline:
                withdraw_request(path)
                match = _PID.search(str(exc))
                pid = f"pid {match.group(1)}" if match else "pid unknown"
                raise WarehouseLocked(
                    f"warehouse {path} is being written by another process ({pid}); "
                    "retry in a moment or query a copy/export (newsflow export --parquet DIR)"
                ) from exc
            request_read(path)  # a run holding the file lets us in after its batch
            time.sleep(delay)
            delay = min(delay * 2, REQUEST_REFRESH_SECONDS)
        except duckdb.Error as exc:
            raise WarehouseError(_open_error(path, exc)) from exc
    try:
        refuse_newer(current_version(con), path)
    except SchemaError as exc:
        con.close()
        raise WarehouseError(str(exc)) from exc
    except duckdb.Error as exc:
        if corrupt_error(exc):
            con.close()
            raise WarehouseError(corrupt_message(path, exc)) from exc
        # not a newsflow warehouse at all: queries say what is missing
    return con


def _open_error(path: Path, exc: BaseException) -> str:
    """One line for a file DuckDB would not open (other than held by a writer)."""
    if corrupt_error(exc):
        return corrupt_message(path, exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, duckdb.IOException) and "not a valid duckdb" not in first.lower():
        return f"cannot open warehouse {path}: {first}"
    return f"{path} is not a DuckDB warehouse ({first}); pass another path to --db"


def open_connection(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    wait_seconds: float = 60.0,
    memory: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to `wait_seconds` while another process holds it.

    `memory` is a writer's DuckDB memory limit (None: WRITER_MEMORY).
    """
    if read_only:
        return connect_readonly(path, wait_seconds)
    path = Path(path)
    check_writable(path)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            con = _connect_writer(path, memory)
            withdraw_request(path)
            return con
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(_open_error(path, exc)) from exc
            if time.monotonic() >= deadline:
                withdraw_request(path)
                raise WarehouseLocked(
                    f"warehouse {path} is in use by another process; "
                    "wait for its run to finish or query a copy (newsflow export)"
                ) from exc
            request_read(path)
            time.sleep(delay)
            delay = min(delay * 2, REQUEST_REFRESH_SECONDS)
        except duckdb.Error as exc:
            raise WarehouseError(_open_error(path, exc)) from exc


def _connect_writer(path: Path, memory: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection whose default catalog is the file, with ROW_GROUP_SIZE.

    The size is an ATTACH option only, so the file is attached to an in-memory database
    under the name a plain `duckdb.connect` would give it (its stem).
    """
    # Spill files go beside the warehouse, as with a plain connection (an in-memory
    # database's default is `.tmp` in the working directory).
    memory = _RAISED.get(_key(path)) or memory or WRITER_MEMORY
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory,
        "temp_directory": f"{path}.tmp",
    }
    con = duckdb.connect(":memory:", config=config)
    try:
        name = path.stem if path.stem.lower() not in ("memory", "system", "temp") else "warehouse"
        quoted_path = str(path).replace("'", "''")
        quoted_name = name.replace('"', '""')
        con.execute(
            f"ATTACH '{quoted_path}' AS \"{quoted_name}\" (ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
        )
        con.execute(f'USE "{quoted_name}"')
    except BaseException:
        con.close()
        raise
    return con


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Migrate to the latest schema and (re)create the analyst views."""
    try:
        migrate(con)
    except SchemaError as exc:
        raise WarehouseError(str(exc)) from exc
    create_views(con)


def _key(path: str | os.PathLike[str]) -> str:
    return str(Path(path).resolve())


def _open_prepared(
    path: str | os.PathLike[str], wait_seconds: float, memory: str | None = None
) -> duckdb.DuckDBPyConnection:
    con = open_connection(path, wait_seconds=wait_seconds, memory=memory)
    try:
        key = _key(path)
        if key not in _PREPARED or current_version(con) != LATEST:
            prepare(con)
            _PREPARED.add(key)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def writer(
    path: str | os.PathLike[str], *, wait_seconds: float = 60.0, memory: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, closed (and the file released) on exit,
    unless this process holds the file (`held`): then it stays open for the next one.

    `memory` is DuckDB's memory limit when the file is opened here (None: the holder's,
    else WRITER_MEMORY).
    """
    with _PROCESS_LOCK:
        key = _key(path)
        if key in _HELD:
            con = _HELD[key]
            if con is None:
                memory = memory or _HELD_MEMORY.get(key)
                con = _HELD[key] = _open_prepared(path, wait_seconds, memory)
            yield con
            return
        con = _open_prepared(path, wait_seconds, memory)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def held(path: str | os.PathLike[str], memory: str | None = None) -> Iterator[None]:
    """Keep the file open for every `writer()` of this process until the block ends.

    Only for work that stays in this process: another process of the same run
    (a process pool, Dask) could not open the file while it is held. `memory` is
    DuckDB's memory limit for it (None: WRITER_MEMORY).
    """
    key = _key(path)
    with _PROCESS_LOCK:
        _HELD[key] = None
        if memory:
            _HELD_MEMORY[key] = memory
    try:
        yield
    finally:
        with _PROCESS_LOCK:
            _HELD_MEMORY.pop(key, None)
            con = _HELD.pop(key, None)
            if con is not None:
                con.close()


def _requests_dir(path: str | os.PathLike[str]) -> Path:
    return Path(f"{Path(path).resolve()}.readers")


def request_read(path: str | os.PathLike[str]) -> None:
    """Tell a run holding the file that this process is waiting to read it."""
    folder = _requests_dir(path)
    with suppress(OSError):  # a read-only directory: the reader still gets in after the run
        folder.mkdir(exist_ok=True)
        (folder / str(os.getpid())).touch()


def withdraw_request(path: str | os.PathLike[str]) -> None:
    with suppress(OSError):
        (_requests_dir(path) / str(os.getpid())).unlink(missing_ok=True)


def readers_waiting(path: str | os.PathLike[str]) -> bool:
    """Whether another process asked for the file within REQUEST_FRESH_SECONDS."""
    folder = _requests_dir(path)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    now = time.time()
    for entry in entries:
        if entry.name == str(os.getpid()):
            continue
        try:
            if now - entry.stat().st_mtime <= REQUEST_FRESH_SECONDS:
                return True
        except OSError:
            continue
    return False


def yield_to_readers(path: str | os.PathLike[str]) -> bool:
    """Between batches: close a held file while other processes wait to read it.

    Waits (holding this process's writers back) until they are in or
    YIELD_MAX_SECONDS pass; the next `writer()` reopens the file, waiting in turn
    while a reader keeps it. Returns whether it yielded.
    """
    with _PROCESS_LOCK:
        key = _key(path)
        con = _HELD.get(key)
        if con is None or not readers_waiting(path):
            return False
        con.close()
        _HELD[key] = None
        deadline = time.monotonic() + YIELD_MAX_SECONDS
        while readers_waiting(path) and time.monotonic() < deadline:
            time.sleep(REQUEST_REFRESH_SECONDS / 2)
        return True


def read_with_room(con: duckdb.DuckDBPyConnection, query: Callable[[], T]) -> T:
    """Run a read; if DuckDB runs out of memory, checkpoint and run it once more.

    Rows appended since the last checkpoint stay in memory (~50 MB at 100,000 pages:
    a 256 KB block per column of every table appended to), and a read of the whole
    window of stories needs ~48 MB on top of the cache. A checkpoint writes those
    rows out, so the second try has the room; outside a transaction it is always safe.
    The 100k bench needed this 25 times in its last 64 batches, never twice in a row.
    Should the second try fail too, the corpus has outgrown the limit (key indexes
    and the stories read grow with it): the limit doubles for the rest of the run,
    up to `MEMORY_CEILING` of the machine, rather than the batch failing.
    """
    try:
        return query()
    except duckdb.OutOfMemoryException:
        _log.warning("DuckDB ran out of memory; checkpointing and trying once more")
        con.execute("CHECKPOINT")
    try:
        return query()
    except duckdb.OutOfMemoryException:
        raised = raise_memory_limit(con)
        if raised is None:
            raise
        _log.warning(
            "DuckDB ran out of memory again after a checkpoint; its limit is now %s for "
            "this run (set NEWSFLOW_DUCKDB_MEMORY to start there)",
            raised,
        )
        return query()


# Share of the machine's memory past which `raise_memory_limit` stops doubling.
MEMORY_CEILING = 0.5

# The units DuckDB prints a memory limit in ("122.0 MiB").
_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}


def raise_memory_limit(con: duckdb.DuckDBPyConnection) -> str | None:
    """Double the connection's memory limit (capped); the new limit, or None at the cap.

    The file's later writers in this process start at the new limit too.
    """
    value, path = con.execute(
        "SELECT current_setting('memory_limit'), path FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    ).fetchall()[0]
    number, _, unit = str(value).partition(" ")
    try:
        current = float(number) * _UNITS[unit]
    except (KeyError, ValueError):
        return None
    try:
        ceiling = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * MEMORY_CEILING
    except (OSError, ValueError):
        ceiling = 4 * 2**30
    target = min(current * 2, ceiling)
    if target < current * 1.05:  # at the cap (DuckDB prints the limit rounded)
        return None
    limit = f"{int(target // 2**20)}MiB"
    con.execute(f"SET memory_limit = '{limit}'")
    if path:
        _RAISED[_key(path)] = limit
    return limit


def write_with_room(
    con: duckdb.DuckDBPyConnection, write: Callable[[duckdb.DuckDBPyConnection], T]
) -> T:
    """`write` in one transaction; out of memory, roll back, checkpoint, and run it again.

    The same room as `read_with_room`, for a batch's load: its own rows come on top of
    those waiting for a checkpoint (the 100k bench ran out in load at batch 227 of 250).
    """

    def attempt() -> T:
        with transaction(con):  # rolled back before the checkpoint, if out of memory
            return write(con)

    return read_with_room(con, attempt)


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
