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

REPO = Path(__file__).resolve().parent.parent


def _newsflow(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def pyproject_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def test_version_matches_the_changelog() -> None:
    heading = re.search(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert heading is not None
    assert pyproject_version() == heading.group(1)


def test_version_flag(tmp_path: Path) -> None:
    done = _newsflow(["--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"newsflow {pyproject_version()}"


def test_extract_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    done = _newsflow(["extract", "missing.html"], tmp_path)
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
