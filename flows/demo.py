"""The demo: serve the embedded news site on 127.0.0.1 and ingest it, twice.

The first run ingests the site's first edition through its feeds and sitemaps; the
second serves the next edition (some articles updated in place, some new) and
shows what a scheduled re-run costs: conditional requests, only changes processed.
The site is ours and local, so politeness is relaxed to 20 requests/s per outlet.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from deployments.demosite import build_site, serve
from flows.artifacts import publish_demo_summary
from flows.ingest import ingest
from flows.runlogs import newsflow_logs_to_run
from warehouse.store import DEFAULT_DB

DEMO_SEED = 7
# Our own loopback server: no need for the 1 request/s that real outlets get.
DEMO_FETCH = {"per_host_delay": 0.05, "per_host_concurrency": 2}


@flow(name="demo", log_prints=False)
def demo(db: str = DEFAULT_DB, seed: int = DEMO_SEED, editions: int = 2) -> list[dict[str, Any]]:
    """Serve the demo site and ingest `editions` successive editions of it into `db`."""
    logger = get_run_logger()
    site = build_site(seed=seed)
    summaries = []
    with newsflow_logs_to_run(), serve(site, edition=0) as running:
        sources = [{"kind": "feed", "location": url} for url in running.feeds]
        sources += [{"kind": "sitemap", "location": url} for url in running.sitemaps]
        for edition in range(editions):
            running.set_edition(edition)
            logger.info("demo site edition %d on %s", edition, ", ".join(running.homepages))
            summaries.append(
                ingest(sources=sources, db=db, allow_private_hosts=True, fetch=DEMO_FETCH)
            )
    publish_demo_summary(summaries, db)
    return summaries


def run_demo(db: str) -> list[dict[str, Any]]:
    """`newsflow demo`: run the flow, then show what landed and what to try next."""
    from rich.console import Console

    from flows.summary import print_run_summary, print_warehouse_overview

    console = Console()
    summaries = demo(db=db)
    for label, summary in zip(("first run", "next edition"), summaries, strict=False):
        console.rule(label)
        print_run_summary(summary, console)
    console.rule(f"warehouse {db}")
    print_warehouse_overview(db, console)
    console.print(
        "\nTry next:\n"
        f'  .venv/bin/newsflow query --db {db} "SELECT * FROM daily_articles_per_source"\n'
        f'  .venv/bin/newsflow search --db {db} "election"\n'
        f"  .venv/bin/newsflow report --db {db} --out report.html\n"
        f"  .venv/bin/newsflow export --db {db} --parquet export/\n"
        "  make serve   # Prefect UI with scheduled deployments"
    )
    return summaries
