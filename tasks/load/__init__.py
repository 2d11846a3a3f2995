"""Load stage: one transaction per batch, bulk Arrow inserts, idempotent upserts.

Everything a batch produced (articles, duplicates, signatures, entities, topics,
paragraph counts, fetch log, HTTP validators) commits together or not at all, so a
run killed at any moment and started again ends where an uninterrupted run would:
the finished batches are in, the torn one is not, and its pages are simply fetched
again. Articles are keyed by `article_id` (derived from the canonical URL), so
re-loading the same page updates a row instead of adding one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from records import Article, Page, StageStats
from records.times import as_utc
from tasks.context import StageContext
from warehouse import crawl_store, dedup_store, paragraphs, stories_store, topics_store
from warehouse.lake import upsert
from warehouse.store import warehouse_exists, write_with_room, writer

_TS = pa.timestamp("us", tz="UTC")
_ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published_at", _TS),
        ("modified_at", _TS),
        ("language", pa.string()),
        ("site_name", pa.string()),
        ("description", pa.string()),
        ("section", pa.string()),
        ("tags", pa.list_(pa.string())),
        ("image_url", pa.string()),
        ("text", pa.string()),
        ("markdown", pa.string()),
        ("word_count", pa.int32()),
        ("content_hash", pa.string()),
        ("duplicate_of", pa.string()),
        ("story_id", pa.string()),
        ("feed_source", pa.string()),
        ("first_seen_at", _TS),
        ("last_seen_at", _TS),
        ("run_id", pa.string()),
    ]
)
_COLUMNS = [f.name for f in _ARTICLE_SCHEMA]
# Updated on conflict: everything but the identity and the first sighting.
_UPDATED = [c for c in _COLUMNS if c not in ("article_id", "first_seen_at")]


def articles_table(articles: Sequence[Article], run_id: str, now: datetime) -> pa.Table:
    rows: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for a in articles:
        seen = as_utc(a.fetched_at) or now
        values = {
            "article_id": a.article_id,
            "url": a.url,
            "canonical_url": a.canonical_url,
            "source": a.source,
            "title": a.title,
            "authors": list(a.authors),
            "published_at": as_utc(a.published_at),
            "modified_at": as_utc(a.modified_at),
            "language": a.language,
            "site_name": a.site_name,
            "description": a.description,
            "section": a.section,
            "tags": list(a.tags),
            "image_url": a.image_url,
            "text": a.text,
            "markdown": a.markdown,
            "word_count": a.word_count,
            "content_hash": a.content_hash,
            "duplicate_of": a.duplicate_of,
            "story_id": a.story_id,
            "feed_source": a.feed_source,
            "first_seen_at": seen,
            "last_seen_at": seen,
            "run_id": run_id,
        }
        for name in _COLUMNS:
            rows[name].append(values[name])
    return pa.table(rows, schema=_ARTICLE_SCHEMA)


@dataclass
class LoadResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    new_ids: list[str] = field(default_factory=list)
    # Stored articles of the batch -> not a duplicate, as they were before this write
    # (entity counts move by the difference).
    was_canonical: dict[str, bool] = field(default_factory=dict)
    # Stories the batch's stored articles were filed under before this write: a story an
    # article leaves must be recounted too.
    old_stories: set[str] = field(default_factory=set)


def _unique(articles: Sequence[Article]) -> tuple[list[Article], int]:
    """One row per article_id: two URLs naming the same canonical page are one article."""
    seen: set[str] = set()
    out: list[Article] = []
    for a in articles:
        if a.article_id in seen:
            continue
        seen.add(a.article_id)
        out.append(a)
    return out, len(articles) - len(out)


def write_articles(
    con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: str, now: datetime
) -> LoadResult:
    """Upsert articles; counts new, updated (text changed) and unchanged rows."""
    result = LoadResult()
    if not articles:
        return result
    table = articles_table(articles, run_id, now)
    con.register("_batch_articles", table)
    try:
        known: dict[str, str] = {}
        for aid, content_hash, canonical, story in con.execute(
            "SELECT a.article_id, a.content_hash, a.duplicate_of IS NULL, a.story_id "
            "FROM articles a JOIN _batch_articles b USING (article_id)"
        ).fetchall():
            known[aid] = content_hash
            result.was_canonical[aid] = bool(canonical)
            if story:
                result.old_stories.add(story)
        for a in articles:
            if a.article_id not in known:
                result.new += 1
                result.new_ids.append(a.article_id)
            elif known[a.article_id] != a.content_hash:
                result.updated += 1
            else:
                result.unchanged += 1
            if a.duplicate_of:
                result.duplicates += 1
        updates = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
        upsert(con, "articles", _COLUMNS, "SELECT * FROM _batch_articles", ["article_id"], updates)
    finally:
        con.unregister("_batch_articles")
    return result


def load_batch(
    db_path: str,
    run_id: str,
    articles: list[Article],
    pages: list[Page],
    fetch_rows: list[dict[str, Any]],
) -> tuple[LoadResult, StageStats]:
    """Commit one batch's articles and crawl state in a single transaction."""
    started = time.perf_counter()
    stats = StageStats("load", records_in=len(articles))
    now = datetime.now(UTC)
    unique, same_canonical = _unique(articles)
    if same_canonical:
        stats.drop("same-canonical-url", same_canonical)

    def write(con: duckdb.DuckDBPyConnection) -> LoadResult:
        result = write_articles(con, unique, run_id, now)
        dedup_store.write_batch(con, unique, run_id)
        stories_store.write_stories(con, unique, run_id, result.old_stories)
        topics_store.write_batch(con, unique, run_id, result.was_canonical)
        paragraphs.write_batch(con, unique, run_id)
        crawl_store.write_batch(con, pages, fetch_rows, run_id)
        return result

    with writer(db_path) as con:
        result = write_with_room(con, write)
    stats.records_out = len(unique)
    stats.extra.update(
        {
            "new": result.new,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "duplicates": result.duplicates,
        }
    )
    stats.seconds = time.perf_counter() - started
    return result, stats


def read_boilerplate(db_path: str) -> dict[str, frozenset[int]]:
    """Every host's known template blocks, for the clean stage.

    Boilerplate is keyed by the canonical host, which is only known after cleaning, so
    all hosts are read, from the per-host counts the loader keeps (schema 4).
    """
    if not warehouse_exists(db_path):
        return {}
    with writer(db_path) as con:
        return paragraphs.load_boilerplate(con)


def boilerplate_stage(_: None, ctx: StageContext) -> tuple[dict[str, frozenset[int]], StageStats]:
    """The boilerplate paragraphs known so far, per host, for the clean stage."""
    known = read_boilerplate(ctx.db) if ctx.db else {}
    return known, StageStats("boilerplate", records_out=len(known))


LoadBatch = tuple[list[Article], list[Page], list[dict[str, Any]]]


def load_stage(batch: LoadBatch, ctx: StageContext) -> tuple[LoadResult, StageStats]:
    """The stage: (articles, pages, fetch_log rows) written to the warehouse in one transaction."""
    if not ctx.db:
        raise ValueError("the load stage needs a warehouse file")
    articles, pages, fetch_rows = batch
    return load_batch(ctx.db, ctx.run_id, articles, pages, fetch_rows)
