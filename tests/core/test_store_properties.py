"""The store's message properties and database values, which hold the series
index (kreview.core.series_index): written all at once with the revision
they reflect, read back per message, and every query error named. On the
real temporary database."""
from __future__ import annotations

import pytest

from kreview.core.store import PROPERTY_TERM_LIMIT, BadQuery

PREFIX = "kreview."
KEY = "kreview.test-stamp"


def two_ids(store) -> list[str]:
    return [n.message_id for n in store.messages("*", limit=2)]


def test_properties_written_are_read_back_with_their_message(store):
    first, second = two_ids(store)
    rev, _uuid = store.revision()
    reflected = store.write_properties(
        {"gone@example.org": {"kreview.row": ("x",)},  # deleted since: skipped, the rest still written
         first: {"kreview.row": ("r1",), "kreview.chain": ("c1", "c2")},
         second: {"kreview.row": ("r2",)}},
        PREFIX, rev, KEY, lambda revision: f"stamp:{revision}")
    assert reflected == store.revision()[0] > rev
    assert store.database_value(KEY) == f"stamp:{reflected}"

    rows = {node.message_id: (node, props) for node, props in store.property_rows(f"id:{first}", PREFIX)}
    node, props = rows[first]
    assert props == {"kreview.row": ("r1",), "kreview.chain": ("c1", "c2")}
    [thread] = store.thread_ids_of([first])
    assert (node.thread_id, node.parent_id) == (thread, None)
    assert node.subject == store.messages(f"id:{first}")[0].subject
    assert sorted(store.property_values(f"id:{first} or id:{second}", "kreview.row")) == sorted(
        [(first, "r1"), (second, "r2")])

    # An empty dict clears a message's properties under the prefix.
    store.write_properties({first: {}}, PREFIX, store.revision()[0], KEY, lambda revision: "again")
    assert store.property_rows(f"id:{first}", PREFIX)[0][1] == {}
    assert store.property_values(f"id:{first}", "kreview.row") == [(first, "")]


def test_a_write_after_someone_else_wrote_reflects_the_revision_seen(store):
    first, _second = two_ids(store)
    seen = store.revision()[0]
    store.change_tags([first], add=["someone-else"])  # another writer, after the index was read
    assert store.revision()[0] > seen
    reflected = store.write_properties({first: {"kreview.row": ("r",)}}, PREFIX, seen, KEY, str)
    assert reflected == seen  # their change is looked at next time
    assert store.database_value(KEY) == str(seen)


def test_a_property_as_long_as_xapian_takes_is_kept_and_a_longer_one_dropped(store):
    first, _second = two_ids(store)
    key = "kreview.long"
    room = PROPERTY_TERM_LIMIT - len(f"XPROPERTY{key}=")
    store.write_properties({first: {key: ("a" * room, "b" * (room + 1))}}, PREFIX, store.revision()[0], KEY, str)
    assert store.property_rows(f"id:{first}", PREFIX)[0][1] == {key: ("a" * room,)}


def test_a_value_never_stored_is_empty(store):
    assert store.database_value("kreview.never-stored") == ""


@pytest.mark.parametrize("call", [
    lambda store, q: list(store.iter_threads(q)),
    lambda store, q: store.thread_ids(q),
    lambda store, q: store.property_rows(q, PREFIX),
    lambda store, q: store.property_values(q, "kreview.row"),
    lambda store, q: store.messages(q),
], ids=["iter_threads", "thread_ids", "property_rows", "property_values", "messages"])
def test_a_bad_query_is_named_in_the_error(store, call):
    with pytest.raises(BadQuery, match=r"^Bad query 'tag:inbox and \(': "):
        call(store, "tag:inbox and (")


def test_a_write_in_batches_counts_its_own_batches_as_its_own(store, monkeypatch):
    """Written one message per transaction (so the reader's other reads get
    in between), the stamp still says the properties reflect the database
    after the last batch: the earlier batches are not "someone else"."""
    import kreview.core.store as store_module

    monkeypatch.setattr(store_module, "PROPERTY_BATCH", 1)
    ids = [n.message_id for n in store.messages("*", limit=3)]
    seen = store.revision()[0]
    reflected = store.write_properties({m: {"kreview.row": (f"r{i}",)} for i, m in enumerate(ids)},
                                       PREFIX, seen, KEY, str)
    assert reflected == store.revision()[0] >= seen + 3
    assert store.database_value(KEY) == str(reflected)
    assert sorted(store.property_values(" or ".join(f"id:{m}" for m in ids), "kreview.row")) == sorted(
        (m, f"r{i}") for i, m in enumerate(ids))
