"""HTML, feed and sitemap rendering for the demo outlets.

Five template families differ in nesting, class names, where the byline and date sit and
how the body is marked up (plain <p>, <br><br> runs, blocks with promos or pull quotes
inside the body), because extraction that only works on one CMS is not extraction. Page
links are relative so identity never depends on the ephemeral port; canonical and og:url
always point at the outlet's `.example` domain. Heavy outlets pad the chrome (styles,
scripts, mega menus, link boxes) to the 50-150 KB of real news pages.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from deployments.demosite.common import boilerplate_strings, stable_hash
from deployments.demosite.generator import SECTIONS, WIRE_AGENCY, ArticleTruth, Outlet

if TYPE_CHECKING:
    from deployments.demosite.generator import DemoSite

_WORDS = (
    "alpha",
    "breeze",
    "cobalt",
    "drift",
    "ember",
    "fjord",
    "gale",
    "haven",
    "isle",
    "jade",
    "kelp",
    "lumen",
    "mist",
    "north",
    "orchid",
    "pier",
    "quartz",
    "reef",
    "sable",
    "tide",
)


# ----- dates ---------------------------------------------------------------------------------
def _iso(d: datetime) -> str:
    return d.isoformat(timespec="seconds")


def _long(d: datetime) -> str:
    return f"{d.day} {d:%B %Y}, {d:%H:%M} {d.tzname()}"


def _visible_date(o: Outlet, d: datetime) -> str:
    if o.family == "courier":
        return (
            f"{d:%B} {d.day}, {d.year} {d.hour % 12 or 12}:{d:%M} {'am' if d.hour < 12 else 'pm'}"
        )
    if o.family == "bulletin":
        return f"{d:%d.%m.%Y %H:%M}"
    if o.family == "observer":
        return f"{d:%a} {d.day} {d:%b %Y %H.%M} {d.tzname()}"
    return f"{d.day} {d:%B %Y} · {d:%H:%M} {d.tzname()}"


def _date_block(o: Outlet, a: ArticleTruth) -> str:
    """The visible date; machine-readable only where the article's date style says so."""
    p = o.class_prefix
    if a.date_style == "text":
        s = f'<p class="{p}dateline">Published {_long(a.published)}'
        if a.modified:
            s += f"<br>Updated {_long(a.modified)}"
        return s + "</p>"
    if a.date_style == "time":
        s = f'<time class="{p}pubdate" datetime="{_iso(a.published)}">'
        s += f"{_visible_date(o, a.published)}</time>"
        if a.modified:
            s += f' <time class="{p}moddate" datetime="{_iso(a.modified)}">Updated '
            s += f"{_visible_date(o, a.modified)}</time>"
        return s
    s = f'<span class="{p}date">{_visible_date(o, a.published)}</span>'
    if a.modified:
        s += f' <span class="{p}updated">Updated {_visible_date(o, a.modified)}</span>'
    return s


def _person_ld(a: ArticleTruth) -> list[dict[str, str]]:
    return [{"@type": "Person", "name": n} for n in a.authors]


def _news_ld(o: Outlet, a: ArticleTruth) -> dict[str, object]:
    d: dict[str, object] = {
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": _iso(a.published),
        "author": _person_ld(a),
        "publisher": {
            "@type": "Organization",
            "name": o.name,
            "logo": {"@type": "ImageObject", "url": f"{o.canonical_base}/logo.png"},
        },
        "mainEntityOfPage": a.canonical_url,
        "articleSection": a.section,
        "inLanguage": "en",
        "image": [f"{o.canonical_base}/img/{a.index}.jpg"],
    }
    if a.modified:
        d["dateModified"] = _iso(a.modified)
    return d


