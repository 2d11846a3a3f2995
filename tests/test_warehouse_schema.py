"""Schema documentation and forward-only migrations, on real DuckDB files."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.test_warehouse_fixtures import build
from warehouse import publishing, schema
from warehouse.docs import TABLES, VIEW_DOCS, arrow_schema, render_markdown
from warehouse.schema import LATEST, Migration, current_version, migrate
from warehouse.store import (
    MEMORY_CEILING,
    ROW_GROUP_SIZE,
    raise_memory_limit,
    read_with_room,
    write_with_room,
    writer,
)
from warehouse.views import VIEWS


def _undocumented(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Columns without a comment in every table and in the views this package defines."""
    rows = con.execute(
        "SELECT c.table_name, c.column_name, t.table_name IS NOT NULL AS is_table "
        "FROM duckdb_columns() c LEFT JOIN duckdb_tables() t "
        "ON t.schema_name = c.schema_name AND t.table_name = c.table_name "
        "WHERE c.schema_name = 'main' AND NOT c.internal AND coalesce(c.comment, '') = '' "
        "ORDER BY ALL"
    ).fetchall()
    return [(t, c) for t, c, is_table in rows if is_table or t in VIEWS]


def test_every_table_and_column_has_a_comment(tmp_path: Path) -> None:
    with writer(tmp_path / "w.duckdb") as con:
        assert _undocumented(con) == []
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "AND coalesce(comment, '') = ''"
        ).fetchall()
        assert tables == []
        views = con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
            "AND coalesce(comment, '') = ''"
        ).fetchall()
        assert [v for (v,) in views if v in VIEWS] == []


def test_every_documented_column_exists(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    existing = set(
        con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
    )
    documented = {(t, c) for t, doc in TABLES.items() for c in doc.columns}
    assert documented - existing == set()
    con.close()


# DuckDB's catalogue spells out what a declaration may abbreviate.
_CATALOG = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}


def _live_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, str]]]:
    rows = con.execute(
        "SELECT c.table_name, c.column_name, c.data_type, coalesce(c.comment, '') "
        "FROM duckdb_columns() c JOIN duckdb_tables() t ON t.database_name = c.database_name "
        "AND t.schema_name = c.schema_name AND t.table_name = c.table_name "
        "WHERE c.database_name = current_database() AND c.schema_name = 'main' "
        "ORDER BY c.table_name, c.column_index"
    ).fetchall()
    live: dict[str, list[tuple[str, str, str]]] = {}
    for table, column, kind, comment in rows:
        live.setdefault(table, []).append((column, kind, comment))
    return live


@pytest.mark.parametrize("start", ["fresh", "version 1"])
def test_the_tables_all_migrations_leave_are_the_declaration(tmp_path: Path, start: str) -> None:
    """Names, types and order of every column, and its comment, are what docs.py declares."""
    path = tmp_path / "w.duckdb"
    if start == "version 1":
        build(path, version=1)
    with writer(path) as con:  # migrations, then the comments every write-open sets
        live = _live_tables(con)
    declared = {
        table: [
            (column, _CATALOG.get(kind, kind), doc.columns[column])
            for column, kind in doc.types.items()
        ]
        for table, doc in TABLES.items()
    }
    assert sorted(live) == sorted(declared)
    for table, columns in declared.items():
        assert live[table] == columns, table


def test_every_declared_type_has_an_arrow_type() -> None:
    for table, doc in TABLES.items():
        schema = arrow_schema(table)
        assert schema.names == list(doc.columns), table
    assert arrow_schema("articles").field("published_at").type == pa.timestamp("us", tz="UTC")
    assert arrow_schema("fetch_log", ["status"]).field("status").type == pa.int32()


def test_schema_md_is_generated_from_docs() -> None:
    path = Path(schema.__file__).with_name("SCHEMA.md")
    assert path.read_text(encoding="utf-8") == render_markdown(VIEW_DOCS), (
        "warehouse/SCHEMA.md is stale: run `python -m warehouse.docs > warehouse/SCHEMA.md`"
    )


