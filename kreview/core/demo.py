"""The embedded demo: sample_maildir copied to a cache directory and indexed there.

It needs libnotmuch only (no ``notmuch`` command). The copy is rebuilt only
when the sample changed, so a second ``kreview --demo`` starts at once and
tags set during a demo survive until the sample itself changes.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from kreview.core.indexing import index_maildir
from kreview.core.model import Identity
from kreview.core.notmuch_config import write_config

DEMO_IDENTITY = Identity(name="Demo Reviewer", primary_email="reviewer@example.org")
_STAMP = "sample.sha256"


def sample_fingerprint(sample_dir: Path) -> str:
    """A digest of every file name and byte in the sample."""
    digest = hashlib.sha256()
    for path in sorted(p for p in sample_dir.rglob("*") if p.is_file() and p.name != ".keep"):
        digest.update(str(path.relative_to(sample_dir)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_database(maildir: Path, root: Path, identity: Identity = DEMO_IDENTITY) -> Path:
    """Copy ``maildir`` to ``root/mail``, index it there and return the config path.

    Tags follow ``notmuch new``: ``inbox`` and ``unread`` for each message,
    then the Maildir flags decide (``S`` clears unread, ``F`` flags, ...).
    """
    mail = root / "mail"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(maildir, mail, ignore=shutil.ignore_patterns(".keep"))
    for sub in ("cur", "new", "tmp"):
        (mail / sub).mkdir(exist_ok=True)
    config = root / "notmuch-config"
    write_config(config, mail, identity)
    index_maildir(mail, config)
    return config


def ensure_demo_database(sample_dir: Path, cache_dir: Path) -> Path:
    """The config path of an up-to-date demo database under ``cache_dir``."""
    root = cache_dir / "demo"
    fingerprint = sample_fingerprint(sample_dir)
    stamp = root / _STAMP
    config = root / "notmuch-config"
    if stamp.is_file() and config.is_file() and stamp.read_text() == fingerprint:
        return config
    config = build_database(sample_dir, root)
    stamp.write_text(fingerprint)
    return config
