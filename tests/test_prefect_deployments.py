"""deployments/prefect.yaml declares what the issue asks, in a form Prefect accepts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from prefect.client.schemas.schedules import CronSchedule

from deployments import serve
from tasks.config import load_config

ROOT = Path(serve.__file__).resolve().parent.parent


def test_deployments_schedules_and_pool() -> None:
    spec = serve.load_prefect_file()
    deps = {d["name"]: d for d in spec["deployments"]}
    assert set(deps) >= {"feeds", "sitemaps", "reprocess", "demo"}
    assert serve.work_pool_name(spec) == "newsflow"
    for d in deps.values():
        assert d["work_pool"]["name"] == "newsflow"
        assert d["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}
        assert "db" in d["parameters"]
    crons = {}
    for name in ("feeds", "sitemaps"):
        (schedule,) = deps[name]["schedules"]
        crons[name] = CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])
    assert crons["feeds"].cron == "*/15 * * * *" and crons["sitemaps"].cron.endswith("* * * *")
    assert deps["reprocess"]["schedules"] == [] and deps["demo"]["schedules"] == []
    assert spec["pull"][0]["prefect.deployments.steps.set_working_directory"]


def test_example_source_configs_load() -> None:
    spec = serve.load_prefect_file()
    for d in spec["deployments"]:
        config = d["parameters"].get("config")
        if config:
            cfg = load_config(ROOT / config)
            assert cfg.sources, config


@pytest.mark.parametrize("name", ["feeds", "sitemaps", "reprocess", "demo", "maintenance"])
def test_entrypoints_exist(name: str) -> None:
    spec = serve.load_prefect_file()
    (dep,) = [d for d in spec["deployments"] if d["name"] == name]
    path, func = dep["entrypoint"].split(":")
    module = path.removesuffix(".py").replace("/", ".")
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{path} has not landed yet")
    assert f"def {func}(" in (ROOT / path).read_text(encoding="utf-8")


def test_warehouse_paths_resolve_against_the_project_root() -> None:
    paths = serve.warehouse_paths(serve.load_prefect_file())
    assert ROOT / "data" / "newsflow.duckdb" in paths and all(p.is_absolute() for p in paths)
