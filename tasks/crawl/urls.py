"""URL canonicalization: one spelling per document, so ids and duplicates line up.

Two levels. `canonicalize_url` returns a URL that still works in a browser and is
used for article ids: it only rewrites what provably names the same resource (case
of scheme and host, default ports, fragments, tracking parameters, parameter order,
dot segments, trailing slashes, AMP and mobile variants, session ids). Tracking
parameters are those of our list and those courlan's maintained list (the one
trafilatura uses) recognises, except the few names courlan takes for trackers that
often identify the document (`cid`, `eid`). tests/test_url_list.py measures both on
one URL list. `url_key` goes further
for duplicate detection (ignores the scheme and a leading `www.`), where a false
"same page" costs little because the text check still has to agree.
"""

from __future__ import annotations

import contextlib
import hashlib
import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from courlan.clean import clean_query

# Parameters that identify the click, campaign or sharer, never the document.
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_", "__twitter", "_hs", "oly_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        "vero_conv",
        "ocid",
        "ncid",
        "cmpid",
        "cmp",
        "s_cid",
        "icid",
        "spm",
        "smid",
        "smtyp",
        "ref_src",
        "ref_url",
        "ito",
        "share",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "fromrss",
    }
)
# Session ids: the server's handle on one visitor, never part of the document's name.
_SESSION_KEYS = frozenset(
    {
        "sessionid",
        "session_id",
        "sessid",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
        "cfid",
        "cftoken",
        "zenid",
        "oscsid",
    }
)
# `;jsessionid=...` and the like inside a path segment (Java servlets, old ASP).
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.IGNORECASE)
# Names courlan's tracker pattern matches that name the document on many sites
# (`article.php?cid=42`): dropping them would make two articles one.
_DOCUMENT_KEYS = frozenset({"cid", "eid"})
# Parameters that only switch the page to its AMP rendering.
_AMP_PARAMS = frozenset({"amp_js_v", "usqp", "_amp"})
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp|mobil|touch)\.(?=[^.]+\.[^.]+)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
_SAFE_SEGMENT = ":@!$&'()*+,;="


@lru_cache(maxsize=4096)
def _is_tracking(key: str) -> bool:
    k = key.lower()
    if k.startswith(_TRACKING_PREFIXES) or k in _TRACKING_KEYS or k in _SESSION_KEYS:
        return True
    if k.startswith("aspsessionid"):
        return True
    # courlan keeps a parameter it does not take for a tracker; an empty answer drops it.
    return k not in _DOCUMENT_KEYS and not clean_query(quote(k, safe="") + "=1")


def _is_amp_param(key: str, value: str) -> bool:
    k = key.lower()
    if k == "outputtype":
        return value.lower() == "amp"
    if k == "amp":
        return value.lower() in ("", "1", "true", "yes", "amp")
    return k in _AMP_PARAMS


def _normalize_path(path: str) -> str:
    """Resolve dot segments, collapse slashes and use one percent-encoding per character."""
    if not path:
        return "/"
    # Decode then re-encode so `%7E`, `~` and `%7e` become one spelling; `%2F` stays encoded.
    segments = [quote(unquote(s), safe=_SAFE_SEGMENT) for s in path.split("/")]
    path = "/".join(segments)
    path = re.sub(r"/{2,}", "/", path)
    resolved = posixpath.normpath(path)
    if resolved == ".":
        resolved = "/"
    if not resolved.startswith("/"):
        resolved = "/" + resolved
    return resolved


def _strip_amp_path(path: str) -> str:
    """`/amp/x`, `/x/amp`, `/x.amp`, `/x.amp.html` and `/x/amp.html` are the AMP twin of `/x`."""
    path = re.sub(r"/amp(?=/)", "", path, count=1, flags=re.IGNORECASE)
    path = re.sub(r"/amp(?:\.html?)?$", "", path, flags=re.IGNORECASE)
    path = re.sub(r"\.amp(\.html?)?$", r"\1", path, flags=re.IGNORECASE)
    return path or "/"


def canonicalize_url(url: str) -> str:
    """The one spelling of `url` used for ids; unparseable input is returned stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    if _MOBILE_HOST.match(host):
        host = "www." + _MOBILE_HOST.sub("", host)
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k) and not _is_amp_param(k, v)
    ]
    path = _strip_amp_path(_normalize_path(_PATH_SESSION.sub("", parts.path)))
    path = _INDEX_PAGE.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def url_key(url: str) -> str:
    """A looser key for duplicate checks: scheme and a leading `www.` do not matter."""
    canonical = canonicalize_url(url)
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https"):
        return canonical
    host = parts.netloc
    if host.startswith("www."):
        host = host[4:]
    return urlunsplit(("", host, parts.path, parts.query, ""))[2:]


def url_key_hash(url: str) -> int:
    """`url_key` as an unsigned 64-bit integer, the form the warehouse joins on."""
    digest = hashlib.blake2b(url_key(url).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _registrable(host: str) -> str:
    """Last two labels, or three under a two-letter country code with a short second level."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def choose_canonical(
    page_url: str, rel_canonical: str | None = None, og_url: str | None = None
) -> str:
    """The page's declared canonical URL when it is believable, else the page URL.

    Declarations are often wrong (a CMS pointing every page at the home page, a
    relative or templated value), so one is taken only if it is http(s), on the same
    site, and not a bare site root for a page that has a path.
    """
    base = canonicalize_url(page_url)
    base_parts = urlsplit(base)
    for declared in (rel_canonical, og_url):
        if not declared or not declared.strip() or any(c in declared for c in " \t\n{}<>"):
            continue
        candidate = canonicalize_url(urljoin(page_url, declared.strip()))
        parts = urlsplit(candidate)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if _registrable(parts.hostname) != _registrable(base_parts.hostname or ""):
            continue
        if parts.path == "/" and not parts.query and base_parts.path != "/":
            continue
        return candidate
    return base


def host_of(url: str) -> str:
    """The netloc a URL points at, lower-cased (the unit of politeness and of 'source')."""
    return urlsplit(url).netloc.lower()
