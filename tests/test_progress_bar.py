"""The run's bar: discovery as it happens, the total once known, pages within a batch, an ETA,
and Prefect's log lines printed above it instead of through it."""

from __future__ import annotations

import io
import logging

from prefect.logging.handlers import PrefectConsoleHandler
from rich.console import Console
from rich.progress import Progress

from flows.progress import RunBar, cli_progress, report
from records import events


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_discovery_total_pages_within_a_batch_and_eta() -> None:
    clock = Clock()
    bar = Progress(console=Console(file=io.StringIO(), force_terminal=True), auto_refresh=False)
    state = RunBar(bar, bar.add_task("ingest", total=None, status=""), clock)
    task = bar.tasks[0]
    state.report(0, 0)
    assert task.fields["status"] == "starting"  # Prefect's server may take a while
    state.report(0, 0, "discovering")
    assert task.fields["status"] == "discovering: reading feeds and sitemaps"
    state.event("discovered", 50)
    state.event("discovered", 70)
    assert task.total is None and task.fields["status"] == "discovering: 120 pages found"
    state.report(0, 400, "batch 0")  # discovery over: the total is known
    assert task.total == 400 and "0/400" in task.fields["status"]
    assert "ETA -:--:--" in task.fields["status"]  # no rate yet
    clock.now += 10
    for _ in range(100):  # pages of the first batch finish one by one
        state.event("fetched", 1)
    assert task.completed == 50  # fetched counts half until the batch is loaded
    assert "100 fetched" in task.fields["status"]
    assert "ETA 0:01:10" in task.fields["status"]  # 5 units/s, 350 left
    clock.now += 10
    state.report(100, 400, "batch 1")
    assert task.completed == 100 and "100/400 pages done" in task.fields["status"]
    assert "ETA 0:01:00" in task.fields["status"]  # still 5 units/s, 300 left


def test_a_second_run_counts_afresh() -> None:
    """`newsflow demo` runs ingest twice under one bar."""
    bar = Progress(console=Console(file=io.StringIO(), force_terminal=True), auto_refresh=False)
    state = RunBar(bar, bar.add_task("demo", total=None, status=""), Clock())
    state.report(0, 0, "discovering")
    state.event("discovered", 94)
    state.report(0, 94)
    state.event("fetched", 94)
    state.report(94, 94, "batch 1")
    state.report(0, 0, "discovering")
    state.event("discovered", 3)
    assert bar.tasks[0].fields["status"] == "discovering: 3 pages found"
    state.report(0, 102)
    state.event("fetched", 2)
    assert "2 fetched" in bar.tasks[0].fields["status"] and bar.tasks[0].completed == 1


def test_without_fetch_events_a_loaded_page_still_counts_whole() -> None:
    """Tasks in other processes send no events: the bar follows the batches alone."""
    bar = Progress(console=Console(file=io.StringIO(), force_terminal=True), auto_refresh=False)
    state = RunBar(bar, bar.add_task("ingest", total=None, status=""), Clock())
    state.report(0, 10)
    state.report(10, 10, "batch 1")
    assert bar.tasks[0].completed == 10


def test_stage_events_reach_the_bar_at_a_terminal() -> None:
    out = io.StringIO()
    with cli_progress("ingest", console=Console(file=out, force_terminal=True, width=120)):
        events.emit("discovered", 7)
    assert "discovering: 7 pages found" in out.getvalue()
    events.emit("discovered", 7)  # nobody listens any more: nothing happens


def test_prefect_log_lines_go_above_the_bar_not_through_it() -> None:
    raw = io.StringIO()
    handler = PrefectConsoleHandler(stream=raw)
    logger = logging.getLogger("prefect.newsflow-test-bar")
    logger.propagate = False
    try:
        out = io.StringIO()
        with cli_progress("ingest", console=Console(file=out, force_terminal=True, width=120)):
            logger.addHandler(handler)  # made while the bar is up, like the server's
            report(0, 10, "batch 0")
            logger.warning("a Prefect line while the bar is live")
        logger.warning("a Prefect line after the bar")
    finally:
        logger.removeHandler(handler)
    assert "a Prefect line while the bar is live" in out.getvalue()
    assert "while the bar is live" not in raw.getvalue()
    assert "a Prefect line after the bar" in raw.getvalue()  # the handler is given back
