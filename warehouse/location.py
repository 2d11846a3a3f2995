"""Where the warehouse lives: a DuckDB file (the default) or a DuckLake.

`--db` takes either a file path or a DuckLake location:

* `data/newsflow.duckdb`: one DuckDB file. Runs write a private working copy beside it
  and publish the file atomically after every committed batch (warehouse/store.py), so
  readers open it at any moment.
* `ducklake:sqlite:data/catalog.sqlite`: a DuckLake whose catalog is a SQLite file and
  whose tables are Parquet files in `data/catalog.sqlite.files/`. One writer at a time
  (SQLite's own lock), readers at any moment, time travel by snapshot.
* `ducklake:postgres:dbname=news host=127.0.0.1 port=5432 data_path=/srv/lake`: a
  DuckLake catalogued in PostgreSQL (a libpq connection string; `data_path` is ours and
  required: where the Parquet files go). Several writers at once.

A lake's archive, crawl cache and lock files go beside the catalog file (SQLite) or
beside the data directory (PostgreSQL).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

PREFIX = "ducklake:"
_DATA_PATH = re.compile(r"(?:^|\s)data_path=(\S+)")


class LocationError(ValueError):
    """A --db value that names no warehouse; the message is one line."""


@dataclass(frozen=True)
class Location:
    text: str
    kind: Literal["file", "lake"]
    path: Path | None = None  # the file, or a SQLite catalog
    catalog: Literal["sqlite", "postgres"] | None = None
    dsn: str | None = None  # PostgreSQL connection string, without data_path
    data_path: Path | None = None

    @property
    def is_lake(self) -> bool:
        return self.kind == "lake"

    @property
    def multi_writer(self) -> bool:
        """Whether several runs may write at once (a server catalog)."""
        return self.catalog == "postgres"

    @property
    def home(self) -> Path:
        """The directory for the archive, the crawl cache and lock files."""
        if self.path is not None:
            return self.path.parent
        assert self.data_path is not None
        return self.data_path.parent

    @property
    def name(self) -> str:
        """The catalog name a connection gives the warehouse (what `USE` selects)."""
        stem = self.path.stem if self.path is not None else "lake"
        stem = re.sub(r"[^A-Za-z0-9_]", "_", stem) or "warehouse"
        if stem.lower() in ("memory", "system", "temp", "main"):
            return "warehouse"
        return stem

    @property
    def lock_key(self) -> str:
        """What names this warehouse in locks: a resolved path or the catalog string."""
        if self.path is not None:
            return str(self.path.expanduser().resolve())
        return f"{self.catalog}:{self.dsn}"

    def attach_target(self) -> str:
        """The string DuckDB's ATTACH takes for a lake."""
        if self.catalog == "sqlite":
            return f"ducklake:sqlite:{self.path}"
        return f"ducklake:postgres:{self.dsn}"

    def exists(self) -> bool:
        """Whether there is anything to read yet (a server catalog is assumed to)."""
        if self.kind == "file" or self.catalog == "sqlite":
            assert self.path is not None
            return self.path.exists()
        return True

    def __str__(self) -> str:
        return self.text


def parse(db: str | os.PathLike[str] | Location) -> Location:
    """The location a --db value names; LocationError says what is wrong with it."""
    if isinstance(db, Location):
        return db
    text = os.fspath(db)
    if not text.startswith(PREFIX):
        return Location(text, "file", path=Path(text))
    rest = text[len(PREFIX) :]
    catalog, sep, target = rest.partition(":")
    if not sep or not target.strip():
        raise LocationError(
            f"--db {text!r}: give ducklake:sqlite:PATH or ducklake:postgres:'CONNECTION "
            "data_path=DIR'"
        )
    if catalog == "sqlite":
        path = Path(target)
        return Location(text, "lake", path=path, catalog="sqlite", data_path=Path(f"{path}.files"))
    if catalog in ("postgres", "postgresql"):
        match = _DATA_PATH.search(target)
        if not match:
            raise LocationError(
                f"--db {text!r}: a PostgreSQL lake needs data_path=DIR (where its Parquet "
                "files go), e.g. ducklake:postgres:'dbname=news host=db data_path=/srv/lake'"
            )
        dsn = _DATA_PATH.sub(" ", target).strip()
        return Location(text, "lake", catalog="postgres", dsn=dsn, data_path=Path(match.group(1)))
    raise LocationError(
        f"--db {text!r}: unknown DuckLake catalog {catalog!r}; use sqlite or postgres"
    )
