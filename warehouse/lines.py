"""The line format of `newsflow query`: one field per line, for results too wide for a table.

A table of `SELECT * FROM v_articles` (30 columns) on a 120-column terminal gives most
columns a character or two; the table format switches to this one when the columns
cannot each get a readable width (`fits`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

LINE_MAX_VALUE = 400  # characters of one value shown; csv/json give everything
MIN_READABLE = 10  # a column narrower than this (and than its own content) is squeezed
SEPARATOR = 3  # what the table puts between two columns


def fits(table: pa.Table, width: int, cell: Callable[[Any], str], max_cell: int) -> bool:
    """Whether every column can show min(its content, its header or 10 characters)."""
    need = 0
    for name, column in zip(table.column_names, table.columns, strict=True):
        longest = len(name)
        for value in column.slice(0, 200).to_pylist():
            longest = max(longest, min(len(cell(value)), max_cell))
        need += min(longest, max(len(name), MIN_READABLE))
    return need + SEPARATOR * max(len(table.column_names) - 1, 0) <= width


def clip(text: str, limit: int) -> str:
    """One line of at most `limit` characters, an ellipsis where it was cut."""
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def footer(table: pa.Table, shown: int) -> str:
    """The row count under a table or line listing, and where the rest is."""
    more = table.num_rows - shown
    tail = f"({table.num_rows} rows"
    return tail + (f"; {more} not shown, use --format csv/json/parquet)" if more else ")")


def to_lines(table: pa.Table, cell: Callable[[Any], str], max_rows: int) -> str:
    """Each row as a numbered block of `name | value` lines."""
    names = table.column_names
    pad = max((len(n) for n in names), default=0)
    shown = table.slice(0, max_rows)
    out = []
    for number, row in enumerate(shown.to_pylist(), 1):
        out.append(f"-[ row {number} ]" + "-" * max(pad - 6, 4))
        for name in names:
            out.append(f"{name:<{pad}} | {clip(cell(row[name]), LINE_MAX_VALUE)}")
    return "\n".join([*out, footer(table, shown.num_rows)]) + "\n"
