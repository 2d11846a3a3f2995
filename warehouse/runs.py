"""The `runs` table: one row per ingest run, linked to its Prefect flow run."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from warehouse.lake import is_lake, mark_commit, run_message, upsert
from warehouse.store import location, transaction, write_with_room, writer

RUN_COUNTS = (
    "pages_discovered",
    "pages_fetched",
    "pages_unchanged",
    "pages_failed",
    "articles_new",
    "articles_updated",
    "duplicates",
)


def begin_run(
    db_path: str,
    run_id: str,
    flow_run_id: str | None,
    sources: Sequence[str],
    memory: str | None = None,
) -> None:
    """Record a started run; a run still marked running was killed, so say so (unless
    several runs may write at once: then another one may well be running)."""
    with writer(db_path, memory=memory) as con:
        if not location(db_path).multi_writer:
            con.execute(
                "UPDATE runs SET status = 'crashed' WHERE status = 'running' AND run_id <> ?",
                [run_id],
            )
        upsert(
            con,
            "runs",
            ("run_id", "flow_run_id", "started_at", "status", "sources"),
            "SELECT ?::VARCHAR AS run_id, ?::VARCHAR AS flow_run_id, "
            "?::TIMESTAMPTZ AS started_at, 'running' AS status, ?::VARCHAR[] AS sources",
            ("run_id",),
            None,
            [run_id, flow_run_id, datetime.now(UTC), list(sources)],
        )


def _counts_update(counts: Mapping[str, int]) -> tuple[str, list[int]]:
    """The `SET` list and values that store a run's counts (RUN_COUNTS, missing ones 0)."""
    return ", ".join(f"{name} = ?" for name in RUN_COUNTS), [
        int(counts.get(name, 0)) for name in RUN_COUNTS
    ]


def record_counts(
    db_path: str, run_id: str, counts: Mapping[str, int], memory: str | None = None
) -> None:
    """After each committed batch: the run's counts so far, so a killed run keeps them.

    A crashed run's row otherwise says 0 pages although its batches are in the warehouse.
    """
    assignments, values = _counts_update(counts)

    def record(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"UPDATE runs SET {assignments} WHERE run_id = ?", [*values, run_id])

    with writer(db_path, memory=memory) as con:
        write_with_room(con, record)  # retried when another writer's commit conflicts


def finish_run(
    db_path: str,
    run_id: str,
    status: str,
    counts: Mapping[str, int],
    stats: Mapping[str, Any],
    memory: str | None = None,
) -> None:
    """Record how the run ended; a completed run rebuilds the full-text index first."""
    assignments, values = _counts_update(counts)
    from warehouse.search import refresh_index

    with writer(db_path, memory=memory) as con:
        lake = is_lake(con)
        if status == "completed" and not lake:
            # Rebuild full-text search now (only if articles changed), so the first
            # `newsflow search` after a run does not pay for it.
            with transaction(con):
                refresh_index(con)

        def record(con: duckdb.DuckDBPyConnection) -> None:
            if lake:  # the snapshot this commit makes is the run's (`query --as-of RUN_ID`)
                mark_commit(con, run_message(run_id))
            con.execute(
                f"UPDATE runs SET finished_at = ?, status = ?, stats = ?, {assignments} "
                "WHERE run_id = ?",
                [datetime.now(UTC), status, json.dumps(stats, default=str), *values, run_id],
            )

        write_with_room(con, record)
