"""Fixtures of the TUI tests (the shared ones are in tests/conftest.py)."""
from __future__ import annotations

import pytest


@pytest.fixture
def utc(monkeypatch):
    """Snapshots are pictures at a fixed time zone: the tree and headers show
    local times, and a message sent near midnight changes day with TZ."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def small_pages(monkeypatch):
    """The list reads two threads a page, so the sample's nine need several."""
    import kreview.tui.widgets.thread_list as thread_list_module

    monkeypatch.setattr(thread_list_module, "FIRST_PAGE", 2)
    monkeypatch.setattr(thread_list_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(thread_list_module, "PREFETCH_MARGIN", 0)
