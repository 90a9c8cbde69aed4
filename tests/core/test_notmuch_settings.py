"""The user's notmuch settings as libnotmuch gives them (Store.settings over
notmuch2's Database.config): from the config file, from settings stored in
the database, and notmuch's defaults; never a guess of who the user is.
Each test writes its own notmuch config in a temporary directory."""
from __future__ import annotations

import os
import subprocess

from kreview.core.model import Identity
from kreview.core.store import Store


def _config(notmuch_root, text: str):
    """The test database's config with ``text`` instead of its [user] and later sections."""
    config = notmuch_root / "notmuch-config"
    database = config.read_text().split("[user]")[0]
    config.write_text(database + text)
    return config


def _notmuch(config, *args: str) -> None:
    env = {**os.environ, "NOTMUCH_CONFIG": str(config)}
    subprocess.run(["notmuch", *args], env=env, check=True, capture_output=True)


def test_settings_come_from_the_config_file(notmuch_root):
    config = _config(notmuch_root, "[user]\nname=Ann Reviewer\nprimary_email=ann@example.org\n"
                                   "other_email=ann@kernel.org;a.r@example.net\n\n"
                                   "[new]\ntags=new;unseen\n\n[maildir]\nsynchronize_flags=false\n")
    settings = Store(config).settings
    assert settings.identity == Identity("Ann Reviewer", "ann@example.org", ("ann@kernel.org", "a.r@example.net"))
    assert settings.synchronize_flags is False
    assert settings.new_tags == ("new", "unseen")


def test_notmuch_defaults_where_the_file_says_nothing(notmuch_root):
    settings = Store(_config(notmuch_root, "")).settings
    assert settings.synchronize_flags is True
    assert settings.new_tags == ("unread", "inbox")


def test_who_the_user_is_is_never_guessed(notmuch_root):
    """libnotmuch fills an unset user.name and primary_email from the passwd
    entry and the host name; kreview must see them unset and ask."""
    settings = Store(_config(notmuch_root, "[new]\ntags=inbox\n")).settings
    assert settings.identity == Identity("", "", ())


def test_settings_stored_in_the_database_count(notmuch_root):
    config = _config(notmuch_root, "[maildir]\nsynchronize_flags=true\n")
    _notmuch(config, "config", "set", "--database", "user.name", "Db Reviewer")
    _notmuch(config, "config", "set", "--database", "user.primary_email", "db@example.org")
    _notmuch(config, "config", "set", "--database", "user.other_email", "db@kernel.org")
    _notmuch(config, "config", "set", "--database", "new.tags", "fresh")
    settings = Store(config).settings
    assert settings.identity == Identity("Db Reviewer", "db@example.org", ("db@kernel.org",))
    assert settings.new_tags == ("fresh",)


def test_settings_are_read_on_first_use_only(notmuch_root):
    config = _config(notmuch_root, "[user]\nname=Ann\nprimary_email=ann@example.org\n")
    store = Store(config)
    config.write_text(config.read_text().replace("Ann", "Bob"))  # read after this: it says Bob
    assert store.identity.name == "Bob"
    config.write_text(config.read_text().replace("Bob", "Cid"))
    assert store.identity.name == "Bob"  # and kept
