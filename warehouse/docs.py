"""Every table and column of the warehouse, declared once: name, type and meaning.

The same declaration feeds every reader: `COMMENT ON` in the database (so `DESCRIBE`,
`duckdb_columns()` and any SQL client show the meaning), `warehouse/SCHEMA.md` (generated
by `render_markdown`, checked by a test so it never drifts), the HTML report, and the Arrow
schemas the storage modules write rows with (`arrow_schema`). The migrations
(`warehouse/schema.py`) stay as they were written, history being history; a test checks
that the tables they leave behind are exactly these (names, types, order) and that every
column has its comment, so adding a column means a migration and a line here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class TableDoc:
    """One table. `declared` maps `"name TYPE"` to the column's meaning, in the table's
    column order; TYPE is DuckDB's name for it (TIMESTAMPTZ: TIMESTAMP WITH TIME ZONE)."""

    about: str  # what the table is for
    row: str  # what one row means (the grain)
    key: str  # the key an analyst joins on
    declared: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, str]:
        """Column name -> meaning, in order."""
        return {spec.partition(" ")[0]: text for spec, text in self.declared.items()}

    @property
    def types(self) -> dict[str, str]:
        """Column name -> DuckDB type, in order."""
        return {name: kind for name, _, kind in (s.partition(" ") for s in self.declared)}


_RUN_ID = "The ingest run that last wrote this row (runs.run_id)."
_ARTICLE_ID = "The article (articles.article_id)."

