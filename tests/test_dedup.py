"""Dedup quality on the generated corpus, and its persistence across runs in a real warehouse."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import duckdb
import numpy as np
import pytest

from records import Article, article_id_for
from tasks.dedup import NEAR_THRESHOLD, containment, dedup_batch, minhash
from tests.test_dedup_corpus import Doc, build_corpus
from warehouse import dedup_store, stories_store
from warehouse.schema import migrate

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def to_article(d: Doc, k: int) -> Article:
    url = f"https://{d.source}/news/{d.doc_id}"
    return Article(
        article_id=article_id_for(url),
        url=url,
        canonical_url=url,
        source=d.source,
        text=d.text,
        title=d.title,
        published_at=T0 + timedelta(minutes=k),
        fetched_at=T0 + timedelta(minutes=k),
    )


def pair_scores(articles: list[Article], docs: list[Doc]) -> tuple[float, float]:
    """Pairwise precision and recall of 'same family' as implied by duplicate_of roots."""
    root = {a.article_id: a.duplicate_of or a.article_id for a in articles}
    fam = {a.article_id: d.family for a, d in zip(articles, docs, strict=True)}
    ids = list(root)
    predicted = {p for p in itertools.combinations(ids, 2) if root[p[0]] == root[p[1]]}
    gold = {p for p in itertools.combinations(ids, 2) if fam[p[0]] == fam[p[1]]}
    tp = len(predicted & gold)
    return tp / max(1, len(predicted)), tp / max(1, len(gold))


def new_warehouse(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    migrate(con)
    return con


def load(con: duckdb.DuckDBPyConnection, articles: list[Article], run_id: str) -> None:
    """What the lead's load stage does for our tables: articles rows, then write_batch."""
    con.execute("BEGIN TRANSACTION")
    for a in {a.article_id: a for a in articles}.values():
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, source, title, text, "
            "content_hash, duplicate_of, story_id, published_at, modified_at, first_seen_at, "
            "last_seen_at, run_id) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET duplicate_of = excluded.duplicate_of, "
            "story_id = excluded.story_id, text = excluded.text",
            [
                a.article_id,
                a.url,
                a.canonical_url,
                a.source,
                a.title,
                a.text,
                a.duplicate_of,
                a.story_id,
                a.published_at,
                a.modified_at,
                a.fetched_at or T0,
                a.fetched_at or T0,
                run_id,
            ],
        )
    dedup_store.write_batch(con, articles, run_id)
    stories_store.write_stories(con, articles, run_id)
    con.execute("COMMIT")


def test_corpus_precision_and_recall_in_one_batch() -> None:
    docs = build_corpus()
    articles = [to_article(d, k) for k, d in enumerate(docs)]
    dedup_batch(articles, None)
    precision, recall = pair_scores(articles, docs)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall
    # Canonical is the earliest seen: no article points at a later one.
    position = {a.article_id: k for k, a in enumerate(articles)}
    assert all(position[a.duplicate_of] < k for k, a in enumerate(articles) if a.duplicate_of)
    methods = {a.dup_method for a in articles if a.duplicate_of}
    assert {"near", "contained"} <= methods


def test_corpus_across_runs_matches_one_batch(tmp_path) -> None:
    """Split over four runs against a real warehouse, the result is as good as in one batch."""
    docs = build_corpus(seed=5)
    articles = [to_article(d, k) for k, d in enumerate(docs)]
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    size = len(articles) // 4 + 1
    for run, start in enumerate(range(0, len(articles), size)):
        batch = articles[start : start + size]
        dedup_batch(batch, con)
        load(con, batch, f"run{run}")
    precision, recall = pair_scores(articles, docs)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall
    stored = con.execute("SELECT count(*) FROM duplicates").fetchall()[0][0]
    assert stored == sum(1 for a in articles if a.duplicate_of)
    marked = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchall()
    assert marked[0][0] == stored


def test_reloading_the_same_articles_adds_no_rows(tmp_path) -> None:
    docs = build_corpus(seed=3, subjects=3)
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    first = [to_article(d, k) for k, d in enumerate(docs)]
    dedup_batch(first, con)
    load(con, first, "r1")
    counts = [
        con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("article_signatures", "article_bands", "duplicates")
    ]
    again = [to_article(d, k) for k, d in enumerate(docs)]
    dedup_batch(again, con)
    assert [a.duplicate_of for a in again] == [a.duplicate_of for a in first]
    load(con, again, "r2")
    after = [
        con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("article_signatures", "article_bands", "duplicates")
    ]
    assert after == counts
    assert counts[1] >= counts[0] * minhash.BANDS


