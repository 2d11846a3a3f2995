"""Opening the warehouse for writing, and keeping it open to readers at every moment.

DuckDB lets one process hold a database file read-write and then refuses every
other process, readers included. So a run never writes the file readers open:
writers work on a private copy beside it (`.NAME.work`), and after every committed
batch the copy is checkpointed and published over the file with an atomic rename
(`publish`). A reader therefore always opens a whole, committed state, never waits,
and a reader that has the file open keeps its snapshot while the next one is
published. The working copy stays in step with the published file: if the file was
replaced or changed by someone else (a restored backup, a test, an analyst's own
write), the next writer starts again from it (`_freshen`); if it was removed, from
nothing.

A DuckLake location (warehouse/location.py) needs none of this: its catalog gives
readers snapshot isolation, so writers commit into it directly.

Inside a run the flow holds one writer connection (`held`): closing it checkpoints
the file, and each open re-reads the catalog. A writer that finds the working copy
busy (another process writes) waits a bounded time, then fails with one line that
says what to do.
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse import lake, publishing
from warehouse.location import Location, LocationError, parse
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
_HELD: dict[str, _Writer | None] = {}
# The memory limit a held warehouse is (re)opened with, when its holder gave one.
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

# How long a writer waits between tries while another process writes.
_RETRY_SECONDS = 0.1
# A lake catalog that another writer holds (SQLite's "database is locked") or a
# transaction that lost to a concurrent one: both are retried like a busy file.
_LAKE_BUSY = ("database is locked", "database is busy", "could not serialize")
# What DuckLake says when a read-only attach finds no lake in its catalog database.
_NO_LAKE = "creating a new ducklake is explicitly disabled"


class WarehouseError(RuntimeError):
    """A warehouse problem the user can act on; its message is one line."""


class WarehouseLocked(WarehouseError):
    """Another process holds the file; retrying later will work."""


class WarehouseMissing(WarehouseError):
    """Nothing was loaded there yet: no file, or a server catalog with no lake in it."""


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
        or any(phrase in text for phrase in _LAKE_BUSY)
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


def location(db: str | os.PathLike[str] | Location) -> Location:
    """`parse`, with its complaint as a WarehouseError (one line, exit 1 in the CLI)."""
    try:
        return parse(db)
    except LocationError as exc:
        raise WarehouseError(str(exc)) from exc


def warehouse_exists(db: str | os.PathLike[str] | Location) -> bool:
    """Whether there is a warehouse to read yet (nothing to read before the first run)."""
    return location(db).exists()


def check_writable(db: str | os.PathLike[str] | Location) -> None:
    """Fail early, before any work, if the warehouse could not be written."""
    loc = location(db)
    if loc.path is None:  # a server catalog: its data directory must be ours to fill
        assert loc.data_path is not None
        _check_dir(loc.data_path, loc)
        return
    path = loc.path
    parent = path.parent if str(path.parent) else Path(".")
    _check_dir(parent, loc)
    if path.exists() and not os.access(path, os.W_OK):
        raise WarehouseError(f"warehouse {path} is not writable; fix its permissions or use --db")
    if not path.exists() and not os.access(parent, os.W_OK):
        raise WarehouseError(f"directory {parent} is not writable; choose another --db path")
    if path.exists() and path.is_dir():
        raise WarehouseError(f"warehouse path {path} is a directory; give a file path to --db")


def _check_dir(folder: Path, loc: Location) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(
            f"cannot create directory {folder} for warehouse {loc}: {exc.strerror}; "
            "choose another --db path"
        ) from exc


def check_warehouse(db: str | os.PathLike[str] | Location) -> None:
    """Before a run starts: an existing warehouse must be one this newsflow can write
    (not corrupt, not from a newer newsflow), so the user gets one line instead of
    a failed flow run. A file held by another program is left for the run to wait on."""
    loc = location(db)
    if not loc.exists() or (loc.path is not None and loc.path.is_dir()):
        return
    try:
        connect_readonly(loc, wait_seconds=0).close()
    except (WarehouseLocked, WarehouseMissing):  # the run waits, or creates it
        return


def connect_readonly(
    path: str | os.PathLike[str] | Location,
    wait_seconds: float = 5.0,
    *,
    snapshot: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse (or a lake's current snapshot,
    or its snapshot `snapshot`).

    Every reader opens the warehouse here (query, search, report, export, the run
    summary, and the check before a run), so each gets the same one-line errors:
    missing, a directory, not DuckDB, corrupt, from a newer newsflow. newsflow's own
    runs never hold the published file; another program that opened it read-write
    does, and then WarehouseLocked comes after `wait_seconds`.
    """
    loc = location(path)
    if loc.is_lake:
        con = _open_lake(loc, read_only=True, wait_seconds=wait_seconds, snapshot=snapshot)
        where: object = loc
    else:
        if snapshot is not None:
            raise WarehouseError(
                f"warehouse {loc} is a DuckDB file, which keeps no snapshots; time travel "
                "needs a DuckLake (--db ducklake:sqlite:PATH)"
            )
        con = _open_file_readonly(loc, wait_seconds)
        where = loc.path
    try:
        refuse_newer(current_version(con), where)
    except SchemaError as exc:
        con.close()
        raise WarehouseError(str(exc)) from exc
    except duckdb.Error as exc:
        if corrupt_error(exc):
            con.close()
            raise WarehouseError(corrupt_message(str(where), exc)) from exc
        # not a newsflow warehouse at all: queries say what is missing
    return con


