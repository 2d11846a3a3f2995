"""Publication and modification dates, from the most to the least trustworthy source.

Structured data (JSON-LD, article:* meta, microdata, <time> elements) states the original
publication date explicitly, so it is read first; the URL is next; htmldate's heuristic search
over the whole page is the costly last resort. Time zones are kept when the source states one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jdatetime
import lxml.html

_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "citation_publication_date",
    "citation_date",
    "original-publish-date",
    "article.published",
    "date",
    "cxenseparse:recs:publishtime",
    "article_date_original",
    "og:published_time",
    "pub_date",
    "creation_date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "og:article:modified_time",
)

_ISO_LIKE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?)?"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?")
_URL_DATE = re.compile(
    r"(?<!\d)(20\d{2}|19\d{2})[/_.-](0?[1-9]|1[0-2])[/_.-](0?[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_COMPACT = re.compile(r"(?<![\d])(20[0-3]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")


def _tz(spec: str | None) -> timezone | None:
    if not spec:
        return None
    if spec == "Z":
        return UTC
    sign = -1 if spec[0] == "-" else 1
    digits = spec[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(parts: tuple[str | None, ...], tzspec: str | None) -> datetime | None:
    try:
        y, mo, d = int(parts[0] or 0), int(parts[1] or 0), int(parts[2] or 0)
        hh, mm, ss = (int(p) if p else 0 for p in parts[3:6])
        dt = datetime(y, mo, d, hh, mm, ss, tzinfo=_tz(tzspec) or UTC)
    except (ValueError, TypeError):
        return None
    return dt


def parse_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime from the spellings pages use; UTC when none is stated."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 64:
        return None
    dt: datetime | None = None
    m = _ISO_LIKE.search(s)
    if m or (m := _COMPACT.match(s)):
        dt = _build(m.groups()[:6], m.group(7))
    elif m := _SLASHED.match(s):
        dt = _build((*m.groups(), None), None)
    else:
        try:
            dt = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None and dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
    return dt if dt is not None and plausible(dt) else None


def plausible(dt: datetime) -> bool:
    """Reject epoch placeholders and dates in the future (beyond a day of clock skew)."""
    now = datetime.now(UTC)
    return _EARLIEST <= dt <= now + timedelta(days=1)


def date_from_url(url: str | None) -> datetime | None:
    """News URLs often carry the publication day (/2020/06/07/ or 20200607)."""
    if not url:
        return None
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    m = _URL_DATE.search(path) or _URL_COMPACT.search(path)
    if not m:
        return None
    return _build((m.group(1), m.group(2), m.group(3), None, None, None), None)


_Found = tuple[datetime, str]  # a parsed date and the text it was read from


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in found:
            found[key] = content
    return found


def _meta_dates(found: dict[str, str]) -> tuple[_Found | None, datetime | None]:
    published: _Found | None = None
    modified = None
    for key in _PUBLISHED_META:
        if key in found and (dt := parse_datetime(found[key])):
            published = (dt, found[key])
            break
    for key in _MODIFIED_META:
        if key in found and (modified := parse_datetime(found[key])):
            break
    return published, modified


def _element_dates(tree: lxml.html.HtmlElement) -> tuple[_Found | None, datetime | None]:
    """Microdata (itemprop) and <time> elements marked as the publication time."""
    published: _Found | None = None
    modified = None
    for el in tree.xpath(
        "//*[@itemprop='datePublished' or @itemprop='dateCreated' or @itemprop='dateModified'"
        " or @pubdate or (self::time and @datetime)]"
    ):
        value = el.get("datetime") or el.get("content") or (el.text or "")
        dt = parse_datetime(value)
        if dt is None:
            continue
        prop = el.get("itemprop") or ""
        if prop == "dateModified":
            modified = modified or dt
        else:
            published = published or (dt, value)
        if published and modified:
            break
    return published, modified


def _fold(word: str) -> str:
    """A month name in one spelling whatever its case, accents and Arabic-script letter forms
    (Persian pages mix Arabic yeh/kaf with the Persian ones; French ones drop accents)."""
    word = word.casefold().translate(_LETTER_FORMS)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# Eastern Arabic (Arabic-Indic, Persian), Devanagari and Bengali digits to ASCII ones.
_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x660, 0x6F0, 0x966, 0x9E6) for i in range(10)}
)
_LETTER_FORMS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ı": "i", "\u200c": ""})

# Gregorian month names in common news languages (genitive forms where the language declines
# them in dates), and the Solar Hijri months as Iran (Persian) and Afghanistan (Dari) name them.
_GREGORIAN_NAMES = (
    # English
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august"
    "|sep sept september|oct october|nov november|dec december",
    # French
    "janvier janv|fevrier fevr fev|mars|avril avr|mai|juin|juillet juil|aout"
    "|septembre|octobre|novembre|decembre dec",
    # German
    "januar janner|februar|marz mrz|april|mai|juni|juli|august|september|oktober okt"
    "|november|dezember dez",
    # Spanish, Italian, Portuguese
    "enero ene|febrero|marzo|abril abr|mayo|junio|julio|agosto ago|septiembre setiembre"
    "|octubre|noviembre|diciembre dic",
    "gennaio genn|febbraio febbr|marzo|aprile|maggio magg|giugno giu|luglio lug|agosto"
    "|settembre sett|ottobre ott|novembre|dicembre",
    "janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro",
    # Dutch, Turkish, Polish (genitive)
    "januari|februari|maart mrt|april|mei|juni|juli|augustus|september|oktober|november|december",
    "ocak|subat|mart|nisan|mayis|haziran|temmuz|agustos|eylul|ekim|kasim|aralik",
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrzesnia|pazdziernika"
    "|listopada|grudnia",
    # Russian and Ukrainian (genitive)
    "января янв|февраля фев|марта мар|апреля апр|мая|июня июн|июля июл|августа авг"
    "|сентября сен сент|октября окт|ноября ноя|декабря дек",
    "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня",
    # Arabic: Egyptian/Gulf/Maghreb names, then Levantine/Iraqi ones
    "يناير|فبراير|مارس|أبريل ابريل إبريل|مايو|يونيو يونيه|يوليو يوليه|أغسطس اغسطس"
    "|سبتمبر|أكتوبر اكتوبر|نوفمبر|ديسمبر",
    "كانون_الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين_الأول|تشرين_الثاني|كانون_الأول",
    # Persian spellings of the Gregorian months, Hebrew (after the preposition ב- is stripped)
    "ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه جولای|اوت آگوست|سپتامبر|اکتبر|نوامبر|دسامبر",
    "ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר",
)
_JALALI_NAMES = (
    "فروردین|اردیبهشت|خرداد|تیر|مرداد امرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند",
    "حمل|ثور|جوزا|سرطان|اسد|سنبله|میزان|عقرب|قوس|جدی|دلو|حوت",
)


def _month_table(languages: tuple[str, ...]) -> dict[str, int]:
    table: dict[str, int] = {}
    for months in languages:
        for number, names in enumerate(months.split("|"), start=1):
            for name in names.split():
                key = _fold(name.replace("_", " "))
                if table.setdefault(key, number) != number:
                    raise ValueError(f"month name {name!r} means two months")
        assert number == 12, months
    return table


_MONTHS = _month_table(_GREGORIAN_NAMES)
_JALALI_MONTHS = _month_table(_JALALI_NAMES)
_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 1, "west": 1, "cet": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "ist": 5.5, "sgt": 8, "hkt": 8, "jst": 9, "kst": 9, "aest": 10,
    "aedt": 11, "nzst": 12, "nzdt": 13, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7, "akst": -9, "hst": -10,
}  # fmt: skip
# A month word; Arabic names of two words have a second word with the article al- (ال).
_MONTH_RE = r"(?<![^\W\d_])(?P<mon>[^\W\d_]{2,15}(?:\s+ال[^\W\d_]{2,10})?)\.?"
_CLOCK = (
    r"(?:[\s,·|–—-]+(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*\(?(?P<tz>[a-z]{1,5})(?P<off>[+-]\d{1,2}(?::?\d{2})?)?\)?(?![a-z]))?)?"
)
_VISIBLE = (
    re.compile(
        r"(?P<d>\d{1,2})\.?\s+(?:de\s+)?" + _MONTH_RE
        + r",?\s+(?:del?\s+)?(?P<y>\d{4})(?!\d)" + _CLOCK,
        re.I,
    ),
    re.compile(
        _MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)" + _CLOCK, re.I
    ),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)" + _CLOCK, re.I),
    re.compile(r"(?<!\d)(?P<y>\d{4})([/-])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)" + _CLOCK, re.I),
)  # fmt: skip
# Text in Arabic script: a year-first numeric date with a 13xx/14xx year is a Solar Hijri one.
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_VISIBLE_XPATH = (
    "//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'posted')"
    " or contains(@class, 'published') or contains(@class, 'dateline')]"
)
_UPDATED = re.compile(
    r"^\s*(?:updated|modified|last updated|edited|mis à jour|aktualisiert|actualizado"
    r"|aggiornato|atualizado|bijgewerkt|обновлено|güncellenme)\b",
    re.I,
)


def parse_visible_date(text: str, persian: bool = False) -> datetime | None:
    """Day-month-year spellings as pages print them, with a clock and zone if shown: month
    names in common news languages, digits in any of the scripts pages use, and Solar Hijri
    (Jalali) dates, which Persian-language outlets print. `persian` says the page is in
    Persian, so a year-first numeric date such as 1399/04/02 is a Jalali one."""
    persian = persian or bool(_ARABIC_SCRIPT.search(text))
    text = text.translate(_DIGITS)
    for pattern in _VISIBLE:
        for m in pattern.finditer(text):
            if (dt := _visible_match(m, persian)) is not None:
                return dt
    return None


def _month_of(name: str) -> tuple[int, bool] | None:
    """(month number, is it a Jalali month) for a month word, or None."""
    key = _fold(name)
    if key in _MONTHS:
        return _MONTHS[key], False
    if key in _JALALI_MONTHS:
        return _JALALI_MONTHS[key], True
    if key.startswith("ב") and key[1:] in _MONTHS:  # Hebrew "באוגוסט": "in August"
        return _MONTHS[key[1:]], False
    return None


def _visible_match(m: re.Match[str], persian: bool) -> datetime | None:
    g = m.groupdict()
    year = int(g["y"])
    if g.get("m"):
        month, jalali = int(g["m"]), persian and 1300 <= year < 1500
    elif found := _month_of(g.get("mon") or ""):
        month, jalali = found
    else:
        return None
    day = int(g["d"])
    if jalali:
        try:
            gregorian = jdatetime.date(year, month, day).togregorian()
        except (ValueError, TypeError, OverflowError):
            return None
        year, month, day = gregorian.year, gregorian.month, gregorian.day
    hour = int(g["h"]) if g.get("h") else 0
    ampm = (g.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    zone: float = _ZONES.get((g.get("tz") or "").lower(), 0)
    if g.get("off") and zone == 0:  # "GMT+10", "UTC-4:30"
        off = g["off"].replace(":", "")
        sign = -1 if off[0] == "-" else 1
        zone = sign * (int(off[1:3] if len(off) > 3 else off[1:]) + int(off[3:5] or 0) / 60)
    try:
        dt = datetime(
            year, month, day, hour, int(g.get("mi") or 0),
            tzinfo=timezone(timedelta(hours=zone)) if zone else UTC,
        )  # fmt: skip
    except ValueError:
        return None
    return dt if plausible(dt) else None


def _visible_dates(tree: lxml.html.HtmlElement) -> datetime | None:
    """The date line shown with the headline; only near the headline, since link boxes
    and sidebars elsewhere carry dates of other articles."""
    root = tree if tree.tag == "html" else tree.getroottree().getroot()
    persian = (root.get("lang") or "").lower().startswith(("fa", "prs", "ps"))
    headline = next(tree.iter("h1"), None)
    if headline is None:  # older templates set the headline in an <h2>
        headline = next(tree.iter("h2"), None)
    if headline is not None:  # a date line set right under the headline, with no class hint
        shown: list[datetime] = []
        for sibling in list(headline.itersiblings())[:3]:
            text = sibling.text_content() if isinstance(sibling.tag, str) else ""
            short = bool(text) and len(text) <= 80 and not _UPDATED.match(text)
            if short and (dt := parse_visible_date(text, persian)):
                shown.append(dt)
        if len(shown) == 1:  # several: a list of other articles under a section title
            return shown[0]
    scope = headline.getparent() if headline is not None else None
    for _ in range(3):
        if scope is None or scope.tag in ("body", "html"):
            return None
        found: set[datetime] = set()
        for el in scope.xpath("." + _VISIBLE_XPATH)[:30]:
            text = el.text_content()
            if not text or len(text) > 120 or _UPDATED.match(text):
                continue
            dt = parse_visible_date(text, persian)
            if dt is not None:
                found.add(dt)
        if len(found) == 1:
            return found.pop()
        if found:  # several dates around the headline: a list of other articles, not ours
            return None
        scope = scope.getparent()
    return None


def find_dates(
    tree: lxml.html.HtmlElement,
    url: str | None,
    jsonld: dict[str, Any] | None = None,
    use_htmldate: bool = True,
    raw_html: str = "",
    image_url: str | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(published_at, modified_at), trusting explicit declarations over heuristics."""
    jsonld = jsonld or {}
    found: _Found | None = None
    for key in ("datePublished", "dateCreated"):
        raw = jsonld.get(key)
        if isinstance(raw, str) and (dt := parse_datetime(raw)):
            found = (dt, raw)
            break
    modified = parse_datetime(jsonld.get("dateModified"))
    meta = _meta_map(tree)
    if found is None or modified is None:
        mp, mm = _meta_dates(meta)
        found, modified = found or mp, modified or mm
    if found is None or modified is None:
        ep, em = _element_dates(tree)
        found, modified = found or ep, modified or em
    published = found[0] if found else None
    url_date = date_from_url(url)
    if published is None:
        published = _visible_dates(tree)
        if published and url_date and published.date() != url_date.date():
            published = url_date  # the URL's day is the more deliberate statement
    if published is None:
        published = url_date or _rdf_date(raw_html)
    elif _stated_utc(found):
        published = _local_day(published, url_date, tree, url, meta)
    if published is None:
        published = date_from_url(image_url)  # upload paths (/2020/10/13/) name the day
    if published is None:
        published = _epoch_attribute(tree)
    if published is None and use_htmldate and not _home_page(url):
        published = _htmldate(tree, url)
    if published and modified and modified < published:
        modified = None  # a "modified" date before publication is a template artefact
    return published, modified


_UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|\b(?:GMT|UTC))\s*$", re.I)


def _stated_utc(found: _Found | None) -> bool:
    """True when the source wrote an explicit UTC offset (not a bare local wall time)."""
    if found is None:
        return False
    return found[0].utcoffset() == timedelta(0) and bool(_UTC_SUFFIX.search(found[1].strip()))


# The main newsroom time zone of countries whose outlets often stamp UTC. Country-code
# domains only where the code is used by that country's outlets (not .co, .io, .tv, .fm).
_COUNTRY_ZONES = {
    "us": "America/New_York", "ca": "America/Toronto", "mx": "America/Mexico_City",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago",
    "pe": "America/Lima", "ve": "America/Caracas", "uk": "Europe/London", "gb": "Europe/London",
    "ie": "Europe/Dublin", "pt": "Europe/Lisbon", "es": "Europe/Madrid", "fr": "Europe/Paris",
    "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "de": "Europe/Berlin",
    "ch": "Europe/Zurich", "at": "Europe/Vienna", "it": "Europe/Rome", "dk": "Europe/Copenhagen",
    "se": "Europe/Stockholm", "no": "Europe/Oslo", "fi": "Europe/Helsinki",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "ro": "Europe/Bucharest", "bg": "Europe/Sofia",
    "gr": "Europe/Athens", "hr": "Europe/Zagreb", "si": "Europe/Ljubljana",
    "rs": "Europe/Belgrade", "ua": "Europe/Kyiv", "ru": "Europe/Moscow", "tr": "Europe/Istanbul",
    "il": "Asia/Jerusalem", "eg": "Africa/Cairo", "za": "Africa/Johannesburg",
    "ng": "Africa/Lagos", "ke": "Africa/Nairobi", "ae": "Asia/Dubai", "sa": "Asia/Riyadh",
    "ir": "Asia/Tehran", "pk": "Asia/Karachi", "in": "Asia/Kolkata", "bd": "Asia/Dhaka",
    "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "id": "Asia/Jakarta",
    "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "ph": "Asia/Manila",
    "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "tw": "Asia/Taipei", "kr": "Asia/Seoul",
    "jp": "Asia/Tokyo", "au": "Australia/Sydney", "nz": "Pacific/Auckland",
}  # fmt: skip
_REGION = re.compile(r"^[a-z]{2,3}[-_]([a-z]{2})$", re.I)


