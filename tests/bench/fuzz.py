"""Fuzz the per-page stages: mutated pages through clean (and enrich), counting what breaks.

    python -m tests.bench fuzz --pages 100000 [--workers 2] [--no-topics] [--seed 1]

Seeds are the demo site's article pages (our own, generated), mutated in ways a hostile or
broken server produces: byte flips, truncation, NUL bytes, wrong charsets, attribute
floods, deep nesting, huge entities and comments, duplicated and spliced chunks. Every
page runs as the pipeline runs it: extraction in worker processes within the per-page CPU
budget (tasks/clean/budget.py), then topics. It reports pages, uncaught exceptions (a stage
raising, or cleaning's catch-all recording `error:...`), pages over the CPU budget (each
must come back recorded as `over-budget`, never hang), the slowest pages with their
mutation, and the peak RSS of this process and its workers. Not part of `make test` or
the default `make bench`: 100,000 pages take about an hour on two cores.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

MUTATIONS = (
    "flip",
    "truncate",
    "nul",
    "charset",
    "attr_flood",
    "deep_nesting",
    "entity_flood",
    "comment_flood",
    "repeat_chunk",
    "splice",
    "script_flood",
    "date_noise",
)


@lru_cache(maxsize=1)
def seeds() -> list[tuple[str, bytes]]:
    from deployments.demosite import generator, templates

    site = generator.build_site()
    out = []
    for a in site.articles_at(0):
        outlet = site.by_slug[a.outlet]
        out.append((a.canonical_url, templates.render_article(site, outlet, a, 0).encode()))
    return out


def mutate(body: bytes, kind: str, rng: random.Random, other: bytes) -> bytes:
    n = len(body)
    if kind == "flip":
        data = bytearray(body)
        for _ in range(rng.randint(1, 200)):
            data[rng.randrange(n)] = rng.randrange(256)
        return bytes(data)
    if kind == "truncate":
        return body[: rng.randrange(n)]
    if kind == "nul":
        at = rng.randrange(n)
        return body[:at] + b"\0" * rng.randint(1, 64) + body[at:]
    if kind == "charset":
        name = rng.choice([b"utf-16", b"utf-7", b"bogus-8", b"shift_jis", b"cp1252", b"x" * 300])
        return body.replace(b"<head>", b'<head><meta charset="' + name + b'">', 1)
    if kind == "attr_flood":
        count = rng.choice([1_000, 10_000, 50_000, 200_000])
        attrs = b" ".join(b"a%d=%d" % (i, i) for i in range(count))
        return body.replace(b"<article", b"<article " + attrs, 1)
    if kind == "deep_nesting":
        depth = rng.choice([1_000, 10_000, 100_000])
        return body.replace(b"<p>", b"<div>" * depth + b"<p>", 1)
    if kind == "entity_flood":
        return body.replace(b"<p>", b"<p>" + b"&amp;&#x1F600;&nbsp;" * rng.randint(1, 50_000), 1)
    if kind == "comment_flood":
        return body.replace(b"<p>", b"<!--" + b"-" * rng.randint(1, 500_000) + b"<p>", 1)
    if kind == "repeat_chunk":
        at, size = rng.randrange(n), rng.randint(10, 2_000)
        return body[:at] + body[at : at + size] * rng.randint(2, 500) + body[at:]
    if kind == "splice":
        return body[: rng.randrange(n)] + other[rng.randrange(len(other)) :]
    if kind == "script_flood":
        blob = b"var d='2024-01-0" + b"1';" * rng.randint(1, 100_000)
        return body.replace(b"</head>", b"<script>" + blob + b"</script></head>", 1)
    if kind == "date_noise":
        dates = b" ".join(
            b"%04d-%02d-%02d" % (rng.randint(1, 9999), rng.randint(0, 13), rng.randint(0, 40))
            for _ in range(rng.randint(10, 20_000))
        )
        return body.replace(b"<p>", b"<p>" + dates, 1)
    raise ValueError(kind)


def fuzz_one(job: tuple[int, int, bool, float]) -> dict[str, Any]:
    """One mutated page through clean and enrich, in a worker; never raises."""
    from records import Page
    from tasks.clean import OVER_BUDGET, clean_page
    from tasks.clean.budget import OverBudget, page_budget

    number, seed, topics, budget = job
    rng = random.Random(seed * 1_000_003 + number)
    pool = seeds()
    url, body = pool[rng.randrange(len(pool))]
    kind = MUTATIONS[number % len(MUTATIONS)]
    page = Page(
        url=url,
        final_url=url,
        source="fuzz",
        status=200,
        body=mutate(body, kind, rng, pool[rng.randrange(len(pool))][1]),
        content_type="text/html",
        fetched_at=datetime.now(UTC),
    )
    result: dict[str, Any] = {"kind": kind, "bytes": len(page.body or b""), "error": None}
    started = time.process_time()
    try:
        with page_budget(budget):
            article, reason = clean_page(page)
        result["reason"] = reason
        if reason and reason.startswith("error:"):
            result["error"] = reason
        if article is not None and topics:
            from tasks.enrich import enrich_text

            enrich_text(article.title, article.text)
    except OverBudget:
        result["reason"] = OVER_BUDGET
    except Exception as exc:  # counted: the stages promise not to raise
        result["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    result["cpu"] = time.process_time() - started
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench fuzz")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-topics", action="store_true")
    args = parser.parse_args(argv)

    from flows.settings import from_environment
    from tasks.clean import OVER_BUDGET
    from tasks.clean.budget import PAGE_CPU_SECONDS
    from tasks.parallel import pmap, shutdown

    chosen = from_environment().page_cpu_seconds  # $NEWSFLOW_PAGE_CPU_SECONDS, as a run
    budget = PAGE_CPU_SECONDS if chosen is None else chosen
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    step = 2_000
    for first in range(0, args.pages, step):
        jobs = [
            (n, args.seed, not args.no_topics, budget)
            for n in range(first, min(first + step, args.pages))
        ]
        results += pmap(fuzz_one, jobs, args.workers, purpose="fuzz")
        # Running tallies, so a run stopped early still says what it saw.
        errors_so_far = sum(1 for r in results if r["error"])
        over_so_far = sum(1 for r in results if r.get("reason") == OVER_BUDGET)
        print(
            f"  {len(results)} pages, {time.perf_counter() - started:.0f} s, "
            f"{errors_so_far} uncaught, {over_so_far} over budget (recorded), "
            f"slowest {max(r['cpu'] for r in results):.2f} s CPU",
            flush=True,
        )
    shutdown(wait=True)
    elapsed = time.perf_counter() - started
    errors = [r for r in results if r["error"]]
    over = [r for r in results if r.get("reason") == OVER_BUDGET]
    reasons = Counter(r.get("reason") or "article" for r in results)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = max(r["rss_mb"] for r in results)  # each worker's own peak (or ours, in-process)
    print(f"pages: {len(results)} in {elapsed:.0f} s ({len(results) / elapsed:.1f} pages/s)")
    print(f"uncaught exceptions: {len(errors)}")
    for r in errors[:10]:
        print(f"  {r['kind']}: {r['error']}")
    print(f"over the {budget:g} s CPU budget (recorded as over-budget): {len(over)}")
    print(f"outcomes: {dict(reasons.most_common())}")
    slow = sorted(results, key=lambda r: -r["cpu"])[:7]
    print("slowest: " + ", ".join(f"{r['kind']} {r['cpu']:.2f}s ({r['bytes']} B)" for r in slow))
    print(f"peak RSS: this process {own:.0f} MB, largest worker {workers:.0f} MB")
    return 1 if errors else 0