def _head(o: Outlet, a: ArticleTruth | None, title: str, feed_base: str = "") -> str:
    p = []
    p.append(f"<title>{escape(title)} | {escape(o.name)}</title>")
    p.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    p.append(f'<meta property="og:site_name" content="{escape(o.name)}">')
    ftype = "application/rss+xml" if o.feed_format == "rss" else "application/atom+xml"
    p.append(f'<link rel="alternate" type="{ftype}" title="{escape(o.name)}" href="{o.feed_path}">')
    if a is not None:
        p.append(f'<meta property="og:title" content="{escape(a.title)}">')
        p.append('<meta property="og:type" content="article">')
        p.append(f'<meta property="og:url" content="{escape(a.canonical_url)}">')
        p.append(f'<meta name="description" content="{escape(a.description)}">')
        p.append(f'<meta property="og:description" content="{escape(a.description)}">')
        p.append(f'<meta property="og:image" content="{o.canonical_base}/img/{a.index}.jpg">')
        if o.family != "bulletin":
            p.append(f'<link rel="canonical" href="{escape(a.canonical_url)}">')
        if o.family != "ledger" and a.kind != "wire":
            for n in a.authors:
                p.append(f'<meta name="author" content="{escape(n)}">')
        p.append(f'<meta property="article:section" content="{a.section}">')
        st = a.date_style
        if st == "og":
            p.append(f'<meta property="article:published_time" content="{_iso(a.published)}">')
            if a.modified:
                p.append(f'<meta property="article:modified_time" content="{_iso(a.modified)}">')
        elif st == "meta_date":
            p.append(f'<meta name="date" content="{_iso(a.published)}">')
            if a.modified:
                p.append(f'<meta name="last-modified" content="{_iso(a.modified)}">')
        elif st == "meta_pubdate":
            p.append(f'<meta name="pubdate" content="{a.published:%Y%m%d}">')
        elif st == "jsonld":
            ld = {"@context": "https://schema.org", **_news_ld(o, a)}
            p.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
        elif st == "jsonld_graph":
            ld = {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "name": o.name, "url": o.canonical_base + "/"},
                    {
                        "@type": "BreadcrumbList",
                        "itemListElement": [
                            {
                                "@type": "ListItem",
                                "position": 1,
                                "name": "Home",
                                "item": o.canonical_base + "/",
                            },
                            {
                                "@type": "ListItem",
                                "position": 2,
                                "name": a.section.title(),
                                "item": o.canonical_base + o.section_path(a.section),
                            },
                        ],
                    },
                    _news_ld(o, a),
                ],
            }
            p.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    if o.heavy:
        p.append(f"<style>{_css_blob(o)}</style>")
        p.append(f"<script>{_js_blob(o)}</script>")
    else:
        p.append(f"<style>{_css_blob(o)[:1800]}</style>")
    p.append('<script async src="/static/analytics.js"></script>')
    return "\n".join(p)


# ----- heavy chrome, cached per outlet --------------------------------------------------------
_MEMO: dict[tuple[str, str, int], str] = {}


def _memo(fn: Callable[[Outlet], str]) -> Callable[[Outlet], str]:
    """Per-outlet cache keyed by (slug, chrome size): hashing a whole Outlet costs too much."""

    def wrapper(o: Outlet) -> str:
        key = (fn.__name__, o.slug + str(o.heavy), o.chrome_kb)
        hit = _MEMO.get(key)
        if hit is None:
            hit = _MEMO[key] = fn(o)
        return hit

    return wrapper


@_memo
def _css_blob(o: Outlet) -> str:
    rng = random.Random(f"css:{o.slug}")
    target = int(o.chrome_kb * 1024 * 0.40)
    out, size, k = [], 0, 0
    while size < target:
        sel = f".{o.class_prefix}{rng.choice(_WORDS)}-{k}"
        rule = (
            f"{sel}{{margin:{rng.randint(0, 24)}px {rng.randint(0, 24)}px;"
            f"color:#{rng.randrange(0x1000000):06x};font-size:{rng.randint(11, 22)}px;"
            f"line-height:{rng.randint(12, 19) / 10}}}"
        )
        out.append(rule)
        size += len(rule)
        k += 1
    return "".join(out)


