"""The scheduled maintenance flow: compact the warehouse (deployments/prefect.yaml).

A lake collects one small Parquet file per table per committed batch (a 15-minute
feed schedule makes ~100 a day per table); compaction merges them so reads open few
files. It takes the warehouse lock like a run, so it never merges under a SQLite
catalog's single writer; on a PostgreSQL catalog it runs beside ingests (DuckLake
settles a merge that meets a concurrent commit).
"""

from __future__ import annotations

import json
from typing import Any

from prefect import flow, get_run_logger

from flows.locking import warehouse_lock
from flows.settings import from_environment
from warehouse.maintenance import compact
from warehouse.store import DEFAULT_DB


@flow(name="maintenance", log_prints=False)
def maintenance(db: str | None = None) -> dict[str, Any]:
    """Compact the warehouse at `db` (default: $NEWSFLOW_DB, then the default file);
    returns the file counts before and after."""
    settings = from_environment()  # once per run, as ingest reads them
    db = db or settings.db or DEFAULT_DB
    with warehouse_lock(db):
        result = compact(db, memory=settings.duckdb_memory)
    get_run_logger().info("compaction: %s", json.dumps(result))
    return result
