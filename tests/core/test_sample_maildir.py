"""Invariants of the embedded demo mailbox, sample_maildir/.

Only the standard library's email/mailbox modules (and unidiff for the
patches) look at the files here: nothing is indexed, so these tests pin down
the data itself, independently of kreview's own parser and store.
"""
from __future__ import annotations

import email
import email.policy
import filecmp
import mailbox
import re
import subprocess
import sys
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
import unidiff

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_maildir"
GENERATOR = REPO / "tools" / "make_sample.py"

# Ira Weiny's reply to "[PATCH 01/10] mm/hmm: use reference counting for HMM
# struct": that patch never reached the mailbox, so its parent is missing.
ORPHAN_PARENT = "<20190129165419.3931-2-jglisse@redhat.com>"

ID_RE = re.compile(r"<[^<>\s]+>")


def _load() -> list[tuple[Path, bytes, EmailMessage]]:
    out = []
    for sub in ("cur", "new"):
        for path in sorted((SAMPLE / sub).iterdir()):
            if path.name.startswith("."):
                continue
            raw = path.read_bytes()
            out.append((path, raw, email.message_from_bytes(raw, policy=email.policy.default)))
    return out


MESSAGES = _load()


def _ids(header_value: str | None) -> list[str]:
    return ID_RE.findall(str(header_value or ""))


def _msgid(msg: EmailMessage) -> str:
    (only,) = _ids(msg["Message-ID"])
    return only


def _raw_headers(raw: bytes) -> bytes:
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]


def _raw_body(raw: bytes) -> bytes:
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[1]


def _by_subject(pattern: str) -> list[EmailMessage]:
    rx = re.compile(pattern)
    return [m for _, _, m in MESSAGES if rx.search(str(m["Subject"]))]


def _text(msg: EmailMessage) -> str:
    return msg.get_content()


# ---------------------------------------------------------------- structure

def test_maildir_layout():
    assert (SAMPLE / "tmp").is_dir()
    for sub in ("cur", "new"):
        names = [p.name for p in (SAMPLE / sub).iterdir()]
        assert names and not any(n.startswith(".") for n in names), sub
    for path, _, _ in MESSAGES:
        if path.parent.name == "cur":
            assert re.fullmatch(r"\d{10}\.\d{6}\.kreview-sample:2,[DFPRST]*", path.name)
        else:
            assert re.fullmatch(r"\d{10}\.\d{6}\.kreview-sample", path.name)
    flags = Counter(p.name.partition(":2,")[2] for p, _, _ in MESSAGES
                    if p.parent.name == "cur")
    assert flags[""] >= 1, "some cur/ messages should be unread"
    assert len([p for p, _, _ in MESSAGES if p.parent.name == "new"]) >= 1


def test_stdlib_mailbox_reads_everything():
    box = mailbox.Maildir(SAMPLE, factory=None, create=False)
    assert len(box) == len(MESSAGES)


def test_at_least_sixty_messages_in_eight_threads():
    assert len(MESSAGES) >= 60
    roots = set()
    for _, _, msg in MESSAGES:
        refs = _ids(msg["References"])
        roots.add(refs[0] if refs else (_ids(msg["In-Reply-To"]) or [_msgid(msg)])[0])
    assert len(roots) >= 8


def test_message_ids_are_unique_and_well_formed():
    ids = [_msgid(m) for _, _, m in MESSAGES]
    assert len(ids) == len(set(ids))


def test_every_parent_is_present_except_the_one_orphan():
    ids = {_msgid(m) for _, _, m in MESSAGES}
    missing = []
    for _, _, msg in MESSAGES:
        for parent in _ids(msg["In-Reply-To"]):
            if parent not in ids:
                missing.append(parent)
    assert missing == [ORPHAN_PARENT]


def test_references_are_the_full_ancestor_chain():
    by_id = {_msgid(m): m for _, _, m in MESSAGES}
    for _, _, msg in MESSAGES:
        irt = _ids(msg["In-Reply-To"])
        refs = _ids(msg["References"])
        if not irt:
            assert not refs, msg["Subject"]
            continue
        assert refs and refs[-1] == irt[0], msg["Subject"]
        parent = by_id.get(irt[0])
        if parent is not None:
            assert refs == _ids(parent["References"]) + [irt[0]], msg["Subject"]


def test_dates_are_2018_2019_with_a_zone():
    undated = [m for _, _, m in MESSAGES if m["Date"] is None]
    assert len(undated) == 1 and undated[0]["From"].addresses[0].username == "jhubbard"
    for _, _, msg in MESSAGES:
        if msg["Date"] is not None:
            d = msg["Date"].datetime
            assert d.tzinfo is not None and d.year in (2018, 2019)


