"""Stories against the demo site's truth: pairwise precision, recall and F1 of `story_id`.

The demo site knows which articles report one event (`ArticleTruth.story_id`, shared by
every outlet covering it and by syndicated copies). `newsflow demo` ingests its two
editions into a fresh warehouse through the whole pipeline (our own extraction and
entities), then every pair of articles is checked: same story in the truth, same
`story_id` in the warehouse. A duplicate belongs to its original's event; an article
in no shared event is an event of its own. Goal: F1 >= 0.9.

    .venv/bin/python -m tests.bench stories
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]
GOAL_F1 = 0.9


def truth_events(site: Any, edition: int) -> dict[str, str]:
    """article_id -> the event it reports, from the demo site's truth at `edition`."""
    from records import article_id_for
    from tasks.crawl.urls import canonicalize_url

    truth = site.truth(edition)
    events: dict[str, str] = {}
    for url, t in truth.items():
        original = truth.get(t.duplicate_of, t) if t.duplicate_of else t
        event = original.story_id or t.story_id or f"solo:{original.canonical_url}"
        events[article_id_for(canonicalize_url(url))] = event
    return events


def pairwise(events: dict[str, str], stories: dict[str, str | None]) -> dict[str, float]:
    """Pairwise P/R/F1 of `stories` (article_id -> story_id) against `events`.

    Articles the warehouse lacks count as stories of their own, so a missed page costs
    recall rather than vanishing from the score.
    """
    ids = sorted(events)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_truth = events[a] == events[b]
        sa, sb = stories.get(a), stories.get(b)
        same_ours = sa is not None and sa == sb
        tp += same_truth and same_ours
        fp += same_ours and not same_truth
        fn += same_truth and not same_ours
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(ids),
        "missing": sum(1 for a in ids if a not in stories),
        "pairs_true": tp + fn,
        "pairs_ours": tp + fp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def score_warehouse(db: str | Path, site: Any, edition: int) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        stories = dict(con.execute("SELECT article_id, story_id FROM articles").fetchall())
    finally:
        con.close()
    return pairwise(truth_events(site, edition), stories)


def main(argv: list[str] | None = None) -> int:
    from deployments.demosite import build_site
    from flows.demo import DEMO_SEED

    del argv
    site = build_site(seed=DEMO_SEED)
    with tempfile.TemporaryDirectory(prefix="newsflow-stories-") as tmp:
        db = Path(tmp) / "demo.duckdb"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "demo", "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
            print(f"stories: `newsflow demo` failed with exit {done.returncode}")
            return 1
        seconds = time.perf_counter() - started
        s = score_warehouse(db, site, site.editions - 1)
    print(f"demo warehouse: {s['articles']} articles ({s['missing']} missing), {seconds:.0f} s")
    print(f"{'':24}{'precision':>10}{'recall':>10}{'F1':>10}")
    print(f"{'story_id pairs':24}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}")
    print(f"pairs: {s['pairs_true']} in the truth, {s['pairs_ours']} ours; goal F1 >= {GOAL_F1}")
    return 0 if s["f1"] >= GOAL_F1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