def _open_file_readonly(loc: Location, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    path = loc.path
    assert path is not None
    if not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}; run `newsflow ingest` or `newsflow demo`")
    if path.is_dir():
        raise WarehouseError(f"warehouse path {path} is a directory; give the .duckdb file")
    deadline = time.monotonic() + wait_seconds
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as exc:
            if corrupt_error(exc) or not _is_lock_error(exc):
                raise WarehouseError(_open_error(path, exc)) from exc
            if time.monotonic() >= deadline:
                match = _PID.search(str(exc))
                pid = f"pid {match.group(1)}" if match else "pid unknown"
                raise WarehouseLocked(
                    f"warehouse {path} is being written by another process ({pid}); "
                    "retry in a moment or query a copy/export (newsflow export --parquet DIR)"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, _RETRY_SECONDS)
        except duckdb.Error as exc:
            raise WarehouseError(_open_error(path, exc)) from exc


def _open_error(path: object, exc: BaseException) -> str:
    """One line for a warehouse DuckDB would not open (other than held by a writer)."""
    if corrupt_error(exc):
        return corrupt_message(str(path), exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, duckdb.IOException) and "not a valid duckdb" not in first.lower():
        return f"cannot open warehouse {path}: {first}"
    return f"{path} is not a DuckDB warehouse ({first}); pass another path to --db"


def _open_lake(
    loc: Location,
    *,
    read_only: bool,
    wait_seconds: float,
    snapshot: int | None = None,
    config: dict[str, str | bool | int | float | list[str]] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the lake, retried while its catalog is busy."""
    missing = f"no warehouse at {loc}; run `newsflow ingest` first"
    if read_only and not loc.exists():
        raise WarehouseMissing(missing)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return lake.connect(loc, read_only=read_only, snapshot=snapshot, config=config)
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise WarehouseLocked(
                        f"warehouse {loc} stayed busy for {wait_seconds:.0f} s; retry later"
                    ) from exc
                if read_only and _NO_LAKE in str(exc).lower():  # a server catalog, still empty
                    raise WarehouseMissing(missing) from exc
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise WarehouseError(f"cannot open warehouse {loc}: {first}") from exc
            time.sleep(_RETRY_SECONDS)


def open_connection(
    path: str | os.PathLike[str] | Location,
    *,
    read_only: bool = False,
    wait_seconds: float = 60.0,
    memory: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection to read, or to write a file directly (not through a working copy:
    for tools and tests; a writer started later takes the change up). newsflow's own
    writes go through `writer`, which publishes them. `memory` is a writer's DuckDB
    memory limit (None: WRITER_MEMORY)."""
    if read_only:
        return connect_readonly(path, wait_seconds)
    loc = location(path)
    if loc.is_lake:
        return _open_writer(loc, wait_seconds, memory).con
    assert loc.path is not None
    check_writable(loc)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return _connect_writer(loc.path, loc.name, memory)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(_open_error(loc.path, exc)) from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"warehouse {loc.path} is in use by another process; "
                    "wait for its run to finish or query a copy (newsflow export)"
                ) from exc
            time.sleep(_RETRY_SECONDS)
        except duckdb.Error as exc:
            raise WarehouseError(_open_error(loc.path, exc)) from exc


class _Writer:
    """A writing connection, and for a file the lock on its working copy."""

    def __init__(self, loc: Location, con: duckdb.DuckDBPyConnection, lock_fd: int | None):
        self.loc = loc
        self.con = con
        self.lock_fd = lock_fd

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            if self.lock_fd is not None:
                os.close(self.lock_fd)  # releases the flock
                self.lock_fd = None


def _open_writer(loc: Location, wait_seconds: float, memory: str | None = None) -> _Writer:
    if loc.is_lake:
        check_writable(loc)
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": _RAISED.get(loc.lock_key) or memory or WRITER_MEMORY
        }
        return _Writer(
            loc, _open_lake(loc, read_only=False, wait_seconds=wait_seconds, config=config), None
        )
    path = loc.path
    assert path is not None
    check_writable(loc)
    work = publishing.work_path(path)
    fd = _lock_work(path, work, wait_seconds)
    try:
        publishing.freshen(path, work)
        con = _connect_writer(work, loc.name, memory)
    except duckdb.Error as exc:
        os.close(fd)
        if _is_lock_error(exc):  # another program opened the working copy itself
            raise WarehouseLocked(
                f"warehouse {path} is in use by another process; "
                "wait for its run to finish or query it read-only"
            ) from exc
        raise WarehouseError(_open_error(path, exc)) from exc
    except BaseException:
        os.close(fd)
        raise
    return _Writer(loc, con, fd)


