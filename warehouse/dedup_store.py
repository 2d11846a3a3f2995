"""Dedup state in the warehouse: signatures, LSH band keys, duplicates (stories: stories_store).

Dedup reads this state (read-only) to check a new batch against everything ever
loaded; the load stage writes it, in its per-batch transaction, after the batch's
`articles` rows. Every write is keyed so that loading the same articles twice adds
no rows. Lookups probe an in-process key index that is built from, checked against
and caught up with the warehouse (generation + token), and every hit is verified on the
warehouse's current row, so lookup cost stays flat as the store grows (see DEDUP.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from records import Article
from records.keys import mix64
from records.times import as_utc
from warehouse.lake import upsert
from warehouse.rows import has_tables, rows_by_id

_SIGNATURE_COLUMNS = (
    "article_id",
    "signature",
    "text_hash",
    "url_key",
    "n_tokens",
    "doc_no",
    "generation",
)


def signature_bytes(bins: np.ndarray) -> bytes:
    """The `signature` column: MinHash bins as little-endian uint32."""
    return np.ascontiguousarray(bins, dtype="<u4").tobytes()


def signature_bins(blob: bytes) -> np.ndarray:
    """MinHash bins back from the `signature` column (`signature_bytes`)."""
    return np.frombuffer(blob, dtype="<u4")


def has_state(con: duckdb.DuckDBPyConnection | None) -> bool:
    """Whether `con` is a warehouse with dedup tables (a new store has nothing to check)."""
    if con is None:
        return False
    return has_tables(
        con, ("article_signatures", "article_bands", "duplicates", "dedup_generations")
    )


def _register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register(name, table)


# --- in-process key index ------------------------------------------------------------------
#
# DuckDB answers a join of a batch's band keys against `article_bands` with a full scan, so
# lookup cost grew with the store. The warehouse stays the source of truth; each process
# keeps a sorted index of its keys, built from it once and then caught up by reading only
# rows of newer generations (a zone-map-pruned range). Every hit is verified against the
# warehouse's current row, so a stale or colliding entry costs a fetch, never a decision.

DOC_BITS = 27  # doc_no bits in a packed entry; the other 37 bits are the key's top bits
_DOC_MASK = np.uint64((1 << DOC_BITS) - 1)
_SHIFT = np.uint64(DOC_BITS)
_KIND_SALTS = {"url": 0x6A09E667F3BCC908, "text": 0xBB67AE8584CAA73B, "id": 0x3C6EF372FE94F82B}
_LOAD_ROWS = 1 << 22


def kind_keys(kind: str, values: np.ndarray) -> np.ndarray:
    """Index keys for url_key / text_hash / article_id hashes, salted apart from band keys."""
    salt = np.uint64(_KIND_SALTS[kind])
    return mix64(np.asarray(values, dtype=np.uint64) ^ salt)


class KeyIndex:
    """Sorted runs of packed (key top bits | doc_no) entries, merged like a log-structured tree.

    Keys are uniform hashes, so each run also keeps a directory of where every value of the
    top bits starts (about 4 entries per slot): a probe reads one directory slot and one
    short stretch of the run, a couple of cache misses whatever the store size, where a
    binary search would take ~10 per probe in a run larger than the CPU cache. About 8.5
    bytes per stored key. Equal top bits may be a collision: callers verify every hit.
    """

    def __init__(self, generation: int, token: int) -> None:
        self.generation = generation
        self.token = token
        # (runs, directories), replaced as a whole so a probe in another thread always
        # sees a consistent pair.
        self.parts: tuple[list[np.ndarray], list[tuple[int, np.ndarray]]] = ([], [])

    @property
    def runs(self) -> list[np.ndarray]:
        return self.parts[0]

    @property
    def entries(self) -> int:
        return sum(len(r) for r in self.runs)

    @property
    def nbytes(self) -> int:
        runs, dirs = self.parts
        return sum(r.nbytes for r in runs) + sum(d.nbytes for _, d in dirs)

    def add(self, keys: np.ndarray, docs: np.ndarray) -> None:
        self.add_packed(pack_entries(keys, docs))

    def add_packed(self, run: np.ndarray) -> None:
        """Add entries made by `pack_entries` (the array is sorted in place and kept)."""
        if not len(run):
            return
        run.sort()
        runs, dirs = list(self.parts[0]), list(self.parts[1])
        runs.append(run)
        while len(runs) > 1 and 2 * len(runs[-1]) >= len(runs[-2]):
            merged = np.concatenate(runs[-2:])
            merged.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
            runs[-2:] = [merged]
        self.parts = (runs, [*dirs[: len(runs) - 1], _directory(runs[-1])])

    def probe(self, keys: np.ndarray, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(position in `keys`, doc_no) of the entries whose top bits equal a key's.

        With `limit`, at most that many per key: those of the newest docs. Entries of one
        key sit together in a run, in doc_no order, and newer runs hold newer docs.
        """
        low = pack_entries(keys, np.uint64(0))  # the key's first and last possible entry
        high = low | _DOC_MASK
        quota = np.full(len(keys), np.iinfo(np.int64).max if limit is None else limit, np.int64)
        pos_parts, doc_parts = [], []
        runs, dirs = self.parts
        for run, (bits, slots) in reversed(list(zip(runs, dirs, strict=True))):
            slot = (low >> np.uint64(64 - bits)).astype(np.int64)
            at, end = slots[slot].astype(np.int64), slots[slot + 1].astype(np.int64)
            first = _bisect(run, low, at, end, strict=True)
            stop = _bisect(run, high, first, end, strict=False)
            count = np.minimum(stop - first, quota)
            quota -= count
            total = int(count.sum())
            if not total:
                continue
            owner = np.repeat(np.arange(len(keys)), count)
            # each key's last `count` entries: stop - count, ..., stop - 1
            offsets = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            starts = np.repeat(stop - count, count)
            pos_parts.append(owner)
            doc_parts.append((run[starts + offsets] & _DOC_MASK).astype(np.int64))
        if not pos_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(pos_parts), np.concatenate(doc_parts)


