"""python -m kreview.bench.import_mbox MBOX OUTDIR: an mbox (plain, .xz, .gz or
.bz2; mboxo or mboxrd) to OUTDIR/mail (a Maildir), OUTDIR/notmuch-config and
the notmuch index, ready for ``python -m kreview.bench --notmuch-config``.

Messages are split on "From " lines and written byte for byte (after undoing
mboxrd's ">From " quoting); nothing is parsed, so broken mail stays broken.
"""
from __future__ import annotations

import argparse
import bz2
import gzip
import lzma
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kreview.bench.generate import write_bench_config
from kreview.core.indexing import index_maildir

_QUOTED_FROM = re.compile(rb"^>(>*From )")


def _open(path: Path):
    opener = {".xz": lzma.open, ".gz": gzip.open, ".bz2": bz2.open}.get(path.suffix, open)
    return opener(path, "rb")


def split_mbox(path: Path) -> Iterator[bytes]:
    """Each message of the mbox, without its "From " separator line."""
    current: list[bytes] | None = None
    previous_blank = True
    with _open(path) as fh:
        for line in fh:
            if line.startswith(b"From ") and previous_blank:
                if current:
                    yield _finish(current)
                current = []
            elif current is not None:
                current.append(_QUOTED_FROM.sub(rb"\1", line))
            previous_blank = line.strip() == b""
    if current:
        yield _finish(current)


def _finish(lines: list[bytes]) -> bytes:
    # The blank line before the next "From " belongs to the mbox, not the message.
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]
    return b"".join(lines)


def import_mbox(mbox: Path, out: Path, log=None) -> Path:
    mail = out / "mail"
    if mail.exists():
        raise FileExistsError(f"{mail} exists; choose an empty OUTDIR")
    for sub in ("cur", "new", "tmp"):
        (mail / sub).mkdir(parents=True)
    count = 0
    for count, data in enumerate(split_mbox(mbox), start=1):
        # Archived mail has been read: S, so only what the user marks stays unread.
        (mail / "cur" / f"{count:07d}.kbench-mbox:2,S").write_bytes(data)
    if log:
        log(f"wrote {count} messages to {mail}")
    config = out / "notmuch-config"
    write_bench_config(config, mail)
    began = time.perf_counter()
    added = index_maildir(mail, config, log=log)
    if log:
        log(f"indexed {added} messages in {time.perf_counter() - began:.1f} s")
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.import_mbox", description=__doc__.splitlines()[0])
    parser.add_argument("mbox", type=Path)
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    config = import_mbox(args.mbox, args.outdir, log=lambda text: print(text, file=sys.stderr, flush=True))
    print(config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
