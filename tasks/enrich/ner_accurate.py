"""`NEWSFLOW_NER=accurate`: spaCy's statistical NER over the article's prose, fused with our rules.

The rules (`tasks.enrich.nlp.extract_entities`) are precise but miss names that appear
once and that no list or cue explains; spaCy's small English model finds those but also
tags everyday words, dates and headline fragments, and labels clubs and companies by
guesswork. This mode runs both and lets each do what it is good at:

- spaCy reads the article's prose paragraphs (the rules' `prose_segments`, whole paragraphs
  up to `MAX_CHARS`), NER only, in `nlp.pipe` batches: spans for recall;
- a span is cleaned ("the", a possessive, edge punctuation) and dropped when it cannot be a
  name (no capital, a number, a date word, a lone stop word);
- a span that is a name or alias the rules already found joins that entity, a lone surname
  joins the person named in full, a gazetteer form takes the gazetteer's canonical name;
- labels: the gazetteer's wherever it knows the name, else the rules' when they had
  evidence of their own, else spaCy's majority label;
- rule entities spaCy did not see are kept (headlines, datelines and results rows, which
  spaCy does not read, give names only the rules find).

It costs a spaCy pass per article (see warehouse/TOPICS.md, Speed), so it is a setting, not
the default. Decisions were made on the dev part of `tests/bench/ner.py` only.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from records import Entity
from tasks.enrich import ner_lexicon as lex
from tasks.enrich import nlp
from tasks.enrich import nlp_gazetteer as gz

# Characters of prose one article gives spaCy (whole paragraphs): every ordinary article,
# while a book-length page cannot make one batch slow.
MAX_CHARS = 20_000
# The accurate mode lists more of a long article's names than the default's 40.
MAX_ENTITIES = 60
_DATE_WORDS = frozenset(
    gz.words(
        "January February March April May June July August September October November December "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tonight Yesterday"
    )
)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_GLUE = re.compile(r",\s+|\s*[()]\s*")


def model_text(text: str, max_chars: int = MAX_CHARS) -> str:
    """The prose spaCy reads: the rules' prose paragraphs, whole, up to `max_chars`."""
    out, used = [], 0
    for seg in nlp.prose_segments(text):
        if used >= max_chars:
            break
        out.append(seg)
        used += len(seg) + 1
    return "\n".join(out)


def clean_spans(text: str) -> list[str]:
    """A spaCy span as names: cleaned, split where spaCy glued two names together
    ("Yorkshire, England", "Panaji (Panjim"), and empty when it cannot be a name."""
    if "\n" in text:
        return []
    out = []
    for part in _GLUE.split(text):
        name = " ".join(part.split())
        name = re.sub(r"^(?:the|The)\s+", "", name)
        name = _POSSESSIVE.sub("", name)
        name = _EDGE.sub("", name) if not name.endswith(".") else name.lstrip(" \"'“‘([")
        if not name or not name[0].isupper():
            continue
        words = name.split()
        if any(w.isdigit() for w in words) or all(w in _DATE_WORDS for w in words):
            continue
        if len(words) == 1 and name.lower() in nlp._stop_words():
            continue
        out.append(name)
    return out


def spacy_spans(texts: list[str], batch_size: int = 32) -> list[list[tuple[str, str]]]:
    """(name, label) of every usable span spaCy finds in each text, in order."""
    model = nlp.spacy_model()
    out: list[list[tuple[str, str]]] = []
    for doc in model.pipe(texts, batch_size=batch_size):
        spans: list[tuple[str, str]] = []
        for e in doc.ents:
            label = nlp._SPACY_LABELS.get(e.label_)
            if label:
                spans.extend((name, label) for name in clean_spans(e.text))
        out.append(spans)
    return out


@dataclass
class _Fused:
    name: str
    label: str
    mentions: int
    aliases: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)
    from_rules: bool = False
    seen: int = 0  # spaCy mentions


def _known_label(name: str) -> str | None:
    hit = gz.GAZETTEER.get(name)
    return hit[1] if hit and hit[0] == name else None


def _keep_unseen(f: _Fused, known: str | None, side_lines: str) -> bool:
    """A rule name spaCy did not find: kept when the gazetteer or GeoNames knows it, or when
    it stands in a line spaCy does not read (headline, dateline, results row).

    On the dev sets a rule name spaCy did not see was right one time in four; keeping only
    these raised all-English dev F1 from 0.506 to 0.516.
    """
    if known or lex.city(f.name):
        return True
    return any(
        re.search(rf"(?<!\w){re.escape(form)}(?!\w)", side_lines) for form in (f.name, *f.aliases)
    )