@_memo
def _js_blob(o: Outlet) -> str:
    rng = random.Random(f"js:{o.slug}")
    target = int(o.chrome_kb * 1024 * 0.25)
    slots, size, k = [], 0, 0
    while size < target:
        slot = {
            "id": f"ad-{rng.choice(_WORDS)}-{k}",
            "sizes": [[300, 250], [728, 90]],
            "targeting": {"kw": rng.sample(_WORDS, 3), "pos": k % 7},
            "refresh": rng.randint(20, 90),
        }
        s = json.dumps(slot)
        slots.append(s)
        size += len(s)
        k += 1
    return (
        'window.__SITE_CONFIG__={"site":'
        + json.dumps(o.slug)
        + ',"slots":['
        + ",".join(slots)
        + "]};(function(w){w.dataLayer=w.dataLayer||[];"
        "w.dataLayer.push({event:'pageview'});})(window);"
    )


@_memo
def _nav(o: Outlet) -> str:
    p = o.class_prefix
    items = "".join(
        f'<li class="{p}nav-item"><a href="{o.section_path(s)}">{s.title()}</a></li>'
        for s in SECTIONS
    )
    nav = f'<nav class="{p}main-nav"><ul>{items}</ul></nav>'
    if o.heavy:  # mega menu: every section with a dozen topic links
        rng = random.Random(f"nav:{o.slug}")
        cols = []
        for s in SECTIONS:
            links = "".join(
                f'<li><a href="{o.section_path(s)}?topic={w}-{j}">{w.title()} {s} {j}</a></li>'
                for j, w in enumerate(rng.sample(_WORDS, 12))
            )
            cols.append(f'<div class="{p}mega-col"><h4>{s.title()}</h4><ul>{links}</ul></div>')
        nav += f'<div class="{p}mega-menu" hidden>{"".join(cols)}</div>'
    return nav


def _cookie(o: Outlet) -> str:
    p, bp = o.class_prefix, boilerplate_strings(o)
    return (
        f'<div id="{p}cookie-consent" class="{p}cookie-banner" role="dialog"><p>{escape(bp[0])}'
        f"</p><button>Accept all</button><button>Manage choices</button></div>"
    )


def _share(o: Outlet) -> str:
    p = o.class_prefix
    return (
        f'<div class="{p}share-bar"><span>Share</span><a href="#" class="{p}share-fb">Facebook'
        f'</a><a href="#" class="{p}share-x">X</a><a href="#" class="{p}share-mail">Email</a>'
        f'<a href="#" class="{p}share-copy">Copy link</a></div>'
    )


def _newsletter(o: Outlet) -> str:
    p, bp = o.class_prefix, boilerplate_strings(o)
    return (
        f'<aside class="{p}newsletter-promo"><h3>Newsletter</h3><p>{escape(bp[1])}</p>'
        f'<form action="/newsletter" method="post"><input type="email" name="email" '
        f'placeholder="Your email"><button>Sign up</button></form></aside>'
    )


def _comments(o: Outlet, a: ArticleTruth) -> str:
    p, bp = o.class_prefix, boilerplate_strings(o)
    n = stable_hash(o.slug, a.index, "comments") % 240
    return (
        f'<section class="{p}comments" id="comments"><h3>{n} comments</h3>'
        f'<p class="{p}comments-note">{escape(bp[2])}</p>'
        f'<a href="/login?next=comments">Log in to comment</a></section>'
    )


def _support(o: Outlet) -> str:
    p, bp = o.class_prefix, boilerplate_strings(o)
    return (
        f'<div class="{p}support-us"><p>{escape(bp[3])}</p><a href="/subscribe">Subscribe</a></div>'
    )


