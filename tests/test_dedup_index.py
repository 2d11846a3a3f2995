"""The in-process key index behind stored-candidate lookup: exact probes, and that the cache
never decides anything the warehouse would not (catch-up, rolled-back writes, new files)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import numpy as np

from records import Article, article_id_for
from tasks.dedup import dedup_batch
from tests.test_dedup import load, new_warehouse
from warehouse import dedup_store
from warehouse.dedup_store import DOC_BITS, KeyIndex

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _text(seed: int, n: int = 300) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(f"w{x}" for x in rng.integers(0, 20_000, n))


def _article(host: str, slug: str, text: str, k: int = 0) -> Article:
    url = f"https://{host}/news/{slug}"
    return Article(
        article_id=article_id_for(url),
        url=url,
        canonical_url=url,
        source=host,
        text=text,
        title=slug,
        published_at=T0 + timedelta(minutes=k),
        fetched_at=T0 + timedelta(minutes=k),
    )


def _copy(text: str) -> str:
    """A syndicated copy: same text with a short credit line in front."""
    return "Reporting by the wire desk. " + text


def test_probe_returns_exactly_the_entries_sharing_top_bits() -> None:
    rng = np.random.default_rng(7)
    index = KeyIndex(0, 0)
    keys = rng.integers(0, 2**63, 50_000, dtype=np.uint64) * np.uint64(2)
    keys[:300] = keys[300:600]  # keys shared by two docs (duplicates share band keys)
    docs = rng.integers(1, 1 << DOC_BITS, len(keys))
    for start in range(0, len(keys), 7_000):  # several runs, merged as they grow
        index.add(keys[start : start + 7_000], docs[start : start + 7_000])
    probes = np.concatenate([keys[::97], rng.integers(0, 2**63, 2_000, dtype=np.uint64)])
    pos, found = index.probe(probes)
    got = sorted(zip(pos.tolist(), found.tolist(), strict=True))
    shift = np.uint64(DOC_BITS)
    want = sorted(
        (i, int(d))
        for i, p in enumerate(probes)
        for d in docs[(keys >> shift) == (p >> shift)].tolist()
    )
    assert got == want
    assert len(index.runs) < 8
    assert KeyIndex(0, 0).probe(probes)[0].size == 0


def test_index_catches_up_with_each_committed_write(tmp_path) -> None:
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    first = [_article("a.example", f"s{i}", _text(i)) for i in range(20)]
    dedup_batch(first, con)
    load(con, first, "r1")
    index = dedup_store.key_index(con)
    entries = index.entries
    second = [_article("b.example", f"t{i}", _text(100 + i)) for i in range(10)]
    dedup_batch(second, con)
    load(con, second, "r2")
    again = dedup_store.key_index(con)
    assert again is index and again.generation == 2  # caught up, not rebuilt
    assert again.entries > entries
    copies = [_article("c.example", f"c{i}", _copy(_text(100 + i)), 5) for i in range(3)]
    dedup_batch(copies, con)
    assert [a.duplicate_of for a in copies] == [a.article_id for a in second[:3]]
    assert {a.dup_method for a in copies} == {"near"}


def test_rolled_back_write_is_never_trusted(tmp_path) -> None:
    """An index built inside a transaction that rolls back is dropped at the next lookup."""
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    base = [_article("a.example", f"s{i}", _text(i)) for i in range(5)]
    dedup_batch(base, con)
    load(con, base, "r1")
    ghost = [_article("g.example", "ghost", _text(500))]
    dedup_batch(ghost, con)
    con.execute("BEGIN TRANSACTION")
    dedup_store.write_batch(con, ghost, "r2")
    assert dedup_store.key_index(con).generation == 2  # sees its own uncommitted write
    con.execute("ROLLBACK")
    real = [_article("r.example", "real", _text(600))]
    dedup_batch(real, con)
    load(con, real, "r3")  # commits another generation 2, with another token
    probe = [
        _article("x.example", "ghost-copy", _copy(_text(500)), 9),
        _article("x.example", "real-copy", _copy(_text(600)), 9),
    ]
    dedup_batch(probe, con)
    assert probe[0].duplicate_of is None  # the ghost never reached the warehouse
    assert probe[1].duplicate_of == real[0].article_id


def test_a_new_file_at_the_same_path_rebuilds(tmp_path) -> None:
    path = str(tmp_path / "w.duckdb")
    con = new_warehouse(path)
    old = [_article("a.example", "old", _text(1))]
    dedup_batch(old, con)
    load(con, old, "r1")
    dedup_store.key_index(con)
    con.close()
    (tmp_path / "w.duckdb").unlink()
    con = new_warehouse(path)
    new = [_article("b.example", "new", _text(2))]
    dedup_batch(new, con)
    load(con, new, "r1")  # generation 1 again, different token
    probe = [
        _article("x.example", "old-copy", _copy(_text(1))),
        _article("x.example", "new-copy", _copy(_text(2))),
    ]
    dedup_batch(probe, con)
    assert probe[0].duplicate_of is None
    assert probe[1].duplicate_of == new[0].article_id


def test_changed_text_keeps_doc_number_and_reloads_add_no_generation(tmp_path) -> None:
    con = new_warehouse(str(tmp_path / "w.duckdb"))
    art = _article("a.example", "story", _text(3))
    dedup_batch([art], con)
    load(con, [art], "r1")
    load(con, [art], "r2")  # the same article again: nothing to write
    assert con.execute("SELECT count(*) FROM dedup_generations").fetchall()[0][0] == 1
    doc = con.execute("SELECT doc_no FROM article_signatures").fetchall()[0][0]
    changed = _article("a.example", "story", _text(4))
    dedup_batch([changed], con)
    load(con, [changed], "r3")
    rows = con.execute(
        "SELECT count(DISTINCT doc_no), min(doc_no), count(*) FROM article_bands"
    ).fetchall()[0]
    assert rows[0] == 1 and rows[1] == doc
    assert rows[2] >= 32
    # The old text's keys may linger in the index; verification against the stored
    # signature means a copy of the old text is not matched to the new one.
    probe = [
        _article("x.example", "old-copy", _copy(_text(3))),
        _article("x.example", "new-copy", _copy(_text(4))),
    ]
    dedup_batch(probe, con)
    assert probe[0].duplicate_of is None
    assert probe[1].duplicate_of == art.article_id


def test_in_memory_warehouses_do_not_share_an_index() -> None:
    a, b = duckdb.connect(), duckdb.connect()
    for con, seed in ((a, 11), (b, 12)):
        new_warehouse_con(con)
        arts = [_article("a.example", f"m{seed}", _text(seed))]
        dedup_batch(arts, con)
        load(con, arts, "r1")
    probe = [_article("x.example", "c", _copy(_text(11)))]
    dedup_batch(probe, b)
    assert probe[0].duplicate_of is None
    dedup_batch(probe, a)
    assert probe[0].duplicate_of is not None


def new_warehouse_con(con: duckdb.DuckDBPyConnection) -> None:
    from warehouse.schema import migrate

    migrate(con)


def test_probe_limit_keeps_the_newest_docs_of_a_crowded_key() -> None:
    """A key shared by many stored docs (template text) yields only its newest `limit`,
    across runs; keys under the limit are returned whole."""
    rng = np.random.default_rng(11)
    index = KeyIndex(0, 0)
    crowded = np.uint64(rng.integers(0, 2**63, dtype=np.uint64))
    others = rng.integers(0, 2**63, 3_000, dtype=np.uint64)
    doc = 0
    for _ in range(5):  # five loads, so the crowded key's entries span several runs
        keys = np.concatenate([np.full(40, crowded, np.uint64), others[doc : doc + 600]])
        docs = np.arange(doc, doc + len(keys))
        index.add(keys, docs)
        doc += len(keys)
    probes = np.array([crowded, others[5], others[1_500]], np.uint64)
    pos, found = index.probe(probes, limit=16)
    crowded_docs = sorted(found[pos == 0].tolist())
    all_crowded = sorted(index.probe(probes[:1])[1].tolist())
    assert len(all_crowded) == 200
    assert crowded_docs == all_crowded[-16:]
    assert found[pos == 1].size == 1 and found[pos == 2].size == 1
