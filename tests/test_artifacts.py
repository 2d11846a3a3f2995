"""The run summary as the UI shows it: complete, readable, and unbroken by odd input."""

from __future__ import annotations

from typing import Any

from flows.artifacts import artifact_key, render_markdown, stage_rows
from flows.tracking import SOURCE_COLUMNS


def _summary() -> dict[str, Any]:
    return {
        "run_id": "abc123",
        "seconds": 4.2,
        "batches": 2,
        "pages_discovered": 5,
        "pages_fetched": 3,
        "pages_unchanged": 1,
        "pages_failed": 1,
        "articles_new": 2,
        "articles_updated": 1,
        "duplicates": 1,
        "sources": [
            {
                "source": "https://a.example/rss",
                **dict.fromkeys(SOURCE_COLUMNS, 1),
                "reasons": "http 503 | retry\nlater (1)",
            },
        ],
        "stages": [
            {"stage": "clean", "in": 3, "out": 2, "dropped": {"too-short": 1}, "seconds": 0.5},
            {"stage": "orchestration", "seconds": 0.1},
        ],
    }


def test_markdown_has_every_source_column_and_survives_pipes() -> None:
    text = render_markdown(_summary(), "completed", "data/w.duckdb")
    row = next(line for line in text.splitlines() if line.startswith("| https://a.example"))
    # One row, one cell per column: the pipe and newline in the reason are escaped.
    assert row.count(" | ") == len(SOURCE_COLUMNS) + 1
    assert "http 503 \\| retry later (1)" in row
    assert "| clean | 3 | 2 | too-short: 1 | 0.5 |" in text
    assert "run_id = 'abc123'" in text and "--db data/w.duckdb" in text
    assert "did not finish" not in text


def test_failed_run_says_what_happened() -> None:
    text = render_markdown(_summary(), "failed")
    assert text.startswith("# newsflow run `abc123`: failed")
    assert "did not finish" in text and "resumes" in text


def test_empty_run_still_renders_a_table() -> None:
    summary = {**_summary(), "sources": [], "stages": []}
    assert "(no sources produced pages)" in render_markdown(summary)
    assert stage_rows(summary) == []


def test_keys_outside_a_deployment_are_shared_and_valid() -> None:
    key = artifact_key("summary")
    assert key == "newsflow-run-summary"
    assert all(c.islower() or c.isdigit() or c == "-" for c in key)
