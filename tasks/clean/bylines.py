"""Bylines in many languages: the name without its lead words, and what is no name at all.

Templates write "Geschrieben von", "Publié par", "Escrito por", "Autor:" or "~" before the
name, often in one element and the name in the next, so a page's text glues them
("Geschrieben vonAnna Berg"). Elements that look like bylines also hold comment authors
("Anna sagt:"), form labels ("Name *"), date labels ("Veröffentlicht am"), sponsor labels and
CMS account names ("wordpressadmin"); none of those is the article's author, and a page
without an author is a real answer, better than a wrong name.
"""

from __future__ import annotations

import re

import lxml.html

# Lead words, longest first so "written by" wins over "by". Followed by a space or colon, or
# glued to a capitalised name when the template set them in separate elements.
_LEAD_WORDS = (
    "geschrieben von|veröffentlicht von|verfasst von|erstellt von|eingestellt von|gepostet von"
    "|ein beitrag von|beitrag von|text von|text und fotos von|fotos? von|von"
    "|written by|posted by|published by|submitted by|reported by|story by|words by|text by|by"
    "|écrit par|publié par|rédigé par|posté par|un article de|par"
    "|escrito por|publicado por|redactado por|texto de|por"
    "|scritto da|pubblicato da|articolo di|a cura di|di"
    "|geschreven door|gepost door|geplaatst door|door"
    "|skrevet av|skrivet av|publisert av|publicerad av|av|af"
    "|napisane przez|opublikowane przez|przez"
    "|napsal|napsala|autor(?:in|ka)?|autore|auteur|author|verfasser(?:in)?|написал|автор|от"
)
_LEAD = re.compile(rf"^\s*(?:[~–—-]\s*)?(?:(?:{_LEAD_WORDS})(?:\s*:\s*|\s+)|[~–—]\s*)", re.I)
# Glued: the lead word runs straight into the capitalised name ("AuthorJane", "vonAnna").
_GLUED = re.compile(rf"^\s*(?i:{_LEAD_WORDS})(?=[A-ZÀ-ÞĀ-ſА-Я])")

# "Anna says:", "Jan sagt" — a comment's heading, never an article byline.
_COMMENT_FORM = re.compile(
    r"\s(?:says|said|wrote|writes|sagt|schreibt|meint|antwortete|dice|dit|écrit|zegt|schreef"
    r"|skriver|skrev|pisze|napisał|говорит|пишет)\s*:?\s*$",
    re.I,
)
# Form and date labels that sit in byline-like markup: "Name *", "Name (erforderlich)",
# "Posted on", "Veröffentlicht am", "E-Mail (wird nicht veröffentlicht)".
_LABEL = re.compile(
    r"^(?:your |ihr |dein |votre |tu |su |il tuo |je )?(?:name|nom|nombre|nome|naam|navn|namn"
    r"|nick(?:name)?|e-?mail|mail|website|webseite|homepage|url|kommentar|comment|commentaire"
    r"|comentario|commento|reactie|antworten|reply|répondre|responder|rispondi)\b\W*"
    r"(?:\(?(?:required|erforderlich|pflichtfeld|obligatoire|requis|obligatorio|obbligatorio"
    r"|verplicht|wird nicht veröffentlicht|will not be published)\)?\W*)?$"
    r"|^(?:posted|published|updated|last updated|veröffentlicht|aktualisiert|erschienen|publié"
    r"|mis à jour|publicado|actualizado|pubblicato|aggiornato|geplaatst|gepubliceerd"
    r"|opublikowano|publicerad|publisert|opdateret|zveřejněno)(?:\s+(?:on|am|le|el|il|op|den"
    r"|at|um|à|em))?\b",
    re.I,
)
SPONSOR = re.compile(
    r"^(?:sponsored|sponsor(?:ed)? by|gesponsert|anzeige|advertorial|werbung|paid (?:post"
    r"|content|partnership)|presented by|präsentiert von|in partnership|promoted|publicité"
    r"|publicidad|patrocinado|pubblicità|in kooperation mit|in zusammenarbeit mit)\b",
    re.I,
)
# Source credits name an outlet or a wiki, not a person: "From Wikipedia", "Quelle: dpa".
_SOURCE = re.compile(r"^(?:from|via|source|quelle|fuente|fonte|bron|źródło)\b", re.I)
# CMS defaults and account names that templates print where an author would be.
_ACCOUNT = re.compile(
    r"admin|wordpress|webmaster|\broot\b|\bguest\b|\buser\b|\bgast\b|\bbenutzer\b|\bautor\b$",
    re.I,
)
# "sophie-foster", "j_smith": a login or URL slug, not a name. Plain lower-case words stay:
# agencies and sites sign that way ("dpa", "kicker", "mbl.is").
_ACCOUNT_HANDLE = re.compile(r"^[a-z0-9.]+[_-][a-z0-9_.-]+$")
# Regions whose names are commenters', form fields' or other articles' authors.
_OFF_REGION = re.compile(
    r"comment|respond|reply|replies|discuss|disqus|review|sidebar|widget|related|recommend"
    r"|teaser|popular|footer|newsletter",
    re.I,
)
_OFF_TAGS = frozenset({"form", "aside", "nav", "footer", "textarea", "label", "button", "select"})