def test_v1_file_upgrades_in_place_with_data_intact(tmp_path: Path) -> None:
    path = build(tmp_path / "old.duckdb", version=1)
    con = duckdb.connect(str(path))
    assert current_version(con) == 1
    con.execute(
        "INSERT INTO host_paragraphs VALUES ('a.example', 1, 'x'), ('a.example', 1, 'y'), "
        "('a.example', 2, 'x'), ('b.example', 1, 'z')"
    )
    before = {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in (
            "articles",
            "runs",
            "duplicates",
            "article_entities",
            "article_keywords",
            "article_topics",
            "host_paragraphs",
            "fetch_log",
        )
    }
    assert con.execute("SELECT count(*) FROM article_keywords").fetchall() != [(0,)]
    assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'articles'")
    con.close()

    with writer(path) as con:  # what every pipeline write does first
        assert current_version(con) == LATEST
        for table, rows in before.items():
            assert con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == rows
        assert _undocumented(con) == []
        versions = con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        assert versions == [(v,) for v in range(1, LATEST + 1)]
        assert con.execute("SELECT count(*) FROM v_articles").fetchall() == [(27,)]
        keyed = con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
            "AND table_name IN ('article_entities', 'article_keywords', 'article_topics', "
            "'host_paragraphs')"
        ).fetchall()
        assert keyed == []  # migration 3: no in-memory key index on the child tables
        # migration 4 counts what host_paragraphs already holds
        assert con.execute("SELECT * FROM host_paragraph_counts ORDER BY ALL").fetchall() == [
            ("a.example", 1, 2),
            ("a.example", 2, 1),
            ("b.example", 1, 1),
        ]
        assert con.execute("SELECT * FROM host_paragraph_pages ORDER BY ALL").fetchall() == [
            ("a.example", 2),
            ("b.example", 1),
        ]


def test_failed_migration_leaves_the_file_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build(tmp_path / "old.duckdb", version=1)
    broken = Migration(
        2,
        "half of it works",
        (schema.V2.statements[0], "ALTER TABLE no_such_table ADD COLUMN x INTEGER"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (schema.V1, broken))
    con = duckdb.connect(str(path))
    with pytest.raises(duckdb.CatalogException):
        migrate(con, target=2)
    con.close()

    con = duckdb.connect(str(path))
    assert current_version(con) == 1
    created = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'search_index_state'"
    ).fetchall()
    assert created == [(0,)]  # the first statement was rolled back with the second
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(30,)]
    con.close()

    monkeypatch.undo()
    con = duckdb.connect(str(path))
    assert migrate(con) == LATEST  # the real migration still applies afterwards
    con.close()


def test_newer_file_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    con.execute("INSERT INTO schema_version (version, description) VALUES (?, 'future')", [99])
    con.close()
    from warehouse.store import WarehouseError

    with pytest.raises(WarehouseError, match="newer than this newsflow") as info, writer(path):
        pass
    assert "\n" not in str(info.value)


def test_writers_keep_row_groups_small_so_checkpoints_stay_flat(tmp_path: Path) -> None:
    """Appends rewrite only the last, partly filled row group at a checkpoint, so its
    size bounds a checkpoint's cost; DuckDB's default (122,880 rows) would make every
    automatic checkpoint rewrite `articles` whole until it reached that many rows."""
    db = tmp_path / "w.duckdb"
    rows = 3 * ROW_GROUP_SIZE + 100
    for start in range(0, rows, 1_000):  # batch-sized appends, as runs make them
        with writer(db) as con:
            con.execute(
                "INSERT INTO fetch_log (url, status, fetched_at, run_id) "
                "SELECT 'http://x/' || i, 200, now(), 'r' FROM range(?, ?) t(i)",
                [start, min(start + 1_000, rows)],
            )
    with writer(db) as con:
        groups = con.execute(
            "SELECT row_group_id, max(start + count) - min(start) FROM "
            "pragma_storage_info('fetch_log') WHERE column_id = 0 "
            "AND segment_type <> 'VALIDITY' GROUP BY 1"
        ).fetchall()
        assert con.execute("SELECT count(*) FROM fetch_log").fetchall()[0][0] == rows
    assert len(groups) >= 4
    assert max(size for _, size in groups) <= ROW_GROUP_SIZE


