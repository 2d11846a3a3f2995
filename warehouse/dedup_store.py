"""Dedup and story state in the warehouse: signatures, LSH band keys, duplicates, stories.

Dedup reads this state (read-only) to check a new batch against everything ever
loaded; the load stage writes it, in its per-batch transaction, after the batch's
`articles` rows. Every write is keyed so that loading the same articles twice adds
no rows. Lookups are SQL hash joins of the batch's keys against the stored keys,
so a batch costs one pass over `article_bands` whatever its size (see DEDUP.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from tasks import minhash
from tasks.records import Article
from tasks.urls import url_key_hash

_SIG_BYTES = minhash.NUM_BINS * 4
_TAIL = np.dtype(
    [("text_hash", "<u8"), ("lead_keys", "<u8", (minhash.LEAD_KEYS,)), ("n_tokens", "<u4")]
)


def pack(sig: np.ndarray, text_hash: int, lead_keys: np.ndarray, n_tokens: int) -> bytes:
    """`Article.signature`: the MinHash bins, then the exact and lead keys and the word count.

    Carrying the keys in the blob lets the load stage store them without re-reading text.
    """
    tail = np.zeros(1, dtype=_TAIL)
    tail["text_hash"], tail["lead_keys"][0], tail["n_tokens"] = text_hash, lead_keys, n_tokens
    return minhash.to_bytes(sig) + tail.tobytes()


def unpack(blob: bytes) -> tuple[np.ndarray, int, np.ndarray, int]:
    """(signature, text_hash, lead_keys, n_tokens) from `pack`'s blob."""
    sig = minhash.from_bytes(blob[:_SIG_BYTES])
    tail = np.frombuffer(blob[_SIG_BYTES:], dtype=_TAIL)
    if not len(tail):
        return sig, 0, np.zeros(minhash.LEAD_KEYS, np.uint64), 0
    return sig, int(tail["text_hash"][0]), tail["lead_keys"][0], int(tail["n_tokens"][0])


def has_state(con: duckdb.DuckDBPyConnection | None) -> bool:
    """Whether `con` is a warehouse with dedup tables (a new store has nothing to check)."""
    if con is None:
        return False
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name IN ('article_signatures', 'article_bands', 'duplicates')"
    ).fetchall()
    return rows[0][0] == 3


def _register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register(name, table)


def find_candidates(
    con: duckdb.DuckDBPyConnection, query: np.ndarray, keys: np.ndarray
) -> list[tuple[int, str, int]]:
    """(query index, stored article_id, shared band count) for every stored band key match.

    `query[k]` is the batch position that owns `keys[k]`; one hash join on band_key.
    """
    if not len(keys):
        return []
    table = pa.table({"q": pa.array(query, pa.int32()), "band_key": pa.array(keys, pa.uint64())})
    _register(con, "_dedup_q", table)
    try:
        return con.execute(
            "SELECT q.q, b.article_id, count(*)::INTEGER FROM _dedup_q q "
            "JOIN article_bands b ON b.band_key = q.band_key GROUP BY ALL"
        ).fetchall()
    finally:
        con.unregister("_dedup_q")


def find_by_column(
    con: duckdb.DuckDBPyConnection, column: str, query: np.ndarray, keys: np.ndarray
) -> list[tuple[int, str]]:
    """(query index, article_id) of stored articles whose `text_hash`/`url_key` equals a key."""
    if column not in ("text_hash", "url_key") or not len(keys):
        return []
    table = pa.table({"q": pa.array(query, pa.int32()), "k": pa.array(keys, pa.uint64())})
    _register(con, "_dedup_k", table)
    try:
        return con.execute(
            f"SELECT DISTINCT q.q, s.article_id FROM _dedup_k q "
            f"JOIN article_signatures s ON s.{column} = q.k"
        ).fetchall()
    finally:
        con.unregister("_dedup_k")


