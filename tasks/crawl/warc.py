"""WARC in and out: the raw archive we write, and archived crawls we read without the network.

Every response we keep is written as a gzipped WARC `response` record (one gzip member per
record, so a record can be read back by seeking to its offset). Bodies are stored decoded, with
Content-Encoding removed and Content-Length fixed, so reprocessing never needs the network or a
decompressor guard. Our own facts about a page (the configured source, hints from discovery, the
URL asked for before redirects) travel in `WARC-Newsflow-*` headers.
"""

from __future__ import annotations

import io
import os
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from records import Page
from tasks.crawl.feeds import parse_date

_DROP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
H_SOURCE = "WARC-Newsflow-Source"
H_REQUESTED = "WARC-Newsflow-Requested-URI"
H_PUBLISHED = "WARC-Newsflow-Published-Hint"
H_TITLE = "WARC-Newsflow-Title-Hint"


class WarcError(ValueError):
    """A WARC file or record that cannot be read."""


# gzip level of the raw archive. warcio compresses at 9, which cost 3.5 ms per 90 KB page
# in the fetch thread; level 1 costs 0.7 ms for a file 25% larger (0.23 of the HTML against
# 0.18, measured on demo pages). The archive is written on every fetch and read only by
# `reprocess`, so speed wins.
ARCHIVE_GZIP_LEVEL = 1


class ArchiveWriter:
    """Appends response records to one new `.warc.gz` file per run (opened on first write)."""

    def __init__(self, directory: str, prefix: str = "newsflow") -> None:
        self.directory = directory
        self.prefix = prefix
        self.path: str | None = None
        self._fh: BinaryIO | None = None
        self.records = 0

    def _open(self) -> BinaryIO:
        if self._fh is None:
            os.makedirs(self.directory, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            self.path = os.path.join(
                self.directory, f"{self.prefix}-{stamp}-{uuid.uuid4().hex[:8]}.warc.gz"
            )
            self._fh = open(self.path, "xb")  # noqa: SIM115 - closed in close()
        return self._fh

    def write(self, page: Page, reason: str = "OK", protocol: str = "HTTP/1.1") -> str:
        """Archive a page with a body; returns "file#offset" of the record."""
        assert page.body is not None
        fh = self._open()
        headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _DROP_HEADERS]
        headers.append(("Content-Length", str(len(page.body))))
        http_headers = StatusAndHeaders(f"{page.status} {reason}", headers, protocol=protocol)
        fetched = page.fetched_at or datetime.now(UTC)
        warc_headers: dict[str, str] = {
            "WARC-Date": fetched.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            H_SOURCE: page.source,
        }
        if page.url != page.final_url:
            warc_headers[H_REQUESTED] = page.url
        if page.published_hint is not None:
            warc_headers[H_PUBLISHED] = page.published_hint.isoformat()
        if page.title_hint:
            warc_headers[H_TITLE] = " ".join(page.title_hint.split())
        raw = io.BytesIO()
        writer = WARCWriter(raw, gzip=False)
        record = writer.create_warc_record(
            page.final_url,
            "response",
            payload=io.BytesIO(page.body),
            length=len(page.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
        # One gzip member per record, so a reader can seek straight to it.
        packer = zlib.compressobj(ARCHIVE_GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        member = packer.compress(raw.getbuffer()) + packer.flush()
        offset = fh.tell()
        fh.write(member)
        fh.flush()
        self.records += 1
        return f"{self.path}#{offset}"

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class ResponseInfo:
    """Header facts about one archived response, read without its body."""

    url: str
    offset: int
    status: int
    content_type: str | None
    record_id: str | None
    digest: str | None
    date: datetime | None


def _content_type(record: Any) -> str | None:
    if record.http_headers is None:
        return None
    value = record.http_headers.get_header("Content-Type")
    return value.split(";", 1)[0].strip().lower() if value else None


def _status(record: Any) -> int:
    try:
        return int(record.http_headers.get_statuscode()) if record.http_headers else 0
    except (TypeError, ValueError):
        return 0


def scan_responses(path: str) -> Iterator[ResponseInfo]:
    """Each HTTP response record in a WARC or WARC.gz file, with its offset, in file order."""
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url:
                    continue
                yield ResponseInfo(
                    url=url.strip("<>"),
                    offset=iterator.get_record_offset(),
                    status=_status(record),
                    content_type=_content_type(record),
                    record_id=record.rec_headers.get_header("WARC-Record-ID"),
                    digest=record.rec_headers.get_header("WARC-Payload-Digest"),
                    date=parse_date(record.rec_headers.get_header("WARC-Date")),
                )
    except (ArchiveLoadFailed, OSError, EOFError) as exc:
        raise WarcError(f"{path}: not a readable WARC file ({exc})") from exc


def split_location(location: str) -> tuple[str, int]:
    path, sep, offset = location.rpartition("#")
    if not sep or not offset.isdigit():
        raise WarcError(f"{location!r} is not 'file.warc.gz#offset'")
    return path, int(offset)


def read_page_at(location: str, max_bytes: int, source: str | None = None) -> Page:
    """The response record at "file#offset" as a Page (body decoded, cut at max_bytes)."""
    path, offset = split_location(location)
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)), None)
            if record is None or record.rec_type != "response":
                raise WarcError(f"{location}: no response record at this offset")
            return _page_from_record(record, max_bytes, source)
    except (ArchiveLoadFailed, OSError, EOFError) as exc:
        raise WarcError(f"{location}: cannot read record ({exc})") from exc


def _page_from_record(record: Any, max_bytes: int, source: str | None) -> Page:
    h = record.rec_headers
    url = (h.get_header("WARC-Target-URI") or "").strip("<>")
    body = record.content_stream().read(max_bytes + 1)
    error = None
    if len(body) > max_bytes:
        body, error = None, f"archived body larger than {max_bytes} bytes"
    headers: dict[str, str] = {}
    if record.http_headers is not None:
        for key, value in record.http_headers.headers:
            headers[key.lower()] = value
    content_type = headers.get("content-type")
    encoding = None
    if content_type and "charset=" in content_type.lower():
        encoding = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    return Page(
        url=h.get_header(H_REQUESTED) or url,
        final_url=url,
        source=h.get_header(H_SOURCE) or source or "warc",
        status=_status(record),
        body=body,
        content_type=content_type.split(";", 1)[0].strip().lower() if content_type else None,
        encoding=encoding or None,
        headers=headers,
        fetched_at=parse_date(h.get_header("WARC-Date")),
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        error=error,
        published_hint=parse_date(h.get_header(H_PUBLISHED)),
        title_hint=h.get_header(H_TITLE),
    )


def read_pages(path: str, max_bytes: int) -> Iterator[Page]:
    """Every response record of one WARC file as a Page, in file order."""
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    yield _page_from_record(record, max_bytes, None)
    except (ArchiveLoadFailed, OSError, EOFError) as exc:
        raise WarcError(f"{path}: not a readable WARC file ({exc})") from exc
