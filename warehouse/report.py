"""`newsflow report`: one self-contained HTML file an analyst can mail or open offline.

Charts are inline SVG drawn here from the analyst views, styles are inlined from
report_assets/report.css, and fonts are the system's: no script, stylesheet or font
is fetched, so the file looks the same from a laptop, a mail client or an archive.
The report reads through a read-only connection; when the file predates the views
(an older schema nobody has opened for writing yet) it creates them as TEMP views
in that connection instead of writing to the warehouse.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from warehouse.query import connect_readonly
from warehouse.store import WarehouseError
from warehouse.views import VIEWS

PALETTE = (
    "#2f6fd6",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#9c755f",
    "#bab0ac",
)
MAX_SERIES = 8  # sources drawn separately in the time chart; the rest are "other"
_CSS = Path(__file__).with_name("report_assets") / "report.css"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def ensure_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing analyst views as TEMP views, which a read-only connection may do."""
    have = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for name, sql in VIEWS.items():
        if name not in have:
            con.execute(f"CREATE TEMP VIEW {name} AS {sql}")


def _fmt(n: float | int | None, digits: int = 0) -> str:
    if n is None:
        return "–"
    if digits:
        return f"{n:,.{digits}f}"
    return f"{round(n):,}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


# --- SVG charts -------------------------------------------------------------------------


