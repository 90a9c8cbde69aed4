#!/usr/bin/env python3
"""Compare ``kreview am`` with ``b4 --offline-mode am -m MBOX`` patch for patch.

For each thread found by the query (threads holding a patch series), the
thread is exported with ``notmuch show --format=mbox``, b4 writes its am
mbox from it offline, kreview writes its own from the notmuch database, and
each patch of both goes through ``git mailinfo``: author, subject, commit
message (prose and trailers) and diff are compared.

    .venv/bin/python tools/compare_b4_am.py --notmuch-config /work/wt/nvdimm-db/notmuch-config \\
        'subject:"PATCH" and subject:"0/"' --limit 200

Differences are sorted into kinds; the ones kreview makes on purpose are
named (see docs/am.md): "scoped" (a cover-letter reply scoped to some
patches), "folded" (a trailer continued on an indented line kept whole),
"rendering" (b4 re-renders the patch's own trailer lines).
Needs b4 on PATH or in the venv (pip install b4) and git.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kreview.core.am import AmError, AmOptions, export_am, find_series, patch_messages  # noqa: E402
from kreview.core.store import Store  # noqa: E402

_TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")


def mailinfo(message: bytes, work: Path) -> dict:
    msg, patch = work / "msg", work / "patch"
    done = subprocess.run(["git", "mailinfo", "-u", str(msg), str(patch)], input=message,
                          capture_output=True, check=True)
    info = dict(line.split(": ", 1) for line in done.stdout.decode("utf-8", "replace").splitlines()
                if ": " in line)
    text = msg.read_text("utf-8", "replace")
    return {"author": (info.get("Author", ""), info.get("Email", "")),
            "subject": info.get("Subject", ""), "message": text,
            "diff": patch.read_bytes()}


def split_message(text: str) -> tuple[str, list[str]]:
    """(prose, trailer lines): the last paragraph is the trailer block when
    every line of it is a trailer or a continuation."""
    paragraphs = text.rstrip("\n").split("\n\n")
    last = paragraphs[-1].split("\n")
    if last and _TRAILER.match(last[0]) and all(_TRAILER.match(l) or l[:1] in " \t" for l in last):
        return "\n\n".join(paragraphs[:-1]), last
    return text.rstrip("\n"), []


def norm_trailer(line: str) -> str:
    m = _TRAILER.match(line)
    if not m:
        return line.strip()
    value = m.group(2).replace("<", "").replace(">", "").replace('"', "")
    return f"{m.group(1).lower()}: {' '.join(value.split())}"


def b4_binary() -> str:
    here = Path(sys.executable).parent / "b4"
    return str(here) if here.exists() else (shutil.which("b4") or "b4")


def compare_thread(store: Store, nm_config: str, thread_id: str, work: Path, counts: collections.Counter,
                   examples: dict) -> None:
    mbox = work / "thread.mbox"
    with open(mbox, "wb") as fh:
        subprocess.run(["notmuch", f"--config={nm_config}", "show", "--format=mbox", f"thread:{thread_id}"],
                       stdout=fh, check=True)
    b4dir = work / "b4"
    shutil.rmtree(b4dir, ignore_errors=True)
    b4 = subprocess.run([b4_binary(), "--offline-mode", "am", "-m", str(mbox), "-o", str(b4dir)],
                        capture_output=True, text=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    b4_files = list(b4dir.glob("*.mbx")) if b4dir.exists() else []
    try:
        found = find_series(store, f"thread:{thread_id}")
        result = export_am(found, work / "kreview", AmOptions(partial=True))
        ours = patch_messages(result.mbox.read_bytes())
    except AmError as exc:
        ours, result = [], None
        counts["kreview: no series"] += 1
        examples.setdefault("kreview: no series", f"thread:{thread_id}: {exc}")
    if not b4_files:
        counts["b4: no series"] += 1
        examples.setdefault("b4: no series", f"thread:{thread_id}: {b4.stderr.strip()[-200:]}")
        return
    if result is None:
        return
    theirs = patch_messages_b4(b4_files[0].read_bytes())
    scoped = {norm_trailer(f"{t.kind}: {t.value}") for p in found.review.patches for t in p.trailers
              if t.origin == "cover-reply" and t.scope is not None}
    counts["threads compared"] += 1
    if b4_files[0].name != result.mbox.name:
        counts["file name differs"] += 1
        WHERE.setdefault("file name differs", []).append(f"thread:{thread_id}")
        examples.setdefault("file name differs", f"{b4_files[0].name} vs {result.mbox.name}")
    if len(theirs) != len(ours):
        counts["patch count differs"] += 1
        WHERE.setdefault("patch count differs", []).append(f"thread:{thread_id}")
        examples.setdefault("patch count differs", f"thread:{thread_id}: b4 {len(theirs)}, kreview {len(ours)}")
        return
    for mine, b4msg in zip(ours, theirs):
        counts["patches compared"] += 1
        a, b = mailinfo(mine, work), mailinfo(b4msg, work)
        kinds = []
        if a["author"] != b["author"]:
            kinds.append("author")
        if a["subject"] != b["subject"]:
            kinds.append("subject")
        if a["diff"] != b["diff"]:
            kinds.append("diff")
        if a["message"] != b["message"]:
            prose_a, tr_a = split_message(a["message"])
            prose_b, tr_b = split_message(b["message"])
            if prose_a != prose_b:
                if _line_set(a["message"]) == _line_set(b["message"]):
                    kinds.append("rendering: b4 re-arranged the patch's own trailer block")
                else:
                    kinds.append("commit message prose")
            elif [norm_trailer(t) for t in tr_a] == [norm_trailer(t) for t in tr_b]:
                kinds.append("trailer rendering (b4 re-renders the patch's own lines)")
            elif sorted(map(norm_trailer, tr_a)) == sorted(map(norm_trailer, tr_b)):
                kinds.append("trailer order")
            else:
                extra = [t for t in tr_a if norm_trailer(t) not in map(norm_trailer, tr_b)]
                lacking = [t for t in tr_b if norm_trailer(t) not in map(norm_trailer, tr_a)]
                # deliberate: a trailer folded onto an indented line kept whole
                for t in list(extra):
                    cut = [x for x in lacking if norm_trailer(t).startswith(norm_trailer(x))]
                    if cut:
                        extra.remove(t)
                        lacking.remove(cut[0])
                        kinds.append("deliberate: folded trailer kept whole")
                # deliberate: a cover-letter reply scoped to other patches
                for t in list(lacking):
                    if norm_trailer(t) in scoped:
                        lacking.remove(t)
                        kinds.append("deliberate: scoped cover-letter trailer")
                if extra or lacking:
                    kinds.append("trailers differ")
                    examples.setdefault(f"trailers differ #{len(examples)}",
                                        f"{a['subject']}\n      only kreview: {extra}\n      only b4: {lacking}")
        if not kinds:
            counts["patches identical"] += 1
        for kind in kinds:
            counts[kind] += 1
            examples.setdefault(kind, f"thread:{thread_id} {a['subject']}")
            WHERE.setdefault(kind, []).append(f"thread:{thread_id}")


WHERE: dict[str, list[str]] = {}  # kind -> threads, for --where


def _line_set(text: str) -> list[str]:
    return sorted(norm_trailer(" ".join(line.split()).rstrip(",")) for line in text.splitlines() if line.strip())


def patch_messages_b4(data: bytes) -> list[bytes]:
    return [p for p in data.split(b"From git@z Thu Jan  1 00:00:00 1970\n") if p]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notmuch-config", required=True)
    parser.add_argument("query", nargs="+")
    parser.add_argument("--limit", type=int, default=100, help="threads at most")
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--where", action="store_true", help="list the threads of each kind of difference")
    args = parser.parse_args()
    store = Store(Path(args.notmuch_config))
    threads = [t.thread_id for t in store.iter_threads(" ".join(args.query))][: args.limit]
    counts: collections.Counter = collections.Counter()
    examples: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="kreview-b4-") as tmp:
        work = Path(tmp)
        for tid in threads:
            compare_thread(store, args.notmuch_config, tid, work, counts, examples)
    for key, value in sorted(counts.items()):
        print(f"{value:6d}  {key}")
    if args.where:
        print("where:")
        for kind, threads in sorted(WHERE.items()):
            print(f"  {kind}: {' '.join(dict.fromkeys(threads))}")
    print("examples:")
    for key, value in list(examples.items())[: args.examples]:
        print(f"  [{key}] {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
