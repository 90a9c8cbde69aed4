"""Muted threads left out of queries unless named (core.muting), on the real
sample DB; the search history file and its Up/Down cursor (core.history)."""
from __future__ import annotations

from kreview.core.history import HistoryCursor, SearchHistory
from kreview.core.muting import without_muted


def test_without_muted_keeps_queries_that_name_it_or_are_broken():
    assert without_muted("*") == "not thread:{tag:muted}"
    assert without_muted(" tag:inbox ") == "(tag:inbox) and not thread:{tag:muted}"
    assert without_muted("tag:muted") == "tag:muted"
    assert without_muted("tag:inbox and (") == "tag:inbox and ("
    assert without_muted('subject:"a (b"') == '(subject:"a (b") and not thread:{tag:muted}'


def test_a_muted_thread_is_hidden_with_its_new_replies(store):
    thread = next(store.iter_threads("*"))
    nodes = [n for n in store.thread_messages(thread.thread_id) if not n.missing]
    store.change_tags([nodes[0].message_id], add=["muted"])  # one message mutes the thread
    shown = {t.thread_id for t in store.iter_threads(without_muted("*"))}
    assert thread.thread_id not in shown and len(shown) == store.count_threads("*") - 1
    assert [t.thread_id for t in store.iter_threads(without_muted("tag:muted"))] == [thread.thread_id]


def test_history_is_kept_newest_last_without_repeats(tmp_path):
    path = tmp_path / "kreview" / "search-history"
    history = SearchHistory(path)
    for query in ("tag:inbox", "subject:v8", "tag:inbox", "  "):
        history.add(query)
    assert SearchHistory(path).entries == ["subject:v8", "tag:inbox"]


def test_history_cursor_gives_back_what_was_typed():
    cursor = HistoryCursor(["a", "b"], "b")  # the field still shows the last search
    assert cursor.older() == "a"
    assert cursor.older() == "a"
    assert cursor.newer() == "b"
    cursor = HistoryCursor(["a", "b"], "typ")
    assert [cursor.older(), cursor.older(), cursor.newer(), cursor.newer()] == ["b", "a", "b", "typ"]
