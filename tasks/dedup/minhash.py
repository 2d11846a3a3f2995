"""Vectorised MinHash signatures and LSH band keys for near-duplicate detection.

Signatures use one-permutation hashing with optimal densification: every shingle
is hashed once to 64 bits, its top 7 bits pick one of 128 bins and the low 32 bits
compete for that bin's minimum; empty bins borrow from a pseudo-random non-empty
bin chosen by a sequence that depends only on the bin number (so two documents
borrow the same way). The fraction of equal bins estimates Jaccard similarity like
128 independent permutations would, but costs one hash per shingle instead of 128,
and a whole batch is reduced with a single `np.minimum.at`. See warehouse/DEDUP.md
for the choice of shingle size, bands and rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from records.keys import mix64

SHINGLE = 5  # words per shingle
NUM_BINS = 128  # signature length (uint32 each, 512 bytes)
BANDS = 32  # LSH bands used for candidate lookup ...
ROWS = 3  # ... of this many bins each (bins 0..95; all 128 are used to verify)
# Teasers and leads: LEAD_KEYS min-hashes over the first LEAD_SHINGLES shingles only,
# stored as extra bands LEAD_BAND.. so a short excerpt finds the article it came from.
LEAD_BAND = BANDS
LEAD_KEYS = 3
LEAD_SHINGLES = 40
LEAD_MIN_TOKENS = 20
EMPTY = np.uint32(0xFFFFFFFF)

_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af])")


def _separator_table() -> dict[int, str]:
    """Punctuation and symbols become spaces, apostrophes vanish ("don't" is one word)."""
    table = (
        {cp: " " for cp in range(0x3000) if unicodedata.category(chr(cp))[0] in "PSZC"}
        | {cp: " " for cp in range(0x3000, 0x3040)}
        | {cp: " " for cp in range(0xFF00, 0xFF10)}
    )
    for ch in "'\u2019\u2018`\u02bc":
        table[ord(ch)] = ""
    return table


_SEPARATORS = _separator_table()


def _stable_hash(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def tokens(text: str) -> list[str]:
    """The words `sketch` hashes, as strings (for exact checks on a few texts)."""
    text = text.lower().translate(_SEPARATORS)
    if _CJK.search(text):
        text = _CJK.sub(r" \1 ", text)
    return text.split()


_P = _U64(0x100000001B3)  # odd, so invertible modulo 2**64
_P_INV = _U64(pow(int(_P), -1, 1 << 64))
_CHUNK_BYTES = 1 << 20  # text hashed per numpy pass: bounds the temporary arrays (~60 MB)
_powers: dict[str, np.ndarray] = {}


def _power_table(base: np.uint64, n: int, name: str) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64, grown on demand and kept."""
    table = _powers.get(name)
    if table is None or len(table) < n:
        size = max(n, 2 * _CHUNK_BYTES, 2 * len(table) if table is not None else 0)
        table = np.empty(size, dtype=np.uint64)
        table[0] = 1
        table[1:] = base
        table = np.cumprod(table, dtype=np.uint64)
        _powers[name] = table
    return table


def _normalize(text: str) -> bytes:
    text = text.lower().translate(_SEPARATORS)
    if not text.isascii() and _CJK.search(text):
        text = _CJK.sub(r" \1 ", text)
    return text.encode("utf-8", "replace")


