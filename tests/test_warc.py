"""The raw archive: fetched responses written as WARC, read back without the network."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from records import Target
from tasks.crawl.discover import Source, discover
from tasks.crawl.fetch import FetchSettings, fetch_batch, read_archive
from tests.faultserver import FaultServer, SiteConfig

FAST = FetchSettings(allow_private_hosts=True, per_host_delay=0.0, max_attempts=1)


def test_archive_round_trip_and_offline_reingest(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    settings = dataclasses.replace(FAST, archive_dir=str(archive))
    hint = datetime(2025, 3, 4, 10, tzinfo=UTC)
    with FaultServer(SiteConfig(gzip_pages=True)) as s:
        targets = [
            Target(s.url("/page/1"), "feed-a", published_hint=hint, title_hint="Première"),
            Target(s.url("/chain/1"), "feed-a"),
            Target(s.url("/doc.pdf"), "feed-a"),  # refused: not archived
        ]
        pages, _, _ = fetch_batch(targets, settings, {})
    files = sorted(archive.iterdir())
    assert len(files) == 1 and files[0].name.endswith(".warc.gz")

    archived = list(read_archive(str(archive)))
    assert [(p.url, p.final_url) for p in archived] == [(p.url, p.final_url) for p in pages[:2]]
    for old, new in zip(pages[:2], archived, strict=True):
        assert new.body == old.body and new.source == "feed-a" and new.status == 200
        assert new.content_type == "text/html" and new.encoding == "utf-8"
        assert "content-encoding" not in new.headers  # stored decoded
    assert archived[0].published_hint == hint and archived[0].title_hint == "Première"

    # the archive is itself a source: discovered and fetched with no network at all
    targets, _ = discover([Source("warc", str(files[0]))], FAST)
    assert [t.url for t in targets] == [p.final_url for p in pages[:2]]
    assert all(t.path and "#" in t.path for t in targets)
    offline = dataclasses.replace(FAST, allow_private_hosts=False)  # any request would fail
    again, log, _ = fetch_batch(targets, offline, {})
    assert [p.body for p in again] == [p.body for p in pages[:2]]
    assert all(r["kind"] == "local" and r["outcome"] == "ok" for r in log)
    # and a second offline pass with the stored validators costs no processing
    validators = {p.url: (p.etag, p.last_modified) for p in again}
    third, _, _ = fetch_batch(targets, offline, validators)
    assert all(p.unchanged and p.body is None for p in third)


def test_external_warc_keeps_html_responses_only(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, status, body in [
            ("https://n.example/a", "text/html; charset=utf-8", "200 OK", b"<html>a</html>"),
            ("https://n.example/b.png", "image/png", "200 OK", b"\x89PNG"),
            ("https://n.example/c", "text/html", "404 Not Found", b"<html>gone</html>"),
            ("https://n.example/d", "text/html", "200 OK", b"<html>d</html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=BytesIO(body), http_headers=headers
                )
            )
    targets, _ = discover([Source("warc", str(path), name="cc")], FAST)
    assert [t.url for t in targets] == ["https://n.example/a", "https://n.example/d"]
    pages, _, _ = fetch_batch(targets, FAST, {})
    assert [p.body for p in pages] == [b"<html>a</html>", b"<html>d</html>"]
    assert pages[0].encoding == "utf-8" and pages[0].source == "cc"
