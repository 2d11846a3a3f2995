"""The `newsflow` command line.

Every user mistake ends as one line on stderr saying what is wrong and what to
do, with exit status 2 (usage) or 1 (the run or the warehouse failed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from warehouse.store import DEFAULT_DB


class CliError(Exception):
    """A problem with what the user asked for; printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _add_db(p: argparse.ArgumentParser, *, from_config: bool = False) -> None:
    where = ", then the config's db" if from_config else ""
    p.add_argument(
        "--db",
        default=None,  # resolved in main(): $NEWSFLOW_DB comes from the settings
        help=f"warehouse: a DuckDB file or ducklake:sqlite:CATALOG or ducklake:postgres:"
        f"'CONNECTION data_path=DIR' (default: $NEWSFLOW_DB{where}, then {DEFAULT_DB})",
    )


def package_version() -> str:
    """The installed distribution's version (pyproject.toml), without importing anything heavy."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsflow")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed; run `make install`)"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsflow", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="fetch sources and load them into the warehouse")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="RSS/Atom/JSON feed")
    p.add_argument("--sitemap", action="append", default=[], metavar="URL", help="sitemap or index")
    p.add_argument(
        "--homepage",
        action="append",
        default=[],
        metavar="URL",
        help="homepage whose <link rel=alternate> feeds are discovered",
    )
    p.add_argument("--url", action="append", default=[], metavar="URL", help="a single page")
    p.add_argument("--urls", action="append", default=[], metavar="FILE", help="file of URLs")
    p.add_argument(
        "--dir",
        action="append",
        default=[],
        metavar="PATH",
        help="directory of .html/.html.gz files (no network)",
    )
    p.add_argument(
        "--warc",
        action="append",
        default=[],
        metavar="FILE",
        help="WARC/WARC.gz file of archived responses (no network)",
    )
    p.add_argument("--config", metavar="FILE", help="sources config (YAML or TOML)")
    p.add_argument(
        "--allow-private-hosts",
        action="store_true",
        help="allow fetching loopback/private addresses (local sites, tests)",
    )
    p.add_argument("--batch-size", type=int, metavar="N", help="pages per batch")
    p.add_argument(
        "--max-pages",
        type=int,
        metavar="N",
        help="at most N pages from each source given on the command line",
    )
    p.add_argument(
        "--follow-links",
        type=int,
        metavar="DEPTH",
        help="also fetch same-site links, DEPTH steps from each listed page (default 0)",
    )
    p.add_argument(
        "--since",
        metavar="DATE",
        help="skip listed pages dated before DATE (YYYY-MM-DD; undated pages are kept)",
    )
    _add_db(p, from_config=True)

    p = sub.add_parser("demo", help="serve the embedded demo news site and ingest it")
    _add_db(p)

    p = sub.add_parser("reprocess", help="re-run clean..load from the raw WARC archive")
    p.add_argument("--archive", metavar="DIR", help="archive directory (default: beside the db)")
    _add_db(p)

    p = sub.add_parser("extract", help="clean+enrich local HTML files, print JSON lines")
    p.add_argument("paths", nargs="*", metavar="PATH", help=".html or .html.gz files")
    p.add_argument("--url", help="the URL the page was served from (one PATH only)")
    p.add_argument("--batch", metavar="FILE.jsonl", help='lines of {"path": ..., "url": ...}')
    p.add_argument("--no-topics", action="store_true", help="skip entities/keywords/topics")

    p = sub.add_parser("query", help="run SQL against the warehouse")
    p.add_argument("sql")
    p.add_argument(
        "--format",
        choices=["table", "line", "csv", "json", "parquet"],
        default="table",
        help="table (the line format when too wide), line (one field per line), csv, json, parquet",
    )
    p.add_argument("--out", metavar="FILE", help="write to a file (required for parquet)")
    p.add_argument(
        "--as-of",
        metavar="RUN_ID",
        help="read a DuckLake warehouse as run RUN_ID left it (time travel)",
    )
    _add_db(p)

    p = sub.add_parser("search", help="full-text search over titles and text")
    p.add_argument("terms")
    p.add_argument("--since", metavar="DATE", help="only articles published on/after YYYY-MM-DD")
    p.add_argument("--source", metavar="HOST", help="only this outlet host")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument(
        "--include-duplicates",
        action="store_true",
        help="also list syndicated copies and other duplicates",
    )
    _add_db(p)

    p = sub.add_parser("export", help="export the warehouse as Parquet")
    p.add_argument("--parquet", metavar="DIR", required=True, help="output directory")
    _add_db(p)

    p = sub.add_parser("report", help="write a self-contained HTML report")
    p.add_argument("--out", metavar="FILE.html", required=True)
    _add_db(p)

    p = sub.add_parser(
        "compact", help="merge a DuckLake warehouse's small Parquet files (a file: checkpoint)"
    )
    _add_db(p)
    return parser


def _ingest(args: argparse.Namespace) -> int:
    from flows.ingest import ingest
    from tasks.config import ConfigError

    sources: list[dict[str, Any]] = []
    for kind, values in (
        ("feed", args.feed),
        ("sitemap", args.sitemap),
        ("homepage", args.homepage),
        ("url", args.url),
        ("urls_file", args.urls),
        ("dir", args.dir),
        ("warc", args.warc),
    ):
        sources += [{"kind": kind, "location": v} for v in values]
    if not sources and not args.config:
        raise CliError(
            "nothing to ingest: give --feed, --sitemap, --url, --urls, --dir, --warc or --config"
        )
    if args.batch_size is not None and args.batch_size < 1:
        raise CliError("--batch-size must be at least 1")
    if args.max_pages is not None and args.max_pages < 1:
        raise CliError("--max-pages must be at least 1")
    if args.follow_links is not None and args.follow_links < 0:
        raise CliError("--follow-links must be 0 or more")
    for spec in sources:
        if args.max_pages is not None:
            spec["max_pages"] = args.max_pages
        if args.follow_links is not None:
            spec["follow_links"] = args.follow_links
    # Validate everything before starting Prefect, so mistakes cost no server start.
    from flows.ingest import resolve_config
    from warehouse.store import check_warehouse, check_writable

    try:
        cfg = resolve_config(
            args.config,
            sources,
            args.db,
            args.allow_private_hosts,
            args.batch_size,
            since=args.since,
            settings=args.settings,
        )
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    check_writable(cfg.db)
    check_warehouse(cfg.db)
    from flows.progress import cli_progress

    with cli_progress("ingest"):
        state = ingest(
            sources=sources,
            config=args.config,
            db=args.db,
            allow_private_hosts=args.allow_private_hosts,
            batch_size=args.batch_size,
            since=args.since,
            return_state=True,
        )
    return _finish_ingest(state)


def _finish_ingest(state: Any) -> int:
    """The run's summary, then its state message (a partial failure) as one line; a failed
    run's exception is raised again, as the flow called without `return_state` would."""
    from flows.ingest import SourcesFailed
    from flows.summary import print_run_summary

    result = state.result(raise_on_failure=False)
    if isinstance(result, SourcesFailed) and result.summary:
        print_run_summary(result.summary)
    if isinstance(result, BaseException):  # said in one line by main(), like other commands
        raise result
    print_run_summary(result)
    if state.message:
        sys.stderr.write(f"newsflow ingest: warning: {state.message}\n")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo
    from flows.progress import cli_progress

    with cli_progress("demo"):
        run_demo(args.db)
    return 0


