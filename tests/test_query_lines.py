"""`newsflow query` on wide results: the line format, chosen when a table cannot fit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from tests.test_warehouse_fixtures import build_ready
from warehouse.query import run_query, to_text_table


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ready(tmp_path_factory.mktemp("lines") / "w.duckdb")


def _newsflow(db: Path, *args: str, columns: int = 120) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "newsflow"), "query", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(columns)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_wide_select_star_switches_to_one_field_per_line(db: Path) -> None:
    out = _newsflow(db, "SELECT * FROM v_articles ORDER BY article_id LIMIT 3")
    lines = out.splitlines()
    assert lines[0].startswith("-[ row 1 ]")
    assert sum(1 for line in lines if line.startswith("-[ row ")) == 3
    # every column is there, whole names and readable values
    assert any(line.startswith("canonical_url ") and "https://" in line for line in lines)
    assert any(line.startswith("title ") and len(line.split("| ", 1)[1]) > 10 for line in lines)
    assert lines[-1] == "(3 rows)"


def test_narrow_results_stay_a_table(db: Path) -> None:
    out = _newsflow(db, "SELECT source, count(*) AS n FROM v_articles GROUP BY ALL ORDER BY 1")
    assert "-[ row" not in out and "┃" in out and "source" in out.splitlines()[0]


def test_line_format_on_request(db: Path) -> None:
    out = run_query(db, "SELECT 1 AS a, 'x\ny' AS b", "line")
    assert out == "-[ row 1 ]----\na | 1\nb | x y\n(1 rows)\n"


def test_the_switch_follows_the_width() -> None:
    table = pa.table({f"column_{k}": [f"value number {k}"] for k in range(8)})
    assert "-[ row 1 ]" in to_text_table(table, width=80)
    assert "column_7" in to_text_table(table, width=200).splitlines()[0]
