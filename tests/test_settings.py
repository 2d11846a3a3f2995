"""Settings come from the environment in one place (flows/settings.py), checked once; no
stage and no warehouse module reads the environment (issue 20)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from flows.settings import NER_MODES, Settings, SettingsError, from_environment

REPO = Path(__file__).resolve().parents[1]
# Packages below flows/: they get their settings passed in.
PASSED_DOWN = ("tasks", "warehouse", "records")
_ENV_ATTRS = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_reads(source: str) -> list[int]:
    """Lines of `source` that touch the process environment through the os module."""
    tree = ast.parse(source)
    modules = {"os", "posix"}  # names bound to the os module
    direct: set[str] = set()  # environ/getenv imported by name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name in ("os", "posix"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "posix"):
            direct.update(a.asname or a.name for a in node.names if a.name in _ENV_ATTRS)
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _ENV_ATTRS
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ) or (isinstance(node, ast.Name) and node.id in direct):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "posix"):
            lines += [node.lineno for a in node.names if a.name in _ENV_ATTRS]
    return sorted(set(lines))


def test_the_scan_finds_every_way_of_reading_the_environment() -> None:
    assert environment_reads("import os\nx = os.environ.get('A')\n") == [2]
    assert environment_reads("import os as o\ny = o.getenv('A')\n") == [2]
    assert environment_reads("from os import environ as e\nz = e['A']\n") == [1, 2]
    assert environment_reads("import os\nn = os.cpu_count()\nos.path.join('a')\n") == []


def test_no_stage_or_warehouse_module_reads_the_environment() -> None:
    found = []
    for package in PASSED_DOWN:
        for path in sorted((REPO / package).rglob("*.py")):
            for line in environment_reads(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(REPO)}:{line}")
    assert found == [], "resolve these in flows/settings.py and pass them down: " + ", ".join(found)


def test_defaults_and_values() -> None:
    assert from_environment({}) == Settings()
    s = from_environment(
        {
            "NEWSFLOW_DB": "x.duckdb",
            "NEWSFLOW_NER": " FAST ",
            "NEWSFLOW_WORKERS": "0",
            "NEWSFLOW_PAGE_CPU_SECONDS": "0.5",
            "NEWSFLOW_DUCKDB_MEMORY": "256MB",
            "NEWSFLOW_QUERY_SECONDS": "3",
            "NEWSFLOW_QUERY_MEMORY": "1GiB",
        }
    )
    assert s == Settings("x.duckdb", "fast", 0, 0.5, "256MB", 3.0, "1GiB")
    assert set(NER_MODES) == {"rules", "fast", "spacy", "accurate"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSFLOW_NER", "bogus"),
        ("NEWSFLOW_WORKERS", "many"),
        ("NEWSFLOW_WORKERS", "-1"),
        ("NEWSFLOW_PAGE_CPU_SECONDS", "soon"),
        ("NEWSFLOW_PAGE_CPU_SECONDS", "inf"),
        ("NEWSFLOW_DUCKDB_MEMORY", "lots"),
        ("NEWSFLOW_QUERY_SECONDS", "0"),
        ("NEWSFLOW_QUERY_SECONDS", "nan"),
        ("NEWSFLOW_QUERY_MEMORY", "2 parsecs"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        from_environment({name: value})
    message = str(info.value)
    assert message.startswith(f"{name}={value!r}") and "\n" not in message


@pytest.mark.parametrize("command", [["extract", "x.html"], ["query", "SELECT 1"], ["compact"]])
def test_the_cli_says_so_in_one_line_with_exit_2(command: list[str], tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEWSFLOW_NER": "bogus"}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "NEWSFLOW_NER='bogus'" in lines[0]
    assert "rules, fast, spacy, accurate" in lines[0]


def test_the_maintenance_flow_reads_the_settings_before_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flows.maintenance import maintenance

    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("NEWSFLOW_DB", str(db))
    monkeypatch.setenv("NEWSFLOW_DUCKDB_MEMORY", "lots")
    with pytest.raises(SettingsError, match=r"^NEWSFLOW_DUCKDB_MEMORY='lots'"):
        maintenance.fn()
    assert not db.exists()


def test_a_run_hands_the_settings_to_its_stages() -> None:
    from flows.ingest import stage_context

    settings = from_environment(
        {
            "NEWSFLOW_NER": "fast",
            "NEWSFLOW_WORKERS": "0",
            "NEWSFLOW_PAGE_CPU_SECONDS": "0.3",
            "NEWSFLOW_DUCKDB_MEMORY": "64MiB",
        }
    )
    ctx = stage_context(settings, "w.duckdb", "run-1", None)
    assert (ctx.db, ctx.run_id, ctx.workers) == ("w.duckdb", "run-1", 0)
    assert (ctx.ner, ctx.page_cpu_seconds, ctx.duckdb_memory) == ("fast", 0.3, "64MiB")
    # a config file's `workers` comes before $NEWSFLOW_WORKERS
    assert stage_context(settings, "w.duckdb", "run-1", 3).workers == 3


def _memory_limit(path: Path, **kwargs: str) -> str:
    from warehouse.store import writer

    with writer(path, **kwargs) as con:
        row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None
    return str(row[0])


def test_the_writer_takes_the_memory_it_is_given(tmp_path: Path) -> None:
    from warehouse.store import held

    db = tmp_path / "w.duckdb"
    assert _memory_limit(db, memory="64MiB") == "64.0 MiB"
    with held(db, "96MiB"):  # a run's connection: every writer of the run shares it
        assert _memory_limit(db) == "96.0 MiB"
    assert _memory_limit(db) == "122.0 MiB"  # WRITER_MEMORY, 128MB


def test_fast_leaves_the_name_model_out() -> None:
    from tasks.enrich import enrich_text, nlp

    title = "Harbour board meets in Port Halden"
    text = (
        "Maria Keller, who chairs the Halden Harbour Board, said on Tuesday that the Vessa "
        "Rowing Club would move its boats before the flood season.\n\nKeller said the club "
        "agreed. Talks with Nordhavn Shipping continue, the board said."
    )
    for ner, model in (("rules", True), ("fast", False), (None, True)):
        got = enrich_text(title, text, ner=ner, language="en")["entities"]
        want = nlp.extract_entities(title, text, language="en", model=model)
        assert [(e["name"], e["label"]) for e in got] == [(e.name, e.label) for e in want]
