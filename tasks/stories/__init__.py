"""Story clustering: file each article under the event it reports, across outlets and runs.

Called by the enrich stage once entities are known. A new article joins the story of
its most similar already-filed article (in this batch or in the warehouse) published
within WINDOW of it, when that similarity reaches THRESHOLD; otherwise it starts a
story whose id derives from its own article id. Similarity mixes TF-IDF cosine of
title + lead with the overlap of named entities. Duplicates take their canonical's
story. Method and knobs: warehouse/DEDUP.md.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
from scipy import sparse

from records import Article, StageStats
from records.times import as_utc
from tasks.context import StageContext
from tasks.dedup.minhash import tokens
from warehouse import stories_store
from warehouse.store import warehouse_exists, writer

WINDOW = timedelta(hours=72)  # articles further apart than this are never one story
THRESHOLD = 0.45  # similarity needed to join a story
W_TEXT = 0.4  # weight of title+lead cosine when both articles have entities ...
W_ENTITY = 0.6  # ... and of entity cosine (text alone counts fully otherwise)
LEAD_WORDS = 300  # words of the text read as the lead
LEAD_CHARS = 4000  # characters of a stored text read for its lead (300 words fit)
TITLE_WEIGHT = 2  # a title word counts as this many lead words
MAX_STORED = 2_000  # stored articles compared against, those sharing most entities/keywords first
STORY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "LAW", "WORK_OF_ART"}
)
_STOP_WORDS = """a an the and or but if of to in on at by for from with as is are was were
    be been being
    it its this that these those he she they we you i his her their our your them him us not no
    has have had do does did will would can could should may might must said says say also
    than then there here who whom which what when where why how all any both each more most
    other some such only own same so too very just over after before about into up down out
    new one two three year years week day days time mr ms mrs"""
_STOP = frozenset(_STOP_WORDS.split())


def story_id_for(article_id: str) -> str:
    """Deterministic id of the story an article starts."""
    return f"st-{article_id}"


# A document's features as sparse counts: (column ids, counts).
_Sparse = tuple[np.ndarray, np.ndarray]


@dataclass
class _Doc:
    article_id: str
    story_id: str | None
    time: datetime
    terms: _Sparse  # title+lead words
    entities: _Sparse  # (name, label) pairs, present or not


# Column of every word and (name, label) entity seen, shared by all batches of the process,
# so an article's features are turned into ids once. Reset (with the cache below, whose
# ids it gives meaning to) when it grows past VOCABULARY_MAX.
_VOCABULARY: dict[object, int] = {}
VOCABULARY_MAX = 200_000


def _sparse(features: dict[Any, int]) -> _Sparse:
    ids = (_VOCABULARY.setdefault(key, len(_VOCABULARY)) for key in features)
    return (
        np.fromiter(ids, np.int64, len(features)),
        np.fromiter(features.values(), np.float64, len(features)),
    )


def _terms(title: str | None, text: str | None) -> _Sparse:
    counts: Counter[str] = Counter()
    for w in tokens(title or ""):
        if w not in _STOP and len(w) > 1:
            counts[w] += TITLE_WEIGHT
    for w in tokens(text or "")[:LEAD_WORDS]:
        if w not in _STOP and len(w) > 1:
            counts[w] += 1
    return _sparse(counts)


# Stored articles come back batch after batch while they stay in the window; their
# title+lead terms are kept here (keyed by id and a digest of the title and the text's
# content hash) instead of being read and tokenised again for every batch: least
# recently used out first, two batches' worth of stored articles at most (~2.5 KB each).
_TERMS_CACHE: OrderedDict[str, tuple[int, _Sparse]] = OrderedDict()
TERMS_CACHE_MAX = 2 * MAX_STORED


def _stored_terms(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[_Sparse]:
    """Terms of stored articles: from the cache, else from their leads, read in one query."""
    keys = [hash((r["title"], r["content_hash"])) for r in rows]
    missing = [
        r["article_id"]
        for r, key in zip(rows, keys, strict=True)
        if _TERMS_CACHE.get(r["article_id"], (None,))[0] != key
    ]
    leads = stories_store.story_leads(con, missing, LEAD_CHARS) if missing else {}
    out = []
    for r, key in zip(rows, keys, strict=True):
        aid = r["article_id"]
        if aid in leads:
            _TERMS_CACHE[aid] = (key, _terms(r["title"], leads[aid]))
        out.append(_TERMS_CACHE[aid][1])
        _TERMS_CACHE.move_to_end(aid)
    while len(_TERMS_CACHE) > TERMS_CACHE_MAX:
        _TERMS_CACHE.popitem(last=False)
    return out


def _entities(pairs: list[tuple[str, str]]) -> _Sparse:
    found = {(name.lower(), label): 1 for name, label in pairs if label in STORY_LABELS}
    return _sparse(found)


def _tfidf(rows: list[_Sparse], log_tf: bool) -> sparse.csr_matrix:
    """Row-normalised TF-IDF over the pool: what every article has says little.

    Term weight (1 + ln tf) x (ln((n + 1) / (df + 1)) + 1); with `log_tf` off the
    features are present or not (entities), weighted by the IDF alone.
    """
    n = len(rows)
    lengths = np.fromiter((len(ids) for ids, _ in rows), np.int64, n)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate([ids for ids, _ in rows]) if n else np.zeros(0, np.int64)
    counts = np.concatenate([c for _, c in rows]) if n else np.zeros(0)
    columns = max(len(_VOCABULARY), 1)
    matrix = sparse.csr_matrix((counts, indices, indptr), shape=(n, columns))
    df = np.bincount(indices, minlength=columns)
    idf = np.log((n + 1) / (df + 1)) + 1
    tf = 1 + np.log(counts) if log_tf else np.ones_like(counts)
    matrix.data = tf * idf[indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), lengths), matrix.data**2, minlength=n))
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


def similarities(queries: list[_Doc], pool: list[_Doc]) -> np.ndarray:
    """Similarity of every query to every pool article, IDF-weighted over the pool.

    A weighted mix of title+lead cosine and entity cosine when both articles have
    entities, the text cosine alone otherwise. `queries` must be the last rows of
    `pool`. Computed as two sparse matrix products: at 200 articles against 2,200 this
    is a few milliseconds, where pairwise Python loops took seconds per batch.
    """
    first = len(pool) - len(queries)
    text = _tfidf([d.terms for d in pool], log_tf=True)
    ents = _tfidf([d.entities for d in pool], log_tf=False)
    text_sim = (text[first:] @ text.T).toarray()
    entity_sim = (ents[first:] @ ents.T).toarray()
    has = np.array([len(d.entities[0]) > 0 for d in pool])
    both = has[first:, None] & has[None, :]
    return np.where(both, W_TEXT * text_sim + W_ENTITY * entity_sim, text_sim)


def assign_stories(
    articles: list[Article],
    con: duckdb.DuckDBPyConnection | None,
    now: datetime | None = None,
) -> StageStats:
    """Set `story_id` on every article of the batch (duplicates take their canonical's)."""
    started = time.perf_counter()
    stats = StageStats("stories", records_in=len(articles), records_out=len(articles))
    now = as_utc(now) or datetime.now(UTC)
    if len(_VOCABULARY) > VOCABULARY_MAX:
        _VOCABULARY.clear()
        _TERMS_CACHE.clear()
    canon = [a for a in articles if not a.duplicate_of]

    def when(a: Article) -> datetime:
        return as_utc(a.published_at) or as_utc(a.fetched_at) or now

    batch_docs = [
        _Doc(
            a.article_id,
            None,
            when(a),
            _terms(a.title, a.text),
            _entities([(e.name, e.label) for e in a.entities]),
        )
        for a in canon
    ]
    stored_docs: list[_Doc] = []
    if con is not None and batch_docs:
        lo = min(d.time for d in batch_docs) - WINDOW
        hi = max(d.time for d in batch_docs) + WINDOW
        batch_ids = {a.article_id for a in articles}
        entity_keys = sorted(
            {
                f"{e.name.lower()}|{e.label}"
                for a in canon
                for e in a.entities
                if e.label in STORY_LABELS
            }
        )
        keywords = sorted({k for a in canon for k, _ in a.keywords})
        rows = [
            row
            for row in stories_store.story_members(con, lo, hi, MAX_STORED, entity_keys, keywords)
            if row["article_id"] not in batch_ids
        ]
        stored_docs = [
            _Doc(
                row["article_id"],
                row["story_id"],
                as_utc(row["time"]) or now,
                terms,
                _entities(row["entities"]),
            )
            for row, terms in zip(rows, _stored_terms(con, rows), strict=True)
        ]
    if batch_docs:
        _file_in_order(batch_docs, stored_docs, stats)
    story_of = {d.article_id: d.story_id for d in batch_docs}
    for a in canon:
        a.story_id = story_of[a.article_id]
    _assign_duplicates(articles, story_of, con, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def _file_in_order(batch_docs: list[_Doc], stored_docs: list[_Doc], stats: StageStats) -> None:
    """Oldest first, so a story is started by its first report and later ones join it.

    Each article joins the story of its most similar filed article (stored, or earlier
    in this batch) within WINDOW, if that similarity reaches THRESHOLD; on a tie the
    most recently filed wins.
    """
    pool = stored_docs + batch_docs
    sims = similarities(batch_docs, pool)
    times = np.array([d.time.timestamp() for d in pool])
    near = np.abs(times[len(stored_docs) :, None] - times[None, :]) <= WINDOW.total_seconds()
    sims = np.where(near, sims, -1.0)
    order = sorted(range(len(batch_docs)), key=lambda k: (batch_docs[k].time, k))
    # filed[j] is the pool row filed j-th: stored articles first, then the batch in order.
    filed = list(range(len(stored_docs)))
    for k in order:
        doc = batch_docs[k]
        row = sims[k, filed]
        stats.extra["compared"] += len(filed)
        best = len(filed) - 1 - int(np.argmax(row[::-1])) if filed else -1
        if best >= 0 and row[best] >= THRESHOLD:
            doc.story_id = pool[filed[best]].story_id
            stats.extra["joined"] += 1
        else:
            doc.story_id = story_id_for(doc.article_id)
            stats.extra["started"] += 1
        filed.append(len(stored_docs) + k)


def _assign_duplicates(
    articles: list[Article],
    story_of: dict[str, str | None],
    con: duckdb.DuckDBPyConnection | None,
    stats: StageStats,
) -> None:
    dups = [a for a in articles if a.duplicate_of]
    missing = {a.duplicate_of for a in dups if a.duplicate_of and a.duplicate_of not in story_of}
    stored: dict[str, Any] = stories_store.stories_of(con, missing) if missing else {}
    for a in dups:
        canonical = a.duplicate_of or ""
        story = story_of.get(canonical) or stored.get(canonical)
        # A canonical filed nowhere (loaded before stories existed) names the story it starts.
        a.story_id = story or story_id_for(canonical)
        stats.extra["duplicates"] += 1


def stories_stage(articles: list[Article], ctx: StageContext) -> tuple[list[Article], StageStats]:
    """The stage: file the batch into the stories stored in the warehouse."""
    if not ctx.db or not warehouse_exists(ctx.db):
        return articles, assign_stories(articles, None)
    with writer(ctx.db, memory=ctx.duckdb_memory) as con:
        return articles, assign_stories(articles, con)
