"""Scheduled runs happen: a real `prefect server` creates them and a process worker runs one.

Deploys a copy of deployments/prefect.yaml whose warehouses point into the test's
directory, plus one deployment (`soon`, every minute, its own work queue) so a
scheduled run falls due within the test. With SQLAlchemy 2.1 Prefect 3.8.8's
scheduler failed every loop ("Can't evaluate bulk DML statement") and created no
runs at all: this is the test that says the pin in requirements.in holds.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from deployments import serve
from tests.conftest import prefect_server

pytestmark = pytest.mark.slow

SOON_QUEUE = "e2e-soon"


@pytest.fixture(scope="module")
def scheduling_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A server whose scheduler looks for due deployments every 2 s instead of 60 s."""
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(
        home,
        180,
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_WORKER_QUERY_SECONDS="2",
    ) as env:
        yield {**env, "SERVER_LOG": str(home / "server.log")}


def _article_page(folder: Path) -> None:
    from deployments.demosite import build_site
    from deployments.demosite.templates import render_article

    site = build_site(seed=7)
    article = site.articles_at(0)[0]
    outlet = site.by_slug[article.outlet]
    folder.mkdir()
    (folder / "story.html").write_text(render_article(site, outlet, article, 0), encoding="utf-8")


def _spec_copy(spec: dict[str, Any], db: Path, pages: Path, pool: str) -> dict[str, Any]:
    """The real deployments with their warehouses moved here, and `soon` beside them."""
    spec = copy.deepcopy(spec)
    for d in spec["deployments"]:
        d["parameters"]["db"] = str(db)
    feeds = next(d for d in spec["deployments"] if d["name"] == "feeds")
    soon = copy.deepcopy(feeds)
    soon.update(
        name="soon",
        description="test only: a page directory every minute",
        parameters={"sources": [{"kind": "dir", "location": str(pages)}], "db": str(db)},
        schedules=[{"cron": "* * * * *", "timezone": "UTC", "active": True}],
    )
    soon["work_pool"] = {**feeds["work_pool"], "name": pool, "work_queue_name": SOON_QUEUE}
    spec["deployments"].append(soon)
    return spec


def _runs_by_deployment(client: Any) -> dict[str, list[Any]]:
    names = {d.id: d.name for d in client.read_deployments()}
    runs: dict[str, list[Any]] = {name: [] for name in names.values()}
    for run in client.read_flow_runs(limit=200):
        if run.deployment_id in names:
            runs[names[run.deployment_id]].append(run)
    return runs


def _wait(what: str, check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def test_server_schedules_every_cron_deployment_and_a_worker_runs_one(
    scheduling_server: dict[str, str], tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env = scheduling_server
    spec = serve.load_prefect_file()
    pool = serve.work_pool_name(spec)
    crons = {d["name"] for d in spec["deployments"] if d.get("schedules")}
    assert {"feeds", "sitemaps"} <= crons
    db, pages = tmp_path / "w.duckdb", tmp_path / "pages"
    _article_page(pages)
    prefect_file = tmp_path / "prefect.yaml"
    prefect_file.write_text(yaml.safe_dump(_spec_copy(spec, db, pages, pool)), encoding="utf-8")

    serve.create_work_pool(pool, env)
    serve.create_locks([db], env["PREFECT_API_URL"])
    serve.deploy(env, prefect_file=prefect_file)
    with (
        temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"]}),
        get_client(sync_client=True) as client,
    ):

        def scheduled() -> dict[str, list[Any]] | None:
            runs = _runs_by_deployment(client)
            waiting = {
                name: [r for r in rs if r.state and r.state.is_scheduled()]
                for name, rs in runs.items()
            }
            return waiting if all(waiting[n] for n in (*crons, "soon")) else None

        waiting = _wait("scheduled runs for every cron deployment", scheduled, 120)
        # every cron deployment of the real file, and no manual one, got its runs
        assert {n for n, rs in waiting.items() if rs} == {*crons, "soon"}, waiting
        assert all(r.auto_scheduled for n in crons for r in waiting[n])

        worker = serve.start_worker(pool, env, log=tmp_path / "worker.log", queues=[SOON_QUEUE])
        try:

            def completed() -> Any:
                runs = _runs_by_deployment(client)["soon"]
                done = [r for r in runs if r.state and r.state.is_completed()]
                failed = [r for r in runs if r.state and r.state.is_final() and r not in done]
                assert not failed, (failed, (tmp_path / "worker.log").read_text()[-3000:])
                return done

            (run, *_) = _wait("a scheduled run completed by the worker", completed, 300)
        finally:
            serve.stop(worker)
        assert run.auto_scheduled  # created by the server's scheduler, not triggered by hand
        assert run.expected_start_time is not None
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 1
        flow_runs = con.execute("SELECT flow_run_id FROM runs").fetchall()
        assert (str(run.id),) in flow_runs
    finally:
        con.close()
    log = Path(env["SERVER_LOG"]).read_text(errors="replace")
    assert "Can't evaluate bulk DML" not in log, log[-3000:]
    assert not [line for line in log.splitlines() if "ERROR" in line and "schedul" in line], log
