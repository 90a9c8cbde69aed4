#!/usr/bin/env python3
"""Compare kreview's trailer collection with ``b4 am`` on a real mbox.

Manual tool, not a test (it needs b4 and a big corpus):

    python tools/compare_b4.py candidates MBOX[.xz]         # series worth comparing
    python tools/compare_b4.py compare MBOX[.xz] MSGID...   # kreview vs b4, per patch
    python tools/compare_b4.py timing                       # 40 patches, 300 replies

``compare`` cuts the thread of each MSGID out of the mbox into a small one,
runs ``b4 am -m small.mbox -o DIR MSGID`` (b4 from $B4, default
/tmp/b4venv/bin/b4) and compares, per patch, the (kind, address) pairs in
b4's .mbx with kreview's non-suspect trailers. The ``Link:`` b4 adds on its
own and b4's "cover letter" trailers header are left out.

Results on nvdimm.lists.linux.dev (b4 0.16.0, 2026-11): identical trailers
on every patch, and kreview's suspects exactly b4's "ignored due to
from/email mismatches", for rppt numa_memblks v3 (26 patches), CXL PMEM
Region Provisioning v2 (28), ljs VMA page offset v1 (30), ndctl Meson v3
(16), apopple fs/dax ZONE_DEVICE v6 (26), david vm_normal_page v1 (14),
hch sd_is_zoned v1 (26). One difference, famfs "dax: prepare for famfs" v9
patch 1: Ira (From: ira.weiny) wrote "Suggested-by: Jonathan Cameron";
both tools call it a mismatch, but Jonathan replied to Ira's mail and b4,
walking up from that reply, re-adds the intermediate message's raw trailers
without the sender check. kreview keeps it suspect. (That thread holds two
v9 series under one bundle cover; b4 mixes them unless run --no-parent.)
"""
from __future__ import annotations

import lzma
import mailbox
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kreview.core.parse import parse_message  # noqa: E402
from kreview.core.series import SeriesMessage, assemble, parse_subject  # noqa: E402
from kreview.core.trailers import collect, extract_trailers  # noqa: E402

B4 = os.environ.get("B4", "/tmp/b4venv/bin/b4")


