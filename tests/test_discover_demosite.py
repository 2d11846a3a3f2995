"""Discover and fetch the demo news site twice: the second run only revalidates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from tasks.crawl.discover import Source, discover
from tasks.crawl.fetch import FetchSettings, fetch_batch
from warehouse.crawl_store import load_validators, write_batch
from warehouse.schema import migrate

demosite = pytest.importorskip("deployments.demosite.server", reason="demo site not available")
generator = pytest.importorskip("deployments.demosite.generator")


def _run(con: duckdb.DuckDBPyConnection, running: object, settings: FetchSettings, run_id: str):
    rows: list[dict] = []
    sources = [Source("feed", url) for url in running.feeds]  # type: ignore[attr-defined]
    targets, _ = discover(sources, settings, log_rows=rows)
    pages, log, stats = fetch_batch(
        targets, settings, load_validators(con, [t.url for t in targets])
    )
    con.execute("BEGIN TRANSACTION")
    write_batch(con, pages, rows + log, run_id)
    con.execute("COMMIT")
    return targets, pages, stats


def test_second_run_over_unchanged_demo_site_is_conditional_only(tmp_path: Path) -> None:
    settings = FetchSettings(
        allow_private_hosts=True, per_host_delay=0.0, cache_dir=str(tmp_path / "cache")
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    with demosite.serve(generator.build_site()) as running:
        targets, pages, stats = _run(con, running, settings, "r1")
        assert targets and stats.records_out == len(pages) > 0
        cache_rows = con.execute("SELECT count(*) FROM http_cache").fetchall()[0][0]
        running.reset_counts()
        again, pages2, stats2 = _run(con, running, dataclasses.replace(settings), "r2")
        assert [t.url for t in again] == [t.url for t in targets]
        assert running.count() > 0 and running.count(conditional=False) == 0
        assert stats2.records_out == 0 and stats2.extra["unchanged"] == len(pages2)
        assert con.execute("SELECT count(*) FROM http_cache").fetchall()[0][0] == cache_rows
