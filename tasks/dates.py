"""Publication and modification dates, from the most to the least trustworthy source.

Structured data (JSON-LD, article:* meta, microdata, <time> elements) states the original
publication date explicitly, so it is read first; the URL is next; htmldate's heuristic search
over the whole page is the costly last resort. Time zones are kept when the source states one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

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


def _meta_dates(tree: lxml.html.HtmlElement) -> tuple[datetime | None, datetime | None]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in found:
            found[key] = content
    published = modified = None
    for key in _PUBLISHED_META:
        if key in found and (published := parse_datetime(found[key])):
            break
    for key in _MODIFIED_META:
        if key in found and (modified := parse_datetime(found[key])):
            break
    return published, modified


def _element_dates(tree: lxml.html.HtmlElement) -> tuple[datetime | None, datetime | None]:
    """Microdata (itemprop) and <time> elements marked as the publication time."""
    published = modified = None
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
            published = published or dt
        if published and modified:
            break
    return published, modified


def find_dates(
    tree: lxml.html.HtmlElement,
    url: str | None,
    jsonld: dict[str, Any] | None = None,
    use_htmldate: bool = True,
) -> tuple[datetime | None, datetime | None]:
    """(published_at, modified_at), trusting explicit declarations over heuristics."""
    jsonld = jsonld or {}
    published = parse_datetime(jsonld.get("datePublished")) or parse_datetime(
        jsonld.get("dateCreated")
    )
    modified = parse_datetime(jsonld.get("dateModified"))
    if published is None or modified is None:
        mp, mm = _meta_dates(tree)
        published, modified = published or mp, modified or mm
    if published is None or modified is None:
        ep, em = _element_dates(tree)
        published, modified = published or ep, modified or em
    url_date = date_from_url(url)
    if published is None:
        published = url_date
    if published is None and use_htmldate:
        published = _htmldate(tree, url)
    if published and modified and modified < published:
        modified = None  # a "modified" date before publication is a template artefact
    return published, modified


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> datetime | None:
    try:
        from htmldate import find_date

        found = find_date(
            tree, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # htmldate's heuristics must never break cleaning
        return None
    if not found:
        return None
    try:
        d = date.fromisoformat(found)
    except ValueError:
        return None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
