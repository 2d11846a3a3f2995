"""Article metadata from the page's own declarations, most trusted first.

Order of trust: JSON-LD (NewsArticle and kin, including @graph), OpenGraph and article:* meta,
other meta tags, microdata, bylines in the page, then the URL. Everything reads the lxml tree
the body extractor also uses, so a page is parsed once.
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from tasks.clean.bylines import (
    drop_role_suffix,
    drop_trailing_date_words,
    not_a_name,
    off_region,
    spaced_text,
    sponsored,
    strip_lead,
)

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "webpage",
    "posting",
}
_WS = re.compile(r"\s+")
_BY = re.compile(
    r"^\s*(?:(?:[^\W\d_]+\s+){0,2}by|von|par|por|di|door|av|af|от|автор:?)\s+", re.IGNORECASE
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?:^|\s)@\w+")
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|editor|editors|correspondent|reporter|writer|contributor|columnist"
    r"|photographer|producer|analyst|reuters|associated press|bureau|updated|published|agency"
    r"|press|news|desk|wire|newsroom|team|media)\b",
    re.IGNORECASE,
)
# Lower-case conjunctions only, so a middle initial ("Sarah E. Needleman") is not a separator.
_SPLIT_AUTHORS = re.compile(r"\s*(?:,|;|\||&)\s*|\s+(?:and|und|et|y|e|og|och|en|i)\s+")
# Some templates wrap JSON-LD in a CDATA section ("<![CDATA[ {...} ]]>", also behind "//").
_CDATA = re.compile(r"^(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>$")
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|:)\s+")


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    jsonld: dict[str, Any] = field(default_factory=dict)  # the article object, for dates


# An entity left in a declared value: templates that escape twice ("zerst&amp;ouml;ren" in
# og:title's content parses to "zerst&ouml;ren"), and JSON-LD, which HTML never unescapes.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def unescaped(text: str) -> str:
    """The text with HTML entities left in it resolved ("&quot;", "&#039;", "&ouml;")."""
    return html.unescape(text) if _ENTITY.search(text) else text


def _clean(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", unescaped(value)).strip()
    return text or None


def _walk_jsonld(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in node:
                _walk_jsonld(node[key], out, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {v.lower() for v in values if isinstance(v, str)}


def read_jsonld(tree: lxml.html.HtmlElement) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the article object, the publisher/website object) from every JSON-LD block."""
    nodes: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = _CDATA.sub("", (script.text or "").strip()).strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # trailing commas and control characters are common in hand-written JSON-LD
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except ValueError:
                continue
        _walk_jsonld(data, nodes)
    article: dict[str, Any] = {}
    best_rank = 99
    site: dict[str, Any] = {}
    order = ["newsarticle", "reportagenewsarticle", "analysisnewsarticle", "article"]
    for node in nodes:
        types = _types(node)
        if types & _ARTICLE_TYPES:
            rank = min((order.index(t) if t in order else 5) for t in types & _ARTICLE_TYPES)
            if "webpage" in types:
                rank = 8
            if rank < best_rank:
                article, best_rank = node, rank
        elif types & {"website", "organization", "newsmediaorganization"} and not site:
            site = node
    return article, site


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and content.strip():
            found.setdefault(key, []).append(content.strip())
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if key in meta:
            return _clean(meta[key][0])
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def clean_authors(raw: list[str]) -> list[str]:
    """Person names only: no "By", roles, e-mail addresses, handles, URLs or duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, str) or item.strip().startswith(("http://", "https://")):
            continue
        text = _EMAIL.sub(" ", unescaped(item))
        text = _HANDLE.sub(" ", text)
        text = _WS.sub(" ", text).strip()
        if sponsored(text):
            continue
        text = strip_lead(_BY.sub("", text))
        if not_a_name(text):
            continue
        for part in _SPLIT_AUTHORS.split(text):
            name = strip_lead(_BY.sub("", part)).strip(" .,:;-–—|/[]")
            name = name.strip("(") if name.count("(") > name.count(")") else name
            name = name.strip(")") if name.count(")") > name.count("(") else name
            if not name or _ROLE.search(name) or any(c.isdigit() for c in name):
                continue
            if not_a_name(name):
                continue
            name = drop_trailing_date_words(drop_role_suffix(name))
            words = name.split()
            if len(words) > 5 or len(name) > 60:
                continue
            key = name.lower()
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out


_BYLINE_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'author')"
    " or contains(@class, 'byline') or @class='by' or contains(@class, 'credits')"
    " or contains(@class, 'Byline') or contains(@class, 'Author')]"
)
_LABEL = re.compile(r"^\s*(?:text|words|story|author|autor|auteur|reporter)\s*:\s*", re.I)
_NOT_AUTHOR_PART = re.compile(
    r"^\s*(?:edit(?:ing|ed)|photo(?:s|graphs?)?|additional reporting|graphics|illustrations?)"
    r"\b",
    re.I,
)


# A byline line that runs on into its date ("By Nathan Willis March 25, 2015"): cut at the
# first word with a digit; a month name before it goes with drop_trailing_date_words.
_DATE_TAIL = re.compile(r"\s+\S*\d")


def _byline_authors(tree: lxml.html.HtmlElement) -> list[str]:
    """Names from the first byline-like element that has any (bylines, credits lines)."""
    for el in tree.xpath(_BYLINE_XPATH)[:12]:
        if el.tag in ("meta", "link", "body", "html", "img") or off_region(el):
            continue
        value = el.get("content") or spaced_text(el)
        if not value or len(value) > 200:
            continue
        head = _DATE_TAIL.split(value, maxsplit=1)
        if len(head) > 1:  # the line runs on into its date: the names before it, if short
            value = drop_trailing_date_words(head[0])
            parts = _SPLIT_AUTHORS.split(strip_lead(_BY.sub("", value)))
            if any(len(part.split()) > 3 for part in parts):
                continue  # "Tech Insider Alex Perry": a label glued on; a nested element may do
        parts = [_LABEL.sub("", part) for part in value.split(";")]
        names = clean_authors([p for p in parts if not _NOT_AUTHOR_PART.match(p)])
        if names:
            return names
    return []


# Links to an author's page: "/author/anna-berg", "/autor/...", "/auteur/12-x", "/by/...".
_AUTHOR_HREF = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autore|autori|writers?|by|journalist(?:en)?"
    r"|redakteur(?:e|in)?)/[^/?#]+",
    re.IGNORECASE,
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """ "Jérémy Piette" -> "jeremy-piette", as author pages are named."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def _author_link_names(tree: lxml.html.HtmlElement) -> list[str]:
    """Names linked to their own author pages, for templates whose byline has no byline
    markup: the first such link outside comments, sidebars and teasers, and its co-authors
    (author links in the same block). The link's address must carry the name it shows
    ("/autor/anna-berg" for "Anna Berg", "/auteur/12-jeremy-piette" for "Jérémy Piette"), so
    "More from this author" and a name linked to some other page do not count."""
    scope: lxml.html.HtmlElement | None = None
    names: list[str] = []
    for a in tree.iter("a"):
        href = a.get("href") or ""
        if not _AUTHOR_HREF.search(href):
            continue
        if scope is not None and scope not in a.iterancestors():
            continue
        text = spaced_text(a)
        if not text or len(text) > 60 or off_region(a):
            continue
        try:
            path = _slug(urlsplit(href).path) if "://" in href else _slug(href)
        except ValueError:  # e.g. href="http://[bad/...": not a link to anything
            continue
        found = [n for n in clean_authors([text]) if name_shaped(n) and _slug(n) in path]
        if not found:
            continue
        if scope is None:
            parent = a.getparent()
            scope = parent.getparent() if parent is not None else None
            if scope is None:
                return found
        names.extend(n for n in found if n not in names)
    return names


