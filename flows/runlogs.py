"""Every `newsflow.*` logger's records reach the running flow run's logs in the Prefect UI.

Prefect sends only its own loggers to the API; the reasons a feed could not be read,
a lock wait or an artifact that failed are logged by `newsflow.discover`,
`newsflow.lock`, ... and were seen only on a terminal. While a flow runs, a handler on
the `newsflow` logger stamps each record with that flow run's id (from any thread of
the process, so the prefetch thread's records count too) and hands it to Prefect's
API log handler. Nested runs (demo -> ingest) send to the innermost one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.logging.handlers import APILogHandler
from prefect.runtime import flow_run

ROOT = "newsflow"


class _ToFlowRun(APILogHandler):
    def __init__(self, flow_run_id: str) -> None:
        super().__init__(level=logging.INFO)
        self.flow_run_id = flow_run_id

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "flow_run_id", None) is None:
            record.flow_run_id = self.flow_run_id
        super().emit(record)


@contextmanager
def newsflow_logs_to_run() -> Iterator[None]:
    """Within a flow run: send `newsflow.*` records to it; elsewhere: do nothing."""
    run_id = flow_run.get_id()
    if not run_id:
        yield
        return
    logger = logging.getLogger(ROOT)
    outer = [h for h in logger.handlers if isinstance(h, _ToFlowRun)]
    for handler in outer:
        logger.removeHandler(handler)
    handler = _ToFlowRun(run_id)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        for previous in outer:
            logger.addHandler(previous)
