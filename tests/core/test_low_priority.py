"""Counting runs at a lower CPU priority without lowering the worker thread
that asked for it (the reader's workers are reused threads, and an
unprivileged thread cannot raise its priority back)."""
from __future__ import annotations

import os
import sys
import threading

import pytest

from kreview.core.counts import LOW_PRIORITY, at_low_priority


def own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_the_work_is_lowered_and_the_caller_is_not():
    before = own_nice()
    inside = at_low_priority(own_nice)
    assert inside == max(before, LOW_PRIORITY)  # a process already nicer stays as it is
    assert own_nice() == before


def test_the_result_and_the_error_reach_the_caller():
    assert at_low_priority(lambda a, b: a + b, 2, 3) == 5
    with pytest.raises(KeyError, match="gone"):
        at_low_priority(lambda: {}["gone"])
