"""The `articles` table: one row per canonical URL, upserted batch by batch.

The load stage (tasks/load) calls `write_articles` inside the batch's transaction, beside
the other storage modules' writes; the columns and their types are the table's declaration
in warehouse/docs.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from records import Article
from records.times import as_utc
from warehouse.docs import arrow_schema
from warehouse.lake import upsert

# The columns and their Arrow types come from the table's declaration (warehouse/docs.py).
_ARTICLE_SCHEMA = arrow_schema("articles")
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
        # ON CONFLICT on a DuckDB file, MERGE on a lake (no key index there)
        upsert(con, "articles", _COLUMNS, "SELECT * FROM _batch_articles", ["article_id"], updates)
    finally:
        con.unregister("_batch_articles")
    return result
