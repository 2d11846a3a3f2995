"""Load stage: one transaction per batch, bulk Arrow inserts, idempotent upserts.

Everything a batch produced (articles, duplicates, signatures, entities, topics,
paragraph counts, fetch log, HTTP validators) commits together or not at all, so a
run killed at any moment and started again ends where an uninterrupted run would:
the finished batches are in, the torn one is not, and its pages are simply fetched
again. Articles are keyed by `article_id` (derived from the canonical URL), so
re-loading the same page updates a row instead of adding one. Each table is written by the
storage module that owns it (warehouse/articles_store, crawl_store, dedup_store, ...): this
stage puts their writes in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from records import Article, Page, StageStats
from tasks.context import StageContext
from warehouse import crawl_store, dedup_store, paragraphs, stories_store, topics_store
from warehouse.articles_store import LoadResult, write_articles
from warehouse.store import warehouse_exists, write_with_room, writer


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


def load_batch(
    db_path: str,
    run_id: str,
    articles: list[Article],
    pages: list[Page],
    fetch_rows: list[dict[str, Any]],
    memory: str | None = None,
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

    with writer(db_path, memory=memory) as con:
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


def read_boilerplate(db_path: str, memory: str | None = None) -> dict[str, frozenset[int]]:
    """Every host's known template blocks, for the clean stage.

    Boilerplate is keyed by the canonical host, which is only known after cleaning, so
    all hosts are read, from the per-host counts the loader keeps (schema 4).
    """
    if not warehouse_exists(db_path):
        return {}
    with writer(db_path, memory=memory) as con:
        return paragraphs.load_boilerplate(con)


def boilerplate_stage(_: None, ctx: StageContext) -> tuple[dict[str, frozenset[int]], StageStats]:
    """The boilerplate paragraphs known so far, per host, for the clean stage."""
    known = read_boilerplate(ctx.db, ctx.duckdb_memory) if ctx.db else {}
    return known, StageStats("boilerplate", records_out=len(known))


LoadBatch = tuple[list[Article], list[Page], list[dict[str, Any]]]


def load_stage(batch: LoadBatch, ctx: StageContext) -> tuple[LoadResult, StageStats]:
    """The stage: (articles, pages, fetch_log rows) written to the warehouse in one transaction."""
    if not ctx.db:
        raise ValueError("the load stage needs a warehouse file")
    articles, pages, fetch_rows = batch
    return load_batch(ctx.db, ctx.run_id, articles, pages, fetch_rows, ctx.duckdb_memory)
