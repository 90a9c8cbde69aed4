"""Shared fixtures: every test runs against a real notmuch database built in a
temporary directory from a copy of sample_maildir/, never the developer's own
notmuch config or kreview config."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kreview.core.demo import DEMO_IDENTITY, build_database, sample_fingerprint
from kreview.core.store import Store

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_maildir"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """Point HOME, XDG dirs, NOTMUCH_CONFIG and KREVIEW_CONFIG at empty places."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("NOTMUCH_CONFIG", str(home / "no-notmuch-config"))
    monkeypatch.setenv("KREVIEW_CONFIG", str(home / "no-kreview-config.toml"))
    monkeypatch.delenv("MAILDIR", raising=False)
    monkeypatch.delenv("NOTMUCH_PROFILE", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.delenv("VISUAL", raising=False)
    return home


@pytest.fixture(scope="session")
def _indexed_sample(tmp_path_factory) -> Path:
    """Index the sample once per session; each test gets its own copy of it."""
    root = tmp_path_factory.mktemp("sample-db") / "db"
    build_database(SAMPLE, root, DEMO_IDENTITY)
    return root


@pytest.fixture
def notmuch_root(_indexed_sample, tmp_path) -> Path:
    """A private copy of the indexed sample: root/mail (with .notmuch) and root/notmuch-config."""
    return private_copy(_indexed_sample, tmp_path / "db")


def private_copy(indexed: Path, root: Path) -> Path:
    """A test's own copy at ``root`` of a database built by build_database."""
    shutil.copytree(indexed, root, symlinks=True)
    config = root / "notmuch-config"
    # The config names the mail root by absolute path: point it at the copy.
    config.write_text(config.read_text().replace(str(indexed), str(root)))
    return root


@pytest.fixture(scope="session")
def _chain_db(tmp_path_factory) -> Path:
    """Version chains and series in every status (tests/core/chain_mail.py), indexed once."""
    from kreview.core.model import Identity
    from tests.core import chain_mail

    mails, _ = chain_mail.status_mails()
    source = tmp_path_factory.mktemp("chain-mail") / "maildir"
    chain_mail.write_maildir(chain_mail.chain_mails() + mails, source)
    root = tmp_path_factory.mktemp("chain-db") / "db"
    build_database(source, root, Identity("Rita Reviewer", "reviewer@example.org"))
    return root


@pytest.fixture
def chain_store(_chain_db, tmp_path) -> Store:
    return Store(private_copy(_chain_db, tmp_path / "db") / "notmuch-config")


@pytest.fixture(scope="session")
def _big_thread_db(tmp_path_factory) -> Path:
    """One 600-message thread (tests/core/big_thread.py), indexed once."""
    from tests.core import big_thread

    source = tmp_path_factory.mktemp("big-thread-mail") / "maildir"
    big_thread.write_maildir(source)
    root = tmp_path_factory.mktemp("big-thread-db") / "db"
    build_database(source, root, DEMO_IDENTITY)
    return root


@pytest.fixture
def big_thread_store(_big_thread_db, tmp_path) -> Store:
    return Store(private_copy(_big_thread_db, tmp_path / "db") / "notmuch-config")


@pytest.fixture
def store(notmuch_root, monkeypatch) -> Store:
    config = notmuch_root / "notmuch-config"
    monkeypatch.setenv("NOTMUCH_CONFIG", str(config))
    return Store(config)


@pytest.fixture
def sample_fingerprint_value() -> str:
    return sample_fingerprint(SAMPLE)


# -- a real public-inbox archive on 127.0.0.1 (kreview.core.archive, fetching) --

@pytest.fixture(scope="session")
def public_inbox(tmp_path_factory):
    """The inbox (sample + a 300-message thread), made and indexed once per session."""
    from tests.public_inbox import build_archive, require_public_inbox

    require_public_inbox()
    return build_archive(tmp_path_factory.mktemp("public-inbox"), SAMPLE)


@pytest.fixture(scope="session")
def archive_server(public_inbox):
    """public-inbox-httpd serving it, stopped when the session ends."""
    from tests.public_inbox import HttpServer

    server = HttpServer(public_inbox).start()
    yield server
    server.stop()
