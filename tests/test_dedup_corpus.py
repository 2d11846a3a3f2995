"""A generated evaluation corpus for duplicate detection (our own texts, no external data).

Each *family* is one original article plus copies as they reach a pipeline: wire
syndication (new headline, byline, agency footer), reformatting (paragraphs re-split,
typographic quotes, "Advertisement" breaks), an updated version (new paragraphs and an
edited sentence) and a teaser (the first paragraphs with a "read more" line). Several
families share a *subject* (place, organisations, people, vocabulary) but report
different events: those are the hard negatives.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = ["Harrowgate", "Veldmoor", "Port Ellis", "Santa Irene", "Kaltenbrook", "Dunmore Bay"]
ORGS = [
    "the city council",
    "the regional transit authority",
    "the harbour board",
    "the teachers' union",
    "the health ministry",
    "the water company",
    "the port operator",
]
PEOPLE = [
    "Mara Okafor",
    "Tomas Lindqvist",
    "Priya Raman",
    "Jonah Whitfield",
    "Elena Castell",
    "Samuel Achebe",
    "Ines Moreau",
    "Hugo Brandt",
]
TOPICS = {
    "transit": ["bus", "tram", "fares", "routes", "commuters", "depot", "timetable", "drivers"],
    "health": ["clinic", "patients", "vaccination", "ward", "nurses", "waiting", "outbreak"],
    "harbour": ["ships", "cargo", "dockers", "cranes", "berths", "tonnes", "containers"],
    "schools": ["pupils", "teachers", "classrooms", "exams", "budget", "curriculum", "term"],
    "water": ["reservoir", "pipes", "leak", "supply", "drought", "pressure", "households"],
}
VERBS = [
    "approved",
    "rejected",
    "postponed",
    "announced",
    "criticised",
    "defended",
    "reviewed",
    "expanded",
    "suspended",
    "funded",
    "questioned",
    "revised",
]
ADJ = [
    "new",
    "controversial",
    "long-delayed",
    "emergency",
    "temporary",
    "ambitious",
    "costly",
    "modest",
    "unexpected",
    "overdue",
]
WHEN = [
    "on Monday",
    "on Tuesday",
    "late on Wednesday",
    "on Thursday morning",
    "on Friday",
    "over the weekend",
    "earlier this week",
]
SENTENCES = [
    "{org} {verb} a {adj} plan for {t0} and {t1} in {place} {when}.",
    "{person}, who leads {org}, said the decision on {t0} would affect {n} {t1}.",
    '"We cannot keep waiting for {t0}," {person} told reporters {when}.',
    "Critics said the {adj} proposal ignored the cost of {t1} and {t2}.",
    "The change follows months of complaints about {t0} across {place}.",
    "According to figures released {when}, {n} {t1} were affected last year.",
    "{person} warned that {t2} could cost as much as {n} million.",
    "Residents of {place} have long argued that {t0} and {t1} deserve more attention.",
    "Officials expect a final vote on the {adj} measure within {m} weeks.",
    "Opposition members {verb} the figures, calling the plan for {t2} {adj}.",
    "A spokesperson for {org} declined to say when {t1} would resume.",
    "Local businesses said {t0} had already cost them {n} customers a week.",
    "The last comparable decision on {t1} in {place} was taken {m} years ago.",
    "{person} said a review of {t2} would be published before the end of the month.",
    "Some {t1} said they had not been consulted about the {adj} timetable.",
    "Independent experts {verb} the estimate of {n} {t0}, saying it was too low.",
]


@dataclass
class Doc:
    doc_id: str
    family: str
    variant: str
    title: str
    text: str
    source: str


def _sentence(rng: random.Random, subject: dict[str, object]) -> str:
    terms = list(subject["terms"])  # type: ignore[call-overload]
    rng.shuffle(terms)
    return rng.choice(SENTENCES).format(
        org=rng.choice(subject["orgs"]),  # type: ignore[arg-type]
        person=rng.choice(subject["people"]),  # type: ignore[arg-type]
        place=subject["place"],
        verb=rng.choice(VERBS),
        adj=rng.choice(ADJ),
        when=rng.choice(WHEN),
        n=rng.randint(2, 9000),
        m=rng.randint(2, 30),
        t0=terms[0],
        t1=terms[1],
        t2=terms[2],
    )


def _paragraphs(rng: random.Random, subject: dict[str, object], n: int) -> list[str]:
    return [" ".join(_sentence(rng, subject) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _syndicated(rng: random.Random, title: str, paras: list[str]) -> tuple[str, str]:
    agency = rng.choice(["Northwire", "Coastal Press Agency", "Metro News Service"])
    body = [f"By {agency} staff", *paras[: len(paras) - rng.randint(0, 1)]]
    body.append(f"Copyright {agency}. All rights reserved. Distributed to member outlets.")
    return f"{title} - {agency}", "\n\n".join(body)


def _reformatted(rng: random.Random, title: str, paras: list[str]) -> tuple[str, str]:
    sentences = [s for p in paras for s in p.replace('." ', '."|').replace(". ", ".|").split("|")]
    out, chunk = [], []
    for s in sentences:
        chunk.append(s.replace('"', "\u201c", 1).replace('"', "\u201d", 1))
        if len(chunk) >= rng.randint(1, 3):
            out.append(" ".join(chunk))
            chunk = []
            if rng.random() < 0.3:
                out.append("Advertisement")
    if chunk:
        out.append(" ".join(chunk))
    return title.upper() if rng.random() < 0.5 else title, "\n\n".join(out)


def _updated(
    rng: random.Random, title: str, paras: list[str], subject: dict[str, object]
) -> tuple[str, str]:
    body = list(paras)
    k = rng.randrange(len(body))
    body[k] = body[k] + " " + _sentence(rng, subject)
    for _ in range(rng.randint(1, 2)):
        body.insert(rng.randint(1, len(body)), _paragraphs(rng, subject, 1)[0])
    return f"{title} (updated)", "This article has been updated.\n\n" + "\n\n".join(body)


def _teaser(rng: random.Random, title: str, paras: list[str]) -> tuple[str, str]:
    lead = paras[: rng.randint(2, 3)]
    return title, "\n\n".join([*lead, "Read the full story on our website."])


VARIANTS = ["reformatted", "syndicated", "teaser", "updated"]


def _variant(
    name: str, rng: random.Random, title: str, paras: list[str], subject: dict[str, object]
) -> tuple[str, str]:
    if name == "syndicated":
        return _syndicated(rng, title, paras)
    if name == "reformatted":
        return _reformatted(rng, title, paras)
    if name == "updated":
        return _updated(rng, title, paras, subject)
    return _teaser(rng, title, paras)


def build_corpus(seed: int = 11, subjects: int = 12, families_per_subject: int = 4) -> list[Doc]:
    """Families of copies (duplicates) and same-subject families (hard negatives), shuffled."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    outlets = [f"outlet{i}.example" for i in range(8)]
    for s in range(subjects):
        topic = rng.choice(sorted(TOPICS))
        subject = {
            "place": rng.choice(PLACES),
            "orgs": rng.sample(ORGS, 2),
            "people": rng.sample(PEOPLE, 3),
            "terms": TOPICS[topic],
        }
        for f in range(families_per_subject):
            fam = f"s{s}f{f}"
            paras = _paragraphs(rng, subject, rng.randint(5, 9))
            title = _cap(_sentence(rng, subject).split(",")[0].rstrip("."))
            home = rng.choice(outlets)
            docs.append(Doc(f"{fam}-orig", fam, "original", title, "\n\n".join(paras), home))
            for name in rng.sample(VARIANTS, rng.randint(2, 4)):
                t, body = _variant(name, rng, title, paras, subject)
                src = home if name in ("updated", "teaser") else rng.choice(outlets)
                docs.append(Doc(f"{fam}-{name}", fam, name, t, body, src))
    rng.shuffle(docs)
    return docs


def test_corpus_has_copies_and_hard_negatives() -> None:
    docs = build_corpus()
    variants = {d.variant for d in docs}
    assert {"original", "syndicated", "reformatted", "updated", "teaser"} <= variants
    # Hard negatives: several families per subject use the same place and people.
    families = {d.family for d in docs}
    assert len(families) == 48
    assert len(docs) > 2.5 * len(families)
