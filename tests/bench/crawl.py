"""Crawl throughput against the politeness bound: 20 loopback hosts, 50 ms added latency each.

With one request per `delay` seconds allowed per host, no polite crawler can exceed
hosts / delay pages per second; that bound is the reference column. The servers run in a
child process so the CPU figure is the crawler's own (user+system seconds per wall second).

    .venv/bin/python -m tests.bench.crawl [--hosts 20] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import time
from multiprocessing.connection import Connection

import psutil

from records import Target
from tasks.crawl.fetch import FetchSettings, fetch_batch


def _serve(hosts: int, latency: float, conn: Connection) -> None:
    from tests.faultserver import FaultServer, SiteConfig

    servers = [FaultServer(SiteConfig(latency=latency)).start() for _ in range(hosts)]
    conn.send([s.base for s in servers])
    conn.recv()  # wait for "stop"
    for s in servers:
        s.stop()


def _measure(bases: list[str], pages_per_host: int, delay: float) -> dict[str, float]:
    settings = FetchSettings(allow_private_hosts=True, per_host_delay=delay, max_attempts=1)
    targets = [
        Target(f"{base}/page/{delay}-{i}", "bench") for i in range(pages_per_host) for base in bases
    ]
    proc = psutil.Process()
    cpu0 = sum(proc.cpu_times()[:2])
    started = time.perf_counter()
    pages, log, _ = fetch_batch(targets, dataclasses.replace(settings), {})
    wall = time.perf_counter() - started
    cpu = sum(proc.cpu_times()[:2]) - cpu0
    ok = sum(1 for p in pages if p.body)
    return {
        "pages": ok,
        "failed": len(pages) - ok,
        "requests": sum(1 for r in log if r["attempt"] > 0),
        "wall": wall,
        "rate": ok / wall,
        "bound": len(bases) / delay,
        "cpu": cpu / wall,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added per response")
    parser.add_argument(
        "--runs",
        default="1.0:8,0.25:30",
        help="comma list of per_host_delay:pages_per_host (default: the 1 req/s rule, then 4/s)",
    )
    args = parser.parse_args(argv)
    runs = [(float(d), int(n)) for d, n in (item.split(":") for item in args.runs.split(","))]
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(args.hosts, args.latency, child), daemon=True)
    server.start()
    try:
        bases = parent.recv()
        print(
            f"{args.hosts} loopback hosts, {args.latency * 1000:.0f} ms added latency per response"
        )
        header = (
            f"{'per-host delay':>14} {'pages':>6} {'failed':>6} {'seconds':>8} "
            f"{'newsflow p/s':>12} {'bound p/s':>10} {'ratio':>6} {'CPU':>6}"
        )
        print(header)
        print("-" * len(header))
        worst = 1.0
        for delay, per_host in runs:
            m = _measure(bases, per_host, delay)
            ratio = m["rate"] / m["bound"]
            worst = min(worst, ratio)
            print(
                f"{delay:>13.2f}s {m['pages']:>6.0f} {m['failed']:>6.0f} {m['wall']:>8.2f} "
                f"{m['rate']:>12.1f} {m['bound']:>10.1f} {ratio:>6.2f} {m['cpu'] * 100:>5.0f}%"
            )
        verdict = "OK" if worst >= 0.8 else "BELOW"
        print(f"target: ratio >= 0.80 in every row; worst {worst:.2f} -> {verdict}")
        print("CPU = crawler process user+system time / wall time (100% = one core)")
    finally:
        parent.send("stop")
        server.join(timeout=10)
    return 0 if worst >= 0.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