def stacked_columns(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, height: int = 280
) -> str:
    """Columns per period, stacked by series; labels thinned to stay legible."""
    width, left, right, top, bottom = 1100, 44, 10, 10, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[1][i] for s in series) for i in range(len(labels))]
    peak = max(totals or [0]) or 1
    step = _nice_step(peak)
    ymax = step * -(-peak // step)
    col_w = plot_w / max(len(labels), 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="articles over time">']
    for k in range(0, int(ymax) + 1, int(step)):
        y = top + plot_h - plot_h * k / ymax
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="muted" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k}</text>'
        )
    every = max(1, -(-len(labels) // 16))
    for i, label in enumerate(labels):
        x = left + i * col_w
        y = top + plot_h
        for j, (name, values) in enumerate(series):
            v = values[i]
            if not v:
                continue
            h = plot_h * v / ymax
            y -= h
            parts.append(
                f'<rect x="{x + col_w * 0.12:.1f}" y="{y:.1f}" width="{col_w * 0.76:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"><title>{_e(label)} · '
                f"{_e(name)}: {v}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text class="muted" x="{x + col_w / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{_e(label[5:] if len(label) == 10 else label)}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/>'
    )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{PALETTE[j % len(PALETTE)]}"></i>{_e(name)}</span>'
        for j, (name, _) in enumerate(series)
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _nice_step(peak: int) -> int:
    raw = max(peak / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return int(m * magnitude)
    return int(10 * magnitude)


# Bar labels: at most this many characters (the full text is the tooltip), each allowed
# this much width at the charts' 14px system font (wide glyphs included, checked in
# Chromium by tests/test_report.py).
LABEL_CHARS = 40
LABEL_CHAR_PX = 8.6


def hbars(items: Sequence[tuple[str, float, str]], *, color: str = PALETTE[0]) -> str:
    """Horizontal bars: (label, value, text shown after the bar)."""
    if not items:
        return '<p class="empty">no data yet</p>'
    row_h = 24
    shorts = [
        label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        for label, _, _ in items
    ]
    # The label column is as wide as the longest label needs (right-aligned text that
    # overflowed it was cut off at the SVG's left edge), the bar area stays the same.
    label_w = max(170, round(max(len(t) for t in shorts) * LABEL_CHAR_PX) + 16)
    width = label_w + 370
    height = row_h * len(items) + 6
    peak = max(v for _, v, _ in items) or 1
    bar_max = width - label_w - 110
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img">']
    for i, ((label, value, shown), short) in enumerate(zip(items, shorts, strict=True)):
        y = 3 + i * row_h
        w = max(bar_max * value / peak, 2)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end"><title>{_e(label)}</title>'
            f"{_e(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
            f'fill="{color}"/>'
            f'<text class="muted" x="{label_w + w + 6:.1f}" y="{y + 16}">{_e(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar(ratio: float | None, *, bad: bool = False) -> str:
    if ratio is None:
        return ""
    cls = "bar bad" if bad else "bar"
    return f'<div class="{cls}"><i style="width:{max(0.0, min(ratio, 1.0)) * 100:.1f}%"></i></div>'


# --- sections ---------------------------------------------------------------------------


def _time_chart(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(
        con, "SELECT day, source, articles FROM daily_articles_per_source WHERE articles > 0"
    )
    if not rows:
        return '<p class="empty">no articles yet</p>'
    first = min(r["day"] for r in rows)
    last = max(r["day"] for r in rows)
    weekly = (last - first).days > 120  # more than ~4 months: weeks keep the columns readable

    def period(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday()) if weekly else day

    periods: list[dt.date] = []
    cursor = period(first)
    while cursor <= last:
        periods.append(cursor)
        cursor += dt.timedelta(days=7 if weekly else 1)
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["source"]] = totals.get(r["source"], 0) + r["articles"]
    ranked = sorted(totals, key=lambda s: (-totals[s], s))
    # An "other" of a single outlet hides a name for nothing: draw it instead.
    keep = ranked if len(ranked) <= MAX_SERIES + 1 else ranked[:MAX_SERIES]
    names = keep + (["other"] if len(ranked) > len(keep) else [])
    index = {p: i for i, p in enumerate(periods)}
    values = {n: [0] * len(periods) for n in names}
    for r in rows:
        name = r["source"] if r["source"] in keep else "other"
        values[name][index[period(r["day"])]] += r["articles"]
    labels = [p.isoformat() for p in periods]
    note = "per week (Monday)" if weekly else "per day"
    chart = stacked_columns(labels, [(n, values[n]) for n in names])
    note = f"Non-duplicate articles {note}, by outlet (UTC publication date)."
    return f'<p class="note">{note}</p>{chart}'


def _entities(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(
        con,
        "SELECT e.entity, e.label, count(DISTINCT e.article_id) AS articles "
        "FROM article_entities e JOIN v_articles a USING (article_id) "
        "GROUP BY ALL ORDER BY articles DESC, e.entity LIMIT 15",
    )
    return hbars(
        [(f"{r['entity']}", r["articles"], f"{r['articles']} · {r['label']}") for r in rows],
        color=PALETTE[2],
    )


def _topics(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(
        con,
        "SELECT t.topic, count(DISTINCT t.article_id) AS articles FROM article_topics t "
        "JOIN v_articles a USING (article_id) GROUP BY ALL ORDER BY articles DESC, topic "
        "LIMIT 15",
    )
    total = con.execute(
        "SELECT count(DISTINCT article_id) FROM article_topics JOIN v_articles USING (article_id)"
    ).fetchall()[0][0]
    return hbars(
        [
            (r["topic"], r["articles"], f"{r['articles']} · {_pct(r['articles'] / total)}")
            for r in rows
        ],
        color=PALETTE[1],
    )


def _stories(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(
        con,
        "SELECT * FROM stories_overview ORDER BY article_count DESC, source_count DESC, "
        "first_published_at LIMIT 12",
    )
    if not rows:
        return '<p class="empty">no stories yet</p>'
    peak = max(r["article_count"] for r in rows)
    body = []
    for r in rows:
        chips = "".join(f'<span class="chip">{_e(o)}</span>' for o in r["outlets"])
        first = r["first_published_at"].date().isoformat() if r["first_published_at"] else ""
        last = r["last_published_at"].date().isoformat() if r["last_published_at"] else ""
        span = first if first == last else f"{first} → {last}"
        body.append(
            f"<tr><td>{_e(r['headline'] or r['story_id'])}</td>"
            f'<td class="num">{r["article_count"]}{_bar(r["article_count"] / peak)}</td>'
            f'<td class="num">{r["source_count"]}</td><td>{chips}</td><td>{_e(span)}</td></tr>'
        )
    return (
        "<table><tr><th>story</th><th class=num>articles</th><th class=num>outlets</th>"
        "<th>outlets</th><th>published</th></tr>" + "".join(body) + "</table>"
    )


def _health(con: duckdb.DuckDBPyConnection) -> str:
    rows = _rows(con, "SELECT * FROM source_health ORDER BY fetches DESC, articles DESC LIMIT 25")
    if not rows:
        return '<p class="empty">no fetches logged yet</p>'
    body = []
    for r in rows:
        body.append(
            f"<tr><td>{_e(r['source'])}</td>"
            f'<td class="num">{_fmt(r["fetches"])}</td>'
            f'<td class="num">{_pct(r["success_rate"])}{_bar(r["success_rate"])}</td>'
            f'<td class="num">{_fmt(r["p50_latency_ms"])} / {_fmt(r["p95_latency_ms"])}</td>'
            f'<td class="num">{_pct(r["unchanged_ratio"])}</td>'
            f'<td class="num">{_fmt(r["articles"])}</td>'
            f'<td class="num">{_pct(r["duplicate_ratio"])}'
            f"{_bar(r['duplicate_ratio'], bad=True)}</td></tr>"
        )
    methods = _rows(con, "SELECT * FROM duplicates_by_method ORDER BY duplicates DESC")
    method_text = ", ".join(
        f"{_e(m['method'])}: {m['duplicates']} (mean similarity {_fmt(m['avg_similarity'], 2)})"
        for m in methods
    )
    return (
        "<table><tr><th>outlet</th><th class=num>requests</th><th class=num>success</th>"
        "<th class=num>latency p50 / p95 ms</th><th class=num>unchanged</th>"
        "<th class=num>articles</th><th class=num>duplicates</th></tr>"
        + "".join(body)
        + "</table>"
        + (f'<p class="note">Duplicates by method: {method_text}.</p>' if methods else "")
    )


def _figures(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    art = _rows(
        con,
        "SELECT count(*) FILTER (WHERE duplicate_of IS NULL) AS articles, "
        "count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates, "
        "count(DISTINCT source) AS sources, "
        "min(CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE)) AS first, "
        "max(CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE)) AS last "
        "FROM articles",
    )[0]
    stories = con.execute(
        "SELECT count(*) FILTER (WHERE source_count > 1) FROM stories_overview"
    ).fetchall()[0][0]
    runs = _rows(con, "SELECT count(*) AS n, max(started_at) AS last FROM runs")[0]
    health = _rows(
        con, "SELECT sum(fetches) AS f, sum(succeeded) AS s, sum(unchanged) AS u FROM source_health"
    )[0]
    total = (art["articles"] or 0) + (art["duplicates"] or 0)
    success = health["s"] / health["f"] if health["f"] else None
    figures = [
        (_fmt(art["articles"]), "articles (no duplicates)"),
        (_pct(art["duplicates"] / total if total else None), f"duplicates ({art['duplicates']})"),
        (_fmt(art["sources"]), "outlets"),
        (_fmt(stories), "cross-outlet stories"),
        (_pct(success), "fetch success"),
        (_fmt(runs["n"]), "runs"),
    ]
    html_figs = "".join(
        f'<div class="figure"><b>{v}</b><span>{_e(k)}</span></div>' for v, k in figures
    )
    span = f"{art['first']} to {art['last']}" if art["first"] else "no articles yet"
    last_run = runs["last"].strftime("%Y-%m-%d %H:%M UTC") if runs["last"] else "none"
    return html_figs, f"Articles published {span} · last run {last_run}"


def build_html(con: duckdb.DuckDBPyConnection, title: str) -> str:
    ensure_views(con)
    figures, subtitle = _figures(con)
    css = _CSS.read_text(encoding="utf-8")
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{css}</style></head>
<body><header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header><main>
<div class="figures">{figures}</div>
<section><h2>Articles over time per outlet</h2>{_time_chart(con)}</section>
<div class="grid2">
<section><h2>Top entities</h2><p class="note">Articles mentioning each entity, duplicates
excluded.</p>{_entities(con)}</section>
<section><h2>Topic mix</h2><p class="note">Articles per subject category and share of
categorised articles, duplicates excluded.</p>{_topics(con)}</section>
</div>
<section><h2>Biggest stories</h2><p class="note">Stories by number of articles, with every
outlet that covered them (duplicates excluded).</p>{_stories(con)}</section>
<section><h2>Fetch health and duplicates</h2><p class="note">Per outlet: request success,
latency, share of pages unchanged since the last fetch, and share of its articles that
duplicate another (duplicates included here).</p>{_health(con)}</section>
</main><footer>newsflow report · generated {generated}</footer></body></html>
"""


def render_report(path: str | os.PathLike[str], out_html: str | os.PathLike[str]) -> None:
    """Write the report for the warehouse at `path` to `out_html`."""
    con = connect_readonly(path)
    try:
        try:
            page = build_html(con, f"newsflow · {Path(path).name}")
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot build the report: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    out = Path(out_html)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise WarehouseError(f"cannot write {out}: {exc.strerror or exc}") from exc
