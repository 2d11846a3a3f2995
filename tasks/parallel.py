"""A process pool for the CPU-bound halves of the clean and enrich stages.

Python threads share one core for this work (lxml releases the GIL only while
parsing), so the per-page parts of a batch (parsing, extraction, dates, entity
rules) are spread over worker processes, while the per-batch parts (cross-page
boilerplate, dedup, stories, load) stay in the flow's process. Results come back
in input order, so a batch's outcome does not depend on how it was split.

Workers are started by a fork server that has already imported the stage
modules: starting one costs milliseconds, and forking never copies the flow's
threads (Prefect's API client, the fetcher).

Each purpose has its own pool. The flow drafts the next batches while it
enriches the current one; in one shared pool the enrich work would queue behind
those drafts (first in, first out) and the flow's thread would sit idle waiting
for it. Workers exit on their own when the process that started them dies
(`kill -9` included), so no orphans are left behind.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Modules every worker needs; importing them once in the fork server saves each
# worker about a second of start-up.
PRELOAD = ["tasks.clean", "tasks.clean.preload", "tasks.enrich", "spacy.lang.en.stop_words"]
# Items per chunk sent to a worker: big enough that pickling and queueing (~1 ms per
# chunk) vanish against ~20 ms of extraction per page, small enough to balance load.
MIN_CHUNK = 8

# How often an idle worker checks that the process that started it is still alive.
OWNER_CHECK_SECONDS = 2.0

_pools: dict[tuple[str, int], ProcessPoolExecutor] = {}
_lock = threading.Lock()


def default_workers() -> int:
    """One worker per core (the flow passes `NEWSFLOW_WORKERS` instead when it is set)."""
    return os.cpu_count() or 1


def in_daemon() -> bool:
    """Daemonic processes (e.g. Dask workers) may not start children of their own."""
    return bool(multiprocessing.current_process().daemon)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, under another user
    return True


def _watch_owner(owner: int) -> None:
    """Worker initializer: leave when the owner is gone. A killed owner never closes
    the pool, and its workers would otherwise wait on the task queue forever."""

    def watch() -> None:
        while _alive(owner):
            time.sleep(OWNER_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="newsflow-owner-watch", daemon=True).start()


def get_pool(workers: int, purpose: str = "extract") -> ProcessPoolExecutor | None:
    if workers < 2 or in_daemon():
        return None
    with _lock:
        pool = _pools.get((purpose, workers))
        if pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_watch_owner,
                initargs=(os.getpid(),),
            )
            _pools[(purpose, workers)] = pool
        return pool


def shutdown(wait: bool = False) -> None:
    """Stop every pool's workers; the next `pmap` starts new ones from the fork server.

    Runs call this with `wait=True` when their batches are done: idle workers hold a few
    hundred MB each (parsers, the spaCy pipeline), which the end-of-run search rebuild and
    a long-lived `serve` process between runs are better off without.
    """
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=wait, cancel_futures=True)


atexit.register(shutdown)


def _apply(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def pmap(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    local: Callable[[T], R] | None = None,
    purpose: str = "extract",
) -> list[R]:
    """`[fn(x) for x in items]`, spread over `workers` processes when that pays off.

    `fn` must be a module-level function and items/results picklable; `local` (default
    `fn`) is used instead when the items are processed in this process, for work that
    may only be done to a copy. `purpose` names the pool (see the module docstring).
    """
    local = local or fn
    pool = get_pool(workers, purpose) if len(items) >= 2 * MIN_CHUNK else None
    if pool is None:
        return [local(item) for item in items]
    size = max(MIN_CHUNK, -(-len(items) // (workers * 4)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        futures = [pool.submit(_apply, fn, chunk) for chunk in chunks]
        out: list[Any] = []
        for future in futures:
            out.extend(future.result())
        return out
    except BrokenProcessPool:
        # A worker died (killed, out of memory, a crash in native code): start a
        # fresh pool next time and do this batch here, so the run goes on.
        with _lock:
            _pools.pop((purpose, workers), None)
        return [local(item) for item in items]
