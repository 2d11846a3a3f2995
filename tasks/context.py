"""What every stage gets besides its batch: the run's settings, resolved once by the flow.

Every stage function has the same shape, `(batch, context) -> (batch, stats)`, so the flow
runs them all the same way (see flows/stages.py). No stage reads the environment: the flow
resolves the environment's settings (flows/settings.py) and passes them in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the crawl stage imports this module; its settings types are only named here
    from tasks.crawl.fetch import FetchSettings, HostMemory


@dataclass(frozen=True)
class StageContext:
    db: str | None = None  # the warehouse file; None (or no file yet): nothing stored
    run_id: str = ""  # the ingest run that writes (runs.run_id)
    fetch: FetchSettings | None = None  # None: FetchSettings() defaults
    workers: int = 0  # worker processes for per-page work; 0 = in the stage's own process
    ner: str | None = None  # entity recogniser for enrich: rules, fast or spacy (None: rules)
    since: datetime | None = None  # discovery keeps only pages dated on/after this
    memory: HostMemory | None = None  # robots and request times per host, for the whole run
    page_cpu_seconds: float | None = None  # CPU budget of one page (None: PAGE_CPU_SECONDS)
    duckdb_memory: str | None = None  # DuckDB memory of a writer (None: WRITER_MEMORY)