def outlet_zone(
    url: str | None, tree: lxml.html.HtmlElement, meta: dict[str, str] | None = None
) -> ZoneInfo | None:
    """The outlet's home time zone: its country-code domain, else its language's region."""
    host = (url or "").split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    country = host.rsplit(".", 1)[-1] if "." in host else ""
    if country not in _COUNTRY_ZONES:
        meta = meta if meta is not None else _meta_map(tree)
        root = tree if tree.tag == "html" else tree.getroottree().getroot()
        for tag in (root.get("lang"), meta.get("og:locale"), meta.get("content-language")):
            m = _REGION.match((tag or "").strip())
            if m and m.group(1).lower() in _COUNTRY_ZONES:
                country = m.group(1).lower()
                break
    name = _COUNTRY_ZONES.get(country)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _epoch_attribute(tree: lxml.html.HtmlElement) -> datetime | None:
    """Unix seconds in data-time/-timestamp/-utime: the first such stamp is the post's own."""
    for el in tree.xpath("//*[@data-time or @data-timestamp or @data-utime]")[:3]:
        raw = el.get("data-time") or el.get("data-timestamp") or el.get("data-utime") or ""
        if raw.isdigit() and len(raw) in (10, 13):
            seconds = int(raw) / (1000 if len(raw) == 13 else 1)
            dt = datetime.fromtimestamp(seconds, UTC)
            if plausible(dt):
                return dt
    return None


