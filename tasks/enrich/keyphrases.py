"""The word lists keyphrases are cut with, per language.

A keyphrase is a run of words between stop words, so a language's stop-word list decides
whether its keyphrases are content or garbage ("die", "und", "der" from an English list on
German text). spaCy ships stop-word lists for many languages as plain Python sets (no
model is loaded); on top, each fully covered language has a short list of words so
common in news that they never make a keyphrase on their own.

Coverage (warehouse/TOPICS.md has the table):
- FULL: spaCy's stop words plus our news words;
- STOP_ONLY: spaCy's stop words only (space-separated scripts with a list of 150+ words);
- anything else (no language, or one written without spaces): no keyphrases at all.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

FULL = ("en", "de", "fr", "es", "it", "pt", "nl")
STOP_ONLY = (
    "sv", "da", "nb", "fi", "pl", "cs", "sk", "hu", "ro", "bg", "ru", "uk", "el", "tr", "ca",
    "hr", "sr", "sl", "lt", "lv", "id",
)  # fmt: skip

# Reporting verbs and generic news words per language (lower case; our own lists).
_NEWS_WORDS: dict[str, str] = {
    "en": "said says also would could like just",
    "de": """
        sagte sagt sagten erklärte erklärt teilte mitteilte laut sowie bereits jahr jahre
        jahren prozent euro montag dienstag mittwoch donnerstag freitag samstag sonntag
        woche wochen monat monaten heute gestern morgen derzeit rund mehr zudem außerdem
        etwa neue neuen neuer ersten zwei drei vier fünf zehn millionen milliarden uhr
        mehrere einige viele weitere weiteren wenige
        """,
    "fr": """
        déclaré dit indiqué selon également ainsi année années ans pourcent euros lundi
        mardi mercredi jeudi vendredi samedi dimanche semaine semaines mois aujourd'hui hier
        demain environ millions milliards nouveau nouvelle premier première deux trois
        plusieurs certains certaines
        """,
    "es": """
        dijo afirmó aseguró señaló según además año años ciento euros lunes martes miércoles
        jueves viernes sábado domingo semana semanas mes meses hoy ayer mañana millones
        nuevo nueva primer primera dos tres varios varias
        """,
    "it": """
        detto dichiarato spiegato secondo inoltre anno anni cento euro lunedì martedì
        mercoledì giovedì venerdì sabato domenica settimana settimane mese mesi oggi ieri
        domani milioni miliardi nuovo nuova primo prima due tre diversi alcuni alcune
        """,
    "pt": """
        disse afirmou segundo além ano anos cento euros reais segunda-feira terça-feira
        quarta-feira quinta-feira sexta-feira sábado domingo semana semanas mês meses hoje
        ontem amanhã milhões bilhões mil novo nova primeiro primeira dois três vários
        várias
        """,
    "nl": """
        zei zegt aldus volgens bovendien jaar jaren procent euro maandag dinsdag woensdag
        donderdag vrijdag zaterdag zondag week weken maand maanden vandaag gisteren morgen
        miljoen miljard nieuwe eerste twee drie meerdere enkele
        """,
}


def covered(language: str | None) -> bool:
    return language in FULL or language in STOP_ONLY


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str] | None:
    """The language's stop words (spaCy's and ours), or None when it is not covered.

    Imported on first use per language: importing spaCy costs ~0.5 s once per process.
    """
    if not covered(language):
        return None
    module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    extra = _NEWS_WORDS.get(language or "", "").split()
    return frozenset(w.lower() for w in module.STOP_WORDS) | frozenset(extra)


# Languages that capitalise every noun: a headline-shaped line says nothing there.
NOUN_CAPITALS = frozenset({"de", "lb"})
_WORDS = re.compile(r"[^\W\d_]+")


def noun_capital_segments(text: str) -> list[str]:
    """The running-text lines of a text in a language that capitalises nouns.

    `tasks.enrich.nlp.prose_segments` tells headlines from prose by their share of capitalised
    words, which in German is high in any sentence; here a line is prose when it ends
    like a sentence or is paragraph-long (25 words or more).
    """
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*·–— ").strip()
        n = len(_WORDS.findall(line))
        end = line.rstrip(" \t\"'”’)]*")[-1:] if line else ""
        if (n >= 5 and end in ".;:!?") or n >= 25:
            out.append(line)
    return out
