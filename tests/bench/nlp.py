"""Enrich-stage benchmark: speed against the clean stage, accuracy against annotations.

Speed: articles/s of `enrich_batch` on the 181 AEB ground-truth bodies, next to the clean
stage's pages/s on the same pages' HTML (the rate enriching must stay above) and spaCy's
small English NER on the same bodies (the obvious off-the-shelf alternative).

Accuracy: entity precision/recall (strict = name and label; names = name only; a name
matches when any of its forms equals any form of the annotated entity) and topic micro
precision/recall/F1 plus top-1 accuracy, on two sets:
- `tests/data/topics_gold.yaml`: hand annotations of real text (the shared samples and
  AEB bodies; only annotations and references are stored in the repo);
- the demo site's generated world (`deployments.demosite`), whose truth is generated
  together with the text: useful for breadth, but easier than real news.

    .venv/bin/python -m tests.bench.nlp [--skip-spacy] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "topics_gold.yaml"
# The demo site's category names -> taxonomy slugs.
DEMO_TOPICS = {
    "politics": "politics",
    "conflict and war": "conflict",
    "economy and business": "economy",
    "science and technology": "science",
    "health": "health",
    "crime and law": "crime",
    "disaster and accident": "disaster",
    "environment": "environment",
    "education": "education",
    "labour": "labour",
    "society": "society",
    "sport": "sport",
    "arts and culture": "arts",
    "lifestyle": "lifestyle",
    "religion": "religion",
    "weather": "weather",
    "human interest": "human_interest",
}


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_SHARED") or REPO.parent / "shared")


@dataclass
class GoldDoc:
    ref: str
    title: str | None
    text: str
    topics: list[str]
    entities: list[tuple[str, str, list[str]]]  # name, label, aliases


def norm(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return " ".join(name.lower().split())


def load_gold(path: Path = GOLD) -> list[GoldDoc]:
    """The annotated documents whose texts are available (shared data may be absent)."""
    data = yaml.safe_load(path.read_text())
    shared = shared_dir()
    aeb_path = shared / "bench" / "aeb" / "ground-truth.json"
    aeb = json.loads(aeb_path.read_text()) if aeb_path.exists() else {}
    docs = []
    for item in data["documents"]:
        kind, _, ref = item["ref"].partition(":")
        if kind == "aeb":
            if ref not in aeb:
                continue
            text = aeb[ref]["articleBody"]
        else:
            file = shared / "samples" / ref
            if not file.exists():
                continue
            text = file.read_text()
        ents = [(e[0], e[1], list(e[2])) for e in item["entities"]]
        docs.append(GoldDoc(item["ref"], None, text, list(item["topics"]), ents))
    return docs


def demo_docs() -> list[GoldDoc]:
    from deployments.demosite.generator import build_site

    site = build_site(7)
    out = []
    for a in site.articles:
        if a.language != "en":
            continue
        ents = [(e.name, e.label, list(e.aliases)) for e in a.entities]
        topics = [DEMO_TOPICS[c] for c in a.categories if c in DEMO_TOPICS]
        out.append(GoldDoc(a.canonical_url, a.title, a.text, topics, ents))
    return out


@dataclass
class Scores:
    tp_strict: int = 0
    tp_name: int = 0
    predicted: int = 0
    gold: int = 0
    topic_tp: int = 0
    topic_pred: int = 0
    topic_gold: int = 0
    top1: int = 0
    docs: int = 0

    def add_entities(
        self, predicted: list[tuple[str, str, list[str]]], gold: list[tuple[str, str, list[str]]]
    ) -> None:
        self.predicted += len(predicted)
        self.gold += len(gold)
        for strict in (True, False):
            used: set[int] = set()
            for name, label, aliases in predicted:
                forms = {norm(name), *(norm(a) for a in aliases)}
                for i, (gname, glabel, galiases) in enumerate(gold):
                    if i in used or (strict and label != glabel):
                        continue
                    if forms & {norm(gname), *(norm(a) for a in galiases)}:
                        used.add(i)
                        break
            if strict:
                self.tp_strict += len(used)
            else:
                self.tp_name += len(used)

    def add_topics(self, predicted: list[str], gold: list[str]) -> None:
        self.docs += 1
        self.topic_pred += len(predicted)
        self.topic_gold += len(gold)
        self.topic_tp += len(set(predicted) & set(gold))
        self.top1 += bool(predicted and predicted[0] in gold)

    def row(self) -> list[str]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        p, r = ratio(self.tp_strict, self.predicted), ratio(self.tp_strict, self.gold)
        pn, rn = ratio(self.tp_name, self.predicted), ratio(self.tp_name, self.gold)
        tp, tr = ratio(self.topic_tp, self.topic_pred), ratio(self.topic_tp, self.topic_gold)
        f1 = 2 * tp * tr / (tp + tr) if tp + tr else 0.0
        cells = [p, r, pn, rn]
        topic_cells = [tp, tr, f1, ratio(self.top1, self.docs)] if self.topic_pred else []
        return [f"{x:.3f}" for x in cells] + ([f"{x:.3f}" for x in topic_cells] or ["-"] * 4)


Predictor = Callable[[list[GoldDoc]], list[tuple[list[tuple[str, str, list[str]]], list[str]]]]


def _mode(ner: str) -> str:
    """`rules` means the run's default: `NEWSFLOW_NER=fast` measures the rules alone."""
    from flows.settings import from_environment

    chosen = from_environment().ner
    return "fast" if ner == "rules" and chosen == "fast" else ner


