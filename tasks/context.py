"""What every stage gets besides its batch: the run's settings, resolved once by the flow.

Every stage function has the same shape, `(batch, context) -> (batch, stats)`, so the flow
runs them all the same way (see flows/stages.py) and no stage reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the crawl stage imports this module; its settings type is only named here
    from tasks.crawl.fetch import FetchSettings


@dataclass(frozen=True)
class StageContext:
    db: str | None = None  # the warehouse file; None (or no file yet): nothing stored
    run_id: str = ""  # the ingest run that writes (runs.run_id)
    fetch: FetchSettings | None = None  # None: FetchSettings() defaults
    workers: int = 0  # worker processes for per-page work; 0 = in the stage's own process
    ner: str | None = None  # entity recogniser for enrich (None: its default)
