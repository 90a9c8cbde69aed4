"""Where kreview keeps things on disk: XDG directories and the shipped data.

One small module so the CLI, the config loader, the theme loader and the tests
all agree, and so tests can redirect everything with environment variables.
No textual import here: ``kreview --print-config`` must not load the UI.
"""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "kreview"
CONFIG_ENV = "KREVIEW_CONFIG"
CONFIG_FILENAME = "config.toml"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _xdg_base(variable: str, fallback: str) -> Path:
    # The XDG spec says a relative or empty value must be ignored, so a stray
    # XDG_CONFIG_HOME=foo does not scatter files under the current directory.
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/kreview, or ~/.config/kreview."""
    return _xdg_base("XDG_CONFIG_HOME", ".config") / APP_NAME


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/kreview, or ~/.cache/kreview."""
    return _xdg_base("XDG_CACHE_HOME", ".cache") / APP_NAME


def data_dir() -> Path:
    """$XDG_DATA_HOME/kreview, or ~/.local/share/kreview."""
    return _xdg_base("XDG_DATA_HOME", ".local/share") / APP_NAME


def user_themes_dir() -> Path:
    """Where users drop their own theme files: <config_dir>/themes."""
    return config_dir() / "themes"


def config_file() -> Path:
    """$KREVIEW_CONFIG if set (tests and --config use it), else <config_dir>/config.toml."""
    override = os.environ.get(CONFIG_ENV, "")
    if override:
        return Path(override).expanduser()
    return config_dir() / CONFIG_FILENAME


def bundled_dir(name: str, package_dir: Path = _PACKAGE_DIR) -> Path:
    """A data directory shipped with kreview: ``themes`` or ``sample_maildir``.

    An installed wheel carries it in kreview/_data/<name> (pyproject
    force-includes it there); a checkout has it at the repository top level.
    The wheel location is tried first: in site-packages, the checkout-style
    path would be site-packages/<name>, which another package could own.
    When neither exists the wheel location is returned, so an error message
    names a real candidate.
    """
    installed = package_dir / "_data" / name
    checkout = package_dir.parent / name
    for candidate in (installed, checkout):
        if candidate.is_dir():
            return candidate
    return installed


def shipped_themes_dir() -> Path:
    """The themes kreview ships (kreview-dark, kreview-light, ...)."""
    return bundled_dir("themes")


def sample_maildir_dir() -> Path:
    """The demo mailbox; never index it in place, copy it first."""
    return bundled_dir("sample_maildir")
