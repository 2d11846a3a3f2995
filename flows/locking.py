"""One writer per warehouse: runs that overlap queue for the file instead of colliding.

DuckDB allows a single read-write process per file, and a run's batches depend on
what earlier batches committed (dedup signatures, stories, the HTTP cache), so two
runs interleaving their batches would miss each other's duplicates even if DuckDB
let them in. A run therefore holds the warehouse from `begin_run` to `finish_run`.

Two locks, taken in this order, both released on exit:

* a Prefect global concurrency limit (one slot, named after the file) when a
  Prefect server is configured: the queue is visible in the UI and spans every
  worker talking to that server. Slots are leased and renewed in the background,
  so a worker killed mid-run frees the warehouse when its lease runs out;
* an OS file lock on `<db>.lock`, always: it costs nothing and still serialises
  runs on one machine when each process has its own temporary Prefect server.

Waiting is bounded (`NEWSFLOW_LOCK_TIMEOUT`, default 30 min); a run that gives up
fails with one line saying what to do, and writes nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from warehouse.store import WarehouseLocked, location

DEFAULT_TIMEOUT = 1800.0
# How often a queued run checks the file lock; short against any run, long against a syscall.
_POLL_SECONDS = 0.2
# Renewed every lease/2 while held; a dead holder blocks others for at most this long.
LEASE_SECONDS = 120.0

log = logging.getLogger("newsflow.lock")


def lock_name(db: str | os.PathLike[str]) -> str:
    """The global concurrency limit guarding `db`: readable, unique per absolute path
    (per catalog for a DuckLake)."""
    loc = location(db)
    stem = re.sub(r"[^a-z0-9]+", "-", loc.name.lower()).strip("-")[:40] or "db"
    digest = hashlib.sha1(loc.lock_key.encode("utf-8")).hexdigest()[:8]
    return f"newsflow-warehouse-{stem}-{digest}"


def lock_timeout() -> float:
    raw = os.environ.get("NEWSFLOW_LOCK_TIMEOUT")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError as exc:
        raise WarehouseLocked(
            f"NEWSFLOW_LOCK_TIMEOUT={raw!r} is not a number of seconds; fix or unset it"
        ) from exc
    return max(value, 0.0)


def lock_mode() -> str:
    """`auto` (default): both locks when a Prefect server is configured, else the file lock.

    `file` or `prefect` force one of them: `prefect` alone suits warehouses on network
    file systems where `flock` is unreliable, `file` suits runs without any server.
    """
    mode = os.environ.get("NEWSFLOW_LOCK", "auto").strip().lower() or "auto"
    if mode not in ("auto", "file", "prefect"):
        raise WarehouseLocked(
            f"NEWSFLOW_LOCK={mode!r} is not auto, file or prefect; fix or unset it"
        )
    if mode != "auto":
        return mode
    from prefect.settings import PREFECT_API_URL

    return "both" if PREFECT_API_URL.value() else "file"


def ensure_limit(db: str | os.PathLike[str]) -> str:
    """Create the one-slot limit for `db` if missing (idempotent); returns its name."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectAlreadyExists

    name = lock_name(db)
    with get_client(sync_client=True) as client:
        try:
            client.upsert_global_concurrency_limit_by_name(name, 1)
        except ObjectAlreadyExists:
            # The upsert reads, then creates: a run starting at the same moment created
            # the limit in between. Upserting again now finds it.
            client.upsert_global_concurrency_limit_by_name(name, 1)
    return name


def _busy_message(db: str | os.PathLike[str], waited: float) -> str:
    return (
        f"warehouse {db} is still being written by another run after waiting {waited:.0f} s; "
        "this run wrote nothing: let the other run finish (see the Prefect UI) and start again, "
        "or raise NEWSFLOW_LOCK_TIMEOUT"
    )


@contextmanager
def file_lock(db: str | os.PathLike[str], timeout: float) -> Iterator[None]:
    """Exclusive `flock` on `<db>.lock`, polled so the wait stays bounded."""
    path = Path(f"{location(db).path or db}.lock")  # beside the file or SQLite catalog
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= timeout:
                    raise WarehouseLocked(_busy_message(db, waited)) from None
                if not announced:
                    log.info(
                        "warehouse %s is busy with another run; queued (up to %.0f s)", db, timeout
                    )
                    announced = True
                time.sleep(_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def prefect_lock(db: str | os.PathLike[str], timeout: float) -> Iterator[None]:
    """Occupy the warehouse's global concurrency slot, waiting at most `timeout` seconds."""
    from prefect.concurrency.sync import concurrency

    name = ensure_limit(db)
    started = time.monotonic()

    def slot(wait: float) -> AbstractContextManager[None]:
        # Renewal hiccups must not kill a long run: the file lock still guards this machine.
        return concurrency(
            name,
            occupy=1,
            timeout_seconds=wait,
            lease_duration=LEASE_SECONDS,
            strict=True,
            raise_on_lease_renewal_failure=False,
        )

    with ExitStack() as stack:
        try:
            # A first short try tells an idle warehouse from a busy one, so the log says which.
            stack.enter_context(slot(min(1.0, timeout)))
        except TimeoutError:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                raise WarehouseLocked(_busy_message(db, time.monotonic() - started)) from None
            log.info(
                "warehouse %s is busy with another run; queued on %s (up to %.0f s)",
                db,
                name,
                timeout,
            )
            try:
                stack.enter_context(slot(remaining))
            except TimeoutError:
                raise WarehouseLocked(_busy_message(db, time.monotonic() - started)) from None
        yield


@contextmanager
def warehouse_lock(db: str | os.PathLike[str], *, timeout: float | None = None) -> Iterator[None]:
    """Hold `db` for one run; a second run queues here until the first one is done.

    A DuckLake on a server catalog takes several runs at once (its catalog settles
    their commits, warehouse/store.py retries a batch that lost): no lock there.
    """
    if location(db).multi_writer:
        yield
        return
    budget = lock_timeout() if timeout is None else timeout
    started = time.monotonic()
    mode = lock_mode()
    if mode == "file":
        with file_lock(db, budget):
            yield
        return
    with prefect_lock(db, budget):
        if mode == "prefect":
            yield
            return
        with file_lock(db, max(budget - (time.monotonic() - started), 0.0)):
            yield


@contextmanager
def batch_lock(db: str | os.PathLike[str]) -> Iterator[None]:
    """Several writers on one lake (a PostgreSQL catalog): batches take turns.

    A batch reads what earlier batches committed (boilerplate, dedup signatures,
    stories) and commits on top of it, so two runs finishing batches at the same moment
    would miss each other's duplicates (a syndicated copy and its original, loaded at
    once, both kept as originals). From its first read to its commit a batch therefore
    holds a lock beside the lake's data directory; fetching and extraction, most of the
    work, still overlap. A file lock: one machine, or a shared file system with flock.
    Nothing to do for one writer (a file, a SQLite catalog): the run lock covers it.
    """
    loc = location(db)
    if not loc.multi_writer or loc.data_path is None:
        yield
        return
    with file_lock(loc.data_path.parent / f"{loc.data_path.name}.batches", lock_timeout()):
        yield
