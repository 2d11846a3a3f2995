"""Cross-page boilerplate state: which body blocks each host repeats on many pages.

Single-page extractors keep link boxes, promos and legal lines that sit inside the article
container. Seen across a host's pages they stand out: the same normalised block on many
distinct articles. `write_batch` records each article's block hashes (idempotent: an
article's rows are replaced by its latest version's), `load_boilerplate` returns the
frequent ones.

Threshold: a block is boilerplate once it appears on at least
max(MIN_PAGES, ceil(FRACTION * pages known for the host)) distinct articles. MIN_PAGES = 3
because two articles can legitimately share a paragraph (a correction note, a quoted
statement) while three independent articles with the identical block is almost always a
template; the fraction keeps big hosts from flagging a statement quoted in a handful of
their thousands of stories.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from records import Article
from warehouse.docs import arrow_schema

MIN_PAGES = 3
FRACTION = 0.02

_ROWS = arrow_schema("host_paragraphs")  # the table's declaration (warehouse/docs.py)


def write_batch(con: duckdb.DuckDBPyConnection, articles: list[Article], run_id: str) -> int:
    """Replace the batch's articles' block hashes; returns the number of rows written.

    Every article of the batch loses its old rows first, a duplicate included: a page
    that became a copy of another must stop counting towards its host's template. The
    per-host counts (`host_paragraph_counts`, `host_paragraph_pages`) move by the
    difference between the rows removed and the rows written, so keeping them costs
    the batch's rows, not the table's.
    """
    hosts: list[str] = []
    hashes: list[int] = []
    ids: list[str] = []
    seen: set[tuple[str, int, str]] = set()
    batch_ids = sorted({art.article_id for art in articles})
    old = _ROWS.empty_table()
    if batch_ids:
        con.register("_nf_hp_ids", pa.table({"article_id": pa.array(batch_ids, pa.string())}))
        try:
            where = "WHERE article_id IN (SELECT article_id FROM _nf_hp_ids)"
            old = con.execute(
                f"SELECT host, para_hash, article_id FROM host_paragraphs {where}"
            ).fetch_arrow_table()
            if old.num_rows:
                con.execute(f"DELETE FROM host_paragraphs {where}")
        finally:
            con.unregister("_nf_hp_ids")
    for art in articles:
        if art.duplicate_of:
            continue  # a copy would make its own paragraphs look repeated
        for h in art.paragraph_hashes:
            key = (art.source, h, art.article_id)
            if key not in seen:
                seen.add(key)
                hosts.append(art.source)
                hashes.append(h)
                ids.append(art.article_id)
    new = pa.table([hosts, hashes, ids], schema=_ROWS)
    con.register("_nf_hp_new", new)
    try:
        if ids:
            con.execute("INSERT INTO host_paragraphs SELECT * FROM _nf_hp_new")
        if old.num_rows or ids:
            con.register("_nf_hp_old", old)
            try:
                _shift_counts(con)
            finally:
                con.unregister("_nf_hp_old")
    finally:
        con.unregister("_nf_hp_new")
    return len(ids)


def _shift_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Move the per-host counts by the batch's removed (_nf_hp_old) and new (_nf_hp_new) rows."""
    for table, keys, delta_sql in (
        (
            "host_paragraph_counts",
            ("host", "para_hash"),
            "SELECT host, para_hash, -1 AS d FROM _nf_hp_old "
            "UNION ALL SELECT host, para_hash, 1 FROM _nf_hp_new",
        ),
        (
            "host_paragraph_pages",
            ("host",),
            "SELECT host, -1 AS d FROM (SELECT DISTINCT host, article_id FROM _nf_hp_old) "
            "UNION ALL SELECT host, 1 FROM (SELECT DISTINCT host, article_id FROM _nf_hp_new)",
        ),
    ):
        cols = ", ".join(keys)
        match = " AND ".join(f"t.{k} = d.{k}" for k in keys)
        delta = con.execute(
            f"SELECT {cols}, sum(d)::BIGINT AS d FROM ({delta_sql}) GROUP BY {cols} "
            "HAVING sum(d) <> 0"
        ).fetch_arrow_table()
        if not delta.num_rows:
            continue
        con.register("_nf_hp_delta", delta)
        try:
            con.execute(
                f"UPDATE {table} t SET articles = t.articles + d.d FROM _nf_hp_delta d "
                f"WHERE {match}"
            )
            con.execute(
                f"INSERT INTO {table} SELECT {cols}, d FROM _nf_hp_delta d "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})"
            )
            if any(v < 0 for v in delta.column("d").to_pylist()):
                con.execute(f"DELETE FROM {table} WHERE articles <= 0")
        finally:
            con.unregister("_nf_hp_delta")


def load_boilerplate(
    con: duckdb.DuckDBPyConnection, hosts: Iterable[str] | None = None
) -> dict[str, frozenset[int]]:
    """Per host (every host on record when `hosts` is None), the block hashes seen on
    enough distinct articles to count as template."""
    wanted = None if hosts is None else sorted(set(hosts))
    if wanted == []:
        return {}
    rows = con.execute(
        f"""
        SELECT p.host, c.para_hash
        FROM host_paragraph_pages p LEFT JOIN host_paragraph_counts c
          ON c.host = p.host AND c.articles >= greatest(?, ceil(? * p.articles))
        {"" if wanted is None else "WHERE p.host IN (SELECT unnest(?::VARCHAR[]))"}
        """,
        [MIN_PAGES, FRACTION] + ([] if wanted is None else [wanted]),
    ).fetchall()
    out: dict[str, set[int]] = {h: set() for h in wanted or ()}
    for host, h in rows:
        found = out.setdefault(host, set())
        if h is not None:
            found.add(int(h))
    return {host: frozenset(v) for host, v in out.items()}
