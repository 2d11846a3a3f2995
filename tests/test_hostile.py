"""The hostile-server suite (issue 22): loopback servers that drip, stall, bomb and
redirect, addresses that smuggle internal targets past the guard, robots.txt that
fails. Nothing here leaves 127.0.0.1."""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from records import Target
from tasks.crawl.fetch import Crawler, FetchSettings, fetch_batch, run_sync
from tasks.crawl.netguard import embedded_ipv4, is_public
from tests.hostileserver import HostileServer, drip, send, stall
from tests.test_fetch import FAST, rows_for

ROOT = Path(__file__).resolve().parents[1]
# test_fetch's fast settings, with one retry fewer and a longer deadline for slow drips.
HOSTILE = dataclasses.replace(FAST, total_timeout=1.5, max_attempts=2)


def settings(**changes: Any) -> FetchSettings:
    return dataclasses.replace(HOSTILE, **changes)


# -- the guard: only globally routable addresses, whatever form they take -----------------

INTERNAL = [
    "100.64.0.1",  # carrier-grade NAT (a cloud metadata service lives here)
    "100.100.100.200",
    "169.254.169.254",
    "198.18.0.1",  # benchmarking
    "192.0.0.170",  # IETF protocol assignments
    "240.0.0.1",
    "255.255.255.255",
    "2002:a9fe:a9fe::1",  # 6to4 wrapping 169.254.169.254
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "2002:a00:1::",  # 6to4 wrapping 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254
    "64:ff9b::7f00:1",
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "2600::5efe:a9fe:a9fe",  # ISATAP interface id wrapping 169.254.169.254
    "2600::200:5efe:a00:1",
    "::ffff:100.64.0.1",  # IPv4-mapped
    "::127.0.0.1",  # IPv4-compatible
    "ff02::1",
    "2001:db8::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1", "::ffff:1.1.1.1"]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_forms_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_stay_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_embedded_ipv4_forms_are_found() -> None:
    wrapped = ipaddress.ip_address("169.254.169.254")
    for form in ("2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "2600::5efe:a9fe:a9fe"):
        assert wrapped in embedded_ipv4(ipaddress.IPv6Address(form)), form


@pytest.mark.parametrize("address", ["100.64.0.1", "[2002:a9fe:a9fe::1]", "[64:ff9b::7f00:1]"])
def test_fetching_an_internal_form_sends_nothing(address: str) -> None:
    pages, log, _ = fetch_batch(
        [Target(f"http://{address}/latest/meta-data/", "p")],
        settings(allow_private_hosts=False),
        {},
    )
    assert pages[0].body is None
    assert log[-1]["error_class"] == "private_address", log[-1]


# -- decompression limits on every path --------------------------------------------------


def _zeros_gzip(path: Path, megabytes: int) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    with path.open("wb") as fh:
        for _ in range(megabytes):
            fh.write(packer.compress(chunk))
        fh.write(packer.flush())


def test_extract_refuses_a_gzip_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    _zeros_gzip(bomb, 300)  # ~300 KB on disk, 300 MB inflated
    assert bomb.stat().st_size < 1_000_000
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", "--no-topics", str(bomb)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert "inflates past" in record["error"]


# -- a damaged warehouse is named as such, at once -----------------------------------------


@pytest.fixture()
def corrupt_db(tmp_path: Path) -> Path:
    from tests.test_warehouse_fixtures import build_ready

    db = build_ready(tmp_path / "w.duckdb")
    size = db.stat().st_size
    with db.open("r+b") as fh:  # scribble over every 256 KB past the header blocks
        for offset in range(300_000, size, 262_144):
            fh.seek(offset)
            fh.write(bytes(range(64)))
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["query", "SELECT count(*) FROM articles"],
        ["search", "flood"],
        ["export", "--parquet", "{empty}"],
    ],
)
def test_a_corrupt_warehouse_is_reported_as_corrupt(
    corrupt_db: Path, tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [a.format(empty=empty) for a in command]
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"))
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args, "--db", str(corrupt_db)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert "is corrupt" in last and "reprocess" in last, done.stderr[-2000:]
    assert "in use" not in last and "another process" not in last


def test_a_writer_does_not_wait_on_a_corrupt_file(corrupt_db: Path) -> None:
    from warehouse.store import WarehouseError, writer

    started = time.monotonic()
    with (
        pytest.raises(WarehouseError, match="is corrupt") as caught,
        writer(corrupt_db, wait_seconds=30) as con,
    ):
        con.execute("SELECT count(*) FROM articles").fetchall()
    assert "in use" not in str(caught.value)
    assert time.monotonic() - started < 25  # it used to wait out the lock timeout


# -- robots.txt that fails means disallow --------------------------------------------------


@pytest.mark.parametrize(
    "robots",
    [drip(every=0.5), stall(5.0), send(301, b"", Location="/robots.txt")],
    ids=["drip", "stall", "redirect-loop"],
)
def test_robots_that_never_completes_means_disallow(robots: Any) -> None:
    page = send(200, b"<html><body><p>" + b"word " * 100 + b"</p></body></html>")
    with HostileServer({"/robots.txt": robots, "*": page}) as server:
        pages, log, _ = fetch_batch([Target(server.url("/news/1"), "p")], settings(), {})
        assert pages[0].body is None
        assert log[-1]["error_class"] == "robots" and "unreachable" in log[-1]["error"]
        assert "/news/1" not in server.paths()


# -- politeness holds across batches ----------------------------------------------------


def _article(n: int) -> bytes:
    words = " ".join(f"word{n}x{i}" for i in range(120))
    return f"<html><head><title>Story {n}</title></head><body><p>{words}</p></body></html>".encode()


def test_robots_and_request_spacing_hold_across_batches(prefect_api: str, tmp_path: Path) -> None:
    from flows.ingest import ingest

    routes = {f"/news/{n}": send(200, _article(n)) for n in range(6)}
    routes["/robots.txt"] = send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    with HostileServer(routes) as server:
        ingest(
            sources=[{"kind": "url", "location": server.url(f"/news/{n}")} for n in range(6)],
            db=str(tmp_path / "w.duckdb"),
            allow_private_hosts=True,
            batch_size=2,
            fetch={"per_host_delay": 0.4, "backoff_base": 0.01},
        )
        hits = server.hits
    assert [p for p, _ in hits].count("/robots.txt") == 1  # once a run, not once a batch
    starts = sorted(t for p, t in hits if p.startswith("/news/"))
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.35, gaps  # the 0.4 s delay, minus the server's clock jitter


# -- a dripping host costs bounded time -----------------------------------------------------


def test_dripping_urls_cost_bounded_time_per_page_and_per_host() -> None:
    routes = {f"/drip/{n}": drip(every=0.2, ctype="text/html") for n in range(5)}
    capped = settings(
        total_timeout=1.0,
        max_attempts=4,
        max_page_seconds=1.5,
        max_host_stall_seconds=2.5,
        backoff_base=0.01,
        backoff_cap=0.01,
    )
    with HostileServer(routes) as server:
        targets = [Target(server.url(f"/drip/{n}"), "p") for n in range(5)]
        started = time.monotonic()
        pages, log, stats = fetch_batch(targets, capped, {})
        took = time.monotonic() - started
    assert all(p.body is None for p in pages)
    first = rows_for(log, targets[0].url)
    assert len(first) == 2 and "max_page_seconds" in first[-1]["error"]  # not 4 attempts
    skipped = [r for r in log if r["error_class"] == "host_budget"]
    assert skipped and all(r["outcome"] == "skipped" for r in skipped)
    assert stats.dropped["host_budget"] == len(skipped)
    assert took < 8, took  # 5 URLs x 4 attempts x 1 s = 20 s before


# -- credentials in URLs are never stored ----------------------------------------------------


def test_credentials_in_urls_are_never_stored(prefect_api: str, tmp_path: Path) -> None:
    import duckdb

    from flows.ingest import ingest

    with HostileServer({}) as server:
        port = server.base.rsplit(":", 1)[1]
        moved = f"http://mover:hunter2@127.0.0.1:{port}/news/2"
        server._server.routes.update(
            {
                "/news/1": send(200, _article(1)),
                "/news/2": send(200, _article(2)),
                "/old": send(301, b"", Location=moved),
            }
        )
        db = tmp_path / "w.duckdb"
        ingest(
            sources=[
                {"kind": "url", "location": f"http://alice:s3cret@127.0.0.1:{port}/news/1"},
                {"kind": "url", "location": f"http://127.0.0.1:{port}/old"},
            ],
            db=str(db),
            allow_private_hosts=True,
            fetch={"per_host_delay": 0.0},
        )
        sent = [p for p, _ in server.hits]
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = [
            row[0]
            for sql in (
                "SELECT url FROM articles UNION ALL SELECT canonical_url FROM articles",
                "SELECT url FROM fetch_log UNION ALL SELECT final_url FROM fetch_log",
                "SELECT url FROM http_cache",
            )
            for row in con.execute(sql).fetchall()
        ]
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()
    assert articles == 2 and "/news/1" in sent
    assert stored and not [u for u in stored if u and ("s3cret" in u or "hunter2" in u or "@" in u)]


def test_credentials_in_a_redirect_are_neither_sent_nor_logged() -> None:
    """httpx turns a URL's user:password@ into Basic auth: a redirect must not smuggle it in."""
    authorization: list[str | None] = []

    def article(h: Any) -> None:
        authorization.append(h.headers.get("Authorization"))
        send(200, _article(2))(h)

    with HostileServer({"/news/2": article}) as server:
        port = server.base.rsplit(":", 1)[1]
        server._server.routes.update(
            {
                "/old": send(301, Location=f"http://mover:hunter2@127.0.0.1:{port}/news/2"),
                "/ftp": send(302, Location="ftp://mover:hunter2@127.0.0.1/x"),
            }
        )
        targets = [Target(server.url("/old"), "p"), Target(server.url("/ftp"), "p")]
        pages, log, _ = fetch_batch(targets, settings(), {})

        async def listing() -> tuple[int, bytes | None, str | None]:
            # a feed named in the config: not a Target, fetched through get_cached
            async with Crawler(settings(), archive=False) as crawler:
                return await crawler.get_cached(
                    f"http://alice:s3cret@127.0.0.1:{port}/news/2", source="feed"
                )

        assert run_sync(listing)[0] == 200
    assert authorization == [None, None]
    assert pages[0].body and pages[0].final_url == server.url("/news/2")
    assert pages[1].error and "ftp://127.0.0.1/x" in pages[1].error
    assert not [row for row in log if "hunter2" in json.dumps(row, default=str)]
    assert not [p for p in pages if "hunter2" in f"{p.final_url} {p.error}"]