def test_a_read_out_of_memory_checkpoints_and_tries_once_more(tmp_path: Path) -> None:
    """Appended rows wait in memory until a checkpoint; the retry gets that room back.
    DuckDB's out-of-memory cannot be produced on demand, so the first try raises it."""
    db = tmp_path / "w.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO fetch_log (url, status) SELECT 'u' || i, 200 FROM range(50) t(i)")
        wal = Path(f"{publishing.work_path(db)}.wal")  # writers write the working copy
        assert wal.exists() and wal.stat().st_size > 0
        tries: list[int] = []

        def query() -> int:
            tries.append(1)
            if len(tries) == 1:
                raise duckdb.OutOfMemoryException("out of memory")
            return int(con.execute("SELECT count(*) FROM fetch_log").fetchall()[0][0])

        assert read_with_room(con, query) == 50
        assert len(tries) == 2
        assert not wal.exists() or wal.stat().st_size == 0  # the rows were checkpointed
        assert con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0] == (
            f"{publishing.work_path(db)}.tmp"  # spills beside the working copy
        )


def test_a_second_out_of_memory_doubles_the_limit_and_a_third_fails(tmp_path: Path) -> None:
    """A corpus that outgrew the limit costs memory, not the batch; the cap still holds."""
    db = tmp_path / "w.duckdb"
    with writer(db) as con:
        tries: list[int] = []

        def query(fail: int) -> int:
            tries.append(1)
            if len(tries) <= fail:
                raise duckdb.OutOfMemoryException("out of memory")
            return len(tries)

        assert limit_mib(con) == 122  # 128 MB
        assert read_with_room(con, lambda: query(2)) == 3
        assert limit_mib(con) == 244
        tries.clear()
        with pytest.raises(duckdb.OutOfMemoryException):
            read_with_room(con, lambda: query(3))
        assert len(tries) == 3
        assert limit_mib(con) == 488
        ceiling = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * MEMORY_CEILING
        con.execute(f"SET memory_limit = '{int(ceiling // 2**20)}MiB'")
        tries.clear()
        with pytest.raises(duckdb.OutOfMemoryException):  # at the cap: no third try
            read_with_room(con, lambda: query(2))
        assert len(tries) == 2


def test_a_raised_limit_holds_for_the_files_next_writer(tmp_path: Path) -> None:
    """Reopened (after yielding to readers), a writer must not run out twice again."""
    db, other = tmp_path / "w.duckdb", tmp_path / "other.duckdb"
    with writer(db) as con:
        assert raise_memory_limit(con) == "244MiB"
    with writer(db) as con:
        assert limit_mib(con) == 244
    with writer(other) as con:
        assert limit_mib(con) == 122


def limit_mib(con: duckdb.DuckDBPyConnection) -> int:
    value = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    number, unit = value.split()
    return round(float(number) * {"MiB": 1, "GiB": 1024}[unit])


def test_a_write_out_of_memory_rolls_back_checkpoints_and_runs_once_more(
    tmp_path: Path,
) -> None:
    """The first try's rows are rolled back, so the batch is written exactly once."""
    db = tmp_path / "w.duckdb"
    with writer(db) as con:
        tries: list[int] = []

        def write(c: duckdb.DuckDBPyConnection) -> int:
            tries.append(1)
            c.execute("INSERT INTO fetch_log (url, status) SELECT 'u' || i, 200 FROM range(5) t(i)")
            if len(tries) == 1:
                raise duckdb.OutOfMemoryException("out of memory")
            return len(tries)

        assert write_with_room(con, write) == 2
        assert con.execute("SELECT count(*) FROM fetch_log").fetchall() == [(5,)]
