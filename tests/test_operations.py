"""Operations on a fresh machine: what a new user meets before any data is in.

Read commands load no Prefect, `--version` and the CHANGELOG agree, a missing file is
one line, and (slow, real processes) `newsflow demo` succeeds on an empty Prefect home
with both cores busy, and `make serve` runs in a terminal, on another port, and stops
whole on a signal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.test_cli_errors import _run

REPO = Path(__file__).resolve().parent.parent


def pyproject_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def test_version_matches_the_changelog() -> None:
    heading = re.search(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert heading is not None
    assert pyproject_version() == heading.group(1)


def test_version_flag(tmp_path: Path) -> None:
    done = _run(["--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"newsflow {pyproject_version()}"


def test_extract_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    done = _run(["extract", "missing.html"], tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "missing.html" in line and "no such file" in line


READ_PROBE = """
import json, sys
from flows.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "prefect": sorted(m for m in sys.modules if m == "prefect")}))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["query", "SELECT count(*) FROM articles"],
        ["search", "harbour"],
        ["report", "--out", "report.html"],
        ["export", "--parquet", "out"],
    ],
)
def test_read_commands_do_not_load_prefect(command: list[str], tmp_path: Path) -> None:
    from warehouse.schema import migrate
    from warehouse.store import open_connection

    db = tmp_path / "w.duckdb"
    con = open_connection(db)
    migrate(con)  # an empty warehouse at the current schema
    con.close()
    done = subprocess.run(
        [sys.executable, "-c", READ_PROBE, *command, "--db", str(db)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    assert result["prefect"] == [], "a read command imported Prefect"


def _fresh_env(home: Path) -> dict[str, str]:
    """This environment without any Prefect or telemetry setting: what a new user has."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "NEWSFLOW_")) and k != "DO_NOT_TRACK"
    }
    return {**env, "PREFECT_HOME": str(home), "PYTHONPATH": str(REPO)}


@pytest.mark.slow
@pytest.mark.timeout(1800)  # 6.5 min measured with the machine's other work on top
def test_demo_on_an_empty_prefect_home_with_both_cores_busy(tmp_path: Path) -> None:
    """The first start of the temporary server (migrations) while every core is busy."""
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "demo", "--db", str(tmp_path / "demo.duckdb")],
            cwd=tmp_path,
            env=_fresh_env(tmp_path / "empty-prefect-home"),
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "Try next" in done.stdout
    for unwanted in ("Traceback", "CancelledError", "database is locked", "telemetry"):
        assert unwanted not in output, (unwanted, output[-4000:])


def _read_until(fd: int, marker: str, timeout: float) -> str:
    """What a terminal shows until `marker` appears (or the program ends, or time is up)."""
    import select
    import time

    seen, deadline = b"", time.monotonic() + timeout
    while marker.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the terminal's other side closed: the program ended
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


@pytest.mark.slow
def test_make_serve_in_a_terminal_on_another_port_stops_whole(tmp_path: Path) -> None:
    """SIGTERM (a service manager, `kill`): Ctrl-C takes the same way out (KeyboardInterrupt)."""
    import pty
    import signal

    import httpx
    import psutil

    from deployments.serve import free_port

    port = free_port()
    env = {
        **_fresh_env(tmp_path / "prefect-home"),
        "NEWSFLOW_PREFECT_PORT": str(port),
        # no scheduled `feeds` run may fall due on this worker: it would fetch real outlets
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    master, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deployments.serve"],
        cwd=REPO,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    children: list[psutil.Process] = []
    try:
        shown = _read_until(master, "worker started", 400)
        assert "worker started" in shown, shown[-3000:]
        assert "profile" not in shown.lower(), shown  # no interactive profile question
        settings = httpx.get(f"http://127.0.0.1:{port}/ui-settings", timeout=10).json()
        assert settings["api_url"] == f"http://127.0.0.1:{port}/api"
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 2, children  # the server and the worker, at least
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) == 0, _read_until(master, "\0", 1)
        _, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, alive
    finally:
        for p in [*children, psutil.Process(proc.pid) if proc.poll() is None else None]:
            if p is not None and p.is_running():
                p.kill()
        proc.wait(timeout=30)
        os.close(master)
