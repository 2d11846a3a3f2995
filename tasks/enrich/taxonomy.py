"""Subject categories: the IPTC Media Topics top level, scored by a weighted lexicon.

Why a lexicon: it runs offline with no training data at tens of thousands of words
per millisecond-scale budget, every decision can be traced to the words that made
it, and analysts can read (and extend) the word lists. Each topic lists cue
terms; `term*` matches any word starting with `term`, a two-word term matches the
pair, `term^` counts double (strongly diagnostic) and `term?` half (common in news of
every kind: "million", "win"). A title word counts three times, and a section or URL
path that names a topic counts as strong evidence.

Languages: English, German, French, Spanish, Italian, Portuguese and Dutch, one data file
each in `tasks/enrich/lexicons/` (`subjects-<language>.txt`; `~term` also matches compounds
ending in `term`). In any other language the text is not read: topics come from the
section and URL hints only.

Scoring: each topic's weight is the sum of its cue hits; the score is that weight's
share of all hits, damped by how much evidence there is at all, so a short text
with two weak cues does not get a confident label. Topics at least half as strong
as the best one (and above an absolute floor) are reported, at most four.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from functools import lru_cache

from tasks.enrich.lexicons import sections

# slug -> (IPTC Media Topic code, IPTC name)
TAXONOMY: dict[str, tuple[str, str]] = {
    "arts": ("medtop:01000000", "arts, culture, entertainment and media"),
    "crime": ("medtop:02000000", "crime, law and justice"),
    "disaster": ("medtop:03000000", "disaster, accident and emergency incident"),
    "economy": ("medtop:04000000", "economy, business and finance"),
    "education": ("medtop:05000000", "education"),
    "environment": ("medtop:06000000", "environment"),
    "health": ("medtop:07000000", "health"),
    "human_interest": ("medtop:08000000", "human interest"),
    "labour": ("medtop:09000000", "labour"),
    "lifestyle": ("medtop:10000000", "lifestyle and leisure"),
    "politics": ("medtop:11000000", "politics and government"),
    "religion": ("medtop:12000000", "religion"),
    "science": ("medtop:13000000", "science and technology"),
    "society": ("medtop:14000000", "society"),
    "sport": ("medtop:15000000", "sport"),
    "conflict": ("medtop:16000000", "conflict, war and peace"),
    "weather": ("medtop:17000000", "weather"),
}

_Compiled = tuple[
    dict[str, list[tuple[str, float]]],
    list[tuple[str, str, float]],
    list[tuple[str, str, float]],
    dict[tuple[str, str], list[tuple[str, float]]],
]


def _compile(lexicon: dict[str, str]) -> _Compiled:
    exact: dict[str, list[tuple[str, float]]] = {}
    prefixes: list[tuple[str, str, float]] = []
    suffixes: list[tuple[str, str, float]] = []
    pairs: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for topic, block in lexicon.items():
        for term in block.split():
            weight = 2.0 if term.endswith("^") else 0.5 if term.endswith("?") else 1.0
            term = term.rstrip("^?")
            if "_" in term:
                a, b = term.rstrip("*").split("_", 1)
                pairs.setdefault((a, b), []).append((topic, weight))
            elif term.startswith("~"):
                suffixes.append((term[1:], topic, weight))
            elif term.endswith("*"):
                prefixes.append((term[:-1], topic, weight))
            else:
                exact.setdefault(term, []).append((topic, weight))
    return exact, prefixes, suffixes, pairs


# Languages whose text is read for subjects; any other gets topics from hints only. Each
# one's cue words are a data file, tasks/enrich/lexicons/subjects-<language>.txt.
LEXICONS: dict[str, dict[str, str]] = {
    lang: {topic: " ".join(cues) for topic, cues in sections(f"subjects-{lang}").items()}
    for lang in ("en", "de", "fr", "es", "it", "pt", "nl")
}
SUBJECT_LANGUAGES = tuple(LEXICONS)
_COMPILED: dict[str, _Compiled] = {lang: _compile(lex) for lang, lex in LEXICONS.items()}
# Digits stay inside a word: "MP3" is not "mp" (a Member of Parliament).
_WORD = re.compile(r"[a-z][a-z0-9'\-]+")
_WORD_ANY = re.compile(r"[^\W\d_][\w'\-]+")


@lru_cache(maxsize=400_000)
def _cues(word: str, language: str = "en") -> tuple[tuple[str, float], ...]:
    """The topics one lowercase word points to (cached: a news vocabulary repeats a lot).

    A suffix cue (German and Dutch compounds) needs a longer word than itself: the word
    alone is listed as an exact or prefix cue where it is one.
    """
    exact, prefixes, suffixes, _ = _COMPILED[language]
    hits = dict(exact.get(word, ()))
    for prefix, topic, weight in prefixes:
        if word.startswith(prefix) and topic not in hits:
            hits[topic] = weight
    for suffix, topic, weight in suffixes:
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and topic not in hits:
            hits[topic] = weight
    return tuple(hits.items())


# "Labour" the party (UK, Australia, ...) is politics; "labour" the work is the labour topic.
_LABOUR_PARTY = re.compile(
    r"\bLabou?r(?!\s+(?:market|force|costs?|shortage|day|Day|law|laws|union|unions|rights"
    r"|relations|Department|Ministry|ministry|department|statistics|camp|camps)\b)"
)


# Names that would read as cue words once lowercased: "Steve Jobs" is no labour-market story
# and "Bill Gates" no legislation.
_NAME_CUES = re.compile(r"\b(?:(?:Steve|Mr\.?)\s+Jobs|Bill(?=\s+[A-Z][a-z]))\b")


def topic_weights(
    text: str,
    title: str | None = None,
    hints: list[str] | None = None,
    language: str | None = "en",
) -> dict[str, float]:
    """Raw cue weight per topic for one article; the text is read only in a covered language."""
    weights: defaultdict[str, float] = defaultdict(float)
    lang = language if language in _COMPILED else None
    parts = ((text, 1.0), (title or "", 3.0)) if lang else ()
    for part, factor in parts:
        assert lang is not None  # parts is empty without a covered language
        if lang == "en":
            # The substitutions cost as much as the tokenising: only run them when they can match.
            if "Labo" in part:
                part = _LABOUR_PARTY.sub("labourparty", part)
            if "Jobs" in part or "Bill" in part:
                part = _NAME_CUES.sub("person", part)
            words = _WORD.findall(part.lower())
        else:
            words = _WORD_ANY.findall(part.lower())
        pairs = _COMPILED[lang][3]
        for word in words:
            for topic, w in _cues(word, lang):
                weights[topic] += w * factor
        for a, b in itertools.pairwise(words):
            for topic, w in pairs.get((a, b), ()):
                weights[topic] += 2.0 * w * factor
    # Hints (section, tags, URL words) are often English even on other-language sites.
    hint_langs = {"en", lang or "en"}
    for hint in hints or ():
        for word in _WORD_ANY.findall(hint.lower()):
            for topic in {t for code in hint_langs for t, _ in _cues(word, code)}:
                weights[topic] += 15.0
    return weights


# The subjects news desks are organised by. An article's other topics are usually aspects of
# its story: a company's court case is business news with a crime aspect, a minister's
# hospital plan politics with a health one. So when the strongest topic is an aspect and a
# desk topic has at least DESK_RATIO of its weight, the desk topic is reported first, with
# the first score (the set of topics and of scores does not change). An aspect named by the
# page's own section or URL stays first. Measured on the dev sets (AG News, the
# hand-annotated texts, the demo site): 0.55-0.7 all give the same gain; 0.5 starts to
# reorder generated demo articles.
DESKS = frozenset({"politics", "economy", "sport", "arts", "science", "conflict"})
DESK_RATIO = 0.6


def _hinted(hints: list[str], language: str | None) -> set[str]:
    return set(topic_weights("", None, hints, language))


def classify(
    text: str,
    title: str | None = None,
    hints: list[str] | None = None,
    *,
    language: str | None = "en",
    max_topics: int = 4,
    relative: float = 0.5,
    floor: float = 0.1,
) -> list[tuple[str, float]]:
    """Multi-label subject categories with scores in [0, 1], best first (a desk topic close
    to an aspect topic counts as the better one: see DESKS).

    The best topic is reported on any real evidence (one ordinary cue word or more), with
    the low score that little evidence earns: a weak guess at the subject is worth more to
    a reader than none, and the score says how weak it is. Further topics need `floor`.
    """
    weights = topic_weights(text, title, hints, language)
    total = sum(weights.values())
    if total <= 0:
        return []
    # Confidence grows with evidence: ~0.5 at 10 cue points, ~0.9 at 45.
    confidence = 1.0 - math.exp(-total / 20.0)
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    best = ranked[0][1]
    out: list[tuple[str, float]] = []
    for topic, weight in ranked[:max_topics]:
        share = weight / total
        score = round(min(1.0, share * confidence * 2.0), 4)
        if not out and weight >= 1.0:
            out.append((topic, max(score, 0.01)))
        elif weight >= relative * best and score >= floor:
            out.append((topic, score))
    if out and out[0][0] not in DESKS and not (hints and out[0][0] in _hinted(hints, language)):
        for i, (topic, _) in enumerate(out[1:], 1):
            if topic in DESKS and weights[topic] >= DESK_RATIO * best:
                # The same topics and scores; the desk topic takes the first place and score.
                order = [topic] + [t for j, (t, _) in enumerate(out) if j != i]
                out = list(zip(order, [score for _, score in out], strict=True))
                break
    return out
