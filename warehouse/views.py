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

from warehouse.docs import apply_comments

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

_DAY = (
    "CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day, "
    "CASE WHEN published_at IS NULL THEN 'first_seen' ELSE 'published' END AS day_from"
)
_HOST = r"lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1))"

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
    "stories_overview": """
        SELECT a.story_id,
               coalesce(any_value(s.headline),
                        arg_min(a.title, coalesce(a.published_at, a.first_seen_at))) AS headline,
               count(*) AS article_count,
               count(DISTINCT a.source) AS source_count,
               list_sort(list(DISTINCT a.source)) AS outlets,
               min(coalesce(a.published_at, a.first_seen_at)) AS first_published_at,
               max(coalesce(a.published_at, a.first_seen_at)) AS last_published_at
        FROM v_articles a LEFT JOIN stories s USING (story_id)
        WHERE a.story_id IS NOT NULL
        GROUP BY a.story_id
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


def extra_views() -> dict[str, str]:
    """Views other stages publish (topics_store.VIEWS), if that module is present."""
    try:
        from warehouse import topics_store
    except ImportError:
        return {}
    theirs = getattr(topics_store, "VIEWS", {}) or {}
    return {name: sql for name, sql in theirs.items() if name not in VIEWS}


def extra_view_docs() -> dict[str, tuple[str, dict[str, str]]]:
    """Documentation for extra_views(), in VIEW_DOCS' format, if their module offers it."""
    try:
        from warehouse import topics_store
    except ImportError:
        return {}
    theirs = getattr(topics_store, "VIEW_DOCS", {}) or {}
    return {name: doc for name, doc in theirs.items() if name not in VIEW_DOCS}


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every view and its comments; idempotent, run after migrations."""
    created: list[str] = []
    for name, sql in {**VIEWS, **extra_views()}.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        created.append(name)
    columns = {
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
    }
    from warehouse.docs import TABLES

    for name, (about, docs) in {**VIEW_DOCS, **extra_view_docs()}.items():
        if name not in created:
            continue
        con.execute(f"COMMENT ON VIEW {name} IS {_quote(about)}")
        # v_articles passes the articles columns through: reuse their documentation.
        inherited = TABLES["articles"].columns if name == "v_articles" else {}
        for column, text in {**inherited, **docs}.items():
            if (name, column) in columns:
                con.execute(f"COMMENT ON COLUMN {name}.{column} IS {_quote(text)}")
    apply_comments(con)
    return created
