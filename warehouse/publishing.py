"""The published file and its working copy: how a DuckDB file stays open to readers.

Writers work on `.NAME.work` beside the published `NAME`; `publish` checkpoints the
working copy (so the file alone holds every committed batch), copies it to a
temporary name and renames that over `NAME`. A rename is atomic: a reader opens
either the old whole file or the new one, and one that has the old one open keeps
reading it (its inode lives on until it closes). `.NAME.published` remembers what
was published (inode, size, time), which tells `freshen` whether someone else has
replaced or changed the file since.

Callers hold the working copy's lock (warehouse/store.py), so one process at a time
runs any of this for a given file.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb


def work_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.work")


def _stamp_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.published")


def _identity(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _read_stamp(published: Path) -> dict[str, list[int] | None]:
    try:
        data = json.loads(_stamp_path(published).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_stamp(published: Path, work: Path) -> None:
    stamp = {"published": _identity(published), "work": _identity(work)}
    tmp = _stamp_path(published).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp), encoding="utf-8")
    os.replace(tmp, _stamp_path(published))


def _remove_work(work: Path) -> None:
    for path in (work, Path(f"{work}.wal")):
        path.unlink(missing_ok=True)


def freshen(published: Path, work: Path) -> None:
    """Before a writer opens `work`: make it the published state if it is not already.

    The working copy is kept when the published file is the one last published from
    it (it then holds that state, plus any batch committed after the last publish:
    a run killed in between resumes with that batch in, as it would have been).
    """
    current = _identity(published)
    if current is None:
        _remove_work(work)  # the warehouse was removed: start from nothing
        return
    if work.exists() and _read_stamp(published).get("published") == current:
        return
    if Path(f"{published}.wal").exists():
        # a file written directly (an older newsflow, or by hand) left its log beside
        # it: fold the log in first, or the copy would miss those commits
        duckdb.connect(str(published)).close()
    _remove_work(work)
    tmp = work.with_name(f"{work.name}.{os.getpid()}.tmp")
    shutil.copyfile(published, tmp)
    os.replace(tmp, work)
    _write_stamp(published, work)


# Share of a run's time publishing may take. A copy costs time in proportion to the
# file (0.1-0.7 s at 25 MB, 2,000 pages, on a busy machine), and a run publishes after
# every batch, so on a big warehouse copies would add up with the square of its size:
# after a publish that took c seconds, the next one between batches waits until
# c * (1 / PUBLISH_SHARE - 1) seconds have passed. Readers then lag the run by at most
# that (a second or two on small warehouses, ~40 s at 100,000 pages), still whole batches;
# the end of a run always publishes.
PUBLISH_SHARE = 0.05
# Per published file: when the last publish ended (monotonic) and how long it took.
_LAST: dict[Path, tuple[float, float]] = {}


def publish(con: duckdb.DuckDBPyConnection, published: Path, *, force: bool = True) -> bool:
    """Checkpoint the working copy `con` writes and put it in place of `published`.

    Nothing is copied when the working copy did not change since the last publish, nor
    (unless `force`) while the last copy's time budget (PUBLISH_SHARE) runs. Returns
    whether a new file was published.
    """
    last = _LAST.get(published)
    wait = last[1] * (1 / PUBLISH_SHARE - 1) if last else 0.0
    if not force and last is not None and time.monotonic() - last[0] < wait:
        return False
    started = time.monotonic()
    work = work_path(published)
    con.execute("CHECKPOINT")
    stamp = _read_stamp(published)
    if stamp.get("work") == _identity(work) and stamp.get("published") == _identity(published):
        return False
    tmp = published.with_name(f".{published.name}.{os.getpid()}.publishing")
    try:
        shutil.copyfile(work, tmp)
        os.replace(tmp, published)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(published, work)
    _LAST[published] = (time.monotonic(), time.monotonic() - started)
    return True
