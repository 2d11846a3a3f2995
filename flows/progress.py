"""Progress for people: rich bars at a terminal, plain throttled lines anywhere else.

Flows report progress through `report()`, which costs nothing when nobody
listens (a deployment run on a worker). The CLI opens `cli_progress()` around a
flow call and sees every batch: a bar when stderr is a terminal, and otherwise
(CI, pipes, cron mail) one log line per step of at least 10%, never a redraw.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from flows.quiet import prefect_logs_through
from records import events

T = TypeVar("T")
Listener = Callable[[int, int, str], None]

_listeners: events.Channel[Listener] = events.Channel()


def report(done: int, total: int, note: str = "") -> None:
    """Tell whoever is watching that `done` of `total` units are finished."""
    for listener in _listeners.subscribers():
        listener(done, total, note)


listening = _listeners.subscribed


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _run_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


class PlainLines:
    """Logs `label: done/total unit (pct%) note` when a further 10% (or the end) is reached."""

    def __init__(self, label: str, unit: str, stream: IO[str], step: float = 10.0) -> None:
        self.label, self.unit, self.stream, self.step = label, unit, stream, step
        self.last = -step
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int, note: str = "") -> None:
        if total <= 0:  # nothing counted yet (discovery): say what is happening, keep the pace
            self.stream.write(f"{self.label}: {note or 'starting'}\n")
            self.stream.flush()
            return
        pct = 100.0 * done / total
        if pct < self.last + self.step and done < total:
            return
        self.last = pct
        elapsed = time.perf_counter() - self.started
        extra = f" {note}" if note else ""
        self.stream.write(
            f"{self.label}: {done}/{total} {self.unit} ({pct:.0f}%){extra} [{elapsed:.1f} s]\n"
        )
        self.stream.flush()


class RunBar:
    """What the run's bar shows: pages found while discovering, then pages done and an ETA.

    The flow reports the total once discovery is over and the pages loaded after each
    batch; the stages announce every page listed and every page fetched (records.events).
    A page counts half when fetched and whole when loaded, so the bar moves page by page
    within a batch and ends when the last batch is committed. The ETA is the rate since
    the total became known applied to what is left.
    """

    def __init__(
        self, bar: Progress, task_id: TaskID, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bar, self.task_id, self.clock = bar, task_id, clock
        self.found = self.total = self.fetched = self.done = 0
        self.note = ""
        self.since: tuple[float, float] | None = None  # (time, units) when the total came
        self._lock = threading.Lock()

    def event(self, event: str, count: int) -> None:
        with self._lock:
            if event == "discovered":
                self.found += count
            elif event == "fetched":
                self.fetched += count
            self._show()

    def report(self, done: int, total: int, note: str = "") -> None:
        with self._lock:
            if not done and not total:  # a run starts (the demo runs two): count afresh
                self.found = self.total = self.fetched = 0
                self.since = None
            self.done, self.note = done, note
            self.total = total or self.total
            self._show()

    def _show(self) -> None:
        if not self.total:
            found = f"{self.found:,} pages found" if self.found else "reading feeds and sitemaps"
            status = f"discovering: {found}" if self.note or self.found else "starting"
            self.bar.update(self.task_id, total=None, completed=0, status=status)
            return
        done = min(self.done, self.total)
        fetched = min(max(self.fetched, done), self.total)
        units = (fetched + done) / 2
        now = self.clock()
        if self.since is None:
            self.since = (now, units)
        eta = "ETA -:--:--"
        t0, u0 = self.since
        if units > u0 and now > t0:
            left = (self.total - units) / ((units - u0) / (now - t0))
            eta = f"ETA {int(left) // 3600}:{int(left) % 3600 // 60:02d}:{int(left) % 60:02d}"
        status = f"{done:,}/{self.total:,} pages done · {fetched:,} fetched"
        status += f" · {self.note} · {eta}" if self.note else f" · {eta}"
        self.bar.update(self.task_id, total=self.total, completed=units, status=status)


@contextmanager
def cli_progress(
    label: str, *, unit: str = "pages", console: Console | None = None
) -> Iterator[None]:
    """Show progress of whatever runs inside (a flow call) while this block is open."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        with listening(PlainLines(label, unit, console.file)):
            yield
        return
    with _run_bar(console) as bar, prefect_logs_through(bar.console):
        state = RunBar(bar, bar.add_task(label, total=None, status=""))
        with listening(state.report), events.subscribed(state.event):
            state.report(0, 0)  # "starting" until the flow says it is discovering
            yield


def track(
    items: Sequence[T] | Iterable[T],
    label: str,
    *,
    total: int | None = None,
    unit: str = "items",
    console: Console | None = None,
) -> Iterator[T]:
    """Iterate with progress (bench loops): a bar at a terminal, 10% lines otherwise."""
    console = console or Console(stderr=True)
    if total is None and isinstance(items, Sequence):
        total = len(items)
    if console.is_terminal:
        with _bar(console) as bar:
            task_id = bar.add_task(label, total=total, note="")
            for item in items:
                yield item
                bar.advance(task_id)
        return
    lines = PlainLines(label, unit, console.file)
    done = 0
    for item in items:
        yield item
        done += 1
        if total:
            lines(done, total)
    if not total:
        lines(done, done)
