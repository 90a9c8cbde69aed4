"""Trailer collection: golden .mbox series against expected JSON, plus the
rules one at a time on small bodies.

The goldens in fixtures/series/ are real-shaped threads; each ``NAME.json``
is the ``kreview trailers --json`` output for ``NAME.mbox``, reviewed by
hand. Regenerate after an intended change with
``python -m tests.core.test_trailers`` and read the diff: the test itself
only compares (a test that may write its own expectations passes whatever
the code does).
"""
from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest

from kreview.core.parse import parse_message
from kreview.core.review import reviews_as_json
from kreview.core.series import SeriesMessage, assemble
from kreview.core.trailers import Trailer, collect, extract_trailers, parse_scope

FIXTURES = Path(__file__).parent / "fixtures" / "series"
CASES = sorted(p.stem for p in FIXTURES.glob("*.mbox"))


def load_mbox(path: Path) -> list[SeriesMessage]:
    """SeriesMessages as review.py builds them, with the parent a notmuch
    thread tree would give: In-Reply-To when that message is in the set."""
    parsed = [parse_message(m.as_bytes()) for m in mailbox.mbox(str(path))]
    ids = {p.headers.message_id for p in parsed}
    out = []
    for p in parsed:
        h = p.headers
        parent = h.in_reply_to or (h.references[-1] if h.references else None)
        out.append(SeriesMessage(
            message_id=h.message_id,
            parent_id=parent if parent in ids else None,
            subject=h.subject, from_name=h.from_name, from_email=h.from_email,
            date=h.date_epoch, body_text=p.text,
        ))
    return out


def review_json(name: str) -> dict:
    messages = load_mbox(FIXTURES / f"{name}.mbox")
    return reviews_as_json(collect(s, messages) for s in assemble(messages))


@pytest.mark.parametrize("name", CASES)
def test_golden(name):
    got = review_json(name)
    assert got == json.loads((FIXTURES / f"{name}.json").read_text())


def test_every_golden_has_expected_output():
    assert CASES and all((FIXTURES / f"{c}.json").exists() for c in CASES)


def _one(text: str, **kw) -> Trailer:
    found = extract_trailers(text, **kw)
    assert len(found) == 1, found
    return found[0]


def test_person_trailer_parsed_and_kind_canonicalised():
    t = _one("Looks fine.\n\nreviewed-BY: Alice Reviewer <Alice@Example.com>\n")
    assert (t.kind, t.name, t.email) == ("Reviewed-by", "Alice Reviewer", "alice@example.com")


def test_quoted_and_signature_trailers_are_ignored():
    body = ("> Acked-by: Quoted <q@example.com>\n"
            " >> Reviewed-by: Deeper <d@example.com>\n"
            "Fine by me.\n-- \nAcked-by: Sig <s@example.com>\n")
    assert extract_trailers(body) == []


def test_patch_reads_only_the_commit_message():
    body = ("Fix it.\n\nSigned-off-by: A <a@example.com>\n---\n"
            "Reviewed-by: Changelog note <c@example.com>\n diff stuff\n")
    assert [t.email for t in extract_trailers(body, is_patch=True)] == ["a@example.com"]
    # the same text as a reply has no commit message to end
    assert len(extract_trailers(body)) == 2


def test_wrapped_trailers_are_joined():
    assert _one("Reviewed-by: Long Name\n<long@example.com>\n").email == "long@example.com"
    fixes = _one('Fixes: abcdef012345 ("subsys: a long\nsubject line")\n')
    assert fixes.value == 'abcdef012345 ("subsys: a long subject line")'
    folded = _one("Acked-by: Folded Name\n  <folded@example.com>\n")
    assert folded.email == "folded@example.com"


def test_non_trailers_are_rejected():
    body = ("Reviewed-by: nobody in particular\n"  # no address
            "Fixes: the bug from yesterday\n"  # no hash
            "Note: this is prose <x@example.com>\n"  # not a trailer kind
            "Acked-by: see https://example.com/a@b.c\n")  # a link is no person
    assert extract_trailers(body) == []


