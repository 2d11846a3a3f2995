"""A throw-away PostgreSQL server for DuckLake catalogs: the tests' and the benchmark's.

Debian's `postgresql` package (initdb + pg_ctl), loopback port, everything in a temporary
directory that goes when the block ends. Where the server binaries are missing or the
server will not start, `server()` raises `PostgresUnavailable` with one line saying why:
tests turn it into a skip, the benchmark into a usage error.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Superuser `postgres`, no passwords: the server listens on loopback only, for this process.
INITDB_OPTIONS = ("-U", "postgres", "--auth=trust", "-E", "UTF8")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message is one line."""


def pg_bin() -> Path | None:
    """The server binaries' directory: Debian's /usr/lib/postgresql/N/bin, else PATH's."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    dsn: str  # libpq connection string without dbname
    bin_dir: Path
    lake_dir: Path  # data directories of the lakes made by `new_lake`

    def new_lake(self, name: str) -> str:
        """A fresh database on the server and a data directory: one lake's --db value."""
        host = dict(part.split("=", 1) for part in self.dsn.split())
        subprocess.run(
            [
                str(self.bin_dir / "createdb"),
                *("-h", host["host"], "-p", host["port"], "-U", "postgres", name),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return f"ducklake:postgres:dbname={name} {self.dsn} data_path={self.lake_dir / name}"


@contextmanager
def server() -> Iterator[Server]:
    """A running server, stopped and removed at the end of the block."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (apt-get install postgresql): no initdb/pg_ctl"
        )
    folder = Path(tempfile.mkdtemp(prefix="nf-pg-"))
    as_user: list[str] = []
    data, port = folder / "data", _free_port()
    try:
        if os.geteuid() == 0:  # initdb refuses root: run the server as the package's user
            as_user = ["runuser", "-u", "postgres", "--"]
            folder.chmod(0o755)
            shutil.chown(folder, "postgres")
        subprocess.run(
            [*as_user, str(bin_dir / "initdb"), "-D", str(data), *INITDB_OPTIONS],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [
                *as_user,
                str(bin_dir / "pg_ctl"),
                *("-D", str(data), "-l", str(folder / "log"), "-w"),
                *("-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, OSError, LookupError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"could not start PostgreSQL here: {exc}") from exc
    lake_dir = Path(tempfile.mkdtemp(prefix="nf-lake-"))
    try:
        yield Server(f"host=127.0.0.1 port={port} user=postgres", bin_dir, lake_dir)
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(lake_dir, ignore_errors=True)
