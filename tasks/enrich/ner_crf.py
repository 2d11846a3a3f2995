"""A small CRF name tagger (python-crfsuite) for English prose, next to the rules.

The rules in `tasks.enrich.nlp` find names the gazetteers know and names with cues; names with
neither (a band, a club, a town spelled unusually) need a learnt model. A linear-chain
CRF over hashed-free string features (the word, its shape and affixes, its neighbours,
gazetteer and word-frequency flags) tags PER/ORG/LOC in BIO at tens of thousands of
tokens per second, so it stays off the pipeline's critical path where spaCy's small
pipeline (4-8 articles/s here) would not.

Training data (not in the repository; see `train` below): Universal NER's English EWT
dev and test files (`*.iob2`, CC BY-SA 4.0), the Broad Twitter Corpus (`btc-*.conll`,
CC BY 4.0) and GUM's academic, biography, court, interview and travel documents
(`gum-*.conllu`, GUM's `dep/` files; CC BY 4.0 annotations, CC BY / CC BY-SA texts). The
model file `tasks/enrich/models/ner-en.crfsuite` is therefore shared under CC BY-SA 4.0
with that attribution (`tasks/enrich/models/README.md`); `MODEL_SHA256` pins it and
`tests/test_ner_model.py` checks it plus its accuracy on a committed fixture of our own
sentences.

    .venv/bin/python -m tasks.enrich.ner_crf train /work/lab21/train   # rebuilds the model
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from tasks.enrich import ner_lexicon as lex
from tasks.enrich import nlp_gazetteer as gz

MODEL_PATH = Path(__file__).with_name("models") / "ner-en.crfsuite"
MODEL_SHA256 = "d8e0b07a5873947faa5c37abe9a194adb9970a337c104b578105b73fc3f4f0f1"
LABELS = ("PER", "ORG", "LOC")

_LOCK = threading.Lock()
_TAGGER: Any = None


@lru_cache(maxsize=200_000)
def _shape(word: str) -> str:
    out = re.sub(r"[A-Z]", "X", word)
    out = re.sub(r"[a-z]", "x", out)
    out = re.sub(r"[0-9]", "d", out)
    return re.sub(r"(.)\1{2,}", r"\1\1", out)


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of a word alone, cached: most words recur across articles."""
    low = word.lower()
    feats = [
        "w=" + low,
        "sh=" + _shape(word),
        "s3=" + low[-3:],
        "p3=" + low[:3],
    ]
    if word[:1].isupper():
        feats.append("cap")
        z = lex.zipf(word)
        feats.append(f"z={int(z)}")
        if word in gz.FIRST_NAMES:
            feats.append("first")
        hit = gz.GAZETTEER.get(word)
        if hit:
            feats.append("gz=" + hit[1])
        if lex.city(word):
            feats.append("city")
        if word in gz.PERSON_TITLES:
            feats.append("title")
        if word in gz.ORG_SUFFIXES:
            feats.append("orgsuf")
        if word in gz.LOC_SUFFIXES:
            feats.append("locsuf")
    if word.isupper() and len(word) > 1:
        feats.append("upper")
    return tuple(feats)


def features(words: Sequence[str]) -> list[list[str]]:
    """Per-token feature lists for one sentence or paragraph."""
    n = len(words)
    base = [_word_features(w) for w in words]
    lows = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    out = []
    for i in range(n):
        f = list(base[i])
        if i == 0:
            f.append("BOS")
        else:
            f.append("w-1=" + lows[i - 1])
            f.append("sh-1=" + shapes[i - 1])
            if words[i - 1][:1].isupper():
                f.append("cap-1")
        if i >= 2:
            f.append("w-2=" + lows[i - 2])
        if i == n - 1:
            f.append("EOS")
        else:
            f.append("w+1=" + lows[i + 1])
            f.append("sh+1=" + shapes[i + 1])
            if words[i + 1][:1].isupper():
                f.append("cap+1")
        if i + 2 < n:
            f.append("w+2=" + lows[i + 2])
        out.append(f)
    return out


def tagger() -> Any:
    """The model, loaded once per process; None when the file is missing."""
    global _TAGGER
    with _LOCK:
        if _TAGGER is None and MODEL_PATH.exists():
            import pycrfsuite

            t = pycrfsuite.Tagger()
            t.open(str(MODEL_PATH))
            _TAGGER = t
    return _TAGGER


def scored_spans(words: Sequence[str]) -> list[tuple[int, int, str, float]]:
    """(start, end, label, confidence) token spans the model tags in `words`; the
    confidence is the lowest marginal probability of the span's tags."""
    t = tagger()
    if t is None or not words:
        return []
    with _LOCK:  # a crfsuite Tagger is not safe to share between threads
        tags = t.tag(features(words))
        probs = [t.marginal(tag, i) if tag != "O" else 1.0 for i, tag in enumerate(tags)]
    out = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, typ = tag.partition("-")
        if start >= 0 and (kind != "I" or typ != label):
            out.append((start, i, label, min(probs[start:i])))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, label = i, typ
    return out


