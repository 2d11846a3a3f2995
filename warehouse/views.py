"""Analyst views: the questions people ask of a news warehouse, answered in SQL once.

Views rather than tables, so they are always as fresh as the last committed batch
and cost nothing to keep. Duplicates (articles.duplicate_of IS NOT NULL) are left
out of every count of articles, because a wire story syndicated to five outlets
is one piece of news; each view's comment says so, and the views that report on
duplication itself count them explicitly. A "day" is the UTC date of
published_at, or of first_seen_at when the page gave no date (`day_from` says which).
"""

from __future__ import annotations

import duckdb

from warehouse import topics_store
from warehouse.docs import TABLES, VIEW_DOCS, apply_comments
from warehouse.lake import is_lake

_DAY = (
    "CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day, "
    "CASE WHEN published_at IS NULL THEN 'first_seen' ELSE 'published' END AS day_from"
)
_HOST = r"lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1))"

# A story's figures, over its canonical articles only (a syndicated copy adds neither an
# article nor an outlet): the one definition behind the `stories` rows `write_stories`
# keeps per batch (`where` narrows it to the stories a batch touched) and the live
# `stories_overview`. headline falls back to a duplicate's title only if no canonical is left.
STORY_FIGURES = """
    SELECT story_id,
           arg_min(title, (duplicate_of IS NOT NULL,
                           coalesce(published_at, first_seen_at), article_id)) AS headline,
           count(*) FILTER (WHERE duplicate_of IS NULL) AS article_count,
           count(DISTINCT source) FILTER (WHERE duplicate_of IS NULL) AS source_count,
           list_sort(list(DISTINCT source) FILTER (WHERE duplicate_of IS NULL)) AS outlets,
           min(coalesce(published_at, first_seen_at))
               FILTER (WHERE duplicate_of IS NULL) AS first_published_at,
           max(coalesce(published_at, first_seen_at))
               FILTER (WHERE duplicate_of IS NULL) AS last_published_at
    FROM articles WHERE story_id IS NOT NULL {where} GROUP BY story_id
"""