def _open_mbox(path: str) -> mailbox.mbox:
    if path.endswith(".xz"):
        plain = Path(tempfile.gettempdir()) / (Path(path).name[:-3])
        if not plain.exists():
            with lzma.open(path) as src, open(plain, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        path = str(plain)
    return mailbox.mbox(path)


def load(path: str):
    """All messages as (raw bytes, SeriesMessage), and thread membership."""
    raws: dict[str, bytes] = {}
    parsed = {}
    for msg in _open_mbox(path):
        raw = msg.as_bytes()
        p = parse_message(raw)
        mid = p.headers.message_id
        if mid and mid not in raws:
            raws[mid] = raw
            parsed[mid] = p
    messages: dict[str, SeriesMessage] = {}
    for mid, p in parsed.items():
        h = p.headers
        parent = h.in_reply_to or (h.references[-1] if h.references else None)
        messages[mid] = SeriesMessage(mid, parent if parent in parsed else None, h.subject,
                                      h.from_name, h.from_email, h.date_epoch, p.text)
    return raws, messages


def _root(mid: str, messages) -> str:
    seen = set()
    while messages[mid].parent_id and mid not in seen:
        seen.add(mid)
        mid = messages[mid].parent_id
    return mid


def threads(messages) -> dict[str, list[SeriesMessage]]:
    out = defaultdict(list)
    for mid in messages:
        out[_root(mid, messages)].append(messages[mid])
    return out


def candidates(path: str) -> None:
    _, messages = load(path)
    rows = []
    for root, members in threads(messages).items():
        for s in assemble(members):
            if s.total < 2 or s.missing:
                continue
            review = collect(s, members)
            followups = sum(1 for p in review.patches for t in p.trailers if t.origin != "patch")
            suspects = sum(1 for p in review.patches for t in p.trailers if t.suspect)
            rows.append((followups, suspects, len(members), s.key, s.version, s.total, s.title))
    rows.sort(reverse=True)
    for row in rows[:40]:
        print("%4d followup trailers, %2d suspect, %4d msgs  %s  v%d %d  %s" % row)


def _b4_trailers(mbx: Path) -> dict[int, set[tuple[str, str]]]:
    """Per patch index, the (kind, address or value) pairs b4 put in the commit message."""
    out = {}
    for msg in mailbox.mbox(str(mbx)):
        p = parse_message(msg.as_bytes())
        info = parse_subject(p.headers.subject)
        out[info.index] = {_pair(t.kind, t.email, t.value)
                           for t in extract_trailers(p.text, is_patch=True) if t.kind != "Link"}
    return out


def _pair(kind: str, email: str, value: str) -> tuple[str, str]:
    return kind, email or value.split(" ", 1)[0][:12]


def compare(path: str, msgids: list[str]) -> None:
    raws, messages = load(path)
    by_root = threads(messages)
    for msgid in msgids:
        msgid = msgid.strip("<>")
        members = by_root[_root(msgid, messages)]
        with tempfile.TemporaryDirectory() as tmp:
            small = Path(tmp) / "thread.mbox"
            box = mailbox.mbox(str(small))
            for m in members:
                box.add(raws[m.message_id])
            box.close()
            outdir = Path(tmp) / "out"
            wanted = parse_subject(messages[msgid].subject).version
            series = [s for s in assemble(members) if s.version == wanted]
            # Two series of one version under a common parent (a "bundle"
            # cover): b4 keys patches by version only and mixes them, so cut
            # its thread at our message, as a user would with --no-parent.
            extra = ["--no-parent"] if len(series) > 1 else []
            done = subprocess.run([B4, "--offline-mode", "am", *extra, "-m", str(small),
                                   "-o", str(outdir), msgid], capture_output=True, text=True)
            mbxs = sorted(outdir.glob("*.mbx"))
            if not mbxs:
                print(f"== {msgid}: b4 produced no .mbx\n{done.stderr}")
                continue
            theirs = _b4_trailers(mbxs[0])
            b4_log = done.stderr
        series = [s for s in series if msgid in (s.cover_id, *(p.message_id for p in s.patches))] or series
        review = collect(series[0], members)
        print(f"== {msgid}: {series[0].title} v{wanted}, {len(members)} messages in thread"
              + (" (b4 run with --no-parent)" if extra else ""))
        same = True
        for p in review.patches:
            ours = {_pair(t.kind, t.email, t.value) for t in p.trailers
                    if not t.suspect and t.kind != "Link"}
            got = theirs.get(p.index, set())
            if ours == got:
                print(f"  {p.index:2}: same ({len(ours)} trailers)")
                continue
            same = False
            print(f"  {p.index:2}: only kreview {sorted(ours - got)}  only b4 {sorted(got - ours)}")
            for t in p.trailers:
                if (t.kind, t.email) in ours - got or t.suspect:
                    print(f"        kreview: {t.kind}: {t.value} [{t.origin} {t.message_id}]"
                          f"{' SUSPECT' if t.suspect else ''} scope={t.scope}")
        suspects = sorted({(t.kind, t.value) for p in review.patches for t in p.trailers if t.suspect})
        if suspects:
            print(f"  kreview suspects: {suspects}")
        mism = sorted({ln.split("Trailer:", 1)[1].strip() for ln in b4_log.splitlines()
                       if ln.strip().startswith("! Trailer:")})
        if mism:
            print(f"  b4 mismatches (ignored): {mism}")
        print("  => identical" if same else "  => differs")


def _generated(patches: int = 40, replies: int = 300) -> list[SeriesMessage]:
    """A cover, ``patches`` patches with long commit messages and diffs, and
    ``replies`` replies quoting the patch, some nested, some to the cover."""
    msgs = [SeriesMessage("c", None, f"[PATCH v5 0/{patches}] big series", "A", "a@x.org", 0,
                          "cover letter\n" * 40)]
    diff = "".join(f"+\tline {i};\n" for i in range(200))
    for i in range(1, patches + 1):
        msgs.append(SeriesMessage(f"p{i}", "c", f"[PATCH v5 {i}/{patches}] part {i}", "A", "a@x.org", i,
                                  "why\n" * 20 + "Signed-off-by: A <a@x.org>\n---\n" + diff))
    for r in range(replies):
        parent = "c" if r % 10 == 0 else (f"r{r - 1}" if r % 3 == 1 else f"p{r % patches + 1}")
        body = "".join(f"> {ln}\n" for ln in diff.splitlines()[:150])
        body += f"\nfor patches 1-{r % patches + 1}:\nReviewed-by: R{r} <r{r}@y.org>\n-- \nsig\n"
        msgs.append(SeriesMessage(f"r{r}", parent, f"Re: [PATCH v5 {r % patches + 1}/{patches}] x",
                                  f"R{r}", f"r{r}@y.org", 1000 + r, body))
    return msgs


def timing() -> None:
    msgs = _generated()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        (series,) = assemble(msgs)
        review = collect(series, msgs)
        best = min(best, time.perf_counter() - start)
    total = sum(len(p.trailers) for p in review.patches)
    print(f"assemble+collect, 40 patches + 300 replies ({sum(len(m.body_text) for m in msgs)//1024} KiB "
          f"of text): best of 5 = {best * 1000:.1f} ms, {total} trailers credited")


if __name__ == "__main__":
    cmd, *rest = sys.argv[1:] or ["help"]
    if cmd == "candidates":
        candidates(rest[0])
    elif cmd == "compare":
        compare(rest[0], rest[1:])
    elif cmd == "timing":
        timing()
    else:
        print(__doc__)
