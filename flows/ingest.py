"""The main flow: discover, then per batch fetch, clean, dedup, enrich and load.

Composition only: every stage lives in `tasks/<stage>.py`. Batches keep
Prefect's per-task cost small against the work, and each batch commits on its
own so a killed run loses at most the batch in flight.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.artifacts import publish_summary, start_progress, update_progress
from flows.tracking import RunTracker
from tasks.clean import clean_task
from tasks.config import PipelineConfig, load_config, make_source
from tasks.dedup import dedup_task
from tasks.discover import discover_task
from tasks.enrich import enrich_task
from tasks.fetch import fetch_task
from tasks.load import load_task
from warehouse.runs import begin_run, finish_run


def batched(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def resolve_config(
    config: str | None,
    sources: Sequence[dict[str, Any]] | None,
    db: str | None,
    allow_private_hosts: bool,
    batch_size: int | None,
) -> PipelineConfig:
    """Flags win over the config file; the file wins over defaults."""
    cfg = load_config(config) if config else PipelineConfig()
    for spec in sources or []:
        spec = dict(spec)
        cfg.sources.append(make_source(spec.pop("kind"), spec.pop("location"), **spec))
    if db:
        cfg.db = db
    if allow_private_hosts:
        cfg.fetch.allow_private_hosts = True
    if batch_size:
        cfg.batch_size = batch_size
    return cfg


@flow(name="ingest", log_prints=False)
def ingest(
    sources: list[dict[str, Any]] | None = None,
    config: str | None = None,
    db: str | None = None,
    allow_private_hosts: bool = False,
    batch_size: int | None = None,
) -> dict[str, Any]:
    """Ingest the given sources (and/or a config file's) into the warehouse at `db`."""
    logger = get_run_logger()
    cfg = resolve_config(config, sources, db, allow_private_hosts, batch_size)
    run_id = uuid.uuid4().hex[:12]
    tracker = RunTracker(run_id)
    begin_run(cfg.db, run_id, flow_run.get_id(), [s.location for s in cfg.sources])
    progress = start_progress(run_id)
    status = "failed"
    try:
        targets, stats = discover_task(cfg.sources, cfg.fetch)
        tracker.stage(stats)
        tracker.discovered(targets)
        logger.info("discovered %d pages from %d sources", len(targets), len(cfg.sources))
        for number, batch in enumerate(batched(targets, cfg.batch_size), start=1):
            label = f"batch {number}"
            pages, fetch_rows, stats = fetch_task.with_options(task_run_name=f"fetch {label}")(
                batch, cfg.fetch, cfg.db
            )
            tracker.stage(stats)
            tracker.fetched(pages)
            articles, stats = clean_task.with_options(task_run_name=f"clean {label}")(pages, cfg.db)
            tracker.stage(stats)
            articles, stats = dedup_task.with_options(task_run_name=f"dedup {label}")(
                articles, cfg.db
            )
            tracker.stage(stats)
            articles, stats = enrich_task.with_options(task_run_name=f"enrich {label}")(
                articles, cfg.db
            )
            tracker.stage(stats)
            result, stats = load_task.with_options(task_run_name=f"load {label}")(
                cfg.db, run_id, articles, pages, fetch_rows
            )
            tracker.stage(stats)
            tracker.loaded(articles, set(result.new_ids), result.updated)
            tracker.batches += 1
            update_progress(progress, tracker)
            logger.info(
                "%s: %d pages, %d articles (%d new, %d updated, %d duplicates)",
                label,
                len(pages),
                len(articles),
                result.new,
                result.updated,
                result.duplicates,
            )
        status = "completed"
    finally:
        summary = tracker.summary()
        finish_run(cfg.db, run_id, status, tracker.totals(), summary)
    publish_summary(summary)
    return summary