@pytest.mark.parametrize("text, scope", [
    ("For patches 1-3:", (1, 2, 3)),
    ("for 2/5", (2,)),
    ("Looks good, for the series:", None),
    ("For patches 1 and 3", (1, 3)),
    ("for patches 1, 2 and 4", (1, 2, 4)),
    ("for patch #4", (4,)),
    ("thanks for 3 days of testing", False),
    ("no scope here", False),
])
def test_parse_scope(text, scope):
    assert parse_scope(text) == scope


def test_scope_carries_to_following_trailers_until_the_next_phrase():
    body = ("For patches 1-2:\nReviewed-by: A <a@example.com>\n\n"
            "Tested-by: A <a@example.com>\n\nand for patch 3:\nAcked-by: A <a@example.com>\n"
            "Reported-by: A <a@example.com> # for 4/4\n")
    assert [t.scope for t in extract_trailers(body)] == [(1, 2), (1, 2), (3,), (4,)]


# A patch is found by its diff (series.py): the synthetic patches carry one.
DIFF = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n"


def _msg(mid, parent, subject, body, who=("Rev", "rev@example.com"), date=0):
    return SeriesMessage(mid, parent, subject, who[0], who[1], date, body)


def test_scope_in_a_patch_reply_does_not_move_the_trailer():
    msgs = [
        _msg("c", None, "[PATCH 0/2] x", "cover"),
        _msg("p1", "c", "[PATCH 1/2] x", "x\n---\n" + DIFF, date=1),
        _msg("p2", "c", "[PATCH 2/2] y", "y\n---\n" + DIFF, date=2),
        _msg("r", "p1", "Re: [PATCH 1/2] x", "for patch 2:\nAcked-by: Rev <rev@example.com>", date=3),
    ]
    (series,) = assemble(msgs)
    review = collect(series, msgs)
    assert [p.art for p in review.patches] == [(1, 0, 0), (0, 0, 0)]


def test_suspect_beats_nothing_but_loses_to_a_trusted_copy():
    msgs = [
        _msg("p", None, "[PATCH] x", "x\n---\n" + DIFF),
        _msg("r1", "p", "Re: [PATCH] x", "Acked-by: Boss <boss@example.com>",
             who=("Proxy", "proxy@example.com"), date=1),
        _msg("r2", "r1", "Re: [PATCH] x", "Acked-by: Boss <boss@example.com>",
             who=("Boss", "boss@example.com"), date=2),
    ]
    (series,) = assemble(msgs)
    (patch,) = collect(series, msgs).patches
    assert [(t.message_id, t.suspect) for t in patch.trailers] == [("r2", False)]
    assert patch.art == (1, 0, 0) and patch.reviewed


def test_reply_to_a_later_version_does_not_credit_the_earlier_one():
    msgs = [
        _msg("v1", None, "[PATCH] x", "x\n---\n" + DIFF),
        _msg("v2", "v1", "[PATCH v2] x", "x\n---\n" + DIFF, date=1),
        _msg("r", "v2", "Re: [PATCH v2] x", "Reviewed-by: Rev <rev@example.com>", date=2),
    ]
    v1, v2 = assemble(msgs)
    assert collect(v1, msgs).patches[0].trailers == ()
    assert collect(v2, msgs).patches[0].art == (0, 1, 0)


def test_series_art_counts_people_not_patches():
    messages = load_mbox(FIXTURES / "cover_trailers.mbox")
    (series,) = assemble(messages)
    review = collect(series, messages)
    # Alice (series), Dave (patch 2) review; Bob acks 1-3; Carol tests 2
    assert review.art == (1, 2, 1)
    assert [p.reviewed for p in review.patches] == [True, True, True, True]


