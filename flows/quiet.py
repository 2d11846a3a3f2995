"""One line per error on the terminal: Prefect's console handlers print no tracebacks.

A flow that fails logs its exception with the traceback (~50 lines of engine frames)
before the CLI prints its one line saying what to do. For CLI runs the console keeps
the message and drops the traceback; the run's logs in the Prefect API and UI keep it
(`NEWSFLOW_DEBUG=1` keeps it on the terminal too).
"""

from __future__ import annotations

import logging
import os

_LOGGERS = ("", "prefect", "prefect.flow_runs", "prefect.task_runs", "prefect.engine")


class _NoTraceback(logging.Formatter):
    """Formats like the handler's own formatter, without exception or stack text."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def debug() -> bool:
    return os.environ.get("NEWSFLOW_DEBUG", "").strip() not in ("", "0")


def quiet_console_tracebacks() -> None:
    """Wrap the formatters of Prefect's terminal handlers (idempotent)."""
    if debug():
        return
    import prefect.main  # noqa: F401 - its import sets up the handlers we wrap
    from prefect.logging.handlers import PrefectConsoleHandler

    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, PrefectConsoleHandler) and not isinstance(
                handler.formatter, _NoTraceback
            ):
                handler.setFormatter(_NoTraceback(handler.formatter))
