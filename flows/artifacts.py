"""What a run shows in the Prefect UI: a progress bar, a markdown summary, two tables.

Artifacts are keyed per deployment (`newsflow-feeds-summary`, ...), so the UI's
artifact page shows the latest run of each schedule next to its history, and
runs outside a deployment share `newsflow-run-*`. Publishing is best effort: a
busy or unreachable API costs a warning in the log, never the run itself, because
the warehouse (`runs` table) is the record of truth and the artifact only a view.
The progress artifact also feeds the CLI's progress bar through `flows.progress`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from flows import progress as cli_progress
from flows.tracking import SOURCE_COLUMNS, RunTracker

R = TypeVar("R")
log = logging.getLogger("newsflow.artifacts")
STAGE_COLUMNS = ("stage", "in", "out", "dropped", "seconds")


def _best_effort(what: str, call: Callable[[], R]) -> R | None:
    try:
        return call()
    except Exception as exc:
        log.warning(
            "could not publish %s artifact (%s: %s); the run goes on", what, type(exc).__name__, exc
        )
        return None


def artifact_key(kind: str) -> str:
    """`newsflow-<deployment>-<kind>`; keys allow only lowercase letters, digits and dashes."""
    from prefect.runtime import deployment

    name = deployment.name or "run"
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "run"
    return f"newsflow-{slug}-{kind}"


def start_progress(run_id: str) -> UUID | None:
    cli_progress.report(0, 0, "discovering")
    return _best_effort(
        "progress",
        lambda: create_progress_artifact(
            progress=0.0, key=None, description=f"newsflow run {run_id}: pages processed"
        ),
    )


def update_progress(artifact_id: UUID | None, tracker: RunTracker) -> None:
    """Called after each batch: moves the UI's progress artifact and the CLI's bar."""
    total = tracker.total_targets
    cli_progress.report(tracker.done_targets, total, f"batch {tracker.batches}")
    if artifact_id is None:
        return
    pct = 100.0 * tracker.done_targets / total if total else 100.0
    _best_effort("progress", lambda: update_progress_artifact(artifact_id, progress=min(pct, 100)))


def finish_progress(artifact_id: UUID | None) -> None:
    """A run that ends early (nothing discovered, or failed) still shows a settled bar."""
    if artifact_id is not None:
        _best_effort("progress", lambda: update_progress_artifact(artifact_id, progress=100.0))


def _cell(value: Any) -> str:
    """Markdown table cells: no pipes or newlines from URLs or error texts may break the table."""
    return re.sub(r"\s+", " ", "" if value is None else str(value)).replace("|", "\\|")


def _dropped(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted((row.get("dropped") or {}).items()))


def stage_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "stage": row["stage"],
            "in": row.get("in", ""),
            "out": row.get("out", ""),
            "dropped": _dropped(row),
            "seconds": row["seconds"],
        }
        for row in summary.get("stages", [])
    ]


def render_markdown(
    summary: dict[str, Any],
    status: str = "completed",
    db: str | None = None,
    message: str | None = None,
) -> str:
    """The run summary for the UI: headline counts, per source, per stage, where to look next."""
    s = summary
    lines = [
        f"# newsflow run `{s['run_id']}`: {status}",
        "",
        f"{s['pages_discovered']} pages discovered, {s['pages_fetched']} fetched, "
        f"{s['pages_unchanged']} unchanged, {s['pages_failed']} failed; "
        f"{s['articles_new']} new articles, {s['articles_updated']} updated, "
        f"{s['duplicates']} duplicates; {s['batches']} batches in {s['seconds']} s.",
        "",
    ]
    if message:  # the flow's own verdict (every source failed, or some did)
        lines += [f"> **{_cell(message)}**", ""]
    elif status != "completed":
        lines += [
            "> **This run did not finish.** Batches committed before the failure are in the "
            "warehouse; the flow run's state message names the stage, the batch and what to "
            "do. Running again resumes: unchanged pages are skipped.",
            "",
        ]
    lines += [
        "## Per source",
        "",
        "| source | " + " | ".join(SOURCE_COLUMNS) + " | failure reasons |",
        "|---|" + "---:|" * len(SOURCE_COLUMNS) + "---|",
    ]
    for row in s["sources"]:
        cells = " | ".join(_cell(row[c]) for c in SOURCE_COLUMNS)
        lines.append(f"| {_cell(row['source'])} | {cells} | {_cell(row['reasons'])} |")
    if not s["sources"]:
        lines.append("| (no sources produced pages) |" + " |" * (len(SOURCE_COLUMNS) + 1))
    lines += [
        "",
        "## Per stage",
        "",
        "| stage | in | out | dropped | seconds |",
        "|---|---:|---:|---|---:|",
    ]
    for row in stage_rows(s):
        lines.append("| " + " | ".join(_cell(row[c]) for c in STAGE_COLUMNS) + " |")
    if db:
        lines += [
            "",
            "## In the warehouse",
            "",
            f"Every row this run wrote carries `run_id = '{s['run_id']}'`; "
            "`runs.flow_run_id` links it back to this flow run:",
            "",
            "```",
            f"newsflow query \"SELECT * FROM runs WHERE run_id = '{s['run_id']}'\" --db {db}",
            "```",
        ]
    return "\n".join(lines) + "\n"


def publish_summary(
    summary: dict[str, Any],
    status: str = "completed",
    db: str | None = None,
    message: str | None = None,
) -> None:
    """Markdown summary plus per-source and per-stage tables, under per-deployment keys."""
    headline = (
        f"{status}: {summary['articles_new']} new, {summary['articles_updated']} updated, "
        f"{summary['duplicates']} duplicates, {summary['pages_failed']} failed pages"
    )
    _best_effort(
        "summary",
        lambda: create_markdown_artifact(
            markdown=render_markdown(summary, status, db, message),
            key=artifact_key("summary"),
            description=headline,
        ),
    )
    sources = [
        {"source": r["source"], **{c: r[c] for c in SOURCE_COLUMNS}, "reasons": r["reasons"]}
        for r in summary["sources"]
    ]
    _best_effort(
        "sources table",
        lambda: create_table_artifact(
            table=sources,
            key=artifact_key("sources"),
            description="Per source: " + ", ".join(SOURCE_COLUMNS) + ", failure reasons",
        ),
    )
    _best_effort(
        "stages table",
        lambda: create_table_artifact(
            table=stage_rows(summary),
            key=artifact_key("stages"),
            description="Per stage: records in and out, drops by reason, seconds",
        ),
    )


def publish_demo_summary(summaries: list[dict[str, Any]], db: str) -> None:
    """The demo's own run page shows both editions' summaries (its ingest subflow runs have
    the details), so a fresh server's first completed run is not an empty page."""
    parts = [f"# newsflow demo: {len(summaries)} editions into `{db}`", ""]
    for number, summary in enumerate(summaries):
        parts.append(f"## Edition {number}")
        parts.append(render_markdown(summary, "completed", db).replace("# ", "### ", 1))
    _best_effort(
        "demo summary",
        lambda: create_markdown_artifact(
            markdown="\n".join(parts),
            key=artifact_key("summary"),
            description=", ".join(
                f"edition {n}: {s['articles_new']} new, {s['articles_updated']} updated"
                for n, s in enumerate(summaries)
            ),
        ),
    )
