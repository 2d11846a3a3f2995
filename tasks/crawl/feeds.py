"""Parsers for what discovery reads: RSS 2.0/1.0, Atom, JSON Feed, sitemaps and HTML links.

One entry point, `parse_listing`, sniffs the format from the bytes rather than trusting the
Content-Type, because servers label feeds as text/html, text/plain or application/octet-stream
about as often as correctly. XML is parsed with entity expansion and network access off: these
documents come from outside and must not be able to read local files or balloon in memory.
"""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from records.times import as_utc, parse_http_date

MAX_LISTING_BYTES = 64 * 1024 * 1024  # a sitemap may hold 50 MB uncompressed (sitemaps.org)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
    "application/xml",
)
_SKIP_EXTENSIONS = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".svg",
        ".ico",
        ".pdf",
        ".zip",
        ".gz",
        ".mp3",
        ".mp4",
        ".m4a",
        ".mov",
        ".avi",
        ".webm",
        ".css",
        ".js",
        ".json",
        ".xml",
        ".rss",
        ".woff",
        ".woff2",
        ".ttf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".exe",
        ".dmg",
        ".apk",
    ]
)


class ListingError(ValueError):
    """The document is not a feed, sitemap or HTML page we can read."""


@dataclass(slots=True)
class Entry:
    url: str
    published: datetime | None = None
    title: str | None = None
    lastmod: datetime | None = None  # when the listing says the page last changed


