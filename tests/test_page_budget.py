"""One page cannot stall a run: pathological markup is trimmed, and every page has a CPU
budget past which it is skipped and recorded in fetch_log (issue 22, point 2)."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from records import Page
from tasks.clean import OVER_BUDGET, clean_page, draft_pages
from tasks.clean.budget import MAX_ATTRIBUTES, OverBudget, page_budget, tame_markup

STORY = " ".join(
    f"The harbour board met on Tuesday and agreed item {i} of the flood plan." for i in range(30)
)


def _page(html: str, url: str = "http://news.example.org/a") -> Page:
    return Page(
        url=url,
        final_url=url,
        source="test",
        status=200,
        body=html.encode(),
        content_type="text/html",
        fetched_at=datetime.now(UTC),
    )


def _article_html(title: str, div_attrs: str = "", paragraphs: int = 1) -> str:
    body = "".join(f"<p>{STORY} ({n})</p>" for n in range(paragraphs))
    return (
        f"<html><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><div {div_attrs}>{body}</div></article></body></html>"
    )


def test_a_tag_with_200000_attributes_is_extracted() -> None:
    # took minutes before: libxml2 and htmldate are quadratic in one tag's attributes
    flood = " ".join(f'data-a{i}="v{i}"' for i in range(200_000))
    article, reason = clean_page(_page(_article_html("Harbour board agrees plan", flood)))
    assert reason is None and article is not None
    assert "harbour board met" in article.text.lower()


def test_tame_markup_keeps_ordinary_tags_and_trims_floods() -> None:
    ordinary = _article_html("x", 'class="a" data-json="' + "y" * 20_000 + '"')
    assert tame_markup(ordinary) == ordinary
    flood = tame_markup(_article_html("x", " ".join(f"a{i}=1" for i in range(5_000))))
    assert len(re.findall(r" a\d+=1", flood)) == MAX_ATTRIBUTES and "a255=1>" in flood


def test_the_budget_stops_a_page_in_any_thread() -> None:
    outcome: list[str] = []

    def spin() -> None:
        try:
            with page_budget(0.2):
                while True:
                    pass
        except OverBudget:
            outcome.append("stopped")

    worker = threading.Thread(target=spin)
    worker.start()
    worker.join(30)
    assert outcome == ["stopped"]
    with page_budget(5):  # a page within its budget is untouched
        assert sum(range(1000)) == 499500


def test_over_budget_pages_are_dropped_with_their_reason() -> None:
    pages = [_page(_article_html(f"Small {i}"), f"http://news.example.org/{i}") for i in range(20)]
    pages.insert(7, _page(_article_html("Huge", paragraphs=2_500), "http://news.example.org/huge"))
    drafted = draft_pages(pages, workers=2, budget=0.3).drafted
    reasons = [reason for _, reason in drafted]
    assert reasons[7] == OVER_BUDGET
    assert sum(1 for d, _ in drafted if d is not None) == 20


def test_ingest_records_an_over_budget_page_and_goes_on(
    prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest

    monkeypatch.setenv("NEWSFLOW_PAGE_CPU_SECONDS", "0.3")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(18):
        (inbox / f"p{i:02d}.html").write_text(_article_html(f"Harbour story number {i}"))
    (inbox / "huge.html").write_text(_article_html("Huge", paragraphs=2_500))
    db = tmp_path / "w.duckdb"
    summary: dict[str, Any] = ingest(sources=[{"kind": "dir", "location": str(inbox)}], db=str(db))
    assert summary
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT url, outcome, error_class, error FROM fetch_log WHERE outcome = 'over-budget'"
        ).fetchall()
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()
    assert len(rows) == 1 and rows[0][0].endswith("huge.html")
    assert rows[0][2] == "over_budget" and "CPU" in rows[0][3]
    assert articles == 18
