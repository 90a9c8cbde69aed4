"""Opening a thread in one pass: nodes, the message it opens on, and that
message ready for the pane."""
from __future__ import annotations

from dataclasses import replace

from kreview.core.reading import Folding, open_thread, read_message_view
from kreview.core.threads import first_interesting
from tests.core.helpers import big_patch_mail


def v8(store):
    return next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)


def test_opens_on_the_first_unread_match_with_its_body_laid_out(store):
    thread = v8(store)
    view = open_thread(store, thread.thread_id, "from:hch@lst.de")
    assert view.nodes == store.thread_messages(thread.thread_id, "from:hch@lst.de")
    assert view.first is not None
    assert view.first.node.message_id == first_interesting(view.nodes)
    assert "hch@lst.de" in view.first.node.author
    assert view.first.parsed.headers.subject == view.first.node.subject
    assert view.first.lines and view.first.blocks


def test_select_wins_when_it_is_in_the_thread(store):
    thread = v8(store)
    nodes = store.thread_messages(thread.thread_id)
    last = [n for n in nodes if not n.missing][-1]
    assert open_thread(store, thread.thread_id, select=last.message_id).first.node == last
    other = open_thread(store, thread.thread_id, select="not-in-this-thread@example.org")
    assert other.first.node.message_id == first_interesting(nodes)


def test_an_empty_thread_opens_on_nothing(store):
    view = open_thread(store, "0000000000000000")
    assert view.nodes == [] and view.first is None


def test_folding_settings_reach_the_blocks(store):
    thread = v8(store)
    reply = next(n for n in store.thread_messages(thread.thread_id)
                 if n.subject.lower().startswith("re:") and not n.missing)
    loose = read_message_view(reply, Folding(threshold=1000, keep_head=3, keep_tail=2))
    tight = read_message_view(reply, Folding(threshold=2, keep_head=1, keep_tail=0))
    def folded_quotes(view):
        return [b for b in view.blocks if b.type == "quote" and b.folded]

    assert not folded_quotes(loose)
    assert folded_quotes(tight)
    assert len(tight.lines) < len(loose.lines)


def test_first_interesting_prefers_unread_matches_and_skips_placeholders(store):
    thread = v8(store)
    nodes = store.thread_messages(thread.thread_id)
    plain = [replace(n, tags=frozenset(), matched=False) for n in nodes]
    assert first_interesting(plain) == next(n.message_id for n in plain if not n.missing)
    marked = list(plain)
    marked[3] = replace(marked[3], matched=True)
    marked[5] = replace(marked[5], matched=True, tags=frozenset({"unread"}))
    assert first_interesting(marked) == marked[5].message_id
    assert first_interesting([replace(n, missing=True) for n in plain]) is None


def test_long_body_first_in_part_then_whole(tmp_path):
    from kreview.core.reading import complete_view

    node = big_patch_mail(tmp_path)
    whole = read_message_view(node)
    part = read_message_view(node, first_lines=500)
    assert whole.complete and not part.complete
    assert len(part.lines) < 520 < len(whole.lines)
    assert "more lines are being laid out" in part.lines[-1].text
    # The part is the whole's beginning, coloured the same way (the first
    # file header's +N count is the only thing that grows).
    same = [(l.kind, l.text) for l in part.lines[:-2] if l.kind != "diff-file"]
    assert same == [(l.kind, l.text) for l in whole.lines[:len(part.lines) - 2] if l.kind != "diff-file"]
    assert complete_view(part) == whole
    assert complete_view(whole) is whole
    assert read_message_view(node, first_lines=100_000).complete  # short enough: one step


def test_long_patch_attachment_is_cut_too(tmp_path):
    node = big_patch_mail(tmp_path, files=2, lines_per_hunk=800, attach=True)
    whole = read_message_view(node)
    part = read_message_view(node, first_lines=300)
    assert not part.complete
    assert any(l.kind == "diff-add" for l in part.lines)
    assert len(part.lines) < 330 < len(whole.lines)