@dataclass
class Listing:
    kind: Literal["feed", "sitemap", "sitemapindex", "html"]
    entries: list[Entry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # sitemap index -> sitemaps


def parse_date(value: str | None) -> datetime | None:
    """W3C/ISO 8601 (sitemaps, Atom, JSON Feed) or RFC 822 (RSS) to an aware UTC datetime."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return as_utc(datetime.fromisoformat(value.replace("z", "Z")))
    except ValueError:
        return parse_http_date(value)


def gunzip_limited(data: bytes, limit: int = MAX_LISTING_BYTES) -> bytes:
    """Inflate a .gz sitemap without letting a bomb take more than `limit` bytes of memory."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise ListingError(f"gzipped listing inflates past {limit} bytes")
    return out


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: etree._Element, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    url = urljoin(base, href.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


def _parse_rss_item(item: etree._Element, base: str) -> Entry | None:
    link = _text(item, "link")
    if not link:
        for guid in _children(item, "guid"):
            if (guid.get("isPermaLink") or "true").lower() == "true" and guid.text:
                link = guid.text.strip()
    url = _absolute(base, link)
    if url is None:
        return None
    date = _text(item, "pubdate") or _text(item, "date") or _text(item, "published")
    return Entry(url, parse_date(date), _text(item, "title"))


def _parse_atom_entry(entry: etree._Element, base: str) -> Entry | None:
    href = None
    for link in _children(entry, "link"):
        rel = (link.get("rel") or "alternate").lower()
        if rel == "alternate" and (link.get("type") or "text/html").startswith(
            ("text/html", "application/xhtml")
        ):
            href = link.get("href")
            break
    entry_base = entry.get("{http://www.w3.org/XML/1998/namespace}base")
    url = _absolute(urljoin(base, entry_base) if entry_base else base, href)
    if url is None:
        return None
    date = _text(entry, "published") or _text(entry, "updated") or _text(entry, "issued")
    return Entry(url, parse_date(date), _text(entry, "title"))


def _parse_sitemap_url(node: etree._Element, base: str) -> Entry | None:
    url = _absolute(base, _text(node, "loc"))
    if url is None:
        return None
    published = None
    title = None
    for news in _children(node, "news"):
        published = parse_date(_text(news, "publication_date"))
        title = _text(news, "title")
    # a news sitemap's publication date is the article's; <lastmod> is only a fallback
    lastmod = parse_date(_text(node, "lastmod"))
    return Entry(url, published or lastmod, title, lastmod)


def _parse_xml(data: bytes, base: str) -> Listing:
    try:
        root = etree.parse(io.BytesIO(data), _XML_PARSER).getroot()
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"not well-formed XML: {exc}") from exc
    if root is None:
        raise ListingError("empty XML document")
    kind = _local(root.tag)
    if kind == "urlset":
        entries = [e for n in _children(root, "url") if (e := _parse_sitemap_url(n, base))]
        return Listing("sitemap", entries)
    if kind == "sitemapindex":
        children = [
            u for n in _children(root, "sitemap") if (u := _absolute(base, _text(n, "loc")))
        ]
        return Listing("sitemapindex", children=children)
    if kind == "feed":
        entries = [e for n in _children(root, "entry") if (e := _parse_atom_entry(n, base))]
        return Listing("feed", entries)
    if kind in ("rss", "rdf"):
        items = [n for n in root.iter() if _local(n.tag) == "item"]
        return Listing("feed", [e for n in items if (e := _parse_rss_item(n, base))])
    raise ListingError(f"XML root <{kind}> is neither a feed nor a sitemap")


def _parse_json_feed(data: bytes, base: str) -> Listing:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ListingError(f"not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise ListingError("JSON document has no 'items' list (not a JSON Feed)")
    entries = []
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        href = item.get("url") or item.get("external_url")
        url = _absolute(base, href) if isinstance(href, str) else None
        if url is None:
            continue
        date = item.get("date_published") or item.get("date_modified")
        title = item.get("title")
        entries.append(
            Entry(
                url,
                parse_date(date) if isinstance(date, str) else None,
                title if isinstance(title, str) else None,
            )
        )
    return Listing("feed", entries)


def parse_listing(data: bytes, base_url: str) -> Listing:
    """Feed, sitemap (plain or gzipped), sitemap index or HTML page, judged by content."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_limited(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return _parse_json_feed(data, base_url)
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemap")):
        return _parse_xml(data, base_url)
    if b"<html" in head or b"<!doctype html" in head or b"<head" in head:
        return Listing("html")
    if head.startswith(b"<"):
        return _parse_xml(data, base_url)
    # a plain-text sitemap: one URL per line
    text = data.decode("utf-8", "replace")
    urls = [u for line in text.splitlines() if (u := _absolute(base_url, line.strip()))]
    if not urls:
        raise ListingError("document is not a feed, sitemap or HTML page")
    return Listing("sitemap", [Entry(u) for u in urls])


def feed_links(html: bytes, base_url: str) -> list[str]:
    """Feeds a homepage announces with <link rel="alternate" type="...">, in page order."""
    tree = LexborHTMLParser(html)
    base = _html_base(tree, base_url)
    found: list[str] = []
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            url = _absolute(base, node.attributes.get("href"))
            if url and url not in found:
                found.append(url)
    return found


def _html_base(tree: LexborHTMLParser, base_url: str) -> str:
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    return urljoin(base_url, href) if href else base_url


def same_site_links(html: bytes, base_url: str) -> list[str]:
    """Links to other pages of the same host that could be HTML, in page order, no fragments."""
    tree = LexborHTMLParser(html)
    base = _html_base(tree, base_url)
    host = urlsplit(base_url).netloc.lower()
    found: dict[str, None] = {}
    for node in tree.css("a[href]"):
        rel = (node.attributes.get("rel") or "").lower()
        if "nofollow" in rel:
            continue
        url = _absolute(base, node.attributes.get("href"))
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.netloc.lower() != host:
            continue
        path = parts.path.lower()
        dot = path.rfind(".")
        if dot > path.rfind("/") and path[dot:] in _SKIP_EXTENSIONS:
            continue
        found[url.split("#", 1)[0]] = None
    return list(found)


def read_local(path: str, limit: int) -> bytes:
    """A local `.html` or `.html.gz` file, inflated with the same bomb guard as the network."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ListingError(f"{path} is larger than {limit} bytes")
    if data[:2] == b"\x1f\x8b":
        try:
            return gunzip_limited(data, limit)
        except (OSError, EOFError, zlib.error) as exc:
            raise ListingError(f"{path}: broken gzip data: {exc}") from exc
    return data


__all__ = [
    "FEED_TYPES",
    "Entry",
    "Listing",
    "ListingError",
    "feed_links",
    "gunzip_limited",
    "parse_date",
    "parse_listing",
    "read_local",
    "same_site_links",
]