def test_url_and_exact_duplicates() -> None:
    text = " ".join(f"word{i} of the story number {i}" for i in range(40))
    a = Article("a", "https://news.example/x/1", "https://news.example/x/1", "news.example", text)
    b = Article(
        "b",
        "https://www.news.example/amp/x/1?utm_source=t",
        "http://news.example/x/1/",
        "news.example",
        text + " extra",
    )
    c = Article(
        "c",
        "https://other.example/y",
        "https://other.example/y",
        "other.example",
        text.upper().replace(" ", "  ") + "!",
    )
    d = Article(
        "d", "https://third.example/z", "https://third.example/z", "third.example", "Short."
    )
    e = Article(
        "e", "https://fourth.example/z", "https://fourth.example/z", "fourth.example", "Short."
    )
    _, stats = dedup_batch([a, b, c, d, e], None)
    assert (b.duplicate_of, b.dup_method) == ("a", "url")
    assert (c.duplicate_of, c.dup_method, c.dup_similarity) == ("a", "exact", 1.0)
    assert d.duplicate_of is None and e.duplicate_of is None  # stubs are too short to judge
    assert stats.extra["duplicates"] == 2 and stats.records_out == 5


def test_same_outlet_update_moves_canonical_modified_at(tmp_path) -> None:
    docs = [d for d in build_corpus(seed=8) if d.variant in ("original", "updated")]
    fam = next(f for f in {d.family for d in docs} if sum(d.family == f for d in docs) == 2)
    orig = next(d for d in docs if d.family == fam and d.variant == "original")
    upd = next(d for d in docs if d.family == fam and d.variant == "updated")
    upd.source = orig.source
    a, b = to_article(orig, 0), to_article(upd, 60)
    b.modified_at = T0 + timedelta(hours=5)
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    dedup_batch([a], con)
    load(con, [a], "r1")
    dedup_batch([b], con)
    assert b.duplicate_of == a.article_id and b.dup_method == "near"
    load(con, [b], "r2")
    got = con.execute("SELECT modified_at FROM articles WHERE article_id = ?", [a.article_id])
    assert got.fetchall()[0][0] == b.modified_at
    text = con.execute("SELECT text FROM articles WHERE article_id = ?", [a.article_id])
    assert text.fetchall()[0][0] == orig.text  # the canonical keeps its own text


def test_minhash_estimates_jaccard() -> None:
    rng = random.Random(2)
    vocab = [f"w{i}" for i in range(5000)]
    errors = []
    for _ in range(60):
        a = [rng.choice(vocab) for _ in range(rng.randint(80, 600))]
        b = a[: rng.randint(len(a) // 4, len(a))] + [rng.choice(vocab) for _ in range(100)]
        k = minhash.SHINGLE
        sa = {tuple(a[i : i + k]) for i in range(len(a) - k + 1)}
        sb = {tuple(b[i : i + k]) for i in range(len(b) - k + 1)}
        truth = len(sa & sb) / len(sa | sb)
        sig = minhash.signatures([" ".join(a), " ".join(b)])
        errors.append(float(minhash.similarity(sig[0], sig[1])) - truth)
    assert abs(np.mean(errors)) < 0.02
    assert np.std(errors) < 0.06


def test_signatures_ignore_case_punctuation_and_chunking() -> None:
    texts = ["Hello, World! It's a test.", "hello world its a test", "", "日本語のテキスト"]
    sk = minhash.sketch(texts)
    assert sk.text_hashes[0] == sk.text_hashes[1] != 0
    assert sk.text_hashes[2] == 0 and (sk.signatures[2] == minhash.EMPTY).all()
    assert sk.n_tokens.tolist() == [5, 5, 0, 8]
    alone = minhash.sketch(texts[3:]).signatures[0]
    assert (alone == sk.signatures[3]).all()  # a text's signature does not depend on its batch


def test_banding_arithmetic() -> None:
    assert minhash.candidate_probability(NEAR_THRESHOLD) > 0.98
    assert minhash.candidate_probability(0.1) < 0.05
    assert minhash.BANDS * minhash.ROWS <= minhash.NUM_BINS


def test_containment_is_directional() -> None:
    long = " ".join(f"t{i}" for i in range(300))
    short = " ".join(f"t{i}" for i in range(40))
    assert containment(short, long) == pytest.approx(1.0)
    assert containment(long, short) < 0.2


def test_empty_batch_and_missing_tables(tmp_path) -> None:
    out, stats = dedup_batch([], None)
    assert out == [] and stats.records_in == 0
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    arts = [to_article(d, k) for k, d in enumerate(build_corpus(subjects=1))]
    out, stats = dedup_batch(arts, con)  # no warehouse tables yet: batch-only dedup
    assert stats.extra["duplicates"] > 0
    assert all(a.signature for a in out)
    by_root: dict[str, int] = defaultdict(int)
    for a in out:
        by_root[a.duplicate_of or a.article_id] += 1
    assert max(by_root.values()) >= 3
