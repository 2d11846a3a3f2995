"""The report as Chromium draws it: fetch health per outlet once, labels inside their charts.

The report itself has no script; for the check a copy gets one that measures every
chart label where the browser laid it out (getBBox against the SVG's viewBox) and
writes what it found into the page, which `--dump-dom` prints.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.test_report import chromium_command
from tests.test_warehouse_fixtures import build_ready
from warehouse.report import render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium not installed (apt-get install chromium)"
    ),
]

_MEASURE = """<script>
addEventListener('load', () => {
  const out = {clipped: [], labels: 0, health: []};
  for (const svg of document.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (!t.textContent.trim()) continue;
      out.labels++;
      if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5)
        out.clipped.push([t.textContent, b.x, b.width, vb.width]);
    }
  }
  const sections = [...document.querySelectorAll('section')];
  const health = sections.find(s => s.querySelector('h2').textContent.startsWith('Fetch health'));
  for (const tr of health.querySelectorAll('tr')) {
    const cells = [...tr.querySelectorAll('td')].map(td => td.innerText.trim());
    if (cells.length) out.health.push(cells);
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def measure(html: Path, tmp_path: Path) -> dict:
    page = html.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>")
    probe = tmp_path / "probe.html"
    probe.write_text(page, encoding="utf-8")
    done = subprocess.run(
        chromium_command(tmp_path, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_long_entity_names_are_not_clipped(tmp_path: Path) -> None:
    db = build_ready(tmp_path / "w.duckdb")
    con = duckdb.connect(str(db))
    article = con.execute("SELECT article_id FROM articles WHERE duplicate_of IS NULL").fetchall()
    for name in (
        "International Monetary Fund Executive Board",
        "WWWW Mmmm Wide Glyph Holdings Group",
        "Ministry of Foreign Affairs of the Republic of Moldova",
    ):
        con.executemany(
            "INSERT INTO article_entities VALUES (?, ?, 'ORG', 3)", [[a, name] for (a,) in article]
        )
    con.close()
    html = tmp_path / "report.html"
    render_report(db, html)
    seen = measure(html, tmp_path)
    assert seen["labels"] > 20
    assert seen["clipped"] == []


def test_fetch_health_lists_each_demo_outlet_once(demo_warehouse: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    render_report(demo_warehouse, html)
    seen = measure(html, tmp_path)
    outlets = [row[0] for row in seen["health"]]
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    sources = {s for (s,) in con.execute("SELECT DISTINCT source FROM articles").fetchall()}
    con.close()
    assert len(outlets) == len(set(outlets)), outlets
    assert set(outlets) == sources, outlets
    # Every outlet's row has both its requests and its articles (columns 2 and 6).
    for row in seen["health"]:
        requests, articles = int(row[1].replace(",", "")), int(row[5].replace(",", ""))
        assert requests > 0 and articles > 0, row
    assert seen["clipped"] == []
