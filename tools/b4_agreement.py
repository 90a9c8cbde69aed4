#!/usr/bin/env python3
"""Does ``kreview trailers --json`` agree with ``b4 am``, patch by patch, on a
real notmuch archive? A manual tool, not a test (it needs b4 and a corpus):

    .venv/bin/pip install b4
    .venv/bin/python tools/b4_agreement.py NOTMUCH_CONFIG [--patches 200] [--seed 12] [-v]
        [--query Q] [--flagged]

It samples series from the archive's threads (seeded, so a run can be
repeated), and for each one:

* runs ``kreview trailers --json thread:ID`` (in process, the CLI's own
  ``run``) and takes, per patch, the (kind, address) of each trailer that is
  not suspect (a suspect trailer is shown but not counted: b4 drops it too);
* exports the thread with ``notmuch show --format=mbox --entire-thread`` and
  runs ``b4 --offline-mode am -m THREAD.mbox -v REV MSGID`` (b4 from $B4, default
  the venv's), and takes the trailers of each patch in b4's .mbx;
* compares the two sets per patch. ``Link:`` is left out (b4 adds its own).

kreview differs from b4 on purpose in three documented ways (README,
"Series and trailers"), and the report counts them apart:

* ``scoped``: a cover-letter reply that says "for patches 1-3" gives its
  trailers to those patches only; b4 gives them to every patch;
* ``intermediate``: b4 re-adds, without the sender check, the trailers of a
  mail between a reviewer's reply and the patch; kreview keeps them suspect;
* ``carried/extra``: kreview completed a partial re-roll from the earlier
  version (flag ``carried``) where b4 gave up or read the versions apart
  (b4 reads ``v2.1`` as no version; it needs every resent patch to answer
  the same slot), or kept a ``[PATCH 31/30]`` b4 shifts;
* ``b4-mixed``: b4 keys patches by version alone, so a separate patch
  posted in reply to patch 1 (``[ndctl PATCH] ...``, another total) takes
  a slot of the series and shifts the others ("assume additional patch" in
  its log); kreview keeps it a series of its own (same version *and* total).

A thread b4 itself fails on (a traceback, no .mbx) is counted apart.
"""
from __future__ import annotations

import argparse
import io
import json
import mailbox
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kreview.cli.trailers import run as trailers_run  # noqa: E402
from kreview.core.grammar import parse_subject  # noqa: E402
from kreview.core.parse import parse_message  # noqa: E402
from kreview.core.store import Store  # noqa: E402
from kreview.core.trailers import extract_trailers  # noqa: E402

B4 = os.environ.get("B4", str(Path(sys.executable).with_name("b4")))


def kreview_json(store: Store, thread_id: str) -> dict:
    out = io.StringIO()
    args = argparse.Namespace(query=[f"thread:{thread_id}"], json=True)
    trailers_run(args, store, out)
    return json.loads(out.getvalue())


def _pair(kind: str, email: str, value: str) -> tuple[str, str]:
    return kind, (email or value.split(" ", 1)[0][:12]).lower()


