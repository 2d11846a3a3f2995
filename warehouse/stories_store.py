"""Story state in the warehouse: which articles file into which cross-outlet story.

The stories stage reads candidates and leads from here (read-only); the load stage writes
the batch's story rows in its per-batch transaction, after the `articles` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from records import Article
from records.times import as_utc
from warehouse.lake import upsert
from warehouse.rows import has_tables, rows_by_id
from warehouse.store import read_with_room
from warehouse.views import STORY_FIGURES


def story_members(
    con: duckdb.DuckDBPyConnection,
    since: datetime,
    until: datetime,
    limit: int,
    entity_keys: Sequence[str] = (),
    keywords: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Canonical articles already filed under a story and published in [since, until].

    With `entity_keys` ("name|LABEL", lower-case name) or `keywords`, only articles
    sharing at least one of them are returned, most shared first: an article that
    shares neither an entity nor a keyphrase with a batch cannot reach the story
    threshold against it. The ranking carries ids and times only; titles, stories and
    entities are joined to the `limit` chosen rows. Carrying them through the ranking
    (one materialised row per article of the window) needed ~100 MB of DuckDB's memory
    at 100k articles and ran out of it under the run's 128 MB.
    """
    if con is None or not has_tables(con, ("articles",)):
        return []
    registered: list[str] = []
    has_entities = has_tables(con, ("article_entities",))
    win = (
        "SELECT article_id, coalesce(published_at, first_seen_at) AS t FROM articles "
        "WHERE story_id IS NOT NULL AND duplicate_of IS NULL "
        "AND coalesce(published_at, first_seen_at) BETWEEN $1 AND $2"
    )
    top = f"SELECT article_id, t, 0 AS shared FROM ({win}) ORDER BY t DESC, article_id LIMIT $3"
    if (entity_keys or keywords) and has_entities and has_tables(con, ("article_keywords",)):
        # The batch's keys go in as Arrow tables: a Python list parameter of a few
        # thousand strings cost DuckDB's client ~190 ms per query (measured), Arrow ~7 ms.
        for name, values in (("_story_entities", entity_keys), ("_story_keywords", keywords)):
            con.register(name, pa.table({"k": pa.array(list(values), pa.string())}))
            registered.append(name)
        top = (
            f"WITH win AS ({win}), shared AS ("
            "  SELECT article_id, count(*) AS shared FROM ("
            "    SELECT article_id FROM article_entities "
            "    WHERE lower(entity) || '|' || label IN (SELECT k FROM _story_entities) "
            "    UNION ALL "
            "    SELECT article_id FROM article_keywords "
            "    WHERE keyword IN (SELECT k FROM _story_keywords)"
            "  ) GROUP BY article_id) "
            "SELECT article_id, t, shared FROM win JOIN shared USING (article_id) "
            "ORDER BY shared DESC, t DESC, article_id LIMIT $3"
        )
    ents_sql, ents_join, ents_col = "", "", "NULL"
    if has_entities:
        ents_sql = (
            ", ents AS (SELECT article_id, list((lower(entity), label)) AS ents "
            "FROM article_entities WHERE article_id IN (SELECT article_id FROM top) "
            "GROUP BY article_id)"
        )
        ents_join, ents_col = "LEFT JOIN ents USING (article_id)", "ents.ents"
    sql = (
        f"WITH top AS MATERIALIZED ({top}){ents_sql} "
        "SELECT top.article_id, a.story_id, a.source, a.title, a.content_hash, top.t, "
        f"{ents_col} FROM top JOIN articles a USING (article_id) {ents_join} "
        "ORDER BY top.shared DESC, top.t DESC, top.article_id"
    )
    try:
        rows = read_with_room(
            con, lambda: con.execute(sql, [as_utc(since), as_utc(until), limit]).fetchall()
        )
    finally:
        for name in registered:
            con.unregister(name)
    return [
        {
            "article_id": r[0],
            "story_id": r[1],
            "source": r[2],
            "title": r[3],
            "content_hash": r[4],
            "time": r[5],
            "entities": sorted((e[0], e[1]) for e in (r[6] or [])),
        }
        for r in rows
    ]


def story_leads(
    con: duckdb.DuckDBPyConnection, ids: Iterable[str], chars: int = 4000
) -> dict[str, str]:
    """The first `chars` characters of stored articles' texts, by article_id (`rows_by_id`)."""
    rows = rows_by_id(
        con, f"SELECT article_id, left(text, {int(chars)}) FROM articles", list(dict.fromkeys(ids))
    )
    return {aid: text or "" for aid, text in rows}


def stories_of(con: duckdb.DuckDBPyConnection | None, ids: Iterable[str]) -> dict[str, str]:
    """story_id of stored articles (duplicates join their canonical's story)."""
    ids = list(dict.fromkeys(ids))
    if con is None or not ids or not has_tables(con, ("articles",)):
        return {}
    rows = rows_by_id(con, "SELECT article_id, story_id FROM articles", ids)
    return {aid: story for aid, story in rows if story is not None}


_STORY_COLUMNS = (
    "story_id",
    "headline",
    "first_published_at",
    "last_published_at",
    "article_count",
    "source_count",
    "updated_at",
)


def write_stories(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[Article],
    run_id: str,
    left: Iterable[str] = (),
) -> int:
    """Recompute the `stories` rows the batch touched (or its articles `left`) from `articles`.

    Every figure counts the story's canonical articles only, as the views do: a syndicated
    copy is the same article, so it adds neither an article nor an outlet (article_count
    >= source_count always). headline: title of the earliest canonical article;
    first/last published over them. A story no article points to any more is deleted.
    """
    stories = sorted({a.story_id for a in articles if a.story_id} | set(left))
    if not stories:
        return 0
    con.register("_story_touched", pa.table({"story_id": pa.array(stories, pa.string())}))
    touched = "AND story_id IN (SELECT story_id FROM _story_touched)"
    try:
        upsert(
            con,
            "stories",
            _STORY_COLUMNS,
            f"SELECT story_id, headline, first_published_at, last_published_at, "
            f"article_count, source_count, now() AS updated_at "
            f"FROM ({STORY_FIGURES.format(where=touched)})",
            ["story_id"],
            ", ".join(f"{c} = excluded.{c}" for c in _STORY_COLUMNS[1:]),
        )
        con.execute(
            "DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _story_touched) "
            "AND story_id NOT IN (SELECT story_id FROM articles a "
            "JOIN _story_touched t USING (story_id))"
        )
    finally:
        con.unregister("_story_touched")
    del run_id  # stories are recomputed from articles; the run is recorded there
    return len(stories)