def _local_day(
    instant: datetime,
    url_date: datetime | None,
    tree: lxml.html.HtmlElement,
    url: str | None,
    meta: dict[str, str],
) -> datetime:
    """A UTC timestamp does not say which local day the outlet published on. The day the
    page states elsewhere (its URL, then the text printed in the stamp's own element) does,
    when it is a local day somewhere plausible; failing that, the outlet's home zone."""
    stated = [url_date.date()] if url_date else []
    stated += _shown_days(tree)
    for day in stated:
        if day == instant.date():
            return instant
        if _local_day_possible(instant, day):
            return url_date if url_date and day == url_date.date() else _on_day(instant, day)
    zone = outlet_zone(url, tree, meta)
    return instant.astimezone(zone) if zone is not None else instant


def _shown_days(tree: lxml.html.HtmlElement) -> list[date]:
    """Days printed inside the first elements that carry the publication timestamp."""
    days: list[date] = []
    for el in tree.xpath("//time[@datetime] | //*[@itemprop='datePublished']")[:3]:
        text = el.text_content() if el.tag != "meta" else ""
        if text and len(text) <= 80 and (dt := parse_visible_date(text)):
            days.append(dt.date())
    return days


def _on_day(instant: datetime, day: date) -> datetime:
    """The instant in the whole-hour offset nearest UTC that puts it on `day` (keeps it exact)."""
    shift = 1 if day > instant.date() else -1
    for hours in range(1, 15):
        local = instant.astimezone(timezone(timedelta(hours=shift * hours)))
        if local.date() == day:
            return local
    return instant