TABLES: dict[str, TableDoc] = {
    "schema_version": TableDoc(
        "Migrations applied to this file; the highest version is the schema version.",
        "One applied migration.",
        "version",
        {
            "version INTEGER": "Migration number; migrations run in order and are never edited.",
            "description VARCHAR": "What the migration added.",
            "applied_at TIMESTAMPTZ": "When this file was upgraded to the version.",
        },
    ),
    "runs": TableDoc(
        "Ingest runs, one per `newsflow ingest` (or scheduled flow run), with their counts.",
        "One ingest run.",
        "run_id",
        {
            "run_id VARCHAR": "Newsflow's id for the run; every written row carries it as run_id.",
            "flow_run_id VARCHAR": "The Prefect flow run id, to find the run's logs in the "
            "Prefect UI.",
            "started_at TIMESTAMPTZ": "When the run started (UTC).",
            "finished_at TIMESTAMPTZ": "When the run ended (UTC); NULL while running or if it "
            "crashed.",
            "status VARCHAR": "running, completed, failed or crashed (a later run found it "
            "unfinished).",
            "sources VARCHAR[]": "The configured source locations (feeds, sitemaps, files) of the "
            "run.",
            "pages_discovered INTEGER": "Targets found by discovery.",
            "pages_fetched INTEGER": "Pages fetched or read with a usable body.",
            "pages_unchanged INTEGER": "Pages the server answered 304 Not Modified (nothing to "
            "do).",
            "pages_failed INTEGER": "Pages that could not be fetched (network error, HTTP error, "
            "blocked).",
            "articles_new INTEGER": "Articles loaded for the first time.",
            "articles_updated INTEGER": "Known articles whose text changed.",
            "duplicates INTEGER": "Articles found to duplicate an earlier one.",
            "stats JSON": "Per-stage counters as JSON: records in/out, drop reasons, seconds.",
        },
    ),
    "articles": TableDoc(
        "Every article ever loaded, duplicates included (use v_articles to leave them out).",
        "One article: one canonical URL, updated in place when it is fetched again.",
        "article_id",
        {
            "article_id VARCHAR": "Stable id: first 16 hex digits of sha256(canonical_url).",
            "url VARCHAR": "The URL the page was fetched from (after following the source's link).",
            "canonical_url VARCHAR": "Normalised URL (lower-case host, no tracking "
            "parameters/fragment).",
            "source VARCHAR": "The outlet: host of the canonical URL, e.g. www.example.com.",
            "title VARCHAR": "Headline as extracted from the page.",
            "authors VARCHAR[]": "Bylines, in page order.",
            "published_at TIMESTAMPTZ": "Publication time (UTC) from page metadata; NULL when "
            "unknown.",
            "modified_at TIMESTAMPTZ": "Last modification time (UTC) the page declares, if any.",
            "language VARCHAR": "ISO 639-1 language code of the text.",
            "site_name VARCHAR": "The outlet's own name (og:site_name or similar).",
            "description VARCHAR": "The page's summary/standfirst.",
            "section VARCHAR": "Section or category the outlet files it under.",
            "tags VARCHAR[]": "Keywords/tags the outlet gives the article.",
            "image_url VARCHAR": "Lead image URL.",
            "text VARCHAR": "Main article text, boilerplate removed, paragraphs separated by "
            "blank lines.",
            "markdown VARCHAR": "The article body as Markdown (headings, lists, links kept).",
            "word_count INTEGER": "Words in text.",
            "content_hash VARCHAR": "Hash of the normalised text; changes when the article is "
            "edited.",
            "duplicate_of VARCHAR": "article_id of the earlier article this one duplicates; NULL "
            "if none.",
            "story_id VARCHAR": "The cross-outlet story it belongs to (stories.story_id); NULL if "
            "none.",
            "feed_source VARCHAR": "The configured source (feed, sitemap, ...) that led to the "
            "article.",
            "first_seen_at TIMESTAMPTZ": "When newsflow first loaded it (UTC).",
            "last_seen_at TIMESTAMPTZ": "When newsflow last fetched it (UTC).",
            "run_id VARCHAR": _RUN_ID,
        },
    ),
    "duplicates": TableDoc(
        "Why an article was judged a duplicate, and of what.",
        "One duplicate article (the original has no row).",
        "article_id",
        {
            "article_id VARCHAR": "The duplicate (articles.article_id).",
            "duplicate_of VARCHAR": "The earlier article it duplicates (articles.article_id).",
            "method VARCHAR": "How it was found: url (same canonical URL), exact (same text), near "
            "(MinHash similarity).",
            "similarity DOUBLE": "Estimated Jaccard similarity of the texts (1.0 for url/exact).",
            "detected_at TIMESTAMPTZ": "When the duplicate was detected (UTC).",
            "run_id VARCHAR": _RUN_ID,
        },
    ),
    "stories": TableDoc(
        "Stories: groups of articles, usually from several outlets, about the same event. "
        "Every figure counts the story's canonical articles (duplicates excluded, as in the "
        "views), so article_count >= source_count.",
        "One story.",
        "story_id",
        {
            "story_id VARCHAR": "Story id; articles.story_id points here.",
            "headline VARCHAR": "A representative headline (from the story's first article).",
            "first_published_at TIMESTAMPTZ": "Earliest publication time among its articles (UTC).",
            "last_published_at TIMESTAMPTZ": "Latest publication time among its articles (UTC).",
            "article_count INTEGER": "Articles in the story (duplicates excluded).",
            "source_count INTEGER": "Distinct outlets that published one of its articles "
            "(duplicates excluded: an outlet that only carried a syndicated copy is not "
            "counted).",
            "updated_at TIMESTAMPTZ": "When the story last gained an article (UTC).",
        },
    ),
    "entities": TableDoc(
        "Named entities seen across all articles, with the spellings merged into them.",
        "One entity (a name with a label).",
        "(entity, label)",
        {
            "entity VARCHAR": "Canonical name, e.g. 'Joe Biden'.",
            "label VARCHAR": "Entity type: PERSON, ORG, GPE, LOC, NORP, EVENT, ...",
            "aliases VARCHAR[]": "Other spellings merged into this entity, e.g. 'Biden'.",
            "article_count INTEGER": "Articles mentioning it (duplicates excluded).",
        },
    ),
    "article_entities": TableDoc(
        "Which entities each article mentions, and how often.",
        "One entity in one article.",
        "(article_id, entity, label) unique; kept by the loader, not by an index (schema 3)",
        {
            "article_id VARCHAR": _ARTICLE_ID,
            "entity VARCHAR": "Canonical entity name (entities.entity).",
            "label VARCHAR": "Entity type (entities.label).",
            "mentions INTEGER": "Times the article mentions it, aliases included.",
        },
    ),
    "article_keywords": TableDoc(
        "Key phrases extracted from each article's text.",
        "One key phrase of one article.",
        "(article_id, keyword) unique; kept by the loader, not by an index (schema 3)",
        {
            "article_id VARCHAR": _ARTICLE_ID,
            "keyword VARCHAR": "The phrase, lower-cased.",
            "score DOUBLE": "Relevance within the article; higher is more central (compare within "
            "an article).",
        },
    ),
    "article_topics": TableDoc(
        "Subject categories assigned to each article (politics, business, sport, ...).",
        "One category of one article.",
        "(article_id, topic) unique; kept by the loader, not by an index (schema 3)",
        {
            "article_id VARCHAR": _ARTICLE_ID,
            "topic VARCHAR": "Subject category name.",
            "score DOUBLE": "Confidence 0..1 that the article belongs to the category.",
        },
    ),
    "fetch_log": TableDoc(
        "Every fetch attempt, successful or not: the raw material of source health.",
        "One HTTP request (or local file read) for one URL.",
        "none (append-only log); filter by run_id, source, url",
        {
            "url VARCHAR": "The URL requested.",
            "final_url VARCHAR": "The URL after redirects.",
            "status INTEGER": "HTTP status; NULL when no response (network failure), 304 = not "
            "modified.",
            "error VARCHAR": "Why the fetch gave no usable body; NULL on success.",
            "content_type VARCHAR": "Response Content-Type.",
            "bytes BIGINT": "Response body size in bytes.",
            "elapsed_ms DOUBLE": "Wall time of the request in milliseconds.",
            "fetched_at TIMESTAMPTZ": "When the request finished (UTC).",
            "run_id VARCHAR": _RUN_ID,
            "source VARCHAR": "Where the URL came from: the feed/sitemap/list that listed it, or "
            "'robots' for robots.txt requests.",
            "attempt INTEGER": "Attempt number for this URL within the run (retries count up from "
            "1).",
            "outcome VARCHAR": "ok, unchanged (304 or same body), retry (failed, tried again), "
            "failed, "
            "skipped (refused before any request) or over-budget (fetched, but extraction "
            "passed the page CPU budget; error says so).",
            "error_class VARCHAR": "Failure category for grouping (timeout, connect, network, "
            "bad_url, "
            "private_address, robots, host_budget, over_budget, local_io, HTTP classes); NULL "
            "on success.",
            "kind VARCHAR": "What was requested: page (an article candidate), local (a file read), "
            "listing (feed/sitemap) or robots.",
        },
    ),
    "http_cache": TableDoc(
        "HTTP validators from the last successful fetch, for conditional requests next run.",
        "One URL's latest validators.",
        "url",
        {
            "url VARCHAR": "The URL fetched.",
            "etag VARCHAR": "ETag the server sent, replayed as If-None-Match.",
            "last_modified VARCHAR": "Last-Modified the server sent, replayed as "
            "If-Modified-Since.",
            "article_id VARCHAR": "The article the URL produced, if any.",
            "status INTEGER": "HTTP status of that fetch.",
            "checked_at TIMESTAMPTZ": "When the URL was last checked (UTC).",
            "body_sha1 VARCHAR": "SHA-1 of the body last ingested: spots unchanged pages from "
            "servers "
            "that send no validators.",
        },
    ),
    "article_signatures": TableDoc(
        "MinHash signatures of article texts, so near-duplicates are found across runs.",
        "One article's signature (internal to deduplication).",
        "article_id",
        {
            "article_id VARCHAR": _ARTICLE_ID,
            "signature BLOB": "MinHash signature as packed unsigned integers, followed by the "
            "text hash, lead keys and token count.",
            "text_hash UBIGINT": "64-bit hash of the normalised text: equal values are exact "
            "duplicates.",
            "url_key UBIGINT": "64-bit hash of the URL's dedup key (canonical URL with host/path "
            "variants folded): equal values are the same page under another URL.",
            "n_tokens INTEGER": "Words in the normalised text; too-short texts are not compared.",
            "doc_no BIGINT": "Dense number of the article in the dedup store (kept when its "
            "signature "
            "changes): what the in-process band index points to.",
            "generation BIGINT": "dedup_generations.generation of the last write of this row.",
        },
    ),
    "article_bands": TableDoc(
        "Locality-sensitive-hashing bands of the signatures: candidate lookup for dedup.",
        "One band of one article's signature (internal to deduplication).",
        "(band, band_key) for lookup; article_id",
        {
            "band USMALLINT": "Band number within the signature.",
            "band_key UBIGINT": "Hash of the band's rows; equal keys make candidate duplicates.",
            "article_id VARCHAR": _ARTICLE_ID,
            "doc_no BIGINT": "The article's article_signatures.doc_no.",
            "generation BIGINT": "dedup_generations.generation of the write that stored the row, "
            "so "
            "an in-process index catches up by reading only newer rows.",
        },
    ),
    "dedup_generations": TableDoc(
        "One row per committed dedup write: lets an in-process band index check it is current.",
        "One load batch's dedup write (internal to deduplication).",
        "generation",
        {
            "generation BIGINT": "Write number, counting up from 1.",
            "token UBIGINT": "Random 64-bit value of this write: a cached index built from another "
            "file or a rolled-back write sees a different token and rebuilds.",
            "next_doc BIGINT": "First doc_no not yet assigned after this write.",
            "written_at TIMESTAMPTZ": "When the write was made (UTC).",
        },
    ),
    "host_paragraphs": TableDoc(
        "Paragraph hashes per outlet, to recognise boilerplate repeated across its pages.",
        "One paragraph hash seen in one article of one host (internal to cleaning).",
        "(host, para_hash, article_id) unique; kept by the loader, not by an index (schema 3)",
        {
            "host VARCHAR": "Outlet host.",
            "para_hash UBIGINT": "64-bit hash of the normalised paragraph.",
            "article_id VARCHAR": "An article containing the paragraph.",
        },
    ),
    "host_paragraph_counts": TableDoc(
        "How many articles of each outlet carry each paragraph (added in schema 4); the "
        "clean stage's boilerplate test reads it instead of counting host_paragraphs.",
        "One paragraph hash of one host, with its article count (internal to cleaning).",
        "(host, para_hash) unique; kept by the loader in the same transaction as host_paragraphs",
        {
            "host VARCHAR": "Outlet host.",
            "para_hash UBIGINT": "64-bit hash of the normalised paragraph.",
            "articles BIGINT": "Distinct articles of the host in host_paragraphs with this "
            "paragraph (always at least 1).",
        },
    ),
    "host_paragraph_pages": TableDoc(
        "How many articles each outlet has in host_paragraphs (added in schema 4): the "
        "base of the boilerplate threshold.",
        "One host (internal to cleaning).",
        "host unique; kept by the loader with host_paragraphs",
        {
            "host VARCHAR": "Outlet host.",
            "articles BIGINT": "Distinct articles of the host in host_paragraphs (at least 1).",
        },
    ),
    "search_index_state": TableDoc(
        "When the full-text search index was last built and over what (added in schema 2).",
        "One row: the current index's build record.",
        "none (single row)",
        {
            "built_at TIMESTAMPTZ": "When the index was built (UTC).",
            "article_count BIGINT": "Articles in the index.",
            "fingerprint UBIGINT": "Hash over (article_id, content_hash) of all articles at build "
            "time; a different value now means the index is stale.",
        },
    ),
}


