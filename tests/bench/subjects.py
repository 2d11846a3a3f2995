"""Subjects, languages and keyphrases on public multilingual corpora kept outside the repo.

Subject accuracy: the share of documents whose top category, mapped to the corpus's
classes, is the labelled one (no category counts as wrong). Each corpus is split by
position into a dev half (used while building the lexicons) and a held-out half (looked
at only for the figures); both are printed.

- AG News test file (`ag_test.csv`, English, title + description, 4 classes);
- 10kGNAD test file (`gnad_test.csv`, German, full articles, 6 of its 9 classes);
- SIB-200 (`sib/<lang>/{train,dev,test}.tsv`, one Flores sentence each, 6 of 7 classes, in
  en de fr es it pt nl): train+dev are dev, test is held out;
- AEB five-class (`tests/data/subjects_aeb5.tsv`: our labels for 76 full English articles of
  `../shared/bench/aeb`, business/entertainment/politics/sport/tech, the issue's five
  classes; the texts are read from `$NEWSFLOW_SHARED` or `../shared`). Only the one slug
  that names each class counts (economy, arts, politics, sport, science).

Languages: accuracy of `tasks.clean.language.detect_language` on SIB-200 sentences in 20
languages, short (one sentence, cut to 60 characters), sentence (one whole sentence) and
long (ten sentences), next to the stop-word vote it replaced; and its speed.

The data directory is `$NEWSFLOW_SUBJECT_DATA`, else `lab21s` beside the repository or
its parent; when it (or `../shared`) is absent the bench says so and skips those sets.

    .venv/bin/python -m tests.bench.subjects [--held-out-only]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AEB5_LABELS = REPO / "tests" / "data" / "subjects_aeb5.tsv"

# Corpus class -> our slugs that count as that class.
AG_CLASSES = {
    "1": {"politics", "conflict", "crime", "disaster", "society", "religion", "environment"},
    "2": {"sport"},
    "3": {"economy", "labour"},
    "4": {"science"},
}
GNAD_CLASSES = {
    "Wirtschaft": {"economy", "labour"},
    "Sport": {"sport"},
    "Inland": {"politics", "society", "crime", "labour", "education"},
    "International": {"politics", "conflict", "society", "crime", "disaster"},
    "Kultur": {"arts"},
    "Etat": {"arts"},
    "Web": {"science"},
    "Wissenschaft": {"science", "health", "environment"},
}
# The five classes: only the slug that names each one counts.
FIVE_CLASSES = {
    "business": {"economy"},
    "entertainment": {"arts"},
    "politics": {"politics"},
    "sport": {"sport"},
    "tech": {"science"},
}
SIB_CLASSES = {
    "science/technology": {"science"},
    "politics": {"politics"},
    "sports": {"sport"},
    "health": {"health"},
    "entertainment": {"arts"},
    "travel": {"lifestyle"},
}
SIB_LANGS = {
    "en": "eng_Latn",
    "de": "deu_Latn",
    "fr": "fra_Latn",
    "es": "spa_Latn",
    "it": "ita_Latn",
    "pt": "por_Latn",
    "nl": "nld_Latn",
}
DETECT_LANGS = {
    **SIB_LANGS,
    "pl": "pol_Latn",
    "sv": "swe_Latn",
    "ru": "rus_Cyrl",
    "tr": "tur_Latn",
    "uk": "ukr_Cyrl",
    "da": "dan_Latn",
    "ro": "ron_Latn",
    "cs": "ces_Latn",
    "fi": "fin_Latn",
    "hu": "hun_Latn",
    "el": "ell_Grek",
    "id": "ind_Latn",
    "ca": "cat_Latn",
}

Doc = tuple[str | None, str, str, str]  # title, text, language, gold class


def data_dir() -> Path | None:
    env = os.environ.get("NEWSFLOW_SUBJECT_DATA")
    candidates = [Path(env)] if env else [REPO.parent / "lab21s", REPO.parent.parent / "lab21s"]
    return next((p for p in candidates if p.is_dir()), None)


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_SHARED") or REPO.parent / "shared")


def aeb5() -> tuple[list[Doc], list[Doc]] | None:
    """Full English articles with our five-class labels; per class, sorted ids alternate."""
    path = shared_dir() / "bench" / "aeb" / "ground-truth.json"
    if not path.exists():
        return None
    bodies = json.loads(path.read_text())
    by_class: dict[str, list[str]] = {}
    for line in AEB5_LABELS.read_text().splitlines():
        if line and not line.startswith("#"):
            page_id, label = line.split("\t")
            by_class.setdefault(label, []).append(page_id)
    dev: list[Doc] = []
    held: list[Doc] = []
    for label, ids in sorted(by_class.items()):
        for n, page_id in enumerate(sorted(ids)):
            (dev if n % 2 == 0 else held).append(
                (None, bodies[page_id]["articleBody"], "en", label)
            )
    return dev, held


def _halves(docs: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    return docs[0::2], docs[1::2]


def ag_news(root: Path) -> tuple[list[Doc], list[Doc]] | None:
    path = root / "ag_test.csv"
    if not path.exists():
        return None
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    docs = [
        (r["title"], r["description"].replace("\\", " "), "en", r["label"])
        for r in rows
        if r["label"] in AG_CLASSES
    ]
    return _halves(docs)


def gnad(root: Path) -> tuple[list[Doc], list[Doc]] | None:
    path = root / "gnad_test.csv"
    if not path.exists():
        return None
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";", quotechar="'"))
    docs = [(None, text, "de", label) for label, text in rows if label in GNAD_CLASSES]
    return _halves(docs)


def _sib_rows(root: Path, code: str, splits: tuple[str, ...]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for split in splits:
        path = root / "sib" / code / f"{split}.tsv"
        if path.exists():
            with path.open(newline="") as fh:
                out.extend(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return out


def sib(root: Path, lang: str) -> tuple[list[Doc], list[Doc]] | None:
    code = SIB_LANGS[lang]
    if not (root / "sib" / code).is_dir():
        return None

    def docs(splits: tuple[str, ...]) -> list[Doc]:
        return [
            (None, r["text"], lang, r["category"])
            for r in _sib_rows(root, code, splits)
            if r["category"] in SIB_CLASSES
        ]

    return docs(("train", "dev")), docs(("test",))


def accuracy(
    docs: list[Doc], classes: dict[str, set[str]], classify: Callable[[Doc], list[str]]
) -> tuple[float, dict[str, float]]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for doc in docs:
        top = classify(doc)
        totals[doc[3]] += 1
        if top and top[0] in classes[doc[3]]:
            hits[doc[3]] += 1
    overall = sum(hits.values()) / max(1, sum(totals.values()))
    return overall, {c: hits[c] / totals[c] for c in sorted(totals)}


def newsflow_topics(doc: Doc) -> list[str]:
    from tasks.enrich import enrich_text

    title, text, lang, _ = doc
    return [t["topic"] for t in enrich_text(title, text, language=lang)["topics"]]


def subjects(root: Path | None, held_out_only: bool) -> None:
    print("\nSubject accuracy (top category mapped to the corpus's classes)")
    print(f"{'corpus':<34}{'split':>10}{'docs':>7}{'acc':>8}   per class (recall)")
    sets: list[tuple[str, tuple[list[Doc], list[Doc]] | None, dict[str, set[str]]]] = [
        ("AEB five-class (en, full text)", aeb5(), FIVE_CLASSES)
    ]
    if root is not None:
        sets += [
            ("AG News (en, 4 cl.)", ag_news(root), AG_CLASSES),
            ("10kGNAD (de, full text)", gnad(root), GNAD_CLASSES),
        ]
        sets += [
            (f"SIB-200 {lang} (sentences)", sib(root, lang), SIB_CLASSES) for lang in SIB_LANGS
        ]
    for name, halves, classes in sets:
        if halves is None:
            print(f"{name:<34} data not found; skipped")
            continue
        for split, docs in zip(("dev", "held-out"), halves, strict=True):
            if held_out_only and split == "dev":
                continue
            acc, per = accuracy(docs, classes, newsflow_topics)
            cells = " ".join(f"{c[:6]}={v:.2f}" for c, v in per.items())
            print(f"{name:<34}{split:>10}{len(docs):>7}{acc:>8.3f}   {cells}", flush=True)


def languages(root: Path) -> None:
    from tasks.clean import language

    samples: dict[str, list[tuple[str, str]]] = {"short": [], "sentence": [], "long": []}
    for lang, code in DETECT_LANGS.items():
        rows = _sib_rows(root, code, ("test",))
        if not rows:
            continue
        texts = [r["text"] for r in rows]
        for t in texts[:100]:
            cut = t[:60].rsplit(" ", 1)[0] if len(t) > 60 else t
            samples["short"].append((lang, cut))
            samples["sentence"].append((lang, t))
        for i in range(0, min(len(texts), 200), 10):
            samples["long"].append((lang, " ".join(texts[i : i + 10])))
    if not samples["long"]:
        print(f"\nLanguage detection: SIB-200 not found under {root}; skipped")
        return
    n_langs = len({lang for lang, _ in samples["long"]})
    print(f"\nLanguage detection on SIB-200 test sentences, {n_langs} languages")
    print(f"{'detector':<34}{'kind':>10}{'texts':>7}{'acc':>8}{'texts/s':>10}")
    detectors = [
        ("newsflow detect_language", language.detect_language),
        ("stop-word vote (before)", language.stopword_vote),
    ]
    language.detect_language("warm up the detector once")
    for name, detect in detectors:
        for kind, items in samples.items():
            started = time.perf_counter()
            got = [detect(text) for _, text in items]
            rate = len(items) / (time.perf_counter() - started)
            acc = sum(g == lang for g, (lang, _) in zip(got, items, strict=True)) / len(items)
            print(f"{name:<34}{kind:>10}{len(items):>7}{acc:>8.3f}{rate:>10.0f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out-only", action="store_true")
    args = parser.parse_args(argv)
    root = data_dir()
    if root is None:
        print(
            "subjects: no data directory (set NEWSFLOW_SUBJECT_DATA to a folder with "
            "ag_test.csv, gnad_test.csv and sib/); only the AEB set runs",
            file=sys.stderr,
        )
    else:
        languages(root)
    subjects(root, args.held_out_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