def stored_info(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Signature, word count and duplicate mark of stored articles."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    _register(con, "_dedup_ids", pa.table({"article_id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute(
            "SELECT s.article_id, s.signature, s.n_tokens, d.duplicate_of, d.method, d.similarity "
            "FROM _dedup_ids i JOIN article_signatures s USING (article_id) "
            "LEFT JOIN duplicates d USING (article_id)"
        ).fetchall()
    finally:
        con.unregister("_dedup_ids")
    return {
        r[0]: {
            "signature": minhash.from_bytes(r[1][:_SIG_BYTES]),
            "n_tokens": r[2] or 0,
            "duplicate_of": r[3],
            "method": r[4],
            "similarity": r[5],
        }
        for r in rows
    }


def stored_texts(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, str]:
    """Texts of stored articles, for the exact containment check of teaser candidates."""
    ids = list(dict.fromkeys(ids))
    has_articles = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'"
    ).fetchall()[0][0]
    if not ids or not has_articles:
        return {}
    _register(con, "_dedup_ids", pa.table({"article_id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute(
            "SELECT a.article_id, a.text FROM _dedup_ids i JOIN articles a USING (article_id)"
        ).fetchall()
    finally:
        con.unregister("_dedup_ids")
    return dict(rows)


def write_batch(
    con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: str
) -> dict[str, int]:
    """Store signatures, band keys and duplicate rows of a loaded batch, idempotently.

    Call after the batch's `articles` rows are written, inside the same transaction.
    Band rows are replaced only for articles whose signature changed (or is new).
    """
    counts = {"signatures": 0, "bands": 0, "duplicates": 0}
    seen: set[str] = set()
    batch = []
    for a in articles:
        if a.signature and a.article_id not in seen:
            seen.add(a.article_id)
            batch.append(a)
    if batch:
        counts.update(_write_signatures(con, batch))
    dups = [a for a in articles if a.duplicate_of and a.duplicate_of != a.article_id]
    if dups:
        counts["duplicates"] = _write_duplicates(con, dups, run_id)
    return counts


def _write_signatures(con: duckdb.DuckDBPyConnection, batch: list[Article]) -> dict[str, int]:
    unpacked = [unpack(a.signature or b"") for a in batch]
    sig_table = pa.table(
        {
            "article_id": pa.array([a.article_id for a in batch], pa.string()),
            "signature": pa.array([minhash.to_bytes(u[0]) for u in unpacked], pa.binary()),
            "text_hash": pa.array([u[1] for u in unpacked], pa.uint64()),
            "url_key": pa.array([url_key_hash(a.canonical_url) for a in batch], pa.uint64()),
            "n_tokens": pa.array([u[3] for u in unpacked], pa.int32()),
        }
    )
    con.register("_dedup_sigs", sig_table)
    try:
        unchanged = {
            r[0]
            for r in con.execute(
                "SELECT s.article_id FROM article_signatures s JOIN _dedup_sigs b "
                "USING (article_id) WHERE s.signature = b.signature"
            ).fetchall()
        }
        stale = [a.article_id for a in batch if a.article_id not in unchanged]
        con.execute(
            "INSERT INTO article_signatures SELECT article_id, signature, text_hash, url_key, "
            "n_tokens FROM _dedup_sigs ON CONFLICT (article_id) DO UPDATE SET "
            "signature = excluded.signature, text_hash = excluded.text_hash, "
            "url_key = excluded.url_key, n_tokens = excluded.n_tokens"
        )
    finally:
        con.unregister("_dedup_sigs")
    if not stale:
        return {"signatures": len(batch), "bands": 0}
    stale_set = set(stale)
    rows = [(a, u) for a, u in zip(batch, unpacked, strict=True) if a.article_id in stale_set]
    sigs = np.stack([u[0] for _, u in rows])
    keys = minhash.band_keys(sigs)
    ids = np.repeat(np.array([a.article_id for a, _ in rows], dtype=object), minhash.BANDS)
    band = np.tile(np.arange(minhash.BANDS, dtype=np.uint16), len(rows))
    lead = [
        (a.article_id, k, int(key)) for a, u in rows for k, key in enumerate(u[2].tolist()) if key
    ]
    band_table = pa.table(
        {
            "band": pa.array(
                np.concatenate(
                    [band, np.array([minhash.LEAD_BAND + k for _, k, _ in lead], np.uint16)]
                ),
                pa.uint16(),
            ),
            "band_key": pa.array(
                np.concatenate([keys.ravel(), np.array([x for _, _, x in lead], dtype=np.uint64)]),
                pa.uint64(),
            ),
            "article_id": pa.array(list(ids) + [i for i, _, _ in lead], pa.string()),
        }
    )
    con.register("_dedup_stale", pa.table({"article_id": pa.array(stale, pa.string())}))
    con.register("_dedup_bands", band_table)
    try:
        con.execute(
            "DELETE FROM article_bands WHERE article_id IN (SELECT article_id FROM _dedup_stale)"
        )
        con.execute(
            "INSERT INTO article_bands (band, band_key, article_id) "
            "SELECT band, band_key, article_id FROM _dedup_bands"
        )
    finally:
        con.unregister("_dedup_stale")
        con.unregister("_dedup_bands")
    return {"signatures": len(batch), "bands": band_table.num_rows}


def _write_duplicates(con: duckdb.DuckDBPyConnection, dups: list[Article], run_id: str) -> int:
    now = datetime.now(UTC)
    unique = {a.article_id: a for a in dups}
    table = pa.table(
        {
            "article_id": pa.array(list(unique), pa.string()),
            "duplicate_of": pa.array([a.duplicate_of for a in unique.values()], pa.string()),
            "method": pa.array([a.dup_method or "near" for a in unique.values()], pa.string()),
            "similarity": pa.array([a.dup_similarity for a in unique.values()], pa.float64()),
            "modified_at": pa.array(
                [_utc(a.modified_at) for a in unique.values()], pa.timestamp("us", tz="UTC")
            ),
            "source": pa.array([a.source for a in unique.values()], pa.string()),
        }
    )
    con.register("_dedup_dups", table)
    try:
        con.execute(
            "INSERT INTO duplicates (article_id, duplicate_of, method, similarity, detected_at, "
            "run_id) SELECT article_id, duplicate_of, method, similarity, ?, ? FROM _dedup_dups "
            "ON CONFLICT (article_id) DO UPDATE SET duplicate_of = excluded.duplicate_of, "
            "method = excluded.method, similarity = excluded.similarity",
            [now, run_id],
        )
        # An outlet's newer version of its own article: the canonical keeps its text but
        # shows when it was last modified (see DEDUP.md, "Updated versions").
        has_articles = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'"
        ).fetchall()[0][0]
        if has_articles:
            con.execute(
                "UPDATE articles SET modified_at = d.modified_at FROM _dedup_dups d "
                "WHERE articles.article_id = d.duplicate_of AND articles.source = d.source "
                "AND d.method IN ('near', 'contained') AND d.modified_at IS NOT NULL "
                "AND (articles.modified_at IS NULL OR articles.modified_at < d.modified_at)"
            )
    finally:
        con.unregister("_dedup_dups")
    return len(unique)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- stories -----------------------------------------------------------------------------


def story_members(
    con: duckdb.DuckDBPyConnection, since: datetime, until: datetime, limit: int
) -> list[dict[str, Any]]:
    """Canonical articles already filed under a story and published in [since, until]."""
    if con is None or not _has_tables(con, ("articles",)):
        return []
    has_entities = _has_tables(con, ("article_entities",))
    entity_sql = (
        "(SELECT list(lower(e.entity) || '|' || e.label) FROM article_entities e "
        "WHERE e.article_id = a.article_id)"
        if has_entities
        else "NULL"
    )
    rows = con.execute(
        f"SELECT a.article_id, a.story_id, a.source, a.title, left(a.text, 4000), "
        f"coalesce(a.published_at, a.first_seen_at) AS t, {entity_sql} "
        "FROM articles a WHERE a.story_id IS NOT NULL AND a.duplicate_of IS NULL "
        "AND coalesce(a.published_at, a.first_seen_at) BETWEEN ? AND ? "
        "ORDER BY t DESC LIMIT ?",
        [_utc(since), _utc(until), limit],
    ).fetchall()
    return [
        {
            "article_id": r[0],
            "story_id": r[1],
            "source": r[2],
            "title": r[3],
            "lead": r[4],
            "time": r[5],
            "entities": [tuple(x.split("|", 1)) for x in (r[6] or [])],
        }
        for r in rows
    ]


def stories_of(con: duckdb.DuckDBPyConnection | None, ids: Iterable[str]) -> dict[str, str]:
    """story_id of stored articles (duplicates join their canonical's story)."""
    ids = list(dict.fromkeys(ids))
    if con is None or not ids or not _has_tables(con, ("articles",)):
        return {}
    con.register("_story_ids", pa.table({"article_id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute(
            "SELECT a.article_id, a.story_id FROM _story_ids i JOIN articles a USING (article_id) "
            "WHERE a.story_id IS NOT NULL"
        ).fetchall()
    finally:
        con.unregister("_story_ids")
    return dict(rows)


def _has_tables(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> bool:
    found = con.execute(
        "SELECT count(DISTINCT table_name) FROM information_schema.tables "
        "WHERE table_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(names)],
    ).fetchall()[0][0]
    return found == len(names)


def write_stories(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: str) -> int:
    """Recompute the `stories` rows the batch touched from the `articles` table.

    headline: title of the story's earliest canonical article; first/last published
    over all its articles; article_count counts canonical articles (a syndicated copy
    is one article) and source_count the outlets that carried it, copies included.
    """
    touched = sorted({a.story_id for a in articles if a.story_id})
    if not touched:
        return 0
    con.register("_story_touched", pa.table({"story_id": pa.array(touched, pa.string())}))
    try:
        con.execute(
            """
            INSERT INTO stories (story_id, headline, first_published_at, last_published_at,
                                 article_count, source_count, updated_at)
            SELECT a.story_id,
                   arg_min(a.title, (a.duplicate_of IS NOT NULL,
                                     coalesce(a.published_at, a.first_seen_at), a.article_id)),
                   min(coalesce(a.published_at, a.first_seen_at)),
                   max(coalesce(a.published_at, a.first_seen_at)),
                   count(*) FILTER (WHERE a.duplicate_of IS NULL),
                   count(DISTINCT a.source),
                   now()
            FROM articles a JOIN _story_touched t USING (story_id)
            GROUP BY a.story_id
            ON CONFLICT (story_id) DO UPDATE SET
                headline = excluded.headline,
                first_published_at = excluded.first_published_at,
                last_published_at = excluded.last_published_at,
                article_count = excluded.article_count,
                source_count = excluded.source_count,
                updated_at = excluded.updated_at
            """
        )
    finally:
        con.unregister("_story_touched")
    del run_id  # stories are recomputed from articles; the run is recorded there
    return len(touched)