@pytest.fixture
def fixture_store(tmp_path):
    """A real notmuch database holding two golden mboxes, one file per mail."""
    from kreview.core.demo import build_database
    from kreview.core.store import Store

    maildir = tmp_path / "maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for name in ("cover_trailers", "two_versions"):
        for n, msg in enumerate(mailbox.mbox(str(FIXTURES / f"{name}.mbox"))):
            (maildir / "cur" / f"{name}-{n}:2,S").write_bytes(msg.as_bytes())
    return Store(build_database(maildir, tmp_path / "db"))


def test_cli_json_through_notmuch_matches_the_golden(fixture_store, capsys):
    from kreview.cli.trailers import run

    args = type("Args", (), {"query": ["id:patch3-v3@example.org"], "json": True})()
    assert run(args, fixture_store) == 0
    out = json.loads(capsys.readouterr().out)
    # The CLI adds "carried_from" (issue 15): null here, no version of this
    # fixture shares an unchanged patch with another.
    trailers = [t for s in out["series"] for p in s["patches"] for t in p["trailers"]]
    assert trailers and all(t.pop("carried_from") is None for t in trailers)
    assert out == json.loads((FIXTURES / "cover_trailers.json").read_text())


def test_cli_table_and_cached_counts(fixture_store):
    import io

    from kreview.cli.trailers import run
    from kreview.core.review import TrailerCountCache

    out = io.StringIO()
    args = type("Args", (), {"query": ["subject:pmem"], "json": False})()
    run(args, fixture_store, out)
    text = out.getvalue()
    assert "pmem: batch flushes  (v1 RFC, 2 patches, A:1 R:0 T:0)" in text
    assert "pmem: batch flushes  (v2, 2 patches, A:1 R:1 T:0)" in text
    assert "2/2  A:0 R:0 T:0  [RFC PATCH 2/2] pmem: use the flush batch  [no review]" in text

    counts = TrailerCountCache(fixture_store)
    (pmem,) = fixture_store.iter_threads("id:pm-v1-0@example.org")
    (cxl,) = fixture_store.iter_threads("id:cover-v3@example.org")
    assert counts.get(pmem) == (1, 1, 0)  # the newest version's counts
    assert counts.get(cxl) == (1, 2, 1)
    assert counts.get(cxl) == (1, 2, 1)  # from the cache this time


def test_counting_stops_when_cancelled_and_caches_nothing(fixture_store):
    from kreview.core.review import Cancelled, TrailerCountCache

    (cxl,) = fixture_store.iter_threads("id:cover-v3@example.org")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return True

    counts = TrailerCountCache(fixture_store)
    with pytest.raises(Cancelled):
        counts.get(cxl, cancelled=cancelled)
    assert asked  # asked before reading the files
    assert counts.get(cxl, cancelled=lambda: False) == (1, 2, 1)  # nothing was cached by the cancelled call


def test_count_and_thread_screen_share_one_reading(fixture_store, monkeypatch):
    """The trailers read for a row's count serve the thread screen, and the
    other way round; a thread that changed (a new draft, a new reply) is
    read again."""
    from dataclasses import replace

    import kreview.core.review as review
    from kreview.core.review import TrailerCountCache, reviews_of

    (cxl,) = fixture_store.iter_threads("id:cover-v3@example.org")
    nodes = fixture_store.thread_messages(cxl.thread_id)
    counts = TrailerCountCache(fixture_store)
    assert counts.known_reviews(cxl.thread_id, nodes) is None
    assert counts.get(cxl) == (1, 2, 1)
    known = counts.known_reviews(cxl.thread_id, nodes)
    assert known is not None and known == reviews_of(nodes)

    # a reply turned draft, or one more message: not the same reading
    drafted = [replace(n, tags=n.tags | {"draft"}) if i == len(nodes) - 1 else n for i, n in enumerate(nodes)]
    assert counts.known_reviews(cxl.thread_id, drafted) is None
    assert counts.known_reviews(cxl.thread_id, nodes[:-1]) is None

    # the screen's reading serves the count: no file is read for it
    fresh = TrailerCountCache(fixture_store)
    fresh.remember_reviews(cxl.thread_id, nodes, known)
    monkeypatch.setattr(review, "reviews_of", lambda *_a, **_k: pytest.fail("read the files again"))
    assert fresh.get(cxl) == (1, 2, 1)

    # only the last few readings are kept
    small = TrailerCountCache(fixture_store, max_reviews=1)
    small.remember_reviews(cxl.thread_id, nodes, known)
    small.remember_reviews("other", [], [])
    assert small.known_reviews(cxl.thread_id, nodes) is None

