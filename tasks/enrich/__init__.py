"""Enrich stage: entities, keyphrases and subject categories for a batch of articles.

The default path is pure Python (rules, gazetteer, statistics, lexicon: see
`tasks.enrich.nlp` and `tasks.enrich.taxonomy`) so that enriching stays several times faster
than cleaning and never becomes the pipeline's bottleneck. Set
`NEWSFLOW_NER=spacy` (or pass `ner="spacy"`) to let spaCy's small English model
relabel names found in each article's lead; it is loaded once per process, and
`NEWSFLOW_NER=fast` leaves out the CRF name model (rules only). Non-English articles get
entities from `nlp.extract_entities(language=...)`: known names for de/fr/es/it/pt/nl,
none for other languages.
Duplicates are not analysed again: they copy their canonical's results when the
canonical is in the batch, and are left empty otherwise (the warehouse views
exclude duplicates anyway).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from records import Article, Entity, StageStats
from tasks.context import StageContext
from tasks.enrich import nlp
from tasks.enrich.nlp_gazetteer import words
from tasks.enrich.taxonomy import classify
from tasks.parallel import pmap

MAX_KEYWORDS = 10
_EN_STOP = frozenset(
    words("the of and to in a is that for on with was as by it from at be this are")
)


def _looks_english(text: str) -> bool:
    """Stopword share on the first words; the rules and lexicons are English-only."""
    words = re.findall(r"[a-zA-Z]+", text[:3000].lower())
    if len(words) < 20:
        return True
    return sum(1 for w in words if w in _EN_STOP) / len(words) >= 0.12


def _ner_mode(ner: str | None) -> str:
    return (ner or os.environ.get("NEWSFLOW_NER") or "rules").lower()


def _hints(article: Article) -> list[str]:
    """Section, tags and URL path words: editors' own filing is strong topic evidence."""
    hints = [article.section or "", *article.tags]
    path = urlsplit(article.canonical_url or article.url).path
    hints.extend(p for p in re.split(r"[/_\-.]", path) if p.isalpha() and len(p) > 3)
    return [h for h in hints[:3] + hints[3:12] if h]


def analyse(
    title: str | None, text: str, hints: list[str] | None = None
) -> tuple[list[Entity], list[tuple[str, float]], list[tuple[str, float]]]:
    """Rule-based entities, keyphrases and topics of one English text."""
    entities = nlp.extract_entities(title, text)
    keywords = nlp.extract_keyphrases(title, text, top=MAX_KEYWORDS, entities=entities)
    prose = "\n".join(nlp.prose_segments(text))
    topics = classify(prose, title, hints)
    return entities, keywords, topics


def enrich_text(
    title: str | None, text: str, *, ner: str | None = None, language: str | None = None
) -> dict[str, Any]:
    """The `newsflow extract` contract: entities, keywords and topics as plain JSON values."""
    entities, keywords, topics = analyse(title, text)
    if (language and not language.lower().startswith("en")) or (
        not language and not _looks_english(text)
    ):
        # The same choice as the enrich stage makes for a non-English article.
        entities = nlp.extract_entities(title, text, language=language or "und")
        keywords = []
    elif _ner_mode(ner) == "spacy":
        entities = nlp.spacy_relabel([(title, text)], [entities])[0]
    return {
        "entities": [
            {"name": e.name, "label": e.label, "mentions": e.mentions, "aliases": e.aliases}
            for e in entities
        ],
        "keywords": [{"keyword": k, "score": s} for k, s in keywords],
        "topics": [{"topic": t, "score": s} for t, s in topics],
    }


def _analyse_item(
    item: tuple[str | None, str, list[str]],
) -> tuple[list[Entity], list[tuple[str, float]], list[tuple[str, float]]]:
    return analyse(*item)


def enrich_batch(
    articles: list[Article], *, ner: str | None = None, workers: int = 0
) -> tuple[list[Article], StageStats]:
    """Fill entities, keywords and topics in place; returns the same articles and counters.

    With `workers` > 1 the per-article analysis runs in worker processes.
    """
    started = time.perf_counter()
    stats = StageStats("enrich", records_in=len(articles))
    by_id = {a.article_id: a for a in articles}
    analysed: list[Article] = []
    for article in articles:
        if article.duplicate_of:
            continue
        if not (article.text or "").strip() and not article.title:
            stats.extra["empty"] += 1
            continue
        if (article.language and not article.language.lower().startswith("en")) or (
            not article.language and not _looks_english(article.text)
        ):
            # Only topics from URL/section hints: the word lists are English. Entities come
            # from the article's language's rules (known names), or none if not covered.
            article.entities = nlp.extract_entities(
                article.title, article.text, language=article.language or "und"
            )
            article.keywords = []
            article.topics = classify("", None, _hints(article))
            stats.extra["non_english"] += 1
            continue
        analysed.append(article)
    items = [(a.title, a.text, _hints(a)) for a in analysed]
    results = pmap(_analyse_item, items, workers, purpose="enrich")
    for article, (entities, keywords, topics) in zip(analysed, results, strict=True):
        article.entities, article.keywords, article.topics = entities, keywords, topics
    if analysed and _ner_mode(ner) == "spacy":
        relabelled = nlp.spacy_relabel(
            [(a.title, a.text) for a in analysed], [a.entities for a in analysed]
        )
        for article, ents in zip(analysed, relabelled, strict=True):
            article.entities = ents
        stats.extra["spacy"] += len(analysed)
    for article in articles:
        if not article.duplicate_of:
            continue
        canonical = by_id.get(article.duplicate_of)
        if canonical is not None and not canonical.duplicate_of:
            article.entities = [Entity(**asdict(e)) for e in canonical.entities]
            article.keywords = list(canonical.keywords)
            article.topics = list(canonical.topics)
            stats.extra["copied_from_canonical"] += 1
        else:
            stats.extra["duplicate_skipped"] += 1
    stats.extra["analysed"] += len(analysed)
    stats.extra["entities"] += sum(len(a.entities) for a in analysed)
    stats.records_out = len(articles)
    stats.seconds = time.perf_counter() - started
    return articles, stats


def enrich_stage(articles: list[Article], ctx: StageContext) -> tuple[list[Article], StageStats]:
    """The stage. It reads no warehouse state: cross-warehouse name normalisation happens at
    load time (`warehouse.topics_store.write_batch`), inside the batch's transaction."""
    return enrich_batch(articles, ner=ctx.ner, workers=ctx.workers)