_NON_DUP = "Duplicates excluded."

# name -> (what it answers, {column: meaning}); order matters: later views use earlier ones.
VIEW_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "v_articles": (
        "Articles without duplicates, with the UTC day used by every daily view. " + _NON_DUP,
        {
            "day": "UTC date of published_at, or of first_seen_at when unknown.",
            "day_from": "'published' or 'first_seen': where day came from.",
        },
    ),
    "daily_articles_per_source": (
        "Articles per outlet per day. " + _NON_DUP + " duplicates_excluded counts them.",
        {
            "day": "UTC day (see v_articles.day).",
            "source": "Outlet host.",
            "articles": "Non-duplicate articles.",
            "words": "Total words of those articles.",
            "undated": "Of them, articles dated by first_seen_at (no published_at).",
            "duplicates_excluded": "Duplicate articles of that outlet and day, not counted.",
        },
    ),
    "top_entities_daily": (
        "Entities per day ranked by how many articles mention them; filter rank <= 10 for a "
        "top ten. " + _NON_DUP,
        {
            "day": "UTC day (see v_articles.day).",
            "entity": "Canonical entity name.",
            "label": "Entity type.",
            "articles": "Articles mentioning it that day.",
            "mentions": "Total mentions that day.",
            "sources": "Distinct outlets mentioning it that day.",
            "rank": "1 = most-mentioned entity of the day (by articles, then mentions).",
        },
    ),
    "topic_trends": (
        "Articles per subject category per day, with its share of the day and a 7-day "
        "average. " + _NON_DUP,
        {
            "day": "UTC day (see v_articles.day).",
            "topic": "Subject category.",
            "articles": "Articles in the category that day.",
            "share": "articles / all articles with any category that day (0..1).",
            "avg_score": "Mean confidence of the assignments.",
            "articles_7d_avg": "Mean daily articles in the category over this and the 6 "
            "previous days (days without articles count as missing, not zero).",
        },
    ),
    "story_timeline": (
        "How each story grew: articles and outlets per day. " + _NON_DUP,
        {
            "story_id": "Story (stories.story_id).",
            "headline": "Story headline.",
            "day": "UTC day (see v_articles.day).",
            "articles": "Articles of the story that day.",
            "outlets": "Outlets that published on it that day, sorted.",
            "cumulative_articles": "Articles of the story up to and including that day.",
        },
    ),
    "stories_overview": (
        "Stories with their size and every outlet that covered them, biggest first in "
        "ORDER BY article_count DESC. Counted from articles, so always current. " + _NON_DUP,
        {
            "story_id": "Story (stories.story_id).",
            "headline": "Story headline (stories.headline, else its earliest article's title).",
            "article_count": "Articles in the story (= stories.article_count).",
            "source_count": "Distinct outlets of those articles (= stories.source_count).",
            "outlets": "The outlets, sorted.",
            "first_published_at": "Earliest article time (published_at, else first_seen_at).",
            "last_published_at": "Latest article time.",
        },
    ),
    "source_health": (
        "Per outlet (the site the articles belong to: a request counts for the outlet whose "
        "articles were fetched from its host, else for the host itself): fetch success, "
        "latency, how often pages were "
        "unchanged and how much of what it publishes duplicates other articles. Counts every "
        "network request (pages, feeds, robots.txt; each retry is an attempt; local files "
        "are left out) and all articles, duplicates included (the duplicate ratio needs them).",
        {
            "source": "Outlet (articles.source); a host no article came from stands for itself.",
            "fetches": "Fetch attempts logged.",
            "succeeded": "Attempts with HTTP 2xx/3xx (304 included) and no error.",
            "failed": "Attempts that failed.",
            "unchanged": "Attempts answered 304 Not Modified or with an unchanged body.",
            "success_rate": "succeeded / fetches.",
            "unchanged_ratio": "unchanged / fetches.",
            "avg_latency_ms": "Mean request time of successful attempts (ms).",
            "p50_latency_ms": "Median request time of successful attempts (ms).",
            "p95_latency_ms": "95th percentile request time of successful attempts (ms).",
            "last_fetched_at": "Latest attempt (UTC).",
            "articles": "Articles from the outlet, duplicates included.",
            "duplicates": "Of them, duplicates of an earlier article.",
            "duplicate_ratio": "duplicates / articles.",
        },
    ),
    "duplicates_by_method": (
        "How duplicates were found: counts and mean similarity per method. Counts duplicates "
        "only, by definition.",
        {
            "method": "url, exact or near.",
            "duplicates": "Duplicate articles found this way.",
            "avg_similarity": "Mean estimated similarity.",
        },
    ),
}