def _footer(o: Outlet) -> str:
    p, bp = o.class_prefix, boilerplate_strings(o)
    links = "".join(
        f'<a href="{x}">{t}</a>'
        for x, t in (
            ("/about", "About us"),
            ("/contact", "Contact"),
            ("/privacy", "Privacy policy"),
            ("/terms", "Terms of use"),
            ("/private/drafts", "Staff area"),
            (o.feed_path, "RSS"),
        )
    )
    legal = "".join(f'<p class="{p}legal">{escape(x)}</p>' for x in bp[4:])
    extra = ""
    if o.heavy:
        extra = (
            f'<div class="{p}footer-sitemap">'
            + "".join(
                f'<a href="{o.section_path(s)}?page={k}">{s.title()} archive page {k}</a>'
                for s in SECTIONS
                for k in range(1, 9)
            )
            + "</div>"
        )
    return (
        f'<footer class="{p}site-footer"><div class="{p}footer-links">{links}</div>'
        f"{extra}{legal}</footer>"
    )


def _link_box(site: DemoSite, o: Outlet, title: str, items: list[int], dates: bool) -> str:
    p = o.class_prefix
    lis = []
    for j in items:
        t, path, pub, _ = site.brief(o.index, j)
        d = f' <span class="{p}box-date">{_visible_date(o, pub.astimezone(o.tz))}</span>'
        lis.append(f'<li><a href="{escape(path)}">{escape(t)}</a>{d if dates else ""}</li>')
    slug = title.lower().replace(" ", "-")
    return f'<div class="{p}link-box {p}box-{slug}"><h3>{title}</h3><ul>{"".join(lis)}</ul></div>'


def _box_items(site: DemoSite, o: Outlet, a: ArticleTruth, edition: int) -> tuple[list[int], ...]:
    n = site.article_count(o.index, edition)
    others = [j for j in range(n - 1, -1, -1) if j != a.index]
    latest = others[:8]
    rng = random.Random(f"{site.seed}:box:{o.index}:{a.index}:{edition}")
    most = rng.sample(others, min(6, len(others)))
    # The big box is the same on every page of an edition, as on real sites (and it keeps
    # rendering cheap: its headlines are computed once per outlet).
    pool = [j for j in range(n - 1, max(-1, n - 600), -1)]
    more = random.Random(f"{site.seed}:more:{o.index}:{edition}").sample(
        pool, min(31 if o.heavy else 0, len(pool))
    )
    more = [j for j in more if j != a.index][:30]
    return latest, most, more


# ----- article pages ---------------------------------------------------------------------------
def render_article(site: DemoSite, o: Outlet, a: ArticleTruth, edition: int) -> str:
    # Link boxes as of the article's own last change, so an untouched article keeps its bytes
    # (and ETag) in later editions and revalidation can answer 304.
    latest, most, more = _box_items(site, o, a, (a.updated_in or 0) if a.revision else a.edition)
    boxes = _link_box(site, o, "Latest", latest, True) + _link_box(
        site, o, "Most read", most, False
    )
    if more:
        boxes += _link_box(site, o, f"More from {o.name}", more, True)
    body = {
        "gazette": _gazette,
        "courier": _courier,
        "ledger": _ledger,
        "bulletin": _bulletin,
        "observer": _observer,
    }[o.family](site, o, a, boxes)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"{_head(o, a, a.title)}\n</head>\n{body}\n</html>\n"
    )


def _esc(s: str) -> str:
    return escape(s, quote=False)


def _author_links(o: Outlet, a: ArticleTruth) -> str:
    if a.kind == "wire":
        return f'<span class="{o.class_prefix}author">{_esc(a.authors[0])}</span>, {WIRE_AGENCY}'
    out = []
    staff = {j.name: j for j in o.journalists}
    for n in a.authors:
        j = staff[n]
        s = f'<a rel="author" href="/authors/{n.lower().replace(" ", "-")}">{_esc(n)}</a>'
        if j.role:
            s += f', <span class="{o.class_prefix}role">{j.role}</span>'
        if j.email:
            s += f' <a class="{o.class_prefix}email" href="mailto:{j.email}">{j.email}</a>'
        if j.handle:
            s += f' <span class="{o.class_prefix}handle">{j.handle}</span>'
        out.append(s)
    return " and ".join(out)


