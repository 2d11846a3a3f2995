"""robots.txt per RFC 9309: longest match wins, `*` and `$` patterns, Crawl-delay, Sitemap.

The standard library's parser applies the first matching rule instead of the longest one and
ignores wildcards, which disallows or allows the wrong paths on many news sites (they rely on
`Allow: /news/` under `Disallow: /`), so we keep our own small one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 asks parsers to read at least 500 KiB


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, pattern)
    crawl_delay: float | None = None


@dataclass
class Robots:
    """The rules that apply to one user agent on one host."""

    rules: list[tuple[bool, str]] = field(default_factory=list)
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    disallow_all: bool = False  # robots.txt unreachable (5xx): RFC 9309 says assume full disallow

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = _normalize(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True
        best_len = -1
        verdict = True
        for allow, pattern in self.rules:
            if not pattern:
                continue  # an empty Disallow allows everything
            if _matches(pattern, path):
                length = len(pattern)
                # longest pattern wins; on a tie the less restrictive (allow) wins
                if length > best_len or (length == best_len and allow):
                    best_len, verdict = length, allow
        return verdict


def _normalize(path: str) -> str:
    """Compare paths percent-decoded so `%7E` and `~` agree (unreserved characters only)."""
    return unquote(path) if "%" in path else path


_pattern_cache: dict[str, re.Pattern[str]] = {}


def _matches(pattern: str, path: str) -> bool:
    if "*" not in pattern and not pattern.endswith("$"):
        return path.startswith(_normalize(pattern))
    compiled = _pattern_cache.get(pattern)
    if compiled is None:
        anchored = pattern.endswith("$")
        body = _normalize(pattern[:-1] if anchored else pattern)
        regex = ".*".join(re.escape(piece) for piece in body.split("*"))
        compiled = re.compile(regex + ("$" if anchored else ""), re.DOTALL)
        _pattern_cache[pattern] = compiled
    return compiled.match(path) is not None


def parse_robots(text: str, user_agent: str) -> Robots:
    """Rules for `user_agent` (its product token, e.g. "newsflow" from "newsflow/0.1 (+url)")."""
    token = user_agent.split("/", 1)[0].split()[0].lower() if user_agent.strip() else "*"
    groups: list[_Group] = []
    sitemaps: list[str] = []
    current: _Group | None = None
    last_was_agent = False
    for raw in text[:MAX_ROBOTS_BYTES].splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if current is None or not last_was_agent:
                current = _Group()
                groups.append(current)
            current.agents.append(value.lower())
            last_was_agent = True
            continue
        last_was_agent = False
        if key == "sitemap":
            if value:
                sitemaps.append(value)
        elif current is None:
            continue
        elif key in ("allow", "disallow"):
            current.rules.append((key == "allow", value))
        elif key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            if delay >= 0:
                current.crawl_delay = delay
    # RFC 9309: the groups naming our product token apply (merged); otherwise the `*` groups
    mine = [g for g in groups if token in g.agents and token != "*"]
    if not mine:
        mine = [g for g in groups if "*" in g.agents]
    robots = Robots(sitemaps=sitemaps)
    for group in mine:
        robots.rules.extend(group.rules)
        if group.crawl_delay is not None:
            robots.crawl_delay = max(robots.crawl_delay or 0.0, group.crawl_delay)
    return robots


def robots_for_status(status: int, text: str, user_agent: str) -> Robots:
    """What a robots.txt response means (RFC 9309 section 2.3.1)."""
    if 200 <= status < 300:
        return parse_robots(text, user_agent)
    if 400 <= status < 500:
        return Robots()  # "unavailable": no restrictions
    return Robots(disallow_all=True)  # 5xx / network failure: "unreachable"
