"""The demo news world: outlets, the article plan, and the ground truth of every article.

Everything is a pure function of the seed, so two builds with the same arguments serve the
same bytes. The curated world (default, ~76 articles) is planned eagerly because it is
small and its counts (stories, syndicated copies, updates) are part of the contract; the
scale world (`pages=N`) is planned lazily from (seed, outlet, index), so listing 100,000
URLs or rendering one page never materialises the corpus.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import overload

from deployments.demosite import content as C
from deployments.demosite.common import boilerplate_strings, stable_hash

WORLD_NOW = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)  # "now" of edition 0; each edition is a day
WIRE_AGENCY = "Tidewater Press Agency"
FAMILIES = ("gazette", "courier", "ledger", "bulletin", "observer")
SECTION_OF_THEME = {
    "budget": "politics",
    "election": "politics",
    "conflict": "world",
    "company": "business",
    "tech": "technology",
    "research": "science",
    "outbreak": "health",
    "trial": "crime",
    "robbery": "crime",
    "quake": "world",
    "derailment": "national",
    "storm": "weather",
    "climate": "environment",
    "strike": "business",
    "schools": "education",
    "match": "sport",
    "festival": "culture",
    "faith": "society",
    "kindness": "society",
    "food": "lifestyle",
}
SECTIONS = tuple(dict.fromkeys(SECTION_OF_THEME.values()))
_CURATED = (
    ("harbourgazette", "The Harbour Gazette"),
    ("northgatecourier", "Northgate Courier"),
    ("meridianledger", "The Meridian Ledger"),
    ("valleybulletin", "Valley Bulletin"),
    ("eveningobserver", "The Evening Observer"),
)
_PREFIXES = (
    "Harbour",
    "Northgate",
    "Meridian",
    "Valley",
    "Evening",
    "Riverside",
    "Lantern",
    "Granite",
    "Beacon",
    "Saltmarsh",
    "Highmoor",
    "Copperfield",
    "Westerly",
    "Kingsferry",
    "Ashgrove",
    "Foxglove",
    "Ironbridge",
    "Stonecross",
    "Larkspur",
    "Bellwether",
    "Marram",
    "Quayside",
    "Thistledown",
    "Oakhurst",
    "Wrenfield",
)
_SUFFIXES = ("Gazette", "Courier", "Ledger", "Bulletin", "Observer", "Chronicle", "Dispatch")
_TZS = (
    timezone(timedelta(hours=1), "CET"),
    timezone(timedelta(0), "UTC"),
    timezone(timedelta(hours=2), "EET"),
    timezone(timedelta(hours=-5), "EST"),
    timezone(timedelta(hours=1), "CET"),
)
_ROLES = (
    "Senior correspondent",
    "Political editor",
    "Science reporter",
    "Staff writer",
    "Economics correspondent",
    "Chief reporter",
    "Health correspondent",
)
DATE_STYLES = {  # how each template family states publication dates, by article
    "gazette": ("jsonld", "jsonld", "time"),
    "courier": ("og", "og", "meta_date"),
    "ledger": ("text", "text", "meta_date"),
    "bulletin": ("meta_pubdate", "text", "text"),
    "observer": ("jsonld_graph", "jsonld_graph", "og"),
}
_ID_BASE = 100000


def slugify(text: str, words: int = 8) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words])


@dataclass(frozen=True)
class Journalist:
    name: str
    role: str | None = None
    email: str | None = None
    handle: str | None = None


@dataclass(frozen=True)
class Outlet:
    """One made-up publication: its own origin, template family, feed format and staff."""

    index: int
    slug: str
    name: str
    domain: str  # www.<slug>.example (RFC 2606), the host of every canonical URL
    family: str  # template family, one of FAMILIES
    feed_format: str  # "rss" or "atom"
    feed_path: str
    tz: timezone
    class_prefix: str
    heavy: bool  # pad the template to realistic 50-150 KB pages
    chrome_kb: int
    sitemap_index: bool  # /sitemap.xml is a sitemap index (always true in scale mode)
    news_sitemap: bool  # a Google-news-style /sitemap-news.xml is listed in the index
    short_links: bool  # feed links are /s/<id> and answer 301 to the article
    utm_links: bool  # feed links carry utm_* tracking parameters
    journalists: tuple[Journalist, ...]

    @property
    def canonical_base(self) -> str:
        return f"https://{self.domain}"

    def article_path(self, index: int, section: str, published: datetime, title: str) -> str:
        aid, slug = _ID_BASE + index, slugify(title)
        d = published.astimezone(self.tz)
        if self.family == "gazette":
            return f"/news/{section}/{d:%Y/%m/%d}/{slug}-{aid}.html"
        if self.family == "courier":
            return f"/{section}/{slug}-n{aid}"
        if self.family == "ledger":
            return f"/article/{aid}/{slug}"
        if self.family == "bulletin":
            return f"/story.php?id={aid}&sec={section}"
        return f"/{d:%Y/%m/%d}/{slug}-{aid}"

    def index_from_path(self, path: str) -> int | None:
        pats = {
            "gazette": r"^/news/[a-z]+/\d{4}/\d\d/\d\d/[a-z0-9-]*-(\d+)\.html$",
            "courier": r"^/[a-z]+/[a-z0-9-]*-n(\d+)$",
            "ledger": r"^/article/(\d+)/[a-z0-9-]*$",
            "bulletin": r"^/story\.php\?id=(\d+)&sec=[a-z]+$",
            "observer": r"^/\d{4}/\d\d/\d\d/[a-z0-9-]*-(\d+)$",
        }
        m = re.match(pats[self.family], path)
        return int(m.group(1)) - _ID_BASE if m else None

    def section_path(self, section: str) -> str:
        return f"/news/{section}/" if self.family == "gazette" else f"/section/{section}"


@dataclass(frozen=True, slots=True)
class EntityTruth:
    name: str
    label: str  # spaCy scheme: PERSON, ORG, GPE, LOC, NORP, EVENT
    count: int  # mentions in title + body, aliases included, longest name wins
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleTruth:
    """What a perfect pipeline would extract from one article page at one edition."""

    outlet: str  # Outlet.slug
    path: str  # path (+query) on the outlet's origin; same in canonical and fetchable URL
    canonical_url: str
    title: str
    authors: tuple[str, ...]
    published: datetime  # tz-aware, in the outlet's time zone
    tz: str  # the zone's abbreviation as pages print it (CET, UTC, EET, EST)
    modified: datetime | None
    paragraphs: tuple[str, ...]  # the exact body text, one string per paragraph
    story_id: str | None  # event covered by 2+ outlets (or syndicated), else None
    duplicate_of: str | None  # canonical URL of the original, for copies and republishes
    categories: tuple[str, ...]  # from content.CATEGORIES, primary first
    entities: tuple[EntityTruth, ...]
    section: str
    description: str
    kind: str  # story | single | negative | wire | republish
    edition: int  # first edition that serves it
    revision: int  # 0 as first published, 1 after an in-place update
    date_style: str  # jsonld | jsonld_graph | og | meta_date | meta_pubdate | text | time
    byline: str  # the byline as the page shows it
    index: int  # per-outlet article index (encoded in the path)
    updated_in: int | None = None  # edition that updates it in place (same URL), if any
    language: str = "en"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (datetimes as ISO 8601 with offset)."""
        d = dataclasses.asdict(self)
        d["published"] = self.published.isoformat()
        d["modified"] = self.modified.isoformat() if self.modified else None
        return d


