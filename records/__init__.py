"""The two record types that flow between stages, and the per-stage counters.

A `Target` is what discovery hands to fetching, a `Page` what fetching hands to
cleaning, and an `Article` what cleaning hands to dedup, enrich and load. Each
stage takes a batch (a list) and returns a batch plus a `StageStats`, so the run
artifact can say what every stage did without the stages knowing about Prefect.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from records.redact import without_credentials


@dataclass(slots=True)
class Target:
    """A URL to fetch (or a local document to read), with what discovery learnt about it."""

    url: str
    source: str  # the feed / sitemap / list / directory it came from, for per-source counts
    published_hint: datetime | None = None  # from a news sitemap or feed entry
    title_hint: str | None = None
    path: str | None = None  # a local file (`--dir`, WARC) instead of a network fetch
    depth: int = 0  # link-following depth (0 = listed by the source)
    lastmod: datetime | None = None  # the listing's <lastmod>/<updated>: when it last changed

    def __post_init__(self) -> None:
        self.url = without_credentials(self.url)  # never sent, stored or logged


@dataclass(slots=True)
class Page:
    """One fetched (or read) document. `body` is None when there is nothing to process."""

    url: str  # what was asked for
    final_url: str  # after redirects
    source: str
    status: int  # HTTP status; 0 for a network failure, 200 for local files
    body: bytes | None = None
    content_type: str | None = None
    encoding: str | None = None  # charset declared by headers, if any
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None
    elapsed_ms: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    unchanged: bool = False  # a 304 on revalidation: nothing to do downstream
    error: str | None = None  # why there is no usable body
    published_hint: datetime | None = None
    title_hint: str | None = None


@dataclass(slots=True)
class Entity:
    name: str  # canonical name within the article
    label: str  # PERSON, ORG, GPE, LOC, NORP, EVENT, ...
    mentions: int
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Signature:
    """What dedup computed from an article's text, kept by the dedup index for later batches.

    `index_keys` are the keys the index files the article under: a key's position is its
    band number (the LSH bands, then the lead-shingle keys), and 0 means no key there.
    """

    bins: np.ndarray  # MinHash bins (uint32): equal bins estimate Jaccard similarity
    text_hash: int  # the normalised text's hash: equal for exact duplicates
    n_tokens: int  # words in the text (containment compares sizes)
    url_key: int  # hash of the canonical URL without scheme and www. (urls.url_key_hash)
    index_keys: np.ndarray  # uint64, one per band


@dataclass(slots=True)
class Article:
    """One article as cleaning extracted it; dedup and enrich fill in the rest."""

    article_id: str
    url: str
    canonical_url: str
    source: str  # host of the canonical URL (the outlet)
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    markdown: str | None = None
    word_count: int = 0
    content_hash: str = ""
    fetched_at: datetime | None = None
    feed_source: str | None = None  # the configured source that led to it
    etag: str | None = None
    last_modified: str | None = None
    paragraph_hashes: list[int] = field(default_factory=list)  # for cross-page boilerplate counts
    # dedup
    duplicate_of: str | None = None
    dup_method: str | None = None  # url | exact | near
    dup_similarity: float | None = None
    signature: Signature | None = None  # set by dedup, stored for later batches
    # enrich
    entities: list[Entity] = field(default_factory=list)
    keywords: list[tuple[str, float]] = field(default_factory=list)
    topics: list[tuple[str, float]] = field(default_factory=list)
    story_id: str | None = None


def article_id_for(canonical_url: str) -> str:
    """Stable id from the canonical URL, so re-ingesting a page updates rather than adds."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


@dataclass
class StageStats:
    """What one stage did to one batch: counts in and out, and why records were dropped."""

    stage: str
    records_in: int = 0
    records_out: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    extra: Counter[str] = field(default_factory=Counter)  # stage-specific counts

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] += n

    def merge(self, other: StageStats) -> StageStats:
        self.records_in += other.records_in
        self.records_out += other.records_out
        self.dropped.update(other.dropped)
        self.extra.update(other.extra)
        self.seconds += other.seconds
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "in": self.records_in,
            "out": self.records_out,
            "dropped": dict(self.dropped),
            "seconds": round(self.seconds, 3),
            **dict(self.extra),
        }
