"""Every `newsflow ...` example in README.md and deployments/README.md runs as written.

The examples run one after another, in their order, as the real CLI in a scratch
directory that holds what they name: the demo warehouse at the default path
(`data/newsflow.duckdb`, with its raw archive beside it), a few saved demo pages
(`./saved-pages`, `page.html`), one of the demo's WARC files (`crawl.warc.gz`) and a
sources file at `deployments/sources/feeds.yaml` listing the demo feeds. The one
change made to an example: a placeholder site (`https://example.org`) is the served
demo site, so `--allow-private-hosts` is added to that ingest to reach it on 127.0.0.1.
Each must exit 0 and print something; the read commands must print results, not an
empty answer.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

DOCS = (REPO / "README.md", REPO / "deployments" / "README.md")
COMMANDS = {
    "ingest",
    "demo",
    "reprocess",
    "extract",
    "query",
    "search",
    "export",
    "report",
}
PLACEHOLDER = "https://example.org"


def examples(path: Path) -> list[list[str]]:
    """`newsflow` command lines: in shell blocks, and inline spans that give arguments.

    An inline span naming only a command (`newsflow query`) is a mention, not an example.
    """
    found: list[list[str]] = []
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.strip().startswith("newsflow "):
                found.append(shlex.split(line, comments=True))
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`(newsflow [^`]+)`", prose):
        words = shlex.split(span)
        if len(words) > 2 and words[1] in COMMANDS:
            found.append(words)
    return found


def test_the_docs_have_examples_of_every_read_command() -> None:
    seen = {words[1] for doc in DOCS for words in examples(doc)}
    assert {"ingest", "query", "search", "export", "report", "extract"} <= seen


def _workdir(tmp: Path, warehouse: Path, running: Any) -> dict[str, str]:
    data = tmp / "data"
    data.mkdir()
    shutil.copy(warehouse, data / "newsflow.duckdb")
    shutil.copytree(warehouse.parent / "archive", data / "archive")
    warc = sorted((data / "archive").glob("*.warc.gz"))[0]
    shutil.copy(warc, tmp / "crawl.warc.gz")
    pages = tmp / "saved-pages"
    pages.mkdir()
    first = running.site.outlets[0]
    origin = running.origins[first.slug]
    articles = [a for a in running.site.articles_at(0) if a.outlet == first.slug][:3]
    for k, article in enumerate(articles):
        html = httpx.get(origin + article.path, timeout=30).text
        (pages / f"page{k}.html").write_text(html, encoding="utf-8")
    shutil.copy(pages / "page0.html", tmp / "page.html")
    sources = tmp / "deployments" / "sources"
    sources.mkdir(parents=True)
    lines = ["fetch:", "  per_host_delay: 0.05", "  allow_private_hosts: true", "sources:"]
    lines += [f"  - feed: {url}" for url in running.feeds]
    (sources / "feeds.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {PLACEHOLDER: origin}


def test_every_example_runs_on_the_demo_warehouse(
    demo_warehouse: Path, demo_site: Any, prefect_api: str, tmp_path: Path
) -> None:
    demo_site.set_edition(0)
    sites = _workdir(tmp_path, demo_warehouse, demo_site)
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    env.pop("NEWSFLOW_DB", None)
    cli = str(Path(sys.executable).parent / "newsflow")
    ran = []
    for doc in DOCS:
        for words in examples(doc):
            if words[1] == "demo":
                continue  # the demo warehouse itself is what `newsflow demo` wrote
            args = list(words[1:])
            if words[1] == "ingest" and any(PLACEHOLDER in a for a in args):
                args = [a.replace(PLACEHOLDER, sites[PLACEHOLDER]) for a in args]
                args.append("--allow-private-hosts")
            done = subprocess.run(
                [cli, *args],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            shown = " ".join(words)
            assert done.returncode == 0, f"{shown}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
            assert (done.stdout + done.stderr).strip(), f"{shown} printed nothing"
            if words[1] in ("query", "search"):
                assert "no matching" not in done.stdout and done.stdout.count("\n") >= 2, (
                    f"{shown} found nothing:\n{done.stdout}"
                )
            ran.append(shown)
    assert len(ran) >= 10, ran
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert list((tmp_path / "export").glob("*.parquet"))