# Offsets news outlets publish from: Hawaii/Alaska (-10) to New Zealand (+12/+13).
_OFFSETS = (timedelta(hours=-10), timedelta(hours=13))


def _local_day_possible(instant: datetime, day: date) -> bool:
    """True when `day` differs from the instant's UTC day but is its local day somewhere."""
    if instant.date() == day:
        return False
    earliest, latest = (instant + _OFFSETS[0]).date(), (instant + _OFFSETS[1]).date()
    return earliest <= day <= latest


_RDF_DATE = re.compile(r"""dc:date\s*=\s*["']([^"']{8,40})["']""")


def _rdf_date(raw_html: str) -> datetime | None:
    """Trackback RDF blocks (often inside comments, which the parser drops) carry dc:date."""
    m = _RDF_DATE.search(raw_html) if raw_html else None
    return parse_datetime(m.group(1)) if m else None


def _home_page(url: str | None) -> bool:
    """A site's front page lists many stories and has no publication date of its own; the
    heuristic search would only pick one of theirs (and costs most there: pages are long)."""
    if not url:
        return False
    rest = url.split("://", 1)[-1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return path.split("#", 1)[0] in ("", "index.html", "index.php", "index.htm")


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> datetime | None:
    try:
        from htmldate import find_date

        # The markup-only pass is cheap and, when it answers, agrees with the extensive
        # text search; the extensive one (dateparser over free text) runs only when needed.
        found = None
        for extensive in (False, True):
            found = find_date(
                tree,
                url=url,
                original_date=True,
                extensive_search=extensive,
                outputformat="%Y-%m-%d",
            )
            if found:
                break
    except Exception:  # htmldate's heuristics must never break cleaning
        return None
    if not found:
        return None
    try:
        d = date.fromisoformat(found)
    except ValueError:
        return None
    if (d.month, d.day) == (1, 1):
        return None  # htmldate's answer when it only saw a year ("(c) 2020"): not a day
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