@dataclass(frozen=True)
class _Spec:
    """The plan entry of one article: everything needed to derive its truth and page."""

    outlet: int
    index: int
    kind: str
    event_key: str
    published: datetime
    theme: str | None = None
    country: int | None = None
    event_day: int | None = None  # weekday of the event, for "on Tuesday" in the text
    variant: int = 0
    edition: int = 0
    updated_in: int | None = None  # edition of an in-place update
    modified_early: bool = False  # already updated when first served
    source: tuple[int, int] | None = None  # (outlet, index) of the original
    story_id: str | None = None
    copy_rank: int = 0


def make_outlets(seed: int, n: int, heavy: bool, scale: bool) -> tuple[Outlet, ...]:
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}:outlet:{i}")
        if i < len(_CURATED):
            slug, name = _CURATED[i]
        else:
            pre = _PREFIXES[i % len(_PREFIXES)]
            suf = _SUFFIXES[(i // len(_PREFIXES) + i) % len(_SUFFIXES)]
            name = f"The {pre} {suf}" if i % 3 else f"{pre} {suf}"
            slug = slugify(f"{pre}{suf}") + (str(i) if i >= len(_PREFIXES) else "")
        family = FAMILIES[i % len(FAMILIES)]
        people: set[str] = set()
        staff = []
        for k in range(6):
            person = C._person(rng, people)
            first, last = person.lower().split(" ", 1)
            staff.append(
                Journalist(
                    person,
                    rng.choice(_ROLES) if k % 2 == 0 else None,
                    f"{slugify(first)}.{slugify(last)}@{slug}.example" if k % 3 == 1 else None,
                    f"@{slugify(first)}{slugify(last)[:6]}" if k % 3 == 2 else None,
                )
            )
        out.append(
            Outlet(
                index=i,
                slug=slug,
                name=name,
                domain=f"www.{slug}.example",
                family=family,
                feed_format="atom" if family in ("courier", "observer") else "rss",
                feed_path={
                    "gazette": "/rss.xml",
                    "courier": "/feed/atom",
                    "ledger": "/feeds/all",
                    "bulletin": "/rss.php",
                    "observer": "/atom.xml",
                }[family],
                tz=_TZS[i % len(_TZS)],
                class_prefix=slug[:3] + "-" if i >= len(FAMILIES) else "",
                heavy=heavy,
                chrome_kb=rng.randint(48, 132),
                sitemap_index=scale or i == 0,
                news_sitemap=i == 0 or (scale and i % 5 == 0),
                short_links=family == "bulletin",
                utm_links=family == "ledger",
                journalists=tuple(staff),
            )
        )
    return tuple(out)


class ArticleList(Sequence[ArticleTruth]):
    """All articles served at one edition, computed on access (scale mode never stores them)."""

    def __init__(self, site: DemoSite, edition: int) -> None:
        self._site, self._edition = site, edition
        self._counts = [site.article_count(o.index, edition) for o in site.outlets]
        self._total = sum(self._counts)

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, i: int) -> ArticleTruth: ...
    @overload
    def __getitem__(self, i: slice) -> list[ArticleTruth]: ...
    def __getitem__(self, i: int | slice) -> ArticleTruth | list[ArticleTruth]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._total))]
        if i < 0:
            i += self._total
        if not 0 <= i < self._total:
            raise IndexError(i)
        for o, n in enumerate(self._counts):
            if i < n:
                return self._site.article(o, i, self._edition)
            i -= n
        raise IndexError(i)

    def __iter__(self) -> Iterator[ArticleTruth]:
        for o, n in enumerate(self._counts):
            for i in range(n):
                yield self._site.article(o, i, self._edition)


