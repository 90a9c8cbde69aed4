"""Version chains, interdiff, carried trailers and statuses on a real notmuch
database holding real-shaped series (see chain_mail.py)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kreview.core.chains import chain_of_thread, patch_texts
from kreview.core.demo import build_database
from kreview.core.interdiff import series_interdiff
from kreview.core.model import Identity
from kreview.core.patchid import patch_id
from kreview.core.series_index import LASTMOD_KEY, chain_rows, refresh, rows_as_json
from kreview.core.series_status import CarriedTrailer, chain_status, with_carried
from kreview.core.store import Store
from tests.core import chain_mail
from tests.core.helpers import hold_lock

ME = Identity("Rita Reviewer", "reviewer@example.org")


def _thread_of(store: Store, message_id: str) -> str:
    return store.thread_ids_of([message_id])[0]


def _chain(store: Store, message_id: str):
    chains = chain_of_thread(store, _thread_of(store, message_id))
    assert len(chains) == 1
    return chains[0]


def test_chain_links_versions_resend_and_renamed_series(chain_store):
    chain = _chain(chain_store, "v3-0@example.com")
    got = [(v.version, v.resend, v.key) for v in chain.versions]
    assert got == [(1, False, "v1-0@example.com"), (2, False, "v2-0@example.com"),
                   (2, True, "v2r-0@example.com"), (3, False, "v3-0@example.com"),
                   (4, False, "v4-0@example.com")]
    # v4 took a new title: only the change-id (and its patch titles) tie it to v3
    assert chain.newest.title == "foo: rework the bar and baz caches"
    assert chain.versions[1].links == ("v1-0@example.com",)
    # the same chain from the renamed end
    assert [v.key for v in _chain(chain_store, "v4-2@example.com").versions] == [v.key for v in chain.versions]
    assert [v.total for v in chain.versions] == [3, 3, 3, 3, 3]


def test_unrelated_series_by_other_authors_stay_apart(chain_store):
    chain = _chain(chain_store, "s-new@example.com")
    assert [v.key for v in chain.versions] == ["s-new@example.com"]


def test_patch_id_matches_git(tmp_path):
    mails = chain_mail.chain_mails()
    bodies = [m.body for m in mails if "/3]" in m.subject and not m.subject.startswith("Re:")]
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    assert len(bodies) > 10
    for body in bodies:
        out = subprocess.run([git, "patch-id", "--stable"], input=body.encode(), capture_output=True,
                             check=True, cwd=tmp_path).stdout.decode().split()
        assert patch_id(body) == (out[0] if out else None)  # a cover letter has none


def test_patch_id_of_a_real_format_patch(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    run = lambda *a: subprocess.run([git, "-C", str(repo), *a], check=True, capture_output=True)  # noqa: E731
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    run("config", "user.email", "a@example.com")
    run("config", "user.name", "A")
    (repo / "a.c").write_text("int a;\nint b;\nint c;\n" * 5)
    (repo / "b.h").write_text("x\ny")
    run("add", ".")
    run("commit", "-qm", "init")
    (repo / "a.c").write_text("int a;\nint  b2;\nint c;\n" * 5 + "int d;\n")
    (repo / "b.h").write_text("x\nz")
    (repo / "n.h").write_text("new\n")
    run("add", ".")
    run("commit", "-qm", "change things")
    patch = subprocess.run([git, "-C", str(repo), "format-patch", "-1", "--stdout"], check=True,
                           capture_output=True).stdout
    expected = subprocess.run([git, "patch-id", "--stable"], input=patch, capture_output=True,
                              check=True).stdout.decode().split()[0]
    body = patch.decode().split("\n\n", 1)[1]
    assert patch_id(body) == expected
    # whitespace and line numbers do not change the id; the code does
    assert patch_id(body.replace("@@ -1,", "@@ -7,").replace("int  b2", "int b2")) == expected
    assert patch_id(body.replace("+int d;", "+int e;")) != expected


def test_interdiff_between_versions(chain_store):
    chain = _chain(chain_store, "v2-0@example.com")
    v1, v2, _resend, v3, v4 = chain.versions
    changes = series_interdiff(patch_texts(chain_store, v2), patch_texts(chain_store, v3))
    assert [(c.index, c.change) for c in changes] == [(1, "unchanged"), (2, "modified"), (3, "unchanged")]
    modified = changes[1].diff
    assert "## Diff ##" in modified
    assert "-+return cache_lookup(key) ?: lookup(key);" in modified
    assert "++return cache_lookup(key) ?: slow_lookup(key);" in modified
    changes = series_interdiff(patch_texts(chain_store, v3), patch_texts(chain_store, v4))
    assert [(c.index, c.change, c.title) for c in changes] == [
        (1, "unchanged", "foo: take the bar lock in bar_get()"),
        (2, "added", "foo: add the baz cache"),
        (3, "unchanged", "foo: cache the bar lookups"),
        (3, "dropped", "foo: count bar cache hits"),
    ]
    # a re-roll of one patch: only its diff changed between v1 and v2
    changes = series_interdiff(patch_texts(chain_store, v1), patch_texts(chain_store, v2))
    assert [c.change for c in changes] == ["unchanged", "modified", "unchanged"]


def test_carried_trailers_follow_unchanged_patches(chain_store):
    chain = with_carried(_chain(chain_store, "v3-0@example.com"))
    v1, v2, resend, v3, v4 = chain.versions

    def carried(version):
        return {(p.index, t.kind, t.email, t.carried_from)
                for p in version.review.patches for t in p.trailers if isinstance(t, CarriedTrailer)}

    assert carried(v2) == set()
    # the resend is v2 again: both reviews carry onto it
    assert carried(resend) == {(1, "Reviewed-by", "bob@example.net", 2),
                               (3, "Reviewed-by", "reviewer@example.org", 2)}
    # 2/3 was re-rolled in v3: nothing carries to it; 1/3 and 3/3 keep theirs
    assert carried(v3) == carried(resend)
    # v4 dropped "count bar cache hits" (my review) and kept the lock patch as 1/3
    assert carried(v4) == {(1, "Reviewed-by", "bob@example.net", 2)}
    assert v4.review.art == (0, 1, 0)
    assert v3.review.art == (0, 2, 0)


def test_every_status(chain_store):
    _, titles = chain_mail.status_mails()
    me = {"reviewer@example.org"}
    for status, subject in titles.items():
        message_id = next(m.message_id for m in chain_mail.status_mails()[0] if m.subject == subject)
        assert chain_status(with_carried(_chain(chain_store, message_id)), me) == status, status
    chain = with_carried(_chain(chain_store, "v1-0@example.com"))
    from kreview.core.series_status import version_status

    assert [version_status(chain, v, me) for v in chain.versions] == [
        "superseded", "superseded", "superseded", "superseded", "needs my review"]


def test_index_writes_properties_and_refreshes_by_lastmod(chain_store, tmp_path):
    first = refresh(chain_store)
    assert first.full and first.chains_written == 8
    rows = chain_rows(chain_store, "*")
    by_title = {r.title: r for r in rows}
    foo = by_title["foo: rework the bar and baz caches"]
    assert foo.status == "needs my review"
    assert [(v.version, v.resend) for v in foo.versions] == [(1, False), (2, False), (2, True), (3, False), (4, False)]
    data = rows_as_json(rows)
    chain_json = next(c for c in data["chains"] if c["title"] == foo.title)
    assert chain_json["author"] == {"name": "Alice Author", "email": "alice@example.com"}
    assert chain_json["versions"][0]["cover"] == {"message_id": "v1-0@example.com"}
    assert chain_json["versions"][-1]["art"] == {"A": 0, "R": 1, "T": 0}
    assert chain_json["last_activity"].endswith("Z")
    json.dumps(data)
    # notmuch itself answers: the properties are searchable
    found = chain_store.messages("property:kreview.status=needs-my-review")
    assert {n.message_id for n in found} == {"v4-0@example.com", "s-need@example.com"}
    assert chain_store.messages("property:kreview.version=2 and property:kreview.resend=1")[0].message_id \
        == "v2r-0@example.com"
    # nothing new: nothing read
    again = refresh(chain_store)
    assert again.threads_read == 0 and again.heads_written == 0
    # my Reviewed-by arrives on the series that needed my review: that chain only is read again
    needs = next(m for m in chain_mail.status_mails()[0] if m.message_id == "s-need@example.com")
    late = chain_mail.reply("s-need-me@example.org", needs, chain_mail.ME,
                            "Reviewed-by: Rita Reviewer <reviewer@example.org>", 30)
    path = Path(chain_store.check()) / "cur" / "late:2,S"
    path.write_bytes(late.render())
    chain_store.index_file(path)
    after = refresh(chain_store)
    assert not after.full and after.threads_read == 1 and after.chains_written == 1
    rows = {r.title: r for r in chain_rows(chain_store, "*")}
    assert rows["qux: add a qux test"].status == "reviewed by me"
    assert chain_store.database_value(LASTMOD_KEY).endswith(f":{chain_store.revision()[0]}")
    # a query narrows the chains to those with a matching head
    assert [r.title for r in chain_rows(chain_store, "from:alice@example.com")] == [foo.title]


def _cli(store: Store, *argv: str) -> str:
    import contextlib
    import io

    from kreview.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([argv[0], "--notmuch-config", str(store.config_path), *argv[1:]])
    assert code == 0
    return out.getvalue()


def test_cli_series_json_shape(chain_store):
    data = json.loads(_cli(chain_store, "series", "--json"))
    assert len(data["chains"]) == 8
    chain = data["chains"][0]
    assert set(chain) >= {"title", "author", "status", "last_activity", "versions"}
    assert set(chain["author"]) == {"name", "email"}
    for c in data["chains"]:
        for v in c["versions"]:
            assert set(v) >= {"version", "resend", "thread_id", "cover", "total", "date", "art"}
            assert set(v["art"]) == {"A", "R", "T"}
        assert [v["version"] for v in c["versions"]] == sorted(v["version"] for v in c["versions"])
    statuses = {c["status"] for c in data["chains"]}
    assert statuses == {"needs my review", "new", "reviewed by me", "changes requested", "author replied",
                        "applied", "discussed"}
    only = json.loads(_cli(chain_store, "series", "--json", "--status", "applied"))
    assert [c["title"] for c in only["chains"]] == ["qux: document qux"]
    text = _cli(chain_store, "series", "--no-refresh")
    assert "needs my review: 2" in text


def test_cli_interdiff_json(chain_store):
    data = json.loads(_cli(chain_store, "interdiff", "v3-2@example.com", "--json"))
    assert data["from"] == {"version": 2, "message_id": "v2r-2@example.com"}  # the newest v2: its resend
    assert data["to"] == {"version": 3, "message_id": "v3-2@example.com"}
    assert [(p["index"], p["change"]) for p in data["patches"]] == [(2, "modified")]
    assert "++return cache_lookup(key) ?: slow_lookup(key);" in data["patches"][0]["diff"]
    whole = json.loads(_cli(chain_store, "interdiff", "v4-0@example.com", "--against", "1", "--json"))
    assert whole["from"] == {"version": 1, "message_id": "v1-0@example.com"}
    assert [(p["index"], p["change"]) for p in whole["patches"]] == [
        (1, "unchanged"), (2, "added"), (3, "modified"), (3, "dropped")]
    assert "v1 -> v4" in _cli(chain_store, "interdiff", "<v4-0@example.com>", "--against", "1")


def test_cli_interdiff_says_why_not(chain_store, capsys):
    from kreview.cli import main

    assert main(["interdiff", "--notmuch-config", str(chain_store.config_path), "v1-1@example.com"]) == 2
    assert "first version" in capsys.readouterr().err
    assert main(["interdiff", "--notmuch-config", str(chain_store.config_path), "v4-1@example.com",
                 "--against", "9"]) == 2
    assert "No v9" in capsys.readouterr().err


def test_trailers_json_marks_carried(chain_store):
    data = json.loads(_cli(chain_store, "trailers", "id:v3-0@example.com", "--json"))
    v3 = next(s for s in data["series"] if s["version"] == 3)
    by_index = {p["index"]: p for p in v3["patches"]}
    carried = [(t["kind"], t["email"], t["carried_from"]) for t in by_index[1]["trailers"] if t["carried_from"]]
    assert carried == [("Reviewed-by", "bob@example.net", 2)]
    assert by_index[1]["counts"]["R"] == 1
    assert not [t for t in by_index[2]["trailers"] if t["carried_from"]]  # re-rolled: nothing carries
    assert all("carried_from" in t for p in v3["patches"] for t in p["trailers"])


def test_a_long_title_is_indexed_without_a_too_long_property(tmp_path):
    """Xapian takes a property as one term of at most 245 bytes, and libnotmuch
    exits the whole process on a longer one (seen on the nvdimm archive)."""
    title = "mm/hugetlb: " + "make the very long explanation of this change fit nowhere " * 3
    mail = chain_mail.single("long", "Ünïcode Authorname-With-A-Long-Name <a.very.long.address@example.com>",
                             title.strip(), 1)
    source = tmp_path / "maildir"
    chain_mail.write_maildir([mail], source)
    config = build_database(source, tmp_path / "db", ME)
    store = Store(config)
    refresh(store)
    rows = chain_rows(store, "*")
    assert [r.title for r in rows] == [title.strip()]
    assert rows[0].author_email == "a.very.long.address@example.com"
    assert store.messages("property:kreview.status=new")[0].message_id == "long@example.com"


def test_row_cache_follows_the_index(chain_store, tmp_path):
    refresh(chain_store)
    cache = tmp_path / "cache"
    fresh = chain_rows(chain_store, "*", cache)
    assert [r.key for r in fresh] == [r.key for r in chain_rows(chain_store, "*")]
    (path,) = cache.glob("series-rows-*.jsonl")
    head, *lines = path.read_text().split("\n")
    header = json.loads(head)
    header["chains"] = 1
    path.write_text(json.dumps(header) + "\n" + lines[0])
    assert len(chain_rows(chain_store, "*", cache)) == 1  # read from the file while the index is unchanged
    needs = next(m for m in chain_mail.status_mails()[0] if m.message_id == "s-new@example.com")
    late = chain_mail.reply("s-new-bob@example.org", needs, chain_mail.BOB, "Looks fine.", 30)
    mail = Path(chain_store.check()) / "cur" / "late2:2,S"
    mail.write_bytes(late.render())
    chain_store.index_file(mail)
    refresh(chain_store)  # a new kreview.series-lastmod: the file is stale
    rows = chain_rows(chain_store, "*", cache)
    assert len(rows) == 8 and {r.title: r.status for r in rows}["qux: tidy the qux table"] == "discussed"


def test_a_new_version_joins_its_chain_on_refresh(chain_store):
    refresh(chain_store)
    chain_mail.index_v5(chain_store)
    result = refresh(chain_store)
    assert not result.full and result.chains_written == 1
    foo = next(r for r in chain_rows(chain_store, "*") if r.title.startswith("foo:"))
    assert [v.version for v in foo.versions] == [1, 2, 2, 3, 4, 5]
    assert [v.status for v in foo.versions][-2:] == ["superseded", "needs my review"]
    # every patch of v5 equals v4's: Bob's review (from v2) carries all the way
    assert foo.newest.art == (0, 1, 0)
    assert chain_store.messages("property:kreview.status=superseded and property:kreview.version=4")


@pytest.mark.parametrize("line, applied", [
    ("Applied, thanks!", True),
    ("Thanks! Applied to https://github.com/pmem/ndctl/tree/pending", True),
    ("Thanks and applied to pending at: https://example.org", True),
    ("Series applied to libnvdimm-for-next:", True),
    ("Looks good, applied, thanks.", True),
    ("> Applied, thanks!", False),  # quoted: someone else said it, elsewhere
    ("[If your patch is applied to the wrong git tree, kindly drop us a note.", False),  # the kernel test robot
    ("Well, that whole patchset applied on top of v6.15-rc7 seems to be fine", False),  # a tester
    ("Applied on top of v6.8 and tested, works.", False),
    ("Queued for 6.9, thanks.", False),
])
def test_applied_replies(line, applied):
    from kreview.core.chains import _says_applied

    assert _says_applied(f"On Mon, someone wrote:\n> patch\n\n{line}\n\n-- \nsig\n") is applied


def test_interdiff_pairs_a_retitled_patch_by_patch_id_and_sees_moves():
    from kreview.core.interdiff import PatchText

    def patch(index: int, key: str, title: str | None = None) -> PatchText:
        subject, body = chain_mail._patch(key)
        return PatchText(index, f"{key}-{index}", f"[PATCH {index}/3] {title or subject}", body)

    old = [patch(1, "lock"), patch(2, "stats"), patch(3, "baz")]
    new = [patch(1, "stats"), patch(2, "lock"), patch(3, "baz", "foo: add a cache for baz")]
    changes = series_interdiff(old, new)
    assert [(c.index, c.change) for c in changes] == [(1, "moved"), (2, "moved"), (3, "modified")]
    retitled = changes[2]
    assert retitled.old.message_id == "baz-3"  # found by its patch-id, not its title
    # only the title changed: a commit-message section, no diff section
    assert retitled.diff == ("## Commit message ##", "@@ -1,3 +1,3 @@", "-foo: add the baz cache",
                             "+foo: add a cache for baz", " Explain why add the baz cache.", " ")


def test_cli_series_prints_the_index_when_the_database_is_locked(chain_store, capsys):
    import argparse
    import io

    from kreview.cli.series import run
    from kreview.core.store import LockRetry

    refresh(chain_store)
    late = chain_mail.reply("late-lock@example.org", chain_mail.status_mails()[0][0], chain_mail.BOB, "Hm.", 5)
    path = Path(chain_store.check()) / "cur" / "late-lock:2,S"
    path.write_bytes(late.render())
    chain_store.index_file(path)  # so the refresh has something to write
    holder = hold_lock(chain_store.config_path, 3.0)
    try:
        impatient = Store(chain_store.config_path, lock_retry=LockRetry(attempts=3, delay=0.1))
        out = io.StringIO()
        args = argparse.Namespace(query=["*"], json=True, status=None, no_refresh=False, rebuild=False)
        assert run(args, impatient, out) == 0
    finally:
        holder.wait()
    assert len(json.loads(out.getvalue())["chains"]) == 8
    assert "not refreshed" in capsys.readouterr().err
