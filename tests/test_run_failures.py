"""Failures show: in the flow run's state, its artifact, its logs in the UI, and the CLI.

Real loopback servers (one answering 404, one port with nobody listening) and the
session's Prefect API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from deployments.serve import free_port
from tests.faultserver import FaultServer

pytestmark = pytest.mark.slow


def _dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}/feed.xml"  # free a moment ago: nobody listens


def _ingest_feeds(feeds: list[str], tmp_path: Path) -> Any:
    """The final state of an ingest run over these feed URLs into a new warehouse."""
    from flows.ingest import ingest

    return ingest(
        sources=[{"kind": "feed", "location": url} for url in feeds],
        db=str(tmp_path / "w.duckdb"),
        allow_private_hosts=True,
        return_state=True,
    )


def _rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def _run_records(flow_run_id: UUID) -> tuple[list[Any], list[Any]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
        )
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return logs, artifacts


def test_a_run_whose_sources_all_fail_is_failed_and_says_why(
    prefect_api: str, tmp_path: Path
) -> None:
    from flows.ingest import SourcesFailed

    with FaultServer() as site:
        missing, dead = site.url("/missing-feed.xml"), _dead_url()
        state = _ingest_feeds([missing, dead], tmp_path)
    assert state.is_failed()
    assert "every source failed (2 of 2)" in state.message and "To do:" in state.message
    failure = state.result(raise_on_failure=False)
    assert isinstance(failure, SourcesFailed)
    reasons = {r["source"]: r["reasons"] for r in failure.summary["sources"]}
    assert set(reasons) == {missing, dead}
    assert "404" in reasons[missing], reasons
    assert "connect" in reasons[dead], reasons  # robots.txt unreachable: connection failed

    logs, artifacts = _run_records(state.state_details.flow_run_id)
    # the discover stage's own logger reaches the flow run's logs in the UI
    assert any(log.name == "newsflow.discover" and dead in log.message for log in logs), [
        (log.name, log.message) for log in logs
    ]
    markdown = next(a for a in artifacts if a.type == "markdown")
    assert "every source failed" in markdown.data
    assert missing in markdown.data and "404" in markdown.data
    (table,) = [a for a in artifacts if a.key == "newsflow-run-sources"]  # not the stages
    assert dead in str(table.data) and "connect" in str(table.data)


def test_cli_exit_1_with_the_reasons(
    prefect_api: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    with FaultServer() as site:
        code = main(
            [
                "ingest",
                "--feed",
                site.url("/missing-feed.xml"),
                "--allow-private-hosts",
                "--db",
                str(tmp_path / "w.duckdb"),
            ]
        )
    out, err = capsys.readouterr()
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("newsflow")]
    assert len(lines) == 1 and "every source failed" in lines[0] and "To do:" in lines[0], err
    assert "Traceback" not in err
    assert "404" in out  # the per-source table, with the reason


def test_a_partly_failed_run_says_so_in_its_state(prefect_api: str, tmp_path: Path) -> None:
    with FaultServer() as site:
        site.site.pages["/feed.xml"] = ("application/rss+xml", _rss(site.url("/page/1")))
        good, dead = site.url("/feed.xml"), _dead_url()
        state = _ingest_feeds([good, dead], tmp_path)
    assert state.is_completed()
    assert "partly failed: 1 of 2 sources" in (state.message or ""), state.message
    summary = state.result()
    assert summary["pages_fetched"] == 1
    rows = {r["source"]: r for r in summary["sources"]}
    assert "connect" in rows[dead]["reasons"] and rows[good]["reasons"] == ""


def test_an_empty_source_is_listed_but_not_a_failure(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    summary = ingest(sources=[{"kind": "dir", "location": str(inbox)}], db=str(tmp_path / "w.db"))
    (row,) = summary["sources"]
    assert row["source"] == str(inbox) and row["reasons"] == "listed no pages"


def test_a_failed_stage_is_one_line_from_every_command(
    prefect_api: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ingest` says what `demo` and `reprocess` say: the stage's advice, not Prefect's wrapper."""
    import flows.ingest
    from flows.cli import main
    from flows.stages import Stage

    def broken(batch: Any, ctx: Any) -> Any:
        raise RuntimeError("boom on purpose")

    stories = Stage("stories", broken, heavy=False, hint="see this task's logs")
    monkeypatch.setattr(flows.ingest, "STORIES", stories)
    with FaultServer() as site:
        site.site.pages["/feed.xml"] = ("application/rss+xml", _rss(site.url("/page/1")))
        args = ["ingest", "--feed", site.url("/feed.xml"), "--allow-private-hosts"]
        code = main([*args, "--db", str(tmp_path / "w.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("newsflow")]
    assert len(lines) == 1, err
    assert lines[0].startswith("newsflow ingest: error: stories failed on batch 1"), lines[0]
    assert "boom on purpose" in lines[0] and "To do:" in lines[0]
    assert "NEWSFLOW_DEBUG=1" in lines[0] and "Traceback" not in err
