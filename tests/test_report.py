"""The HTML report: self-contained, and not blank when a real browser draws it."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import duckdb
import pytest

from tests.test_warehouse_fixtures import build, build_ready
from warehouse.report import render_report
from warehouse.store import writer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_command(tmp_path: Path, *args: str) -> list[str]:
    """Headless Chromium that reaches nothing outside the page, window 1280x1400."""
    return [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1400",
        *args,
    ]


def _self_contained(page: str) -> None:
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert "@import" not in page and "url(" not in page


def test_report_has_every_section_and_nothing_external(tmp_path: Path) -> None:
    db = build_ready(tmp_path / "w.duckdb")
    out = tmp_path / "out" / "report.html"
    render_report(db, out)
    page = out.read_text(encoding="utf-8")
    _self_contained(page)
    for heading in (
        "Articles over time per outlet",
        "Top entities",
        "Biggest stories",
        "Topic mix",
        "Fetch health and duplicates",
    ):
        assert heading in page
    assert page.count("<svg") >= 3
    assert "Riverton floods" in page and "Maria Lopez" in page and "wire.example.net" in page


def test_report_on_an_empty_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with writer(db):
        pass
    render_report(db, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "no articles yet" in page and "no stories yet" in page


def test_report_reads_an_old_schema_without_writing_it(tmp_path: Path) -> None:
    db = build(tmp_path / "v1.duckdb", version=1)  # no views, no comments: never opened by v2
    render_report(db, tmp_path / "r.html")
    assert "Riverton floods" in (tmp_path / "r.html").read_text(encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(1,)]
    con.close()


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG into rows of raw pixel bytes (enough for a screenshot)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, channels)]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    db = build_ready(tmp_path / "w.duckdb")
    html = tmp_path / "report.html"
    render_report(db, html)
    shot = tmp_path / "report.png"
    subprocess.run(
        chromium_command(tmp_path, f"--screenshot={shot}", html.as_uri()),
        check=True,
        capture_output=True,
        timeout=120,
    )
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1400)
    colours = set(pixels)
    assert len(colours) > 50, "screenshot is (nearly) one colour: the report did not draw"
    # the chart colours are actually on screen, not just somewhere in the HTML
    palette = {bytes.fromhex(c) for c in ("2f6fd6", "f28e2b", "59a14f")}
    assert palette <= colours
    non_background = sum(1 for p in pixels if p not in (b"\xf6\xf7\xf9", b"\xff\xff\xff"))
    assert non_background > 0.05 * len(pixels)
