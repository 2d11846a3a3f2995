"""Stop words are not required terms: "the harbour" and a title typed word for word find
their articles (issue 22, point 5). Before, the conjunctive BM25 match required words the
index never stores, and found nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_warehouse_fixtures import build_ready
from warehouse.search import search


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ready(tmp_path_factory.mktemp("stopwords") / "w.duckdb")


def test_a_phrase_with_stop_words_matches(db: Path) -> None:
    plain = search(db, "flood rescue", limit=100)
    assert plain
    assert [h["article_id"] for h in search(db, "the flood rescue", limit=100)] == [
        h["article_id"] for h in plain
    ]


def test_a_title_searched_word_for_word_finds_its_article(db: Path) -> None:
    title = search(db, "flood rescue", limit=1)[0]["title"]  # e.g. "Flood rescue in Riverton 4"
    assert " in " in title
    hits = search(db, title, limit=100)
    assert title in [h["title"] for h in hits]


def test_only_stop_words_find_nothing_without_error(db: Path) -> None:
    assert search(db, "the of and") == []
