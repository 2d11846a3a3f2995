"""`python -m deployments.demosite serve|truth|bench`: run the demo site, dump truth, time it."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from deployments.demosite import build_site, serve
from deployments.demosite import templates as T


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deployments.demosite")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name, help_ in (
        ("serve", "serve the site on 127.0.0.1 until interrupted"),
        ("truth", "print the ground truth as JSON lines"),
        ("bench", "time page rendering and report page sizes"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--pages", type=int, default=None, help="scale mode: total articles")
        p.add_argument("--outlets", type=int, default=None)
        p.add_argument("--edition", type=int, default=0)
        if name == "serve":
            p.add_argument("--port", type=int, default=0, help="first port (outlet k: port+k)")
    args = ap.parse_args(argv)
    site = build_site(args.seed, outlets=args.outlets, pages=args.pages)
    if args.cmd == "truth":
        for a in site.articles_at(args.edition):
            sys.stdout.write(json.dumps(a.as_dict(), ensure_ascii=False) + "\n")
        return 0
    if args.cmd == "bench":
        return _bench(site, args.edition)
    with serve(site, args.edition, port=args.port) as running:
        for o in site.outlets:
            base = running.origins[o.slug]
            print(f"{o.name:28} {base}/  feed {base}{o.feed_path}  sitemap {base}/sitemap.xml")
        print(
            f"{len(site.articles_at(args.edition))} articles, edition {args.edition}; Ctrl-C stops"
        )
        sys.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def _bench(site: object, edition: int) -> int:
    from deployments.demosite.generator import DemoSite

    assert isinstance(site, DemoSite)
    picks = [
        (o, i)
        for o in site.outlets
        for i in range(0, site.article_count(o.index, edition), 1 + len(site.articles) // 300)
    ]
    sizes: list[int] = []
    t0 = time.perf_counter()
    for o, i in picks:
        a = site.article(o.index, i, edition)
        sizes.append(len(T.render_article(site, o, a, edition).encode()))
    cold = (time.perf_counter() - t0) / len(picks) * 1000
    t0 = time.perf_counter()
    for o, i in picks:
        T.render_article(site, o, site.article(o.index, i, edition), edition)
    warm = (time.perf_counter() - t0) / len(picks) * 1000
    print(f"{'pages rendered':28}{len(picks):>10}")
    print(f"{'ms/page (cold caches)':28}{cold:>10.2f}")
    print(f"{'ms/page (warm caches)':28}{warm:>10.2f}")
    kb = [s / 1024 for s in sizes]
    print(
        f"{'page KB min/median/max':28}{min(kb):>6.0f}{statistics.median(kb):>6.0f}{max(kb):>6.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
