"""The user's notmuch configuration, found and read the way notmuch does.

libnotmuch finds the config file and merges it with the settings stored in
the database (``notmuch config set --database``) and its own defaults; the
store reads the merged values through notmuch2's ``Database.config``
(:meth:`kreview.core.store.Store.settings`) and this module turns them into
what kreview needs: who the user is (for replies and trailers), whether
tags are mirrored to Maildir flags, and the tags new mail gets.
``find_config_file`` only says whether there is a config at all (else the
reader opens the demo).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kreview.core.model import Identity

# The settings kreview reads from notmuch's merged configuration.
SETTING_KEYS = ("user.name", "user.primary_email", "user.other_email", "maildir.synchronize_flags", "new.tags")
# The ones libnotmuch fills with a guess when nobody set them (the passwd
# entry's name, user@hostname): kreview asks the user to set them rather
# than sign a review or address a reply with a guess.
GUESSED_KEYS = ("user.name", "user.primary_email")


@dataclass(frozen=True)
class NotmuchSettings:
    identity: Identity
    synchronize_flags: bool
    new_tags: tuple[str, ...]


def find_config_file(explicit: str | os.PathLike | None = None) -> Path | None:
    """The config file notmuch would use: --notmuch-config, $NOTMUCH_CONFIG,
    $XDG_CONFIG_HOME/notmuch/<profile>/config, then ~/.notmuch-config[-<profile>]."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("NOTMUCH_CONFIG")
    if env:
        return Path(env).expanduser()
    profile = os.environ.get("NOTMUCH_PROFILE", "")
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidates = [
        xdg / "notmuch" / (profile or "default") / "config",
        Path.home() / (".notmuch-config" + (f".{profile}" if profile else "")),
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def settings_from(values: Mapping[str, str], guesses: Mapping[str, str]) -> NotmuchSettings:
    """What kreview needs, from notmuch's merged ``values`` (missing keys:
    notmuch's defaults). ``guesses`` holds, for each of GUESSED_KEYS that is
    not stored in the database, the value libnotmuch gives with no config
    file: an equal value is that guess, and counts as not set."""

    def get(key: str, default: str = "") -> str:
        value = (values.get(key) or default).strip()
        return "" if key in guesses and value == guesses[key].strip() else value

    identity = Identity(
        name=get("user.name"),
        primary_email=get("user.primary_email"),
        other_emails=_split_list(get("user.other_email")),
    )
    sync = get("maildir.synchronize_flags", "true").lower() in {"true", "1", "yes"}
    return NotmuchSettings(identity, sync, _split_list(get("new.tags", "unread;inbox")))


def write_config(path: Path, database_path: Path, identity: Identity) -> None:
    """Write a minimal notmuch config (used for the demo database and in tests)."""
    others = ";".join(identity.other_emails)
    path.write_text(
        "[database]\n"
        f"path={database_path}\n\n"
        "[user]\n"
        f"name={identity.name}\n"
        f"primary_email={identity.primary_email}\n"
        + (f"other_email={others}\n" if others else "")
        + "\n[new]\ntags=unread;inbox\nignore=\n\n"
        "[search]\nexclude_tags=deleted;spam\n\n"
        "[maildir]\nsynchronize_flags=true\n",
        encoding="utf-8",
    )
