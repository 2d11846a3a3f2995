"""Dedup stage: mark URL, exact and near duplicates within a batch and against the warehouse.

Articles stay in the batch (duplicates are loaded too, marked), so analysts can see
every copy while views show one. The earliest-seen article of a group is canonical:
anything already stored beats the batch, and within the batch the first one wins.
Method, thresholds and their arithmetic: warehouse/DEDUP.md.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from records import Article, Signature, StageStats
from records.times import as_utc
from tasks.context import StageContext
from tasks.crawl.urls import url_key_hash
from tasks.dedup import minhash
from warehouse import dedup_store
from warehouse.store import warehouse_exists, writer

NEAR_THRESHOLD = 0.5  # estimated Jaccard of 5-word shingles to call two texts the same
CONTAIN_THRESHOLD = 0.8  # share of a shorter text's shingles found in a longer one (teasers)
CONTAIN_RATIO = 1.5  # the longer text must be this much longer for the containment check
CONTAIN_Z = 3.0  # standard errors of MinHash noise tolerated before skipping a containment check
MIN_TOKENS = 25  # texts shorter than this are only matched by URL (stubs, paywall notices)
MAX_CANDIDATES = 50  # stored band candidates verified per article, most shared bands first
# Stored docs read per probed key, the newest first. A key shared by thousands of stored
# articles comes from template text (a standard sign-off, a recurring lead); it says
# nothing about which of them a new article copies, and reading all of them made the
# stage grow with the corpus (84,000 rows fetched for one batch at 100k articles). True
# copies still meet on their rarer bands, and copies of one story point to one root.
MAX_KEY_DOCS = 32

_RANK = {"url": 3, "exact": 2, "near": 1, "contained": 0}


@dataclass
class _Match:
    root: str
    method: str
    similarity: float
    stored: bool


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    words = minhash.tokens(text)
    k = minhash.SHINGLE
    return {tuple(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


def containment(short: str, long: str) -> float:
    """Share of `short`'s shingles that also occur in `long` (exact, for a few pairs)."""
    return _contained(_shingle_set(short), _shingle_set(long))


def _contained(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a) if a else 0.0


def _better(new: _Match, old: _Match | None) -> bool:
    if old is None:
        return True
    if _RANK[new.method] != _RANK[old.method]:
        return _RANK[new.method] > _RANK[old.method]
    if new.similarity != old.similarity:
        return new.similarity > old.similarity
    return new.stored and not old.stored  # stored articles were seen first