def _gazette(site: DemoSite, o: Outlet, a: ArticleTruth, boxes: str) -> str:
    p = o.class_prefix
    paras = [f"<p>{_esc(x)}</p>" for x in a.paragraphs]
    paras.insert(min(3, len(paras)), _newsletter(o))
    return f"""<body class="{p}article-page">{_cookie(o)}
<header class="{p}site-header"><a class="{p}logo" href="/">{_esc(o.name)}</a>{_nav(o)}</header>
<div class="{p}container"><main id="main">
<article class="{p}story" itemscope>
<div class="{p}kicker"><a href="{o.section_path(a.section)}">{a.section.title()}</a></div>
<h1 class="{p}headline">{_esc(a.title)}</h1>
<div class="{p}meta"><div class="{p}byline">By {_author_links(o, a)}</div>{_date_block(o, a)}</div>
{_share(o)}
<figure class="{p}lead-image"><img src="/img/{a.index}.jpg" alt="">
<figcaption>Photograph: {_esc(o.name)} picture desk</figcaption></figure>
<div class="{p}story-body">
{chr(10).join(paras)}
</div>
{_share(o)}
</article>
{_comments(o, a)}
</main>
<aside class="{p}sidebar">{boxes}{_support(o)}</aside></div>
{_footer(o)}
</body>"""


def _courier(site: DemoSite, o: Outlet, a: ArticleTruth, boxes: str) -> str:
    p = o.class_prefix
    paras = [f"<p>{_esc(x)}</p>" for x in a.paragraphs]
    n = site.article_count(o.index, 0)
    rel = site.brief(o.index, (a.index + 3) % max(1, n))
    paras.insert(
        min(2, len(paras)),
        f'<p class="{p}related-inline"><strong>Read more:</strong> '
        f'<a href="{escape(rel[1])}">{_esc(rel[0])}</a></p>',
    )
    return f"""<body><div id="page">
<div class="{p}topbar"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div>
<div class="{p}masthead"><div class="{p}wrap"><a href="/" class="{p}brand">{_esc(o.name)}</a>
</div>{_nav(o)}</div>
<div class="{p}wrap"><div class="{p}row"><div class="{p}col-main">
<div class="{p}entry">
<div class="{p}breadcrumbs">
<a href="/">Home</a> › <a href="{o.section_path(a.section)}">{a.section.title()}</a></div>

<div class="{p}entry-meta">{_date_block(o, a)} <span class="{p}sep">|</span>
<span class="{p}by">Text: {_author_links(o, a)}</span></div>
<h1 class="{p}entry-title">{_esc(a.title)}</h1>
{_share(o)}
<div class="{p}entry-content">
{chr(10).join(paras)}
</div>
{_share(o)}
<div class="{p}tags">Topics: <a href="{o.section_path(a.section)}">{a.section}</a></div>
</div>
{_newsletter(o)}
{_comments(o, a)}
</div><div class="{p}col-side">{boxes}</div></div></div>
{_support(o)}
{_footer(o)}
</div>
{_cookie(o)}
</body>"""


def _ledger(site: DemoSite, o: Outlet, a: ArticleTruth, boxes: str) -> str:
    p = o.class_prefix
    blocks = []
    for k in range(0, len(a.paragraphs), 3):
        ps = "".join(f'<p data-block="paragraph">{_esc(x)}</p>' for x in a.paragraphs[k : k + 3])
        blocks.append(f'<div class="{p}text-block">{ps}</div>')
    editor = next((j.name for j in o.journalists if j.name not in a.authors), "the desk")
    if a.kind == "wire":
        credit = f"{_esc(a.authors[0])}, {WIRE_AGENCY}"
    else:
        credit = " and ".join(_esc(x) for x in a.authors)
    return f"""<body>
{_cookie(o)}
<header><div class="{p}brand-row"><a href="/">{_esc(o.name)}</a>
<span class="{p}edition">International edition</span></div>{_nav(o)}</header>
<main>
<section class="{p}article-header">
<h1>{_esc(a.title)}</h1>
{_date_block(o, a)}
</section>
{_share(o)}
<section class="{p}article-body">
{"".join(blocks)}
<p class="{p}credits">Reporting by {credit}; editing by {_esc(editor)}</p>
</section>
<section class="{p}more">{boxes}</section>
{_newsletter(o)}
{_comments(o, a)}
</main>
{_support(o)}
{_footer(o)}
</body>"""


