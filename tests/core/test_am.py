"""`kreview am` on the sample's real series: golden outputs checked against
b4's (b4 0.16.0, ``b4 --offline-mode am -m THREAD.mbox``, stored next to
them), the JSON contract, missing patches, and the options."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from kreview.cli import main
from kreview.core.am import AmError, AmOptions, am_subject, export_am, find_series, patch_messages

GOLDEN = Path(__file__).parent / "fixtures" / "am"
V8 = 'subject:"PATCH v8"'
V4 = 'subject:"PATCH v4"'
V8_SLUG = "v8_20181120_dan_j_williams_mm_merge_hmm_into_devm_memremap_pages_mark_gpl_only"
V7_QUERY = 'subject:"PATCH v7"'
BALBIR = "Reviewed-by: Balbir Singh <bsingharora@gmail.com>"


@pytest.fixture
def cli(store, notmuch_root, capsys):
    config = str(notmuch_root / "notmuch-config")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([argv[0], "--notmuch-config", config, *argv[1:]])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def mailinfo(message: bytes, work: Path) -> dict:
    done = subprocess.run(["git", "mailinfo", "-u", str(work / "m"), str(work / "p")], input=message,
                          capture_output=True, check=True)
    return {"info": done.stdout.decode(), "message": (work / "m").read_text(),
            "diff": (work / "p").read_bytes()}


@pytest.mark.parametrize("query, golden", [(V8, "v8"), (V4, "v4")])
def test_export_matches_the_golden_mbox(store, tmp_path, query, golden):
    result = export_am(find_series(store, query), tmp_path, AmOptions())
    assert result.mbox.read_bytes() == (GOLDEN / f"{golden}.mbx").read_bytes()


# What kreview does differently from b4, on purpose (docs/am.md), in the v8 series:
# Balbir's Reviewed-by answers the cover letter "for patches 1-3" (b4 adds it
# to all 7); Jérôme's Tested-by continues on an indented line (b4 cuts it).
V8_DELIBERATE = {
    4: {"b4": [BALBIR], "kreview": []},
    5: {"b4": ["Tested-by: Jérôme Glisse <jglisse@redhat.com> # nouveau HMM mirror and", BALBIR],
        "kreview": ["Tested-by: Jérôme Glisse <jglisse@redhat.com> # nouveau HMM mirror and "
                    "device private memory on next-20181119"]},
    6: {"b4": [BALBIR], "kreview": []},
    7: {"b4": [BALBIR], "kreview": []},
}


@pytest.mark.parametrize("golden, deliberate", [("v8", V8_DELIBERATE), ("v4", {})])
def test_patch_for_patch_as_b4_except_the_deliberate_rules(tmp_path, golden, deliberate):
    ours = patch_messages((GOLDEN / f"{golden}.mbx").read_bytes())
    theirs = patch_messages((GOLDEN / f"{golden}.b4.mbx").read_bytes())
    assert len(ours) == len(theirs)
    for index, (mine, b4) in enumerate(zip(ours, theirs), start=1):
        a, b = mailinfo(mine, tmp_path), mailinfo(b4, tmp_path)
        assert a["info"] == b["info"]  # author, address, subject, date
        assert a["diff"] == b["diff"]
        # b4 re-renders the author's "Cc: <a@b>" as "Cc: a@b"; kreview keeps it.
        b_message = b["message"].replace("Cc: stable@vger.kernel.org", "Cc: <stable@vger.kernel.org>")
        a_lines, b_lines = a["message"].split("\n"), b_message.split("\n")
        rule = deliberate.get(index, {"b4": [], "kreview": []})
        assert [line for line in a_lines if line not in b_lines] == rule["kreview"]
        assert [line for line in b_lines if line not in a_lines] == rule["b4"]


def test_trailers_go_after_the_patch_own_in_kernel_order(store, tmp_path):
    result = export_am(find_series(store, V8), tmp_path, AmOptions())
    first = patch_messages(result.mbox.read_bytes())[0].decode()
    commit_message = first.split("\n\n", 1)[1].split("\n---\n", 1)[0]
    assert commit_message.rstrip().split("\n")[-6:] == [
        "Cc: Michal Hocko <mhocko@suse.com>",
        'Cc: "Jérôme Glisse" <jglisse@redhat.com>',
        "Signed-off-by: Dan Williams <dan.j.williams@intel.com>",
        "Acked-by: Michal Hocko <mhocko@suse.com>",  # a reply to the patch first
        "Tested-by: Logan Gunthorpe <logang@deltatee.com>",  # then the cover letter's replies
        BALBIR,
    ]


def test_json_shape_and_summary(cli, tmp_path):
    code, out, err = cli("am", "--json", "-o", str(tmp_path / "out"), "--cover", V8)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"mbox", "cover", "version", "patches", "missing"}
    assert data["mbox"] == str(tmp_path / "out" / f"{V8_SLUG}.mbx")
    assert data["cover"] == str(tmp_path / "out" / f"{V8_SLUG}.cover")
    assert Path(data["cover"]).read_bytes().count(b"\nSubject: [PATCH v8 0/7]") == 1
    assert data["version"] == 8 and data["missing"] == []
    assert [p["index"] for p in data["patches"]] == list(range(1, 8))
    first = data["patches"][0]
    assert first["message_id"] == "154275557457.76910.4957768952018833452.stgit@dwillia2-desk3.amr.corp.intel.com"
    assert first["subject"] == ("[PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() "
                                "EXPORT_SYMBOL_GPL")
    assert first["added_trailers"] == ["Acked-by: Michal Hocko <mhocko@suse.com>",
                                       "Tested-by: Logan Gunthorpe <logang@deltatee.com>", BALBIR]
    assert data["patches"][6]["added_trailers"] == ["Tested-by: Logan Gunthorpe <logang@deltatee.com>"]
    # b4 am's summary, on stderr
    assert "    + Acked-by: Michal Hocko <mhocko@suse.com>" in err
    assert "Total patches: 7" in err
    assert f"       git am {data['mbox']}" in err


def test_missing_patches_are_an_error_and_nothing_is_written(cli, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = cli("am", "-o", str(out_dir), V7_QUERY)
    assert code == 1 and out == ""
    assert re.search(r"missing patch(es)? [\d/, ]+; nothing written", err), err
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_partial_writes_what_exists(store, tmp_path):
    found = find_series(store, 'subject:"4.14.93-stable review"')
    with pytest.raises(AmError, match="missing patches"):
        export_am(found, tmp_path, AmOptions())
    result = export_am(found, tmp_path, AmOptions(partial=True))
    assert [p.index for p in result.patches] == [65]
    assert len(result.missing) == 104
    assert len(patch_messages(result.mbox.read_bytes())) == 1


def test_version_choice(store):
    assert find_series(store, "subject:devm_memremap_pages").review.series.version == 8
    assert find_series(store, "subject:devm_memremap_pages", version=4).review.series.version == 4
    with pytest.raises(AmError, match=r"no v5 .*versions found: v4, v7, v8"):
        find_series(store, "subject:devm_memremap_pages", version=5)


def test_link_signoff_and_no_trailers(store, tmp_path):
    found = find_series(store, V8)
    mask = "https://lore.example.org/all/%s/"
    result = export_am(found, tmp_path, AmOptions(
        add_link=True, link_mask=mask, signoff="Dan Williams <dan.j.williams@intel.com>"))
    first = patch_messages(result.mbox.read_bytes())[0].decode()
    tail = first.split("\n---\n", 1)[0].rstrip().split("\n")[-3:]
    link = "Link: " + mask.replace("%s", result.patches[0].message_id)
    # the author's own sign-off is the applier's here: it moves to the very end
    assert tail == [BALBIR, link, "Signed-off-by: Dan Williams <dan.j.williams@intel.com>"]
    assert first.count("Signed-off-by: Dan Williams") == 1
    bare = export_am(found, tmp_path / "bare", AmOptions(add_trailers=False))
    assert all(p.added_trailers == () for p in bare.patches)
    assert b"Acked-by" not in bare.mbox.read_bytes()


def test_suspect_trailers_only_when_sloppy(store, notmuch_root, tmp_path):
    reply = (
        "From: Someone Else <someone@example.org>\n"
        "To: Dan Williams <dan.j.williams@intel.com>\n"
        "Subject: Re: [PATCH v8 2/7] mm, devm_memremap_pages: Kill mapping \"System RAM\" support\n"
        "Date: Fri, 23 Nov 2018 10:00:00 +0000\n"
        "Message-ID: <suspect@example.org>\n"
        "In-Reply-To: <154275557997.76910.9009361371987144089.stgit@dwillia2-desk3.amr.corp.intel.com>\n"
        "\nReviewed-by: Not The Sender <other@example.org>\n")
    path = notmuch_root / "mail" / "cur" / "suspect:2,S"
    path.write_text(reply)
    store.index_file(path)
    found = find_series(store, V8)
    strict = export_am(found, tmp_path / "a", AmOptions())
    sloppy = export_am(found, tmp_path / "b", AmOptions(sloppy=True))
    line = "Reviewed-by: Not The Sender <other@example.org>"
    assert line not in strict.patches[1].added_trailers
    assert line in sloppy.patches[1].added_trailers


@pytest.mark.parametrize("subject, expected", [
    ("[PATCH v8 1/7] mm: x", "[PATCH v8 1/7] mm: x"),
    ("[RFC PATCH 0/3] cover", "[PATCH RFC 0/3] cover"),
    ("[PATCH net-next v2 04/10] net: z", "[PATCH v2 4/10] net: z"),
    ("[PATCH] one", "[PATCH] one"),
])
def test_am_subject(subject, expected):
    assert am_subject(subject) == expected


def _mail(notmuch_root, store, name: str, text: str) -> None:
    path = notmuch_root / "mail" / "cur" / f"{name}:2,S"
    path.write_text(text)
    store.index_file(path)


PATCH_FOR_SOMEONE = """\
From: Sender Maintainer <sender@example.org>
To: list@example.org
Subject: [PATCH 1/2] lib: fix the thing
Date: Mon, 02 Mar 2020 10:00:00 +0000
Message-ID: <crafted-1@example.org>

