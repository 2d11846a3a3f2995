"""Story clustering: file each article under the event it reports, across outlets and runs.

Called by the enrich stage once entities are known. A new article joins the story of
its most similar already-filed article (in this batch or in the warehouse) published
within WINDOW of it, when that similarity reaches THRESHOLD; otherwise it starts a
story whose id derives from its own article id. Similarity mixes TF-IDF cosine of
title + lead with the overlap of named entities. Duplicates take their canonical's
story. Method and knobs: warehouse/DEDUP.md.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.minhash import tokens
from tasks.records import Article, StageStats
from warehouse import dedup_store
from warehouse.store import writer

WINDOW = timedelta(hours=72)  # articles further apart than this are never one story
THRESHOLD = 0.45  # similarity needed to join a story
W_TEXT = 0.4  # weight of title+lead cosine when both articles have entities ...
W_ENTITY = 0.6  # ... and of entity cosine (text alone counts fully otherwise)
LEAD_WORDS = 300  # words of the text read as the lead
TITLE_WEIGHT = 2  # a title word counts as this many lead words
MAX_STORED = 2_000  # stored articles compared against, those sharing most entities/keywords first
BLOCK_TERMS = 12  # heaviest title+lead terms an article is indexed under for comparison
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


@dataclass
class _Doc:
    article_id: str
    story_id: str | None
    time: datetime
    terms: Counter[str]
    entities: frozenset[tuple[str, str]]
    vector: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    entity_vector: dict[tuple[str, str], float] = field(default_factory=dict)
    entity_norm: float = 0.0


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _terms(title: str | None, text: str | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for w in tokens(title or ""):
        if w not in _STOP and len(w) > 1:
            counts[w] += TITLE_WEIGHT
    for w in tokens(text or "")[:LEAD_WORDS]:
        if w not in _STOP and len(w) > 1:
            counts[w] += 1
    return counts


def _entities(pairs: list[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset((name.lower(), label) for name, label in pairs if label in STORY_LABELS)


def _weigh(docs: list[_Doc]) -> None:
    """TF-IDF over the comparison pool: words (and entities) every article has say little."""
    df: Counter[str] = Counter()
    edf: Counter[tuple[str, str]] = Counter()
    for d in docs:
        df.update(d.terms.keys())
        edf.update(d.entities)
    n = len(docs)
    for d in docs:
        d.vector = {
            w: (1 + math.log(c)) * (math.log((n + 1) / (df[w] + 1)) + 1) for w, c in d.terms.items()
        }
        d.norm = math.sqrt(sum(v * v for v in d.vector.values())) or 1.0
        d.entity_vector = {e: math.log((n + 1) / (edf[e] + 1)) + 1 for e in d.entities}
        d.entity_norm = math.sqrt(sum(v * v for v in d.entity_vector.values())) or 1.0


def _cosine(a: dict[Any, float], an: float, b: dict[Any, float], bn: float) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b) / (an * bn)


def _block_keys(doc: _Doc) -> list[object]:
    """What two articles must share to be compared at all: an entity or a top term.

    When both have entities and share none, the entity part of the similarity is 0,
    so the score is at most W_TEXT (< THRESHOLD); without entities, a cosine at the
    threshold is carried by the heaviest terms. Comparing only within these blocks
    keeps clustering linear in the batch instead of quadratic in the pool.
    """
    top = sorted(doc.vector.items(), key=lambda kv: (-kv[1], kv[0]))[:BLOCK_TERMS]
    return [*doc.entities, *(("term", w) for w, _ in top)]


def similarity(a: _Doc, b: _Doc) -> float:
    """Weighted mix of title+lead cosine and entity cosine, both IDF-weighted."""
    cosine = _cosine(a.vector, a.norm, b.vector, b.norm)
    if not a.entities or not b.entities:
        return cosine
    entity = _cosine(a.entity_vector, a.entity_norm, b.entity_vector, b.entity_norm)
    return W_TEXT * cosine + W_ENTITY * entity


def assign_stories(
    articles: list[Article],
    con: duckdb.DuckDBPyConnection | None,
    now: datetime | None = None,
) -> StageStats:
    """Set `story_id` on every article of the batch (duplicates take their canonical's)."""
    started = time.perf_counter()
    stats = StageStats("stories", records_in=len(articles), records_out=len(articles))
    now = _utc(now) or datetime.now(UTC)
    canon = [a for a in articles if not a.duplicate_of]

    def when(a: Article) -> datetime:
        return _utc(a.published_at) or _utc(a.fetched_at) or now

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
        entity_keys = sorted({f"{name}|{label}" for d in batch_docs for name, label in d.entities})
        keywords = sorted({k for a in canon for k, _ in a.keywords})
        for row in dedup_store.story_members(con, lo, hi, MAX_STORED, entity_keys, keywords):
            if row["article_id"] in batch_ids:
                continue
            stored_docs.append(
                _Doc(
                    row["article_id"],
                    row["story_id"],
                    _utc(row["time"]) or now,
                    _terms(row["title"], row["lead"]),
                    _entities(row["entities"]),
                )
            )
    _weigh(batch_docs + stored_docs)
    # Earliest first, so a story is started by its first report and later ones join it.
    order = sorted(range(len(batch_docs)), key=lambda k: (batch_docs[k].time, k))
    filed: list[_Doc] = []
    postings: dict[object, list[int]] = {}

    def file(doc: _Doc) -> None:
        for key in _block_keys(doc):
            postings.setdefault(key, []).append(len(filed))
        filed.append(doc)

    for doc in stored_docs:
        file(doc)
    for k in order:
        doc = batch_docs[k]
        best, best_sim = None, THRESHOLD
        # Only articles sharing an entity or a top term can reach the threshold.
        candidates = sorted({i for key in _block_keys(doc) for i in postings.get(key, ())})
        stats.extra["compared"] += len(candidates)
        for i in candidates:
            other = filed[i]
            if abs(other.time - doc.time) > WINDOW:
                continue
            sim = similarity(doc, other)
            if sim >= best_sim:
                best, best_sim = other, sim
        if best is not None:
            doc.story_id = best.story_id
            stats.extra["joined"] += 1
        else:
            doc.story_id = story_id_for(doc.article_id)
            stats.extra["started"] += 1
        file(doc)
    story_of = {d.article_id: d.story_id for d in batch_docs}
    for a in canon:
        a.story_id = story_of[a.article_id]
    _assign_duplicates(articles, story_of, con, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def _assign_duplicates(
    articles: list[Article],
    story_of: dict[str, str | None],
    con: duckdb.DuckDBPyConnection | None,
    stats: StageStats,
) -> None:
    dups = [a for a in articles if a.duplicate_of]
    missing = {a.duplicate_of for a in dups if a.duplicate_of not in story_of}
    stored: dict[str, Any] = dedup_store.stories_of(con, missing) if missing else {}
    for a in dups:
        canonical = a.duplicate_of or ""
        story = story_of.get(canonical) or stored.get(canonical)
        # A canonical filed nowhere (loaded before stories existed) names the story it starts.
        a.story_id = story or story_id_for(canonical)
        stats.extra["duplicates"] += 1


@task(name="stories", cache_policy=NO_CACHE)
def stories_task(articles: list[Article], db: str | None) -> tuple[list[Article], StageStats]:
    """Prefect wrapper: file the batch into stories stored in the warehouse at `db`."""
    if not db or not Path(db).exists():
        return articles, assign_stories(articles, None)
    with writer(db) as con:
        return articles, assign_stories(articles, con)
