"""The main flow: discover, then per batch fetch, clean, dedup, enrich and load.

Composition only: every stage lives in `tasks/<stage>/`, run through the table in
`flows/stages.py`. Batches keep
Prefect's per-task cost small against the work, and each batch commits on its
own so a killed run loses at most the batch in flight.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from prefect import State, flow, get_run_logger
from prefect.states import Completed, Failed

from flows.artifacts import update_progress
from flows.lifecycle import recorded_run
from flows.locking import batch_lock
from flows.runners import (
    Prefetcher,
    batch_hosts,
    choose_task_runner,
    forget_task_results,
    local_workers,
    responsive_threads,
    tag_flow_run,
)
from flows.settings import Settings, from_environment
from flows.stages import (
    BOILERPLATE,
    CLEAN,
    DEDUP,
    DISCOVER,
    ENRICH,
    EXTRACT,
    FETCH,
    LOAD,
    PLAN,
    STORIES,
    StageFuture,
    run_stage,
    submit_stage,
)
from flows.tracking import RunTracker
from records import Page, StageStats, Target
from tasks.clean import OVER_BUDGET, DraftBatch
from tasks.clean.budget import mark_over_budget
from tasks.config import PipelineConfig, fetch_settings, load_config, make_source, parse_since
from tasks.context import StageContext
from tasks.crawl.fetch import HostMemory
from warehouse.runs import record_counts
from warehouse.store import location, publish

# Targets whose listing says they have not changed since our copy cost no request and no
# processing, only their fetch_log rows: they go first, in batches this large, so a re-run
# over an unchanged site is a handful of task runs instead of two per 400 pages.
NOT_DUE_BATCH = 5_000


def batched(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def plan_batches(targets: list[Target], not_due: list[bool], size: int) -> list[list[Target]]:
    """Batches in the order they run: targets not due for a request, then the rest."""
    idle = [t for t, skip in zip(targets, not_due, strict=True) if skip]
    busy = [t for t, skip in zip(targets, not_due, strict=True) if not skip]
    return [*batched(idle, NOT_DUE_BATCH), *batched(busy, size)]


def resolve_config(
    config: str | None,
    sources: Sequence[dict[str, Any]] | None,
    db: str | None,
    allow_private_hosts: bool,
    batch_size: int | None,
    fetch: dict[str, Any] | None = None,
    since: str | None = None,
    settings: Settings | None = None,
) -> PipelineConfig:
    """Precedence: flags, then $NEWSFLOW_DB (for the db), then the config file, then defaults.

    `settings` are the environment's (flows/settings.py), read here when not given.
    """
    settings = settings or from_environment()
    cfg = load_config(config) if config else PipelineConfig()
    if since:
        cfg.since = parse_since(since, "--since")
    cfg.db = settings.db or cfg.db
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
    home = location(cfg.db).home
    if cfg.fetch.archive_dir is None:
        cfg.fetch.archive_dir = str(home / "archive")
    if cfg.fetch.cache_dir is None:
        cfg.fetch.cache_dir = str(home / "crawl-cache")
    return cfg


# Batches fetched ahead of the one being finished, each with its extraction started as
# soon as its pages are in. Two keep the worker processes busy while the flow's thread
# finishes a batch (dedup, enrich, stories, load); each costs one batch of pages in
# memory (about 40 MB at 400 pages of 100 KB).
LOOKAHEAD = 2


@dataclass
class Fetched:
    """A batch as the prefetch thread hands it over: pages, and their extraction under way."""

    number: int
    hosts: list[str]
    pages: list[Page]
    fetch_rows: list[dict[str, Any]]
    stats: StageStats
    drafts: StageFuture[DraftBatch] | None  # None when nothing is new (all 304s or failures)


def start_extraction(
    number: int,
    pages: list[Page],
    fetch_rows: list[dict[str, Any]],
    stats: StageStats,
    ctx: StageContext,
) -> Fetched:
    """Start extracting a batch's new pages in worker processes; returns at once.

    Extraction (parsing, body, metadata, dates: most of the CPU) needs nothing from the
    warehouse, so it runs while earlier batches are finished.
    """
    hosts = batch_hosts(pages)
    drafts = None
    if any(p.body is not None and not p.unchanged for p in pages):
        drafts = submit_stage(EXTRACT, pages, ctx, number, hosts)
    return Fetched(number, hosts, pages, fetch_rows, stats, drafts)


def fetch_and_draft(batch: list[Target], number: int, ctx: StageContext) -> Fetched:
    """In the prefetch thread: download batch `number`, then start extracting it.

    Its counts travel with the batch: the flow's thread records them, in batch order.
    """
    counted: list[StageStats] = []
    pages, fetch_rows = run_stage(FETCH, batch, ctx, number, batch_hosts(batch), counted.append)
    return start_extraction(number, pages, fetch_rows, counted[0], ctx)


def stage_context(
    settings: Settings, db: str, run_id: str, workers: int | None, **more: Any
) -> StageContext:
    """What every stage of a run gets: the run's settings, resolved once (`workers`: the
    config file's, else $NEWSFLOW_WORKERS, else one per core)."""
    return StageContext(
        db,
        run_id,
        workers=local_workers(settings.workers if workers is None else workers),
        ner=settings.ner,
        page_cpu_seconds=settings.page_cpu_seconds,
        duckdb_memory=settings.duckdb_memory,
        **more,
    )