def dedup_batch(
    articles: list[Article], con: duckdb.DuckDBPyConnection | None
) -> tuple[list[Article], StageStats]:
    """Fill duplicate_of / dup_method / dup_similarity / signature on every article.

    `con` is read only; None (or a warehouse without dedup tables) means nothing is stored.
    """
    started = time.perf_counter()
    stats = StageStats("dedup", records_in=len(articles), records_out=len(articles))
    n = len(articles)
    if not n:
        return articles, stats
    sk = minhash.sketch([a.text or "" for a in articles])
    sigs = sk.signatures
    bands = minhash.band_keys(sigs)
    text_hashes = [int(x) for x in sk.text_hashes]
    lead_keys = [[int(x) for x in row if x] for row in sk.lead_keys]
    n_tokens = [int(x) for x in sk.n_tokens]
    url_keys = [
        {url_key_hash(a.canonical_url), url_key_hash(a.url)} if a.url else set() for a in articles
    ]
    index_keys = np.concatenate([bands, sk.lead_keys], axis=1)  # lead keys from LEAD_BAND on
    for i, a in enumerate(articles):
        if n_tokens[i]:
            a.signature = Signature(
                sigs[i], text_hashes[i], n_tokens[i], url_key_hash(a.canonical_url), index_keys[i]
            )
    eligible = [t >= minhash.SHINGLE and t >= MIN_TOKENS for t in n_tokens]

    stored = _StoredView(con) if con is not None and dedup_store.has_state(con) else None
    if stored is not None:
        stored.lookup(articles, bands, text_hashes, lead_keys, url_keys, eligible)

    by_url: dict[int, int] = {}
    by_text: dict[int, int] = {}
    by_band: dict[int, list[int]] = defaultdict(list)
    first_of_id: dict[str, int] = {}
    root: list[str] = []
    for i, a in enumerate(articles):
        if a.article_id in first_of_id:  # the same page twice: one article, decided once
            j = first_of_id[a.article_id]
            a.duplicate_of = articles[j].duplicate_of
            a.dup_method = articles[j].dup_method
            a.dup_similarity = articles[j].dup_similarity
            root.append(root[j])
            stats.extra["same_id"] += 1
            continue
        first_of_id[a.article_id] = i
        best: _Match | None = None
        if stored is not None and a.article_id in stored.known:
            mark = stored.info.get(a.article_id, {})
            if mark.get("duplicate_of"):  # re-fetched: keep the decision made when first seen
                best = _Match(mark["duplicate_of"], mark["method"], mark["similarity"] or 1.0, True)
                stats.extra["kept"] += 1
        else:
            if stored is not None:
                for cand in stored.matches(i):
                    if cand.root != a.article_id and _better(cand, best):
                        best = cand
            for m in _batch_matches(
                i,
                articles,
                sigs,
                bands,
                text_hashes,
                lead_keys,
                n_tokens,
                url_keys,
                eligible,
                by_url,
                by_text,
                by_band,
                root,
            ):
                if m.root != a.article_id and _better(m, best):
                    best = m
        if best is not None:
            a.duplicate_of, a.dup_method, a.dup_similarity = best.root, best.method, best.similarity
            stats.extra[best.method] += 1
            _propagate_update(a, articles, first_of_id)
        else:
            a.duplicate_of = a.dup_method = a.dup_similarity = None
        root.append(a.duplicate_of or a.article_id)
        for key in url_keys[i]:
            by_url.setdefault(key, i)
        if eligible[i]:
            by_text.setdefault(text_hashes[i], i)
            for key in bands[i].tolist():
                by_band[key].append(i)
            for key in lead_keys[i]:
                by_band[key].append(i)
    stats.extra["duplicates"] = sum(1 for a in articles if a.duplicate_of)
    stats.seconds = time.perf_counter() - started
    return articles, stats


def _batch_matches(
    i: int,
    articles: list[Article],
    sigs: np.ndarray,
    bands: np.ndarray,
    text_hashes: list[int],
    lead_keys: list[list[int]],
    n_tokens: list[int],
    url_keys: list[set[int]],
    eligible: list[bool],
    by_url: dict[int, int],
    by_text: dict[int, int],
    by_band: dict[int, list[int]],
    root: list[str],
) -> list[_Match]:
    """Matches of article i among the batch's earlier articles."""
    out: list[_Match] = []
    for key in url_keys[i]:
        if key in by_url:
            out.append(_Match(root[by_url[key]], "url", 1.0, False))
    if not eligible[i]:
        return out
    if text_hashes[i] in by_text:
        out.append(_Match(root[by_text[text_hashes[i]]], "exact", 1.0, False))
        return out
    cands: set[int] = set()
    for key in bands[i].tolist():
        cands.update(by_band.get(key, ()))
    for key in lead_keys[i]:
        cands.update(by_band.get(key, ()))
    for j in sorted(cands):
        sim = float(minhash.similarity(sigs[i], sigs[j]))
        if sim >= NEAR_THRESHOLD:
            out.append(_Match(root[j], "near", sim, False))
        elif _size_ratio(n_tokens[i], n_tokens[j]) >= CONTAIN_RATIO and _may_contain(
            sim, n_tokens[i], n_tokens[j]
        ):
            short, long = sorted((articles[i].text, articles[j].text), key=len)
            c = containment(short, long)
            if c >= CONTAIN_THRESHOLD:
                out.append(_Match(root[j], "contained", c, False))
    return out


