"""Warehouse schema as forward-only, versioned migrations.

The table and column names are the project's public API (analysts query them),
so a migration may add but never rename or drop what an earlier one published.
Every migration runs in one transaction together with its `schema_version` row:
a warehouse is either fully at version N or untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.docs import TABLES, comment_statements
from warehouse.lake import ddl


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


V1 = Migration(
    1,
    "core tables: runs, articles, duplicates, stories, topics, fetch log, dedup and cache state",
    (
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            flow_run_id VARCHAR,
            started_at TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ,
            status VARCHAR NOT NULL,
            sources VARCHAR[],
            pages_discovered INTEGER DEFAULT 0,
            pages_fetched INTEGER DEFAULT 0,
            pages_unchanged INTEGER DEFAULT 0,
            pages_failed INTEGER DEFAULT 0,
            articles_new INTEGER DEFAULT 0,
            articles_updated INTEGER DEFAULT 0,
            duplicates INTEGER DEFAULT 0,
            stats JSON
        )
        """,
        """
        CREATE TABLE articles (
            article_id VARCHAR PRIMARY KEY,
            url VARCHAR NOT NULL,
            canonical_url VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            title VARCHAR,
            authors VARCHAR[],
            published_at TIMESTAMPTZ,
            modified_at TIMESTAMPTZ,
            language VARCHAR,
            site_name VARCHAR,
            description VARCHAR,
            section VARCHAR,
            tags VARCHAR[],
            image_url VARCHAR,
            text VARCHAR NOT NULL,
            markdown VARCHAR,
            word_count INTEGER,
            content_hash VARCHAR NOT NULL,
            duplicate_of VARCHAR,
            story_id VARCHAR,
            feed_source VARCHAR,
            first_seen_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL,
            run_id VARCHAR
        )
        """,
        """
        CREATE TABLE duplicates (
            article_id VARCHAR PRIMARY KEY,
            duplicate_of VARCHAR NOT NULL,
            method VARCHAR NOT NULL,
            similarity DOUBLE,
            detected_at TIMESTAMPTZ,
            run_id VARCHAR
        )
        """,
        """
        CREATE TABLE stories (
            story_id VARCHAR PRIMARY KEY,
            headline VARCHAR,
            first_published_at TIMESTAMPTZ,
            last_published_at TIMESTAMPTZ,
            article_count INTEGER,
            source_count INTEGER,
            updated_at TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE entities (
            entity VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            aliases VARCHAR[],
            article_count INTEGER,
            PRIMARY KEY (entity, label)
        )
        """,
        """
        CREATE TABLE article_entities (
            article_id VARCHAR NOT NULL,
            entity VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, entity, label)
        )
        """,
        """
        CREATE TABLE article_keywords (
            article_id VARCHAR NOT NULL,
            keyword VARCHAR NOT NULL,
            score DOUBLE,
            PRIMARY KEY (article_id, keyword)
        )
        """,
        """
        CREATE TABLE article_topics (
            article_id VARCHAR NOT NULL,
            topic VARCHAR NOT NULL,
            score DOUBLE,
            PRIMARY KEY (article_id, topic)
        )
        """,
        """
        CREATE TABLE fetch_log (
            url VARCHAR NOT NULL,
            final_url VARCHAR,
            status INTEGER,
            error VARCHAR,
            content_type VARCHAR,
            bytes BIGINT,
            elapsed_ms DOUBLE,
            fetched_at TIMESTAMPTZ,
            run_id VARCHAR,
            source VARCHAR,
            attempt INTEGER DEFAULT 1,
            outcome VARCHAR,
            error_class VARCHAR,
            kind VARCHAR
        )
        """,
        """
        CREATE TABLE http_cache (
            url VARCHAR PRIMARY KEY,
            etag VARCHAR,
            last_modified VARCHAR,
            article_id VARCHAR,
            status INTEGER,
            checked_at TIMESTAMPTZ,
            body_sha1 VARCHAR
        )
        """,
        """
        CREATE TABLE article_signatures (
            article_id VARCHAR PRIMARY KEY,
            signature BLOB NOT NULL,
            text_hash UBIGINT,
            url_key UBIGINT,
            n_tokens INTEGER,
            doc_no BIGINT,
            generation BIGINT
        )
        """,
        """
        CREATE TABLE article_bands (
            band USMALLINT NOT NULL,
            band_key UBIGINT NOT NULL,
            article_id VARCHAR NOT NULL,
            doc_no BIGINT,
            generation BIGINT
        )
        """,
        """
        CREATE TABLE dedup_generations (
            generation BIGINT PRIMARY KEY,
            token UBIGINT NOT NULL,
            next_doc BIGINT NOT NULL,
            written_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE host_paragraphs (
            host VARCHAR NOT NULL,
            para_hash UBIGINT NOT NULL,
            article_id VARCHAR NOT NULL,
            PRIMARY KEY (host, para_hash, article_id)
        )
        """,
    ),
)

# Tables documented in warehouse/docs.py that later migrations add: migration 2 comments
# only the tables that exist by then.
_ADDED_IN_V4 = ("host_paragraph_counts", "host_paragraph_pages")

# V2: every table and column documented in the database (text in warehouse/docs.py), and
# the bookkeeping that tells `newsflow search` whether its full-text index is stale.
V2 = Migration(
    2,
    "COMMENT ON every table and column; search_index_state for the full-text index",
    (
        """
        CREATE TABLE search_index_state (
            built_at TIMESTAMPTZ NOT NULL,
            article_count BIGINT NOT NULL,
            fingerprint UBIGINT
        )
        """,
        *comment_statements({t: d for t, d in TABLES.items() if t not in _ADDED_IN_V4}),
    ),
)


