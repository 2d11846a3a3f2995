"""Per-page limits for extraction: a CPU-time budget and a cap on pathological markup.

One page must not stall a run. Extraction cost grows faster than the page for some
shapes of markup (a tag with 200,000 attributes took minutes: libxml2 compares every
attribute with the ones before it, and htmldate scans the attribute text again), so
`tame_markup` trims such tags before anything parses them, and `page_budget` is the
backstop for whatever else is slow: a watchdog thread reads the CPU clock of the thread
extracting a page and, past the budget, raises `OverBudget` inside it.

The watchdog raises asynchronously (between two Python bytecodes), so it also works in
threads other than the main one, where signals cannot be used; a call into C that never
returns to Python (one enormous parse) is only stopped when it returns, which is why
the markup is trimmed first.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# CPU seconds one page may take in extraction (parse, metadata, body, dates). Pages of the
# benchmark corpora take 0.02-0.3 s; a page over this is recorded and skipped. The flows
# pass `NEWSFLOW_PAGE_CPU_SECONDS` instead when it is set (flows/settings.py).
PAGE_CPU_SECONDS = 10.0
# Attributes kept per tag; real pages stay far below (the most seen on news pages is ~60).
MAX_ATTRIBUTES = 256
# Only tags longer than this are looked at, which keeps the check to one regex scan.
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{8000,}>")
_ATTRIBUTE = re.compile(r"""\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")
_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_CHECK_SECONDS = 0.05
_RETRY_SECONDS = 0.5


class OverBudget(BaseException):
    """A page took more CPU time than its budget.

    A BaseException, like KeyboardInterrupt, so that the libraries' own `except Exception`
    (htmldate and trafilatura have several) cannot swallow it.
    """


def _trim_tag(match: re.Match[str]) -> str:
    tag = match.group(0)
    name = _NAME.match(tag)
    if name is None:
        return tag
    kept: list[str] = []
    for count, attr in enumerate(_ATTRIBUTE.finditer(tag, name.end(), len(tag) - 1)):
        if count >= MAX_ATTRIBUTES:
            break
        kept.append(attr.group(0))
    else:
        return tag
    return name.group(0) + "".join(kept) + ">"


def tame_markup(html: str) -> str:
    """`html` with every tag cut to its first MAX_ATTRIBUTES attributes (usually unchanged)."""
    # `split` runs at C speed (0.35 ms of CPU on a 160 KB page, against ~20 ms for its
    # extraction); the regex runs only on pages with a run of 8,000 chars outside tags.
    if len(html) < 8000 or max(map(len, html.split(">"))) < 8000:
        return html
    return _LONG_TAG.sub(_trim_tag, html)


class _Watchdog:
    """One daemon thread per process watching the pages being extracted, by thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: dict[int, tuple[int, float]] = {}  # thread id -> (cpu clock, limit)
        self._thread: threading.Thread | None = None
        self._pid = 0

    def _ensure_running(self) -> None:
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="newsflow-page-budget")
            self._thread.daemon = True
            self._thread.start()

    def watch(self, seconds: float) -> None:
        ident = threading.get_ident()
        clock = time.pthread_getcpuclockid(ident)
        limit = time.clock_gettime(clock) + seconds
        with self._lock:
            self._watched[ident] = (clock, limit)
            self._ensure_running()

    def release(self) -> None:
        ident = threading.get_ident()
        with self._lock:
            self._watched.pop(ident, None)
            # an exception raised just as the page finished must not hit later code
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

    def _run(self) -> None:
        while True:
            time.sleep(_CHECK_SECONDS)
            with self._lock:
                for ident, (clock, limit) in list(self._watched.items()):
                    try:
                        over = time.clock_gettime(clock) > limit
                    except OSError:  # the thread is gone
                        self._watched.pop(ident, None)
                        continue
                    if over:
                        # raised again each interval until the page's block ends, in case
                        # some code between bytecodes still catches it
                        self._watched[ident] = (clock, limit + _RETRY_SECONDS)
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(ident), ctypes.py_object(OverBudget)
                        )


_WATCHDOG = _Watchdog()


@contextmanager
def page_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise OverBudget in this thread once it has used `seconds` of CPU inside the block.

    None means PAGE_CPU_SECONDS, 0 no budget at all.
    """
    limit = PAGE_CPU_SECONDS if seconds is None else seconds
    if not limit:
        yield
        return
    _WATCHDOG.watch(limit)
    try:
        yield
    finally:
        _WATCHDOG.release()


def mark_over_budget(
    urls: list[str], fetch_rows: list[dict[str, object]], seconds: float | None = None
) -> int:
    """Record in the fetch log that these pages were skipped for their CPU time.

    The page's own successful fetch row gets outcome `over-budget` and the reason, so
    `fetch_log` says why a page that was fetched has no article; returns rows marked.
    """
    limit = PAGE_CPU_SECONDS if seconds is None else seconds
    wanted = set(urls)
    marked = 0
    for row in reversed(fetch_rows):
        url = row.get("url")
        if url in wanted and row.get("outcome") == "ok":
            wanted.discard(url)
            row["outcome"] = "over-budget"
            row["error_class"] = "over_budget"
            row["error"] = (
                f"extraction used more than {limit:g} s of CPU; page skipped "
                "(NEWSFLOW_PAGE_CPU_SECONDS sets the budget)"
            )
            marked += 1
    return marked
