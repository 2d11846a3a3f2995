"""The clean stage: raw fetched pages in, articles with text, Markdown and metadata out.

Each page is decoded and parsed once; metadata, body and dates read the same lxml tree.
Cleaning never raises: a page that yields no article comes back as None with a drop reason.
Cross-page boilerplate (paragraphs repeated on many pages of one host) is removed using both
the warehouse history (`warehouse.paragraphs.load_boilerplate`) and repeats inside the batch,
so even the first batch of a new host loses its template blocks.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from records import Article, Page, StageStats, article_id_for
from records.redact import without_credentials
from tasks.clean.budget import OverBudget, page_budget, tame_markup
from tasks.clean.dates import find_dates, parse_visible_date
from tasks.clean.extraction import (
    MIN_TEXT_CHARS,
    Body,
    drop_boilerplate,
    extract_body,
    paragraph_hash,
    parse_html,
    with_lead,
)
from tasks.clean.language import language_key, pick_language, still_language
from tasks.clean.metadata import BYLINE_SPLIT, Metadata, extract_metadata, is_role, name_shaped
from tasks.context import StageContext
from tasks.crawl.urls import canonicalize_url, host_of
from tasks.parallel import pmap

OVER_BUDGET = "over-budget"  # the drop reason of a page past its CPU budget (tasks.clean.budget)
BATCH_REPEAT_MIN_PAGES = 3  # a block on this many pages of one host in one batch is template

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_NOT_HTML = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip")
_WS = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None


def decode_html(body: bytes, declared_charset: str | None) -> str:
    """Bytes to text: header charset, then the document's meta, then detection; never raises.

    Valid UTF-8 with non-ASCII bytes wins over a declared single-byte charset, because that
    mislabelling (a server default of ISO-8859-1 on UTF-8 pages) is far more common than
    Latin-1 text that happens to be valid UTF-8.
    """
    if not body:
        return ""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    candidates: list[str] = []
    for name in (declared_charset, _sniff_meta(body)):
        codec = _codec(name)
        if codec and codec not in candidates:
            candidates.append(codec)
    if not candidates or candidates[0] == "ascii" or candidates[0].startswith(("cp125", "iso8859")):
        try:
            text = body.decode("utf-8")
            return text
        except UnicodeDecodeError:
            pass
    for codec in candidates:
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return body.decode(best.encoding, errors="replace")
    except Exception:  # detection is best effort
        pass
    return body.decode("cp1252" if not candidates else candidates[0], errors="replace")


def _sniff_meta(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _looks_binary(body: bytes) -> bool:
    # binary formats are full of NULs; a page with a stray NUL or two is still a page
    # (the parser drops them)
    head = body[:2048]
    return head.count(b"\x00") > len(head) // 16 and not head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    )


def content_hash(text: str) -> str:
    """sha256 of the text with case and whitespace normalised (exact-duplicate key)."""
    return hashlib.sha256(_WS.sub(" ", text.lower()).strip().encode("utf-8")).hexdigest()


@dataclass(slots=True)
class _Draft:
    """A page extracted but not yet filtered against cross-page boilerplate."""

    page: Page
    meta: Metadata
    body: Body
    canonical_url: str
    published_at: object
    modified_at: object
    # The language picked on the drafted text, and the part of the text that choice read
    # (`language_key`): when boilerplate removal leaves that part as it was, the final
    # text gets the same answer, so detection runs here, in the worker processes, and not
    # again in the flow's process (where it was a fifth of the CPU).
    language: str | None = None
    language_key: str = ""


def _draft(page: Page) -> tuple[_Draft | None, str | None]:
    body = page.body
    if not body or not body.strip():
        return None, "empty"
    ctype = (page.content_type or "").lower()
    if ctype.startswith(_NOT_HTML) or _looks_binary(body):
        return None, "not-html"
    html = tame_markup(decode_html(body, page.encoding))
    tree = parse_html(html)
    if tree is None:
        return None, "unparseable"
    url = page.final_url or page.url
    meta = extract_metadata(tree, url)
    declared = meta.jsonld.get("articleBody")
    blocks = extract_body(tree, url, declared if isinstance(declared, str) else None)
    blocks = with_lead(blocks, tree, meta.description)
    if not blocks.blocks:
        return None, "no-article-text"
    published, modified = find_dates(
        tree, url, meta.jsonld, raw_html=html, image_url=meta.image_url
    )
    if published is None and page.published_hint is not None:
        published = page.published_hint
    canonical = canonicalize_url(meta.canonical_url or url)
    if meta.canonical_url and not _usable_url(canonical):
        canonical = canonicalize_url(url)  # a malformed canonical link: keep the page's own
    text = _without_header(blocks, meta).text()
    language = pick_language(meta.language, text)
    draft = _Draft(page, meta, blocks, canonical, published, modified)
    draft.language, draft.language_key = language, language_key(text)
    return draft, None


def _usable_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return False
    return bool(parts.scheme and parts.hostname)


# How many blocks at the top of a body may be page header (masthead, headline, byline,
# date line) rather than article; the header is never longer on the pages we know.
HEADER_BLOCKS = 5
_BYLINE_FILLER = re.compile(r"\b(?:by|von|par|por|di|door|av)\b|\S+@\S+|[\W\d_]+", re.I)


def _byline(line: str, authors: list[str]) -> bool:
    """Names with "By", roles, agencies, e-mail addresses and separators, nothing else:
    the page's known authors, or name-shaped words when the page declared none."""
    rest = line
    for name in sorted(authors, key=len, reverse=True):
        rest = rest.replace(name, " ")
    named = rest != line
    if len(line) > 160 or (authors and not named):
        return False
    for part in BYLINE_SPLIT.split(rest):
        part = _BYLINE_FILLER.sub(" ", part).strip()
        if not part or (is_role(part) and len(part.split()) <= 4):
            continue
        if authors or not name_shaped(part):
            return False
        named = True
    return named