From: Real Author <real@example.org>

The thing was broken.

Signed-off-by: Real Author <real@example.org>
Signed-off-by: Sender Maintainer <sender@example.org>
---
diff --git a/lib/thing.c b/lib/thing.c
--- a/lib/thing.c
+++ b/lib/thing.c
@@ -1,3 +1,3 @@
 a
-b
+c
 d
"""

NO_DIFF = """\
From: Sender Maintainer <sender@example.org>
To: list@example.org
Subject: [PATCH 2/2] lib: a patch that forgot its diff
Date: Mon, 02 Mar 2020 10:00:01 +0000
Message-ID: <crafted-2@example.org>
In-Reply-To: <crafted-1@example.org>

Only words here.
"""


def test_in_body_author_and_a_patch_without_a_diff(store, notmuch_root, tmp_path):
    _mail(notmuch_root, store, "crafted-1", PATCH_FOR_SOMEONE)
    _mail(notmuch_root, store, "crafted-2", NO_DIFF)
    found = find_series(store, "id:crafted-1@example.org")
    # A [PATCH 2/2] without a diff is no patch (the series grammar: a patch has a
    # diff), so the series is missing its patch 2: named, and nothing written.
    with pytest.raises(AmError, match=r"missing patch 2/2; nothing written"):
        export_am(found, tmp_path / "strict", AmOptions())
    assert not (tmp_path / "strict").exists() or not list((tmp_path / "strict").iterdir())
    result = export_am(found, tmp_path, AmOptions(partial=True))
    assert [p.index for p in result.patches] == [1] and result.missing == (2,)
    (message,) = patch_messages(result.mbox.read_bytes())
    assert b"\nFrom: Real Author <real@example.org>\n" in message.split(b"\n\n", 1)[0] + b"\n"
    info = mailinfo(message, tmp_path)
    assert "Author: Real Author\nEmail: real@example.org\n" in info["info"]
    assert info["message"].startswith("The thing was broken.\n")
    assert result.mbox.name == "20200302_sender_lib_fix_the_thing.mbx"


@pytest.mark.parametrize("value, written", [
    ("Dave Jiang <dave.jiang@intel.com>> ---", "Reviewed-by: Dave Jiang <dave.jiang@intel.com>"),
    ("A B <a@b.org> # for arm64", "Reviewed-by: A B <a@b.org> # for arm64"),
    ("A B <a@b.org> (v2)", "Reviewed-by: A B <a@b.org> (v2)"),
    ('"Last, First" <f@l.org>', 'Reviewed-by: "Last, First" <f@l.org>'),
    ("<only@addr.org>", "Reviewed-by: <only@addr.org>"),
    ("plain@addr.org", "Reviewed-by: plain@addr.org"),
])
def test_collected_person_trailers_are_written_without_reply_debris(value, written):
    from kreview.core.am import _trailer_line
    from kreview.core.trailers import Trailer

    email = value.split("<")[-1].split(">")[0] if "<" in value else value
    assert _trailer_line(Trailer("Reviewed-by", value, email=email)) == written


def test_summary_and_errors_never_carry_control_sequences(store, notmuch_root, tmp_path, capsys):
    evil = PATCH_FOR_SOMEONE.replace("Subject: [PATCH 1/2] lib: fix the thing",
                                     "Subject: [PATCH] lib: \x1b[2J\x1b]0;pwned\x07 fix \x9b31m")
    evil = evil.replace("<crafted-1@example.org>", "<evil@example.org>")
    _mail(notmuch_root, store, "evil", evil)
    code = main(["am", "--notmuch-config", str(notmuch_root / "notmuch-config"), "--json",
                 "-o", str(tmp_path), "id:evil@example.org"])
    captured = capsys.readouterr()
    assert code == 0
    for text in (captured.out, captured.err):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "␛[2J" in captured.err
    assert json.loads(captured.out)["patches"][0]["subject"].startswith("[PATCH] lib: \x1b[2J")