def _bisect(
    run: np.ndarray, targets: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, strict: bool
) -> np.ndarray:
    """Per target, the first index in run[lo:hi] whose entry is >= it (strict) or > it.

    All targets are bisected together: one pass per halving of the longest stretch,
    so a few passes for the directory's short slots and ~12 for a key shared by
    thousands of docs.
    """
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            return lo
        mid = (lo[active] + hi[active]) // 2
        entry = run[mid]
        right = entry < targets[active] if strict else entry <= targets[active]
        lo[active[right]] = mid[right] + 1
        hi[active[~right]] = mid[~right]


def _directory(run: np.ndarray) -> tuple[int, np.ndarray]:
    """(bits, starts): run entries whose top `bits` bits equal v sit at starts[v]:starts[v + 1]."""
    bits = max(0, min(64 - DOC_BITS, len(run).bit_length() - 3))
    counts = np.zeros(1 << bits, np.int64)
    for at in range(0, len(run), _LOAD_ROWS):  # in chunks: no temporary as large as the run
        top = (run[at : at + _LOAD_ROWS] >> np.uint64(64 - bits)).astype(np.int64)
        counts += np.bincount(top, minlength=1 << bits)
    starts = np.zeros((1 << bits) + 1, np.uint32 if len(run) < 2**32 else np.int64)
    np.cumsum(counts, out=starts[1:])
    return bits, starts


_CACHE: dict[str, KeyIndex] = {}
_CACHE_LOCK = threading.Lock()