# Arrow types of the DuckDB types declared above: what the storage modules build their
# batches with, so DuckDB inserts them without a cast.
_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "UBIGINT": pa.uint64(),
    "USMALLINT": pa.uint16(),
    "DOUBLE": pa.float64(),
    "BLOB": pa.binary(),
    "BOOLEAN": pa.bool_(),
}


def arrow_schema(table: str, columns: Iterable[str] | None = None) -> pa.Schema:
    """The Arrow schema of `table`'s rows (every column in order, or just `columns`)."""
    types = TABLES[table].types
    return pa.schema([(name, _ARROW[types[name]]) for name in (columns or types)])


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(tables: dict[str, TableDoc] | None = None) -> list[str]:
    """COMMENT ON statements for the given table docs (all of them by default)."""
    out: list[str] = []
    for table, doc in (tables or TABLES).items():
        out.append(f"COMMENT ON TABLE {table} IS {_quote(f'{doc.about} Row: {doc.row}')}")
        for column, text in doc.columns.items():
            out.append(f"COMMENT ON COLUMN {table}.{column} IS {_quote(text)}")
    return out


def apply_comments(con: duckdb.DuckDBPyConnection) -> int:
    """Comment every documented table/column that exists; returns how many were set.

    Run on every write-open as well as in migration 2, so a column documented after
    the file was created still gets its comment without a migration of its own.
    """
    existing = {
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()
    }
    tables = {t for t, _ in existing}
    done = 0
    for table, doc in TABLES.items():
        if table not in tables:
            continue
        con.execute(f"COMMENT ON TABLE {table} IS {_quote(f'{doc.about} Row: {doc.row}')}")
        done += 1
        for column, text in doc.columns.items():
            if (table, column) in existing:
                con.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote(text)}")
                done += 1
    return done