def _size_ratio(a: int, b: int) -> float:
    return max(a, b) / max(1, min(a, b))


def _may_contain(similarity: float, n_a: int, n_b: int) -> bool:
    """Whether the signatures leave room for the shorter text to be contained in the other.

    If a fraction C of the shorter text's shingles lie in a text r times longer, their
    Jaccard is J = C / (r + 1 - C); at C = CONTAIN_THRESHOLD that is the least J a
    contained pair can have. The signatures estimate J over NUM_BINS bins with standard
    error sqrt(J (1 - J) / NUM_BINS), so an estimate more than CONTAIN_Z errors below
    that least J (a 0.1 % chance for a contained pair) is not checked on the texts.
    r = 1.5: skipped below 0.34; r = 3: below 0.14; r = 10: below 0.01 (almost never).
    Candidates from the bands of unrelated texts with a shared vocabulary were the
    stage's main cost: every check splits two whole texts into shingles.
    """
    r = _size_ratio(n_a, n_b)
    least = CONTAIN_THRESHOLD / (r + 1 - CONTAIN_THRESHOLD)
    error = (least * (1 - least) / minhash.NUM_BINS) ** 0.5
    return similarity >= least - CONTAIN_Z * error


def _propagate_update(a: Article, articles: list[Article], first_of_id: dict[str, int]) -> None:
    """A newer version from the same outlet moves its in-batch canonical's modified_at."""
    if a.dup_method not in ("near", "contained") or a.modified_at is None:
        return
    j = first_of_id.get(a.duplicate_of or "")
    if j is None:
        return
    canonical = articles[j]
    if canonical.source == a.source and (
        canonical.modified_at is None or as_utc(canonical.modified_at) < as_utc(a.modified_at)
    ):
        canonical.modified_at = a.modified_at


