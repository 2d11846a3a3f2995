"""The main flow: discover, then per batch fetch, clean, dedup, enrich and load.

Composition only: every stage lives in `tasks/<stage>.py`. Batches keep
Prefect's per-task cost small against the work, and each batch commits on its
own so a killed run loses at most the batch in flight.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.artifacts import finish_progress, publish_summary, start_progress, update_progress
from flows.locking import warehouse_lock
from flows.runners import (
    Prefetcher,
    StageFuture,
    batch_hosts,
    choose_task_runner,
    local_workers,
    responsive_threads,
    run_stage,
    submit_stage,
)
from flows.tracking import RunTracker
from tasks.clean import clean_task, draft_task
from tasks.config import PipelineConfig, fetch_settings, load_config, make_source
from tasks.dedup import dedup_task
from tasks.discover import discover_task
from tasks.enrich import enrich_task
from tasks.fetch import fetch_task
from tasks.load import boilerplate_task, load_task
from tasks.records import Page, Target
from tasks.stories import stories_task
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
    fetch: dict[str, Any] | None = None,
) -> PipelineConfig:
    """Precedence: flags, then $NEWSFLOW_DB (for the db), then the config file, then defaults."""
    cfg = load_config(config) if config else PipelineConfig()
    cfg.db = os.environ.get("NEWSFLOW_DB", cfg.db)
    for spec in sources or []:
        spec = dict(spec)
        cfg.sources.append(make_source(spec.pop("kind"), spec.pop("location"), **spec))
    if db:
        cfg.db = db
    if fetch:
        cfg.fetch = fetch_settings(dict(fetch), "fetch parameter", base=cfg.fetch)
    if allow_private_hosts:
        cfg.fetch.allow_private_hosts = True
    if batch_size:
        cfg.batch_size = batch_size
    # Keep the raw archive (for reprocess) and the feed/robots cache beside the warehouse.
    home = Path(cfg.db).parent
    if cfg.fetch.archive_dir is None:
        cfg.fetch.archive_dir = str(home / "archive")
    if cfg.fetch.cache_dir is None:
        cfg.fetch.cache_dir = str(home / "crawl-cache")
    return cfg


class BatchPipeline:
    """Overlaps batches without changing what any batch sees.

    Drafting (parsing and extraction, most of the CPU) needs nothing from the
    warehouse, so batch n is drafted in worker processes while batch n-1 is
    finished: cleaned against the boilerplate known after batch n-2 loaded,
    deduplicated, enriched, filed into stories and loaded, in order. Every batch
    therefore reads exactly the warehouse state a sequential run would give it,
    and a killed run resumes to the same result.
    """

    def __init__(self, db: str, run_id: str, tracker: RunTracker, workers: int) -> None:
        self.db, self.run_id, self.tracker, self.workers = db, run_id, tracker, workers
        self._pending: tuple[int, list[str], list[Page], list[dict[str, Any]], StageFuture] | None
        self._pending = None

    def add(
        self, number: int, hosts: list[str], pages: list[Page], fetch_rows: list[dict[str, Any]]
    ) -> None:
        if not any(p.body is not None and not p.unchanged for p in pages):
            # Nothing new (all 304s or failures): only the fetch log and validators are
            # written, so an unchanged site costs one load per batch and nothing else.
            self.flush()
            _, stats = run_stage(
                load_task, "load", number, hosts, self.db, self.run_id, [], pages, fetch_rows
            )
            self.tracker.stage(stats)
            self.tracker.finished(pages)
            return
        drafts = submit_stage(draft_task, "extract", number, hosts, pages, self.workers)
        self.flush()
        self._pending = (number, hosts, pages, fetch_rows, drafts)

    def flush(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._finish(*pending)

    def _finish(
        self,
        number: int,
        hosts: list[str],
        pages: list[Page],
        fetch_rows: list[dict[str, Any]],
        drafts: StageFuture,
    ) -> None:
        db, workers, tracker = self.db, self.workers, self.tracker
        boilerplate = run_stage(boilerplate_task, "boilerplate", number, hosts, db)
        articles, stats = run_stage(
            clean_task, "clean", number, hosts, pages, boilerplate, drafts.result()
        )
        tracker.stage(stats)
        articles, stats = run_stage(dedup_task, "dedup", number, hosts, articles, db)
        tracker.stage(stats)
        articles, stats = run_stage(
            enrich_task, "enrich", number, hosts, articles, db, None, workers
        )
        tracker.stage(stats)
        articles, stats = run_stage(stories_task, "stories", number, hosts, articles, db)
        tracker.stage(stats)
        result, stats = run_stage(
            load_task, "load", number, hosts, db, self.run_id, articles, pages, fetch_rows
        )
        tracker.stage(stats)
        tracker.loaded(articles, set(result.new_ids), result.updated)
        tracker.finished(pages)
        get_run_logger().info(
            "batch %d: %d pages, %d articles (%d new, %d updated, %d duplicates)",
            number,
            len(pages),
            len(articles),
            result.new,
            result.updated,
            result.duplicates,
        )


def fetch_ahead(
    prefetch: Prefetcher, batches: list[list[Target]], number: int, cfg: PipelineConfig
) -> StageFuture:
    """Start fetching batch `number` (1-based) in the background; a no-op past the end."""
    if number > len(batches):
        return StageFuture.done(None)
    batch = batches[number - 1]
    return prefetch.submit(
        fetch_task, "fetch", number, batch_hosts(batch), batch, cfg.fetch, cfg.db
    )


@flow(name="ingest", log_prints=False, task_runner=choose_task_runner())
def ingest(
    sources: list[dict[str, Any]] | None = None,
    config: str | None = None,
    db: str | None = None,
    allow_private_hosts: bool = False,
    batch_size: int | None = None,
    fetch: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Ingest the given sources (and/or a config file's) into the warehouse at `db`.

    `fetch` overrides fetch settings by name (e.g. {"per_host_delay": 2.0}).
    """
    cfg = resolve_config(config, sources, db, allow_private_hosts, batch_size, fetch)
    responsive_threads()
    run_id = uuid.uuid4().hex[:12]
    tracker = RunTracker(run_id)
    with warehouse_lock(cfg.db):
        begin_run(cfg.db, run_id, flow_run.get_id(), [s.location for s in cfg.sources])
        progress = start_progress(run_id)
        status = "failed"
        try:
            targets, stats, discovery_log = discover_task(cfg.sources, cfg.fetch)
            tracker.stage(stats)
            tracker.discovered(targets)
            get_run_logger().info(
                "discovered %d pages from %d sources", len(targets), len(cfg.sources)
            )
            batches = list(batched(targets, cfg.batch_size))
            pipeline = BatchPipeline(cfg.db, run_id, tracker, local_workers(cfg.workers))
            with Prefetcher() as prefetch:
                upcoming = fetch_ahead(prefetch, batches, 1, cfg)
                for number, batch in enumerate(batches, start=1):
                    pages, fetch_rows, stats = upcoming.result()
                    # The next batch downloads while this one is processed.
                    upcoming = fetch_ahead(prefetch, batches, number + 1, cfg)
                    tracker.stage(stats)
                    tracker.fetched(pages)
                    if number == 1:  # discovery's own requests (robots, feeds) are logged too
                        fetch_rows = discovery_log + fetch_rows
                    pipeline.add(number, batch_hosts(batch), pages, fetch_rows)
                    update_progress(progress, tracker)
                pipeline.flush()
                update_progress(progress, tracker)
            if not targets and discovery_log:
                load_task(cfg.db, run_id, [], [], discovery_log)
            status = "completed"
        finally:
            summary = tracker.summary()
            finish_run(cfg.db, run_id, status, tracker.totals(), summary)
            finish_progress(progress)
            publish_summary(summary, status, cfg.db)
    return summary
