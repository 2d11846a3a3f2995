"""Warehouse state of the enrich stage: entities, keywords, topics and their views.

`write_batch` runs inside the load stage's per-batch transaction. It is idempotent
(the batch's articles lose their old rows first), bulk (Arrow tables, never
row-by-row inserts) and normalises names across the warehouse: a bare surname such
as "Putin" that earlier batches recorded as an alias of exactly one person is
stored under that person's canonical name, so counts do not split between forms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import duckdb
import pyarrow as pa

from records import Article
from warehouse.docs import arrow_schema
from warehouse.lake import upsert

# Row types from the tables' declarations (warehouse/docs.py).
_ENTITY_ROWS = arrow_schema("article_entities")
_SCORED_ROWS = {
    "keyword": arrow_schema("article_keywords"),
    "topic": arrow_schema("article_topics"),
}
_CANONICAL_ROWS = arrow_schema("entities", ["entity", "label", "aliases"])


def _warehouse_aliases(
    con: duckdb.DuckDBPyConnection, names: set[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(alias, label) -> canonical, for aliases that point to exactly one known entity."""
    if not names:
        return {}
    probe = pa.table(
        {"name": [n for n, _ in names], "label": [lab for _, lab in names]},
        schema=pa.schema([("name", pa.string()), ("label", pa.string())]),
    )
    con.register("_nf_probe", probe)
    try:
        rows = con.execute(
            """
            WITH a AS (SELECT entity, label, unnest(aliases) AS alias FROM entities)
            SELECT p.name, p.label, min(a.entity)
            FROM _nf_probe p JOIN a ON a.alias = p.name AND a.label = p.label
            WHERE NOT EXISTS (
                SELECT 1 FROM entities e WHERE e.entity = p.name AND e.label = p.label
            )
            GROUP BY p.name, p.label
            HAVING count(DISTINCT a.entity) = 1
            """
        ).fetchall()
    finally:
        con.unregister("_nf_probe")
    return {(name, label): canonical for name, label, canonical in rows}


def write_batch(
    con: duckdb.DuckDBPyConnection,
    articles: list[Article],
    run_id: str,
    was_canonical: Mapping[str, bool] | None = None,
) -> None:
    """Replace the batch's entity, keyword and topic rows and update `entities`.

    `was_canonical` (article_id -> not a duplicate, for the batch's articles already
    stored, read before this batch's `articles` rows were written) lets
    `entities.article_count` move by the batch's own change; without it the touched
    entities are counted again from `article_entities`, which reads every mention of a
    common entity (0.24 s per batch at 100k articles, growing with the warehouse).
    """
    del run_id  # rows are keyed by article; the run is recorded on `articles`
    ids = sorted({a.article_id for a in articles})
    if not ids:
        return
    names = {(e.name, e.label) for a in articles for e in a.entities}
    remap = _warehouse_aliases(con, names)

    ent_rows: dict[tuple[str, str, str], int] = defaultdict(int)
    canon_aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    kw_rows: dict[tuple[str, str], float] = {}
    topic_rows: dict[tuple[str, str], float] = {}
    for a in articles:
        for e in a.entities:
            name = remap.get((e.name, e.label), e.name)
            ent_rows[(a.article_id, name, e.label)] += e.mentions
            aliases = canon_aliases[(name, e.label)]
            aliases.update(x for x in e.aliases if x != name)
            if name != e.name:
                aliases.add(e.name)
        for keyword, score in a.keywords:
            kw_rows.setdefault((a.article_id, keyword), float(score))
        for topic, score in a.topics:
            topic_rows.setdefault((a.article_id, topic), float(score))

    tables = {
        "_nf_ids": pa.table({"article_id": ids}),
        "_nf_ent": pa.table(
            {
                "article_id": [k[0] for k in ent_rows],
                "entity": [k[1] for k in ent_rows],
                "label": [k[2] for k in ent_rows],
                "mentions": list(ent_rows.values()),
            },
            schema=_ENTITY_ROWS,
        ),
        "_nf_kw": pa.table(
            {
                "article_id": [k[0] for k in kw_rows],
                "keyword": [k[1] for k in kw_rows],
                "score": list(kw_rows.values()),
            },
            schema=_SCORED_ROWS["keyword"],
        ),
        "_nf_topic": pa.table(
            {
                "article_id": [k[0] for k in topic_rows],
                "topic": [k[1] for k in topic_rows],
                "score": list(topic_rows.values()),
            },
            schema=_SCORED_ROWS["topic"],
        ),
        "_nf_canon": pa.table(
            {
                "entity": [k[0] for k in canon_aliases],
                "label": [k[1] for k in canon_aliases],
                "aliases": [sorted(v) for v in canon_aliases.values()],
            },
            schema=_CANONICAL_ROWS,
        ),
    }
    for name, table in tables.items():
        con.register(name, table)
    try:
        before = con.execute(
            "SELECT article_id, entity, label FROM article_entities "
            "WHERE article_id IN (SELECT article_id FROM _nf_ids)"
        ).fetchall()
        for table in ("article_entities", "article_keywords", "article_topics"):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _nf_ids)")
        con.execute("INSERT INTO article_entities SELECT * FROM _nf_ent")
        con.execute("INSERT INTO article_keywords SELECT * FROM _nf_kw")
        con.execute("INSERT INTO article_topics SELECT * FROM _nf_topic")
        upsert(
            con,
            "entities",
            ("entity", "label", "aliases", "article_count"),
            "SELECT entity, label, aliases, 0 AS article_count FROM _nf_canon",
            ("entity", "label"),
            "aliases = list_sort(list_distinct("
            "list_concat(coalesce(entities.aliases, []), excluded.aliases)))",
        )
        if was_canonical is None:
            _recount(con, {(e, lab) for _, e, lab in before} | set(canon_aliases))
        else:
            canonical_now = {a.article_id: not a.duplicate_of for a in articles}
            delta: Counter[tuple[str, str]] = Counter()
            for aid, entity, label in before:
                delta[(entity, label)] -= was_canonical.get(aid, True)
            for aid, entity, label in ent_rows:
                delta[(entity, label)] += canonical_now[aid]
            _shift_counts(con, {k: n for k, n in delta.items() if n})
    finally:
        for name in tables:
            con.unregister(name)


