"""`pip install .` gives a working `newsflow`: the package declares what it needs.

Slow (a new virtual environment with every dependency), so it is one test. The lock
is the constraint set, as the README tells users to install.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "data", ".prefect-home", "build", "*.egg-info", "__pycache__", ".*cache"
)


def _run(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (cmd, done.stdout[-2000:], done.stderr[-3000:])
    return done


@pytest.mark.slow
@pytest.mark.timeout(2400)  # every dependency into a new venv: 10+ min on a busy machine
def test_pip_install_gives_a_working_newsflow(tmp_path: Path) -> None:
    from deployments.demosite import build_site
    from deployments.demosite.templates import render_article

    source = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(REPO, source, ignore=SKIP)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, 120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, "-c", str(REPO / "requirements.lock"), str(source)], tmp_path, 1500)
    newsflow = str(venv / "bin" / "newsflow")
    assert "extract" in _run([newsflow, "--help"], tmp_path, 120).stdout
    # the word lists are package data: read from the installed package, not the checkout
    check = (
        "from importlib.resources import files; from tasks.enrich import lexicons, taxonomy; "
        "print(files(lexicons), len(lexicons.entries('countries')), len(taxonomy.LEXICONS['de']))"
    )
    where, countries, topics = _run(
        [str(venv / "bin" / "python"), "-c", check], tmp_path, 120
    ).stdout.split()
    assert "site-packages" in where and int(countries) > 150 and int(topics) == 16

    site = build_site(seed=7)
    article = site.articles_at(0)[0]
    page = tmp_path / "page.html"
    page.write_text(render_article(site, site.by_slug[article.outlet], article, 0), "utf-8")
    out = _run([newsflow, "extract", str(page)], tmp_path, 300).stdout
    record = json.loads(out.strip().splitlines()[-1])
    assert record["title"] == article.title
    assert record["entities"]  # the NLP model came with the install