def _without_key(table: str, columns: str) -> tuple[str, ...]:
    """Rebuild `table` with the same columns and no primary key (DuckDB cannot drop one)."""
    return (
        f"CREATE TABLE _nf_{table}_v3 ({columns})",
        f"INSERT INTO _nf_{table}_v3 SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE _nf_{table}_v3 RENAME TO {table}",
    )


# V3: the per-article child tables lose their primary keys. Each key was an ART index held
# in memory whole once touched: at 100k articles, 2.3 million keys and the largest part of
# what the loading process grows by (see CHANGELOG 0.2.2). Uniqueness is the load stage's:
# a batch deletes an article's rows before inserting its new ones, in one transaction.
_CHILD_TABLES = {
    "article_entities": "article_id VARCHAR NOT NULL, entity VARCHAR NOT NULL, "
    "label VARCHAR NOT NULL, mentions INTEGER NOT NULL",
    "article_keywords": "article_id VARCHAR NOT NULL, keyword VARCHAR NOT NULL, score DOUBLE",
    "article_topics": "article_id VARCHAR NOT NULL, topic VARCHAR NOT NULL, score DOUBLE",
    "host_paragraphs": "host VARCHAR NOT NULL, para_hash UBIGINT NOT NULL, "
    "article_id VARCHAR NOT NULL",
}
V3 = Migration(
    3,
    "no primary-key index on the per-article child tables (memory grew with them)",
    tuple(
        statement
        for table, columns in _CHILD_TABLES.items()
        for statement in (
            *_without_key(table, columns),
            *comment_statements({table: TABLES[table]}),
        )
    ),
)

# V4: the per-host paragraph counts the clean stage's boilerplate test reads, kept by the
# loader batch by batch. Counting them from host_paragraphs on every batch was a grouped
# scan of the whole table, the clean stage's warehouse read growing with the corpus
# (0.4 s a batch at 106,000 articles, on the flow's own thread).
V4 = Migration(
    4,
    "per-host paragraph counts for the boilerplate test, kept by the loader",
    (
        "CREATE TABLE host_paragraph_counts (host VARCHAR NOT NULL, "
        "para_hash UBIGINT NOT NULL, articles BIGINT NOT NULL)",
        "INSERT INTO host_paragraph_counts SELECT host, para_hash, count(*) "
        "FROM host_paragraphs GROUP BY host, para_hash",
        "CREATE TABLE host_paragraph_pages (host VARCHAR NOT NULL, articles BIGINT NOT NULL)",
        "INSERT INTO host_paragraph_pages SELECT host, count(DISTINCT article_id) "
        "FROM host_paragraphs GROUP BY host",
        *comment_statements({t: TABLES[t] for t in _ADDED_IN_V4}),
    ),
)

# V5: a story's counts and times over its canonical articles only (article_count already
# left syndicated copies out, source_count counted their outlets: "1 article, 3 outlets"),
# and no row for a story no article points to any more. Recomputed once from articles.
V5 = Migration(
    5,
    "stories counted over canonical articles only, recomputed from articles",
    (
        "DELETE FROM stories WHERE story_id NOT IN "
        "(SELECT story_id FROM articles WHERE story_id IS NOT NULL)",
        """
        UPDATE stories SET article_count = c.n, source_count = c.sources,
            first_published_at = c.first, last_published_at = c.last
        FROM (
            SELECT story_id,
                   count(*) FILTER (WHERE duplicate_of IS NULL) AS n,
                   count(DISTINCT source) FILTER (WHERE duplicate_of IS NULL) AS sources,
                   min(coalesce(published_at, first_seen_at))
                       FILTER (WHERE duplicate_of IS NULL) AS first,
                   max(coalesce(published_at, first_seen_at))
                       FILTER (WHERE duplicate_of IS NULL) AS last
            FROM articles WHERE story_id IS NOT NULL GROUP BY story_id
        ) c
        WHERE stories.story_id = c.story_id
        """,
        *comment_statements({"stories": TABLES["stories"]}),
    ),
)

MIGRATIONS: tuple[Migration, ...] = (V1, V2, V3, V4, V5)
LATEST = MIGRATIONS[-1].version


class SchemaError(RuntimeError):
    """The file is a warehouse from a newer newsflow, or not a warehouse at all."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def refuse_newer(version: int, path: object = None) -> None:
    """A warehouse from a newer newsflow may mean other things by the same columns: the one
    check every reader and writer makes (SchemaError names the file when given `path`)."""
    if version > LATEST:
        where = f"warehouse {path}" if path is not None else "warehouse"
        raise SchemaError(
            f"{where} is at schema version {version}, newer than this newsflow ({LATEST}); "
            "upgrade newsflow to open it"
        )


def migrate(con: duckdb.DuckDBPyConnection, target: int = LATEST) -> int:
    """Bring the warehouse to `target`, one transaction per migration; returns the version."""
    con.execute(
        ddl(
            con,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "description VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())",
        )
    )
    version = current_version(con)
    refuse_newer(version)
    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in migration.statements:
                con.execute(ddl(con, statement))
            con.execute(
                "INSERT INTO schema_version (version, description, applied_at) "
                "VALUES (?, ?, now())",
                [migration.version, migration.description],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = migration.version
    return version
