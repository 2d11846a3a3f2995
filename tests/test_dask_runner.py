"""Scale-out: the heavy stages on a Dask LocalCluster (two worker processes) give the
same results as the default local thread runner.

Needs the benchmark pages (real news HTML) from the shared data directory.
"""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from prefect import flow

from flows.runners import batch_hosts, choose_task_runner
from flows.stages import CLEAN, run_stage
from records import Page
from tasks.context import StageContext

pytestmark = pytest.mark.slow

SHARED = Path(os.environ.get("NEWSFLOW_SHARED", Path(__file__).resolve().parents[2] / "shared"))
PAGES = SHARED / "bench" / "aeb" / "html"
DASK = "dask:2"  # LocalCluster, n_workers=2, processes=True, threads_per_worker=1
# Columns that differ between any two runs by design: who ran and when.
VOLATILE = {
    "run_id",
    "first_seen_at",
    "last_seen_at",
    "detected_at",
    "updated_at",
    "checked_at",
    "fetched_at",
    "flow_run_id",
    "elapsed_ms",
}
TABLES = (
    "articles",
    "duplicates",
    "stories",
    "entities",
    "article_entities",
    "article_keywords",
    "article_topics",
    "article_signatures",
    "host_paragraphs",
)

needs_pages = pytest.mark.skipif(
    not PAGES.is_dir(), reason=f"benchmark pages not found at {PAGES} (set NEWSFLOW_SHARED)"
)


def _pages(count: int) -> list[Page]:
    files = sorted(PAGES.glob("*.html.gz"))[:count]
    return [
        Page(
            url=f"https://outlet{i % 3}.example/news/{f.name.split('.')[0][:12]}",
            final_url=f"https://outlet{i % 3}.example/news/{f.name.split('.')[0][:12]}",
            source="bench",
            status=200,
            body=gzip.decompress(f.read_bytes()),
            content_type="text/html",
        )
        for i, f in enumerate(files)
    ]


@flow(name="clean-probe")
def clean_probe(count: int, size: int) -> list[dict[str, Any]]:
    """Reads the pages itself: flow parameters are stored by the API and capped at 512 kB."""
    pages = _pages(count)
    out: list[dict[str, Any]] = []
    for number, start in enumerate(range(0, len(pages), size), start=1):
        batch = pages[start : start + size]
        articles = run_stage(CLEAN, (batch, {}, None), StageContext(), number, batch_hosts(batch))
        out += [
            {k: v for k, v in dataclasses.asdict(a).items() if k != "fetched_at"} for a in articles
        ]
    return out


@needs_pages
def test_clean_on_a_dask_cluster_matches_threads() -> None:
    local = clean_probe.with_options(task_runner=choose_task_runner("threads"))(24, 8)
    dask = clean_probe.with_options(task_runner=choose_task_runner(DASK))(24, 8)
    assert len(local) > 10  # real pages produced real articles
    assert dask == local


def _snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            keep = ", ".join(c for c in columns if c not in VOLATILE)
            out[table] = con.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@needs_pages
@pytest.mark.skipif(
    importlib.util.find_spec("tasks.dedup") is None, reason="tasks/dedup.py has not landed yet"
)
def test_ingest_on_a_dask_cluster_fills_the_same_warehouse(tmp_path: Path) -> None:
    from flows.ingest import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in sorted(PAGES.glob("*.html.gz"))[:30]:
        shutil.copy(f, inbox / f.name)
    sources = [{"kind": "dir", "location": str(inbox)}]
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    ingest.with_options(task_runner=choose_task_runner("threads"))(
        sources=sources, db=str(local_db), batch_size=10
    )
    ingest.with_options(task_runner=choose_task_runner(DASK))(
        sources=sources, db=str(dask_db), batch_size=10
    )
    local, dask = _snapshot(local_db), _snapshot(dask_db)
    assert len(local["articles"]) > 10
    for table in TABLES:
        assert dask[table] == local[table], table


def test_runner_settings() -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    assert isinstance(choose_task_runner(""), ThreadPoolTaskRunner)
    assert isinstance(choose_task_runner("threads:3"), ThreadPoolTaskRunner)
    assert isinstance(choose_task_runner("processes:2"), ProcessPoolTaskRunner)
    local = choose_task_runner("dask:3")
    assert isinstance(local, DaskTaskRunner)
    assert local.cluster_kwargs == {"n_workers": 3, "processes": True, "threads_per_worker": 1}
    remote = choose_task_runner("tcp://10.0.0.5:8786")
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"
    for bad in ("dask:0", "threads:x", "ray"):
        with pytest.raises(ValueError, match="NEWSFLOW_TASK_RUNNER"):
            choose_task_runner(bad)
