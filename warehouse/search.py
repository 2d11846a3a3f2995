"""Full-text search over article titles and text, ranked by BM25.

We use DuckDB's own fts extension, pinned with DuckDB (duckdb==1.5.5 and the
duckdb-extension-fts==1.5.5 wheel, whose signed binary we LOAD from its file path,
so nothing is downloaded and no ~/.duckdb directory is needed). A hand-written
inverted index would need its own tokenizer, stemmer and BM25 and still be slower
in SQL; the extension gives stemming, stop words and BM25 in the same file the
analysts already query, and its index is plain tables they can inspect.

DuckDB's fts index is not incremental, so when to rebuild it is ours to decide:
- `refresh_index(con)` rebuilds only when the articles changed since the last
  build (a fingerprint over article ids and content hashes in search_index_state);
  call it once at the end of a run, not per batch, since a rebuild reads every article.
- `search()` checks the fingerprint itself. A stale or missing index is rebuilt
  through a short write-open; if a run is loading right now (file locked), search
  does not wait for it but builds a throw-away in-memory index over the committed
  articles it can read, so results are always complete, just slower.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

import duckdb

from warehouse.lake import is_lake
from warehouse.query import QUERY_SECONDS, connect_readonly, fetch_table, sandbox
from warehouse.store import WarehouseError, WarehouseLocked

INDEX_SCHEMA = "fts_main_articles"
TITLE_WEIGHT = 0.5  # extra weight of a title match on top of the title+text BM25

_FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(bit_xor(hash(article_id || ':' || content_hash)), 0) FROM articles"
)


def extension_path() -> Path:
    """The fts binary shipped in the duckdb-extension-fts wheel for this DuckDB version."""
    try:
        import duckdb_extension_fts
    except ImportError as exc:
        raise WarehouseError(
            "full-text search needs duckdb-extension-fts (pip install "
            f"duckdb-extension-fts=={duckdb.__version__})"
        ) from exc
    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    exact = base / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(base.glob("*/fts.duckdb_extension"))
    if not found:
        raise WarehouseError(
            f"no fts.duckdb_extension under {base}; reinstall duckdb-extension-fts"
        )
    return found[-1]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute(f"LOAD '{extension_path()}'")
    except duckdb.Error as exc:
        raise WarehouseError(
            f"cannot load the fts extension ({str(exc).splitlines()[0]}); "
            f"duckdb-extension-fts must match duckdb {duckdb.__version__}"
        ) from exc


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )


# DuckDB memory while the index is built (beyond it, the build spills to `<db>.tmp/`). It
# runs at the end of a run, over every article: rebuilding 100,000 articles peaked at
# 393 MB of process RSS at 256 MB and 318 MB at 128 MB, in the same time (36.7 and
# 33.3 s on a busy machine). Re-measured on 100,000 articles: 313 MB at 128 MB, 263-280 MB
# at 64 MB in the same 11.7 s, and 32 MB runs out; 128 MB keeps a margin for larger files.
FTS_MEMORY = "128MB"


def index_is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the persisted index covers exactly the articles now in the file."""
    if not _has_table(con, "main", "search_index_state") or not _has_table(
        con, INDEX_SCHEMA, "docs"
    ):
        return False
    state = con.execute("SELECT article_count, fingerprint FROM search_index_state").fetchall()
    if len(state) != 1:
        return False
    count, fingerprint = con.execute(_FINGERPRINT_SQL).fetchall()[0]
    return state[0] == (count, fingerprint)


def build_index(con: duckdb.DuckDBPyConnection, *, record: bool = True) -> int:
    """(Re)build the index over all articles (duplicates too, so they stay findable)."""
    load_fts(con)
    previous = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{FTS_MEMORY}'")
    # A failed build aborts the caller's transaction, where not even SET can run: the
    # limit is restored only on success, so the build's own error is what the user sees
    # (callers roll back and close the connection).
    con.execute(
        "PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', "
        "stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, "
        "overwrite = 1)"
    )
    con.execute(f"SET memory_limit = '{previous}'")
    count, fingerprint = con.execute(_FINGERPRINT_SQL).fetchall()[0]
    if record:
        con.execute("DELETE FROM search_index_state")
        con.execute("INSERT INTO search_index_state VALUES (now(), ?, ?)", [count, fingerprint])
    return int(count)