def _reprocess(args: argparse.Namespace) -> int:
    from flows.reprocess import reprocess
    from flows.summary import print_run_summary

    summary = reprocess(db=args.db, archive=args.archive)
    print_run_summary(summary)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from flows.extract import extract_items

    items: list[dict[str, Any]] = []
    if args.batch:
        if args.paths or args.url:
            raise CliError("--batch takes no PATH or --url; put them in the JSONL file")
        try:
            lines = Path(args.batch).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CliError(f"cannot read {args.batch}: {exc.strerror}") from exc
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CliError(f"{args.batch}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(item, dict) or "path" not in item:
                raise CliError(f'{args.batch}:{number}: expected {{"path": ..., "url": ...}}')
            items.append({"path": str(item["path"]), "url": item.get("url")})
    else:
        if not args.paths:
            raise CliError("give one or more .html/.html.gz PATHs or --batch FILE.jsonl")
        if args.url and len(args.paths) > 1:
            raise CliError("--url names one page; give one PATH with it or use --batch")
        for path in args.paths:  # a PATH typed at the prompt that is not there is a mistake
            if not Path(path).is_file():
                what = "is a directory" if Path(path).is_dir() else "no such file"
                raise CliError(f"cannot read {path}: {what}; give .html/.html.gz files")
        items = [{"path": p, "url": args.url} for p in args.paths]
    for record in extract_items(items, topics=not args.no_topics, settings=args.settings):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _query(args: argparse.Namespace) -> int:
    from warehouse.query import run_query

    if args.format == "parquet" and not args.out:
        raise CliError("--format parquet needs --out FILE.parquet")
    if not args.sql.strip().strip(";").strip():
        raise CliError("no SQL given; e.g. newsflow query 'SELECT count(*) FROM articles'")
    settings = args.settings
    text = run_query(
        args.db,
        args.sql,
        args.format,
        args.out,
        as_of=args.as_of,
        seconds=settings.query_seconds,
        memory=settings.query_memory,
    )
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _search(args: argparse.Namespace) -> int:
    from warehouse.search import format_results, search

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    hits = search(
        args.db,
        args.terms,
        since=args.since,
        source=args.source,
        limit=args.limit,
        include_duplicates=args.include_duplicates,
        seconds=args.settings.query_seconds,
        memory=args.settings.query_memory,
    )
    sys.stdout.write(format_results(hits, args.format))
    return 0


def _export(args: argparse.Namespace) -> int:
    from warehouse.export import export_parquet

    result = export_parquet(args.db, args.parquet)
    print(json.dumps(result, default=str))
    return 0


def _report(args: argparse.Namespace) -> int:
    from warehouse.report import render_report

    render_report(args.db, args.out)
    print(f"report written to {args.out}")
    return 0


def _compact(args: argparse.Namespace) -> int:
    from flows.locking import warehouse_lock
    from warehouse.maintenance import compact

    with warehouse_lock(args.db):
        result = compact(args.db, memory=args.settings.duckdb_memory)
    print(json.dumps(result, default=str))
    return 0


COMMANDS = {
    "ingest": _ingest,
    "demo": _demo,
    "reprocess": _reprocess,
    "extract": _extract,
    "query": _query,
    "search": _search,
    "export": _export,
    "report": _report,
    "compact": _compact,
}


def _loaded(module: str, name: str) -> tuple[type[BaseException], ...]:
    """An error class, if its module is loaded already: a read command must not import the
    config (and through it Prefect, ~3 s of CPU) just to name an error it cannot raise."""
    loaded = sys.modules.get(module)
    return (getattr(loaded, name),) if loaded else ()


def _usage_errors() -> tuple[type[BaseException], ...]:
    return (
        CliError,
        *_loaded("tasks.config", "ConfigError"),
        *_loaded("flows.settings", "SettingsError"),
    )


def _run_errors() -> tuple[type[BaseException], ...]:
    from warehouse.store import WarehouseError

    return (WarehouseError, *_loaded("flows.ingest", "SourcesFailed"))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from flows.prefect_env import prepare_environment, startup_failure

    prepare_environment()
    try:
        from flows.settings import from_environment

        # The environment's settings, checked before anything starts; the runs read them
        # again when they start (a deployment runs a flow without this command).
        args.settings = from_environment()
        if getattr(args, "db", "") is None and args.command != "ingest":
            args.db = args.settings.db or DEFAULT_DB  # ingest: flag, env, config, default
        if args.command in ("ingest", "demo", "reprocess"):
            from flows.quiet import quiet_console_tracebacks

            quiet_console_tracebacks()
        return COMMANDS[args.command](args)
    except _usage_errors() as exc:
        sys.stderr.write(f"newsflow {args.command}: error: {exc}\n")
        return 2
    except _run_errors() as exc:
        sys.stderr.write(f"newsflow {args.command}: error: {exc}\n")
        return 1
    except Exception as exc:  # e.g. a stage failing inside a run: its logs keep the traceback
        from flows.quiet import debug, first_line

        line = startup_failure(exc) if isinstance(exc, RuntimeError) else None
        if line is None:
            if debug():
                raise
            line = first_line(exc, 500)  # a failed stage's says what to do already
            if not isinstance(exc, _loaded("flows.runners", "StageFailed")):
                line = f"{type(exc).__name__}: {line}"
            line += " (NEWSFLOW_DEBUG=1 prints the traceback)"
        sys.stderr.write(f"newsflow {args.command}: error: {line}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(
            "newsflow: interrupted; finished batches are committed, run again to resume\n"
        )
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