_PARTICLES = frozenset({"di", "von", "door", "af", "av", "par", "por", "by"})


def strip_lead(text: str) -> str:
    """The name without "By", "Geschrieben von", "Autor:", "~" and their kin.

    A lone particle before a single word is kept ("Di Maio", "Von Trier"): there it is
    part of the name, not a lead word."""
    text = text.strip()
    for _ in range(2):  # "~ Autor: Anna" has two
        lead = _GLUED.match(text) or _LEAD.match(text)
        if not lead:
            break
        rest = text[lead.end() :].strip()
        if lead.group(0).strip().lower() in _PARTICLES and len(rest.split()) < 2:
            break
        text = rest
    return text.strip()


def sponsored(text: str) -> bool:
    """ "Sponsored by Acme", "Anzeige", "In Kooperation mit": a label, whoever follows it."""
    return SPONSOR.match(text.strip()) is not None


def not_a_name(text: str) -> bool:
    """Comment headings, form and date labels, sponsor labels and CMS account names."""
    t = text.strip()
    if not t or not any(c.isalpha() for c in t):  # "}", "--": template debris
        return True
    if _COMMENT_FORM.search(" " + t) or _LABEL.match(t) or SPONSOR.match(t):
        return True
    if _ACCOUNT.search(t) or _SOURCE.match(t) or ":" in t:
        return True
    return _ACCOUNT_HANDLE.match(t) is not None


# Month and weekday names that templates print right after the name ("Joe Wee Monday").
_DATE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december montag dienstag mittwoch
    donnerstag freitag samstag sonntag januar februar märz mai juni juli oktober dezember
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril juin
    juillet août septembre octobre novembre décembre lunes martes miércoles jueves viernes
    sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre jan feb mar apr jun jul aug sep sept oct nov dec mär okt dez updated
    aktualisiert published veröffentlicht am on le el il""".split()  # noqa: SIM905
)


def drop_trailing_date_words(name: str) -> str:
    """ "Joe Wee Monday" -> "Joe Wee": a date line glued to the byline."""
    words = name.split()
    while len(words) > 2 and words[-1].lower().strip(",.") in _DATE_WORDS:
        words.pop()
    return " ".join(words)


# Job titles that Korean, Japanese and Chinese bylines put after the name ("신현주 기자").
_ROLE_SUFFIX = re.compile(r"\s*(?:기자|특파원|선임기자|記者|特派員|编辑|記者|编辑部)$")


def drop_role_suffix(name: str) -> str:
    """ "신현주 기자" -> "신현주", "渡辺洋介記者" -> "渡辺洋介"."""
    return _ROLE_SUFFIX.sub("", name).strip() or name


def off_region(el: lxml.html.HtmlElement) -> bool:
    """Whether an element sits in a form, a comment thread, a sidebar or a teaser list."""
    # A declared author (itemprop/rel) in an <aside> is the article's info box, not a sidebar.
    declared = el.get("itemprop") == "author" or el.get("rel") == "author"
    node = el
    while node is not None:
        if not isinstance(node.tag, str):
            node = node.getparent()
            continue
        if node.tag in _OFF_TAGS and not (node.tag == "aside" and declared):
            return True
        if node.tag in ("body", "html"):
            return False
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _OFF_REGION.search(marks):
            return True
        node = node.getparent()
    return False


def spaced_text(el: lxml.html.HtmlElement) -> str:
    """An element's text with its text nodes set apart, so "von<a>Anna</a>" keeps a space."""
    return " ".join(part.strip() for part in el.itertext() if part.strip())