def keep_counts(ctx: StageContext, tracker: RunTracker) -> None:
    """The run's row keeps its counts per batch, so a killed run still says what it did."""
    if ctx.db:
        record_counts(ctx.db, ctx.run_id, tracker.totals(), ctx.duckdb_memory)


def finish_batch(fetched: Fetched, ctx: StageContext, tracker: RunTracker) -> None:
    """Clean against the boilerplate known so far, dedup, enrich, file into stories, load.

    Batches are finished one at a time and in order, so each reads exactly the warehouse
    state a sequential run would give it, and a killed run resumes to the same result.
    Runs writing one lake at once take turns per batch (`batch_lock`).
    """
    with batch_lock(ctx.db) if ctx.db else nullcontext():
        _finish_batch(fetched, ctx, tracker)


def _finish_batch(fetched: Fetched, ctx: StageContext, tracker: RunTracker) -> None:
    forget_task_results()  # links from earlier batches' tasks: nothing reads them
    number, hosts = fetched.number, fetched.hosts
    pages, fetch_rows = fetched.pages, fetched.fetch_rows
    if fetched.drafts is None:
        # Nothing new: only the fetch log and validators are written, so an unchanged
        # site costs one load per batch and nothing else.
        run_stage(LOAD, ([], pages, fetch_rows), ctx, number, hosts, tracker.stage)
        tracker.finished(pages)
        keep_counts(ctx, tracker)
        return
    boilerplate = run_stage(BOILERPLATE, None, ctx, number, hosts)
    drafts = fetched.drafts.result()
    slow = [p.url for p, (_, why) in zip(pages, drafts.drafted, strict=True) if why == OVER_BUDGET]
    if slow:
        mark_over_budget(slow, fetch_rows, ctx.page_cpu_seconds)
        get_run_logger().warning(
            "batch %d: %d page(s) over the CPU budget, skipped: %s", number, len(slow), slow[:3]
        )
    articles = run_stage(CLEAN, (pages, boilerplate, drafts), ctx, number, hosts, tracker.stage)
    for stage in (DEDUP, ENRICH, STORIES):
        articles = run_stage(stage, articles, ctx, number, hosts, tracker.stage)
    result = run_stage(LOAD, (articles, pages, fetch_rows), ctx, number, hosts, tracker.stage)
    tracker.loaded(articles, set(result.new_ids), result.updated)
    tracker.finished(pages)
    keep_counts(ctx, tracker)
    get_run_logger().info(
        "batch %d: %d pages, %d articles (%d new, %d updated, %d duplicates)",
        number,
        len(pages),
        len(articles),
        result.new,
        result.updated,
        result.duplicates,
    )


