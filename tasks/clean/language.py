"""Language of the article text, for pages that do not declare one (or declare it wrongly).

A stop-word vote is enough for news prose and costs microseconds; it covers the languages
the pipeline's sources publish in most, and says None rather than guess on too little text.
"""

from __future__ import annotations

import re

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


def detect_language(text: str, min_hits: int = 8) -> str | None:
    """ISO 639-1 code with the most stop-word hits in the first few thousand characters."""
    words = _WORD.findall(text[:4000].lower())
    if not words:
        return None
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
    lang, hits = max(scores.items(), key=lambda kv: kv[1])
    return lang if hits >= min_hits else None


def pick_language(declared: str | None, text: str) -> str | None:
    """The declared language unless the text clearly says otherwise.

    Templates often keep a site-wide lang="en" on pages written in another language, so a
    strong stop-word majority for a different language overrides the declaration.
    """
    detected = detect_language(text, min_hits=20)
    if declared and detected and detected != declared:
        words = _WORD.findall(text[:4000].lower())
        declared_hits = sum(w in _STOPWORDS.get(declared, frozenset()) for w in words)
        own_hits = sum(w in _STOPWORDS[detected] for w in words)
        return detected if own_hits >= 3 * max(declared_hits, 1) else declared
    return declared or detect_language(text)