def _lock_work(path: Path, work: Path, wait_seconds: float) -> int:
    """Exclusive flock on the working copy's lock file: one writing process at a time."""
    fd = os.open(f"{work}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WarehouseLocked(
                    f"warehouse {path} is in use by another process; "
                    "wait for its run to finish or query it read-only"
                ) from None
            time.sleep(_RETRY_SECONDS / 2)


def _connect_writer(path: Path, name: str, memory: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection whose default catalog is the file, with ROW_GROUP_SIZE.

    The size is an ATTACH option only, so the file is attached to an in-memory database
    under `name` (the published file's stem, as a plain `duckdb.connect` would call it).
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
    if lake.is_lake(con):  # one snapshot for all of them, not one per statement (30 s)
        write_with_room(con, create_views)
    else:
        create_views(con)


def _key(path: str | os.PathLike[str] | Location) -> str:
    if isinstance(path, Location):
        return path.lock_key
    return str(Path(path).resolve())


def _open_prepared(loc: Location, wait_seconds: float, memory: str | None = None) -> _Writer:
    handle = _open_writer(loc, wait_seconds, memory)
    try:
        key = loc.lock_key
        if key not in _PREPARED or current_version(handle.con) != LATEST:
            prepare(handle.con)
            _PREPARED.add(key)
    except BaseException:
        handle.close()
        raise
    return handle


@contextmanager
def writer(
    path: str | os.PathLike[str] | Location,
    *,
    wait_seconds: float = 60.0,
    memory: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection. On exit a file is published and released,
    unless this process holds it (`held`): then it stays open for the next writer.

    `memory` is DuckDB's memory limit when the warehouse is opened here (None: the
    holder's, else WRITER_MEMORY).
    """
    loc = location(path)
    with _PROCESS_LOCK:
        key = loc.lock_key
        if key in _HELD:
            handle = _HELD[key]
            if handle is None:
                memory = memory or _HELD_MEMORY.get(key)
                handle = _HELD[key] = _open_prepared(loc, wait_seconds, memory)
            yield handle.con
            return
        handle = _open_prepared(loc, wait_seconds, memory)
        try:
            yield handle.con
            _publish(handle)
        finally:
            handle.close()


@contextmanager
def held(path: str | os.PathLike[str] | Location, memory: str | None = None) -> Iterator[None]:
    """Keep the warehouse open for every `writer()` of this process until the block ends.

    Only for work that stays in this process: another process of the same run
    (a process pool, Dask) could not open the working copy while it is held.
    The caller publishes after each batch (`publish`); the end of the block does too.
    `memory` is DuckDB's memory limit for it (None: WRITER_MEMORY).
    """
    loc = location(path)
    key = loc.lock_key
    with _PROCESS_LOCK:
        _HELD[key] = None
        if memory:
            _HELD_MEMORY[key] = memory
    try:
        yield
    finally:
        with _PROCESS_LOCK:
            _HELD_MEMORY.pop(key, None)
            handle = _HELD.pop(key, None)
            if handle is not None:
                try:
                    _publish(handle)
                finally:
                    handle.close()


def publish(path: str | os.PathLike[str] | Location) -> bool:
    """After a committed batch: make it visible to readers of a file (see the module
    docstring), within publishing's time budget (PUBLISH_SHARE). True if a new copy was
    published; a lake's readers see every commit anyway."""
    loc = location(path)
    with _PROCESS_LOCK:
        handle = _HELD.get(loc.lock_key)
        if handle is None:
            return False
        return _publish(handle, force=False)


def _publish(handle: _Writer, *, force: bool = True) -> bool:
    if handle.loc.is_lake or handle.loc.path is None:
        return False
    return publishing.publish(handle.con, handle.loc.path, force=force)


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
        if not lake.is_lake(con):  # a lake's CHECKPOINT is its maintenance, not a flush
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

    tries = 0
    while True:
        try:
            return read_with_room(con, attempt)
        except duckdb.TransactionException as exc:
            # Several writers on one lake: a commit that conflicts with one made since
            # this transaction began fails whole; run the batch again on the new state.
            tries += 1
            if not _is_conflict(exc) or tries >= CONFLICT_RETRIES:
                raise
            with suppress(duckdb.Error):  # a failed COMMIT may leave the transaction open
                con.execute("ROLLBACK")
            _log.info("batch commit conflicted with another writer; retrying (%d)", tries)
            time.sleep(random.uniform(0.05, 0.25) * tries)


# A batch that lost to concurrent writers this many times fails (its stage retries it).
CONFLICT_RETRIES = 20


def _is_conflict(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "conflict" in text or "retry" in text


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