def spans(words: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans the model tags in `words`."""
    return [(a, b, label) for a, b, label, _ in scored_spans(words)]


def model_sha256() -> str:
    return hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- training


def _read(path: Path) -> Iterable[tuple[list[str], list[str]]]:
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("#") or line.startswith("-DOCSTART-"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 2:
            if words:
                yield words, tags
            words, tags = [], []
            continue
        if path.suffix == ".iob2":
            word, tag = parts[1], parts[2]
        else:
            word, tag = parts[0], parts[-1]
        kind, _, typ = tag.partition("-")
        typ = {"PERSON": "PER", "GPE": "LOC"}.get(typ, typ)
        words.append(word)
        tags.append(f"{kind}-{typ}" if kind in ("B", "I") and typ in LABELS else "O")
    if words:
        yield words, tags


# GUM marks every mention (named or not) of ten entity types; three of them are ours.
_GUM_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG"}
_GUM_ENTITY = re.compile(r"\((\d+)-([^()]*)|(\d+)?\)")
_GUM_CONNECTORS = frozenset(("of", "for", "de", "la", "du", "von", "van", "der", "al", "&"))


def _gum_name(rows: list[list[str]], label: str) -> tuple[int, int] | None:
    """The name inside one GUM mention's minimal span, as (start, end); None if not a name.

    A name is the capitalised run that ends the span ("the [Indonesian Navy]", "Major
    general [Fuad Basya]") with at least one proper-noun tag. A person's name is also
    cut to its `flat` chain, which leaves titles and offices out ("U.S. President [Donald
    Trump]"), and plural proper nouns ("Bangladeshis") are groups, not names, as in the
    usual PER/ORG/LOC convention.
    """
    words = [r[1] for r in rows]
    xpos = [r[4] for r in rows]
    end = len(words)
    if end and words[-1] in ("'s", "'", "’s"):
        end -= 1
    start = end
    while start > 0 and (
        words[start - 1][:1].isupper()
        or (words[start - 1] in _GUM_CONNECTORS and start - 1 > 0 and start < end)
    ):
        start -= 1
    while start < end and words[start] in _GUM_CONNECTORS:
        start += 1
    if label == "PER" and start < end:
        first = end - 1
        while first > start and rows[first][7] == "flat":
            first -= 1
        start = max(start, first)
        while start < end and (words[start] in gz.PERSON_TITLES or words[start] == "Prime"):
            start += 1
        if xpos[end - 1 : end] == ["NNPS"] or words[end - 1].lower() in gz.PERSON_ROLE_WORDS:
            return None  # a group ("Bangladeshis") or an office ("State Department Spokesperson")
    if start >= end or not any(x.startswith("NNP") for x in xpos[start:end]):
        return None
    if words[start] == "The" and end - start > 1:
        start += 1
    return start, end


def _join_hyphens(
    rows: list[list[str]], words: list[str], tags: list[str]
) -> tuple[list[str], list[str]]:
    """GUM splits "Kwok-hing" into three tokens; every other tokenizer here keeps one."""
    out_w: list[str] = []
    out_t: list[str] = []
    glue = False
    for r, w, t in zip(rows, words, tags, strict=True):
        if out_w and glue and (w == "-" or out_w[-1].endswith("-")):
            out_w[-1] += w
            if out_t[-1] == "O":
                out_t[-1] = t
        else:
            out_w.append(w)
            out_t.append(t)
        glue = "SpaceAfter=No" in r[9]
    return out_w, out_t


def read_gum(path: Path) -> tuple[str, list[tuple[list[str], list[str]]]]:
    """A GUM document (`dep/*.conllu`, entities in MISC) as (doc id, sentences of words, BIO).

    GUM (Zeldes 2017; annotations CC BY 4.0) annotates every mention of every entity;
    the named ones of type person/place/organization become PER/LOC/ORG here, and an
    outer name wins over a name nested in it ("[Bank of England]").
    """
    doc_id = path.stem
    sents: list[tuple[list[str], list[str]]] = []
    rows: list[list[str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# newdoc id"):
            doc_id = line.split("=", 1)[1].strip()
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            rows.append(cols)
            continue
        if line.strip() or not rows:
            continue
        words = [r[1] for r in rows]
        found: list[tuple[int, int, str]] = []
        stack: list[tuple[str, int, str, str]] = []  # (id, start, etype, minspan)
        for i, r in enumerate(rows):
            value = next((f[7:] for f in r[9].split("|") if f.startswith("Entity=")), "")
            for m in _GUM_ENTITY.finditer(value):
                if m.group(1) is not None:
                    fields = m.group(2).split("-")
                    minspan = fields[4] if len(fields) > 4 else ""
                    stack.append((m.group(1), i, fields[0], minspan))
                    continue
                ident = m.group(3)
                k = len(stack) - 1
                while ident is not None and k >= 0 and stack[k][0] != ident:
                    k -= 1
                if k < 0:
                    continue
                _, start, etype, minspan = stack.pop(k)
                label = _GUM_TYPES.get(etype)
                if label is None:
                    continue
                idx = [int(x) for x in minspan.split(",") if x.isdigit()]
                lo, hi = (start + min(idx) - 1, start + max(idx)) if idx else (start, i + 1)
                name = _gum_name(rows[lo:hi], label)
                if name:
                    found.append((lo + name[0], lo + name[1], label))
        tags = ["O"] * len(words)
        for a, b, label in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
            if all(t == "O" for t in tags[a:b]):
                tags[a:b] = [f"B-{label}"] + [f"I-{label}"] * (b - a - 1)
        sents.append(_join_hyphens(rows, words, tags))
        rows = []
    return doc_id, sents


def train(data_dir: Path, out: Path = MODEL_PATH, iterations: int = 80) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for path in sorted(data_dir.iterdir()):
        if path.suffix not in (".iob2", ".conll", ".conllu"):
            continue
        sentences = read_gum(path)[1] if path.suffix == ".conllu" else _read(path)
        for words, tags in sentences:
            trainer.append(features(words), tags)
            n += 1
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": iterations, "feature.minfreq": 2})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    print(f"trained on {n} sentences -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "train":
        train(Path(sys.argv[2]))
    else:
        print("usage: python -m tasks.enrich.ner_crf train DATA_DIR", file=sys.stderr)
        raise SystemExit(2)