class _StoredView:
    """The batch's matches against the warehouse, fetched with a few set-based queries."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.known: set[str] = set()
        self.info: dict[str, dict[str, Any]] = {}
        self._matches: dict[int, list[_Match]] = defaultdict(list)

    def matches(self, i: int) -> list[_Match]:
        return self._matches.get(i, [])

    def _root(self, article_id: str) -> str:
        info = self.info.get(article_id)
        return (info or {}).get("duplicate_of") or article_id

    def lookup(
        self,
        articles: list[Article],
        bands: np.ndarray,
        text_hashes: list[int],
        lead_keys: list[list[int]],
        url_keys: list[set[int]],
        eligible: list[bool],
    ) -> None:
        """Probe the process's key index, then verify every hit against the warehouse rows."""
        con = self.con
        index = dedup_store.key_index(con)
        ids = [a.article_id for a in articles]
        idx = [i for i in range(len(articles)) if eligible[i]]
        uq = [(i, k) for i, keys in enumerate(url_keys) for k in keys]
        lead = [(i, k) for i in idx for k in lead_keys[i]]
        # One probe for every key of the batch; `owner`/`kind` say whose key and what it is.
        parts = [
            (np.arange(len(ids)), dedup_store.kind_keys("id", dedup_store.id_hashes(con, ids)), 0),
            (
                np.array([i for i, _ in uq], np.int64),
                dedup_store.kind_keys("url", np.array([k for _, k in uq], np.uint64)),
                1,
            ),
            (
                np.array(idx, np.int64),
                dedup_store.kind_keys("text", np.array([text_hashes[i] for i in idx], np.uint64)),
                2,
            ),
            (
                np.repeat(np.array(idx, np.int64), minhash.BANDS),
                bands[idx].ravel() if idx else np.zeros(0, np.uint64),
                3,
            ),
            (
                np.array([i for i, _ in lead], np.int64),
                np.array([k for _, k in lead], np.uint64),
                3,
            ),
        ]
        owner = np.concatenate([p[0] for p in parts]).astype(np.int64)
        keys = np.concatenate([np.asarray(p[1], np.uint64) for p in parts])
        kind = np.concatenate([np.full(len(p[0]), p[2], np.int8) for p in parts])
        pos, docs = index.probe(keys, MAX_KEY_DOCS)
        rows = dedup_store.fetch_docs(con, docs.tolist())
        url_hits: set[tuple[int, str]] = set()
        text_hits: set[tuple[int, str]] = set()
        shared: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for p, d in zip(pos.tolist(), docs.tolist(), strict=True):
            row = rows.get(d)
            if row is None:
                continue
            qi, k, aid = int(owner[p]), int(kind[p]), row["article_id"]
            if k == 0 and aid == ids[qi]:
                self.known.add(aid)
                self.info[aid] = row
            elif k == 1 and row["url_key"] in url_keys[qi]:
                url_hits.add((qi, aid))
            elif k == 2 and row["text_hash"] == text_hashes[qi]:
                text_hits.add((qi, aid))
            elif k == 3:
                shared[qi][aid] += 1  # band-key top bits agree; the signature decides below
        band_hits = {
            qi: sorted(((n, aid) for aid, n in c.items()), key=lambda x: (-x[0], x[1]))[
                :MAX_CANDIDATES
            ]
            for qi, c in shared.items()
        }
        for row in rows.values():
            self.info.setdefault(row["article_id"], row)
        for qi, aid in sorted(url_hits):
            self._matches[qi].append(_Match(self._root(aid), "url", 1.0, True))
        for qi, aid in sorted(text_hits):
            self._matches[qi].append(_Match(self._root(aid), "exact", 1.0, True))
        sigs_needed = []
        for qi, hits in band_hits.items():
            a = articles[qi]
            if a.signature is None:
                continue
            sig, n_a = a.signature.bins, a.signature.n_tokens
            found = [
                (aid, self.info[aid]) for _, aid in hits if aid != a.article_id and aid in self.info
            ]
            if not found:
                continue
            sims = np.asarray(
                minhash.similarity(sig, np.stack([info["signature"] for _, info in found]))
            )
            for (aid, info), sim in zip(found, sims.tolist(), strict=True):
                if sim >= NEAR_THRESHOLD:
                    self._matches[qi].append(_Match(self._root(aid), "near", sim, True))
                else:
                    n_b = info["n_tokens"]
                    if _size_ratio(n_a, n_b) >= CONTAIN_RATIO and _may_contain(sim, n_a, n_b):
                        sigs_needed.append((qi, aid))
        if sigs_needed:
            texts = dedup_store.stored_texts(con, {aid for _, aid in sigs_needed})
            # An article meets up to MAX_CANDIDATES stored texts here, and a stored text
            # many articles: each is split into shingles once.
            shingles: dict[tuple[bool, Any], set[tuple[str, ...]]] = {}

            def shingled(stored: bool, key: Any, text: str) -> set[tuple[str, ...]]:
                if (stored, key) not in shingles:
                    shingles[(stored, key)] = _shingle_set(text)
                return shingles[(stored, key)]

            for qi, aid in sigs_needed:
                if aid not in texts:
                    continue
                mine = (shingled(False, qi, articles[qi].text), len(articles[qi].text))
                theirs = (shingled(True, aid, texts[aid]), len(texts[aid]))
                (short, _), (long, _) = sorted((mine, theirs), key=lambda x: x[1])
                c = _contained(short, long)
                if c >= CONTAIN_THRESHOLD:
                    self._matches[qi].append(_Match(self._root(aid), "contained", c, True))


def dedup_stage(articles: list[Article], ctx: StageContext) -> tuple[list[Article], StageStats]:
    """The stage: dedup a batch against the warehouse (none, or no file yet: nothing stored)."""
    if not ctx.db or not warehouse_exists(ctx.db):
        return dedup_batch(articles, None)
    with writer(ctx.db, memory=ctx.duckdb_memory) as con:
        return dedup_batch(articles, con)
