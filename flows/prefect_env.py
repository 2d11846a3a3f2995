"""Prefect settings that every newsflow command needs on any machine, set before Prefect loads.

Without them a fresh machine's first run fails: the temporary (ephemeral) API server
runs its database migrations on its first start, which takes longer than Prefect's 20 s
default, and so does any start while both cores are busy. The telemetry service adds a
banner, an error line when offline and a SQLite write that races the run's own writes
("database is locked" in the middle of the progress output). A user's own setting of
any of these variables always wins.
"""

from __future__ import annotations

import os

STARTUP_TIMEOUT_VAR = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULTS = {
    # Measured: 42 s for a first start on an empty PREFECT_HOME with both cores busy.
    STARTUP_TIMEOUT_VAR: "300",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # the server's telemetry service
    "DO_NOT_TRACK": "1",  # the client's telemetry notice and events
}


def prepare_environment() -> None:
    """Fill in the defaults above where the user set nothing. Call before importing Prefect."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)


def startup_failure(exc: BaseException) -> str | None:
    """One line for a temporary Prefect server that never answered; None for anything else."""
    if "ephemeral Prefect API server" not in str(exc):
        return None
    waited = os.environ.get(STARTUP_TIMEOUT_VAR, DEFAULTS[STARTUP_TIMEOUT_VAR])
    return (
        f"the temporary Prefect server did not start within {waited} s (a busy machine or a "
        f"slow disk); run the command again, or set {STARTUP_TIMEOUT_VAR} higher, or start a "
        "server once with `make serve` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
    )