_NAME_PARTICLES = frozenset({"de", "da", "del", "van", "von", "der", "bin", "al", "la", "le"})
# Between the names of a byline: "A, B and C", "A | Agency", "A & B".
BYLINE_SPLIT = re.compile(r"\s*(?:[|,;&·•]|\band\b)\s*")


def is_role(text: str) -> bool:
    """Whether a byline part names a job or desk ("Staff Writer", "Political Editor")."""
    return _ROLE.search(text) is not None


def name_shaped(text: str) -> bool:
    """Two to five words, capitalised but for name particles ("Jan van der Berg")."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and all(w[0].isupper() or w in _NAME_PARTICLES for w in words)
        and sum(w[0].isupper() for w in words) >= 2
    )


def _first_line(el: lxml.html.HtmlElement) -> str:
    """An element's text up to its first line break or block child."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag in ("br", "p", "div", "span", "time") and "".join(parts).strip():
            break
        parts.append(child.text_content() + (child.tail or ""))
    return _WS.sub(" ", "".join(parts)).strip()


def _headline_byline(tree: lxml.html.HtmlElement) -> list[str]:
    """Names in the line right under the headline, for templates without byline markup
    ("<b>Marta Oyelaran</b> | Tidewater Press Agency"): only name-shaped parts count."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        headline = next(tree.iter("h2"), None)
    node, hops = headline, 0
    while node is not None and node.getnext() is None and hops < 2:
        node, hops = node.getparent(), hops + 1  # the headline may sit inside a wrapper
    following = node.getnext() if node is not None else None
    if following is None or not isinstance(following.tag, str):
        return []
    line = _first_line(following)
    if not line or len(line) > 160:
        return []
    parts = [_BY.sub("", p).strip() for p in BYLINE_SPLIT.split(_EMAIL.sub(" ", line))]
    return clean_authors([p for p in parts if name_shaped(p) and not is_role(p)])


def strip_site_suffix(title: str, site_name: str | None, host: str) -> str:
    """Drop " | Site" / "Site - " decorations that templates add to <title> and og:title."""
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    host_key = re.sub(r"^www\.", "", host).split(".")[0].lower()
    site_key = (site_name or "").lower().replace(" ", "")

    def is_site(part: str) -> bool:
        p = part.lower().replace(" ", "")
        return bool(p) and bool(
            (site_key and (p in site_key or site_key in p)) or (host_key and host_key in p)
        )

    if is_site(parts[-1]):
        return _rejoin(title, -1)
    if is_site(parts[0]):
        return _rejoin(title, 0)
    return title


def headline_part(title: str, tree: lxml.html.HtmlElement) -> str:
    """The page's own headline when the declared title is it plus decorations the site
    name did not match ("Headline | Sport", "Headline | DW | 28.04.2023")."""
    if not _TITLE_SEP.search(title):
        return title
    for h1 in tree.iter("h1"):
        text = _WS.sub(" ", h1.text_content()).strip()
        if len(text) >= 10 and title.startswith(text):
            rest = title[len(text) :]
            sep = _TITLE_SEP.match(rest)
            if sep:
                return text
        break
    return title


def _all_site(names: list[str], site_name: str | None, host: str) -> bool:
    """Whether every name is the site itself ("Krautreporter" on krautreporter.de)."""
    host_key = re.sub(r"^www\.", "", host).split(".")[0].lower()
    site_key = (site_name or "").lower().replace(" ", "")
    for name in names:
        key = name.lower().replace(" ", "")
        if not key or not ((host_key and key in host_key) or (site_key and key in site_key)):
            return False
    return bool(names)


def _rejoin(title: str, drop: int) -> str:
    seps = list(_TITLE_SEP.finditer(title))
    if drop == -1:
        return title[: seps[-1].start()].strip()
    return title[seps[0].end() :].strip()


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [t for v in value for t in _tags(v)]
    if isinstance(value, dict):
        return _tags(value.get("name"))
    return []


def _image(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _image(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _image(value[0])
    return None


def _anonymous_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _plausible_canonical(candidate: str | None, page_url: str) -> str | None:
    """A canonical URL on the same site (or its parent domain) that isn't just the home page."""
    if not candidate:
        return None
    try:
        absolute = urljoin(page_url, candidate.strip())
        parts, page = urlsplit(absolute), urlsplit(page_url)
    except ValueError:  # e.g. href="http://[bad/x": ignore the link, keep the article
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    page_host = (page.hostname or "").lower()
    base = ".".join(parts.hostname.lower().split(".")[-2:])
    # A page served from a bare IP address or localhost (a mirror, a local server, a
    # replay) has no site identity to compare with: its declared canonical is the best
    # name it has. Elsewhere a cross-site canonical is not trusted as identity.
    if page_host and not page_host.endswith(base) and not _anonymous_host(page_host):
        return None
    if parts.path in ("", "/") and page.path not in ("", "/"):
        return None
    return absolute


