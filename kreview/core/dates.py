"""Mail dates that can be trusted to be a date.

A Date header is whatever the sender typed: year 99999, a negative year, a
zone of +9999, a day number of twenty digits. The stdlib accepts several of
those half-way (``mktime_tz`` returns a number, ``parsedate_to_datetime``
raises, ``datetime.fromtimestamp`` overflows), so one place decides: a date
is usable when it names a real instant between 1970 and the end of year
9999, with a zone of less than a day; anything else is treated as missing.
"""
from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta, timezone

__all__ = ["MAX_EPOCH", "header_datetime", "header_epoch", "usable_epoch"]

# 9999-12-31T23:59:59Z: the last instant datetime (and strftime) can show.
MAX_EPOCH = 253_402_300_799
# The year after "day month": parsedate_tz reads "-1" and "0000" as
# two-digit years (1999, 2000); a sender who wrote them gave no year.
_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\s+(-?\d+)\b")


def _bogus_year(date: str) -> bool:
    found = _YEAR.search(date)
    if found is None:
        return False
    year = found.group(1)
    return year.startswith("-") or (len(year) >= 3 and int(year) < 1000)


def header_datetime(date: str) -> datetime | None:
    """The Date header as an aware datetime in the sender's own zone, or
    None when it is absent, unreadable or out of range."""
    if not date or _bogus_year(date):
        return None
    try:
        parsed = email.utils.parsedate_tz(date)
    except Exception:  # the stdlib has raised on odd input in some versions
        return None
    if parsed is None:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    offset = parsed[9] or 0
    try:
        # timezone() refuses offsets of a day or more; datetime() refuses
        # years outside 1..9999 and impossible days: both mean "no date".
        when = datetime(year, month, day, hour, minute, second, tzinfo=timezone(timedelta(seconds=offset)))
        epoch = when.timestamp()
    except (ValueError, OverflowError, TypeError):
        return None
    if not 0 <= epoch <= MAX_EPOCH:
        return None
    return when


def header_epoch(date: str) -> int:
    """Epoch seconds of a Date header; 0 when it is absent or not usable."""
    when = header_datetime(date)
    return int(when.timestamp()) if when is not None else 0


def usable_epoch(epoch: int | float | None) -> int:
    """``epoch`` when it is a date that can be shown (1970..9999), else 0."""
    try:
        value = int(epoch or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
    return value if 0 < value <= MAX_EPOCH else 0
