"""Hand-written name lists behind the fast entity tagger.

The default tagger must run offline at well over 100 articles/s per core, which
rules out a statistical model over every token. These lists give it what a model
would otherwise learn: which capitalised names are places, groups and well-known
organisations, which first names and titles announce a person, and which words
end an organisation, place or event name. They are deliberately compact (common
news vocabulary, not an encyclopaedia); unknown names are still found and labelled
by context (see `tasks.enrich.nlp`). The long lists are data files in
`tasks/enrich/lexicons/` (one entry per line, each file saying what it lists), read once
per process; the short ones stay here, next to the rule they serve.
"""

from __future__ import annotations

from tasks.enrich.lexicons import aliases, entries


def words(text: str) -> list[str]:
    return text.split()


# Known names by label, each with the other spellings it stands for ("UK" -> United Kingdom).
PEOPLE = aliases("people")
COUNTRIES = aliases("countries")
SUBNATIONAL = aliases("regions")
CITIES = aliases("cities")
LOCATIONS = aliases("locations")
NORP = aliases("groups")
ORGS = aliases("organisations")
EVENTS = aliases("events")


def _gazetteer() -> dict[str, tuple[str, str]]:
    """{surface form: (canonical, label)}; later groups never override earlier ones."""
    out: dict[str, tuple[str, str]] = {}
    for table, label in (
        (PEOPLE, "PERSON"),
        (COUNTRIES, "GPE"),
        (SUBNATIONAL, "GPE"),
        (CITIES, "GPE"),
        (ORGS, "ORG"),
        (NORP, "NORP"),
        (LOCATIONS, "LOC"),
        (EVENTS, "EVENT"),
    ):
        for surface, canonical in table.items():
            out.setdefault(surface, (canonical, label))
            if surface.startswith("The "):
                out.setdefault(surface[4:], (canonical, label))
    return out


GAZETTEER: dict[str, tuple[str, str]] = _gazetteer()

# A nationality adjective that begins a longer name ("North Korean students") is NORP on its
# own; the country it derives from is how analysts look it up, so keep the link for aliases.
DEMONYM_COUNTRY: dict[str, str] = {
    "American": "United States",
    "British": "United Kingdom",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "Chinese": "China",
    "North Korean": "North Korea",
    "South Korean": "South Korea",
    "Japanese": "Japan",
    "Indian": "India",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Iranian": "Iran",
    "French": "France",
    "German": "Germany",
}

# Words before a name that make it a person ("President Putin", "Dr. Smith").
PERSON_TITLES = frozenset(entries("person-titles"))

# First words that make a name a sports club ("FC Basel", "Dynamo Kiev", "Real Betis").
CLUB_PREFIXES = frozenset(
    words(
        "FC AFC CF SC AC AS SV VfB VfL TSV CD UD RC SS SK FK NK HNK GNK PSV KV KRC "
        "Dynamo Dinamo Sporting Atletico Atlético Athletic Olympique Racing Real Inter"
    )
)

# A team's role before its name at the start of a sentence ("Hosts Ajax beat ...").
TEAM_ROLE_WORDS = frozenset(
    words("Hosts Holders Champions Visitors Leaders Newcomers Rivals Favourites Underdogs")
)

# Verbs of a match result: a town right before or after one, in a sentence with a score
# ("Leicester beat Burnley 2-1"), is the club that plays there.
RESULT_VERBS = frozenset(
    words(
        "beat beats drew draw lost lose loses won win wins edged thrashed hammered routed "
        "defeated defeats trounced crushed stunned downed overcame outclassed held holds"
    )
)

# Lowercase role words that, right before a capitalised name, mark a person
# ("defence minister Sergei Shoigu", "spokesman John Kirby").
PERSON_ROLE_WORDS = frozenset(
    words(
        "president minister secretary spokesman spokeswoman spokesperson chief executive ceo "
        "founder director chairman chairwoman senator governor mayor ambassador leader coach "
        "manager author professor researcher analyst economist scientist actor actress singer "
        "rapper player striker midfielder defender goalkeeper quarterback pitcher star officer "
        "attorney lawyer judge prosecutor general commander envoy colonel lawmaker congressman "
        "congresswoman journalist reporter editor writer artist director producer head "
        "representative rep. sen. gov. dr. mr. mrs. ms. said says told wife husband son daughter "
        "mother father brother sister"
    )
)

# Verbs right after a name that make a person more likely than an organisation.
PERSON_VERBS = frozenset(words("said says told added explained wrote tweeted recalled noted"))

# Last words that make a name an organisation, a place or an event.
ORG_SUFFIXES = frozenset(entries("org-suffixes"))
# "University of Oxford", "Ministry of Defence": an org word first, then "of".
ORG_HEADS = frozenset(
    words(
        "University College Institute Ministry Department Bank Board Council Commission Committee "
        "Federation Association Society Organization Organisation Office Bureau Agency Church "
        "Museum School Academy Court House Party League Union Guild Friends Abbey Sporting"
    )
)
LOC_SUFFIXES = frozenset(entries("loc-suffixes"))
# Administrative units that are governments: "Kursk Oblast" is a GPE, "Nile River" a LOC.
GPE_SUFFIXES = frozenset(words("Oblast Province Region County District Prefecture Territory"))
EVENT_SUFFIXES = frozenset(entries("event-suffixes"))
# Words that begin a place name ("Port Halden", "San Ludo", "Upper Ashby", "Lake Vessa").
PLACE_HEADS = frozenset(
    words("Port San Santa Santo Saint St. Sao São Upper Lower New Fort Los Las El Le La Mount Mt.")
)
LOC_HEADS = frozenset(words("Lake Mount Mt. Cape Gulf Bay Isle Mountains"))

# Words that begin an event name ("Hurricane Katrina", "Operation Desert Storm").
EVENT_HEADS = frozenset(words("Hurricane Typhoon Cyclone Storm Operation Battle Siege"))

# Common first names across the regions news covers; a capitalised pair starting with one
# of these is a person. Lists are short on purpose: the surname back-reference rule in
# `tasks.enrich.nlp` finds most other people.
FIRST_NAMES = frozenset(entries("first-names"))

# Capitalised words that are not names even mid-sentence (days, months, pronoun-like words).
NOT_NAMES = frozenset(entries("not-names"))