def refresh_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the index if articles changed since it was built; True if it rebuilt.

    A lake keeps no index (the extension's scoring macros cannot be stored in one):
    `search` indexes the lake's current snapshot in memory instead.
    """
    if is_lake(con) or index_is_fresh(con):
        return False
    build_index(con)
    return True


def _rebuild_on_disk(path: str | os.PathLike[str], wait_seconds: float) -> bool:
    """Try to refresh the persisted index; False when a run holds the file (or a lake)."""
    from warehouse.store import location, transaction, writer

    if location(path).is_lake:
        return False
    try:
        with writer(path, wait_seconds=wait_seconds) as con, transaction(con):
            refresh_index(con)
        return True
    except WarehouseLocked:
        return False


def _memory_copy(ro: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """An in-memory articles table with its own index, from what a reader can see."""
    table = fetch_table(
        ro,
        "SELECT article_id, url, canonical_url, source, title, text, published_at, first_seen_at, "
        "duplicate_of, content_hash FROM articles",
    )
    mem = duckdb.connect(":memory:")
    mem.register("_articles", table)
    mem.execute("CREATE TABLE articles AS SELECT * FROM _articles")
    mem.unregister("_articles")
    build_index(mem, record=False)
    return mem


def _since(value: str | dt.date | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise WarehouseError(f"--since {value!r} is not a date; use YYYY-MM-DD") from exc
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _snippet(text: str | None, terms: list[str], width: int = 180) -> str:
    """Text around the first query term (or a stem-length prefix of it)."""
    if not text:
        return ""
    flat = " ".join(text.split())
    lower = flat.lower()
    pos = -1
    for term in terms:
        for probe in (term, term[: max(4, len(term) - 3)]):
            pos = lower.find(probe)
            if pos >= 0:
                break
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def _index_words(text: str) -> list[str]:
    """The words the fts index sees in `text`: lower case, accents stripped, split on
    anything but a-z (the extension's default `ignore` pattern)."""
    flat = unicodedata.normalize("NFKD", text.lower())
    flat = "".join(c for c in flat if not unicodedata.combining(c))
    return [w for w in re.split(r"[^a-z]+", flat) if w]


def _required_terms(con: duckdb.DuckDBPyConnection, terms: str) -> str:
    """The query words that can be required: stop words are not in the index, so a
    conjunctive match that required them would find nothing ("the harbour")."""
    stop = {row[0] for row in con.execute(f"SELECT sw FROM {INDEX_SCHEMA}.stopwords").fetchall()}
    return " ".join(w for w in _index_words(terms) if w not in stop)


def _run(
    con: duckdb.DuckDBPyConnection,
    terms: str,
    since: dt.datetime | None,
    source: str | None,
    limit: int,
    include_duplicates: bool,
    seconds: float | None = None,
) -> list[dict[str, Any]]:
    required = _required_terms(con, terms)
    if not required:
        return []  # only stop words (or no letters): nothing the index can match
    where = ["score IS NOT NULL"]
    params: list[Any] = [required, required]
    if not include_duplicates:
        where.append("duplicate_of IS NULL")
    if since is not None:
        where.append("coalesce(published_at, first_seen_at) >= ?")
        params.append(since)
    if source:
        host = source.strip().lower()
        where.append("(source = ? OR source LIKE ?)")
        params += [host, "%." + host]
    params.append(limit)
    sql = f"""
        SELECT article_id, title, source, published_at,
               coalesce(nullif(canonical_url, ''), url) AS url, text, duplicate_of,
               score + {TITLE_WEIGHT} * coalesce(title_score, 0) AS rank
        FROM (
            SELECT *,
                   {INDEX_SCHEMA}.match_bm25(article_id, ?, conjunctive := 1) AS score,
                   {INDEX_SCHEMA}.match_bm25(article_id, ?, fields := 'title') AS title_score
            FROM articles
        )
        WHERE {" AND ".join(where)}
        ORDER BY rank DESC, published_at DESC NULLS LAST, article_id
        LIMIT ?
    """
    rows = fetch_table(con, sql, params, seconds=seconds).to_pylist()
    words = [w for w in re.findall(r"\w+", terms.lower()) if len(w) > 1]
    for row in rows:
        row["snippet"] = _snippet(row.pop("text"), words)
        row["rank"] = round(float(row["rank"]), 4)
    return rows


def search(
    path: str | os.PathLike[str],
    terms: str,
    since: str | dt.date | None = None,
    source: str | None = None,
    limit: int = 20,
    *,
    include_duplicates: bool = False,
    rebuild_wait_seconds: float = 0.0,
    seconds: float | None = None,
    memory: str | None = None,
) -> list[dict[str, Any]]:
    """Articles matching every term, best first; duplicates left out unless asked for.

    `seconds` and `memory` bound the query as `newsflow query`'s (None: its defaults).
    """
    if not terms or not terms.strip():
        raise WarehouseError('give search terms, e.g. newsflow search "flood warning"')
    if limit < 1:
        raise WarehouseError("--limit must be at least 1")
    since_at = _since(since)
    con = connect_readonly(path)
    try:
        fresh = index_is_fresh(con)
    finally:
        con.close()
    if not fresh:
        fresh = _rebuild_on_disk(path, rebuild_wait_seconds)
    seconds = seconds or QUERY_SECONDS
    con = connect_readonly(path)
    try:
        if fresh and index_is_fresh(con):
            load_fts(con)
            sandbox(con, memory)  # after the LOAD: a sandboxed connection reads no other file
            return _run(con, terms, since_at, source, limit, include_duplicates, seconds)
        mem = _memory_copy(con)  # a run is loading: index what is committed, in memory
    finally:
        con.close()
    try:
        sandbox(mem, memory)
        return _run(mem, terms, since_at, source, limit, include_duplicates, seconds)
    finally:
        mem.close()


def format_results(hits: list[dict[str, Any]], fmt: Literal["table", "json"] = "table") -> str:
    if fmt == "json":
        return json.dumps(hits, default=str, ensure_ascii=False, indent=1) + "\n"
    if not hits:
        return "no matching articles\n"
    lines = []
    for number, h in enumerate(hits, 1):
        when = h["published_at"].date().isoformat() if h["published_at"] else "undated"
        lines.append(f"{number:>2}. {h['title'] or '(untitled)'}")
        lines.append(f"    {h['source']} · {when} · score {h['rank']} · {h['url']}")
        if h["snippet"]:
            lines.append(f"    {h['snippet']}")
    return "\n".join(lines) + "\n"