def test_other_versions_found_across_threads(tmp_path):
    """v1 and v2 in separate threads (v2 not sent in reply), plus an
    unrelated series: the family is v1, v2, whatever thread each lives in."""
    from email.message import EmailMessage

    from kreview.core.demo import build_database
    from kreview.core.review import other_versions, thread_series
    from kreview.core.store import Store

    maildir = tmp_path / "maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    mails = [("a0", None, "[PATCH 0/2] dax: hmem: fix: it"), ("a1", "a0", "[PATCH 1/2] dax: one"),
             ("b0", None, "[PATCH v2 0/2] dax: hmem: fix: it"), ("b1", "b0", "[PATCH v2 1/2] dax: one"),
             ("c0", None, "[PATCH v2 0/2] cxl: unrelated")]
    for n, (mid, parent, subject) in enumerate(mails):
        msg = EmailMessage()
        msg["From"], msg["Subject"], msg["Message-ID"] = "A <a@example.org>", subject, f"<{mid}@x>"
        msg["Date"] = f"Mon, 0{n + 1} Jul 2024 08:00:00 +0000"
        if parent:
            msg["In-Reply-To"] = f"<{parent}@x>"
        msg.set_content("text\n")
        (maildir / "cur" / f"m{n}:2,S").write_bytes(msg.as_bytes())
    store = Store(build_database(maildir, tmp_path / "db"))
    (v1_thread,) = store.iter_threads("id:a0@x")
    (v1,) = thread_series(store, v1_thread.thread_id)
    family = other_versions(store, v1.series)
    assert [(s.version, s.key) for s in family] == [(1, "a0@x"), (2, "b0@x")]


def test_sample_v8_series_through_the_cli(store, capsys):
    """The sample mailbox's v8 series: a cover-letter Tested-by for all
    seven patches, a cover reply scoped "For patches 1-3", per-patch reviews."""
    from kreview.cli.trailers import run

    args = type("Args", (), {"query": ["subject:\"Merge hmm into devm_memremap_pages\""], "json": True})()
    assert run(args, store) == 0
    (v8,) = [s for s in json.loads(capsys.readouterr().out)["series"] if s["version"] == 8]
    assert v8["total"] == 7 and v8["cover"] and v8["missing"] == []

    def who(kind, patch):
        return {t["email"] for t in patch["trailers"] if t["kind"] == kind and not t["suspect"]}

    assert all("logang@deltatee.com" in who("Tested-by", p) for p in v8["patches"])
    assert [("bsingharora@gmail.com" in who("Reviewed-by", p)) for p in v8["patches"]] == [
        True, True, True, False, False, False, False]
    balbir = next(t for t in v8["patches"][0]["trailers"] if t["email"] == "bsingharora@gmail.com")
    assert balbir["origin"] == "cover-reply" and balbir["scope"] == [1, 2, 3]


def test_other_versions_finds_v7_of_the_sample_v8_series(store):
    """Titles with identifiers (devm_memremap_pages) must survive the subject search."""
    from kreview.core.review import other_versions, thread_series

    thread = next(store.iter_threads("subject:v8 and subject:0/7"))
    v8 = thread_series(store, thread.thread_id)[0].series
    assert [s.version for s in other_versions(store, v8)] == [7, 8]


if __name__ == "__main__":  # python -m tests.core.test_trailers: rewrite the goldens
    for case in CASES:
        (FIXTURES / f"{case}.json").write_text(json.dumps(review_json(case), indent=2) + "\n")
        print(f"wrote {FIXTURES / case}.json")