def test_lines_are_lf_except_the_crlf_message():
    crlf = [(p, raw) for p, raw, _ in MESSAGES if b"\r" in raw]
    assert len(crlf) == 1
    path, raw = crlf[0]
    assert b"\r\n" in _raw_body(raw) and b"\n" not in raw.replace(b"\r\n", b"")
    assert b"mvitale@sinenomine.net" in _raw_headers(raw)


def test_list_ids_present_on_list_mail():
    for _, _, msg in MESSAGES:
        recipients = str(msg["To"] or "") + str(msg["Cc"] or "")
        if "linux-mm@kvack.org" in recipients:
            assert msg["List-Id"] is not None, msg["Subject"]


# ---------------------------------------------------------------- edge cases

def test_rfc2047_from_name():
    hits = [m for _, raw, m in MESSAGES
            if b"From: =?UTF-8?Q?J=C3=A9r=C3=B4me_Glisse?= <jglisse@redhat.com>" in raw]
    assert hits
    assert all(str(m["From"]) == "Jérôme Glisse <jglisse@redhat.com>" for m in hits)


def test_quoted_printable_body():
    hits = [(raw, m) for _, raw, m in MESSAGES
            if m["Content-Transfer-Encoding"] == "quoted-printable"]
    assert len(hits) == 1
    raw, msg = hits[0]
    body = _raw_body(raw)
    assert b"=C3=A9" in body and b"=\n" in body  # encoded é and a soft line break
    assert "Thanks Jérôme" in _text(msg)


def test_base64_body():
    hits = [m for _, _, m in MESSAGES if m["Content-Transfer-Encoding"] == "base64"]
    assert len(hits) == 1
    assert "Results from Linaro’s test farm." in _text(hits[0])


