"""The benchmark puts back the unread tags its runs cleared (kreview.bench.measure.UnreadKept),
so that every run opens the big thread on the same message; on a real notmuch database."""
from __future__ import annotations

from pathlib import Path

from kreview.bench.measure import Targets, UnreadKept
from kreview.core.threads import first_interesting
from tests.core import big_thread


def test_the_unread_tags_a_run_cleared_are_put_back(big_thread_store):
    tid = big_thread_store.messages(f"id:{big_thread.ROOT_ID}")[0].thread_id
    targets = Targets(tid, big_thread.SIZE, big_thread.ROOT_ID, tid, tid, big_thread.SIZE, "")
    kept = UnreadKept(Path(big_thread_store.config_path), targets)
    opened = first_interesting(big_thread_store.thread_messages(tid))
    big_thread_store.change_tags([opened], remove=["unread"])  # what opening the thread does
    assert first_interesting(big_thread_store.thread_messages(tid)) != opened
    kept.put_back()
    assert first_interesting(big_thread_store.thread_messages(tid)) == opened
    assert {n.message_id for n in big_thread_store.messages(f"thread:{tid} and tag:unread")} == {
        big_thread.message_id(i) for i in big_thread.UNREAD}
