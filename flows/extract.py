"""`newsflow extract`: the clean and enrich stages on local files, without Prefect or a warehouse.

It is the quickest way to see what the pipeline makes of a page, and the JSON it
prints is a contract: one object per input, in input order, with an `error`
field instead of the article fields when a file yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.settings import Settings, from_environment
from records import Article, Page
from tasks.clean import clean_page
from tasks.crawl.feeds import ListingError, read_local
from tasks.crawl.fetch import FetchSettings

FIELDS = (
    "url",
    "canonical_url",
    "title",
    "authors",
    "published_at",
    "modified_at",
    "language",
    "site_name",
    "description",
    "section",
    "tags",
    "image_url",
    "text",
    "word_count",
)


def read_page(path: str, url: str | None) -> Page:
    """A local file as a Page; gzip is recognised by its magic bytes, not only the name.

    Read and inflated with the limits `ingest --dir` uses (FetchSettings.max_bytes), so
    a gzip bomb is refused after that many bytes instead of filling memory.
    """
    body = read_local(path, FetchSettings().max_bytes)
    location = url or Path(path).resolve().as_uri()
    return Page(
        url=location,
        final_url=location,
        source="local",
        status=200,
        body=body,
        content_type="text/html",
        fetched_at=datetime.now(UTC),
    )


def article_json(path: str, article: Article) -> dict[str, Any]:
    record: dict[str, Any] = {"path": path}
    for name in FIELDS:
        value = getattr(article, name)
        record[name] = value.isoformat() if isinstance(value, datetime) else value
    return record


def extract_items(
    items: Iterable[dict[str, Any]],
    *,
    topics: bool = True,
    settings: Settings | None = None,
) -> Iterator[dict[str, Any]]:
    """One JSON object per item; `settings` (default: the environment's) as `ingest` uses them."""
    settings = settings or from_environment()
    if topics:
        from tasks.enrich import enrich_article
    for item in items:
        path, url = item["path"], item.get("url")
        try:
            page = read_page(path, url)
        except OSError as exc:
            yield {"path": path, "url": url, "error": f"cannot read file: {exc.strerror}"}
            continue
        except ListingError as exc:  # too large, a bomb, or broken gzip data
            yield {"path": path, "url": url, "error": str(exc)}
            continue
        article, reason = clean_page(page, budget=settings.page_cpu_seconds)
        if article is None:
            yield {"path": path, "url": url, "error": reason or "no article text"}
            continue
        record = article_json(path, article)
        if url is None:
            record["url"] = None
        if topics:
            record.update(enrich_article(article, ner=settings.ner))
        yield record