def test_patch_attachment():
    hits = [m for _, _, m in MESSAGES if m.get_content_type() == "multipart/mixed"]
    assert len(hits) == 1
    parts = list(hits[0].iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/x-patch"]
    attachment = parts[1]
    assert attachment.get_content_disposition() == "attachment"
    assert re.fullmatch(r"0001-[\w-]+\.patch", attachment.get_filename())
    patch = attachment.get_content()
    assert len(unidiff.PatchSet(patch[patch.index("diff --git"):])) == 1


def test_html_only_message_is_hostile():
    hits = [m for _, _, m in MESSAGES if m.get_content_type() == "text/html"]
    assert len(hits) == 1
    html = _text(hits[0])
    assert "<script" in html and '<img src="http://' in html


def test_broken_charset():
    hits = [(raw, m) for _, raw, m in MESSAGES
            if m.get_content_charset() == "x-unknown-8bit"]
    assert len(hits) == 1
    raw, msg = hits[0]
    body = msg.get_payload(decode=True)
    assert b"J\xe9r\xf4me" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_terminal_escape_in_subject_and_body():
    hits = [raw for _, raw, _ in MESSAGES if b"Subject: \x1b[31m" in _raw_headers(raw)]
    assert len(hits) == 1
    assert b"\x1b" in _raw_body(hits[0])
    others = [raw for _, raw, _ in MESSAGES if b"\x1b" in raw and raw is not hits[0]]
    assert not others


# ---------------------------------------------------------------- series

SERIES_SUBJECT = r"^\[PATCH v(?P<v>[48]) (?P<n>\d)/(?P<total>[78])\] "


@pytest.mark.parametrize("version,total", [("4", 8), ("8", 7)])
def test_series_is_complete_and_threaded_to_its_cover(version, total):
    found = _by_subject(rf"^\[PATCH v{version} \d/{total}\] ")
    covers = [m for m in found if f" 0/{total}]" in str(m["Subject"])]
    assert len(covers) == 1
    cover_id = _msgid(covers[0])
    patches = sorted((m for m in found if m is not covers[0]), key=lambda m: str(m["Subject"]))
    assert [re.match(SERIES_SUBJECT, str(m["Subject"]))["n"] for m in patches] == \
        [str(n) for n in range(1, total + 1)]
    for patch in patches:
        assert _ids(patch["In-Reply-To"]) == [cover_id]
        assert _ids(patch["References"]) == [cover_id]


def _patches():
    return [m for m in _by_subject(SERIES_SUBJECT)
            if not re.search(r" 0/[78]\] ", str(m["Subject"]))]


@pytest.mark.parametrize("msg", _patches(), ids=lambda m: str(m["Subject"])[:40])
def test_series_patch_is_git_formatted(msg):
    text = _text(msg)
    head, sep, rest = text.partition("\n---\n")
    assert sep, "no --- separator"
    assert re.search(r"^Signed-off-by: Dan Williams <dan\.j\.williams@intel\.com>$", head, re.M)
    assert text.endswith("-- \n2.17.1\n\n")
    diff = rest[rest.index("diff --git"):]
    patch = unidiff.PatchSet(diff)
    assert len(patch) >= 1
    for f in patch:
        for h in f:  # unidiff checks the counts; check them once more by hand
            assert h.source_length == sum(1 for line in h if not line.is_added)
            assert h.target_length == sum(1 for line in h if not line.is_removed)
    summary = re.search(r"^ (\d+) files? changed(?:, (\d+) insertions?\(\+\))?"
                        r"(?:, (\d+) deletions?\(-\))?$", rest, re.M)
    assert summary, "no diffstat summary"
    assert int(summary[1]) == len(patch)
    assert int(summary[2] or 0) == patch.added
    assert int(summary[3] or 0) == patch.removed


def test_v8_trailer_cases_are_present():
    v8 = _by_subject(r"\[PATCH v8 ")
    by_id = {_msgid(m): m for _, _, m in MESSAGES}
    cover = next(m for m in v8 if " 0/7]" in str(m["Subject"]))
    cover_id = _msgid(cover)

    def replies_to(target):
        tid = _msgid(target)
        return [m for _, _, m in MESSAGES if _ids(m["In-Reply-To"]) == [tid]]

    def patch(n):
        return next(m for m in v8 if f" {n}/7]" in str(m["Subject"])
                    and not str(m["Subject"]).startswith("Re:"))

    cover_replies = "\n".join(_text(m) for m in replies_to(cover))
    assert re.search(r"^For the series:\n\nTested-by: Logan Gunthorpe <logang@deltatee\.com>$",
                     cover_replies, re.M)
    assert re.search(r"^For patches 1-3:\nReviewed-by: Balbir Singh ", cover_replies, re.M)
    assert any(re.search(r"^Acked-by: Michal Hocko <mhocko@suse\.com>$", _text(m), re.M)
               for m in replies_to(patch(1)))
    for n in (2, 3):
        assert any(re.search(r"^Reviewed-by: Christoph Hellwig <hch@lst\.de>$", _text(m), re.M)
                   for m in replies_to(patch(n)))
    # Two levels below 4/7.
    deep = [m for m in MESSAGES if len(_ids(m[2]["References"])) == 3
            and _ids(m[2]["References"])[1] == _msgid(patch(4))]
    assert any(re.search(r"^Reviewed-by: Jérôme Glisse <jglisse@redhat\.com>$", _text(m), re.M)
               for _, _, m in deep)
    # Wrapped trailer (continuation line) on 5/7.
    assert any(re.search(r"^Tested-by: .*\n [^\n]+$", _text(m), re.M)
               for m in replies_to(patch(5)))
    # Address mismatch on 6/7, then that trailer quoted back.
    john = [m for m in replies_to(patch(6)) if m["From"].addresses[0].addr_spec
            == "jhubbard@nvidia.com"]
    assert john and "Reviewed-by: John Hubbard <john.hubbard@gmail.com>" in _text(john[0])
    quoted = [m for m in replies_to(john[0])
              if re.search(r"^> Reviewed-by: ", _text(m), re.M)]
    assert quoted
    # Carried from v7 in the patch itself.
    assert re.search(r"^Reviewed-by: Christoph Hellwig", _text(patch(7)).partition("\n---\n")[0],
                     re.M)
    assert by_id[cover_id] is cover


def test_other_threads_present():
    assert _by_subject(r"^\[PATCH v7 0/7\] mm: Merge hmm into devm_memremap_pages")
    stable = _by_subject(r"^\[PATCH 4\.14 065/105\] ")
    assert stable and _text(stable[0]).startswith(
        "4.14-stable review patch.  If anyone has any objections, please let me know.")
    assert _by_subject(r"^\[PATCH 09/10\] mm/hmm: allow to mirror vma of a file on a DAX")


# ---------------------------------------------------------------- determinism

def test_generator_is_deterministic(tmp_path):
    out = tmp_path / "maildir"
    subprocess.run([sys.executable, str(GENERATOR), str(out)], check=True,
                   capture_output=True)
    for sub in ("cur", "new", "tmp"):
        ours = sorted(p.name for p in (SAMPLE / sub).iterdir())
        theirs = sorted(p.name for p in (out / sub).iterdir())
        assert ours == theirs, sub
        _, mismatch, errors = filecmp.cmpfiles(SAMPLE / sub, out / sub, ours, shallow=False)
        assert not mismatch and not errors, (sub, mismatch, errors)
