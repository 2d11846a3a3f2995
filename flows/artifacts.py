"""What a run shows in the Prefect UI: a progress bar, a markdown summary, a table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from flows.tracking import SOURCE_COLUMNS, RunTracker


def start_progress(run_id: str) -> UUID | None:
    return create_progress_artifact(
        progress=0.0, key=None, description=f"newsflow run {run_id}: pages processed"
    )


def update_progress(artifact_id: UUID | None, tracker: RunTracker) -> None:
    if artifact_id is None:
        return
    total = max(tracker.total_targets, 1)
    update_progress_artifact(artifact_id, progress=100.0 * tracker.done_targets / total)


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# newsflow run `{summary['run_id']}`",
        "",
        f"{summary['pages_discovered']} pages discovered, {summary['pages_fetched']} fetched, "
        f"{summary['pages_unchanged']} unchanged, {summary['pages_failed']} failed; "
        f"{summary['articles_new']} new articles, {summary['articles_updated']} updated, "
        f"{summary['duplicates']} duplicates; {summary['batches']} batches in "
        f"{summary['seconds']} s.",
        "",
        "## Per source",
        "",
        "| source | " + " | ".join(SOURCE_COLUMNS) + " | failure reasons |",
        "|---|" + "---:|" * len(SOURCE_COLUMNS) + "---|",
    ]
    for row in summary["sources"]:
        cells = " | ".join(str(row[c]) for c in SOURCE_COLUMNS)
        lines.append(f"| {row['source']} | {cells} | {row['reasons']} |")
    lines += ["", "## Per stage", "", "| stage | in | out | dropped | seconds |", "|---|---:|---:|---|---:|"]
    for row in summary["stages"]:
        dropped = ", ".join(f"{k}: {v}" for k, v in (row.get("dropped") or {}).items())
        lines.append(
            f"| {row['stage']} | {row.get('in', '')} | {row.get('out', '')} | {dropped} | {row['seconds']} |"
        )
    return "\n".join(lines)


def publish_summary(summary: dict[str, Any]) -> None:
    create_markdown_artifact(
        markdown=_markdown(summary),
        key="newsflow-run-summary",
        description="What this ingest run did, per source and per stage",
    )
    create_table_artifact(
        table=summary["sources"],
        key="newsflow-run-sources",
        description="Per source: discovered, fetched, unchanged, new, updated, duplicates, failed",
    )
