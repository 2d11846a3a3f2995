"""Embedded demo news site: a seeded made-up news world served over real HTTP on 127.0.0.1.

site = build_site(seed=7)                # curated world; build_site(pages=10_000) scales up
with serve(site, edition=0) as running:  # one origin (port) per outlet
    running.feeds, running.sitemaps, running.homepages, running.url_for(article)
"""

from deployments.demosite.content import CATEGORIES
from deployments.demosite.generator import (
    WIRE_AGENCY,
    ArticleTruth,
    DemoSite,
    EntityTruth,
    Journalist,
    Outlet,
    build_site,
)
from deployments.demosite.server import RequestRecord, RunningSite, serve

__all__ = [
    "CATEGORIES",
    "WIRE_AGENCY",
    "ArticleTruth",
    "DemoSite",
    "EntityTruth",
    "Journalist",
    "Outlet",
    "RequestRecord",
    "RunningSite",
    "build_site",
    "serve",
]