def _header_line(line: str, meta: Metadata) -> bool:
    h = paragraph_hash(line)
    if any(v and paragraph_hash(v) == h for v in (meta.title, meta.site_name)):
        return True
    if _byline(line, meta.authors):
        return True
    return len(line) <= 60 and parse_visible_date(line) is not None


def _header_block(text: str, meta: Metadata) -> bool:
    """Page header that extraction kept above the article: the site's name, the
    headline, the byline (the authors' names with "By", roles, e-mails and the like)
    or the date line (a short line that parses as a date), a line each or together."""
    return all(_header_line(line, meta) for line in text.split("\n"))


def _without_header(body: Body, meta: Metadata) -> Body:
    """Headline, byline and date line are metadata; copies of them opening the body
    are not article text."""
    start = 0
    while (
        start < min(HEADER_BLOCKS, len(body.blocks) - 1)
        and body.blocks[start].kind in ("h", "p")
        and _header_block(body.blocks[start].text, meta)
    ):
        start += 1
    return Body(body.blocks[start:]) if start else body


def _finish(draft: _Draft, boilerplate: frozenset[int]) -> tuple[Article | None, str | None]:
    body = _without_header(drop_boilerplate(draft.body, boilerplate), draft.meta)
    text = body.text()
    if len(text) < MIN_TEXT_CHARS:
        return None, "boilerplate-only" if draft.body.blocks and boilerplate else "no-article-text"
    meta, page = draft.meta, draft.page
    if not (meta.title or page.title_hint) and len(_WORDS.findall(text, 0, 4096)) < 2:
        return None, "no-article-text"  # one "word" of 50+ chars and no title: not an article
    if language_key(text) == draft.language_key or still_language(
        meta.language, draft.language, text
    ):
        language = draft.language
    else:  # boilerplate removal changed the paragraphs it read: look again
        language = pick_language(meta.language, text)
    article = Article(
        article_id=article_id_for(draft.canonical_url),
        url=without_credentials(page.final_url or page.url),
        canonical_url=draft.canonical_url,
        source=host_of(draft.canonical_url),
        text=text,
        title=meta.title or page.title_hint,
        authors=meta.authors,
        published_at=draft.published_at,  # type: ignore[arg-type]
        modified_at=draft.modified_at,  # type: ignore[arg-type]
        language=language,
        site_name=meta.site_name or host_of(draft.canonical_url),
        description=meta.description,
        section=meta.section,
        tags=meta.tags,
        image_url=meta.image_url,
        markdown=body.markdown(),
        word_count=len(_WORDS.findall(text)),
        content_hash=content_hash(text),
        fetched_at=page.fetched_at,
        feed_source=page.source,
        etag=page.etag,
        last_modified=page.last_modified,
        paragraph_hashes=[b.hash for b in _without_header(draft.body, meta).blocks],
    )
    return article, None


def clean_page(
    page: Page, boilerplate: frozenset[int] = frozenset(), budget: float | None = None
) -> tuple[Article | None, str | None]:
    """One page to one article, or None and the reason; never raises.

    `budget`: CPU seconds the page may take (None: PAGE_CPU_SECONDS, 0: no limit).
    """
    try:
        with page_budget(budget):
            draft, reason = _draft(page)
            if draft is None:
                return None, reason
            return _finish(draft, boilerplate)
    except OverBudget:
        return None, OVER_BUDGET
    except RecursionError:
        return None, "too-deep"
    except MemoryError:
        return None, "too-large"
    except Exception as exc:  # the contract is "never raises": record why instead
        return None, f"error:{type(exc).__name__}"


Drafted = tuple[_Draft | None, str | None]


