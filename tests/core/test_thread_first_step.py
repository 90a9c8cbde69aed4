"""A big thread read in two steps (Store.thread_messages' on_first): its first
nodes, with the message it opens on, while the rest is read; on a real
notmuch database holding one 600-message thread (tests/core/big_thread.py)."""
from __future__ import annotations

import threading

from kreview.core import store as store_module
from kreview.core.store import FIRST_NODES, ROWS_AFTER, FirstNodes, WalkPause
from kreview.core.thread_readings import ThreadReadings
from kreview.core.threads import first_interesting, guide_prefixes
from tests.core import big_thread


def thread_id(store) -> str:
    return store.messages(f"id:{big_thread.ROOT_ID}")[0].thread_id


def read_in_two_steps(store, query=None) -> tuple[list, list[FirstNodes]]:
    given: list[FirstNodes] = []
    whole = store.thread_messages(thread_id(store), query, on_first=given.append)
    return whole, given


def test_the_first_nodes_are_the_start_of_the_whole_tree(big_thread_store):
    whole, given = read_in_two_steps(big_thread_store)
    assert len(whole) == big_thread.SIZE + 1  # and a placeholder for the parent that never arrived
    assert len(given) == 1
    first = given[0]
    count = len(first.nodes)
    assert [n.message_id for n in first.nodes] == [n.message_id for n in whole[:count]]
    assert first.nodes == whole[:count]  # same parents, depths, tags
    # It opens where the whole thread would: the first unread message, deep in the tree.
    opens_on = first_interesting(whole)
    assert first.opens_on == opens_on
    at = [n.message_id for n in whole].index(opens_on)
    assert at > FIRST_NODES  # (the thread's shape: a first step of FIRST_NODES would not hold it)
    assert count == at + ROWS_AFTER
    assert count < len(whole)


def test_the_first_nodes_guide_lines_are_those_of_the_whole_tree(big_thread_store):
    whole, (first,) = read_in_two_steps(big_thread_store)
    count = len(first.nodes)
    assert guide_prefixes(first.nodes, first.later_depths) == guide_prefixes(whole)[:count]
    # Without the replies still to come, the last branches would look closed.
    assert guide_prefixes(first.nodes) != guide_prefixes(whole)[:count]


def test_a_thread_with_nothing_unread_opens_on_its_first_message(big_thread_store):
    ids = [big_thread.message_id(i) for i in big_thread.UNREAD]
    big_thread_store.change_tags(ids, remove=["unread"])
    whole, (first,) = read_in_two_steps(big_thread_store)
    assert first.opens_on == big_thread.ROOT_ID == first_interesting(whole)
    assert len(first.nodes) == FIRST_NODES


def test_no_first_step_when_only_the_whole_thread_tells_where_it_opens(big_thread_store):
    """Unread messages that the query did not match: the thread opens on its
    first match, unless some unread message matches further on; no first
    step can know that."""
    whole, given = read_in_two_steps(big_thread_store, query=f"not id:{big_thread.message_id(300)}"
                                                            f" and not id:{big_thread.message_id(301)}"
                                                            f" and not id:{big_thread.message_id(450)}")
    assert given == []
    assert len(whole) == big_thread.SIZE + 1


def test_a_short_thread_is_read_in_one_step(store):
    thread = next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)
    given: list = []
    assert store.thread_messages(thread.thread_id, on_first=given.append)
    assert given == []


def test_the_rest_waits_while_the_first_step_is_held(big_thread_store, monkeypatch):
    monkeypatch.setattr(WalkPause, "HOLD_LIMIT", 60.0)  # only the release lets it go on
    released: list = []
    first_given = threading.Event()

    def on_first(first: FirstNodes) -> None:
        released.append(first.pause.hold())
        first_given.set()

    result: list = []
    reader = threading.Thread(target=lambda: result.append(
        big_thread_store.thread_messages(thread_id(big_thread_store), on_first=on_first)))
    reader.start()
    assert first_given.wait(30)
    reader.join(0.5)
    assert reader.is_alive() and not result  # held
    released[0]()
    reader.join(30)
    assert len(result[0]) == big_thread.SIZE + 1


def test_a_reader_joining_a_reading_under_way_gets_its_first_step(big_thread_store):
    readings = ThreadReadings(big_thread_store)
    tid = thread_id(big_thread_store)
    producer_first, go_on = threading.Event(), threading.Event()
    got: dict = {}

    def producer_on_first(first: FirstNodes) -> None:
        got["producer first"] = first
        producer_first.set()
        assert go_on.wait(30)  # the walk stays inside its first step until the joiner has it

    producer = threading.Thread(target=lambda: got.setdefault(
        "producer", readings.read(tid, on_first=producer_on_first)[1]))
    producer.start()
    assert producer_first.wait(30)
    joiner = threading.Thread(target=lambda: got.setdefault(
        "joiner", readings.read(tid, on_first=lambda first: (got.setdefault("joiner first", first),
                                                             go_on.set()))[1]))
    joiner.start()
    producer.join(30)
    joiner.join(30)
    assert got["joiner first"] is got["producer first"]
    assert got["joiner"] is got["producer"]
    assert readings.reads == 1


def test_a_thread_below_two_steps_from_is_read_in_one_step(big_thread_store, monkeypatch):
    monkeypatch.setattr(store_module, "TWO_STEPS_FROM", big_thread.SIZE + 1)
    whole, given = read_in_two_steps(big_thread_store)
    assert given == [] and len(whole) == big_thread.SIZE + 1
