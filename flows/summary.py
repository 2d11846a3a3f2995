"""Printing what a run did and what the warehouse now holds, for people at a terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from warehouse.store import open_connection


def _table(title: str, columns: list[str], rows: list[tuple[Any, ...]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    return table


def print_run_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(
        f"run {summary['run_id']}: {summary['pages_discovered']} discovered, "
        f"{summary['pages_fetched']} fetched, {summary['pages_unchanged']} unchanged, "
        f"{summary['pages_failed']} failed; {summary['articles_new']} new, "
        f"{summary['articles_updated']} updated, {summary['duplicates']} duplicates "
        f"in {summary['seconds']} s"
    )
    rows = [
        (
            r["source"],
            r["discovered"],
            r["fetched"],
            r["unchanged"],
            r["new"],
            r["duplicates"],
            r["failed"],
            r["reasons"],
        )
        for r in summary["sources"]
    ]
    console.print(
        _table(
            "Per source",
            ["source", "discovered", "fetched", "unchanged", "new", "dups", "failed", "reasons"],
            rows,
        )
    )


def warehouse_overview(db_path: str) -> dict[str, list[tuple[Any, ...]]]:
    """The figures the demo prints: what landed, per outlet, and what it is about."""
    con = open_connection(db_path, read_only=True)
    try:

        def q(sql: str) -> list[tuple[Any, ...]]:
            return con.execute(sql).fetchall()

        return {
            "outlets": q(
                "SELECT coalesce(site_name, source) AS outlet, count(*) AS articles, "
                "count(duplicate_of) AS duplicates, "
                "count(*) FILTER (WHERE published_at IS NOT NULL) AS dated "
                "FROM articles GROUP BY ALL ORDER BY articles DESC, outlet"
            ),
            "entities": q(
                "SELECT e.entity, e.label, count(DISTINCT e.article_id) AS articles, "
                "sum(e.mentions) AS mentions FROM article_entities e "
                "JOIN articles a USING (article_id) WHERE a.duplicate_of IS NULL "
                "GROUP BY ALL ORDER BY articles DESC, mentions DESC, e.entity LIMIT 10"
            ),
            "topics": q(
                "SELECT t.topic, count(*) AS articles, round(avg(t.score), 2) AS mean_score "
                "FROM article_topics t JOIN articles a USING (article_id) "
                "WHERE a.duplicate_of IS NULL GROUP BY ALL ORDER BY articles DESC, t.topic LIMIT 10"
            ),
            "stories": q(
                "SELECT headline, article_count, source_count, "
                "strftime(first_published_at, '%Y-%m-%d') FROM stories "
                "WHERE source_count > 1 "
                "ORDER BY source_count DESC, article_count DESC, headline LIMIT 8"
            ),
            "duplicates": q(
                "SELECT method, count(*), round(avg(similarity), 3) FROM duplicates "
                "GROUP BY ALL ORDER BY 2 DESC"
            ),
        }
    finally:
        con.close()


def print_warehouse_overview(db_path: str, console: Console | None = None) -> None:
    console = console or Console()
    data = warehouse_overview(db_path)
    console.print(
        _table(
            "Articles per outlet", ["outlet", "articles", "duplicates", "dated"], data["outlets"]
        )
    )
    console.print(
        _table("Duplicates by method", ["method", "count", "mean similarity"], data["duplicates"])
    )
    console.print(
        _table("Top entities", ["entity", "label", "articles", "mentions"], data["entities"])
    )
    console.print(_table("Topics", ["topic", "articles", "mean score"], data["topics"]))
    console.print(
        _table(
            "Stories across outlets", ["headline", "articles", "outlets", "first"], data["stories"]
        )
    )
