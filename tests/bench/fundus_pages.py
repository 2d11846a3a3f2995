"""Lay out fundus's per-publisher parser test pages as dev pages for tests.bench.readability.

fundus (github.com/flairNLP/fundus, MIT) keeps, per publisher, saved pages
(`<Publisher>_<date>.html.gz`) and a JSON of what its hand-written parser extracts from
each (`<Publisher>.json`: authors, title, body sections, publishing_date). Most are German
and other non-English news sites, the kind our held-out pages are. This writes each page as
`<out>/<country>-<Publisher>.<n>/{source.html,expected.html,expected-metadata.json}`, the
Readability test-page layout; pages are matched to their JSON entry by the title appearing
in the HTML. Nothing from fundus enters this repository.

    .venv/bin/python -m tests.bench.fundus_pages <fundus>/tests/resources/parser/test_data <out>
"""

from __future__ import annotations

import gzip
import html
import json
import sys
from pathlib import Path


def _body_html(body: dict) -> str:
    parts = [f"<p>{html.escape(p)}</p>" for p in body.get("summary") or []]
    for section in body.get("sections") or []:
        parts += [f"<h2>{html.escape(h)}</h2>" for h in section.get("headline") or []]
        parts += [f"<p>{html.escape(p)}</p>" for p in section.get("paragraphs") or []]
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def convert(src: Path, out: Path) -> int:
    written = 0
    for meta_path in sorted(src.glob("*/*.json")):
        country, publisher = meta_path.parent.name, meta_path.stem
        pages = {
            p: gzip.decompress(p.read_bytes())
            for p in sorted(meta_path.parent.glob(f"{publisher}*.html.gz"))
            if p.name.split(".")[0] in (publisher,) or p.name.startswith(publisher + "_")
        }
        for n, entry in enumerate(json.loads(meta_path.read_text()).values()):
            title = entry.get("title") or ""
            if not isinstance(entry.get("body"), dict) or len(title) < 8:
                continue
            keys = {title[:40].encode(), html.escape(title[:40]).encode()}
            match = [p for p, raw in pages.items() if any(k in raw for k in keys)]
            if len(match) != 1:
                continue
            folder = out / f"{country}-{publisher}.{n}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "source.html").write_bytes(pages[match[0]])
            (folder / "expected.html").write_text(_body_html(entry["body"]), encoding="utf-8")
            authors = [a for a in entry.get("authors") or [] if isinstance(a, str)]
            meta = {
                "title": title,
                "byline": ", ".join(authors) or None,
                "publishedTime": entry.get("publishing_date"),
                "lang": country,
            }
            (folder / "expected-metadata.json").write_text(json.dumps(meta, ensure_ascii=False))
            written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python -m tests.bench.fundus_pages <fundus test_data dir> <out dir>")
        raise SystemExit(2)
    print(f"{convert(Path(sys.argv[1]), Path(sys.argv[2]))} pages written")
