"""Time helpers: every timestamp the warehouse stores is timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import overload


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """`value` in UTC; a naive datetime is taken to be UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_http_date(value: str | None) -> datetime | None:
    """An RFC 822/9110 date (Retry-After, Last-Modified, RSS pubDate) in UTC; None if unparsable.

    A date without a zone (`-0000`, or none at all) is taken to be UTC.
    """
    if not value:
        return None
    try:
        return as_utc(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None
