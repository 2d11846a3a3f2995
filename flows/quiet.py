"""Prefect's console lines on the CLI's terminal: no tracebacks, and above the progress bar.

A flow that fails logs its exception with the traceback (~50 lines of engine frames)
before the CLI prints its one line saying what to do. For CLI runs the console keeps
the message and drops the traceback; the run's logs in the Prefect API and UI keep it
(`NEWSFLOW_DEBUG=1` keeps it on the terminal too).

Prefect's console handlers also write to stderr through consoles of their own, which
know nothing of a live progress bar: each line landed in the middle of the bar's redraw.
While a bar is up they print through the bar's console instead (flows.progress).

One patch of `PrefectConsoleHandler.emit` does both, for every such handler, those
Prefect makes later (the server's) too. `emit` runs under the handler's lock, so the
swap of console and the hiding of the traceback last one call, and the record is given
back whole to the handlers after it (the API's keeps the traceback).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

_quiet = False  # drop tracebacks (a CLI run without NEWSFLOW_DEBUG)
_console: Console | None = None  # the console to print through (the progress bar's)


def debug() -> bool:
    return os.environ.get("NEWSFLOW_DEBUG", "").strip() not in ("", "0")


def first_line(exc: BaseException, limit: int) -> str:
    """The first line of an exception's message, at most `limit` characters."""
    return (str(exc).strip().splitlines() or [""])[0][:limit]


def _patch_console_handler() -> None:
    """Wrap `PrefectConsoleHandler.emit` once per process; inert while nothing is asked."""
    from prefect.logging.handlers import PrefectConsoleHandler

    original = PrefectConsoleHandler.emit
    if getattr(original, "_newsflow", False):
        return

    def emit(handler: PrefectConsoleHandler, record: logging.LogRecord) -> None:
        if not _quiet and _console is None:
            original(handler, record)
            return
        own = handler.console
        saved = record.exc_info, record.exc_text, record.stack_info
        if _console is not None:
            handler.console = _console
        if _quiet:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            original(handler, record)
        finally:
            handler.console = own
            record.exc_info, record.exc_text, record.stack_info = saved

    emit._newsflow = True  # type: ignore[attr-defined]
    PrefectConsoleHandler.emit = emit  # type: ignore[method-assign,assignment]


def quiet_console_tracebacks() -> None:
    """From now on in this process, Prefect's terminal lines carry no traceback (idempotent)."""
    global _quiet
    if debug():
        return
    _patch_console_handler()
    _quiet = True


@contextmanager
def prefect_logs_through(console: Console) -> Iterator[None]:
    """While open, Prefect's terminal lines print through `console`, above its live display."""
    global _console
    _patch_console_handler()
    outer, _console = _console, console
    try:
        yield
    finally:
        _console = outer