def _database_key(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute(
        "SELECT coalesce(path, database_name) FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    ).fetchall()
    return str(rows[0][0]) if rows else ""


def _head(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(generation, token, next_doc) of the last committed dedup write; zeros when none."""
    rows = con.execute(
        "SELECT generation, token, next_doc FROM dedup_generations ORDER BY generation DESC LIMIT 1"
    ).fetchall()
    return (int(rows[0][0]), int(rows[0][1]), int(rows[0][2])) if rows else (0, 0, 0)


def key_index(con: duckdb.DuckDBPyConnection) -> KeyIndex:
    """This process's index of `con`'s warehouse, checked against it and caught up.

    The cached index is reused only if the warehouse still holds the generation it was
    built to, with the same random token (a recreated file or a rolled-back write differs).
    """
    with _CACHE_LOCK:  # dedup tasks may run in threads: one catch-up at a time
        return _synced_index(con)


def _synced_index(con: duckdb.DuckDBPyConnection) -> KeyIndex:
    generation, token, _ = _head(con)
    where = _database_key(con)
    index = _CACHE.get(where)
    if index is not None and (index.generation, index.token) == (generation, token):
        return index
    if index is not None and 0 < index.generation < generation:
        seen = con.execute(
            "SELECT token FROM dedup_generations WHERE generation = ?", [index.generation]
        ).fetchall()
        if not seen or int(seen[0][0]) != index.token:
            index = None
    elif index is not None and index.generation != 0:
        index = None
    if index is None:
        _CACHE.pop(where, None)  # free the old index before building the new one
        index = KeyIndex(0, 0)
    if generation > index.generation:
        _load(con, index, index.generation, generation)
    index.generation, index.token = generation, token
    _CACHE.clear()  # one warehouse per process at a time: memory stays one index
    _CACHE[where] = index
    return index


def pack_entries(keys: np.ndarray, docs: np.ndarray | np.uint64) -> np.ndarray:
    """Index entries: the key's top 64 - DOC_BITS bits, then the doc_no."""
    return ((np.asarray(keys, np.uint64) >> _SHIFT) << _SHIFT) | np.asarray(docs, np.uint64)


def _load(con: duckdb.DuckDBPyConnection, index: KeyIndex, after: int, upto: int) -> None:
    """Add the keys written by generations (after, upto] as one run.

    Rows are stored in generation order, so the range filter is pruned by zone maps: a
    catch-up reads only the new rows. A full load fills one preallocated array (no merges,
    so peak memory is about the index itself).
    """
    rng = f"generation > {int(after)} AND generation <= {int(upto)}"
    n_bands = con.execute(f"SELECT count(*) FROM article_bands WHERE {rng}").fetchall()[0][0]
    n_sigs = con.execute(f"SELECT count(*) FROM article_signatures WHERE {rng}").fetchall()[0][0]
    entries = np.empty(n_bands + 3 * n_sigs, np.uint64)
    filled = 0

    def put(packed: np.ndarray) -> None:
        nonlocal filled
        entries[filled : filled + len(packed)] = packed
        filled += len(packed)

    reader = con.execute(
        f"SELECT band_key, doc_no FROM article_bands WHERE {rng}"
    ).fetch_record_batch(_LOAD_ROWS)
    for batch in reader:
        put(pack_entries(batch.column(0).to_numpy(), batch.column(1).to_numpy()))
    reader = con.execute(
        f"SELECT doc_no, url_key, text_hash, hash(article_id) FROM article_signatures WHERE {rng}"
    ).fetch_record_batch(_LOAD_ROWS)
    for batch in reader:
        docs = batch.column(0).to_numpy()
        for kind, col in (("url", 1), ("text", 2), ("id", 3)):
            values = batch.column(col).fill_null(0).to_numpy()
            put(pack_entries(kind_keys(kind, values), docs))
    index.add_packed(entries[:filled])


def id_hashes(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> np.ndarray:
    """DuckDB's hash of each article_id (the same function `_load` indexes stored ids with)."""
    if not ids:
        return np.zeros(0, np.uint64)
    _register(con, "_dedup_hash", pa.table({"x": pa.array(list(ids), pa.string())}))
    try:
        table = con.execute("SELECT hash(x) FROM _dedup_hash").fetch_arrow_table()
    finally:
        con.unregister("_dedup_hash")
    out = table.column(0).to_numpy().astype(np.uint64)
    if len(out) != len(ids):
        raise RuntimeError("hash(article_id) lost rows")
    return out


def fetch_docs(con: duckdb.DuckDBPyConnection, docs: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Current warehouse rows of the index's hits: what every decision is verified against."""
    wanted = np.unique(np.fromiter(docs, dtype=np.int64))
    if not len(wanted):
        return {}
    _register(con, "_dedup_docs", pa.table({"doc_no": pa.array(wanted, pa.int64())}))
    try:
        rows = con.execute(
            "SELECT s.doc_no, s.article_id, s.signature, s.n_tokens, s.url_key, s.text_hash "
            "FROM article_signatures s WHERE s.doc_no IN (SELECT doc_no FROM _dedup_docs)"
        ).fetchall()
    finally:
        con.unregister("_dedup_docs")
    out = {
        r[0]: {
            "article_id": r[1],
            "signature": signature_bins(r[2]),
            "n_tokens": r[3] or 0,
            "url_key": r[4],
            "text_hash": r[5],
            "duplicate_of": None,
            "method": None,
            "similarity": None,
        }
        for r in rows
    }
    by_id = {v["article_id"]: v for v in out.values()}
    if by_id:
        _register(con, "_dedup_ids", pa.table({"article_id": pa.array(list(by_id), pa.string())}))
        try:
            marks = con.execute(
                "SELECT d.article_id, d.duplicate_of, d.method, d.similarity FROM duplicates d "
                "WHERE d.article_id IN (SELECT article_id FROM _dedup_ids)"
            ).fetchall()
        finally:
            con.unregister("_dedup_ids")
        for aid, dup, method, sim in marks:
            by_id[aid].update(duplicate_of=dup, method=method, similarity=sim)
    return out


def stored_texts(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, str]:
    """Texts of stored articles, for the exact containment check of teaser candidates."""
    ids = list(dict.fromkeys(ids))
    if not ids or not has_tables(con, ("articles",)):
        return {}
    return dict(rows_by_id(con, "SELECT article_id, text FROM articles", ids))


def write_batch(
    con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: str
) -> dict[str, int]:
    """Store signatures, band keys and duplicate rows of a loaded batch, idempotently.

    Call after the batch's `articles` rows are written, inside the same transaction.
    Band rows are replaced only for articles whose signature changed (or is new).
    """
    counts = {"signatures": 0, "bands": 0, "duplicates": 0}
    seen: set[str] = set()
    batch = []
    for a in articles:
        if a.signature and a.article_id not in seen:
            seen.add(a.article_id)
            batch.append(a)
    if batch:
        counts.update(_write_signatures(con, batch))
    dups = [a for a in articles if a.duplicate_of and a.duplicate_of != a.article_id]
    if dups:
        counts["duplicates"] = _write_duplicates(con, dups, run_id)
    return counts


def _write_signatures(con: duckdb.DuckDBPyConnection, batch: list[Article]) -> dict[str, int]:
    generation, _, next_doc = _head(con)
    generation += 1
    sigs = [a.signature for a in batch if a.signature is not None]
    sig_table = pa.table(
        {
            "article_id": pa.array([a.article_id for a in batch], pa.string()),
            "signature": pa.array([signature_bytes(s.bins) for s in sigs], pa.binary()),
            "text_hash": pa.array([s.text_hash for s in sigs], pa.uint64()),
            "url_key": pa.array([s.url_key for s in sigs], pa.uint64()),
            "n_tokens": pa.array([s.n_tokens for s in sigs], pa.int32()),
        }
    )
    stored = _stored_signatures(con, sig_table)
    if all(stored.get(a.article_id, (0, False, False))[2] for a in batch):
        return {"signatures": len(batch), "bands": 0}  # nothing new: no write, no generation
    doc_of: dict[str, int] = {}
    for a in batch:
        if a.article_id in stored:
            doc_of[a.article_id] = stored[a.article_id][0]
        else:
            doc_of[a.article_id] = next_doc
            next_doc += 1
    if next_doc > 1 << DOC_BITS:
        raise RuntimeError(f"dedup store is full: more than {1 << DOC_BITS:,} articles")
    sig_table = sig_table.append_column(
        "doc_no", pa.array([doc_of[a.article_id] for a in batch], pa.int64())
    ).filter(pa.array([not stored.get(a.article_id, (0, False, False))[2] for a in batch]))
    con.register("_dedup_sigs", sig_table)
    try:
        upsert(
            con,
            "article_signatures",
            _SIGNATURE_COLUMNS,
            "SELECT article_id, signature, text_hash, url_key, n_tokens, doc_no, "
            f"{generation} AS generation FROM _dedup_sigs",
            ("article_id",),
            "signature = excluded.signature, text_hash = excluded.text_hash, "
            "url_key = excluded.url_key, n_tokens = excluded.n_tokens, "
            "generation = excluded.generation",
        )
    finally:
        con.unregister("_dedup_sigs")
    stale = [a.article_id for a in batch if not stored.get(a.article_id, (0, False, False))[1]]
    changed = [i for i in stale if i in stored]  # stored before, with another signature
    written = _write_bands(con, batch, stale, changed, doc_of, generation)
    con.execute(
        "INSERT INTO dedup_generations VALUES (?, ?, ?, now())",
        [generation, int.from_bytes(os.urandom(8), "little"), next_doc],
    )
    return {"signatures": len(batch), "bands": written}


_SIG_COLUMNS = ("article_id", "signature", "text_hash", "url_key", "n_tokens")


def _stored_signatures(
    con: duckdb.DuckDBPyConnection, sig_table: pa.Table
) -> dict[str, tuple[int, bool, bool]]:
    """article_id -> (doc_no, same signature, same signature and keys) for stored articles.

    Two steps: which of the batch are stored (a join that reads only ids), then those
    rows in full by `rows_by_id`, so the 512-byte signatures are read for the batch's
    stored articles only; a first run has none stored.
    """
    con.register("_dedup_sigs", sig_table.select(["article_id"]))
    try:
        known = [
            r[0]
            for r in con.execute(
                "SELECT article_id FROM article_signatures JOIN _dedup_sigs USING (article_id)"
            ).fetchall()
        ]
    finally:
        con.unregister("_dedup_sigs")
    if not known:
        return {}
    mine = {
        aid: (sig, th, uk, nt)
        for aid, sig, th, uk, nt in zip(
            *(sig_table.column(c).to_pylist() for c in _SIG_COLUMNS), strict=True
        )
    }
    out: dict[str, tuple[int, bool, bool]] = {}
    for aid, doc_no, sig, th, uk, nt in rows_by_id(
        con,
        "SELECT article_id, doc_no, signature, text_hash, url_key, n_tokens "
        "FROM article_signatures",
        known,
    ):
        same = mine[aid][0] == sig
        out[aid] = (int(doc_no), same, same and (th, uk, nt) == mine[aid][1:])
    return out


def _write_bands(
    con: duckdb.DuckDBPyConnection,
    batch: list[Article],
    stale: list[str],
    changed: list[str],
    doc_of: dict[str, int],
    generation: int,
) -> int:
    """Band rows of new articles and of stored ones whose signature changed."""
    if not stale:
        return 0
    stale_set = set(stale)
    rows = [a for a in batch if a.article_id in stale_set and a.signature is not None]
    keys = np.stack([a.signature.index_keys for a in rows if a.signature is not None])
    band = np.tile(np.arange(keys.shape[1], dtype=np.uint16), len(rows))
    ids = np.repeat(np.array([a.article_id for a in rows], dtype=object), keys.shape[1])
    present = keys.ravel() != 0
    all_ids = ids[present].tolist()
    band_table = pa.table(
        {
            "band": pa.array(band[present], pa.uint16()),
            "band_key": pa.array(keys.ravel()[present], pa.uint64()),
            "article_id": pa.array(all_ids, pa.string()),
            "doc_no": pa.array([doc_of[i] for i in all_ids], pa.int64()),
        }
    )
    con.register("_dedup_bands", band_table)
    try:
        if changed:  # a full pass over article_bands, only when a stored text really changed
            con.register("_dedup_stale", pa.table({"article_id": pa.array(changed, pa.string())}))
            try:
                con.execute(
                    "DELETE FROM article_bands "
                    "WHERE article_id IN (SELECT article_id FROM _dedup_stale)"
                )
            finally:
                con.unregister("_dedup_stale")
        con.execute(
            "INSERT INTO article_bands (band, band_key, article_id, doc_no, generation) "
            f"SELECT band, band_key, article_id, doc_no, {generation} FROM _dedup_bands"
        )
    finally:
        con.unregister("_dedup_bands")
    return band_table.num_rows


def _write_duplicates(con: duckdb.DuckDBPyConnection, dups: list[Article], run_id: str) -> int:
    now = datetime.now(UTC)
    unique = {a.article_id: a for a in dups}
    table = pa.table(
        {
            "article_id": pa.array(list(unique), pa.string()),
            "duplicate_of": pa.array([a.duplicate_of for a in unique.values()], pa.string()),
            "method": pa.array([a.dup_method or "near" for a in unique.values()], pa.string()),
            "similarity": pa.array([a.dup_similarity for a in unique.values()], pa.float64()),
            "modified_at": pa.array(
                [as_utc(a.modified_at) for a in unique.values()], pa.timestamp("us", tz="UTC")
            ),
            "source": pa.array([a.source for a in unique.values()], pa.string()),
        }
    )
    con.register("_dedup_dups", table)
    try:
        upsert(
            con,
            "duplicates",
            ("article_id", "duplicate_of", "method", "similarity", "detected_at", "run_id"),
            "SELECT article_id, duplicate_of, method, similarity, ?::TIMESTAMPTZ AS detected_at, "
            "?::VARCHAR AS run_id FROM _dedup_dups",
            ("article_id",),
            "duplicate_of = excluded.duplicate_of, method = excluded.method, "
            "similarity = excluded.similarity",
            [now, run_id],
        )
        # An outlet's newer version of its own article: the canonical keeps its text but
        # shows when it was last modified (see DEDUP.md, "Updated versions").
        if has_tables(con, ("articles",)):
            con.execute(
                "UPDATE articles SET modified_at = d.modified_at FROM _dedup_dups d "
                "WHERE articles.article_id = d.duplicate_of AND articles.source = d.source "
                "AND d.method IN ('near', 'contained') AND d.modified_at IS NOT NULL "
                "AND (articles.modified_at IS NULL OR articles.modified_at < d.modified_at)"
            )
    finally:
        con.unregister("_dedup_dups")
    return len(unique)
