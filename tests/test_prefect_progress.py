"""CLI progress: a rich bar at a terminal, sparse plain lines in logs and pipes."""

from __future__ import annotations

import io

from rich.console import Console

from flows.progress import cli_progress, report, track


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    with cli_progress("ingest", console=Console(file=out, force_terminal=False)):
        report(0, 0, "discovering")
        for done in range(0, 101, 5):
            report(done, 100, f"batch {done // 5}")
    lines = out.getvalue().splitlines()
    # Every 10%, not every call; the end is always reported; no terminal escapes.
    assert 10 <= len(lines) <= 12, lines
    assert lines[-1].startswith("ingest: 100/100 pages (100%) batch 20")
    assert "\x1b" not in out.getvalue()
    report(5, 10)  # nobody listens any more: no error, no output
    assert len(out.getvalue().splitlines()) == len(lines)


def test_bar_at_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with cli_progress("demo", console=console):
        report(3, 4, "batch 1")
    text = out.getvalue()
    assert "demo" in text and "3/4" in text and "\x1b[" in text


def test_track_counts_items_in_logs() -> None:
    out = io.StringIO()
    items = list(track(range(20), "bench", unit="pages", console=Console(file=out)))
    assert items == list(range(20))
    assert out.getvalue().splitlines()[-1].startswith("bench: 20/20 pages (100%)")
