"""What every run does around its batches: the lock, its `runs` row, progress and summary.

Shared by `ingest` and `reprocess`. The warehouse is held open for the batches only
(when every stage runs in this process): closing it before `finish_run` lets the
end-of-run search rebuild start from an empty DuckDB cache instead of on top of the
run's (the end of the run was its memory peak at 10,000 pages); for the same reason the
worker processes are stopped before it (at 30,000 pages they still held ~880 MB while
the rebuild ran).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from prefect.runtime import flow_run

from flows.artifacts import finish_progress, publish_summary, start_progress
from flows.heap import fix_mmap_threshold, use_system_arrow_pool
from flows.locking import warehouse_lock
from flows.runlogs import newsflow_logs_to_run
from flows.runners import stages_in_process
from flows.tracking import RunTracker
from tasks import parallel
from warehouse.runs import begin_run, finish_run
from warehouse.store import held


@dataclass
class RecordedRun:
    progress: UUID | None  # the progress artifact, for update_progress
    summary: dict[str, Any] = field(default_factory=dict)  # set when the run is finished
    failed: bool = False  # set by the flow: the batches ran, but the run achieved nothing
    message: str | None = None  # set by the flow: what the state message says


@contextmanager
def recorded_run(
    db: str,
    run_id: str,
    sources: Sequence[str],
    tracker: RunTracker,
    memory: str | None = None,
) -> Iterator[RecordedRun]:
    """Lock the warehouse, record the run as started, yield, then record how it ended.

    `memory` is DuckDB's memory limit for the run's connections (None: WRITER_MEMORY).
    """
    keep_open = held(db, memory) if stages_in_process() else nullcontext()
    fix_mmap_threshold()
    use_system_arrow_pool()
    with newsflow_logs_to_run(), warehouse_lock(db):
        begin_run(db, run_id, flow_run.get_id(), list(sources), memory)
        run = RecordedRun(start_progress(run_id))
        status = "failed"
        try:
            with keep_open:
                yield run
            status = "failed" if run.failed else "completed"
        finally:
            parallel.shutdown(wait=True)  # the batches are done: free the workers' memory
            run.summary = tracker.summary()
            finish_run(db, run_id, status, tracker.totals(), run.summary, memory)
            finish_progress(run.progress)
            publish_summary(run.summary, status, db, run.message)