def _shift_counts(con: duckdb.DuckDBPyConnection, delta: dict[tuple[str, str], int]) -> None:
    if not delta:
        return
    con.register(
        "_nf_delta",
        pa.table(
            {
                "entity": [k[0] for k in delta],
                "label": [k[1] for k in delta],
                "n": list(delta.values()),
            },
            schema=pa.schema([("entity", pa.string()), ("label", pa.string()), ("n", pa.int64())]),
        ),
    )
    try:
        con.execute(
            "UPDATE entities SET article_count = article_count + d.n FROM _nf_delta d "
            "WHERE entities.entity = d.entity AND entities.label = d.label"
        )
    finally:
        con.unregister("_nf_delta")


def _recount(con: duckdb.DuckDBPyConnection, touched: set[tuple[str, str]] | None) -> None:
    """Count `entities.article_count` from the mentions: of `touched`, or (None) of all."""
    scope = "(SELECT entity, label FROM entities)"
    if touched is not None:
        if not touched:
            return
        scope = "_nf_touched"
        con.register(
            scope,
            pa.table(
                {"entity": [t[0] for t in touched], "label": [t[1] for t in touched]},
                schema=pa.schema([("entity", pa.string()), ("label", pa.string())]),
            ),
        )
    try:
        con.execute(
            f"""
            UPDATE entities SET article_count = c.n
            FROM (
                SELECT t.entity, t.label, count(DISTINCT ae.article_id) FILTER (
                    WHERE ae.article_id IS NOT NULL AND a.duplicate_of IS NULL) AS n
                FROM {scope} t
                LEFT JOIN article_entities ae USING (entity, label)
                LEFT JOIN articles a USING (article_id)
                GROUP BY t.entity, t.label
            ) c
            WHERE entities.entity = c.entity AND entities.label = c.label
            """
        )
    finally:
        if touched is not None:
            con.unregister(scope)


def recount_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Every entity's article_count from `article_entities`: the check of the running counts."""
    _recount(con, None)


# Extra analyst views (the SELECT bodies; warehouse.views wraps each in CREATE OR REPLACE
# VIEW after its own, so `v_articles` exists). Like every article count in the warehouse,
# they leave duplicates out: v_articles is articles WHERE duplicate_of IS NULL.
VIEWS: dict[str, str] = {
    # Entities per outlet, ranked within the outlet by articles then mentions.
    "top_entities_by_source": """
        WITH d AS (
            SELECT a.source, e.entity, e.label,
                   count(DISTINCT a.article_id) AS articles,
                   sum(e.mentions) AS mentions,
                   min(a.day) AS first_day, max(a.day) AS last_day
            FROM article_entities e JOIN v_articles a USING (article_id)
            GROUP BY a.source, e.entity, e.label
        )
        SELECT *, row_number() OVER (
            PARTITION BY source ORDER BY articles DESC, mentions DESC, entity
        ) AS rank
        FROM d
    """,
    # Pairs of entities named in the same article (each article's 15 most-mentioned
    # entities, so one long list article cannot flood the pairs). entity_a < entity_b.
    "entity_cooccurrence": """
        WITH top AS (
            SELECT e.article_id, e.entity, e.label, a.day
            FROM article_entities e JOIN v_articles a USING (article_id)
            QUALIFY row_number() OVER (
                PARTITION BY e.article_id ORDER BY e.mentions DESC, e.entity
            ) <= 15
        )
        SELECT x.entity AS entity_a, x.label AS label_a, y.entity AS entity_b,
               y.label AS label_b, count(*) AS articles,
               min(x.day) AS first_day, max(x.day) AS last_day
        FROM top x JOIN top y
          ON x.article_id = y.article_id
         AND (x.entity < y.entity OR (x.entity = y.entity AND x.label < y.label))
        GROUP BY ALL
    """,
    # Entity mentions per day with a 7-day moving average of articles: what is rising.
    "entity_trends": """
        WITH d AS (
            SELECT a.day, e.entity, e.label, count(DISTINCT a.article_id) AS articles,
                   sum(e.mentions) AS mentions
            FROM article_entities e JOIN v_articles a USING (article_id)
            GROUP BY a.day, e.entity, e.label
        )
        SELECT *, avg(articles) OVER (
            PARTITION BY entity, label ORDER BY day
            RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW
        ) AS articles_7d_avg
        FROM d
    """,
    # Keyphrases per day across outlets.
    "keyword_trends": """
        SELECT a.day, k.keyword, count(DISTINCT a.article_id) AS articles,
               count(DISTINCT a.source) AS sources, avg(k.score) AS avg_score
        FROM article_keywords k JOIN v_articles a USING (article_id)
        GROUP BY a.day, k.keyword
    """,
    # Subject categories per outlet: what each source covers.
    "topics_by_source": """
        SELECT a.source, t.topic, count(DISTINCT a.article_id) AS articles,
               avg(t.score) AS avg_score
        FROM article_topics t JOIN v_articles a USING (article_id)
        GROUP BY a.source, t.topic
    """,
}
