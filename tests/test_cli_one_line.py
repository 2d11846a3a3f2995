"""Errors found while probing as a careless user: each is one line, exit 2 for usage and
1 for failures, no traceback (issue 22, point 10)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.test_cli_errors import _one_line
from tests.test_warehouse_fixtures import build_ready


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ready(tmp_path_factory.mktemp("cli") / "w.duckdb")


@pytest.fixture(scope="module")
def future_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_ready(tmp_path_factory.mktemp("future") / "w.duckdb")
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version (version, description) VALUES (999, 'from later')")
    con.close()
    return path


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("sources: 5\n", "sources must be a list"),
        ("fetch: 5\n", "fetch must be a mapping"),
        ("sources:\n  - url: 'http://[::1'\n", "not a valid URL"),
        ("sources:\n  - url: http://example.org/\nfetch:\n  per_host_delay: .nan\n", "finite"),
        ("sources:\n  - url: http://example.org/\nfetch:\n  total_timeout: .inf\n", "finite"),
    ],
)
def test_bad_configs_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, words: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(config)
    assert main(["ingest", "--config", str(path), "--db", str(tmp_path / "w.duckdb")]) == 2
    assert words in _one_line(capsys.readouterr().err)


def test_a_bad_url_flag_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--url", "http://[::1", "--db", str(tmp_path / "w.duckdb")]) == 2
    assert "not a valid URL" in _one_line(capsys.readouterr().err)


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs /proc/version")
def test_a_db_that_is_not_a_warehouse_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n" * 100)
    for path in (other, Path("/proc/version")):
        code = main(["ingest", "--url", "http://example.org/", "--db", str(path)])
        assert code == 1
        assert "not a DuckDB warehouse" in _one_line(capsys.readouterr().err)


def test_ingest_refuses_a_future_schema_before_starting(
    future_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--url", "http://example.org/", "--db", str(future_db)]) == 1
    assert "newer than this newsflow" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "args",
    [["query", "SELECT 1"], ["search", "flood"], ["report", "--out", "{tmp}/r.html"]],
)
def test_read_commands_refuse_a_future_schema(
    future_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    argv = [a.format(tmp=tmp_path) for a in args] + ["--db", str(future_db)]
    assert main(argv) == 1
    assert "newer than this newsflow" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "args", [["query", ""], ["query", ";"], ["query", " ; ;"], ["search", "flood", "--limit", "-5"]]
)
def test_usage_mistakes_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main([*args, "--db", str(db)]) == 2
    _one_line(capsys.readouterr().err)


def test_an_unexpected_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    import warehouse.report

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(warehouse.report, "render_report", broken)
    assert main(["report", "--out", str(db.parent / "r.html"), "--db", str(db)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "RuntimeError: disk on fire" in line and "NEWSFLOW_DEBUG" in line
    assert sys.exc_info() == (None, None, None)


def test_prefect_console_handlers_drop_tracebacks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    from flows import quiet

    monkeypatch.delenv("NEWSFLOW_DEBUG", raising=False)
    monkeypatch.setattr(quiet, "_quiet", quiet._quiet)  # given back after the test
    try:
        raise ValueError("inside the flow")
    except ValueError:
        record = logging.LogRecord(
            "prefect.flow_runs", logging.ERROR, __file__, 1, "run failed", None, sys.exc_info()
        )
    quiet.quiet_console_tracebacks()
    out = io.StringIO()
    handler = PrefectConsoleHandler(stream=out)  # made after the call, like the server's
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.handle(record)
    assert out.getvalue().strip() == "ERROR run failed"
    assert "Traceback" in logging.Formatter().format(record)  # other handlers keep it