def _bulletin(site: DemoSite, o: Outlet, a: ArticleTruth, boxes: str) -> str:
    p = o.class_prefix
    body = "<br><br>\n".join(_esc(x) for x in a.paragraphs)
    if a.kind == "wire":
        who = f"<b>{_esc(a.authors[0])}</b> | {WIRE_AGENCY}"
    else:
        staff = {j.name: j for j in o.journalists}
        who = " &amp; ".join(
            f"<b>{_esc(n)}</b>"
            + (f" | {staff[n].role}" if staff[n].role else "")
            + (f" | {staff[n].email}" if staff[n].email else "")
            for n in a.authors
        )
    return f"""<body bgcolor="#ffffff">
<table class="{p}layout" width="100%" cellpadding="0" cellspacing="0">
<tr><td colspan="2" class="{p}banner"><a href="/"><font size="6">{_esc(o.name)}</font></a>
<br>{_nav(o)}</td></tr>
<tr><td class="{p}content" valign="top">
<font face="Georgia"><h2 class="{p}title">{_esc(a.title)}</h2></font>
<div class="{p}info">{who}<br>{_date_block(o, a)}</div>
<div class="{p}ad">Advertisement</div>
<div id="{p}storytext">
{body}
</div>
<div class="{p}ad">Advertisement</div>
{_share(o)}
{_comments(o, a)}
</td>
<td class="{p}right" valign="top" width="300">{boxes}{_newsletter(o)}</td></tr>
<tr><td colspan="2">{_support(o)}{_footer(o)}</td></tr>
</table>
{_cookie(o)}
</body>"""


def _observer(site: DemoSite, o: Outlet, a: ArticleTruth, boxes: str) -> str:
    p = o.class_prefix
    cls = f"css-{stable_hash(o.slug, 'p') % 0xFFFFF:05x}"
    paras = [f'<p class="{cls}">{_esc(x)}</p>' for x in a.paragraphs]
    quote = next((x for x in a.paragraphs if x.startswith('"')), None)
    if quote and len(paras) > 3:
        pull = quote.split('," ')[0].lstrip('"')
        paras.insert(
            2, f'<blockquote class="{p}pullquote css-q9x2"><p>{_esc(pull)}</p></blockquote>'
        )
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "id": a.index,
                    "headline": a.title,
                    "section": a.section,
                    "byline": a.byline,
                    "body": [{"type": "paragraph", "text": x} for x in a.paragraphs],
                }
            }
        },
        "page": "/article",
    }
    next_data = json.dumps(data).replace("</", "<\\/")
    if a.kind == "wire":
        byl = f'<span class="{p}author-name">{_esc(a.authors[0])}</span> · {WIRE_AGENCY}'
    else:
        staff = {j.name: j for j in o.journalists}
        cards = []
        for n in a.authors:
            j = staff[n]
            extra = f'<span class="{p}author-handle">{j.handle}</span>' if j.handle else ""
            extra += f'<span class="{p}author-role">{j.role}</span>' if j.role else ""
            cards.append(
                f'<div class="{p}author-card"><img src="/avatars/{slug_of(n)}.png" '
                f'alt=""><span class="{p}author-name">{_esc(n)}</span>{extra}</div>'
            )
        byl = "".join(cards)
    return f"""<body><div id="__next"><div class="css-1x2y3z">
{_cookie(o)}
<div class="css-hd01"><header data-testid="header">
<a href="/" aria-label="{escape(o.name)}">{_esc(o.name)}</a>{_nav(o)}</header></div>
<div class="css-ct02"><div class="css-ct03">
<div data-testid="headline-block"><span class="{p}section-label">{a.section.title()}</span>
<h1 class="css-h1aa">{_esc(a.title)}</h1></div>
<figure class="{p}hero"><img src="/img/{a.index}.jpg" alt="">
<figcaption>Illustration: {_esc(o.name)}</figcaption></figure>
<div data-testid="article-body" class="{cls}-body">
{chr(10).join(paras)}
</div>

<div data-testid="byline-block" class="css-by04">{byl}
<div class="{p}article-date">{_date_block(o, a)}</div></div>
{_share(o)}
{_newsletter(o)}
</div><div class="css-rail">{boxes}</div></div>
{_comments(o, a)}
{_support(o)}
{_footer(o)}
</div></div>
<script id="__NEXT_DATA__" type="application/json">{next_data}</script>
</body>"""


