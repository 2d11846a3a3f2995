"""`make bench`: every benchmark, each printing newsflow beside its reference tool.

    python -m tests.bench                 # all of them (the end-to-end one at 10,000 pages)
    python -m tests.bench extraction nlp  # some of them
    python -m tests.bench pipeline --pages 10000,100000   # arguments go to a single bench

Benchmarks time whole runs on this machine; they are never unit tests. Those that
need `../shared/bench` say so and skip when it is absent.
"""

from __future__ import annotations

import importlib
import sys
import time

# Order: quick quality benchmarks first, the long end-to-end run last.
BENCHES: dict[str, list[str]] = {
    "extraction": [],  # AEB body F1/P/R and dates accuracy vs trafilatura/htmldate, pages/s
    "readability": [],  # dev pages: body token F1, title/author/day, author P/R vs trafilatura
    "nlp": [],  # entity P/R, topic accuracy, articles/s vs the clean stage's rate
    "ner": [],  # entity P/R/F1 on public NER corpora (dev and held-out) beside spaCy small
    "stories": [],  # story_id pairwise P/R/F1 on the demo warehouse against the site's truth
    "subjects": [],  # subject accuracy (dev/held-out), language detection; data in ../lab21s
    "dedup": [],  # MinHash signatures vs datasketch, candidate lookup at 100k and 1M stored
    "crawl": [],  # pages/s against the per-host politeness bound, 20 loopback hosts
    "pipeline": ["--pages", "10000"],  # end to end vs a trafilatura loop; RSS, CPU, re-run
}
# Run only when named: `python -m tests.bench fuzz` (mutated pages, ~1 h at 100,000).
ON_REQUEST: dict[str, list[str]] = {"fuzz": ["--pages", "100000"]}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    known = {**BENCHES, **ON_REQUEST}
    names = [a for a in args if a in known] or list(BENCHES)
    extra = [a for a in args if a not in known]
    if extra and len(names) != 1:
        print("bench: extra arguments need exactly one benchmark name", file=sys.stderr)
        return 2
    status = 0
    for name in names:
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"tests.bench.{name}")
        code = module.main(extra or known[name])
        print(f"=== {name}: {time.perf_counter() - started:.0f} s, exit {code} ===", flush=True)
        status = status or code
    return status


if __name__ == "__main__":
    raise SystemExit(main())
