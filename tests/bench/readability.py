"""Dev benches on pages with known answers: body, title, byline and date, beside trafilatura.

Two sets, neither in this repository: Mozilla Readability's test pages (test/test-pages/*/
of github.com/mozilla/readability, Apache-2.0: source.html, expected.html,
expected-metadata.json), at NEWSFLOW_READABILITY (default ../shared/dev/readability), and
fundus's per-publisher parser test pages (github.com/flairNLP/fundus, MIT; mostly German and
other non-English news), laid out the same way by `tests.bench.fundus_pages`, at
NEWSFLOW_FUNDUS (default ../shared/dev/fundus). A set that is absent is skipped.

Scores, per page then averaged:
- body: bag-of-words token F1 (lower-cased `\\w+` tokens) against expected.html's text;
- title: exact after whitespace and case folding;
- author: the names, joined, against the expected byline with its "By"-like lead word and
  anything after its first line removed (both normalised alike for every tool). "No author"
  is an answer: precision is right names among pages where a tool names someone, recall is
  right names among pages whose byline is set, exact counts an empty answer on an empty
  byline as right;
- date: publishedTime's calendar day, on the pages that have one.

The expected values are each project's own output (Readability's algorithm, fundus's
hand-written per-site parsers), so a few are noise ("Follow Author"); both tools are scored
against the same gold. Pages are split by a fixed hash of their folder name
into a dev part and a held-out part (about a quarter): tune on dev, check held-out.

    .venv/bin/python -m tests.bench.readability [--set readability|fundus] [--split dev|held]
        [--show author|body|title|day]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")
# Fewer expected words than this is a parser test, not an article (see _run).
ARTICLE_WORDS = 20
_LEAD = re.compile(
    r"^(?:written\s+by|posted\s+by|by|von|par|por|di|door|av|af|przez|от|autor:?|author:?)\s+",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Gold:
    name: str
    html: bytes
    body: str
    title: str
    byline: str
    day: str


@dataclass(slots=True)
class Guess:
    body: str = ""
    title: str = ""
    authors: str = ""
    day: str = ""


# Dev sets in the Readability test-page layout: the environment variable, else ../shared/dev.
SETS = {"readability": "NEWSFLOW_READABILITY", "fundus": "NEWSFLOW_FUNDUS"}


def data_dir(name: str = "readability") -> Path:
    default = REPO.parent / "shared" / "dev" / name
    return Path(os.environ.get(SETS[name]) or default)


def held_out(name: str) -> bool:
    """A fixed quarter of the pages (by hash), never looked at while tuning. Pages named
    "<publisher>.<n>" go by publisher, so one site's template is on one side only."""
    key = name.split(".")[0]
    return hashlib.sha1(key.encode("utf-8")).digest()[0] < 64


def norm_author(text: str) -> str:
    line = (text or "").strip().split("\n")[0]
    line = _LEAD.sub("", _WS.sub(" ", line).strip())
    return " ".join(_TOKEN.findall(line.lower()))


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall((text or "").lower()))


def token_f1(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(pred), tokens(gold)
    if not p and not g:
        return 1.0, 1.0, 1.0
    tp = sum((p & g).values())
    prec = tp / sum(p.values()) if p else 0.0
    rec = tp / sum(g.values()) if g else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


def load(root: Path) -> list[Gold]:
    import lxml.html

    pages: list[Gold] = []
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").is_file()):
        meta_path = folder / "expected-metadata.json"
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        expected = (folder / "expected.html").read_text(encoding="utf-8")
        body = lxml.html.fromstring(expected).text_content() if expected.strip() else ""
        pages.append(
            Gold(
                name=folder.name,
                html=(folder / "source.html").read_bytes(),
                body=body,
                title=meta.get("title") or "",
                byline=meta.get("byline") or "",
                day=(meta.get("publishedTime") or "")[:10],
            )
        )
    return pages


def _newsflow() -> Callable[[Gold], Guess]:
    from records import Page
    from tasks.clean import clean_page

    def run(gold: Gold) -> Guess:
        url = f"http://fakehost/{gold.name}/"
        page = Page(url=url, final_url=url, source="bench", status=200, body=gold.html)
        article, _ = clean_page(page)
        if article is None:
            return Guess()
        day = article.published_at.date().isoformat() if article.published_at else ""
        return Guess(article.text, article.title or "", ", ".join(article.authors), day)

    return run


def _trafilatura() -> Callable[[Gold], Guess]:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    def run(gold: Gold) -> Guess:
        url = f"http://fakehost/{gold.name}/"
        doc = trafilatura.bare_extraction(gold.html, url=url, with_metadata=True)
        if doc is None:
            return Guess()
        authors = ", ".join(a.strip() for a in (doc.author or "").split(";") if a.strip())
        return Guess(doc.text or "", doc.title or "", authors, (doc.date or "")[:10])

    return run


def score(pages: list[Gold], guesses: dict[str, Guess]) -> dict[str, float]:
    f1s, ps, rs = [], [], []
    titles = authors_exact = named = named_right = bylined = bylined_right = 0
    dated = dated_right = 0
    for gold in pages:
        guess = guesses[gold.name]
        f, p, r = token_f1(guess.body, gold.body)
        f1s.append(f)
        ps.append(p)
        rs.append(r)
        titles += (
            _WS.sub(" ", guess.title).strip().lower() == _WS.sub(" ", gold.title).strip().lower()
        )
        ours, theirs = norm_author(guess.authors), norm_author(gold.byline)
        authors_exact += ours == theirs
        if ours:
            named += 1
            named_right += ours == theirs
        if theirs:
            bylined += 1
            bylined_right += ours == theirs
        if gold.day:
            dated += 1
            dated_right += guess.day == gold.day
    n = max(len(pages), 1)
    return {
        "F1": sum(f1s) / n,
        "P": sum(ps) / n,
        "R": sum(rs) / n,
        "title": titles / n,
        "author": authors_exact / n,
        "authP": named_right / max(named, 1),
        "authR": bylined_right / max(bylined, 1),
        "day": dated_right / max(dated, 1),
    }


def _row(name: str, cells: list[str]) -> str:
    return f"{name:<26}" + "".join(f"{c:>8}" for c in cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "held", "all"], default="all")
    parser.add_argument("--show", choices=["author", "body", "title", "day"], default=None)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    args = parser.parse_args(argv)
    for name in SETS if args.set == "all" else [args.set]:
        root = data_dir(name)
        if not root.is_dir():
            print(f"{name} dev pages not found at {root} (set {SETS[name]}); skipping")
            continue
        _run(name, load(root), args)
    return 0