def extract_metadata(tree: lxml.html.HtmlElement, url: str) -> Metadata:
    """Everything but dates and body text (see tasks.clean.dates and tasks.clean.extraction)."""
    article, site = read_jsonld(tree)
    meta = _meta_map(tree)
    host = (urlsplit(url).hostname or "").lower()
    md = Metadata(jsonld=article)

    publisher = article.get("publisher")
    site_name = (
        _first(meta, "og:site_name", "application-name", "twitter:site:name")
        or (_clean(publisher.get("name")) if isinstance(publisher, dict) else None)
        or _clean(site.get("name"))
    )
    md.site_name = site_name.lstrip("@") or None if site_name else None

    title = (
        _clean(article.get("headline"))
        or _first(meta, "og:title", "twitter:title", "parsely-title", "sailthru.title", "title")
        or _clean(article.get("name"))
    )
    if not title:
        t = tree.find(".//title")
        title = _clean(t.text_content()) if t is not None else None
    if not title:
        h1 = tree.find(".//h1")
        title = _clean(h1.text_content()) if h1 is not None else None
    md.title = strip_site_suffix(title, md.site_name, host) if title else None
    if md.title:
        md.title = headline_part(md.title, tree)

    authors = clean_authors(_names(article.get("author")) + _names(article.get("creator")))
    raw = []
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
        raw.extend(meta.get(key, []))
    in_meta = clean_authors(raw)
    if not authors or (
        _all_site(authors, md.site_name, host) and not _all_site(in_meta, md.site_name, host)
    ):
        # JSON-LD that names the site itself while the meta tags name a person: the person
        authors = in_meta or authors
    people = [a for a in authors if not _all_site([a], md.site_name, host)]
    authors = people or authors  # "Anna Berg, lrt.lt": the site beside a person is no author
    md.authors = (
        authors or _byline_authors(tree) or _author_link_names(tree) or _headline_byline(tree)
    )

    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    lang = (
        _clean(article.get("inLanguage"))
        or html_el.get("lang")
        or html_el.get("{http://www.w3.org/XML/1998/namespace}lang")
        or _first(meta, "content-language", "dc.language", "og:locale", "language")
    )
    if lang:
        code = re.split(r"[-_,; ]", lang.strip().lower())[0]
        md.language = code if 2 <= len(code) <= 3 and code.isalpha() else None

    canonical = None
    for link in tree.xpath("//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split():
            canonical = link.get("href")
            break
    md.canonical_url = _plausible_canonical(canonical, url) or _plausible_canonical(
        _first(meta, "og:url"), url
    )

    md.description = _first(meta, "og:description", "description", "twitter:description") or _clean(
        article.get("description")
    )
    md.section = _clean(article.get("articleSection")) or _first(
        meta, "article:section", "parsely-section", "section", "category"
    )
    tags = meta.get("article:tag", []) or _tags(article.get("keywords"))
    if not tags:
        tags = _tags(meta.get("news_keywords", []) or meta.get("keywords", []))
    seen: set[str] = set()
    title_key = (md.title or "").lower()
    md.tags = [
        t
        for t in (_WS.sub(" ", x).strip() for x in tags)
        if t and len(t) <= 60 and t.lower() != title_key and not _dup(t, seen)
    ][:30]
    image = _first(meta, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    image = image or _image(article.get("image"))
    try:
        md.image_url = urljoin(url, image) if image else None
    except ValueError:  # e.g. "http://[bad/x.jpg": no image, but keep the article
        md.image_url = None
    return md


def _dup(tag: str, seen: set[str]) -> bool:
    key = tag.lower()
    if key in seen:
        return True
    seen.add(key)
    return False
