"""URLs without credentials: `http://user:pass@host/` must not reach the warehouse or logs.

Feed entries, sitemaps and URL lists are written by others, and a URL with a user name
and password in it would be stored verbatim in `articles.url` and `fetch_log`, then
exported and shown in the report. Targets drop the user info when they are made, so it
is neither sent nor stored; redirects and extracted URLs are cleaned the same way.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def without_credentials(url: str) -> str:
    """`url` with any `user:password@` removed; other URLs (and unparsable ones) unchanged."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