def slug_of(name: str) -> str:
    return name.lower().replace(" ", "-")


# ----- listing pages ---------------------------------------------------------------------------
def _listing(site: DemoSite, o: Outlet, title: str, items: list[int], extra: str = "") -> str:
    p = o.class_prefix
    lis = []
    for j in items:
        t, path, pub, sec = site.brief(o.index, j)
        lis.append(
            f'<li class="{p}teaser"><a href="{escape(path)}">{_esc(t)}</a> '
            f'<span class="{p}teaser-meta">{sec.title()} · '
            f"{_visible_date(o, pub.astimezone(o.tz))}</span></li>"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'{_head(o, None, title)}\n</head>\n<body>{_cookie(o)}<header><a href="/">'
        f"{_esc(o.name)}</a>{_nav(o)}</header><main><h1>{_esc(title)}</h1>{extra}"
        f'<ul class="{p}teasers">{"".join(lis)}</ul></main>{_newsletter(o)}{_support(o)}'
        f"{_footer(o)}</body></html>\n"
    )


def render_home(site: DemoSite, o: Outlet, edition: int) -> str:
    n = site.article_count(o.index, edition)
    items = list(range(n - 1, max(-1, n - 41), -1))
    extra = (
        '<p class="staff-note"><a href="/private/drafts">Drafts (staff only)</a></p>'
        f'<p><a href="{o.feed_path}">Subscribe to our feed</a></p>'
    )
    return _listing(site, o, f"{o.name}: news from home and abroad", items, extra)


def render_section(site: DemoSite, o: Outlet, section: str, edition: int) -> str:
    n = site.article_count(o.index, edition)
    items = []
    for j in range(n - 1, max(-1, n - 400), -1):
        if site.brief(o.index, j)[3] == section:
            items.append(j)
            if len(items) == 30:
                break
    return _listing(site, o, f"{section.title()} – {o.name}", items)


def render_private(o: Outlet) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Drafts | '
        f'{escape(o.name)}</title><meta name="robots" content="noindex"></head><body>'
        f"<h1>Unpublished drafts</h1><p>This area is for {escape(o.name)} staff only.</p>"
        f'<ul><li><a href="/private/drafts/embargoed-budget-figures">Embargoed figures</a></li>'
        f"</ul></body></html>\n"
    )


# ----- feeds, sitemaps, robots ---------------------------------------------------------------
def _feed_link(o: Outlet, base: str, a_index: int, path: str) -> str:
    if o.short_links:
        return f"{base}/s/{a_index}"
    if o.utm_links:
        sep = "&" if "?" in path else "?"
        return f"{base}{path}{sep}utm_source=rss&utm_medium=feed"
    return base + path


