"""Enrich stage: entities, keyphrases and subject categories for a batch of articles.

The default path is pure Python (rules, gazetteer, statistics, lexicon: see
`tasks.enrich.nlp` and `tasks.enrich.taxonomy`) so that enriching stays several times faster
than cleaning and never becomes the pipeline's bottleneck. `ner="spacy"` (what
`NEWSFLOW_NER=spacy` makes the flows pass) lets spaCy's small English model
relabel names found in each article's lead; it is loaded once per process, and
`ner="fast"` leaves out the CRF name model (rules only). `ner="accurate"` runs spaCy's NER
over each English article's prose and fuses it with the rules (`tasks.enrich.ner_accurate`):
the most accurate mode, at a spaCy pass per article. Non-English articles get
entities from `nlp.extract_entities(language=...)`: known names for de/fr/es/it/pt/nl,
none for other languages.
Duplicates are not analysed again: they copy their canonical's results when the
canonical is in the batch, and are left empty otherwise (the warehouse views
exclude duplicates anyway).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from records import Article, Entity, StageStats
from tasks.clean.language import detect_language
from tasks.context import StageContext
from tasks.enrich import ner_accurate, nlp
from tasks.enrich.keyphrases import NOUN_CAPITALS, noun_capital_segments
from tasks.enrich.taxonomy import classify
from tasks.parallel import pmap

MAX_KEYWORDS = 10


def article_language(language: str | None, text: str) -> str | None:
    """The article's ISO 639-1 code: the clean stage's (declared or detected), else detected."""
    code = (language or "").lower().split("-")[0].split("_")[0]
    return code or detect_language(text)


def _ner_mode(ner: str | None) -> str:
    """rules (the default), fast (rules without the CRF name model), spacy or accurate."""
    return (ner or "rules").lower()


def statistical_entities(
    mode: str, docs: list[tuple[str | None, str]], entities: list[list[Entity]]
) -> list[list[Entity]]:
    """English articles' rule entities after the statistical layer `mode` asks for.

    `spacy` lets spaCy relabel the names of each article's lead; `accurate` fuses spaCy's
    NER over the whole prose with the rules (`tasks.enrich.ner_accurate`); other modes
    return the rule entities. `ingest` and `extract` both go through here.
    """
    if not docs or mode not in ("spacy", "accurate"):
        return entities
    if mode == "spacy":
        return nlp.spacy_relabel(docs, entities)
    return ner_accurate.extract_accurate(docs, entities)


def _hints(article: Article) -> list[str]:
    """Section, tags and URL path words: editors' own filing is strong topic evidence."""
    hints = [article.section or "", *article.tags]
    path = urlsplit(article.canonical_url or article.url).path
    hints.extend(p for p in re.split(r"[/_\-.]", path) if p.isalpha() and len(p) > 3)
    return [h for h in hints[:3] + hints[3:12] if h]


def _entities(
    title: str | None, text: str, language: str | None, model: bool = True
) -> list[Entity]:
    """English: rules and the name model; de/fr/es/it/pt/nl: known names only; else none."""
    return nlp.extract_entities(title, text, language=language or "und", model=model)


def analyse(
    title: str | None,
    text: str,
    hints: list[str] | None = None,
    language: str | None = "en",
    model: bool = True,
) -> tuple[list[Entity], list[tuple[str, float]], list[tuple[str, float]]]:
    """Entities, keyphrases and topics of one text in `language` (ISO 639-1).

    The one analysis both `ingest` (enrich_batch) and `extract` (enrich_text) run, so the
    same page gets the same topics from either. Keyphrases and topics say nothing rather
    than guess in a language they have no word lists for (see warehouse/TOPICS.md).
    `model` False leaves the CRF name model out (`ner="fast"`).
    """
    entities = _entities(title, text, language, model)
    keywords = nlp.extract_keyphrases(
        title, text, top=MAX_KEYWORDS, entities=entities, language=language
    )
    if language in NOUN_CAPITALS:
        prose = "\n".join(noun_capital_segments(text))
    else:
        prose = "\n".join(nlp.prose_segments(text))
    topics = classify(prose, title, hints, language=language)
    return entities, keywords, topics


def enrich_text(
    title: str | None,
    text: str,
    *,
    ner: str | None = None,
    language: str | None = None,
    hints: list[str] | None = None,
) -> dict[str, Any]:
    """The `newsflow extract` contract: entities, keywords and topics as plain JSON values.

    `language` is the article's (detected from the text when not given) and `hints` its
    section, tags and URL words, as `enrich_batch` uses them.
    """
    language = article_language(language, text)
    mode = _ner_mode(ner)
    entities, keywords, topics = analyse(title, text, hints, language, mode != "fast")
    if language == "en":
        entities = statistical_entities(mode, [(title, text)], [entities])[0]
    return {
        "entities": [
            {"name": e.name, "label": e.label, "mentions": e.mentions, "aliases": e.aliases}
            for e in entities
        ],
        "keywords": [{"keyword": k, "score": s} for k, s in keywords],
        "topics": [{"topic": t, "score": s} for t, s in topics],
    }


def enrich_article(article: Article, *, ner: str | None = None) -> dict[str, Any]:
    """`enrich_text` with the article's own language and topic hints (what `extract` runs)."""
    return enrich_text(
        article.title, article.text, ner=ner, language=article.language, hints=_hints(article)
    )


def _analyse_item(
    item: tuple[str | None, str, list[str], str | None, bool],
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
        analysed.append(article)
    languages = [article_language(a.language, a.text or "") for a in analysed]
    for lang in languages:
        stats.extra[f"lang_{lang or 'unknown'}"] += 1
        stats.extra["non_english"] += lang != "en"
    model = _ner_mode(ner) != "fast"
    items = [
        (a.title, a.text, _hints(a), lang, model)
        for a, lang in zip(analysed, languages, strict=True)
    ]
    results = pmap(_analyse_item, items, workers, purpose="enrich")
    for article, (entities, keywords, topics) in zip(analysed, results, strict=True):
        article.entities, article.keywords, article.topics = entities, keywords, topics
    english = [a for a, lang in zip(analysed, languages, strict=True) if lang == "en"]
    mode = _ner_mode(ner)
    if english and mode in ("spacy", "accurate"):
        relabelled = statistical_entities(
            mode, [(a.title, a.text) for a in english], [a.entities for a in english]
        )
        for article, ents in zip(english, relabelled, strict=True):
            article.entities = ents
        stats.extra[mode] += len(english)
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