@dataclass(slots=True)
class DraftBatch:
    """The per-page half of cleaning, done before the batch's boilerplate is known."""

    drafted: list[Drafted]
    seconds: float  # wall time spent drafting (in worker processes when parallel)


def _safe_draft(page: Page, budget: float | None = None) -> Drafted:
    """Draft one page within its CPU budget (seconds; None: PAGE_CPU_SECONDS)."""
    if page.unchanged:
        return None, "unchanged"
    if page.body is None:
        return None, "no-body"
    try:
        with page_budget(budget):
            return _draft(page)
    except OverBudget:
        return None, OVER_BUDGET
    except Exception as exc:
        return None, f"error:{type(exc).__name__}"


def _draft_in_worker(page: Page, budget: float | None = None) -> Drafted:
    """In a worker process: the body is not needed after drafting, so don't ship it back."""
    draft, reason = _safe_draft(page, budget)
    if draft is not None:
        draft.page.body = None
    return draft, reason


def draft_pages(pages: list[Page], workers: int = 0, budget: float | None = None) -> DraftBatch:
    """Parse and extract every page (no cross-page state), over `workers` processes.

    This is most of cleaning's cost and needs nothing from the warehouse, so the
    flow can draft batch n+1 while batch n is still being deduplicated and loaded.
    `budget` is each page's CPU seconds (None: PAGE_CPU_SECONDS), sent with the pages.
    """
    started = time.perf_counter()
    drafted = pmap(
        partial(_draft_in_worker, budget=budget),
        pages,
        workers,
        local=partial(_safe_draft, budget=budget),
    )
    return DraftBatch(drafted, time.perf_counter() - started)


def clean_batch(
    pages: list[Page],
    boilerplate: Mapping[str, frozenset[int]],
    drafts: DraftBatch | None = None,
    workers: int = 0,
    budget: float | None = None,
) -> tuple[list[Article], StageStats]:
    """Clean a batch; blocks repeated on several pages of one host here count as boilerplate.

    `drafts` is `draft_pages(pages)` when the flow computed it ahead of time.
    """
    stats = StageStats("clean", records_in=len(pages))
    started = time.perf_counter()
    precomputed = drafts is not None
    if drafts is None:
        drafts = draft_pages(pages, workers, budget)
    batch_drafts: list[_Draft] = []
    for draft, reason in drafts.drafted:
        if draft is None:
            if reason == "unchanged":
                stats.extra["skipped_unchanged"] += 1
            stats.drop(reason or "unknown")
        else:
            batch_drafts.append(draft)
    # Drafting done ahead of time (possibly in other processes) still counts as cleaning.
    drafts_seconds = drafts.seconds if precomputed else 0.0
    # Count each block once per distinct document, so three copies of one syndicated
    # article in a batch do not turn its own paragraphs into "template".
    repeats: dict[str, Counter[int]] = defaultdict(Counter)
    seen_docs: set[tuple[str, frozenset[int]]] = set()
    for d in batch_drafts:
        hashes = frozenset(b.hash for b in d.body.blocks)
        for key in ((d.canonical_url, frozenset()), ("", hashes)):
            if key in seen_docs:
                break
        else:
            seen_docs.update({(d.canonical_url, frozenset()), ("", hashes)})
            repeats[host_of(d.canonical_url)].update(hashes)
    articles: list[Article] = []
    for d in batch_drafts:
        host = host_of(d.canonical_url)
        in_batch = {h for h, n in repeats[host].items() if n >= BATCH_REPEAT_MIN_PAGES}
        known = boilerplate.get(host, frozenset())
        try:
            article, reason = _finish(d, known | in_batch if in_batch else known)
        except Exception as exc:
            article, reason = None, f"error:{type(exc).__name__}"
        if article is None:
            stats.drop(reason or "unknown")
        else:
            articles.append(article)
    stats.records_out = len(articles)
    stats.extra["boilerplate_hosts"] = sum(1 for v in boilerplate.values() if v)
    stats.seconds = time.perf_counter() - started + drafts_seconds
    return articles, stats


def extract_stage(pages: list[Page], ctx: StageContext) -> tuple[DraftBatch, StageStats]:
    """The per-page half of cleaning (see `draft_pages`); its time is counted in clean's."""
    drafts = draft_pages(pages, ctx.workers, ctx.page_cpu_seconds)
    return drafts, StageStats("extract", records_in=len(pages), records_out=len(pages))


CleanBatch = tuple[list[Page], Mapping[str, frozenset[int]], DraftBatch | None]


def clean_stage(batch: CleanBatch, ctx: StageContext) -> tuple[list[Article], StageStats]:
    """The stage: (pages, boilerplate known so far, their drafts if extracted ahead)."""
    pages, boilerplate, drafts = batch
    return clean_batch(pages, boilerplate, drafts, ctx.workers, ctx.page_cpu_seconds)
