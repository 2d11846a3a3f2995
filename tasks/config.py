"""Run configuration: sources, fetch settings and batching, from flags or a file.

A sources file is YAML (`.yaml`/`.yml`) or TOML (`.toml`):

    db: data/newsflow.duckdb
    batch_size: 400
    sources:
      - feed: https://example.org/rss.xml
      - sitemap: https://example.org/sitemap.xml
        name: example
      - homepage: https://example.net/      # feed autodiscovery
      - urls_file: lists/today.txt
      - dir: archive/html
      - warc: crawl.warc.gz
      - homepage: https://example.com/
        follow_links: 1                     # same-site links one step from each page
        max_pages: 200                      # at most this many pages from this source
    since: 2026-03-01                       # skip listed pages dated earlier
    fetch:
      per_host_delay: 1.0
      user_agent: "newsflow/0.1 (+https://example.org/bot)"

Every mistake is reported as a `ConfigError` with one line naming the file, the
key and what to do, because the CLI prints exactly that line.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tasks.crawl.discover import Source
from tasks.crawl.fetch import FetchSettings
from warehouse.store import DEFAULT_DB

SOURCE_KINDS = ("feed", "sitemap", "url", "urls_file", "dir", "warc", "homepage")


class ConfigError(ValueError):
    """A wrong flag or config value; the message is one line saying what to do."""


@dataclass
class PipelineConfig:
    sources: list[Source] = field(default_factory=list)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    db: str = DEFAULT_DB
    # Pages per batch. A batch costs a fixed amount besides its pages: eight Prefect task
    # runs (~15 ms each here, plus the server's share), a commit, and the warehouse reads
    # that look at every stored article (candidate stories, the dedup index's rows). At
    # 200 pages that fixed part came to a fifth of the time once the warehouse held
    # 40,000 articles: 6,000 more pages took 107 s in 200-page batches and 82 s in
    # 400-page ones. A batch in flight holds ~40 MB of pages at 100 KB a page.
    batch_size: int = 400
    # Worker processes for the per-page work of clean and enrich; None = one per core
    # ($NEWSFLOW_WORKERS overrides), 0 = everything in the flow's process.
    workers: int | None = None
    # Discovery drops listed pages whose feed/sitemap date is older (undated ones are kept).
    since: datetime | None = None


def parse_since(value: object, where: str) -> datetime | None:
    """A day (2026-03-01, midnight UTC) or an ISO 8601 time; None/empty means no filter."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ConfigError(
                f"{where} {value!r} is not a date; give YYYY-MM-DD or an ISO 8601 time"
            ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_url(url: str, what: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise ConfigError(
            f"{what} {url!r} is not a valid URL ({exc}); give a full URL like https://host/path"
        ) from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{what} {url!r} is not an http(s) URL; give a full URL like https://host/path"
        )
    return url


def make_source(kind: str, location: str, **options: Any) -> Source:
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}")
    if kind in ("feed", "sitemap", "url", "homepage"):
        check_url(location, f"{kind} URL")
    elif not Path(location).exists():
        raise ConfigError(f"{kind} path {location} does not exist; check the path")
    try:
        return Source(kind=kind, location=location, **options)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ConfigError(f"bad options for {kind} source {location}: {exc}") from exc


def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read config {path}: {exc.strerror}; check the --config path"
        ) from exc
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = yaml.safe_load(raw) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"config {path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {first}"
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config {path} must be a mapping with keys like sources, fetch, db")
    return data


def fetch_settings(
    values: dict[str, Any], where: str, base: FetchSettings | None = None
) -> FetchSettings:
    """FetchSettings from a mapping, checked key by key; `base` supplies the other fields."""
    known = {f.name: f for f in dataclasses.fields(FetchSettings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r} in {where}; known keys: {', '.join(sorted(known))}"
        )
    defaults = FetchSettings()
    for key, value in values.items():
        default = getattr(defaults, key)
        if isinstance(default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{where}.{key} must be true or false, not {value!r}")
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}.{key} must be a number, not {value!r}")
            if value < 0:
                raise ConfigError(f"{where}.{key} must not be negative, got {value}")
            if not math.isfinite(value):
                raise ConfigError(f"{where}.{key} must be a finite number, not {value}")
    merged = dataclasses.asdict(base) if base else {}
    merged.update(values)
    try:
        return FetchSettings(**merged)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad {where}: {exc}") from exc


def load_config(path: str | Path) -> PipelineConfig:
    path = Path(path)
    data = _read_file(path)
    allowed = {"sources", "fetch", "db", "batch_size", "workers", "since"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r} in {path}; allowed: {', '.join(sorted(allowed))}"
        )
    cfg = PipelineConfig()
    base = path.parent
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        raise ConfigError(f"{path}: sources must be a list of entries like {{feed: URL}}")
    if not isinstance(data.get("fetch") or {}, dict):
        raise ConfigError(f"{path}: fetch must be a mapping of fetch settings")
    for i, entry in enumerate(sources):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: sources[{i}] must be a mapping like {{feed: URL}}")
        kinds = [k for k in entry if k in SOURCE_KINDS]
        if len(kinds) != 1:
            raise ConfigError(
                f"{path}: sources[{i}] needs exactly one of {', '.join(SOURCE_KINDS)}"
            )
        kind = kinds[0]
        location = str(entry[kind])
        if kind in ("urls_file", "dir", "warc") and not Path(location).is_absolute():
            location = str(base / location)
        options = {k: v for k, v in entry.items() if k != kind}
        cfg.sources.append(make_source(kind, location, **options))
    cfg.fetch = fetch_settings(dict(data.get("fetch") or {}), f"{path}: fetch")
    if "db" in data:
        cfg.db = str(data["db"])
    cfg.since = parse_since(data.get("since"), f"{path}: since")
    for key in ("batch_size", "workers"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{path}: {key} must be a non-negative integer, not {value!r}")
            setattr(cfg, key, value)
    if cfg.batch_size < 1:
        raise ConfigError(f"{path}: batch_size must be at least 1")
    return cfg
