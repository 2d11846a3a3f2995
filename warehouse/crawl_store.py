"""Crawl state in the warehouse: the fetch log and the per-URL validators for revalidation.

`http_cache` holds, per requested URL, what the next run needs to ask "has it changed?":
the server's ETag and Last-Modified (sent back as If-None-Match / If-Modified-Since) and the
SHA-1 of the body we ingested (catches unchanged pages from servers that send no validators).
It is written in the same transaction as the batch's articles, so a URL is only ever marked
known once its article is committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

from records import Page
from records.keys import body_digest
from warehouse.docs import arrow_schema
from warehouse.lake import upsert

# Rows are built with the tables' declared types (warehouse/docs.py).
_FETCH_LOG = arrow_schema("fetch_log")
FETCH_LOG_COLUMNS = tuple(_FETCH_LOG.names)
_CACHE = arrow_schema(
    "http_cache", ["url", "etag", "last_modified", "body_sha1", "status", "checked_at"]
)
_LOOKUP_CHUNK = 5000  # URLs per lookup query: keeps the registered table small


class Validators(NamedTuple):
    """What we know about a URL from its last good fetch."""

    etag: str | None
    last_modified: str | None
    body_sha1: str | None = None


def load_validators(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> dict[str, Validators]:
    """Validators for the given URLs (those never fetched successfully are absent)."""
    wanted = sorted(set(urls))
    found: dict[str, Validators] = {}
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = pa.table({"url": pa.array(wanted[start : start + _LOOKUP_CHUNK], pa.string())})
        con.register("_crawl_urls", chunk)
        try:
            rows = con.execute(
                "SELECT c.url, c.etag, c.last_modified, c.body_sha1 "
                "FROM http_cache c JOIN _crawl_urls u USING (url)"
            ).fetchall()
        finally:
            con.unregister("_crawl_urls")
        for url, etag, last_modified, sha1 in rows:
            found[url] = Validators(etag, last_modified, sha1)
    return found


def _cache_rows(pages: Sequence[Page], now: datetime) -> pa.Table:
    """One row per URL with a usable fetch: 200 with a body, or 304 unchanged."""
    latest: dict[str, dict[str, Any]] = {}
    for page in pages:
        if page.unchanged:
            sha1 = None  # keep what is stored (COALESCE below)
        elif page.body is not None and page.error is None and 200 <= page.status < 300:
            sha1 = body_digest(page.body)
        else:
            continue
        latest[page.url] = {
            "url": page.url,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "body_sha1": sha1,
            "status": 304 if page.unchanged and page.status == 304 else page.status,
            "checked_at": page.fetched_at or now,
        }
    rows = list(latest.values())
    return pa.table({c: [r[c] for r in rows] for c in _CACHE.names}, schema=_CACHE)


def _log_table(fetch_rows: Sequence[dict[str, Any]], run_id: str) -> pa.Table:
    columns: dict[str, list[Any]] = {c: [] for c in FETCH_LOG_COLUMNS}
    for row in fetch_rows:
        for column in FETCH_LOG_COLUMNS:
            columns[column].append(run_id if column == "run_id" else row.get(column))
    return pa.table(columns, schema=_FETCH_LOG)


def write_batch(
    con: duckdb.DuckDBPyConnection,
    pages: Sequence[Page],
    fetch_rows: Sequence[dict[str, Any]],
    run_id: str,
) -> None:
    """Append the batch's fetch_log rows and upsert http_cache (idempotent for the cache).

    Runs inside the caller's transaction; bulk via Arrow, never row by row.
    """
    now = datetime.now(UTC)
    if fetch_rows:
        log = _log_table(fetch_rows, run_id)
        con.register("_crawl_log", log)
        try:
            cols = ", ".join(FETCH_LOG_COLUMNS)
            con.execute(f"INSERT INTO fetch_log ({cols}) SELECT {cols} FROM _crawl_log")
        finally:
            con.unregister("_crawl_log")
    cache = _cache_rows(pages, now)
    if cache.num_rows:
        con.register("_crawl_cache", cache)
        try:
            # a 304 may omit validators: keep the stored ones rather than forgetting them
            upsert(
                con,
                "http_cache",
                ("url", "etag", "last_modified", "body_sha1", "status", "checked_at"),
                "SELECT * FROM _crawl_cache",
                ("url",),
                "etag = CASE WHEN excluded.status = 304 "
                "THEN COALESCE(excluded.etag, http_cache.etag) ELSE excluded.etag END, "
                "last_modified = CASE WHEN excluded.status = 304 "
                "THEN COALESCE(excluded.last_modified, http_cache.last_modified) "
                "ELSE excluded.last_modified END, "
                "body_sha1 = COALESCE(excluded.body_sha1, http_cache.body_sha1), "
                "status = excluded.status, checked_at = excluded.checked_at",
            )
        finally:
            con.unregister("_crawl_cache")
