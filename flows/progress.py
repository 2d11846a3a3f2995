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
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")
Listener = Callable[[int, int, str], None]

_listeners: list[Listener] = []
_guard = threading.Lock()


def report(done: int, total: int, note: str = "") -> None:
    """Tell whoever is watching that `done` of `total` units are finished."""
    with _guard:
        listeners = list(_listeners)
    for listener in listeners:
        listener(done, total, note)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    with _guard:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _guard:
            _listeners.remove(listener)


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
    with _bar(console) as bar:
        task_id = bar.add_task(label, total=None, note="")

        def update(done: int, total: int, note: str = "") -> None:
            bar.update(task_id, completed=done, total=total or None, note=note)

        with listening(update):
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
