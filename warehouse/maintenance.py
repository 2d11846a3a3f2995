"""Compaction: a lake's per-batch commits leave many small Parquet files; merge them.

Every committed batch writes one small Parquet file per table it touched (hundreds of
rows each), and reading a table means opening all of them. DuckLake's
`ducklake_merge_adjacent_files` rewrites adjacent small files of a table into one
without expiring snapshots (the merged file remembers which snapshot added which
rows), so time travel keeps working; `ducklake_cleanup_old_files` then deletes the
replaced files once no reader can still be scanning them (`keep` old, by default an
hour). A DuckDB file has no small files: there compaction is a checkpoint.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import duckdb

from warehouse.location import Location
from warehouse.store import WarehouseError, location, writer

# Replaced files younger than this stay on disk: a reader may still be scanning them.
KEEP = dt.timedelta(hours=1)


def live_files(con: duckdb.DuckDBPyConnection) -> int:
    """Parquet data files the lake's current snapshot reads."""
    meta = _metadata(con)
    return int(
        con.execute(
            f"SELECT count(*) FROM {meta}.ducklake_data_file WHERE end_snapshot IS NULL"
        ).fetchall()[0][0]
    )


def files_on_disk(loc: Location) -> int:
    if loc.data_path is None or not loc.data_path.exists():
        return 0
    return sum(1 for _ in loc.data_path.rglob("*.parquet"))


def compact(
    db: str | os.PathLike[str] | Location,
    *,
    keep: dt.timedelta = KEEP,
    memory: str | None = None,
) -> dict[str, Any]:
    """Merge the lake's small files and delete replaced ones older than `keep`;
    returns the file counts before and after (or, for a file, that it checkpointed).
    `memory` is the writer's DuckDB memory limit (None: WRITER_MEMORY)."""
    loc = location(db)
    with writer(loc, memory=memory) as con:
        if not loc.is_lake:
            con.execute("CHECKPOINT")
            return {"warehouse": str(loc), "kind": "file", "checkpointed": True}
        name = _quoted_name(con)
        before, disk_before = live_files(con), files_on_disk(loc)
        try:
            con.execute(f"CALL ducklake_merge_adjacent_files({name})")
            con.execute(
                f"CALL ducklake_cleanup_old_files({name}, older_than => now() - ?::INTERVAL)",
                [f"{int(keep.total_seconds())} seconds"],
            )
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise WarehouseError(f"compaction of {loc} failed: {first}") from exc
        after, disk_after = live_files(con), files_on_disk(loc)
    return {
        "warehouse": str(loc),
        "kind": "lake",
        "live_files_before": before,
        "live_files_after": after,
        "files_on_disk_before": disk_before,
        "files_on_disk_after": disk_after,
    }


def _quoted_name(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchall()[0][0]
    return "'" + str(name).replace("'", "''") + "'"


def _metadata(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchall()[0][0]
    return '"' + f"__ducklake_metadata_{name}".replace('"', '""') + '"'
