"""The whole ingest flow on the demo site: quality of what lands, idempotence, kill -9 safety."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest

from records import article_id_for
from tasks.crawl.urls import canonicalize_url
from tests.conftest import FAST_FETCH, REPO, demo_sources
from warehouse.query import connect_readonly
from warehouse.store import WarehouseError

pytestmark = pytest.mark.slow

# Content tables compared between runs; run ids, timestamps and logs differ by design.
SNAPSHOT = {
    "articles": "SELECT article_id, canonical_url, source, title, authors, published_at, "
    "modified_at, language, text, word_count, content_hash, duplicate_of, story_id "
    "FROM articles ORDER BY article_id",
    "duplicates": "SELECT article_id, duplicate_of, method, round(similarity, 4) "
    "FROM duplicates ORDER BY ALL",
    "stories": "SELECT story_id, headline, first_published_at, last_published_at, article_count, "
    "source_count FROM stories ORDER BY ALL",
    "entities": "SELECT * FROM article_entities ORDER BY ALL",
    "keywords": "SELECT article_id, keyword, round(score, 4) FROM article_keywords ORDER BY ALL",
    "topics": "SELECT article_id, topic, round(score, 4) FROM article_topics ORDER BY ALL",
    "signatures": "SELECT * FROM article_signatures ORDER BY ALL",
    "paragraphs": "SELECT * FROM host_paragraphs ORDER BY ALL",
    "paragraph_counts": "SELECT * FROM host_paragraph_counts ORDER BY ALL",
    "paragraph_pages": "SELECT * FROM host_paragraph_pages ORDER BY ALL",
}


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        con.close()


def run_ingest(site: Any, db: Path, **kwargs: Any) -> dict[str, Any]:
    from flows.ingest import ingest

    return ingest(
        sources=demo_sources(site), db=str(db), allow_private_hosts=True, fetch=FAST_FETCH, **kwargs
    )


@pytest.fixture(scope="module")
def first_run(prefect_api: str, demo_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo_site.set_edition(0)
    db = tmp_path_factory.mktemp("pipeline") / "w.duckdb"
    summary = run_ingest(demo_site, db, batch_size=25)
    assert summary["pages_failed"] == 0, summary["sources"]
    return db


def test_demo_articles_are_complete(first_run: Path, demo_site: Any) -> None:
    con = duckdb.connect(str(first_run), read_only=True)
    total, complete = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE title IS NOT NULL AND length(text) > 200 "
        "AND published_at IS NOT NULL) FROM articles"
    ).fetchall()[0]
    con.close()
    assert total >= 60
    assert total == len(demo_site.site.truth(0))
    assert complete / total >= 0.95


def test_a_finished_run_stops_its_worker_processes(first_run: Path) -> None:
    """Idle workers hold hundreds of MB; they go when the batches are done, not at exit."""
    servers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
    assert servers, "the run started no worker processes"
    workers = [w for server in servers for w in server.children()]
    assert not workers, f"workers left running after the run: {[w.pid for w in workers]}"


def test_syndicated_copies_are_grouped_with_their_original(first_run: Path, demo_site: Any) -> None:
    """Copies and originals share a group (the earliest-seen is canonical); nothing else does."""
    truth = demo_site.site.truth(0)
    ids = {url: article_id_for(canonicalize_url(url)) for url in truth}

    def truth_root(url: str) -> str:
        while truth[url].duplicate_of:
            url = truth[url].duplicate_of
        return ids[url]

    expected = {ids[url]: truth_root(url) for url in truth}
    copies = [url for url, t in truth.items() if t.duplicate_of]
    assert len(copies) >= 5, "the demo site must contain syndicated copies"
    con = duckdb.connect(str(first_run), read_only=True)
    root = dict(
        con.execute(
            "SELECT article_id, coalesce(duplicate_of, article_id) FROM articles"
        ).fetchall()
    )
    con.close()
    for url in copies:
        original = truth[url].duplicate_of
        assert root[ids[url]] == root[ids[original]], f"{url} not grouped with {original}"
    for article_id, group in root.items():
        if group != article_id:  # marked as a duplicate: truth must agree
            assert expected[article_id] == expected[group], article_id


def test_second_run_adds_nothing(first_run: Path, demo_site: Any, tmp_path: Path) -> None:
    before = snapshot(first_run)
    demo_site.set_edition(0)
    summary = run_ingest(demo_site, first_run, batch_size=25)
    assert summary["articles_new"] == 0
    assert summary["pages_fetched"] == 0  # every page answered 304 (or an unchanged digest)
    assert snapshot(first_run) == before


# Each child table's key, unique by the loader's delete-then-insert (no index since schema 3).
CHILD_KEYS = {
    "article_entities": "article_id, entity, label",
    "article_keywords": "article_id, keyword",
    "article_topics": "article_id, topic",
    "host_paragraphs": "host, para_hash, article_id",
}


def test_updated_articles_replace_their_child_rows(
    first_run: Path, demo_site: Any, tmp_path: Path
) -> None:
    db = tmp_path / "updated.duckdb"
    shutil.copy(first_run, db)
    demo_site.set_edition(1)
    try:
        summary = run_ingest(demo_site, db, batch_size=25)
    finally:
        demo_site.set_edition(0)
    assert summary["articles_updated"] > 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table, key in CHILD_KEYS.items():
            repeated = con.execute(
                f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
            ).fetchall()
            assert repeated == [(0,)], table
        moved = con.execute(
            "SELECT count(*) FROM host_paragraphs p JOIN articles a USING (article_id) "
            "WHERE a.duplicate_of IS NOT NULL"
        ).fetchall()
        assert moved == [(0,)]  # copies never count towards a host's template
    finally:
        con.close()


def test_killed_run_resumes_to_the_same_warehouse(
    first_run: Path, demo_site: Any, prefect_api: str, tmp_path: Path
) -> None:
    """kill -9 after some batches committed; the restart ends where an uninterrupted run did."""
    demo_site.set_edition(0)
    db = tmp_path / "killed.duckdb"
    script = (
        "import json, sys; from flows.ingest import ingest; "
        "ingest(sources=json.loads(sys.argv[1]), db=sys.argv[2], allow_private_hosts=True, "
        "fetch=json.loads(sys.argv[3]), batch_size=25)"
    )
    import json

    env = {**os.environ, "PREFECT_API_URL": prefect_api, "NEWSFLOW_LOCK": "file"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            json.dumps(demo_sources(demo_site)),
            str(db),
            json.dumps(FAST_FETCH),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if not db.exists():
                continue
            try:
                # The published file: whole committed batches, never a wait on the run.
                con = connect_readonly(db, wait_seconds=10)
            except WarehouseError:
                continue  # still busy
            try:
                loaded = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            except duckdb.Error:
                loaded = 0
            finally:
                con.close()
            if loaded > 0:
                break
        assert proc.poll() is None, "the run finished before it could be killed"
        helpers = psutil.Process(proc.pid).children(recursive=True)
        assert helpers, "the run started no worker processes"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    # Worker processes notice that their owner is gone and leave: no orphans.
    _, alive = psutil.wait_procs(helpers, timeout=15)
    assert not alive, f"orphaned worker processes: {[p.pid for p in alive]}"
    partial = duckdb.connect(str(db), read_only=True)
    loaded = partial.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    partial.close()
    assert 0 < loaded < len(demo_site.site.truth(0))
    run_ingest(demo_site, db, batch_size=25)
    con = duckdb.connect(str(db), read_only=True)
    crashed = con.execute(
        "SELECT pages_fetched, articles_new FROM runs WHERE status = 'crashed'"
    ).fetchall()
    con.close()
    # The crashed run's row counts the batches it committed (the kill may fall between a
    # batch's load and its count: at most one batch of 25 short).
    assert len(crashed) == 1 and crashed[0][0] > 0, crashed
    assert loaded - 25 <= crashed[0][1] <= loaded, (crashed, loaded)
    assert snapshot(db) == snapshot(first_run)
    con = duckdb.connect(str(db), read_only=True)
    statuses = sorted(s for (s,) in con.execute("SELECT status FROM runs").fetchall())
    con.close()
    assert statuses == ["completed", "crashed"]


def test_demo_stories_are_recovered_through_the_pipeline(first_run: Path, demo_site: Any) -> None:
    """Pairwise story F1 >= 0.9 with our own extraction and entities, not the site's truth."""
    import itertools

    truth = demo_site.site.truth(0)
    events = {
        article_id_for(canonicalize_url(url)): t.story_id or f"solo-{url}"
        for url, t in truth.items()
    }
    con = duckdb.connect(str(first_run), read_only=True)
    story = dict(con.execute("SELECT article_id, story_id FROM articles").fetchall())
    con.close()
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(events), 2):
        same_truth, same_ours = events[a] == events[b], story[a] == story[b]
        tp += same_truth and same_ours
        fp += same_ours and not same_truth
        fn += same_truth and not same_ours
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert 2 * precision * recall / (precision + recall) >= 0.9, (tp, fp, fn)