def newsflow_predictor(ner: str) -> Predictor:
    from records import Article
    from tasks.enrich import enrich_batch

    ner = _mode(ner)

    def run(docs: list[GoldDoc]):
        arts = [
            Article(f"d{i}", d.ref, d.ref, "bench", d.text, title=d.title, language="en")
            for i, d in enumerate(docs)
        ]
        enrich_batch(arts, ner=ner)
        return [
            ([(e.name, e.label, e.aliases) for e in a.entities], [t for t, _ in a.topics])
            for a in arts
        ]

    return run


def spacy_predictor(docs: list[GoldDoc]):
    """spaCy small NER over the full text (title included): the reference, no topics."""
    from tasks.enrich.nlp import _SPACY_LABELS, spacy_model

    nlp = spacy_model()
    out = []
    texts = [f"{d.title}.\n{d.text}" if d.title else d.text for d in docs]
    for doc in nlp.pipe(texts, batch_size=32):
        seen: dict[tuple[str, str], None] = {}
        for e in doc.ents:
            label = _SPACY_LABELS.get(e.label_)
            if label:
                seen[(re.sub(r"^the\s+", "", e.text, flags=re.IGNORECASE), label)] = None
        out.append(([(n, lab, []) for n, lab in seen], []))
    return out


def evaluate(predict: Predictor, docs: list[GoldDoc]) -> Scores:
    scores = Scores()
    for doc, (ents, topics) in zip(docs, predict(docs), strict=True):
        scores.add_entities(ents, doc.entities)
        if topics or predict is not spacy_predictor:
            scores.add_topics(topics, doc.topics)
    return scores


def _row(name: str, cells: Iterable[str], width: int = 36) -> str:
    return f"{name:<{width}}" + "".join(f"{c:>9}" for c in cells)


def _aeb_rows() -> list[tuple[str, str, bytes, str]]:
    root = shared_dir() / "bench" / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text())
    return [
        (
            k,
            v["url"],
            gzip.decompress((root / "html" / f"{k}.html.gz").read_bytes()),
            v["articleBody"],
        )
        for k, v in sorted(truth.items())
    ]


def speed(repeat: int, with_spacy: bool) -> None:
    from records import Article, Page
    from tasks.clean import clean_page
    from tasks.enrich import enrich_batch

    rows = _aeb_rows()
    print(f"\nSpeed on the {len(rows)} AEB pages (1 core, same process, best of {repeat})")
    print(_row("stage", ["items/s", "ms/item"]))

    def best(fn: Callable[[], None]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return len(rows) / min(times)

    def clean() -> None:
        for _, url, html, _ in rows:
            clean_page(Page(url=url, final_url=url, source="bench", status=200, body=html))

    def enrich(ner: str) -> Callable[[], None]:
        mode = _mode(ner)

        def run() -> None:
            arts = [Article(k, url, url, "bench", body) for k, url, _, body in rows]
            enrich_batch(arts, ner=mode)

        return run

    enrich("rules")()  # warm the word caches, as a long-running worker would have them
    results = [("clean stage (clean_page on HTML)", best(clean))]
    results.append(("newsflow enrich_batch (rules)", best(enrich("rules"))))
    if with_spacy:
        from tasks.enrich.nlp import spacy_model

        nlp = spacy_model()
        results.append(("newsflow enrich_batch (ner=spacy)", best(enrich("spacy"))))
        results.append(("newsflow enrich_batch (ner=accurate)", best(enrich("accurate"))))
        bodies = [body for _, _, _, body in rows]
        results.append(
            ("spaCy sm NER, full bodies", best(lambda: list(nlp.pipe(bodies, batch_size=32))))
        )
    for name, rate in results:
        print(_row(name, [f"{rate:.1f}", f"{1000 / rate:.2f}"]))
    for name, rate in results[1:]:
        if name.startswith("newsflow"):
            mode = name.split("(")[1].rstrip(")")
            print(f"enrich ({mode}) is {rate / results[0][1]:.1f}x the clean stage's rate")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-spacy", action="store_true", help="rules only (fast)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with_spacy = not args.skip_spacy
    header = ["ent P", "ent R", "name P", "name R", "top P", "top R", "top F1", "top-1"]
    sets = [("hand-annotated real text", load_gold()), ("demo site (generated truth)", demo_docs())]
    predictors: list[tuple[str, Predictor]] = [
        ("newsflow (rules, default)", newsflow_predictor("rules"))
    ]
    if with_spacy:
        predictors.append(("newsflow (ner=spacy)", newsflow_predictor("spacy")))
        predictors.append(("newsflow (ner=accurate)", newsflow_predictor("accurate")))
        predictors.append(("spaCy sm NER, full text (ref)", spacy_predictor))
    for set_name, docs in sets:
        if not docs:
            print(f"\n{set_name}: texts not found (set NEWSFLOW_SHARED); skipping")
            continue
        n_ents = sum(len(d.entities) for d in docs)
        print(f"\n{set_name}: {len(docs)} documents, {n_ents} entities")
        print(_row("system", header))
        for name, predict in predictors:
            print(_row(name, evaluate(predict, docs).row()))
    if (shared_dir() / "bench" / "aeb").is_dir():
        speed(args.repeat, with_spacy)
    else:
        print("\nAEB pages not found (set NEWSFLOW_SHARED); speed skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
