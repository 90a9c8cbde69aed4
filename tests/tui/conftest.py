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
