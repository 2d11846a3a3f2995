"""Smoke test of the end-to-end benchmark harness on a tiny corpus (no timing asserted).

The harness drives real processes (demo site, `newsflow ingest` CLI, trafilatura loop),
so this checks that every piece runs and the table has its rows and verdicts; the
speed and memory figures themselves are only printed by `make bench`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench import pipeline


def test_row_inserts_found_only_when_rows_go_one_by_one() -> None:
    source = (
        "for r in rows:\n"
        "    con.execute('INSERT INTO t VALUES (?, ?)', r)\n"
        "con.execute('INSERT INTO runs VALUES (?)', [run_id])\n"
        "con.executemany('INSERT INTO t VALUES (?)', rows)\n"
        "[con.execute(f'INSERT INTO {t} VALUES (?)', [v]) for v in vs]\n"
        "con.execute('INSERT INTO t SELECT * FROM batch')\n"
    )
    assert pipeline.row_inserts(source) == [2, 4, 5]


def test_stage_shares_sum_to_one() -> None:
    summary = {
        "stages": [
            {"stage": "fetch", "seconds": 3.0},
            {"stage": "clean", "seconds": 5.0},
            {"stage": "orchestration", "seconds": 2.0},
        ]
    }
    shares = pipeline.stage_shares(summary)
    assert shares == pytest.approx({"fetch": 0.3, "clean": 0.5, "orchestration": 0.2})


@pytest.mark.timeout(600)
def test_harness_produces_its_table_on_a_tiny_corpus(prefect_api: str, tmp_path: Path) -> None:
    results, startup = pipeline.run_benchmark(
        [120], baseline_max=30, api_url=prefect_api, workdir=tmp_path, quiet=True
    )
    (result,) = results
    # The first run fetched every listed article; the re-run found them all unchanged.
    assert result.first.pages >= 120
    assert result.first.stats["pages_fetched"] >= 120
    assert result.rerun.stats["pages_unchanged"] >= 120
    assert result.rerun.stats["pages_fetched"] == 0
    assert result.first.rows_written > result.first.pages
    assert result.baseline.pages == len(range(0, result.baseline_listed, result.baseline_every))
    assert result.baseline.stats["extracted"] == result.baseline.pages
    # Timed before and after newsflow's runs; the rate is that of the mean time.
    before, after = result.baseline.stats["rates"]
    assert min(before, after) <= result.baseline.rate <= max(before, after)
    assert result.first.peak_rss > 0 and result.baseline.peak_rss > 0
    assert {"fetch", "clean", "load", "orchestration"} <= set(result.first.shares)
    assert sum(result.first.shares.values()) == pytest.approx(1.0)

    text = pipeline.report(results, startup)
    rows = pipeline.table_rows(results)
    assert [r["pages"] for r in rows] == ["120"]
    assert rows[0]["ratio"].endswith(("PASS", "FAIL"))
    assert rows[0]["re-run/first"].endswith(("PASS", "FAIL"))
    for heading in ("newsflow p/s", "trafilatura p/s", "Stage shares", "bulk warehouse loading"):
        assert heading in text
    assert len(pipeline.share_rows(results)) == 2  # first run and re-run