VIEWS: dict[str, str] = {
    "v_articles": f"SELECT *, {_DAY} FROM articles WHERE duplicate_of IS NULL",
    "daily_articles_per_source": f"""
        WITH a AS (SELECT source, duplicate_of, word_count, published_at, {_DAY} FROM articles)
        SELECT day, source,
               count(*) FILTER (WHERE duplicate_of IS NULL) AS articles,
               coalesce(sum(word_count) FILTER (WHERE duplicate_of IS NULL), 0) AS words,
               count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NULL) AS undated,
               count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates_excluded
        FROM a GROUP BY day, source
    """,
    "top_entities_daily": """
        WITH d AS (
            SELECT a.day, e.entity, e.label,
                   count(DISTINCT a.article_id) AS articles,
                   sum(e.mentions) AS mentions,
                   count(DISTINCT a.source) AS sources
            FROM article_entities e JOIN v_articles a USING (article_id)
            GROUP BY a.day, e.entity, e.label
        )
        SELECT *, row_number() OVER (
            PARTITION BY day ORDER BY articles DESC, mentions DESC, entity
        ) AS rank
        FROM d
    """,
    "topic_trends": """
        WITH d AS (
            SELECT a.day, t.topic, count(DISTINCT a.article_id) AS articles,
                   avg(t.score) AS avg_score
            FROM article_topics t JOIN v_articles a USING (article_id)
            GROUP BY a.day, t.topic
        ), totals AS (
            SELECT a.day, count(DISTINCT a.article_id) AS n
            FROM article_topics t JOIN v_articles a USING (article_id) GROUP BY a.day
        )
        SELECT d.day, d.topic, d.articles, d.articles / totals.n AS share, d.avg_score,
               avg(d.articles) OVER (
                   PARTITION BY d.topic ORDER BY d.day
                   RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW
               ) AS articles_7d_avg
        FROM d JOIN totals USING (day)
    """,
    "story_timeline": """
        WITH d AS (
            SELECT a.story_id, a.day, count(*) AS articles, list_sort(list(DISTINCT a.source))
                   AS outlets
            FROM v_articles a WHERE a.story_id IS NOT NULL GROUP BY a.story_id, a.day
        )
        SELECT d.story_id, coalesce(s.headline, first.title) AS headline, d.day, d.articles,
               d.outlets,
               sum(d.articles) OVER (PARTITION BY d.story_id ORDER BY d.day) AS
               cumulative_articles
        FROM d
        LEFT JOIN stories s USING (story_id)
        LEFT JOIN (
            SELECT story_id, arg_min(title, coalesce(published_at, first_seen_at)) AS title
            FROM v_articles WHERE story_id IS NOT NULL GROUP BY story_id
        ) first USING (story_id)
    """,
    "stories_overview": f"""
        SELECT r.story_id, coalesce(s.headline, r.headline) AS headline, r.article_count,
               r.source_count, r.outlets, r.first_published_at, r.last_published_at
        FROM ({STORY_FIGURES.format(where="")}) r LEFT JOIN stories s USING (story_id)
        WHERE r.article_count > 0
    """,
    "source_health": f"""
        WITH site AS (
            SELECT host, arg_max(source, n) AS source FROM (
                SELECT {_HOST} AS host, source, count(*) AS n FROM articles
                WHERE url LIKE '%://%' GROUP BY ALL
            ) GROUP BY host
        ), f AS (
            SELECT coalesce(site.source, r.host) AS source, status, error, elapsed_ms,
                   fetched_at, outcome,
                   coalesce(status BETWEEN 200 AND 399 AND error IS NULL, false) AS ok
            FROM (
                SELECT {_HOST} AS host, * FROM fetch_log
                WHERE coalesce(kind, 'page') <> 'local' AND url LIKE '%://%'
            ) r LEFT JOIN site USING (host)
        ), fs AS (
            SELECT source, count(*) AS fetches,
                   count(*) FILTER (WHERE ok) AS succeeded,
                   count(*) FILTER (WHERE NOT ok) AS failed,
                   count(*) FILTER (WHERE status = 304 OR outcome = 'unchanged') AS unchanged,
                   avg(elapsed_ms) FILTER (WHERE ok) AS avg_latency_ms,
                   quantile_cont(elapsed_ms, 0.5) FILTER (WHERE ok) AS p50_latency_ms,
                   quantile_cont(elapsed_ms, 0.95) FILTER (WHERE ok) AS p95_latency_ms,
                   max(fetched_at) AS last_fetched_at
            FROM f GROUP BY source
        ), art AS (
            SELECT source, count(*) AS articles,
                   count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates
            FROM articles GROUP BY source
        )
        SELECT coalesce(fs.source, art.source) AS source,
               coalesce(fs.fetches, 0) AS fetches,
               coalesce(fs.succeeded, 0) AS succeeded,
               coalesce(fs.failed, 0) AS failed,
               coalesce(fs.unchanged, 0) AS unchanged,
               fs.succeeded / nullif(fs.fetches, 0) AS success_rate,
               fs.unchanged / nullif(fs.fetches, 0) AS unchanged_ratio,
               fs.avg_latency_ms, fs.p50_latency_ms, fs.p95_latency_ms, fs.last_fetched_at,
               coalesce(art.articles, 0) AS articles,
               coalesce(art.duplicates, 0) AS duplicates,
               art.duplicates / nullif(art.articles, 0) AS duplicate_ratio
        FROM fs FULL OUTER JOIN art ON fs.source = art.source
    """,
    "duplicates_by_method": """
        SELECT method, count(*) AS duplicates, avg(similarity) AS avg_similarity
        FROM duplicates GROUP BY method
    """,
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every view and its comments; idempotent, run after migrations."""
    created: list[str] = []
    for name, sql in {**VIEWS, **topics_store.VIEWS}.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        created.append(name)
    columns = {
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
    }
    # A lake stores a view's comment but not its columns' (they stay in SCHEMA.md).
    lake = is_lake(con)
    for name, (about, docs) in VIEW_DOCS.items():
        if name not in created:
            continue
        con.execute(f"COMMENT ON VIEW {name} IS {_quote(about)}")
        if lake:
            continue
        # v_articles passes the articles columns through: reuse their documentation.
        inherited = TABLES["articles"].columns if name == "v_articles" else {}
        for column, text in {**inherited, **docs}.items():
            if (name, column) in columns:
                con.execute(f"COMMENT ON COLUMN {name}.{column} IS {_quote(text)}")
    apply_comments(con)
    return created