def run_batches(
    cfg: PipelineConfig,
    settings: Settings,
    run_id: str,
    tracker: RunTracker,
    progress: UUID | None,
) -> None:
    """Discover, then fetch and finish every batch, LOOKAHEAD batches fetched ahead."""
    # Robots rules and request times live for the whole run (HostMemory), across batches.
    ctx = stage_context(
        settings, cfg.db, run_id, cfg.workers, fetch=cfg.fetch, since=cfg.since, memory=HostMemory()
    )
    targets, discovery_log = run_stage(DISCOVER, cfg.sources, ctx, 0, [], tracker.stage)
    tracker.discovered(targets)
    tracker.sources_listed([s.label for s in cfg.sources], discovery_log)
    update_progress(progress, tracker)  # the bar's total, before the first batch is done
    get_run_logger().info("discovered %d pages from %d sources", len(targets), len(cfg.sources))
    tag_flow_run(batch_hosts(targets))
    not_due = run_stage(PLAN, targets, ctx, 0, batch_hosts(targets))
    # Each batch leaves the queue when it is handed to the prefetch thread, so the run
    # keeps no list of every target to its end (a target with a title hint and dates
    # takes ~430 bytes: 43 MB for 100,000).
    todo = deque(plan_batches(targets, not_due, cfg.batch_size))
    total = len(todo)
    del targets, not_due
    with Prefetcher() as prefetch:
        ahead: deque[Future[Fetched]] = deque()
        for number in range(1, total + 1):
            # Keep LOOKAHEAD batches downloading and extracting beyond this one.
            while len(ahead) <= LOOKAHEAD and todo:
                upcoming = number + len(ahead)
                ahead.append(prefetch.submit(fetch_and_draft, todo.popleft(), upcoming, ctx))
            fetched = ahead.popleft().result()
            tracker.stage(fetched.stats)
            tracker.fetched(fetched.pages)
            if number == 1:  # discovery's own requests (robots, feeds) are logged too
                fetched.fetch_rows = discovery_log + fetched.fetch_rows
            finish_batch(fetched, ctx, tracker)
            publish_batch(cfg.db, tracker)
            update_progress(progress, tracker)
    if not total and discovery_log:
        run_stage(LOAD, ([], [], discovery_log), ctx, 0, [])


def publish_batch(db: str, tracker: RunTracker) -> None:
    """After a committed batch: let readers of a DuckDB file see it (warehouse.store.publish),
    counted as a stage of its own, since the copy takes the run's time (in: batches,
    out: copies made; a lake publishes nothing, its readers see every commit)."""
    started = time.perf_counter()
    published = publish(db)
    tracker.stage(
        StageStats(
            "publish",
            records_in=1,
            records_out=int(published),
            seconds=time.perf_counter() - started,
        )
    )


@flow(name="ingest", log_prints=False, task_runner=choose_task_runner())
def ingest(
    sources: list[dict[str, Any]] | None = None,
    config: str | None = None,
    db: str | None = None,
    allow_private_hosts: bool = False,
    batch_size: int | None = None,
    fetch: dict[str, Any] | None = None,
    since: str | None = None,
) -> State:
    """Ingest the given sources (and/or a config file's) into the warehouse at `db`.

    `fetch` overrides fetch settings by name (e.g. {"per_host_delay": 2.0}); `since`
    (YYYY-MM-DD) skips listed pages dated earlier. A source dict may carry
    `follow_links` and `max_pages` (see tasks.crawl.discover.Source). Called, the flow returns
    the run summary, or raises SourcesFailed when no source gave anything.
    """
    settings = from_environment()  # once per run: every stage gets them in its context
    cfg = resolve_config(
        config, sources, db, allow_private_hosts, batch_size, fetch, since, settings
    )
    responsive_threads()
    run_id = uuid.uuid4().hex[:12]
    tracker = RunTracker(run_id)
    locations = [s.location for s in cfg.sources]
    with recorded_run(cfg.db, run_id, locations, tracker, settings.duckdb_memory) as run:
        run_batches(cfg, settings, run_id, tracker, run.progress)
        run.failed, run.message = tracker.verdict()
    return run_state(run.failed, run.message, run.summary)


class SourcesFailed(RuntimeError):
    """Every source of a run failed; `summary` has each source's reason."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary = summary or {}


def run_state(failed: bool, message: str | None, summary: dict[str, Any]) -> State:
    """The flow run's final state: Failed when no source gave anything, and a partly failed
    run says so in its Completed message, so both show in the UI's run list."""
    if failed:
        return Failed(message=message, data=SourcesFailed(message or "", summary))
    return Completed(message=message, data=summary)
