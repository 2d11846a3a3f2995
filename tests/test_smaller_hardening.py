"""The smaller items of issue 22, point 12: each a page or input that was mishandled."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.clean import clean_page
from tasks.config import Source
from tasks.crawl.discover import _directory
from tasks.crawl.fetch import FetchConfigError, FetchSettings
from tests.test_page_budget import _article_html, _page


def test_a_malformed_canonical_link_keeps_the_article() -> None:
    html = _article_html("Harbour").replace(
        "<head>", '<head><link rel="canonical" href="http://[bad/x">'
    )
    article, reason = clean_page(_page(html))
    assert reason is None and article is not None
    assert article.canonical_url == "http://news.example.org/a"


@pytest.mark.parametrize(
    "tag",
    [
        '<meta property="og:image" content="http://[bad/x.jpg">',
        '<a href="http://[bad/author/anna-berg">Anna Berg</a>',
    ],
    ids=["image", "author-link"],
)
def test_a_malformed_link_elsewhere_keeps_the_article(tag: str) -> None:
    """Found by the fuzz run: an og:image of "http://[..." dropped the page (ValueError)."""
    html = (
        _article_html("Harbour").replace("<head>", f"<head>{tag}").replace("<body>", f"<body>{tag}")
    )
    article, reason = clean_page(_page(html))
    assert reason is None and article is not None
    assert article.image_url is None


def test_a_stray_nul_byte_does_not_make_a_page_binary() -> None:
    html = _article_html("Harbour").replace("<p>", "<p>\x00", 1)
    article, reason = clean_page(_page(html))
    assert reason is None and article is not None and "\x00" not in article.text
    binary, why = clean_page(_page("\x00\x01\x02\x03" * 600))
    assert binary is None and why == "not-html"


@pytest.mark.parametrize("field", ["per_host_delay", "total_timeout", "backoff_cap"])
@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_fetch_settings_are_refused(field: str, value: float) -> None:
    with pytest.raises(FetchConfigError, match="finite"):
        FetchSettings(**{field: value})


def test_dir_sources_do_not_follow_symlinks_out_of_the_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text("<html><body>secret</body></html>")
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.html").write_text(_article_html("A"))
    (inbox / "sub" / "b.html").write_text(_article_html("B"))
    (inbox / "escape.html").symlink_to(outside)
    (inbox / "passwd.html").symlink_to("/etc/passwd")
    (inbox / "inner.html").symlink_to(inbox / "a.html")  # stays inside: fine
    found = sorted(Path(t.path or "").name for t in _directory(Source("dir", str(inbox))))
    assert found == ["a.html", "a.html", "b.html"]


def test_a_one_word_page_without_a_title_is_not_an_article() -> None:
    html = "<html><body><article><p>" + "x" * 400 + "</p></article></body></html>"
    article, reason = clean_page(_page(html))
    assert article is None and reason == "no-article-text"


def test_a_file_of_non_urls_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tasks.crawl.discover import _urls_file

    listing = tmp_path / "urls.txt"
    listing.write_text(
        "http://example.org/a\n" + "".join(f"line {i}\n" for i in range(500)) + "http://[::1\n"
    )
    with caplog.at_level("WARNING"):
        targets = _urls_file(Source("urls_file", str(listing)))
    assert [t.url for t in targets] == ["http://example.org/a"]
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "501 line(s)" in warnings[0].getMessage()
