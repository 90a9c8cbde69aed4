"""The list's date column at a fixed "now", in several time zones: the time
for today only (not for the rest of the month), month and day this year, the
ISO date before, and the day boundary where the reader lives."""
from __future__ import annotations

import calendar
import time

import pytest

from kreview.tui.widgets.thread_list import format_date

ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati"]


@pytest.fixture(params=ZONES)
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def local_epoch(year, month, day, hour=12, minute=0) -> int:
    """The epoch of a wall-clock time in the zone in force."""
    return int(time.mktime((year, month, day, hour, minute, 0, 0, 0, -1)))


def test_today_shows_the_time(zone):
    now = local_epoch(2026, 12, 15, 18, 30)
    assert format_date(local_epoch(2026, 12, 15, 0, 5), now) == "00:05"
    assert format_date(local_epoch(2026, 12, 15, 9, 41), now) == "09:41"


def test_another_day_of_the_same_month_shows_month_and_day(zone):
    now = local_epoch(2026, 12, 15, 18, 30)
    assert format_date(local_epoch(2026, 12, 14, 23, 59), now) == "Dec 14"
    assert format_date(local_epoch(2026, 12, 1, 9, 0), now) == "Dec 01"
    assert format_date(local_epoch(2026, 12, 16, 0, 1), now) == "Dec 16"  # a clock ahead of ours


def test_this_year_and_before(zone):
    now = local_epoch(2026, 12, 15, 18, 30)
    assert format_date(local_epoch(2026, 1, 2), now) == "Jan 02"
    assert format_date(local_epoch(2025, 12, 15, 18, 30), now) == "2025-12-15"


def test_the_day_is_the_readers_not_utcs(zone):
    # 23:30 local on the 14th is "yesterday" here even where UTC is already on the 15th.
    now = local_epoch(2026, 12, 15, 0, 30)
    assert format_date(local_epoch(2026, 12, 14, 23, 30), now) == "Dec 14"
    assert format_date(local_epoch(2026, 12, 15, 0, 10), now) == "00:10"


def test_no_date():
    assert format_date(0, calendar.timegm((2026, 12, 15, 0, 0, 0))) == "(no date)"
    assert format_date(-5, calendar.timegm((2026, 12, 15, 0, 0, 0))) == "(no date)"
