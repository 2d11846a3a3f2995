"""robots.txt answers as RFC 9309 says, on the RFC's own examples (sections 2.2, 5.1, 5.2).

Each row: the robots.txt, the crawler's User-Agent, a path, and whether the RFC lets that
crawler fetch it. Protego (tasks/crawl/robots.py) must answer every row as the RFC does.
"""

from __future__ import annotations

import pytest

from tasks.crawl.robots import parse_robots, robots_for_status

# Section 5.1, "Simple Example".
SIMPLE = """User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""
# Section 5.2, "Longest Match".
LONGEST = """User-Agent: foobot
Allow: /example/page/
Disallow: /example/page/disallowed.gif
"""
# Section 2.2.1: groups naming one agent are combined; matching is case-insensitive.
MERGED = """user-agent: FooBot
disallow: /a

user-agent: *
disallow: /b

user-agent: foobot
disallow: /c
"""
# Section 2.2.2/2.2.3: allow wins an equal match; `*` and `$`; percent-encoding.
SPECIAL = """User-Agent: *
Allow: /this/*/exactly
Disallow: /this/path/exactly$
Disallow: /same
Allow: /same
Disallow: /foo/bar/%E3%83%84
Disallow: /path/%62%61%7A
Disallow: /q?baz=quz
"""
BOM = "\ufeffUser-agent: *\nDisallow: /private\n"

TABLE = [
    # (robots.txt, user agent, path, allowed)
    (SIMPLE, "foobot/2.1", "/", False),
    (SIMPLE, "foobot/2.1", "/example/page.html", True),
    (SIMPLE, "foobot/2.1", "/example/allowed.gif", True),
    (SIMPLE, "foobot/2.1", "/example/other.html", False),
    (SIMPLE, "barbot/1", "/example/page.html", False),
    (SIMPLE, "bazbot/1", "/example/page.html", False),
    (SIMPLE, "barbot/1", "/example/other.html", True),
    (SIMPLE, "barbot/1", "/publications/x.gif", True),  # its group has no *.gif rule
    (SIMPLE, "quxbot/1", "/example/page.html", True),  # an empty group allows everything
    (SIMPLE, "quxbot/1", "/x.gif", True),
    (SIMPLE, "otherbot/1", "/x.gif", False),
    (SIMPLE, "otherbot/1", "/example/", False),
    (SIMPLE, "otherbot/1", "/example/x.html", False),
    (SIMPLE, "otherbot/1", "/publications/", True),
    (SIMPLE, "otherbot/1", "/publications/x.gif", True),  # /publications/ is the longer match
    (SIMPLE, "otherbot/1", "/x.gif?size=2", True),  # $ anchors the end
    (SIMPLE, "otherbot/1", "/", True),
    (LONGEST, "foobot/1", "/example/page/", True),
    (LONGEST, "foobot/1", "/example/page/x.html", True),
    (LONGEST, "foobot/1", "/example/page/disallowed.gif", False),
    (MERGED, "foobot/1", "/a", False),
    (MERGED, "foobot/1", "/c", False),
    (MERGED, "foobot/1", "/b", True),  # the * group does not apply to foobot
    (MERGED, "otherbot/1", "/b", False),
    (MERGED, "otherbot/1", "/a", True),
    (SPECIAL, "x/1", "/this/path/exactly", False),  # the disallow is the longer pattern
    (SPECIAL, "x/1", "/this/path/exactly/more", True),
    (SPECIAL, "x/1", "/same", True),  # equal rules: allow
    (SPECIAL, "x/1", "/foo/bar/%E3%83%84", False),
    (SPECIAL, "x/1", "/foo/bar/\u30c4", False),  # the same path, not encoded
    (SPECIAL, "x/1", "/path/baz", False),  # %62%61%7A is "baz"
    (SPECIAL, "x/1", "/q?baz=quz", False),
    (SPECIAL, "x/1", "/q?baz=other", True),
    (BOM, "x/1", "/private", False),  # a byte order mark does not hide the first group
    (BOM, "x/1", "/public", True),
]


@pytest.mark.parametrize(("text", "agent", "path", "allowed"), TABLE)
def test_rfc_9309_examples(text: str, agent: str, path: str, allowed: bool) -> None:
    assert parse_robots(text, agent).allowed(f"https://www.example.com{path}") is allowed


def test_robots_txt_itself_and_statuses() -> None:
    assert parse_robots("User-agent: *\nDisallow: /\n", "x/1").allowed("https://e.com/robots.txt")
    assert robots_for_status(404, "", "x/1").allowed("https://e.com/a")  # unavailable
    assert not robots_for_status(503, "", "x/1").allowed("https://e.com/a")  # unreachable


def test_crawl_delay_and_sitemaps() -> None:
    robots = parse_robots(
        "Sitemap: https://e.com/s.xml\nUser-agent: *\nCrawl-delay: 2.5\nDisallow: /x\n", "x/1"
    )
    assert robots.crawl_delay == 2.5 and robots.sitemaps == ["https://e.com/s.xml"]
