"""XDG paths and the shipped-data lookup."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kreview import paths


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "KREVIEW_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "home"


def test_defaults_under_home(home):
    assert paths.config_dir() == home / ".config" / "kreview"
    assert paths.cache_dir() == home / ".cache" / "kreview"
    assert paths.data_dir() == home / ".local" / "share" / "kreview"
    assert paths.user_themes_dir() == home / ".config" / "kreview" / "themes"
    assert paths.config_file() == home / ".config" / "kreview" / "config.toml"


def test_xdg_variables_honoured(home, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.config_dir() == tmp_path / "cfg" / "kreview"
    assert paths.cache_dir() == tmp_path / "cache" / "kreview"
    assert paths.data_dir() == tmp_path / "data" / "kreview"
    assert paths.user_themes_dir() == tmp_path / "cfg" / "kreview" / "themes"
    assert paths.config_file() == tmp_path / "cfg" / "kreview" / "config.toml"


@pytest.mark.parametrize("value", ["", "relative/dir"])
def test_empty_or_relative_xdg_value_is_ignored(home, monkeypatch, value):
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    assert paths.config_dir() == home / ".config" / "kreview"


def test_kreview_config_overrides_config_file(home, tmp_path, monkeypatch):
    monkeypatch.setenv("KREVIEW_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert paths.config_file() == tmp_path / "elsewhere.toml"
    # only the file moves: themes still come from the config dir
    assert paths.user_themes_dir() == home / ".config" / "kreview" / "themes"


def test_checkout_data_dirs_exist():
    assert (paths.shipped_themes_dir() / "kreview-dark.toml").is_file()
    assert (paths.sample_maildir_dir() / "cur").is_dir()


def test_bundled_dir_prefers_wheel_layout(tmp_path):
    package = tmp_path / "site-packages" / "kreview"
    (package / "_data" / "themes").mkdir(parents=True)
    (tmp_path / "site-packages" / "themes").mkdir()  # someone else's top-level dir
    assert paths.bundled_dir("themes", package) == package / "_data" / "themes"


def test_bundled_dir_falls_back_to_checkout(tmp_path):
    package = tmp_path / "repo" / "kreview"
    package.mkdir(parents=True)
    (tmp_path / "repo" / "themes").mkdir()
    assert paths.bundled_dir("themes", package) == tmp_path / "repo" / "themes"
    assert paths.bundled_dir("missing", package) == package / "_data" / "missing"


@pytest.mark.parametrize("module", ["kreview.paths", "kreview.config"])
def test_no_ui_import(module):
    # --print-config must work without loading textual or rich.
    code = (f"import sys, {module}; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stdout + result.stderr
