"""The store's words when the database cannot be opened or a query is bad,
and counts taken with the revision they belong to, on a real copy of the
sample, checked against the `notmuch` command."""
from __future__ import annotations

import os
import subprocess

import pytest

from kreview.core.store import BadQuery, DatabaseMissing, Store, StoreError


def notmuch_count(store, *args: str) -> int:
    done = subprocess.run(["notmuch", "count", *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "NOTMUCH_CONFIG": str(store.config_path)})
    return int(done.stdout)


def test_no_database_found_through_the_environment_names_no_config_file():
    """NOTMUCH_CONFIG (tests/conftest.py) names a file that does not exist."""
    with pytest.raises(DatabaseMissing) as caught:
        Store(None).check()
    assert str(caught.value).startswith("No notmuch database could be opened: ")


def test_a_damaged_database_is_reported_with_its_config(notmuch_root):
    config = notmuch_root / "notmuch-config"
    (notmuch_root / "mail" / ".notmuch" / "xapian" / "iamglass").write_bytes(b"garbage")
    with pytest.raises(StoreError) as caught:
        Store(config).check()
    assert not isinstance(caught.value, DatabaseMissing)
    assert str(caught.value).startswith(f"Could not open the notmuch database (config: {config}): ")
    assert "Xapian" in str(caught.value)


@pytest.mark.parametrize("how", ["count_threads", "count_messages"])
def test_a_bad_query_in_a_count_names_the_query(store, how):
    with pytest.raises(BadQuery, match=r"^Bad query 'tag:inbox and \(': "):
        getattr(store, how)("tag:inbox and (")


def test_count_at_revision_counts_threads_or_messages_at_the_revision(store):
    query = "tag:inbox"
    threads = notmuch_count(store, "--output=threads", query)
    messages = notmuch_count(store, "--output=messages", query)
    assert threads < messages  # the sample has threads of several messages
    revision = store.revision_key()
    assert store.count_at_revision(query) == (threads, revision)
    assert store.count_at_revision(query, "threads") == (threads, revision)
    assert store.count_at_revision(query, "messages") == (messages, revision)
    with pytest.raises(BadQuery, match=r"^Bad query 'tag:inbox and \(': "):
        store.count_at_revision("tag:inbox and (", "messages")