def _plausible(name: str, lower_words: frozenset[str]) -> bool:
    """A name only spaCy found, as one word: not a word the article also writes in lower
    case ("Government", "Party"), nor an everyday word unless it is a known town ("Home",
    "Congress" alone). Dev precision of such one-word names: 0.10 and 0.30."""
    if " " in name:
        return True
    if name.lower() in lower_words:
        return False
    return not (lex.is_common(name) and not lex.city(name))


def _shape_evidence(words: list[str]) -> bool:
    """The name's own words label it for the rules ("Dunmore Rovers": a club suffix)."""
    empty = nlp._Span(words, 0, False, "", "", "")
    label, strong = nlp._rule_label(words, empty)
    return strong and label != "PERSON"


def _both_label(f: _Fused) -> str:
    """The label of a name both found: the rules', with two exceptions.

    Where the two disagreed on the dev sets, the rules were right 117 times and spaCy 78
    (clubs named after towns, bands and companies named with everyday words). spaCy wins
    when it says PERSON for a two- or three-word name without an everyday word ("Karol
    Balinski", which a rule took for a place) unless the name's own words say otherwise
    (a club or company suffix), and when it says place for a GeoNames town
    the rules took for a person ("Brampton said ..."). Each moved dev F1 by about 0.001.
    """
    spacy_label = f.votes.most_common(1)[0][0]
    words = f.name.split()
    if (
        spacy_label == "PERSON"
        and 2 <= len(words) <= 3
        and not any(map(lex.is_common, words))
        and not _shape_evidence(words)
    ):
        return "PERSON"
    if spacy_label in ("GPE", "LOC") and f.label == "PERSON" and lex.city(f.name):
        return "GPE"
    return f.label


def fuse(
    rules: list[Entity],
    spans: list[tuple[str, str]],
    side_lines: str = "",
    lower_words: frozenset[str] = frozenset(),
    max_entities: int = MAX_ENTITIES,
) -> list[Entity]:
    """One article's entities from the rules' and spaCy's (see the module docstring)."""
    ents: list[_Fused] = []
    index: dict[str, _Fused] = {}
    for e in rules:
        f = _Fused(e.name, e.label, e.mentions, set(e.aliases), from_rules=True)
        ents.append(f)
        for form in (e.name, *e.aliases):
            index.setdefault(form, f)
    for surface, label in spans:
        hit = gz.GAZETTEER.get(surface)
        name = hit[0] if hit else surface
        found = index.get(surface) or index.get(name)
        if found is None and label == "PERSON" and " " not in surface:
            # "Shoigu" after "Sergei Shoigu": the surname of a person named in full.
            found = next(
                (
                    p
                    for p in ents
                    if p.label == "PERSON" and " " in p.name and p.name.split()[-1] == surface
                ),
                None,
            )
        f = found if found is not None else _Fused(name, label, 0)
        if found is None:
            ents.append(f)
            index[name] = f
        index.setdefault(surface, f)
        if surface != f.name:
            f.aliases.add(surface)
        f.votes[label] += 1
        f.seen += 1
    out = []
    for f in ents:
        known = _known_label(f.name)
        if f.from_rules and not f.seen and not _keep_unseen(f, known, side_lines):
            continue
        if known:
            f.label = known
        elif not f.from_rules:
            if not _plausible(f.name, lower_words):
                continue
            f.label = f.votes.most_common(1)[0][0]
        elif f.seen:
            f.label = _both_label(f)
        f.mentions = max(f.mentions, f.seen)
        out.append(f)
    out.sort(key=lambda f: -f.mentions)
    return [Entity(f.name, f.label, f.mentions, sorted(f.aliases)) for f in out[:max_entities]]


def extract_accurate(
    docs: list[tuple[str | None, str]], rules: list[list[Entity]]
) -> list[list[Entity]]:
    """The accurate entities of English articles, given the rules' entities for each."""
    texts = [model_text(text) for _, text in docs]
    spans = spacy_spans(texts)
    return [
        fuse(r, s, side_text(text), lower_words(prose))
        for r, s, (_, text), prose in zip(rules, spans, docs, texts, strict=True)
    ]


def lower_words(text: str) -> frozenset[str]:
    """The words the text writes in lower case."""
    return frozenset(w for w in re.findall(r"\b[a-z][a-z'-]+\b", text))


def side_text(text: str) -> str:
    """The lines the rules read and spaCy does not: headlines, datelines, results rows."""
    return "\n".join(line for line, _ in nlp._side_lines(text))
