"""Reads and writes of the notmuch database within one process take turns
(kreview.core.rwlock): a write commits while no read is under way, so no
read loses its snapshot half-way (libnotmuch aborts the process then)."""
from __future__ import annotations

import threading
import time

import pytest

from kreview.core.rwlock import ReadWriteLock
from kreview.core.store import DATABASE_ACCESS

SETTLE = 0.2  # s: long enough for a thread that is not blocked to finish its step


def in_thread(work) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run():
        work()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def hold(lock_context, release: threading.Event) -> threading.Event:
    """Hold ``lock_context`` in a thread of its own until ``release``; returns 'held'."""
    held = threading.Event()

    def run():
        with lock_context:
            held.set()
            release.wait(10)

    threading.Thread(target=run, daemon=True).start()
    assert held.wait(5)
    return held


def test_readers_share_and_a_write_waits_for_all_of_them():
    lock, first_ends, second_ends = ReadWriteLock(), threading.Event(), threading.Event()
    hold(lock.reading(), first_ends)
    hold(lock.reading(), second_ends)  # held while the first is: readers do not wait for readers

    def write():
        with lock.writing():
            pass

    _, written = in_thread(write)
    first_ends.set()
    assert not written.wait(SETTLE)
    second_ends.set()
    assert written.wait(5)


def test_a_write_goes_once_the_reads_end_and_counts_itself():
    lock, release = ReadWriteLock(), threading.Event()
    hold(lock.reading(), release)

    def write():
        with lock.writing():
            pass

    _, written = in_thread(write)
    assert not written.wait(SETTLE)
    release.set()
    assert written.wait(5)
    assert lock.writes == 1


def test_a_read_waits_for_a_write_under_way():
    lock, release = ReadWriteLock(), threading.Event()
    hold(lock.writing(), release)

    def read():
        with lock.reading():
            pass

    _, read_done = in_thread(read)
    assert not read_done.wait(SETTLE)
    release.set()
    assert read_done.wait(5)


def test_a_waiting_writer_goes_before_new_readers():
    """Background reads come one after another; a tag change must not wait for all of them."""
    lock, first_read_ends = ReadWriteLock(), threading.Event()
    hold(lock.reading(), first_read_ends)
    order: list[str] = []

    def write():
        with lock.writing():
            order.append("write")

    def read():
        with lock.reading():
            order.append("read")

    in_thread(write)
    deadline = time.monotonic() + 10
    while lock._writers_waiting == 0 and time.monotonic() < deadline:  # the writer queues
        time.sleep(0.01)
    assert lock._writers_waiting == 1
    _, read_done = in_thread(read)
    assert not read_done.wait(SETTLE)  # queued behind the writer, though only a read is under way
    first_read_ends.set()
    assert read_done.wait(5)
    assert order == ["write", "read"]


def test_a_thread_may_read_within_its_own_write_and_read_again_within_a_read():
    lock = ReadWriteLock()
    with lock.writing():
        with lock.reading():
            with lock.writing():
                pass
    with lock.reading():
        with lock.reading():
            pass
    assert lock.writes == 1


def test_a_write_inside_a_read_of_the_same_thread_says_so_instead_of_waiting_for_ever():
    lock = ReadWriteLock()
    with lock.reading(), pytest.raises(RuntimeError, match="wait for itself"):
        with lock.writing():
            pass
    with lock.writing():  # nothing was left held
        pass


# -- the store goes through it ----------------------------------------------

def test_a_tag_change_waits_for_a_read_of_the_database(store):
    [message, *_] = store.messages("*")
    release = threading.Event()
    hold(DATABASE_ACCESS.reading(), release)
    _, changed = in_thread(lambda: store.change_tags([message.message_id], add=["seen-after-read"]))
    assert not changed.wait(SETTLE)
    release.set()
    assert changed.wait(10)
    assert "seen-after-read" in store.message_tags([message.message_id])[message.message_id]


def test_a_read_of_the_database_waits_for_a_tag_change(store):
    [message, *_] = store.messages("*")
    release = threading.Event()
    hold(DATABASE_ACCESS.writing(), release)
    found: list = []
    _, read_done = in_thread(lambda: found.append(store.thread_messages(message.thread_id)))
    assert not read_done.wait(SETTLE)
    release.set()
    assert read_done.wait(10)
    assert found and found[0]
