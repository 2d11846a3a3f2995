"""Re-run clean, dedup, enrich and load from the raw WARC archive, without the network.

Every fetched response is archived (see `FetchSettings.archive_dir`), so a better
extractor or topic model can be applied to everything ever fetched. Articles keep
their ids (the canonical URL), so reprocessing updates rows instead of adding them.
"""

from __future__ import annotations

import uuid
from itertools import islice
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from flows.artifacts import update_progress
from flows.ingest import Fetched, finish_batch, publish_batch, stage_context, start_extraction
from flows.lifecycle import recorded_run
from flows.runners import choose_task_runner
from flows.settings import from_environment
from flows.tracking import RunTracker
from records import StageStats
from tasks.config import ConfigError, PipelineConfig
from tasks.crawl.fetch import read_archive
from warehouse.store import DEFAULT_DB, location


def default_archive(db: str) -> str:
    return str(location(db).home / "archive")


@flow(name="reprocess", log_prints=False, task_runner=choose_task_runner())
def reprocess(
    db: str | None = None,
    archive: str | None = None,
    batch_size: int = PipelineConfig.batch_size,
) -> dict[str, Any]:
    """Rebuild the articles of `db` from the WARC files in `archive` (default: beside the db)."""
    settings = from_environment()  # once per run: every stage gets them in its context
    db = db or settings.db or DEFAULT_DB
    archive = archive or default_archive(db)
    if not Path(archive).exists():
        raise ConfigError(f"no archive at {archive}; ingest first or pass --archive DIR")
    run_id = uuid.uuid4().hex[:12]
    tracker = RunTracker(run_id)
    pages_iter = read_archive(archive)
    sources = [f"archive:{archive}"]
    with recorded_run(db, run_id, sources, tracker, settings.duckdb_memory) as run:
        ctx = stage_context(settings, db, run_id, None)
        number = 0
        pending: Fetched | None = None  # extracting while the batch before it finishes
        while batch := list(islice(pages_iter, batch_size)):
            number += 1
            tracker.fetched(batch)
            current = start_extraction(number, batch, [], StageStats("fetch"), ctx)
            if pending is not None:
                finish_batch(pending, ctx, tracker)
                publish_batch(db, tracker)
                update_progress(run.progress, tracker)
            pending = current
        if pending is not None:
            finish_batch(pending, ctx, tracker)
            update_progress(run.progress, tracker)
        get_run_logger().info("reprocessed %d archived pages", tracker.done_targets)
    return run.summary