def b4_trailers(config: str, thread_id: str, msgid: str, revision: str,
                no_parent: bool) -> tuple[dict[int, set], str] | None:
    with tempfile.TemporaryDirectory() as tmp:
        mbox = Path(tmp) / "thread.mbox"
        with open(mbox, "wb") as handle:
            subprocess.run(["notmuch", f"--config={config}", "show", "--format=mbox",
                            "--entire-thread=true", f"thread:{thread_id}"],
                           stdout=handle, check=True)
        outdir = Path(tmp) / "out"
        extra = ["--no-parent"] if no_parent else []
        done = subprocess.run([B4, "--offline-mode", "am", *extra, "-m", str(mbox), "-v", revision,
                               "-o", str(outdir), msgid], capture_output=True, text=True,
                              env={**os.environ, "HOME": tmp})
        mbxs = sorted(outdir.glob("*.mbx"))
        if not mbxs:
            return None
        found: dict[int, set] = {}
        for msg in mailbox.mbox(str(mbxs[0])):
            p = parse_message(msg.as_bytes())
            found[parse_subject(p.headers.subject).index] = {
                _pair(t.kind, t.email, t.value)
                for t in extract_trailers(p.text, is_patch=True) if t.kind != "Link"}
        return found, done.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config")
    ap.add_argument("--patches", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--query", default="subject:PATCH", help="threads to sample from")
    ap.add_argument("--flagged", action="store_true",
                    help="compare only series kreview completed (a partial re-roll) or that hold an extra patch")
    opts = ap.parse_args()
    store = Store(Path(opts.config))
    threads = [t.thread_id for t in store.iter_threads(opts.query, newest_first=True)]
    random.Random(opts.seed).shuffle(threads)

    totals: Counter = Counter()
    kinds: Counter = Counter()
    for thread_id in threads:
        if totals["patches"] >= opts.patches:
            break
        doc = kreview_json(store, thread_id)
        candidates = [s for s in doc["series"] if not s["missing"] and "." not in s["revision"]]
        if opts.flagged:
            candidates = [s for s in candidates if s["rerolled_from"]
                          or any("extra" in p["flags"] for p in s["patches"])]
        if not candidates:
            continue
        series = max(candidates, key=lambda s: s["version"])  # what b4 am picks by default
        same_rev = [s for s in doc["series"] if s["revision"] == series["revision"]]
        msgid = (series["cover"] or {}).get("message_id") or series["patches"][0]["message_id"]
        got = b4_trailers(opts.config, thread_id, msgid, series["revision"], len(same_rev) > 1)
        if got is None:
            totals["b4 made nothing"] += 1
            print(f"!! b4 produced no .mbx for {msgid}")
            continue
        theirs, log = got
        totals["series"] += 1
        for p in series["patches"]:
            if "extra" in p["flags"] and not opts.flagged:
                continue
            totals["patches"] += 1
            ours = {_pair(t["kind"], t["email"], t["value"]) for t in p["trailers"]
                    if not t["suspect"] and t["kind"] != "Link"}
            their = theirs.get(p["index"], set())
            totals["trailers"] += len(ours)
            if ours == their:
                totals["same"] += 1
                continue
            scoped = {_pair(t["kind"], t["email"], t["value"]) for t in p["trailers"]
                      if t["scope"] is not None}
            suspects = {_pair(t["kind"], t["email"], t["value"]) for t in p["trailers"] if t["suspect"]}
            only_b4, only_us = their - ours, ours - their
            if "carried" in p["flags"] or "extra" in p["flags"]:
                # kreview completed a re-roll (or kept an extra patch) where b4
                # did not: b4 gives up when any resent patch does not answer
                # the same slot (a "[PATCH v6]" with no counter in the thread),
                # and it reads "v2.1" as no version at all
                kinds["carried/extra"] += 1
            elif "assume additional patch" in log or "missing [" in log:
                # b4 keys patches by version alone: a patch someone posted in
                # reply to patch 1 (another author, total, subject) takes a slot
                kinds["b4-mixed-or-incomplete"] += 1
            elif not only_us and only_b4 and series["patches"] and _scoped_elsewhere(series, only_b4):
                kinds["scoped"] += 1
            elif not only_us and only_b4 <= suspects:
                kinds["intermediate"] += 1
            else:
                kinds["other"] += 1
            print(f"== {p['message_id']} ({series['subject']} v{series['revision']} "
                  f"{p['index']}/{series['total']}): only kreview {sorted(only_us)} "
                  f"only b4 {sorted(only_b4)}{' scoped=' + str(sorted(scoped)) if scoped else ''}")
        if opts.verbose:
            print(f"   {series['subject']} v{series['revision']}: {len(series['patches'])} patches")
    print()
    print(f"series compared: {totals['series']}, patches: {totals['patches']}, "
          f"kreview trailers counted: {totals['trailers']}")
    print(f"identical per patch: {totals['same']} / {totals['patches']}")
    for name, count in sorted(kinds.items()):
        print(f"differ ({name}): {count}")
    if totals["b4 made nothing"]:
        print(f"b4 produced nothing: {totals['b4 made nothing']}")


def _scoped_elsewhere(series: dict, pairs: set) -> bool:
    """The pairs b4 has here are trailers kreview gave other patches by a scope."""
    scoped = {_pair(t["kind"], t["email"], t["value"]) for p in series["patches"]
              for t in p["trailers"] if t["scope"] is not None}
    return pairs <= scoped


if __name__ == "__main__":
    main()