@dataclass
class DemoSite:
    """The whole made-up news world; see `build_site`."""

    seed: int
    outlets: tuple[Outlet, ...]
    scale: bool
    pages: int
    editions: int  # valid editions are 0 .. editions-1
    sitemap_chunk: int = 50000
    _plan: list[list[_Spec]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.by_slug = {o.slug: o for o in self.outlets}
        self.by_domain = {o.domain: o for o in self.outlets}
        self._event = lru_cache(maxsize=4096)(self._event_uncached)
        self._truth = lru_cache(maxsize=8192)(self._truth_uncached)
        self._brief = lru_cache(maxsize=65536)(self._brief_uncached)
        self._groups = lru_cache(maxsize=65536)(self._groups_uncached)
        if not self.scale:
            self._plan = _curated_plan(self.seed, len(self.outlets))

    # ----- plan -------------------------------------------------------------------------
    def now(self, edition: int) -> datetime:
        return WORLD_NOW + timedelta(days=edition)

    def _base_count(self, o: int) -> int:
        n = len(self.outlets)
        return self.pages // n + (1 if o < self.pages % n else 0)

    def article_count(self, o: int, edition: int) -> int:
        """How many articles outlet `o` serves at `edition` (indices 0..count-1)."""
        if not self.scale:
            return sum(1 for s in self._plan[o] if s.edition <= edition)
        base = self._base_count(o)
        return base + edition * max(1, base // 50)

    def spec(self, o: int, i: int) -> _Spec:
        return self._plan[o][i] if not self.scale else self._scale_spec(o, i)

    def _scale_time(self, i: int) -> datetime:
        base = max(1, self._base_count(0))
        if i >= base:  # added by a later edition: spread over that edition's day
            grow = max(1, base // 50)
            e, k = divmod(i - base, grow)
            return WORLD_NOW + timedelta(days=e, hours=1 + 20 * k / grow)
        span = max(7.0, base / 40)  # days the archive reaches back
        return WORLD_NOW - timedelta(days=span * (base - i) / base) - timedelta(minutes=30)

    def _groups_uncached(self, i: int) -> tuple[list[int], list[int]]:
        """Outlets carrying wire item `i`, and outlets covering shared event `i`."""
        n, seed = len(self.outlets), self.seed
        if i >= self._base_count(n - 1):  # later-edition indices are outlet-specific
            return [], []
        copiers: list[int] = []
        cover: list[int] = []
        if stable_hash(seed, "wire", i) % 100 < 15:
            copiers = [k for k in range(n) if stable_hash(seed, "wcopy", i, k) % 1000 < 4000 // n]
        if stable_hash(seed, "story", i) % 100 < 80:
            share = (3, 6, 15)[stable_hash(seed, "size", i) % 3] / n
            cover = [
                k for k in range(n) if stable_hash(seed, "cover", i, k) % 10000 < share * 10000
            ]
        return copiers, cover

    def _scale_spec(self, o: int, i: int) -> _Spec:
        seed = self.seed
        t = self._scale_time(i)
        jitter = timedelta(minutes=stable_hash(seed, "jit", o, i) % 240)
        upd = 1 if stable_hash(seed, "upd", o, i) % 100 < 5 else None
        early = stable_hash(seed, "mod", o, i) % 100 < 10
        copiers, cover = self._groups(i)
        if o in copiers and len(copiers) >= 2:
            rank = copiers.index(o)
            return _Spec(
                o,
                i,
                "wire",
                f"wire-{i}",
                t + timedelta(minutes=25 * rank),
                event_day=t.weekday(),
                copy_rank=rank,
                story_id=f"wire-{i}",
                source=(copiers[0], i) if rank else None,
                updated_in=None,
            )
        if o in cover and len(cover) >= 2:
            rank = cover.index(o)
            return _Spec(
                o,
                i,
                "story",
                f"s{i}",
                t + timedelta(minutes=70 * rank) + jitter,
                event_day=t.weekday(),
                variant=rank,
                story_id=f"story-{i}",
                updated_in=upd,
                modified_early=early,
            )
        if i >= 6 and stable_hash(seed, "rep", o, i) % 100 < 2:
            j = i - 1 - stable_hash(seed, "repsrc", o, i) % 5
            src = self._scale_spec(o, j)
            if src.kind == "single":
                return _Spec(
                    o,
                    i,
                    "republish",
                    src.event_key,
                    t + jitter,
                    source=(o, j),
                    event_day=src.event_day,
                )
        return _Spec(
            o,
            i,
            "single",
            f"o{o}-{i}",
            t + jitter,
            event_day=t.weekday(),
            updated_in=upd,
            modified_early=early,
        )

    # ----- content ----------------------------------------------------------------------
    def _event_uncached(
        self, key: str, theme: str | None, country: int | None, day: int | None
    ) -> C.Event:
        return C.make_event(self.seed, key, theme, country, day)

    def event_of(self, sp: _Spec) -> C.Event:
        return self._event(sp.event_key, sp.theme, sp.country, sp.event_day)

    def _brief_uncached(self, o: int, i: int) -> tuple[str, str, datetime, str]:
        """(title, path, published, section) without composing the body: for link boxes."""
        sp = self.spec(o, i)
        if sp.kind == "republish" and sp.source:
            title = _republish_title(self._brief(*sp.source)[0])
        else:
            title = C.headline(self.event_of(sp), _head_variant(self.seed, sp))
        ev = self.event_of(sp)
        section = SECTION_OF_THEME[ev.theme.name]
        path = self.outlets[o].article_path(i, section, sp.published, title)
        return title, path, sp.published, section

    def brief(self, o: int, i: int) -> tuple[str, str, datetime, str]:
        return self._brief(o, i)

    def article(self, o: int, i: int, edition: int = 0) -> ArticleTruth:
        """Ground truth of outlet `o`'s article `i` as served at `edition`."""
        sp = self.spec(o, i)
        rev = 1 if sp.updated_in is not None and edition >= sp.updated_in else 0
        return self._truth(o, i, rev)

    def _paragraphs(self, sp: _Spec, rev: int) -> list[str]:
        ev = self.event_of(sp)
        if sp.kind == "wire":
            rng = random.Random(f"{self.seed}:wire:{sp.event_key}")
            paras = C.compose(ev, rng, 0, rng.randint(6, 10))
            if sp.copy_rank >= 2:  # a near-verbatim copy: trimmed ending, one sentence edited
                paras = paras[:-1]
                paras[1] = paras[1].replace(" said", " told reporters", 1)
            return paras
        if sp.kind == "republish" and sp.source:
            src = self.spec(*sp.source)
            src_rev = 1 if src.updated_in is not None and sp.edition >= src.updated_in else 0
            paras = list(self._truth(src.outlet, src.index, src_rev).paragraphs)
            extra = C.update_paragraph(ev, sp.published.weekday())
            if extra not in paras:
                if len(paras) >= 12:
                    paras.pop(-2)
                paras.insert(1, extra)
            paras[-1] = C.fill(ev.theme.next[1], ev.slots)
            return paras
        rng = random.Random(f"{self.seed}:body:{sp.outlet}:{sp.index}")
        changes = sp.modified_early or sp.updated_in is not None  # room for the added paragraph
        paras = C.compose(ev, rng, sp.variant, rng.randint(4, 11 if changes else 12))
        if sp.modified_early or rev:
            when = self._modified(sp, rev) or sp.published
            paras.insert(1, C.update_paragraph(ev, when.weekday()))
        if rev:  # the later edition also rewrites the closing sentence
            paras[-1] = C.fill(ev.theme.next[(sp.variant + 1) % len(ev.theme.next)], ev.slots)
        return paras

    def lastmod(self, o: int, i: int, edition: int) -> datetime:
        """When article `i` last changed as of `edition`, without composing its body."""
        sp = self.spec(o, i)
        rev = 1 if sp.updated_in is not None and edition >= sp.updated_in else 0
        return self._modified(sp, rev) or sp.published

    def _modified(self, sp: _Spec, rev: int) -> datetime | None:
        rng = random.Random(f"{self.seed}:modified:{sp.outlet}:{sp.index}")
        if rev:
            back = timedelta(hours=rng.randint(3, 14))
            return max(self.now(sp.updated_in or 1) - back, sp.published + timedelta(hours=2))
        if sp.modified_early:
            t = sp.published + timedelta(hours=2, minutes=rng.randint(0, 59))
            return min(t, self.now(sp.edition) - timedelta(minutes=10))
        return None

    def _truth_uncached(self, o: int, i: int, rev: int) -> ArticleTruth:
        sp, out = self.spec(o, i), self.outlets[o]
        ev = self.event_of(sp)
        title, path, published, section = self._brief(o, i)
        paras = self._paragraphs(sp, rev)
        rng = random.Random(f"{self.seed}:meta:{o}:{i}")
        if sp.kind == "wire":
            wr = random.Random(f"{self.seed}:wirer:{sp.event_key}")
            authors = (C._person(wr, set()),)
            byline = f"{authors[0]}, {WIRE_AGENCY}"
        else:
            k = 2 if rng.random() < 0.2 else 1
            staff = rng.sample(out.journalists, k)
            authors = tuple(j.name for j in staff)
            byline = _byline(staff)
        modified = self._modified(sp, rev)
        published = published.astimezone(out.tz)
        modified = modified.astimezone(out.tz) if modified else None
        dup = None
        if sp.source:
            so, si = sp.source
            dup = self.outlets[so].canonical_base + self._brief(so, si)[1]
        story = sp.story_id
        if sp.kind == "republish" and sp.source:
            story = self.spec(*sp.source).story_id
        ents = tuple(
            EntityTruth(n, lab, c, al) for n, lab, c, al in C.count_entities(ev, [title, *paras])
        )
        return ArticleTruth(
            outlet=out.slug,
            path=path,
            canonical_url=out.canonical_base + path,
            title=title,
            authors=authors,
            published=published,
            tz=out.tz.tzname(None) or "UTC",
            modified=modified,
            paragraphs=tuple(paras),
            story_id=story,
            duplicate_of=dup,
            categories=ev.theme.categories,
            entities=ents,
            section=section,
            description=paras[0].split(". ")[0].rstrip(".") + ".",
            kind=sp.kind,
            edition=sp.edition,
            revision=rev,
            date_style=DATE_STYLES[out.family][rng.randrange(3)],
            byline=byline,
            index=i,
            updated_in=sp.updated_in,
        )

    # ----- public views -------------------------------------------------------------------
    @property
    def articles(self) -> ArticleList:
        """Articles served at edition 0."""
        return ArticleList(self, 0)

    def articles_at(self, edition: int) -> ArticleList:
        self._check_edition(edition)
        return ArticleList(self, edition)

    def truth(self, edition: int = 0) -> dict[str, ArticleTruth]:
        """canonical_url -> truth at `edition` (materialises every article: small sites only)."""
        return {a.canonical_url: a for a in self.articles_at(edition)}

    def lookup(self, outlet: str, path: str, edition: int = 0) -> ArticleTruth | None:
        """The article served at `path` on `outlet`'s origin, or None."""
        out = self.by_slug.get(outlet)
        if out is None:
            return None
        i = out.index_from_path(path)
        if i is None or not 0 <= i < self.article_count(out.index, edition):
            return None
        a = self.article(out.index, i, edition)
        return a if a.path == path else None

    def lookup_url(self, canonical_url: str, edition: int = 0) -> ArticleTruth | None:
        m = re.match(r"^https://([^/]+)(/.*)$", canonical_url)
        out = self.by_domain.get(m.group(1)) if m else None
        return self.lookup(out.slug, m.group(2), edition) if out and m else None

    def stories(self, edition: int = 0) -> dict[str, list[str]]:
        """story_id -> canonical URLs of its articles (duplicates included)."""
        res: dict[str, list[str]] = {}
        for a in self.articles_at(edition):
            if a.story_id:
                res.setdefault(a.story_id, []).append(a.canonical_url)
        return res

    @property
    def boilerplate(self) -> dict[str, tuple[str, ...]]:
        """Per outlet slug: template sentences that appear on its pages and never in an article."""
        return {o.slug: boilerplate_strings(o) for o in self.outlets}

    def _check_edition(self, edition: int) -> None:
        if not 0 <= edition < self.editions:
            raise ValueError(f"edition must be in 0..{self.editions - 1}, not {edition}")


def _head_variant(seed: int, sp: _Spec) -> int:
    if sp.kind == "wire":
        return 1 if sp.copy_rank == 2 else 0
    return stable_hash(seed, "head", sp.event_key) % 4 + sp.variant


def _republish_title(title: str) -> str:
    return f"{title} (updated)" if len(title) % 2 else f"Update: {title}"


def _byline(staff: Sequence[Journalist]) -> str:
    parts = []
    for j in staff:
        s = j.name
        if j.role:
            s += f", {j.role}"
        parts.append(s)
    return " and ".join(parts)


def _curated_plan(seed: int, n: int) -> list[list[_Spec]]:
    """The small world: stories, hard negatives, wire copies, updates and republishes."""
    rng = random.Random(f"{seed}:plan")
    drafts: list[dict] = []
    start = WORLD_NOW - timedelta(days=7)

    def when(day: float, hour: int) -> datetime:
        return (start + timedelta(days=day)).replace(hour=hour, minute=rng.randint(0, 59))

    def add(**kw: object) -> dict:
        d = {
            "updated_in": None,
            "modified_early": False,
            "source": None,
            "story_id": None,
            "variant": 0,
            "edition": 0,
            "copy_rank": 0,
            "theme": None,
            "country": None,
        }
        d.update(kw)
        limit = WORLD_NOW + timedelta(days=d["edition"], minutes=-25)  # type: ignore[arg-type]
        if d["published"] > limit:  # type: ignore[operator]
            d["published"] = limit - timedelta(minutes=rng.randint(0, 30))
        d["event_day"] = d.get("event_day", d["published"].weekday())  # type: ignore[union-attr]
        drafts.append(d)
        return d

    newsy = [
        "quake",
        "storm",
        "budget",
        "election",
        "conflict",
        "company",
        "trial",
        "strike",
        "outbreak",
        "tech",
        "match",
        "climate",
        "robbery",
        "derailment",
    ]
    rng.shuffle(newsy)
    story_themes, wire_themes = newsy[:9], newsy[9:14]
    stories = []
    for k, (theme, cnt) in enumerate(zip(story_themes, (3, 2, 4, 3, 2, 3, 4, 2, 3), strict=True)):
        country = rng.randrange(len(C.COUNTRIES))
        t0 = when(rng.randint(0, 5), rng.randint(6, 16))
        outs = rng.sample(range(n), min(cnt, n))
        covers = [
            add(
                outlet=o,
                kind="story",
                event_key=f"story-{k}",
                theme=theme,
                country=country,
                published=t0 + timedelta(minutes=rank * 95 + rng.randint(0, 40)),
                event_day=t0.weekday(),
                variant=rank,
                story_id=f"story-{k}",
            )
            for rank, o in enumerate(outs)
        ]
        stories.append((theme, country, t0, covers))
    for k in range(6):  # same subject and country, different event: must not join the story
        theme, country, t0, _ = stories[k]
        add(
            outlet=rng.randrange(n),
            kind="negative",
            event_key=f"neg-{k}",
            theme=theme,
            country=country,
            published=when(rng.randint(0, 5), rng.randint(7, 20)),
        )
    wires = []
    for k, cnt in enumerate((3, 2, 3, 2)):
        t0 = when(rng.randint(0, 5), rng.randint(5, 18))
        outs = rng.sample(range(n), min(cnt, n))
        copies = []
        for rank, o in enumerate(outs):
            copies.append(
                add(
                    outlet=o,
                    kind="wire",
                    event_key=f"wire-{k}",
                    theme=wire_themes[k],
                    published=t0 + timedelta(minutes=20 + 35 * rank),
                    event_day=t0.weekday(),
                    copy_rank=rank,
                    story_id=f"wire-{k}",
                    source=None,
                )
            )
        for c in copies[1:]:
            c["source"] = copies[0]
        wires.append((outs, t0, copies))
    outs0, t0, _ = wires[0]  # one outlet writes its own report of a wire story
    other = next(o for o in range(n) if o not in outs0)
    add(
        outlet=other,
        kind="story",
        event_key="wire-0",
        theme=wire_themes[0],
        published=t0 + timedelta(hours=3),
        event_day=t0.weekday(),
        variant=1,
        story_id="wire-0",
    )
    themes = [t.name for t in C.THEMES]
    singles = []
    for k in range(31):
        if k % len(themes) == 0:
            rng.shuffle(themes)
        singles.append(
            add(
                outlet=k % n,
                kind="single",
                event_key=f"single-{k}",
                theme=themes[k % len(themes)],
                published=when(rng.randint(0, 6), rng.randint(6, 21)),
            )
        )
    for src in (singles[3], singles[11]):  # separate-URL republish, same outlet
        add(
            outlet=src["outlet"],
            kind="republish",
            event_key=src["event_key"],
            theme=src["theme"],
            published=src["published"] + timedelta(hours=rng.randint(5, 9)),
            event_day=src["event_day"],
            source=src,
        )
    for d in rng.sample([d for d in drafts if d["kind"] in ("story", "single")], 8):
        d["modified_early"] = True
    # Edition 1: in-place updates, one more outlet joins a story, new items and a republish.
    fresh = [
        d
        for d in drafts
        if d["kind"] in ("story", "single")
        and not d["modified_early"]
        and d not in (singles[3], singles[11])
    ]
    upd_singles = [d for d in fresh if d["kind"] == "single"][:2]
    upd_stories = [d for d in fresh if d["kind"] == "story"][:2]
    for d in upd_singles + upd_stories:
        d["updated_in"] = 1
    day1 = WORLD_NOW
    theme, country, t0, covers = stories[0]
    joined = [c["outlet"] for c in covers]
    newcomer = next((o for o in range(n) if o not in joined), None)
    if newcomer is not None:
        add(
            outlet=newcomer,
            kind="story",
            event_key="story-0",
            theme=theme,
            country=country,
            published=day1 + timedelta(hours=3),
            event_day=t0.weekday(),
            variant=len(covers),
            story_id="story-0",
            edition=1,
        )
    src = upd_singles[0]
    add(
        outlet=src["outlet"],
        kind="republish",
        event_key=src["event_key"],
        theme=src["theme"],
        published=day1 + timedelta(hours=5),
        event_day=src["event_day"],
        source=src,
        edition=1,
    )
    for k in range(2):
        add(
            outlet=(k * 2 + 1) % n,
            kind="single",
            event_key=f"single-e1-{k}",
            theme=themes[k],
            published=day1 + timedelta(hours=2 + 6 * k),
            edition=1,
        )
    outs = rng.sample(range(n), 2)
    first = add(
        outlet=outs[0],
        kind="wire",
        event_key="wire-4",
        theme=wire_themes[4],
        published=day1 + timedelta(hours=4),
        copy_rank=0,
        story_id="wire-4",
        edition=1,
    )
    add(
        outlet=outs[1],
        kind="wire",
        event_key="wire-4",
        theme=wire_themes[4],
        published=day1 + timedelta(hours=4, minutes=50),
        event_day=first["event_day"],
        copy_rank=1,
        story_id="wire-4",
        edition=1,
        source=first,
    )
    # Index articles per outlet in (edition, publication) order, then freeze.
    per: list[list[dict]] = [[] for _ in range(n)]
    for d in sorted(drafts, key=lambda d: (d["edition"], d["published"])):
        d["index"] = len(per[d["outlet"]])
        per[d["outlet"]].append(d)
    fields = _Spec.__dataclass_fields__
    plan = []
    for o in range(n):
        row = []
        for d in per[o]:
            kw = {k: v for k, v in d.items() if k in fields}
            if d["source"] is not None:
                kw["source"] = (d["source"]["outlet"], d["source"]["index"])
            row.append(_Spec(**kw))
        plan.append(row)
    return plan


def build_site(
    seed: int = 7,
    *,
    outlets: int | None = None,
    pages: int | None = None,
    heavy: bool | None = None,
    sitemap_chunk: int = 50000,
) -> DemoSite:
    """The demo world. Without `pages`: the curated ~76-article world (5 outlets by default,
    at least 4). With `pages`: scale mode, `pages` articles over `outlets` (default 50) outlets,
    computed lazily per URL; `heavy` (default: scale mode) pads templates to 50-150 KB pages.
    """
    scale = pages is not None
    n = outlets if outlets is not None else (50 if scale else 5)
    if n < (1 if scale else 4):
        raise ValueError("the curated world needs at least 4 outlets")
    heavy = scale if heavy is None else heavy
    return DemoSite(
        seed=seed,
        outlets=make_outlets(seed, n, heavy, scale),
        scale=scale,
        pages=pages or 0,
        editions=2 if not scale else 3,
        sitemap_chunk=sitemap_chunk,
    )
