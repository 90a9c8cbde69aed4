"""compare() reads a chain from its postings only (not the replies around
them), keeps the patch bodies it read, and takes the chain's threads from the
series index when it has them: the same answer as from the full facts, on a
real notmuch database (tests/core/chain_mail.py)."""
from __future__ import annotations

from pathlib import Path

from kreview.core.chains import chain_of_thread, patch_texts, posting_versions, thread_versions
from kreview.core.compare import compare
from kreview.core.interdiff import PatchText, series_interdiff
from kreview.core.series_index import refresh
from tests.core import chain_mail


def _full_chain(store, message_id: str):
    (chain,) = chain_of_thread(store, store.thread_ids_of([message_id])[0])
    return chain


def test_compare_gives_what_the_full_facts_give(chain_store):
    chain = _full_chain(chain_store, "v4-0@example.com")
    v1, v2, resend, v3, v4 = chain.versions
    for message_id, against, old, new in (("v4-0@example.com", None, v3, v4), ("v4-0@example.com", 1, v1, v4),
                                          ("v3-0@example.com", None, resend, v3)):
        got = compare(chain_store, message_id, against)
        assert (got.old.key, got.new.key) == (old.key, new.key)
        assert [v.key for v in got.chain.versions] == [v.key for v in chain.versions]
        assert got.changes == tuple(series_interdiff(patch_texts(chain_store, old), patch_texts(chain_store, new)))
    one = compare(chain_store, "v3-2@example.com")
    assert [(c.index, c.change) for c in one.changes] == [(2, "modified")]
    assert "++return cache_lookup(key) ?: slow_lookup(key);" in one.changes[0].diff


def test_postings_alone_make_the_same_versions_without_reviews(chain_store):
    tid = chain_store.thread_ids_of(["v2-0@example.com"])[0]
    full, lean = thread_versions(chain_store, tid), posting_versions(chain_store, tid)
    assert [(v.key, v.version, v.total, v.cover_id, v.title) for v in lean] == [
        (v.key, v.version, v.total, v.cover_id, v.title) for v in full]
    assert [[(p.index, p.message_id) for p in v.patches] for v in lean] == [
        [(p.index, p.message_id) for p in v.patches] for v in full]
    assert full[0].review.art != (0, 0, 0) and lean[0].review.art == (0, 0, 0)  # Bob's review is a reply


def test_compare_finds_a_version_the_index_has_not_seen_yet(chain_store):
    refresh(chain_store)  # the index knows v1..v4
    v5 = chain_mail._version("v5", " v5", "foo: rework the bar and baz caches", ["lock", "baz", "cache2c"], 60)
    for n, mail in enumerate(v5):
        path = Path(chain_store.check()) / "cur" / f"v5-{n}:2,S"
        path.write_bytes(mail.render())
        chain_store.index_file(path)
    newest = compare(chain_store, "v5-0@example.com")
    assert (newest.old.key, newest.new.version) == ("v4-0@example.com", 5)
    assert [c.change for c in newest.changes] == ["unchanged"] * 3
    against = compare(chain_store, "v4-0@example.com", against=5)  # from v4's (indexed) thread
    assert (against.old.key, against.new.key) == ("v5-0@example.com", "v4-0@example.com")


def test_a_rebased_patch_is_unchanged_and_a_code_change_is_not():
    subject, body = chain_mail._patch("cache2c")
    rebased = body.replace("@@ -", "@@ -1", 1).replace("index ", "index 0", 1)
    assert rebased != body
    changed = body.replace("slow_lookup(key)", "slower_lookup(key)")
    old = [PatchText(1, "a", f"[PATCH 1/1] {subject}", body)]
    for new_body, change in ((rebased, "unchanged"), (changed, "modified")):
        new = [PatchText(1, "b", f"[PATCH v2 1/1] {subject}", new_body)]
        assert [c.change for c in series_interdiff(old, new)] == [change]
