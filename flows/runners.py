"""Where stage tasks run and what they are called in the UI (the stages: flows/stages.py).

`NEWSFLOW_TASK_RUNNER` picks the task runner for the CPU-heavy stages:

    threads          (default) a thread pool in the flow's process
    threads:4        the same with 4 threads
    processes[:N]    a local process pool (Prefect's ProcessPoolTaskRunner)
    dask[:N]         a Dask LocalCluster with N worker processes (default 2)
    tcp://host:8786  an existing Dask scheduler (any address Dask understands)

Fetch and load always run in the flow's own process: fetch needs the flow's network
view and politeness state, and load must run where the warehouse lock is held.
Clean, dedup and enrich are submitted to the runner, so the same flow code runs on
threads, processes or a cluster; their inputs and outputs are plain picklable records.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import is_dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

T = TypeVar("T")

# Source tags per flow run: enough to filter by outlet in the UI without flooding the tag list.
MAX_HOST_TAGS = 8


class StageFailed(RuntimeError):
    """A stage failed for a batch; the message names it and says what to do next."""


def _parse_count(value: str, setting: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise ValueError(f"NEWSFLOW_TASK_RUNNER={setting!r}: the count must be a positive integer")
    return count


def choose_task_runner(setting: str | None = None) -> TaskRunner[Any]:
    """Build the task runner named by `setting` (or $NEWSFLOW_TASK_RUNNER)."""
    if setting is None:
        setting = os.environ.get("NEWSFLOW_TASK_RUNNER", "")
    setting = setting.strip()
    kind, _, count = setting.partition(":")
    if "://" in setting:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=setting)
    if kind in ("", "threads"):
        return ThreadPoolTaskRunner(max_workers=_parse_count(count, setting) if count else None)
    if kind == "processes":
        return ProcessPoolTaskRunner(max_workers=_parse_count(count, setting) if count else None)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        workers = _parse_count(count, setting) if count else 2
        # One thread per worker: the heavy stages hold the GIL, so threads would only queue.
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1}
        )
    raise ValueError(
        f"NEWSFLOW_TASK_RUNNER={setting!r} is not understood; use threads[:N], processes[:N], "
        "dask[:N] or a Dask scheduler address like tcp://host:8786"
    )


def batch_hosts(records: Iterable[Any]) -> list[str]:
    """Hosts a batch touches, most frequent first, from each record's `url`."""
    counts: dict[str, int] = {}
    for record in records:
        url = getattr(record, "url", None) or getattr(record, "path", None) or ""
        host = urlsplit(url).hostname or ("local" if url else "")
        if host:
            counts[host] = counts.get(host, 0) + 1
    return sorted(counts, key=lambda h: (-counts[h], h))


def stage_run_name(stage: str, number: int, hosts: list[str]) -> str:
    """E.g. `clean #3 news.example.org +2`: stage, batch and where the pages come from."""
    where = hosts[0] if hosts else "no pages"
    if len(hosts) > 1:
        where += f" +{len(hosts) - 1}"
    return f"{stage} #{number} {where}"


# Per-source tags go on the flow run, not on task runs: Prefect 3.8 takes a
# tag-concurrency lease through the API before every tagged task run, and under a
# loaded server the fetch thread spent a fifth of its time waiting for those leases
# (sampled here), which starved extraction. Task runs carry the hosts in their names.
def source_tags(hosts: list[str]) -> list[str]:
    tags = [f"source:{h}" for h in hosts[:MAX_HOST_TAGS]]
    if len(hosts) > MAX_HOST_TAGS:
        tags.append("source:more")
    return tags


def tag_flow_run(hosts: list[str]) -> None:
    """Add `source:<host>` tags to the running flow run (best effort: UI filtering only)."""
    from prefect.client.orchestration import get_client
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    run = context.flow_run if context else None
    if run is None or not hosts:
        return
    tags = sorted({*(run.tags or []), *source_tags(hosts)})
    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(run.id, tags=tags)
    except Exception as exc:  # a tag is never worth failing a run for
        logging.getLogger("newsflow").warning("could not tag the flow run: %s", exc)


def quoted_args(args: tuple[Any, ...], submitted: bool = False) -> tuple[Any, ...]:
    """Batches are passed quoted: Prefect otherwise walks every field of every record
    looking for futures, which cost ~0.35 s per task for 200 articles (measured), more
    than most stages' own work. Dask's graph serialisation does not unwrap the quote
    marker, so tasks submitted to another runner get their arguments as they are."""
    if submitted and not isinstance(_current_runner(), ThreadPoolTaskRunner):
        return args
    return tuple(
        quote(a) if isinstance(a, (list, dict, tuple, set)) or is_dataclass(a) else a for a in args
    )


def _current_runner() -> Any:
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context.task_runner if context else None


class Prefetcher:
    """Runs the next batches' fetches in a thread of the flow's process while this one is
    processed: fetching is network-bound and keeps the flow's politeness state, so it
    stays in this process whatever the task runner. Jobs run one at a time, in order."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsflow-prefetch")

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run `fn(*args)` in the prefetch thread as part of the current flow run."""
        context = contextvars.copy_context()  # the flow run's context, so tasks belong to it
        return self._pool.submit(context.run, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Prefetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# GIL switch interval while a flow runs. The flow's thread orchestrates while the
# fetch and extraction threads are busy; with Python's default 5 ms every hand-over
# between threads (each Prefect API round trip makes several) waits up to that long:
# an empty task run took 33 ms beside one busy thread, 9 ms at 0.5 ms (measured here).
SWITCH_INTERVAL = 0.0005


def responsive_threads() -> None:
    """Let the orchestrating thread get the GIL back quickly (see SWITCH_INTERVAL)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)


def forget_task_results() -> None:
    """Empty Prefect's map from task results to their states, kept for the flow run's life.

    Prefect links each task result, and each item of a returned list, to a copy of its
    task run's state, so that a later task given that object records it as an upstream
    input. Batches are passed quoted (see `quoted_args`), so no link is ever looked up,
    while the map grew by ~5,000 entries per 20,000 pages (counted here): a long run
    should not keep them.
    """
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None:
        context.run_results.clear()


def stages_in_process() -> bool:
    """Whether every stage runs in the flow's process (the default thread runner)."""
    current = _current_runner()
    if current is not None:
        return isinstance(current, ThreadPoolTaskRunner)
    runner = os.environ.get("NEWSFLOW_TASK_RUNNER", "").strip()
    return not runner or runner.startswith("threads")


def local_workers(configured: int | None) -> int:
    """Worker processes for the per-page work inside the clean and enrich stages.

    Only with the (default) thread runner: on a process pool or Dask the stage tasks
    already run elsewhere, and daemonic Dask workers may not start processes anyway.
    """
    from tasks.parallel import default_workers

    if not stages_in_process():
        return 0
    return default_workers() if configured is None else configured
