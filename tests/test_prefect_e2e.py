"""Against a real `prefect server` on loopback: the warehouse lock, artifacts, task names,
failure messages, and the `demo` deployment run by a process worker.

One server serves the whole module (it takes ~20 s to start); every process started
here runs in its own session and is killed by a finalizer; every wait is bounded.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
import pytest

from deployments import serve
from tests.conftest import prefect_server

pytestmark = pytest.mark.slow

PROBE = textwrap.dedent(
    """
    import sys, time, duckdb
    from prefect import flow
    from prefect.runtime import flow_run
    from flows.artifacts import finish_progress, publish_summary, start_progress, update_progress
    from flows.locking import warehouse_lock
    from flows.runners import batch_hosts, tag_flow_run
    from flows.stages import Stage, run_stage
    from flows.tracking import RunTracker
    from records import StageStats, Target
    from tasks.context import StageContext

    def square(items, ctx):
        if ctx.run_id == "fail":
            raise ValueError("boom on purpose")
        return [x * x for x in items], StageStats("square")

    CLEAN = Stage("clean", square, heavy=True, hint="report it")
    FETCH = Stage("fetch", square, heavy=False, hint="report it")

    def mark(db, name, what):
        con = duckdb.connect(db)
        con.execute("CREATE TABLE IF NOT EXISTS w (name VARCHAR, t DOUBLE, what VARCHAR)")
        con.execute("INSERT INTO w VALUES (?, ?, ?)", [name, time.time(), what])
        con.close()

    @flow(name="probe")
    def probe(db: str, name: str, fail: bool = False) -> str:
        print(flow_run.get_id(), flush=True)
        with warehouse_lock(db, timeout=120):
            mark(db, name, "start")
            targets = [Target(url=f"http://site{i % 2}.example/{i}", source="feed")
                       for i in range(3)]
            tracker = RunTracker(name)
            tracker.discovered(targets)
            progress = start_progress(name)
            ctx = StageContext(run_id="fail" if fail else "ok")
            run_stage(CLEAN, [1, 2, 3], ctx, 1, batch_hosts(targets))
            run_stage(FETCH, [1, 2, 3], StageContext(), 1, batch_hosts(targets))
            tag_flow_run(batch_hosts(targets))
            time.sleep(2)
            tracker.batches, tracker.done_targets = 1, 3
            update_progress(progress, tracker)
            finish_progress(progress)
            publish_summary(tracker.summary(), "completed", db)
            mark(db, name, "end")
        return name

    probe(sys.argv[1], sys.argv[2], sys.argv[3] == "fail")
    """
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    # Runs here start only when a test asks: a scheduled `feeds` run falling due while
    # the demo test's worker polls would fetch the real outlets. Schedules are tested
    # on their own server in test_prefect_schedules.py.
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home, 120, PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false") as env:
        yield env


def _client(env: dict[str, str]) -> Any:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    class _Ctx:
        def __enter__(self) -> Any:
            self.settings = temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"]})
            self.settings.__enter__()
            self.client = get_client(sync_client=True)
            return self.client.__enter__()

        def __exit__(self, *exc: object) -> None:
            self.client.__exit__(*exc)
            self.settings.__exit__(*exc)

    return _Ctx()


def _run_probes(
    env: dict[str, str], tmp_path: Path, db: Path, runs: list[tuple[str, bool]]
) -> list[tuple[int, str, str]]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(db), name, "fail" if fail else "ok"],
            env={**env, "NEWSFLOW_LOCK": "prefect"},
            cwd=tmp_path,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for name, fail in runs
    ]
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=150)
            results.append((p.returncode, out, err))
    finally:
        for p in procs:
            serve.stop(p)
    return results


def _flow_run_id(stdout: str) -> UUID:
    return UUID(stdout.strip().splitlines()[0])


def test_overlapping_runs_queue_on_the_global_limit(server: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    results = _run_probes(server, tmp_path, db, [("a", False), ("b", False)])
    assert [r[0] for r in results] == [0, 0], results
    rows = duckdb.connect(str(db)).execute("SELECT name, what FROM w ORDER BY t").fetchall()
    assert [w for _, w in rows] == ["start", "end", "start", "end"]  # never interleaved
    assert rows[0][0] == rows[1][0] != rows[2][0] == rows[3][0]

    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
    )

    run_id = _flow_run_id(results[0][1])
    with _client(server) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
        by_type = {a.type: a for a in artifacts}
        assert {"markdown", "table", "progress"} <= set(by_type), [a.type for a in artifacts]
        assert "Per source" in by_type["markdown"].data and "feed" in by_type["markdown"].data
        assert by_type["progress"].data == 100.0
        keys = {a.key for a in artifacts if a.key}
        assert {"newsflow-run-summary", "newsflow-run-sources", "newsflow-run-stages"} <= keys
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
        )
        names = {t.name: t for t in task_runs}
        assert "clean #1 site0.example +1" in names, list(names)
        assert "fetch #1 site0.example +1" in names, list(names)
        assert all(t.tags == [] for t in task_runs)  # no tag-concurrency lease per task run
        flow_tags = set(client.read_flow_run(run_id).tags)
        assert {"source:site0.example", "source:site1.example"} <= flow_tags


def test_failed_stage_fails_the_run_with_advice(server: dict[str, str], tmp_path: Path) -> None:
    ((code, out, _err),) = _run_probes(server, tmp_path, tmp_path / "w.duckdb", [("c", True)])
    assert code != 0
    with _client(server) as client:
        state = client.read_flow_run(_flow_run_id(out)).state
    assert state is not None and state.is_failed()
    message = state.message or ""
    assert "clean failed on batch 1" in message and "To do:" in message, message
    assert "boom on purpose" in message


@pytest.mark.skipif(
    importlib.util.find_spec("flows.demo") is None, reason="flows/demo.py has not landed yet"
)
def test_demo_deployment_runs_on_a_process_worker(server: dict[str, str], tmp_path: Path) -> None:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    spec = serve.load_prefect_file()
    pool = serve.work_pool_name(spec)
    serve.create_work_pool(pool, server)
    db = tmp_path / "demo.duckdb"
    serve.create_locks([db], server["PREFECT_API_URL"])
    serve.deploy(server)
    worker = serve.start_worker(pool, server, log=tmp_path / "worker.log")
    try:
        with temporary_settings(updates={PREFECT_API_URL: server["PREFECT_API_URL"]}):
            run = run_deployment(
                "demo/demo", parameters={"db": str(db)}, timeout=150, poll_interval=2
            )
        log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
        assert run.state is not None and run.state.is_completed(), (run.state, log)
    finally:
        serve.stop(worker)
    with _client(server) as client:
        # The demo flow runs `ingest` as a subflow, which publishes the artifacts: take
        # this run's and its subflows'.
        runs = [run.id, *(r.id for r in client.read_flow_runs() if r.parent_task_run_id)]
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=runs))
        )
    assert {a.type for a in artifacts} >= {"markdown", "table", "progress"}
    assert any((a.key or "").startswith("newsflow-") for a in artifacts)
    # the demo run's own page has a summary of both editions, not only its subflows'
    (own,) = [a for a in artifacts if a.flow_run_id == run.id]
    assert own.type == "markdown" and own.key == "newsflow-demo-summary"
    assert "## Edition 0" in own.data and "## Edition 1" in own.data
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] > 0
        linked = con.execute("SELECT count(*) FROM runs WHERE flow_run_id IS NOT NULL").fetchall()
        assert linked[0][0] >= 1
    finally:
        con.close()
