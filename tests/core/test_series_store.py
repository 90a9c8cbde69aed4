"""Series through a real notmuch database: the list column (TrailerCountCache),
the thread screen's reading (thread_series, what the series panel shows) and
``kreview trailers --json`` give the same answer, for a cover letter sent
without any prefix, a reply titled like a patch, and a series whose patches
were each sent as a thread of their own."""
from __future__ import annotations

import io
import json
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from kreview.core.demo import build_database
from kreview.core.review import TrailerCountCache, load_series, reviews_as_json, thread_series
from kreview.core.store import Store

DIFF = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n"
ANN = "Ann Author <ann@example.org>"


def _mail(mid, subject, body, sender=ANN, parent=None, minute=0):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "list@example.org"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{mid}>"
    msg["Date"] = format_datetime(datetime(2026, 1, 5, 10, minute, tzinfo=timezone.utc))
    if parent:
        msg["In-Reply-To"] = f"<{parent}>"
        msg["References"] = f"<{parent}>"
    msg.set_content(body)
    return msg


def _patch_body(why="Why."):
    return f"{why}\n\nSigned-off-by: {ANN}\n---\n f.c | 2 +-\n{DIFF}"


MAILS = [
    # a cover letter without "[PATCH]", its patches, a review of the series,
    # and a reply that kept the patch's subject without "Re:"
    _mail("nc@x", "mm: a cover letter without any prefix", "Two patches.\n", minute=0),
    _mail("nc1@x", "[PATCH 1/2] mm: one", _patch_body(), parent="nc@x", minute=1),
    _mail("nc2@x", "[PATCH 2/2] mm: two", _patch_body(), parent="nc@x", minute=2),
    _mail("ncr@x", "Re: mm: a cover letter without any prefix",
          "Nice.\n\nReviewed-by: Rev Iewer <rev@example.org>\n", "Rev Iewer <rev@example.org>",
          parent="nc@x", minute=3),
    _mail("nct@x", "[PATCH 1/2] mm: one", "Works here.\n\nTested-by: Tess Ter <tess@example.org>\n",
          "Tess Ter <tess@example.org>", parent="nc1@x", minute=4),
    # the same author's v2, one thread per patch, ten minutes apart
    _mail("u1@x", "[PATCH v2 1/2] pmem: unthreaded one", _patch_body(), minute=20),
    _mail("u2@x", "[PATCH v2 2/2] pmem: unthreaded two", _patch_body(), minute=30),
    _mail("u2r@x", "Re: [PATCH v2 2/2] pmem: unthreaded two",
          "Acked-by: Rev Iewer <rev@example.org>\n", "Rev Iewer <rev@example.org>",
          parent="u2@x", minute=40),
]


@pytest.fixture
def store(tmp_path):
    maildir = tmp_path / "maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for n, msg in enumerate(MAILS):
        (maildir / "cur" / f"m{n}:2,S").write_bytes(msg.as_bytes())
    return Store(build_database(maildir, tmp_path / "db"))


def _cli_json(store, query):
    from kreview.cli.trailers import run

    out = io.StringIO()
    args = type("Args", (), {"query": [query], "json": True})()
    assert run(args, store, out) == 0
    return json.loads(out.getvalue())


def test_cover_without_prefix_same_in_list_panel_and_json(store):
    (summary,) = store.iter_threads("id:nc@x")
    cli = _cli_json(store, "id:nc@x")
    panel = reviews_as_json(thread_series(store, summary.thread_id))
    # The CLI adds "carried_from" (trailers carried from an earlier version):
    # none here, with no earlier version in the database.
    trailers = [t for s in cli["series"] for p in s["patches"] for t in p["trailers"]]
    assert trailers and all(t.pop("carried_from") is None for t in trailers)
    assert cli == panel
    (series,) = cli["series"]
    assert series["cover"] == {"message_id": "nc@x"}
    assert [p["message_id"] for p in series["patches"]] == ["nc1@x", "nc2@x"]  # not the reply
    assert [p["counts"] for p in series["patches"]] == [{"A": 0, "R": 1, "T": 1}, {"A": 0, "R": 1, "T": 0}]
    # the list row, whose subject has no prefix, counts the same
    assert TrailerCountCache(store).get(summary) == (0, 1, 1)


def test_show_json_places_each_message_in_its_series(store, capsys):
    from kreview.cli.show import run

    cli = _cli_json(store, "id:nc@x")["series"][0]
    args = type("Args", (), {"query": ["thread:{id:nc@x}"], "json": True})()
    assert run(args, store) == 0
    shown = {m["message_id"]: m["series"] for m in json.loads(capsys.readouterr().out)["messages"]}
    assert shown["nc@x"]["role"] == "cover" and shown["nc@x"]["counts"] == {"A": 0, "R": 1, "T": 1}
    for p in cli["patches"]:
        assert (shown[p["message_id"]]["role"], shown[p["message_id"]]["index"],
                shown[p["message_id"]]["counts"]) == ("patch", p["index"], p["counts"])
    assert shown["ncr@x"] is None and shown["nct@x"] is None  # replies, the one titled like a patch too


def test_unthreaded_series_is_joined_when_the_query_holds_its_pieces(store):
    (series,) = _cli_json(store, "subject:unthreaded")["series"]
    assert series["unthreaded"] and series["version"] == 2 and series["missing"] == []
    assert [(p["message_id"], p["flags"]) for p in series["patches"]] == [
        ("u1@x", ["unthreaded"]), ("u2@x", ["unthreaded"])]
    assert [p["counts"]["A"] for p in series["patches"]] == [0, 1]
    # one piece alone is what the query holds: a series with a gap
    (alone,) = load_series(store, "id:u1@x")
    assert alone.series.missing == (2,) and not alone.series.unthreaded