def _word_hashes(normalized: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every word of every (normalized) text, and the word count of each text.

    A word's hash is its polynomial hash over UTF-8 bytes, obtained for all words at
    once from prefix sums: with S[i] = sum(b[j] * P**-j for j < i), the word b[s:e]
    hashes to (S[e] - S[s]) * P**(e-1), all modulo 2**64. No Python object per word.
    """
    blob = b" ".join(normalized) + b" "
    b = np.frombuffer(blob, dtype=np.uint8)
    n = len(b)
    space = b == 32
    word = ~space
    starts = np.flatnonzero(word & np.concatenate(([True], space[:-1])))
    ends = np.flatnonzero(word & np.concatenate((space[1:], [True]))) + 1
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(b.astype(np.uint64) * _power_table(_P_INV, n, "inv")[:n], out=prefix[1:])
    hashes = mix64((prefix[ends] - prefix[starts]) * _power_table(_P, n, "pow")[ends - 1])
    # Texts are joined with one space each, so a word never straddles two texts.
    sizes = np.fromiter((len(t) + 1 for t in normalized), dtype=np.int64, count=len(normalized))
    offsets = np.cumsum(sizes) - sizes
    doc_of = np.searchsorted(offsets, starts, side="right") - 1
    return hashes, np.bincount(doc_of, minlength=len(normalized))


def _shingles(words: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of all word SHINGLEs of a batch, and the document index of each.

    A document shorter than one shingle contributes its whole text as one shingle.
    """
    total = len(words)
    padded = np.concatenate((words, np.zeros(SHINGLE, dtype=np.uint64)))
    acc = np.zeros(total, dtype=np.uint64)
    for j in range(SHINGLE):
        acc *= _GOLDEN
        acc += padded[j : j + total]
    starts = np.cumsum(counts) - counts
    n_shingles = np.where(counts > 0, np.maximum(counts - SHINGLE + 1, 1), 0)
    doc_of = np.repeat(np.arange(len(counts)), n_shingles)
    offset = np.arange(len(doc_of)) - np.repeat(np.cumsum(n_shingles) - n_shingles, n_shingles)
    values = acc[starts[doc_of] + offset]
    for i in np.nonzero((counts > 0) & (counts < SHINGLE))[0]:
        v = 0
        for x in words[starts[i] : starts[i] + counts[i]].tolist():
            v = (v * int(_GOLDEN) + x) & 0xFFFFFFFFFFFFFFFF
        values[np.searchsorted(doc_of, i)] = v
    return mix64(values), doc_of


@dataclass(frozen=True)
class Sketches:
    """What dedup needs of a batch of texts, row i for text i."""

    signatures: np.ndarray  # (n, NUM_BINS) uint32; all EMPTY for a text without words
    text_hashes: np.ndarray  # (n,) uint64: exact-duplicate key (0 for an empty text)
    lead_keys: np.ndarray  # (n, LEAD_KEYS) uint64 min-hashes of the lead (0 if too short)
    n_tokens: np.ndarray  # (n,) int64 word counts


def sketch(texts: Sequence[str]) -> Sketches:
    """Signatures and keys for a batch of texts, in chunks that bound temporary memory."""
    parts: list[Sketches] = []
    chunk: list[bytes] = []
    size = 0
    for text in texts:
        normalized = _normalize(text)
        chunk.append(normalized)
        size += len(normalized)
        if size >= _CHUNK_BYTES:
            parts.append(_sketch_chunk(chunk))
            chunk, size = [], 0
    if chunk or not parts:
        parts.append(_sketch_chunk(chunk))
    if len(parts) == 1:
        return parts[0]
    return Sketches(
        np.concatenate([p.signatures for p in parts]),
        np.concatenate([p.text_hashes for p in parts]),
        np.concatenate([p.lead_keys for p in parts]),
        np.concatenate([p.n_tokens for p in parts]),
    )


def _sketch_chunk(normalized: list[bytes]) -> Sketches:
    n = len(normalized)
    words, counts = _word_hashes(normalized) if n else (np.zeros(0, np.uint64), np.zeros(0, int))
    text_hashes = np.zeros(n, dtype=np.uint64)
    starts = np.cumsum(counts) - counts
    for i in range(n):
        if counts[i]:
            text_hashes[i] = _stable_hash(words[starts[i] : starts[i] + counts[i]].tobytes())
    hashes, doc_of = _shingles(words, counts)
    return Sketches(
        _signatures(hashes, doc_of, n), text_hashes, _lead_keys(hashes, doc_of, counts), counts
    )


_LEAD_SALTS = np.array([0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0], np.uint64)


def _lead_keys(hashes: np.ndarray, doc_of: np.ndarray, counts: np.ndarray) -> np.ndarray:
    n = len(counts)
    keys = np.full((n, LEAD_KEYS), np.iinfo(np.uint64).max, dtype=np.uint64)
    if len(hashes):
        first = np.searchsorted(doc_of, np.arange(n))
        in_lead = (np.arange(len(doc_of)) - first[doc_of]) < LEAD_SHINGLES
        lead_docs = doc_of[in_lead]
        for k in range(LEAD_KEYS):
            np.minimum.at(keys[:, k], lead_docs, mix64(hashes[in_lead] ^ _LEAD_SALTS[k]))
    keys[counts < LEAD_MIN_TOKENS] = 0
    return keys


_DENSIFY_STEPS = 4096
_densify_seq = np.random.default_rng(0x5EED).integers(
    0, NUM_BINS, size=(NUM_BINS, _DENSIFY_STEPS), dtype=np.int64
)


def _signatures(hashes: np.ndarray, doc_of: np.ndarray, n: int) -> np.ndarray:
    flat = np.full(n * NUM_BINS, 0xFFFFFFFF, dtype=np.uint64)
    if len(hashes):
        key = doc_of * NUM_BINS + (hashes >> _U64(57)).astype(np.int64)
        np.minimum.at(flat, key, hashes & _U64(0xFFFFFFFF))
    sig = flat.reshape(n, NUM_BINS).astype(np.uint32)
    empty_rows = (sig == EMPTY).all(axis=1)
    filled = sig.copy()
    d, b = np.nonzero((sig == EMPTY) & ~empty_rows[:, None])
    step = 0
    while len(d) and step < _DENSIFY_STEPS:
        v = sig[d, _densify_seq[b, step]]
        ok = v != EMPTY
        filled[d[ok], b[ok]] = v[ok]
        d, b = d[~ok], b[~ok]
        step += 1
    return filled


def signatures(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), NUM_BINS) uint32 MinHash signatures."""
    return sketch(texts).signatures


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys: equal when ROWS consecutive bins agree, salted by band number."""
    n = sigs.shape[0]
    part = sigs[:, : BANDS * ROWS].astype(np.uint64).reshape(n, BANDS, ROWS)
    acc = np.broadcast_to(np.arange(1, BANDS + 1, dtype=np.uint64), (n, BANDS)).copy()
    for r in range(ROWS):
        acc = mix64(acc * _GOLDEN + part[:, :, r])
    return acc


def similarity(a: np.ndarray, b: np.ndarray) -> float | np.ndarray:
    """Estimated Jaccard similarity: fraction of equal bins (row-wise for 2-D input)."""
    return (np.asarray(a) == np.asarray(b)).mean(axis=-1)


def candidate_probability(s: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """Chance that a pair with Jaccard similarity `s` shares at least one band."""
    return 1.0 - (1.0 - s**rows) ** bands
