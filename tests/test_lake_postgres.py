"""Several writers on one DuckLake catalogued in PostgreSQL (issue 23).

The test starts a real PostgreSQL server of its own (Debian's `postgresql` package:
initdb + pg_ctl, loopback only, in a temporary directory) and skips with one line
where the server binaries are not installed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests import pgserver
from tests.conftest import FAST_FETCH, demo_sources, ingest_process
from warehouse.store import (
    WarehouseMissing,
    check_warehouse,
    connect_readonly,
    open_connection,
    write_with_room,
    writer,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres() -> Iterator[pgserver.Server]:
    """A PostgreSQL server on a loopback port (tests/pgserver.py), for the module."""
    try:
        with pgserver.server() as server:
            yield server
    except pgserver.PostgresUnavailable as exc:
        pytest.skip(str(exc))


# Compared between the concurrent and the one-after-the-other lake. When two outlets'
# syndicated copies load at the same time, which copy is the canonical one depends on
# which batch committed first (as it would for two runs in the other order), and
# entities, keywords and topics are kept for canonical articles only. So duplicates
# are compared as groups (the same articles found to be one), and the enrichment over
# the articles canonical in both. Likewise a bare surname ("Rowe") is stored under the
# one known person it is an alias of ("Anna Rowe") only if that person was committed
# before it: entity names are compared as each warehouse resolves them at the end
# (`resolved_entities`).
CONTENT = {
    "articles": "SELECT article_id, canonical_url, source, title, text, content_hash "
    "FROM articles ORDER BY article_id",
    "fetched": "SELECT url, status FROM fetch_log WHERE kind = 'page' ORDER BY ALL",
    "cache": "SELECT url, etag, last_modified FROM http_cache ORDER BY ALL",
}
ENRICHED = {
    "entities": "SELECT article_id, entity, label, mentions FROM article_entities",
    "keywords": "SELECT article_id, keyword FROM article_keywords",
}


def content(db: str) -> dict[str, Any]:
    con = connect_readonly(db)
    try:
        out: dict[str, Any] = {name: con.execute(sql).fetchall() for name, sql in CONTENT.items()}
        pairs = con.execute("SELECT article_id, duplicate_of FROM articles").fetchall()
        groups: dict[str, set[str]] = {}
        for article, original in pairs:
            groups.setdefault(original or article, set()).add(article)
        out["duplicate groups"] = sorted(sorted(g) for g in groups.values())
        out["canonical"] = {a for a, original in pairs if original is None}
        for name, sql in ENRICHED.items():
            out[name] = con.execute(sql).fetchall()
        out["entities"] = resolved_entities(con, out["entities"])
        return out
    finally:
        con.close()


def resolved_entities(con: Any, rows: list[tuple[str, str, str, int]]) -> list[tuple]:
    """Entity rows with each name that is an alias of exactly one other entity of its
    label (the warehouse's `entities.aliases`, as it ends) put under that entity."""
    owners: dict[tuple[str, str], set[str]] = {}
    for entity, label, aliases in con.execute(
        "SELECT entity, label, aliases FROM entities"
    ).fetchall():
        for alias in aliases or ():
            if alias != entity:
                owners.setdefault((alias, label), set()).add(entity)
    mentions: dict[tuple[str, str, str], int] = {}
    for article, entity, label, count in rows:
        found = owners.get((entity, label), set())
        name = next(iter(found)) if len(found) == 1 else entity
        if label == "PERSON":
            # A bare surname joins a full name only if the full name was stored first, and
            # concurrent runs store in another order; a person is compared by surname.
            name = name.split()[-1]
        mentions[(article, name, label)] = mentions.get((article, name, label), 0) + count
    return [(*key, count) for key, count in mentions.items()]


def assert_same_result(together: dict[str, Any], one_by_one: dict[str, Any]) -> None:
    for name in (*CONTENT, "duplicate groups"):
        assert together[name] == one_by_one[name], name
    both = together["canonical"] & one_by_one["canonical"]
    # one canonical article per group in both; which one may differ (see CONTENT)
    assert len(together["canonical"]) == len(one_by_one["canonical"]) and both
    for name in ENRICHED:
        mine = sorted(r for r in together[name] if r[0] in both)
        theirs = sorted(r for r in one_by_one[name] if r[0] in both)
        assert mine and mine == theirs, name


def halves(site: Any) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The demo site's sources split in two by outlet host: two runs, different sources."""
    sources = demo_sources(site)
    hosts = sorted({s["location"].split("/")[2] for s in sources})
    first = set(hosts[: len(hosts) // 2])
    a = [s for s in sources if s["location"].split("/")[2] in first]
    b = [s for s in sources if s["location"].split("/")[2] not in first]
    assert a and b
    return a, b


def test_two_runs_write_one_lake_at_once(
    postgres: pgserver.Server, prefect_api: str, demo_site: Any
) -> None:
    demo_site.set_edition(0)
    a, b = halves(demo_site)
    together = postgres.new_lake("together")
    with writer(together):  # migrated once, so the two runs do not race to create tables
        pass
    procs = [
        ingest_process(
            half, together, prefect_api, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for half in (a, b)
    ]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[-2000:] for o in outputs]

    one_by_one = postgres.new_lake("one_by_one")
    from flows.ingest import ingest

    for half in (a, b):
        ingest(
            sources=half, db=one_by_one, allow_private_hosts=True, fetch=FAST_FETCH, batch_size=25
        )
    assert_same_result(content(together), content(one_by_one))

    con = connect_readonly(together)
    try:
        runs = con.execute(
            "SELECT status, started_at, finished_at FROM runs ORDER BY started_at"
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in runs] == ["completed", "completed"]
    # the runs overlapped: the second started before the first finished
    assert runs[1][1] < runs[0][2], runs


def test_a_conflicting_batch_is_retried(postgres: pgserver.Server) -> None:
    """Two writers change the same rows; the one that commits second runs again."""
    lake = postgres.new_lake("conflict")
    with writer(lake) as con:
        con.execute("INSERT INTO runs (run_id, started_at, status) VALUES ('r', now(), 'running')")
    other = open_connection(lake)
    mine = open_connection(lake)
    attempts: list[int] = []

    def batch(con: Any) -> None:
        attempts.append(1)
        con.execute("UPDATE runs SET pages_fetched = pages_fetched + 1 WHERE run_id = 'r'")
        if len(attempts) == 1:  # another writer commits a change to the same row meanwhile
            other.execute("UPDATE runs SET pages_failed = 5 WHERE run_id = 'r'")

    try:
        write_with_room(mine, batch)
    finally:
        other.close()
        mine.close()
    assert len(attempts) == 2
    con = connect_readonly(lake)
    try:
        assert con.execute(
            "SELECT pages_fetched, pages_failed FROM runs WHERE run_id = 'r'"
        ).fetchall() == [(1, 5)]
    finally:
        con.close()


def test_a_new_catalog_database_is_no_warehouse_yet(postgres: pgserver.Server) -> None:
    """Readers say there is nothing to read; a run may start there (it creates the lake)."""
    lake = postgres.new_lake("empty")
    with pytest.raises(WarehouseMissing, match=r"^no warehouse at ducklake:postgres:"):
        connect_readonly(lake)
    check_warehouse(lake)  # no complaint: the run creates the lake
    with writer(lake) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(0,)]
    connect_readonly(lake).close()
