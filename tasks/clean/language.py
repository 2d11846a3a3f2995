"""Language of the article text, for every article, whatever the page declares.

The detector is Lingua (`lingua-language-detector`, Apache-2.0), whose n-gram models ship
inside the wheel: nothing is downloaded. It runs in its low-accuracy mode (trigrams only)
over a bounded sample of the text and over the languages listed below (those news comes
in most), because the full mode and all 75 languages cost 40x more time and 1.2 GB of
memory for no gain on texts longer than a sentence (`python -m tests.bench.subjects`).
The detector is built once per process, on first use.

A detection is checked against the language's stop words, so a language outside the
list gives None ("unknown") instead of its nearest neighbour. The old stop-word vote is
kept (`stopword_vote`) as the bench's reference and as the tie-breaker between a declared
language and a detection on very short text.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

# ISO 639-1 codes the detector chooses among: European languages, the main languages of
# the Middle East, South and East Asia, and Indonesian/Malay/Vietnamese.
LANGUAGES = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "nb",
    "fi",
    "pl",
    "cs",
    "sk",
    "hu",
    "ro",
    "bg",
    "ru",
    "uk",
    "el",
    "tr",
    "ar",
    "fa",
    "he",
    "hi",
    "ja",
    "zh",
    "ko",
    "id",
    "ms",
    "ca",
    "hr",
    "sr",
    "sl",
    "lt",
    "lv",
    "et",
    "vi",
]
SAMPLE_CHARS = 400  # two or three sentences: enough for Lingua, and the cost stays bounded
MIN_LETTERS = 12  # below this nothing is said
LANGUAGE_READS = SAMPLE_CHARS + 40  # the most of a text `pick_language` reads (a long one)
LONG_TEXT_CHARS = 200  # from this length a detection overrules the page's declared language

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for it with was on as are by this be have from",
        "de": "der die und das ist nicht mit den von zu sich des auf für eine ein dem im",
        "fr": "le la les et des est une un du que dans pour pas qui sur au avec sont",
        "es": "el la los las y de que en un una es por con para del se su al lo",
        "it": "il la di che e un una per non sono del della con gli le si nel anche",
        "pt": "o a os as de que e do da em um uma para com não no na se por",
        "nl": "de het een en van is dat op te zijn met voor niet die er ook aan",
        "sv": "och att det som en på är av för med till den har inte om ett",
        "pl": "i w na z że się nie do jest to jak po przez dla od co ale",
        "ru": "и в не на что я с он как это по но из у за от же",
        "uk": "і в на що не з до як та це за від по але у їх він",
        "tr": "ve bir bu da de için ile çok olan gibi daha ne ama",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def _sample(text: str) -> str:
    """The first SAMPLE_CHARS characters, cut at a word boundary."""
    text = " ".join(text[:LANGUAGE_READS].split())
    if len(text) > SAMPLE_CHARS:
        text = text[:SAMPLE_CHARS].rsplit(" ", 1)[0]
    return text


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there are too few letters."""
    sample = _sample(text)
    if sum(len(w) for w in _WORD.findall(sample)) < MIN_LETTERS:
        return None
    found = _detector().detect_language_of(sample)
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    code = "nb" if code == "no" else code
    return code if plausible(code, sample) else None


# Languages written with spaces between words whose spaCy stop-word list we check a
# detection against: Lingua picks the nearest of LANGUAGES even for a language it was not
# asked about (Swahili comes out as Malay, Basque as Indonesian).
_CHECKED = frozenset(LANGUAGES) - {"ar", "fa", "he", "hi", "ja", "zh", "ko"}
MIN_STOP_SHARE = 0.06  # real text: 0.13-0.56 over 600 characters; other languages: 0-0.02


@lru_cache(maxsize=64)
def _spacy_stops(code: str) -> frozenset[str]:
    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    return frozenset(w.lower() for w in module.STOP_WORDS)


def plausible(code: str, sample: str, min_words: int = 15) -> bool:
    """Whether a text is plausibly in `code`: enough of its words are that language's
    stop words. Always true on fewer than `min_words` words (a headline can have none)."""
    if code not in _CHECKED:
        return True
    words = _WORD.findall(sample.lower())
    if len(words) < min_words:
        return True
    stops = _spacy_stops(code)
    return sum(len(w) > 1 and w in stops for w in words) >= MIN_STOP_SHARE * len(words)


def stopword_vote(text: str, min_hits: int = 8) -> str | None:
    """The language with the most stop-word hits (the detector before Lingua): a reference."""
    words = _WORD.findall(text[:4000].lower())
    if not words:
        return None
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    return lang if hits >= min_hits else None


def primary_subtag(code: str | None) -> str | None:
    """ "pt-BR", "en_GB" -> "pt", "en"; None or "" -> None."""
    return (code or "").lower().split("-")[0].split("_")[0] or None


def language_key(text: str) -> str:
    """All that `pick_language` reads of `text`: equal keys, equal answers (same declaration)."""
    return text[:LANGUAGE_READS] if len(text) >= LONG_TEXT_CHARS else text


def still_language(declared: str | None, picked: str | None, text: str) -> bool:
    """Whether `picked`, chosen on a longer draft of `text`, stands for `text` without a
    new detection: the page declares that language and the text reads like it."""
    declared = primary_subtag(declared)
    return (
        picked is not None
        and picked == declared
        and len(text) >= LONG_TEXT_CHARS
        and plausible(picked, _sample(text), min_words=0)
    )


def pick_language(declared: str | None, text: str) -> str | None:
    """The detected language; the declared one when the text is too short to say.

    Templates often keep a site-wide lang="en" on pages written in another language, so a
    detection on a paragraph or more wins over the declaration. On a line or two, Lingua
    can confuse close languages (es/pt/ca, da/nb), so there a declaration it does not
    contradict by stop words is kept.
    """
    declared = primary_subtag(declared)
    detected = detect_language(text)
    if detected is None and declared is not None and not plausible(declared, _sample(text)):
        return None  # a site-wide lang="en" on a page in a language we cannot name
    if detected is None or declared is None or detected == declared:
        return detected or declared
    if len(text) >= LONG_TEXT_CHARS:
        return detected
    vote = stopword_vote(text, min_hits=2)
    return detected if vote == detected else declared
