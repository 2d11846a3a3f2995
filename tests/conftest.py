"""Shared fixtures: a Prefect API for flow tests and the served demo site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from flows.prefect_env import prepare_environment

prepare_environment()  # before Prefect loads: what every newsflow command gets

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSFLOW_SHARED", REPO.parent / "shared"))

# Quick, still-real crawling of our own loopback demo site.
FAST_FETCH = {"per_host_delay": 0.0, "per_host_concurrency": 4}


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One temporary Prefect server (SQLite) for the whole session: ~20 s to start."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@contextmanager
def prefect_server(home: Path, timeout: float, **settings: str) -> Iterator[dict[str, str]]:
    """A `prefect server start` of its own (what `make serve` runs), for tests that need the
    server's services (schedules, workers); yields the environment that talks to it."""
    from deployments import serve

    port = serve.free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_LOGGING_LEVEL": "WARNING",  # telemetry is off: prepare_environment() above
        **settings,
    }
    env.pop("NEWSFLOW_DB", None)
    proc = serve.start_server(port, env, log=home / "server.log")
    try:
        serve.wait_healthy(api, proc, timeout)
        yield env
    finally:
        serve.stop(proc)


@pytest.fixture(scope="session")
def demo_site() -> Iterator[object]:
    from deployments.demosite import build_site, serve

    with serve(build_site(seed=7), edition=0) as running:
        yield running


def demo_sources(running: object) -> list[dict[str, str]]:
    sources = [{"kind": "feed", "location": url} for url in running.feeds]  # type: ignore[attr-defined]
    sources += [{"kind": "sitemap", "location": url} for url in running.sitemaps]  # type: ignore[attr-defined]
    return sources


@pytest.fixture(scope="session")
def demo_warehouse(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse `newsflow demo` writes (both editions of the demo site), built once."""
    from flows.demo import demo

    db = tmp_path_factory.mktemp("demo-warehouse") / "newsflow.duckdb"
    demo(db=str(db))
    return db


def ingest_process(
    sources: Sequence[dict[str, str]], db: str, prefect_api: str, **popen: Any
) -> subprocess.Popen[str]:
    """`ingest` of `sources` into `db` (25-page batches) in a process of its own: for runs
    killed with -9 or writing at the same time as another. `popen` goes to Popen."""
    script = (
        "import json, sys; from flows.ingest import ingest; "
        "ingest(sources=json.loads(sys.argv[1]), db=sys.argv[2], allow_private_hosts=True, "
        "fetch=json.loads(sys.argv[3]), batch_size=25)"
    )
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "NEWSFLOW_LOCK": "file"}
    return subprocess.Popen(
        [sys.executable, "-c", script, json.dumps(list(sources)), db, json.dumps(FAST_FETCH)],
        cwd=REPO,
        env=env,
        text=True,
        **popen,
    )
