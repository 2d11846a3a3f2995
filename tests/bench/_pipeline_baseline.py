"""The reference side of the pipeline benchmark: trafilatura in one plain process.

Run by `tests.bench.pipeline` as its own process so its memory and CPU are separable
from newsflow's. It walks the same sitemaps newsflow crawls, takes every `--every`-th
article URL, and per page fetches the HTML (untimed) and then times
`bare_extraction(html, url=url, with_metadata=True)`. Fetching outside the clock
favours the baseline: newsflow's rate includes its network, the baseline's does not.

    .venv/bin/python -m tests.bench._pipeline_baseline --sitemaps FILE --every 5 --out r.json
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from pathlib import Path

import httpx

_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


def article_urls(client: httpx.Client, sitemaps: list[str]) -> list[str]:
    """Article URLs listed by the sitemaps (indexes followed), first-seen order, no repeats."""
    seen: dict[str, None] = {}
    todo = list(sitemaps)
    visited: set[str] = set()
    while todo:
        url = todo.pop(0)
        if url in visited:
            continue
        visited.add(url)
        resp = client.get(url)
        resp.raise_for_status()
        is_index = "<sitemapindex" in resp.text[:500]
        for loc in _LOC.findall(resp.text):
            if is_index:
                todo.append(loc)
            else:
                seen.setdefault(loc, None)
    return list(seen)


def run(sitemaps: list[str], every: int) -> dict[str, float | int]:
    from trafilatura import bare_extraction

    with httpx.Client(timeout=60.0) as client:
        urls = article_urls(client, sitemaps)
        picked = urls[:: max(every, 1)]
        # One untimed call first: trafilatura builds caches on first use.
        if picked:
            bare_extraction(client.get(picked[0]).text, url=picked[0], with_metadata=True)
        wall = cpu = 0.0
        extracted = 0
        size = 0
        for url in picked:
            html = client.get(url).text
            size += len(html)
            c0, t0 = time.process_time(), time.perf_counter()
            doc = bare_extraction(html, url=url, with_metadata=True)
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
            extracted += doc is not None
    return {
        "listed": len(urls),
        "pages": len(picked),
        "extracted": extracted,
        "seconds": wall,
        "cpu_seconds": cpu,
        "mean_kb": size / 1024 / max(len(picked), 1),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sitemaps", required=True, help="file with one sitemap URL per line")
    ap.add_argument("--every", type=int, default=1, help="time every N-th listed article")
    ap.add_argument("--out", required=True, help="JSON result file")
    args = ap.parse_args(argv)
    sitemaps = Path(args.sitemaps).read_text(encoding="utf-8").split()
    Path(args.out).write_text(json.dumps(run(sitemaps, args.every)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
