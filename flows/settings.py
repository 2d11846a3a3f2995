"""The pipeline's settings from the environment, read in this one place.

Stages (`tasks/`) and the warehouse never read the environment (tests/test_settings.py
scans them): a flow or a command resolves these once, when it starts, and passes the
values down, in `StageContext` or as arguments. The variable names are documented for
users (README, Configuration and Security; deployments/README.md) and are a contract.
The flows' own switches are read where they act, in flows/: `NEWSFLOW_TASK_RUNNER`
(runners.py, when a flow is defined), `NEWSFLOW_LOCK` and `NEWSFLOW_LOCK_TIMEOUT`
(locking.py), `NEWSFLOW_DEBUG` (quiet.py).

A bad value is a `SettingsError`: one line naming the variable, the value and what is
allowed, which the CLI prints with exit status 2 before it starts anything.

A field left None means the default of the code that owns the number, where the reason
for it is written down next to the measurement.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Entity recognisers of the enrich stage (see tasks/enrich/__init__.py).
NER_MODES = ("rules", "fast", "spacy", "accurate")
# What DuckDB accepts as a memory limit: a number and a unit ("128MB", "1.5GiB").
_MEMORY = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B|bytes)", re.IGNORECASE)


class SettingsError(ValueError):
    """An environment variable with a value newsflow cannot use; the message is one line."""


@dataclass(frozen=True)
class Settings:
    # NEWSFLOW_DB: the warehouse file when no --db is given (a config file's `db` comes
    # after it); None: data/newsflow.duckdb (warehouse.store.DEFAULT_DB).
    db: str | None = None
    # NEWSFLOW_NER: rules (default: rules, gazetteer and the CRF name model), fast (rules
    # only: about twice as fast, less recall), spacy (rules, then spaCy's small English
    # model relabels the names of each article's lead; 4-6 articles/s per core) or
    # accurate (spaCy's NER over each English article's prose, fused with the rules: held-
    # out F1 0.515 against the default's 0.472, at about 7 articles/s per core, so not the
    # default; tasks/enrich/ner_accurate.py).
    ner: str = "rules"
    # NEWSFLOW_WORKERS: worker processes for the per-page work of clean and enrich; 0
    # keeps it in the flow's process. None: one per core (a config file's `workers` first).
    workers: int | None = None
    # NEWSFLOW_PAGE_CPU_SECONDS: CPU seconds one page may take in extraction before it is
    # skipped and recorded; 0 switches the budget off. None: 10 s (PAGE_CPU_SECONDS in
    # tasks/clean/budget.py; benchmark pages take 0.02-0.3 s).
    page_cpu_seconds: float | None = None
    # NEWSFLOW_DUCKDB_MEMORY: DuckDB's memory for the run's writing connection, beyond
    # which it spills to disk. None: 128MB (WRITER_MEMORY in warehouse/store.py: a
    # 15,000-page run went as fast as at 256 MB, at half the peak memory).
    duckdb_memory: str | None = None
    # NEWSFLOW_QUERY_SECONDS / NEWSFLOW_QUERY_MEMORY: bounds on one `newsflow query` or
    # `search` statement. None: 120 s and 2GB, without spilling (warehouse/query.py).
    query_seconds: float | None = None
    query_memory: str | None = None


def _number(env: Mapping[str, str], name: str, what: str, positive: bool = False) -> float | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise SettingsError(f"{name}={raw!r} must be {what}; fix or unset it")
    return value


def _memory(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not _MEMORY.fullmatch(raw):
        raise SettingsError(
            f"{name}={raw!r} is not an amount of memory; give a number and a unit like 512MB "
            "or 2GB, or unset it"
        )
    return raw


def from_environment(env: Mapping[str, str] | None = None) -> Settings:
    """The settings in `env` (default: this process's environment), each value checked."""
    env = os.environ if env is None else env
    ner = env.get("NEWSFLOW_NER", "").strip().lower() or "rules"
    if ner not in NER_MODES:
        raise SettingsError(
            f"NEWSFLOW_NER={env['NEWSFLOW_NER']!r} is not one of {', '.join(NER_MODES)}; "
            "fix or unset it"
        )
    workers = env.get("NEWSFLOW_WORKERS", "").strip()
    if workers and not workers.isdigit():
        raise SettingsError(
            f"NEWSFLOW_WORKERS={workers!r} must be a whole number (0 = no worker processes); "
            "fix or unset it"
        )
    return Settings(
        db=env.get("NEWSFLOW_DB") or None,
        ner=ner,
        workers=int(workers) if workers else None,
        page_cpu_seconds=_number(
            env, "NEWSFLOW_PAGE_CPU_SECONDS", "a number of seconds (0 switches the budget off)"
        ),
        duckdb_memory=_memory(env, "NEWSFLOW_DUCKDB_MEMORY"),
        query_seconds=_number(
            env, "NEWSFLOW_QUERY_SECONDS", "a positive number of seconds", positive=True
        ),
        query_memory=_memory(env, "NEWSFLOW_QUERY_MEMORY"),
    )
