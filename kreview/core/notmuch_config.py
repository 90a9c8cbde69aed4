"""Find and read the user's notmuch configuration the way notmuch itself does.

libnotmuch locates the database on its own; we read the config file only for
the parts kreview needs to know before or besides opening it: where the mail
root is (for Drafts/Sent), who the user is (for replies and trailers) and
whether tags are mirrored to Maildir flags.
"""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

from kreview.core.model import Identity


@dataclass(frozen=True)
class NotmuchSettings:
    config_path: Path | None  # None: no config file found
    database_path: Path | None  # mail root (database.path / $MAILDIR / ~/mail)
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


def read_settings(config_path: Path | None) -> NotmuchSettings:
    """Read what kreview needs from a notmuch config file (a missing file gives defaults)."""
    parser = configparser.ConfigParser(interpolation=None)
    if config_path is not None and config_path.is_file():
        # notmuch's config is GKeyFile; its comments and lists parse fine as INI.
        parser.read(config_path, encoding="utf-8")

    def get(section: str, key: str, default: str = "") -> str:
        return parser.get(section, key, fallback=default).strip()

    db_path = get("database", "path") or os.environ.get("MAILDIR", "")
    if db_path:
        database_path = Path(db_path).expanduser()
        if not database_path.is_absolute():
            database_path = Path.home() / database_path
    else:
        database_path = Path.home() / "mail"
    identity = Identity(
        name=get("user", "name"),
        primary_email=get("user", "primary_email"),
        other_emails=_split_list(get("user", "other_email")),
    )
    sync = get("maildir", "synchronize_flags", "true").lower() in {"true", "1", "yes"}
    new_tags = _split_list(get("new", "tags", "unread;inbox"))
    return NotmuchSettings(config_path, database_path, identity, sync, new_tags)


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
