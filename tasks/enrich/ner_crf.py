"""A small CRF name tagger (python-crfsuite) for English prose, next to the rules.

The rules in `tasks.enrich.nlp` find names the gazetteers know and names with cues; names with
neither (a band, a club, a town spelled unusually) need a learnt model. A linear-chain
CRF over hashed-free string features (the word, its shape and affixes, its neighbours,
gazetteer and word-frequency flags) tags PER/ORG/LOC in BIO at tens of thousands of
tokens per second, so it stays off the pipeline's critical path where spaCy's small
pipeline (4-8 articles/s here) would not.

Training data (not in the repository; see `train` below): Universal NER's English EWT
dev and test files (CC BY-SA 4.0) and the Broad Twitter Corpus (CC BY 4.0). The model
file `tasks/enrich/models/ner-en.crfsuite` is therefore shared under CC BY-SA 4.0 with that
attribution; `MODEL_SHA256` pins it and `tests/test_ner_model.py` checks it plus its
accuracy on a committed fixture of our own sentences.

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
MODEL_SHA256 = "88d7382a21b711fbc4c0d10d09557a6cf2bfa10aef80472e5ca6bb8ead0ce33e"
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


def spans(words: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans the model tags in `words`."""
    t = tagger()
    if t is None or not words:
        return []
    with _LOCK:  # a crfsuite Tagger is not safe to share between threads
        tags = t.tag(features(words))
    out = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, typ = tag.partition("-")
        if start >= 0 and (kind != "I" or typ != label):
            out.append((start, i, label))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, label = i, typ
    return out


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


def train(data_dir: Path, out: Path = MODEL_PATH, iterations: int = 80) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for path in sorted(data_dir.iterdir()):
        if path.suffix not in (".iob2", ".conll"):
            continue
        for words, tags in _read(path):
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