@pytest.mark.parametrize("value, email", [
    ("Jane Doe <jane@example.org>", "jane@example.org"),
    ("jane@example.org", "jane@example.org"),
    ("J. Random Hacker", None),  # a dot but no "@"
    ("Jane <jane@localhost>", None),  # no dot after the "@"
    ("Jane <@example.org>", None),  # nothing before the "@"
    ("Jane jane@example.", None),  # the dot ends the address: no domain after it
    ("Jane jane@.org", None),  # nothing between "@" and the dot
    ("Jane jane@e.org", "jane@e.org"),  # the shortest domain there is
    ("Jane jane@ex.a.", "jane@ex.a."),  # a dot before the last one is enough
])
def test_what_counts_as_an_address_in_a_person_trailer(value, email):
    found = extract_trailers(f"Looks good.\n\nAcked-by: {value}\n")
    assert [t.email for t in found] == ([email] if email else [])


def test_two_addresses_make_a_trailer_suspect_but_a_handle_does_not():
    two = _one("Acked-by: Jane <jane@example.org>, Joe <joe@example.org>\n")
    assert (two.email, two.suspect, two.suspect_reason) == (
        "jane@example.org", True, "more than one address in the trailer")
    handle = _one("Acked-by: Jane <jane@example.org> for the @mm team\n")
    assert (handle.email, handle.suspect) == ("jane@example.org", False)


def test_any_by_trailer_is_a_person_trailer_spelled_canonically():
    t = _one("debugged-BY: Dee Bugger <dee@example.org>\n")
    assert (t.kind, t.email) == ("Debugged-by", "dee@example.org")


def test_fixes_link_and_closes_keep_their_kind_and_whole_value():
    found = extract_trailers(
        'Fixes: 0123456789ab ("mm: fix it")\n'
        "Link: https://lore.kernel.org/r/20181120.1234@intel.com\n"
        "Closes: https://bugzilla.kernel.org/show_bug.cgi?id=1\n")
    assert [(t.kind, t.value, t.is_person) for t in found] == [
        ("Fixes", '0123456789ab ("mm: fix it")', False),
        ("Link", "https://lore.kernel.org/r/20181120.1234@intel.com", False),
        ("Closes", "https://bugzilla.kernel.org/show_bug.cgi?id=1", False),
    ]


def test_a_b4_comment_after_the_address_is_not_a_second_address():
    t = _one("Acked-by: Jane <jane@example.org> # thanks to joe@example.org\n")
    assert (t.email, t.suspect) == ("jane@example.org", False)
    assert t.value == "Jane <jane@example.org> # thanks to joe@example.org"


@pytest.mark.parametrize("trailer_email, name, from_name, from_email, mine", [
    ("jane@example.org", "Jane Doe", "Someone", "JANE@Example.org", True),  # case
    ("jane@example.org", "Jane Doe", " jane doe ", "other@else.net", True),  # same name
    ("jane@example.org", "", "", "other@else.net", False),  # no name to match
    ("jane+lkml@example.org", "Jane", "J", "jane@example.org", True),  # +tag
    ("jane@example.org", "Jane", "J", "jane+kernel@example.org", True),
    ("jane@mail.example.org", "Jane", "J", "jane@example.org", True),  # one subdomain
    ("jane@example.org", "Jane", "J", "jane@mail.example.org", True),
    ("jane@a.b.example.org", "Jane", "J", "jane@example.org", False),  # two levels
    ("jane@x.badexample.org", "Jane", "J", "jane@example.org", False),  # not at a dot
    ("joe@example.org", "Jane", "J", "jane@example.org", False),  # another person
    ("jane@example.org", "Jane", "J", "jane", False),  # a sender without an address
])
def test_whose_trailer_is_the_senders_own(trailer_email, name, from_name, from_email, mine):
    from kreview.core.trailers import sender_matches

    trailer = Trailer("Reviewed-by", f"{name} <{trailer_email}>", name=name, email=trailer_email)
    assert sender_matches(trailer, from_name, from_email) is mine