NOTES = """## Versions and migrations

`schema_version` holds one row per applied migration (`warehouse/schema.py`). Migrations only
add: a published table or column is never renamed or dropped. Every write-open (`newsflow
ingest`, `demo`, `reprocess`, a lazy search-index rebuild) brings an older file up to date in
place, each migration in one transaction with its `schema_version` row, so a file is at version
N or untouched; a file from a newer newsflow is refused with one line. Version 2 added these
comments and `search_index_state`.

## Reading while a run loads

DuckDB lets one process hold a file read-write and then refuses every other process, so a run
never writes the file readers open. It writes a private working copy beside it (`.NAME.work`,
locked by `.NAME.work.lock`) and after every committed batch checkpoints it, copies it and
renames the copy over the published file (`warehouse/publishing.py`). A reader (any DuckDB
client, read-only) opens the published file at any moment, sees exactly the batches published
before it connected, never part of one, and keeps that view while it stays connected: the next
publish replaces the file's name, not the file it has open. `.NAME.published` records what was
published last; if the file was changed or replaced by someone else, the next writer starts
again from it, and if it was deleted, from nothing. With the process-pool or Dask task runners
the stages write from other processes, so there each write publishes on its own.

A DuckLake (`--db ducklake:sqlite:PATH` or `ducklake:postgres:...`) needs no copy: each batch is
one snapshot of its catalog, and readers read the latest snapshot, or an older one by run
(`newsflow query --as-of RUN_ID`).

## Full-text search

`newsflow search` uses DuckDB's own `fts` extension: BM25 ranking, Porter stemming, English
stop words, accents folded. Every term must occur (title or text); a title match adds half its
title-only BM25 score. We pin `duckdb==1.5.5` with `duckdb-extension-fts==1.5.5`, whose
DuckDB-signed binary we `LOAD` from the wheel's path, because this machine (and CI) cannot
download extensions; the alternative, our own inverted index in SQL tables, would need its
own tokenizer, stemmer and BM25 to be as good, and would be slower. The cost of the pin is that
DuckDB upgrades wait for the matching extension wheel.

The fts index is not incremental. It is rebuilt when the articles changed since the last build
(fingerprint over article ids and content hashes in `search_index_state`): lazily by `search`,
through a brief write-open, and ideally once at the end of each run (`refresh_index(con)`). A
rebuild reads every article, so it is never done per batch. When the file is stale and cannot
be written at that moment (another reader holds it), `search` indexes the committed articles in
memory for that query instead, so results are complete, just slower.

## Export

`newsflow export --parquet DIR` writes `articles`, `article_entities`, `article_topics` and
`article_keywords` Hive-partitioned as `published_date=YYYY-MM-DD/` (UTC publication date; for
pages without one, the date first seen, flagged `day_from = 'first_seen'`), and `runs`,
`duplicates`, `stories`, `entities`, `fetch_log` as single files, all from one snapshot, with a
`_newsflow_export.json` manifest. It refuses a non-empty directory that holds no earlier export.
"""


