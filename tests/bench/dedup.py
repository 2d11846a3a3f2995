"""Dedup at scale: signature throughput against datasketch, and candidate lookup cost as the
store grows from 100,000 to 1,000,000 signatures.

Synthetic texts (random words with a Zipf-like frequency) stand in for articles. The
stored side holds `N` articles: 1,000 signed from text, whose edited copies are planted
in the new batch (so lookups have real duplicates to find), and the rest random
signatures, which cost a lookup exactly what signed texts would (band keys are uniform
hashes either way) without spending minutes signing filler. The lookup column is the
whole warehouse side of dedup for the batch: probing the key index with the batch's id,
URL, exact and band keys, reading the hits' rows from the warehouse and verifying them.

    .venv/bin/python -m tests.bench.dedup [--sizes 100000,1000000] [--batch 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
import psutil
import pyarrow as pa

from records import Article, Signature
from tasks.crawl.urls import url_key_hash
from tasks.dedup import _StoredView, minhash
from warehouse import dedup_store
from warehouse.schema import migrate

PLANTED = 1000


class PeakRSS:
    """Peak resident memory of this process while a block runs (sampled every 5 ms)."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def __enter__(self) -> PeakRSS:
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def make_texts(n: int, rng: random.Random, vocab: list[str], weights: list[float]) -> list[str]:
    out = []
    for _ in range(n):
        words = rng.choices(vocab, weights, k=rng.randint(250, 900))
        out.append(" ".join(words))
    return out


