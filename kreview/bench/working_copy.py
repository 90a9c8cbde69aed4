"""A copy of a notmuch database the benchmark may write to.

The series view reads ``kreview.*`` properties that its index writes into the
database, and the interdiff row needs a second version of the big series,
posted as new mail: neither may touch the database being measured (a user's,
or the shared bench mailboxes). So those rows run on a working copy, made
once per database and kept under the bench's cache directory:

* the Xapian directory (``.notmuch`` under the mail root) is copied, since
  Xapian writes its files in place;
* every other file of the mail root is hard-linked (no second gigabyte of
  mail: notmuch never writes into a message file, and a rename of a link in
  the copy leaves the original's name alone), copied where linking fails;
* a notmuch config beside it names the copy's mail root.

The copy is made from the database as it is then and not refreshed; remove
its directory (printed by the bench) to make it again. A file ``ready.json``
is written last, so a copy interrupted half-way is made again.
"""
from __future__ import annotations

import configparser
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from kreview.core.store import Store

READY = "ready.json"


def copies_dir() -> Path:
    from kreview import paths

    return paths.cache_dir() / "bench" / "copies"


def copy_root(config: Path) -> Path:
    """Where the working copy of the database named by ``config`` lives."""
    key = hashlib.sha1(str(Path(config).expanduser().resolve()).encode()).hexdigest()[:12]
    return copies_dir() / key


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def make_copy(config: Path, log: Callable[[str], None] = lambda _: None) -> Path:
    """The notmuch config of the working copy of ``config``'s database (made
    now if there is none yet); its ``ready.json`` holds what was prepared."""
    config = Path(config).expanduser()
    root = copy_root(config)
    copied_config = root / "notmuch-config"
    if (root / READY).is_file():
        return copied_config
    mail_root = Store(config).check()
    if not (mail_root / ".notmuch").is_dir():
        raise LookupError(f"no .notmuch directory in {mail_root}: copy the database yourself and "
                          "give its config to python -m kreview.bench.series_rows")
    if root.exists():
        shutil.rmtree(root)  # a copy interrupted half-way
    began = time.monotonic()
    log(f"making a working copy of {mail_root} in {root} (once; remove it to make it again)")
    copied_mail = root / "mail"
    copied_mail.mkdir(parents=True)
    for entry in mail_root.iterdir():
        target = copied_mail / entry.name
        if entry.name == ".notmuch":
            shutil.copytree(entry, target, symlinks=True)
        elif entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(target))
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config, encoding="utf-8")
    if not parser.has_section("database"):
        parser.add_section("database")
    parser.set("database", "path", str(copied_mail))
    if parser.has_option("database", "mail_root"):
        parser.set("database", "mail_root", str(copied_mail))
    with open(copied_config, "w", encoding="utf-8") as fh:
        parser.write(fh)
    write_state(root, {"source": str(config.resolve()), "made_in_s": round(time.monotonic() - began, 1)})
    return copied_config


def read_state(copied_config: Path) -> dict:
    return json.loads((Path(copied_config).parent / READY).read_text())


def write_state(root: Path, state: dict) -> None:
    tmp = root / (READY + ".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.replace(root / READY)
