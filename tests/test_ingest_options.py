"""`newsflow ingest --max-pages / --follow-links / --since` reach discovery, flags and files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tasks.config import ConfigError, load_config, parse_since


def _ingest(prefect_api: str, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "newsflow"), "ingest", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PREFECT_API_URL": prefect_api},
        timeout=600,
    )


def _articles(db: Path) -> list[tuple[str, datetime | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT url, published_at FROM articles").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_max_pages_and_since_flags(demo_site: Any, prefect_api: str, tmp_path: Path) -> None:
    demo_site.set_edition(0)
    since = datetime(2026, 3, 5, tzinfo=UTC)
    db = tmp_path / "w.duckdb"
    done = _ingest(
        prefect_api,
        db,
        *("--sitemap", demo_site.sitemaps[0], "--feed", demo_site.feeds[1]),
        *("--max-pages", "4", "--since", "2026-03-05", "--allow-private-hosts"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = _articles(db)
    assert 2 <= len(rows) <= 8  # at most 4 from each of the two sources
    dated = [p for _, p in rows if p is not None]
    assert dated and all(p >= since for p in dated)


@pytest.mark.slow
def test_follow_links_flag(demo_site: Any, prefect_api: str, tmp_path: Path) -> None:
    demo_site.set_edition(0)
    db = tmp_path / "w.duckdb"
    home = demo_site.homepages[0]
    done = _ingest(
        prefect_api,
        db,
        *("--url", home, "--follow-links", "1", "--max-pages", "6", "--allow-private-hosts"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = _articles(db)
    # Only the homepage was given (one page without the flag): the rest came from its links,
    # as many as --max-pages allows.
    assert len(rows) == 6 and any(url != home for url, _ in rows)


def test_bad_values_are_one_line_usage_errors(tmp_path: Path) -> None:
    cli = str(Path(sys.executable).parent / "newsflow")
    for args, message in (
        (["--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--max-pages", "0"], "--max-pages must be at least 1"),
        (["--follow-links", "-1"], "--follow-links must be 0 or more"),
    ):
        done = subprocess.run(
            [cli, "ingest", "--feed", "https://x.example/f", "--db", str(tmp_path / "w"), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_sources_file_keys(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "since: 2026-03-01\nsources:\n"
        "  - homepage: https://www.example.com/\n    follow_links: 1\n    max_pages: 20\n",
        encoding="utf-8",
    )
    cfg = load_config(config)
    assert cfg.since == datetime(2026, 3, 1, tzinfo=UTC)
    assert (cfg.sources[0].follow_links, cfg.sources[0].max_pages) == (1, 20)
    assert parse_since(date(2026, 3, 2), "x") == datetime(2026, 3, 2, tzinfo=UTC)
    with pytest.raises(ConfigError, match="not a date"):
        parse_since("3rd of March", "since")