def edit(text: str, rng: random.Random, vocab: list[str]) -> str:
    """A copy with a paragraph's worth of words replaced and some appended (J ~ 0.6-0.9)."""
    words = text.split()
    start = rng.randrange(len(words))
    for i in range(start, min(len(words), start + rng.randint(10, 40))):
        words[i] = rng.choice(vocab)
    return " ".join(words + rng.choices(vocab, k=rng.randint(0, 40)))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def datasketch_rate(texts: list[str]) -> float:
    from datasketch import MinHash

    def run() -> None:
        k = minhash.SHINGLE
        for text in texts:
            words = minhash.tokens(text)
            m = MinHash(num_perm=minhash.NUM_BINS)
            m.update_batch([" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)])

    seconds, _ = timed(run)
    return len(texts) / seconds


def build_store(path: str, n: int, planted: list[str], seed: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    migrate(con)
    rng = np.random.default_rng(seed)
    sk = minhash.sketch(planted)
    chunk = 100_000
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        sigs = rng.integers(0, 2**32 - 1, size=(size, minhash.NUM_BINS), dtype=np.uint32)
        hashes = rng.integers(1, 2**63, size=size, dtype=np.uint64)
        if start == 0:
            k = min(size, len(planted))
            sigs[:k] = sk.signatures[:k]
            hashes[:k] = sk.text_hashes[:k]
        _insert(con, start, sigs, hashes)
    return con


def _insert(con: duckdb.DuckDBPyConnection, first: int, sigs: np.ndarray, hashes: Any) -> None:
    """One dedup write (a generation) of stored docs first.. as `write_batch` lays them out."""
    generation = con.execute(
        "SELECT coalesce(max(generation), 0) + 1 FROM dedup_generations"
    ).fetchall()[0][0]
    ids = [f"s{first + i:09d}" for i in range(len(sigs))]
    docs = np.arange(first, first + len(ids), dtype=np.int64)
    url_keys = [url_key_hash(f"https://stored.example/{i}") for i in ids]
    sig_table = pa.table(
        {
            "article_id": pa.array(ids),
            "signature": pa.array([dedup_store.signature_bytes(s) for s in sigs], pa.binary()),
            "text_hash": pa.array(hashes, pa.uint64()),
            "url_key": pa.array(url_keys, pa.uint64()),
            "n_tokens": pa.array(np.full(len(ids), 500), pa.int32()),
            "doc_no": pa.array(docs),
            "generation": pa.array(np.full(len(ids), generation, np.int64)),
        }
    )
    keys = minhash.band_keys(sigs)
    band_table = pa.table(
        {
            "band": pa.array(np.tile(np.arange(minhash.BANDS, dtype=np.uint16), len(ids))),
            "band_key": pa.array(keys.ravel(), pa.uint64()),
            "article_id": pa.array(np.repeat(np.array(ids, dtype=object), minhash.BANDS)),
            "doc_no": pa.array(np.repeat(docs, minhash.BANDS)),
            "generation": pa.array(np.full(len(ids) * minhash.BANDS, generation, np.int64)),
        }
    )
    con.register("_s", sig_table)
    con.register("_b", band_table)
    con.execute("INSERT INTO article_signatures SELECT * FROM _s")
    con.execute("INSERT INTO article_bands SELECT * FROM _b")
    con.execute(
        "INSERT INTO dedup_generations VALUES (?, ?, ?, now())",
        [generation, random.getrandbits(64), first + len(ids)],
    )
    con.unregister("_s")
    con.unregister("_b")


def lookup(con: duckdb.DuckDBPyConnection, articles: list[Article]) -> tuple[float, int]:
    """Time the warehouse side of dedup for the batch; returns (seconds, planted found)."""
    from tasks.dedup import MIN_TOKENS

    sk = minhash.sketch([a.text for a in articles])
    bands = minhash.band_keys(sk.signatures)
    keys = np.concatenate([bands, sk.lead_keys], axis=1)
    for i, a in enumerate(articles):
        a.signature = Signature(
            sk.signatures[i], int(sk.text_hashes[i]), 500, url_key_hash(a.url), keys[i]
        )
    lead_keys = [[int(x) for x in row if x] for row in sk.lead_keys]
    url_keys = [{url_key_hash(a.url)} for a in articles]
    eligible = [int(t) >= MIN_TOKENS for t in sk.n_tokens]
    view = _StoredView(con)
    seconds, _ = timed(
        lambda: view.lookup(
            articles, bands, [int(x) for x in sk.text_hashes], lead_keys, url_keys, eligible
        )
    )
    found = sum(1 for i in range(PLANTED) if any(m.method == "near" for m in view.matches(i)))
    return seconds, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--datasketch-docs", type=int, default=1000)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(42)
    vocab = [f"{rng.choice('bcdfghjklmnprstvwz')}{i:x}" for i in range(50_000)]
    weights = [1.0 / (r + 10) for r in range(len(vocab))]
    planted = make_texts(PLANTED, rng, vocab, weights)
    fresh = make_texts(args.batch - PLANTED, rng, vocab, weights)
    batch_texts = [edit(t, rng, vocab) for t in planted] + fresh

    # --- signatures ------------------------------------------------------------------------
    minhash.sketch(batch_texts[:50])  # warm the power tables
    with PeakRSS() as mem:
        sig_seconds, _ = timed(lambda: minhash.sketch(batch_texts))
    ours = len(batch_texts) / sig_seconds
    theirs = datasketch_rate(batch_texts[: args.datasketch_docs])
    print(f"signatures ({len(batch_texts):,} docs, ~575 words each, {minhash.NUM_BINS} bins)")
    print(f"  {'':24}{'newsflow':>14}{'datasketch':>14}")
    print(f"  {'docs/s':24}{ours:>14,.0f}{theirs:>14,.0f}")
    print(f"  {'speed-up':24}{ours / theirs:>13.1f}x{'1.0x':>14}   (target >= 5x)")
    print(f"  {'peak RSS added (MB)':24}{(mem.peak - mem.base) / 2**20:>14.0f}")

    # --- lookups ---------------------------------------------------------------------------
    print(f"\ncandidate lookup: batch of {args.batch:,} new docs ({PLANTED:,} planted near copies)")
    print("  (index s: reading the key index once per process; 1st s: first batch, timed while")
    print("  sampling memory; lookup s: median of the next three; catch-up s: index update")
    print("  after another batch was stored; peak RSS: whole process during index + 1st batch,")
    print("  which includes DuckDB's buffers from building the store; added: above the start)")
    print(
        f"  {'stored signatures':>18}{'build s':>10}{'index s':>10}{'index MB':>10}"
        f"{'1st s':>8}{'lookup s':>10}{'us/doc':>10}{'found':>8}{'catch-up s':>12}"
        f"{'peak RSS MB':>13}{'added MB':>10}"
    )
    per_doc: dict[int, float] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bench.duckdb")
            build_seconds, con = timed(lambda n=n, path=path: build_store(path, n, planted, n))
            con.execute("CHECKPOINT")
            articles = [
                Article(
                    f"new{i}",
                    f"https://new.example/{i}",
                    f"https://new.example/{i}",
                    "new.example",
                    text,
                )
                for i, text in enumerate(batch_texts)
            ]
            with PeakRSS() as mem:
                # Once per process: the key index is read from the warehouse.
                index_seconds, index = timed(lambda con=con: dedup_store.key_index(con))
                lookup(con, articles[:200])  # open DuckDB's table state
                first, found = lookup(con, articles)  # DuckDB reads the blocks it needs
            # Timed without the memory sampler (its thread takes the GIL every 5 ms): the
            # per-doc figure is the median of three more batches, as in a process that
            # dedups batch after batch.
            seconds = sorted(lookup(con, articles)[0] for _ in range(3))[1]
            # A later batch was written: the index reads only that generation's rows.
            rng_sigs = np.random.default_rng(n + 1)
            _insert(
                con,
                n,
                rng_sigs.integers(0, 2**32 - 1, (args.batch, minhash.NUM_BINS), np.uint32),
                rng_sigs.integers(1, 2**63, args.batch, dtype=np.uint64),
            )
            catch_seconds, _ = timed(lambda con=con: dedup_store.key_index(con))
            index_mb = index.nbytes / 2**20
            con.close()
        per_doc[n] = seconds / len(batch_texts) * 1e6
        print(
            f"  {n:>18,}{build_seconds:>10.1f}{index_seconds:>10.2f}{index_mb:>10.0f}"
            f"{first:>8.2f}{seconds:>10.2f}{per_doc[n]:>10.1f}{found:>8,}{catch_seconds:>12.2f}"
            f"{mem.peak / 2**20:>13.0f}{(mem.peak - mem.base) / 2**20:>10.0f}"
        )
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        ratio = per_doc[hi] / per_doc[lo]
        print(f"  per-doc lookup cost {hi:,} vs {lo:,}: {ratio:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
