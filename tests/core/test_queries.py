"""Narrowing the user's query (kreview.core.queries), on a real database: what
the narrowed query matches is what the query matches, and the clause."""
from __future__ import annotations

from kreview.core.queries import narrowed


def test_everything_narrowed_is_the_clause_alone(store):
    # notmuch reads "*" alone only: "(*) and x" is not "everything and x"
    assert narrowed(" * ", "tag:inbox") == "tag:inbox"
    assert store.count_messages(narrowed("*", "tag:inbox")) == store.count_messages("tag:inbox") > 0


def test_a_query_is_wrapped_so_its_or_stays_inside(store):
    query = "subject:v8 or subject:v4"
    both = narrowed(query, "tag:inbox")
    assert both == "(subject:v8 or subject:v4) and tag:inbox"
    assert store.count_messages(both) == store.count_messages("(subject:v8 or subject:v4) and tag:inbox")
    assert store.count_messages(both) < store.count_messages(query) + store.count_messages("tag:inbox")


def test_a_query_that_does_not_close_is_not_wrapped():
    assert narrowed('subject:"v8', "tag:inbox") is None
    assert narrowed("(subject:v8", "tag:inbox") is None
    assert narrowed("subject:v8)", "tag:inbox") is None
    assert narrowed('subject:"(v8"', "tag:inbox") == '(subject:"(v8") and tag:inbox'  # inside quotes
