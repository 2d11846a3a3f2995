"""`make serve`: a working Prefect setup for newsflow in one command.

1. Use the server in PREFECT_API_URL if one is configured; otherwise start
   `prefect server start` on 127.0.0.1 (SQLite under PREFECT_HOME) and wait for it.
2. Create the `process` work pool named in deployments/prefect.yaml.
3. Create the one-slot global concurrency limit guarding each warehouse the
   deployments write (see flows/locking.py).
4. Deploy everything in deployments/prefect.yaml.
5. Start a worker on the pool, print the UI address, and run until Ctrl-C, then
   stop what it started (worker, and the server only if it started one).

The steps are plain functions so the end-to-end test drives the same code.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from flows.prefect_env import prepare_environment

ROOT = Path(__file__).resolve().parent.parent
PREFECT_FILE = ROOT / "deployments" / "prefect.yaml"
# --no-prompt: in a real terminal `prefect server start` would otherwise stop and ask which
# profile to switch to, and the set-up would wait for an answer nobody knows is wanted.
PREFECT = [sys.executable, "-m", "prefect", "--no-prompt"]
SERVER_START_TIMEOUT = 120.0


class ServeError(RuntimeError):
    """A set-up step failed; the message says which and what to do."""


def load_prefect_file(path: Path = PREFECT_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def work_pool_name(spec: Mapping[str, Any]) -> str:
    names = {d["work_pool"]["name"] for d in spec["deployments"]}
    if len(names) != 1:
        raise ServeError(f"{PREFECT_FILE} must use one work pool, found {sorted(names)}")
    return names.pop()


def warehouse_paths(spec: Mapping[str, Any], root: Path = ROOT) -> list[Path]:
    """The `db` parameters of all deployments, as the worker will resolve them."""
    paths = {
        (root / d["parameters"]["db"]).resolve()
        for d in spec["deployments"]
        if (d.get("parameters") or {}).get("db")
    }
    return sorted(paths)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def wait_healthy(api_url: str, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_healthy(api_url):
            return
        if proc is not None and proc.poll() is not None:
            raise ServeError(
                f"prefect server exited with status {proc.returncode} before answering; "
                "see its output above (a port in use? set NEWSFLOW_PREFECT_PORT)"
            )
        time.sleep(0.5)
    raise ServeError(f"no Prefect API at {api_url} after {timeout:.0f} s; is the server up?")


def start_server(
    port: int, env: Mapping[str, str], log: Path | None = None
) -> subprocess.Popen[bytes]:
    """`prefect server start` on loopback, in its own process group so it can be stopped whole.

    The UI learns the API's address from the server's settings, not from `--port`: without
    PREFECT_UI_API_URL it would call :4200 whatever port the server listens on.
    """
    out = open(log, "wb") if log else None  # noqa: SIM115 - closed when the process ends
    cmd = [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    env = {"PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api", **env}
    return subprocess.Popen(
        cmd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT if out else None,
        start_new_session=True,
    )


def run_prefect(args: Sequence[str], env: Mapping[str, str], timeout: float = 180.0) -> str:
    """One Prefect CLI call from the project root; its output is returned, failures raised."""
    done = subprocess.run(
        [*PREFECT, *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise ServeError(f"`prefect {' '.join(args)}` failed ({done.returncode}):\n{tail}")
    return done.stdout


def create_work_pool(name: str, env: Mapping[str, str]) -> None:
    # --overwrite keeps it idempotent: re-running `make serve` resets the pool, not the runs.
    run_prefect(["work-pool", "create", name, "--type", "process", "--overwrite"], env)


def create_locks(dbs: Sequence[Path], api_url: str) -> list[str]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.locking import ensure_limit

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        return [ensure_limit(db) for db in dbs]


def deploy(
    env: Mapping[str, str], names: Sequence[str] = (), prefect_file: Path = PREFECT_FILE
) -> str:
    """`prefect deploy` of all (or the named) deployments in deployments/prefect.yaml."""
    which = [a for n in names for a in ("--name", n)] or ["--all"]
    return run_prefect(["deploy", *which, "--prefect-file", str(prefect_file)], env)


def start_worker(
    pool: str, env: Mapping[str, str], log: Path | None = None, queues: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """A process worker on `pool` (all its queues unless some are named)."""
    out = open(log, "wb") if log else None  # noqa: SIM115 - closed when the process ends
    only = [a for q in queues for a in ("--work-queue", q)]
    return subprocess.Popen(
        [*PREFECT, "worker", "start", "--pool", pool, "--type", "process", *only],
        cwd=ROOT,
        env=dict(env),
        stdout=out,
        stderr=subprocess.STDOUT if out else None,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes] | None, grace: float = 15.0) -> None:
    """Terminate a process we started and its children (its own session), then make sure."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def configured_api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP stop `make serve` as Ctrl-C does: through the `finally` that stops
    the worker and the server (their own sessions get no terminal signal)."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("NEWSFLOW_PREFECT_PORT", "4200"))
    )
    parser.add_argument("--no-worker", action="store_true", help="set up and deploy only")
    args = parser.parse_args(argv)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    prepare_environment()  # what every newsflow command has, so the worker's runs have it too
    env = dict(os.environ)
    env.setdefault("PREFECT_CLI_PROMPT", "false")
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    api_url = configured_api_url()
    try:
        if api_url:
            print(f"using the configured Prefect server {api_url}", flush=True)
            wait_healthy(api_url, None, 10.0)
        else:
            api_url = f"http://127.0.0.1:{args.port}/api"
            if is_healthy(api_url):
                print(f"a Prefect server already answers at {api_url}; using it", flush=True)
            else:
                print(
                    f"starting a local Prefect server (SQLite) on port {args.port} ...", flush=True
                )
                server = start_server(args.port, env)
                wait_healthy(api_url, server, SERVER_START_TIMEOUT)
        env["PREFECT_API_URL"] = api_url
        spec = load_prefect_file()
        pool = work_pool_name(spec)
        create_work_pool(pool, env)
        print(f"work pool {pool!r} (process) ready", flush=True)
        for name in create_locks(warehouse_paths(spec), api_url):
            print(f"warehouse lock {name!r} (global concurrency limit, 1 slot) ready", flush=True)
        deploy(env)
        names = ", ".join(d["name"] for d in spec["deployments"])
        print(f"deployed: {names}", flush=True)
        ui = api_url.removesuffix("/api")
        print(
            f"\nPrefect UI: {ui}\n  run the demo: PREFECT_API_URL={api_url} "
            "prefect deployment run demo/demo",
            flush=True,
        )
        if args.no_worker:
            return 0
        worker = start_worker(pool, env)
        print(
            f"worker started on {pool!r}; Ctrl-C stops it" + (" and the server" if server else ""),
            flush=True,
        )
        while worker.poll() is None and (server is None or server.poll() is None):
            time.sleep(1.0)
        return 1
    except KeyboardInterrupt:
        print("\nstopping the worker" + (" and the server" if server else "") + " ...", flush=True)
        return 0
    except ServeError as exc:
        sys.stderr.write(f"make serve: error: {exc}\n")
        return 1
    finally:
        stop(worker)
        stop(server)


if __name__ == "__main__":
    raise SystemExit(main())
