"""End-to-end speed and memory (issue 9): `newsflow ingest` vs a one-process trafilatura loop.

Per corpus size the scaled demo site (50 outlets, 50-150 KB pages) is served by its own
process on loopback. newsflow runs as the real CLI against a Prefect server started once
(its start-up is reported apart), with politeness off so the network is not the limit:
a first ingest into a fresh warehouse, then a re-run over the unchanged site. The
baseline is trafilatura's `bare_extraction(..., with_metadata=True)` over the same
pages' HTML in one process (a deterministic every-k-th sample on big corpora: it is a
per-page rate), timed before and after newsflow's runs because this machine's speed
drifts; the ratio is against the rate of their mean time. Peak RSS is the sum over each
process tree, sampled every 0.2 s; CPU is the tree's user+system seconds over wall
seconds and cores.

    .venv/bin/python -m tests.bench.pipeline                 # 10,000 and 100,000 pages
    .venv/bin/python -m tests.bench.pipeline --quick         # 2,000 pages
    .venv/bin/python -m tests.bench.pipeline --pages 10000 --runner processes:2
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests import pgserver

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
OUTLETS = 50
# Outlet k of the demo site listens on base+k; bases are tried in this fixed range.
SITE_PORTS = range(32000, 40000, 100)
SAMPLE_SECONDS = 0.2
PROGRESS_SECONDS = 30.0
# Targets from the issue.
TARGET_SPEEDUP = 1.5
TARGET_RSS_GROWTH = 1.2
TARGET_RERUN = 0.05
STAGE_ORDER = (
    "discover",
    "fetch",
    "clean",
    "dedup",
    "enrich",
    "stories",
    "load",
    "publish",
    "orchestration",
)
MB = 1024 * 1024


# ----- measuring a process tree ------------------------------------------------------------
def _role(proc: psutil.Process, root: psutil.Process) -> str:
    if proc.pid == root.pid:
        return "main"
    try:  # a pool's server is the main process's child; its workers are the server's
        server = proc.ppid() == root.pid and "forkserver" in " ".join(proc.cmdline())
    except psutil.Error:
        server = False
    return "forkserver" if server else "worker"


class TreeSampler:
    """Peak summed memory of a process and all its descendants, sampled in a thread.

    Summing the tree matters: worker processes (process pools, Dask) hold pages too,
    and the peak of the largest single process would hide them. Forked workers share
    pages with their parent, so summed RSS counts those twice; summed PSS (each shared
    page split among its sharers) is the tree's real footprint and is reported too.
    """

    def __init__(self, pid: int, every: float = SAMPLE_SECONDS) -> None:
        self.pid, self.every = pid, every
        self.peak = 0
        self.peak_pss = 0
        self.last = 0
        self.last_main = 0  # the root process alone, for the progress lines
        self.peak_at = 0.0  # seconds after the sampler started, and what the tree was then
        self.peak_procs: list[tuple[str, int]] = []
        self._started = time.perf_counter()
        # (pid, start time) -> own user+system seconds at the latest sample
        self._cpu: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    def _sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = pss = 0
        sizes: list[tuple[str, int]] = []
        for proc in procs:
            try:
                mem = proc.memory_full_info()
                times = proc.cpu_times()
                self._cpu[(proc.pid, proc.create_time())] = times.user + times.system
            except psutil.Error:
                continue
            total += mem.rss
            pss += getattr(mem, "pss", mem.rss)
            sizes.append((_role(proc, root), mem.rss))
            if proc.pid == root.pid:
                self.last_main = mem.rss
        self.last = total
        if total > self.peak:
            self.peak_at = time.perf_counter() - self._started
            self.peak_procs = sizes
        self.peak = max(self.peak, total)
        self.peak_pss = max(self.peak_pss, pss)

    @property
    def cpu(self) -> float:
        """CPU seconds of every process seen (short of each one's last < 0.2 s)."""
        return sum(self._cpu.values())

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _children_cpu() -> float:
    """CPU seconds of all reaped descendants: a child's own waited-for children count too."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(pid: int) -> float:
    """CPU seconds so far of a live process and its live descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total


@dataclass
class Measured:
    """One child process run to completion: wall, summed-tree peak RSS, tree CPU."""

    wall: float
    peak_rss: int
    peak_pss: int
    cpu: float
    returncode: int
    side_cpu: dict[str, float] = field(default_factory=dict)


def run_measured(
    cmd: list[str],
    env: dict[str, str],
    log: Path,
    label: str,
    side: dict[str, int] | None = None,
    quiet: bool = False,
) -> Measured:
    """Run `cmd`, sampling its tree; `side` names other processes whose CPU to charge to it."""
    side = side or {}
    side0 = {name: _tree_cpu(pid) for name, pid in side.items()}
    cpu0 = _children_cpu()
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        with TreeSampler(proc.pid) as sampler:
            next_note = started + PROGRESS_SECONDS
            while proc.poll() is None:
                time.sleep(0.1)
                now = time.perf_counter()
                if now >= next_note and not quiet:
                    next_note = now + PROGRESS_SECONDS
                    note = _last_progress(log)
                    print(
                        f"  [{label} {now - started:6.0f} s] RSS {sampler.last / MB:6.0f} MB"
                        f" (main {sampler.last_main / MB:.0f})"
                        f"{'  ' + note if note else ''}",
                        flush=True,
                    )
        wall = time.perf_counter() - started
    if not quiet:
        parts = ", ".join(f"{role} {rss / MB:.0f}" for role, rss in sampler.peak_procs)
        print(
            f"  [{label}] peak RSS {sampler.peak / MB:.0f} MB at {sampler.peak_at:.0f} s "
            f"of {wall:.0f} s ({parts})",
            flush=True,
        )
    # Both are lower bounds: rusage misses descendants nobody waited for (a pool's
    # workers re-parented when their server exits), sampling misses each process's
    # last fraction of a second.
    cpu = max(_children_cpu() - cpu0, sampler.cpu)
    side_cpu = {name: _tree_cpu(pid) - side0[name] for name, pid in side.items()}
    return Measured(wall, sampler.peak, sampler.peak_pss, cpu, proc.returncode, side_cpu)


def _last_progress(log: Path) -> str:
    try:
        with open(log, "rb") as f:
            f.seek(max(f.seek(0, os.SEEK_END) - 8192, 0))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [ln.strip() for ln in tail.splitlines() if ln.startswith("ingest:")]
    return lines[-1] if lines else ""


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


# ----- the servers -------------------------------------------------------------------------
def _ports_free(base: int, count: int) -> bool:
    for port in range(base, base + count):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


@dataclass
class Site:
    proc: subprocess.Popen[bytes]
    sitemaps: list[str]
    articles: int


@contextmanager
def demo_site(pages: int, workdir: Path, timeout: float = 300.0) -> Iterator[Site]:
    """The scaled demo site in its own process, so its CPU is not charged to either side."""
    for base in SITE_PORTS:
        if not _ports_free(base, OUTLETS):
            continue
        log = workdir / f"site-{pages}-{base}.log"
        cmd = [PY, "-m", "deployments.demosite", "serve"]
        cmd += ["--pages", str(pages), "--outlets", str(OUTLETS), "--port", str(base)]
        out = open(log, "wb")  # noqa: SIM115 - closed below with the process
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        ready = None
        while time.monotonic() < deadline and proc.poll() is None:
            text = log.read_text(encoding="utf-8", errors="replace")
            ready = re.search(r"^(\d+) articles, edition", text, re.M)
            if ready:
                break
            time.sleep(0.2)
        if not ready:
            _stop(proc)
            out.close()
            if proc.returncode not in (None, 0) and "Address already in use" in log.read_text():
                continue  # lost a race for the ports: try the next range
            raise RuntimeError(f"demo site did not start:\n{_tail(log)}")
        sitemaps = re.findall(r"sitemap (\S+)", log.read_text(encoding="utf-8"))
        try:
            yield Site(proc, sitemaps, int(ready.group(1)))
        finally:
            _stop(proc)
            out.close()
        return
    raise RuntimeError(f"no {OUTLETS} free consecutive ports in {SITE_PORTS}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    from deployments.serve import stop

    stop(proc, grace=10.0)


@contextmanager
def prefect_api(workdir: Path, api_url: str | None = None) -> Iterator[tuple[str, float, int]]:
    """(API URL, start-up seconds, server pid or 0): a given API, else a fresh local server."""
    if api_url:
        yield api_url, 0.0, 0
        return
    from deployments.serve import free_port, start_server, stop, wait_healthy

    env = _prefect_env(workdir)
    port = free_port()
    started = time.perf_counter()
    server = start_server(port, env, log=workdir / "prefect-server.log")
    try:
        url = f"http://127.0.0.1:{port}/api"
        wait_healthy(url, server, 180.0)
        yield url, time.perf_counter() - started, server.pid
    finally:
        stop(server)


def _prefect_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    home = workdir / "prefect-home"
    home.mkdir(exist_ok=True)
    env["PREFECT_HOME"] = str(home)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["DO_NOT_TRACK"] = "1"
    return env


# ----- one corpus size ---------------------------------------------------------------------
@dataclass
class Side:
    """Figures of one measured run (a newsflow ingest or the baseline loop)."""

    pages: int
    seconds: float
    peak_rss: int
    peak_pss: int
    cpu_util: float  # of all cores
    shares: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    side_cpu: dict[str, float] = field(default_factory=dict)
    rows_written: int = 0  # net new warehouse rows, all tables

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


@dataclass
class SizeResult:
    pages: int
    first: Side
    rerun: Side
    baseline: Side
    baseline_every: int
    baseline_listed: int
    warehouse: str = "file"  # file (the default location) or lake (DuckLake on SQLite)

    @property
    def label(self) -> str:
        return str(self.pages) if self.warehouse == "file" else f"{self.pages} {self.warehouse}"


def stage_shares(summary: dict[str, Any]) -> dict[str, float]:
    """Each stage's seconds over the sum of all stage rows (orchestration included)."""
    rows = [r for r in summary.get("stages", []) if r.get("seconds") is not None]
    total = sum(float(r["seconds"]) for r in rows)
    if total <= 0:
        return {}
    shares: dict[str, float] = {}
    for r in rows:
        shares[r["stage"]] = shares.get(r["stage"], 0.0) + float(r["seconds"]) / total
    return shares


def last_run(db: Path | str) -> dict[str, Any]:
    """The newest run's summary as stored in `runs.stats`."""
    from warehouse.store import connect_readonly

    con = connect_readonly(db)
    try:
        rows = con.execute(
            "SELECT status, stats FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchall()
    finally:
        con.close()
    if not rows:
        raise RuntimeError(f"no run recorded in {db}")
    status, stats = rows[0]
    summary = json.loads(stats) if isinstance(stats, str) else dict(stats or {})
    summary["status"] = status
    return summary


def warehouse_rows(db: Path | str) -> int:
    """Rows in every table of the warehouse (0 before it exists)."""
    from warehouse.store import WarehouseMissing, connect_readonly

    try:
        con = connect_readonly(db)
    except WarehouseMissing:
        return 0
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE NOT temporary AND database_name = current_database()"
        ).fetchall()
        return sum(
            int(con.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchall()[0][0])
            for schema, name in tables
        )
    finally:
        con.close()


def ingest(
    site: Site,
    workdir: Path,
    db: Path | str,
    env: dict[str, str],
    label: str,
    batch_size: int | None,
    side_pids: dict[str, int],
    quiet: bool,
) -> Side:
    config = workdir / "bench-config.yaml"
    config.write_text(
        "fetch:\n  per_host_delay: 0.0\n  per_host_concurrency: 4\n", encoding="utf-8"
    )
    cmd = [PY, "-m", "flows.cli", "ingest", "--config", str(config), "--db", str(db)]
    cmd += ["--allow-private-hosts", *(a for url in site.sitemaps for a in ("--sitemap", url))]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    log = workdir / f"{label}.log"
    rows_before = warehouse_rows(db)
    m = run_measured(cmd, env, log, label, side_pids, quiet)
    if m.returncode != 0:
        raise RuntimeError(f"newsflow ingest failed ({m.returncode}); log {log}:\n{_tail(log)}")
    summary = last_run(db)
    if summary["status"] != "completed":
        raise RuntimeError(f"run ended {summary['status']}; log {log}")
    pages = int(summary.get("pages_fetched", 0)) + int(summary.get("pages_unchanged", 0))
    cores = psutil.cpu_count() or 1
    return Side(
        pages,
        m.wall,
        m.peak_rss,
        m.peak_pss,
        m.cpu / m.wall / cores,
        stage_shares(summary),
        summary,
        m.side_cpu,
        warehouse_rows(db) - rows_before,
    )


def baseline(site: Site, workdir: Path, every: int, label: str) -> tuple[Side, int]:
    sitemaps = workdir / "sitemaps.txt"
    sitemaps.write_text("\n".join(site.sitemaps), encoding="utf-8")
    out = workdir / f"{label}.json"
    cmd = [PY, "-m", "tests.bench._pipeline_baseline", "--sitemaps", str(sitemaps)]
    cmd += ["--every", str(every), "--out", str(out)]
    log = workdir / f"{label}.log"
    m = run_measured(cmd, dict(os.environ), log, label, quiet=True)
    if m.returncode != 0:
        raise RuntimeError(f"baseline failed ({m.returncode}):\n{_tail(log)}")
    r = json.loads(out.read_text(encoding="utf-8"))
    util = r["cpu_seconds"] / r["seconds"] / (psutil.cpu_count() or 1) if r["seconds"] else 0.0
    side = Side(int(r["pages"]), float(r["seconds"]), m.peak_rss, m.peak_pss, util, stats=r)
    return side, int(r["listed"])


def measure_size(
    pages: int,
    workdir: Path,
    api_url: str,
    api_pid: int,
    *,
    baseline_max: int,
    batch_size: int | None = None,
    runner: str | None = None,
    quiet: bool = False,
    warehouses: tuple[str, ...] = ("file",),
    postgres: pgserver.Server | None = None,
) -> list[SizeResult]:
    """First ingest, re-run and baseline over one freshly served corpus of `pages` articles,
    per warehouse kind (each into its own fresh warehouse, between the same baselines).
    `postgres` is the server the `postgres` kind's catalog lives on."""
    say = (lambda *_: None) if quiet else (lambda msg: print(msg, flush=True))
    here = workdir / f"pages-{pages}"
    here.mkdir(parents=True, exist_ok=True)
    env = _prefect_env(workdir)
    env["PREFECT_API_URL"] = api_url
    if runner is not None:
        env["NEWSFLOW_TASK_RUNNER"] = runner
    t0 = time.perf_counter()
    with demo_site(pages, here) as site:
        up = time.perf_counter() - t0
        say(f"{pages} pages: demo site up in {up:.1f} s ({site.articles} articles)")
        side_pids = {"site": site.proc.pid, **({"prefect": api_pid} if api_pid else {})}
        every = max(1, -(-site.articles // baseline_max))
        before, listed = baseline(site, here, every, f"baseline-before-{pages}")
        say(f"{pages} pages: trafilatura {before.rate:.1f} pages/s over {before.pages} pages")
        runs = []
        for kind in warehouses:
            folder = here / f"warehouse-{kind}"
            folder.mkdir(exist_ok=True)
            if kind == "postgres":
                assert postgres is not None, "run_benchmark starts the server"
                db: Path | str = postgres.new_lake(f"bench_{pages}")
            else:
                db = WAREHOUSES[kind](folder)
            first = ingest(
                site, here, db, env, f"first-{kind}-{pages}", batch_size, side_pids, quiet
            )
            say(
                f"{pages} pages, {kind}: first ingest {first.seconds:.1f} s, "
                f"{first.rate:.1f} pages/s"
            )
            rerun = ingest(
                site, here, db, env, f"rerun-{kind}-{pages}", batch_size, side_pids, quiet
            )
            say(f"{pages} pages, {kind}: re-run {rerun.seconds:.1f} s")
            runs.append((kind, first, rerun))
        after, _ = baseline(site, here, every, f"baseline-after-{pages}")
        say(f"{pages} pages: trafilatura {after.rate:.1f} pages/s (after the ingests)")
    bracket = _bracket(before, after)
    return [SizeResult(pages, f, r, bracket, every, listed, kind) for kind, f, r in runs]


# Where each kind of warehouse goes in its folder: the default DuckDB file, or a DuckLake
# on a local SQLite catalog (Parquet files beside it). `postgres`, a DuckLake catalogued
# in a PostgreSQL server the benchmark starts (tests/pgserver.py), is made in measure_size.
WAREHOUSES = {
    "file": lambda folder: folder / "newsflow.duckdb",
    "lake": lambda folder: f"ducklake:sqlite:{folder / 'catalog.sqlite'}",
}
KINDS = (*WAREHOUSES, "postgres")


def _bracket(before: Side, after: Side) -> Side:
    """One baseline from the loops run before and after newsflow's runs.

    This machine's speed drifts by a third within an hour (the same loop measured 18 to
    32 pages/s on different runs), so the baseline brackets newsflow's runs in time and
    the ratio is taken against the mean of the two.
    """
    return Side(
        before.pages,
        (before.seconds + after.seconds) / 2,
        max(before.peak_rss, after.peak_rss),
        max(before.peak_pss, after.peak_pss),
        (before.cpu_util + after.cpu_util) / 2,
        stats={**before.stats, "rates": [before.rate, after.rate]},
    )


# ----- reporting ---------------------------------------------------------------------------
def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _sql_text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_sql_text(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _sql_text(node.left) + _sql_text(node.right)
    return ""


def row_inserts(source: str) -> list[int]:
    """Lines where rows are inserted one statement at a time.

    That is `executemany`, or an `INSERT ... VALUES` executed inside a loop or
    comprehension. A single-row INSERT outside loops (a run record, a schema
    version) is not bulk data and is allowed.
    """
    found: list[int] = []
    loops = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.GeneratorExp, ast.SetComp)

    def visit(node: ast.AST, in_loop: bool) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            sql = _sql_text(node.args[0]) if node.args else ""
            per_row = re.search(r"INSERT\b.*\bVALUES\b", sql, re.I | re.S) and in_loop
            if name == "executemany" or (name == "execute" and per_row):
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, in_loop or isinstance(node, loops))

    visit(ast.parse(source), False)
    return found


def bulk_load_check(root: Path = ROOT) -> tuple[bool, str]:
    """Static look at every warehouse write path for row-by-row inserts."""
    # schema.py is left out: a migration writes its one schema_version row, not data.
    files = [
        *sorted((root / "tasks" / "load").glob("*.py")),
        *sorted((root / "warehouse").glob("*.py")),
    ]
    files = [f for f in files if f.name != "schema.py"]
    offenders = [
        f"{path.relative_to(root)}:{line}"
        for path in files
        if path.exists()
        for line in row_inserts(path.read_text(encoding="utf-8"))
    ]
    if offenders:
        return False, "row-by-row inserts at " + ", ".join(offenders)
    return True, f"no executemany or looped INSERT ... VALUES in {len(files)} files"


def table_rows(results: list[SizeResult]) -> list[dict[str, str]]:
    """One printable row per corpus size, every figure as text (newsflow | baseline | ratio)."""
    rows = []
    for r in results:
        speedup = r.first.rate / r.baseline.rate if r.baseline.rate else 0.0
        rerun_ratio = r.rerun.seconds / r.first.seconds if r.first.seconds else 0.0
        sample = "all" if r.baseline_every == 1 else f"1/{r.baseline_every}"
        rows.append(
            {
                "pages": r.label,
                "newsflow p/s": f"{r.first.rate:.1f}",
                "trafilatura p/s": f"{r.baseline.rate:.1f}",
                "before/after": "/".join(f"{x:.1f}" for x in r.baseline.stats.get("rates", [])),
                "sample": f"{r.baseline.pages} ({sample})",
                "ratio": f"{speedup:.2f} {_verdict(speedup >= TARGET_SPEEDUP)}",
                "RSS MB nf": f"{r.first.peak_rss / MB:.0f}",
                "PSS MB nf": f"{r.first.peak_pss / MB:.0f}",
                "RSS MB traf": f"{r.baseline.peak_rss / MB:.0f}",
                "CPU nf": f"{r.first.cpu_util:.0%}",
                "CPU traf": f"{r.baseline.cpu_util:.0%}",
                "first s": f"{r.first.seconds:.1f}",
                "re-run s": f"{r.rerun.seconds:.1f}",
                "re-run/first": f"{rerun_ratio:.3f} {_verdict(rerun_ratio <= TARGET_RERUN)}",
            }
        )
    return rows


def share_rows(results: list[SizeResult]) -> list[dict[str, str]]:
    rows = []
    for r in results:
        for name, side in (("first", r.first), ("re-run", r.rerun)):
            stages = [s for s in STAGE_ORDER if s in side.shares]
            stages += sorted(set(side.shares) - set(stages))
            row = {"pages": r.label, "run": name}
            row.update({s: f"{side.shares[s]:.0%}" for s in stages})
            load_s = sum(
                float(x.get("seconds") or 0)
                for x in side.stats.get("stages", [])
                if x.get("stage") == "load"
            )
            row["rows"] = str(side.rows_written)
            row["load rows/s"] = f"{side.rows_written / load_s:.0f}" if load_s > 0 else "-"
            flow_s = side.stats.get("seconds")
            row["flow s"] = f"{flow_s:.1f}" if isinstance(flow_s, (int, float)) else "?"
            for proc, cpu in side.side_cpu.items():
                row[f"{proc} CPU s"] = f"{cpu:.1f}"
            rows.append(row)
    return rows


def format_table(rows: list[dict[str, str]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    widths = {c: max(len(c), *(len(row.get(c, "")) for row in rows)) for c in columns}
    lines = ["  ".join(c.rjust(widths[c]) for c in columns)]
    lines += ["  ".join(row.get(c, "-").rjust(widths[c]) for c in columns) for row in rows]
    return "\n".join(lines)


def rss_growth(results: list[SizeResult]) -> tuple[SizeResult, SizeResult, float] | None:
    if len(results) < 2:
        return None
    small = min(results, key=lambda r: r.pages)
    big = max(results, key=lambda r: r.pages)
    return small, big, big.first.peak_rss / small.first.peak_rss


def report(results: list[SizeResult], startup: float) -> str:
    out = [
        "End to end: discovery to committed warehouse rows, `newsflow ingest` CLI process wall "
        "time (start-up included);",
        "trafilatura: bare_extraction(with_metadata=True) seconds only (fetch untimed), one "
        "process, run before and after newsflow's runs (rate of their mean time).",
        "RSS/PSS: peak of the sum over the process tree",
        "(PSS splits pages shared with forked workers).",
        f"CPU: tree CPU seconds / wall / {psutil.cpu_count()} cores. Prefect server start-up "
        f"(not in any run): {startup:.1f} s.",
        "",
        format_table(table_rows(results)),
        "",
        "Stage shares (stage seconds / sum of stage rows in runs.stats; site/prefect CPU = "
        "their own processes during the run):",
        format_table(share_rows(results)),
        "",
        "Targets:",
    ]
    for r in results:
        speedup = r.first.rate / r.baseline.rate if r.baseline.rate else 0.0
        rerun = r.rerun.seconds / r.first.seconds if r.first.seconds else 0.0
        out.append(
            f"  {r.label:>7} pages  speed >= {TARGET_SPEEDUP}x trafilatura: "
            f"{speedup:.2f}x {_verdict(speedup >= TARGET_SPEEDUP)};  "
            f"re-run <= {TARGET_RERUN:.0%} of first: {rerun:.1%} {_verdict(rerun <= TARGET_RERUN)}"
        )
    growth = rss_growth(results)
    if growth:
        small, big, ratio = growth
        pss = big.first.peak_pss / small.first.peak_pss if small.first.peak_pss else 0.0
        out.append(
            f"  peak memory {big.pages} / {small.pages} pages <= {TARGET_RSS_GROWTH}x: RSS "
            f"{big.first.peak_rss / MB:.0f} / {small.first.peak_rss / MB:.0f} MB = {ratio:.2f}x "
            f"{_verdict(ratio <= TARGET_RSS_GROWTH)}; PSS "
            f"{big.first.peak_pss / MB:.0f} / {small.first.peak_pss / MB:.0f} MB = {pss:.2f}x "
            f"{_verdict(pss <= TARGET_RSS_GROWTH)}"
        )
    else:
        out.append("  peak memory growth: needs two sizes (e.g. --pages 10000,100000)")
    ok, why = bulk_load_check()
    out.append(f"  bulk warehouse loading (static check): {_verdict(ok)} ({why})")
    return "\n".join(out)


def run_benchmark(
    sizes: list[int],
    *,
    baseline_max: int = 2500,
    batch_size: int | None = None,
    runner: str | None = None,
    api_url: str | None = None,
    workdir: Path | None = None,
    quiet: bool = False,
    warehouses: tuple[str, ...] = ("file",),
) -> tuple[list[SizeResult], float]:
    """Measure every size; returns the results and the Prefect server start-up seconds."""
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nf-bench-")))
        api, startup, api_pid = stack.enter_context(prefect_api(workdir, api_url))
        postgres = stack.enter_context(pgserver.server()) if "postgres" in warehouses else None
        if not quiet:
            print(f"Prefect API {api} (start-up {startup:.1f} s); work dir {workdir}", flush=True)
        results = [
            result
            for n in sizes
            for result in measure_size(
                n,
                workdir,
                api,
                api_pid,
                baseline_max=baseline_max,
                batch_size=batch_size,
                runner=runner,
                quiet=quiet,
                warehouses=warehouses,
                postgres=postgres,
            )
        ]
    return results, startup


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="10000,100000", help="comma list of corpus sizes")
    ap.add_argument("--quick", action="store_true", help="one corpus of 2,000 pages")
    ap.add_argument(
        "--baseline-max",
        type=int,
        default=2500,
        help="time trafilatura on every k-th page so at most this many are timed",
    )
    ap.add_argument("--batch-size", type=int, default=None, help="newsflow --batch-size")
    ap.add_argument(
        "--runner", default=None, help="NEWSFLOW_TASK_RUNNER for the runs (default: inherited)"
    )
    ap.add_argument(
        "--prefect-api", default=None, help="use this Prefect API instead of a fresh one"
    )
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep warehouses and logs")
    ap.add_argument(
        "--warehouse",
        default="file",
        help="comma list of warehouse kinds to load, each beside the same baseline: "
        "file (the default DuckDB file), lake (DuckLake on a SQLite catalog), postgres "
        "(DuckLake on a PostgreSQL server the benchmark starts: needs Debian's postgresql)",
    )
    args = ap.parse_args(argv)
    sizes = [2000] if args.quick else [int(p) for p in args.pages.split(",") if p.strip()]
    kinds = tuple(k.strip() for k in args.warehouse.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        ap.error(f"--warehouse: unknown kind(s) {unknown}; use {', '.join(KINDS)}")
    workdir = Path(args.keep) if args.keep else None
    if workdir:
        workdir.mkdir(parents=True, exist_ok=True)
    runner = args.runner if args.runner is not None else os.environ.get("NEWSFLOW_TASK_RUNNER")
    print(
        f"pipeline benchmark: sizes {sizes}, {OUTLETS} outlets, task runner "
        f"{runner or 'default'}, batch size {args.batch_size or 'default'}",
        flush=True,
    )
    if "postgres" in kinds and pgserver.pg_bin() is None:
        ap.error("--warehouse postgres needs PostgreSQL's server (apt-get install postgresql)")
    results, startup = run_benchmark(
        sizes,
        baseline_max=args.baseline_max,
        batch_size=args.batch_size,
        runner=runner,
        api_url=args.prefect_api,
        workdir=workdir,
        warehouses=kinds,
    )
    print()
    print(report(results, startup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