def _run(set_name: str, pages: list[Gold], args: argparse.Namespace) -> None:
    tools = {"newsflow clean_page": _newsflow(), "trafilatura 2.3.1": _trafilatura()}
    results: dict[str, dict[str, Guess]] = {}
    seconds: dict[str, float] = {}
    for name, fn in tools.items():
        started = time.perf_counter()
        results[name] = {g.name: fn(g) for g in pages}
        seconds[name] = time.perf_counter() - started
    splits = {"dev": [g for g in pages if not held_out(g.name)]}
    splits["held"] = [g for g in pages if held_out(g.name)]
    splits["all"] = pages
    wanted = ["dev", "held"] if args.split == "all" else [args.split]
    cols = ["F1", "P", "R", "title", "author", "authP", "authR", "day"]
    for split in wanted:
        part = splits[split]
        print(f"\n{set_name} dev pages, {split} split ({len(part)} pages)")
        print(_row("extractor", [*cols, "s"]))
        for name in tools:
            s = score(part, results[name])
            print(_row(name, [f"{s[c]:.3f}" for c in cols] + [f"{seconds[name]:.1f}"]))
        # Some of Readability's pages test one parsing trick on a body of a few words;
        # newsflow drops a page with no article text on purpose, so say what the body
        # score is on pages that carry an article's worth of text.
        long = [g for g in part if len(g.body.split()) >= ARTICLE_WORDS]
        if len(long) < len(part):
            print(f"body on the {len(long)} pages with >= {ARTICLE_WORDS} expected words:")
            for name in tools:
                s = score(long, results[name])
                print(_row(f"  {name}", [f"{s[c]:.3f}" for c in ("F1", "P", "R")]))
    if args.show:
        part = [g for s in wanted for g in splits[s]]
        _show(part, results, args.show)


def _show(pages: list[Gold], results: dict[str, dict[str, Guess]], what: str) -> None:
    """Per-page lines where the tools disagree with the gold, for reading errors."""
    names = list(results)
    for gold in pages:
        ours, theirs = results[names[0]][gold.name], results[names[1]][gold.name]
        if what == "author":
            right = norm_author(gold.byline)
            if norm_author(ours.authors) != right or norm_author(theirs.authors) != right:
                print(
                    f"{gold.name[:22]:<23}gold={gold.byline.split(chr(10))[0]!r:<32}"
                    f" nf={ours.authors!r:<30} tr={theirs.authors!r}"
                )
        elif what == "title":
            print(f"{gold.name[:22]:<23}gold={gold.title!r}\n{'':23}nf={ours.title!r}")
        elif what == "day":
            if gold.day:
                print(f"{gold.name[:22]:<23}gold={gold.day} nf={ours.day} tr={theirs.day}")
        else:
            f, p, r = token_f1(ours.body, gold.body)
            tf, tp, tr = token_f1(theirs.body, gold.body)
            print(
                f"{gold.name[:22]:<23}nf F1 {f:.2f} P {p:.2f} R {r:.2f}   "
                f"tr F1 {tf:.2f} P {tp:.2f} R {tr:.2f}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