def render_feed(site: DemoSite, o: Outlet, edition: int, base: str) -> str:
    n = site.article_count(o.index, edition)
    latest = [site.article(o.index, j, edition) for j in range(n - 1, max(-1, n - 51), -1)]
    latest.sort(key=lambda a: a.published, reverse=True)
    now = site.now(edition)
    x = escape
    if o.feed_format == "rss":
        items = []
        for a in latest:
            items.append(
                f"<item><title>{x(a.title)}</title>"
                f"<link>{x(_feed_link(o, base, a.index, a.path))}</link>"
                f'<guid isPermaLink="true">{x(a.canonical_url)}</guid>'
                f"<pubDate>{format_datetime(a.published)}</pubDate>"
                f"<description>{x(a.description)}</description>"
                + "".join(f"<dc:creator>{x(n_)}</dc:creator>" for n_ in a.authors)
                + f"<category>{a.section}</category></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{x(o.name)}</title><link>{base}/</link>"
            f"<description>Latest news from {x(o.name)}</description><language>en</language>"
            f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>"
            + "".join(items)
            + "</channel></rss>\n"
        )
    entries = []
    for a in latest:
        link = _feed_link(o, base, a.index, a.path)
        entries.append(
            f"<entry><title>{x(a.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{x(link)}"/>'
            f"<id>{x(a.canonical_url)}</id><published>{_iso(a.published)}</published>"
            f"<updated>{_iso(a.modified or a.published)}</updated>"
            + "".join(f"<author><name>{x(n_)}</name></author>" for n_ in a.authors)
            + f'<summary type="text">{x(a.description)}</summary>'
            f'<category term="{a.section}"/></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{x(o.name)}</title><link rel="self" href="{base}{o.feed_path}"/>'
        f'<link rel="alternate" href="{base}/"/><id>{o.canonical_base}/</id>'
        f"<updated>{_iso(now)}</updated>" + "".join(entries) + "</feed>\n"
    )


def sitemap_paths(site: DemoSite, o: Outlet, edition: int) -> list[str]:
    """Paths of the urlset sitemaps behind /sitemap.xml when it is an index."""
    n = site.article_count(o.index, edition)
    pages = max(1, -(-n // site.sitemap_chunk))
    paths = [f"/sitemap-articles-{k + 1}.xml" for k in range(pages)]
    if o.news_sitemap:
        paths.append("/sitemap-news.xml")
    return paths


def render_sitemap(site: DemoSite, o: Outlet, edition: int, base: str, path: str) -> str | None:
    n = site.article_count(o.index, edition)
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if path == "/sitemap.xml" and o.sitemap_index:
        sms = "".join(
            f"<sitemap><loc>{base}{p}</loc><lastmod>{_iso(site.now(edition))}</lastmod></sitemap>"
            for p in sitemap_paths(site, o, edition)
        )
        return f"{head}<sitemapindex {ns}>{sms}</sitemapindex>\n"
    if path == "/sitemap-news.xml" and o.news_sitemap:
        cutoff = site.now(edition) - timedelta(days=3)
        urls = []
        for j in range(n - 1, -1, -1):
            t, p_, pub, _ = site.brief(o.index, j)
            if pub < cutoff:
                break
            urls.append(
                f"<url><loc>{escape(base + p_)}</loc><news:news><news:publication>"
                f"<news:name>{escape(o.name)}</news:name><news:language>en</news:language>"
                f"</news:publication><news:publication_date>{_iso(pub.astimezone(o.tz))}"
                f"</news:publication_date><news:title>{escape(t)}</news:title></news:news></url>"
            )
        return (
            f'{head}<urlset {ns} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(urls)
            + "</urlset>\n"
        )
    if o.sitemap_index:
        if not path.startswith("/sitemap-articles-") or not path.endswith(".xml"):
            return None
        try:
            k = int(path[len("/sitemap-articles-") : -4]) - 1
        except ValueError:
            return None
        lo, hi = k * site.sitemap_chunk, min(n, (k + 1) * site.sitemap_chunk)
        if k < 0 or lo >= n:
            return None
    elif path == "/sitemap.xml":
        lo, hi = 0, n
    else:
        return None
    urls = []
    for j in range(lo, hi):
        p_, last = site.brief(o.index, j)[1], site.lastmod(o.index, j, edition)
        urls.append(f"<url><loc>{escape(base + p_)}</loc><lastmod>{_iso(last)}</lastmod></url>")
    return f"{head}<urlset {ns}>" + "".join(urls) + "</urlset>\n"


def render_robots(o: Outlet, base: str) -> str:
    return (
        f"# robots.txt for {o.domain}\nUser-agent: *\nDisallow: /private/\n"
        f"Disallow: /login\n\nSitemap: {base}/sitemap.xml\n"
    )
