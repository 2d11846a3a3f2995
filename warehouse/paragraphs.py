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

from tasks.records import Article

MIN_PAGES = 3
FRACTION = 0.02


def write_batch(con: duckdb.DuckDBPyConnection, articles: list[Article], run_id: str) -> int:
    """Replace the batch's articles' block hashes; returns the number of rows written.

    Every article of the batch loses its old rows first, a duplicate included: a page
    that became a copy of another must stop counting towards its host's template.
    """
    hosts: list[str] = []
    hashes: list[int] = []
    ids: list[str] = []
    seen: set[tuple[str, int, str]] = set()
    batch_ids = sorted({art.article_id for art in articles})
    if batch_ids:
        con.execute(
            "DELETE FROM host_paragraphs WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [batch_ids],
        )
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
    if not ids:
        return 0
    table = pa.table(
        {
            "host": pa.array(hosts, pa.string()),
            "para_hash": pa.array(hashes, pa.uint64()),
            "article_id": pa.array(ids, pa.string()),
        }
    )
    con.register("_nf_host_paragraphs", table)
    try:
        con.execute(
            "INSERT INTO host_paragraphs SELECT host, para_hash, article_id "
            "FROM _nf_host_paragraphs"
        )
    finally:
        con.unregister("_nf_host_paragraphs")
    return len(ids)


def load_boilerplate(
    con: duckdb.DuckDBPyConnection, hosts: Iterable[str]
) -> dict[str, frozenset[int]]:
    """Per host, the block hashes seen on enough distinct articles to count as template."""
    wanted = sorted(set(hosts))
    if not wanted:
        return {}
    rows = con.execute(
        """
        WITH pages AS (
            SELECT host, count(DISTINCT article_id) AS n
            FROM host_paragraphs WHERE host IN (SELECT unnest(?::VARCHAR[])) GROUP BY host
        )
        SELECT hp.host, hp.para_hash
        FROM host_paragraphs hp JOIN pages USING (host)
        GROUP BY hp.host, hp.para_hash, pages.n
        HAVING count(*) >= greatest(?, ceil(? * pages.n))
        """,
        [wanted, MIN_PAGES, FRACTION],
    ).fetchall()
    out: dict[str, set[int]] = {h: set() for h in wanted}
    for host, h in rows:
        out[host].add(int(h))
    return {host: frozenset(v) for host, v in out.items()}