def render_markdown(views: dict[str, tuple[str, dict[str, str]]] = VIEW_DOCS) -> str:
    """SCHEMA.md: tables with keys, grain and columns, then the analyst views."""
    lines = [
        "# Warehouse schema",
        "",
        "Generated from `warehouse/docs.py` by `python -m warehouse.docs > warehouse/SCHEMA.md`;"
        " the same text is stored in the database as `COMMENT ON` (see `duckdb_columns()`),"
        " and the same declaration gives the loader its Arrow types.",
        "",
        "Timestamps are `TIMESTAMPTZ` in UTC. `articles` keeps duplicates; the `v_*` views and",
        "the analytics views leave them out unless they say otherwise.",
        "",
        "## Tables",
        "",
    ]
    for table, doc in TABLES.items():
        lines += [
            f"### `{table}`",
            "",
            doc.about,
            "",
            f"- **Row:** {doc.row}",
            f"- **Key:** `{doc.key}`",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        lines += [f"| `{c}` | {doc.types[c]} | {t} |" for c, t in doc.columns.items()]
        lines.append("")
    if views:
        lines += ["## Views", ""]
        for name, (about, columns) in views.items():
            lines += [f"### `{name}`", "", about, ""]
            if columns:
                lines += ["| column | meaning |", "|---|---|"]
                lines += [f"| `{c}` | {t} |" for c, t in columns.items()]
                lines.append("")
    lines += [NOTES]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
