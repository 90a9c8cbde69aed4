"""Config loading: defaults, validation messages with lines, rendering."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kreview.config import (
    Config,
    ConfigError,
    IdentityOverride,
    field_docs,
    load_config,
    render_config,
    split_tag_ops,
)
from kreview.core.model import Identity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return str(info.value)


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path / "nope.toml")
    assert config == Config()
    assert config.default_query == "tag:inbox"
    assert config.theme == "kreview-dark"
    assert (config.quote_fold_threshold, config.quote_keep_head, config.quote_keep_tail) == (12, 3, 2)
    assert list(config.saved_searches) == ["inbox", "unread", "patches", "flagged", "drafts"]
    assert config.saved_searches["patches"] == "subject:PATCH"
    assert config.notmuch_config is None and config.send_command is None
    assert config.identity == IdentityOverride()


def test_kreview_config_env_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, 'default_query = "*"\n')
    monkeypatch.setenv("KREVIEW_CONFIG", str(path))
    assert load_config().default_query == "*"


def test_full_file(tmp_path):
    path = write(tmp_path, """
        notmuch_config = "notmuch/config"
        default_query = "tag:inbox and not tag:killed"
        theme = "kreview-light"
        quote_fold_threshold = 20
        quote_keep_head = 0
        send_command = ["msmtp", "-t"]

        [identity]
        email = "me@example.org"

        [saved_searches]
        mine = "to:me@example.org"
        all = "*"

        [tag_keys]
        r = "+reviewed -inbox"

        [keymap]
        "thread.archive" = "a,ctrl+a"
        quit = "q"
    """)
    config = load_config(path)
    assert config.notmuch_config == tmp_path / "notmuch" / "config"
    assert config.quote_fold_threshold == 20 and config.quote_keep_head == 0
    assert config.quote_keep_tail == 2  # untouched keys keep their defaults
    assert config.send_command == ("msmtp", "-t")
    assert list(config.saved_searches.items()) == [("mine", "to:me@example.org"), ("all", "*")]
    assert dict(config.tag_keys) == {"r": "+reviewed -inbox"}
    assert dict(config.keymap) == {"thread.archive": "a,ctrl+a", "quit": "q"}
    notmuch_identity = Identity("Notmuch Name", "old@example.org", ("alt@example.org",))
    assert config.identity.apply(notmuch_identity) == Identity(
        "Notmuch Name", "me@example.org", ("alt@example.org",))


def test_config_tables_are_read_only(tmp_path):
    config = load_config(write(tmp_path, '[keymap]\nquit = "q"\n'))
    with pytest.raises(TypeError):
        config.keymap["quit"] = "x"  # type: ignore[index]


def test_wrong_type_names_key_line_and_value(tmp_path):
    message = error_for(tmp_path, """
        # my config
        default_query = "*"

        theme = "kreview-dark"


        quote_fold_threshold = "ten"
    """)
    assert message == f'{tmp_path / "config.toml"}:7: quote_fold_threshold must be an integer, got string "ten"'


def test_unknown_top_level_key_suggests(tmp_path):
    message = error_for(tmp_path, 'default_query = "*"\nthem = "x"\n')
    assert message.endswith('config.toml:2: unknown key "them" (did you mean "theme"?)')


def test_unknown_section_key(tmp_path):
    message = error_for(tmp_path, """
        theme = "kreview-dark"
        [identity]
        name = "Me"
        mail = "me@example.org"
    """)
    assert message.endswith('config.toml:4: unknown key "identity.mail" (did you mean "email"?)')


def test_unknown_table(tmp_path):
    message = error_for(tmp_path, 'theme = "x"\n\n[colours]\nred = "#f00"\n')
    assert message.endswith('config.toml:3: unknown key "colours"')


def test_section_value_wrong_type_has_its_line(tmp_path):
    message = error_for(tmp_path, """
        [saved_searches]
        inbox = "tag:inbox"
        broken = 3

        [keymap]
        "thread.archive" = true
    """)
    lines = message.splitlines()
    assert lines[0].endswith("config.toml:3: saved_searches.broken must be a string, got integer 3")
    assert lines[1].endswith('config.toml:6: keymap."thread.archive" must be a string, got boolean true')


def test_all_problems_reported_in_line_order(tmp_path):
    message = error_for(tmp_path, 'quote_keep_tail = -1\nsend_command = []\n[tag_keys]\nr = "+reviewed -reviewed"\n')
    lines = message.splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == ["1", "2", "4"]
    assert "quote_keep_tail must be at least 0, got -1" in lines[0]
    assert "send_command must be a non-empty array of strings, got array" in lines[1]
    assert "tag_keys.r" in lines[2] and "both added and removed" in lines[2]


def test_send_command_as_string_hints_at_argv(tmp_path):
    message = error_for(tmp_path, 'send_command = "msmtp -t"\n')
    assert 'got string "msmtp -t"' in message and '["msmtp", "-t"]' in message


def test_fold_threshold_must_exceed_kept_lines(tmp_path):
    message = error_for(tmp_path, "quote_keep_head = 4\nquote_fold_threshold = 6\n")
    assert message.endswith("config.toml:2: quote_fold_threshold must be greater than "
                            "quote_keep_head + quote_keep_tail (4 + 2), or folding would hide nothing")


def test_bad_toml_has_line_and_column(tmp_path):
    message = error_for(tmp_path, 'theme = "kreview-dark"\ndefault_query = tag:inbox\n')
    assert message.startswith(f"{tmp_path / 'config.toml'}:2:17: invalid TOML: ")
    assert "(at line" not in message


def test_inline_table_value_falls_back_to_table_line(tmp_path):
    message = error_for(tmp_path, 'theme = "x"\nidentity = { name = 3 }\n')
    assert message.endswith("config.toml:2: identity.name must be a string, got integer 3")


def test_not_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_split_tag_ops():
    assert split_tag_ops("+reviewed -inbox +todo") == (("reviewed", "todo"), ("inbox",))
    assert split_tag_ops("reviewed") == (("reviewed",), ())  # as in the tag prompt
    for bad in ("", "   ", "+", "+a -", "+a -a"):
        with pytest.raises(ValueError):
            split_tag_ops(bad)


@pytest.mark.parametrize("config", [
    Config(),
    Config(notmuch_config=Path("/etc/notmuch"), send_command=("sendmail", "-oi", "-t"),
           identity=IdentityOverride(name='A "quoted" Name', email="a@b.c"),
           saved_searches={"é": "tag:ü", "with space": "from:x"},
           tag_keys={"ctrl+r": "+reviewed -inbox"}, keymap={"thread.archive": "a"}),
])
def test_render_round_trips(tmp_path, config):
    text = render_config(config)
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    assert load_config(tmp_path / "config.toml") == config
    for doc in field_docs().values():
        assert f"# {doc}" in text


def test_render_names_source(tmp_path):
    assert "does not exist: these are the defaults" in render_config(Config(), tmp_path / "x.toml")
    path = write(tmp_path, 'theme = "kreview-light"\n')
    assert f"# read from {path}" in render_config(load_config(path), path)


def test_docs_cover_every_field():
    text = DOCS.read_text(encoding="utf-8")
    for name in field_docs():
        assert f"`{name}`" in text, f"docs/configuration.md does not document {name}"


def test_every_field_has_one_check():
    from dataclasses import fields

    from kreview.config import _CHECKED_BY_KIND, _Validator

    names = {f.name for f in fields(Config)}
    own = {name for name in names if hasattr(_Validator, f"_check_{name}")}
    assert set(_CHECKED_BY_KIND) <= names
    assert own & set(_CHECKED_BY_KIND) == set()  # one check each, not two
    assert names - own - set(_CHECKED_BY_KIND) == set()


@pytest.mark.parametrize("line, message", [
    ('archive_folder = "/abs/lore"', 'archive_folder must be a folder under the notmuch root, got "/abs/lore"'),
    ('archive_folder = "../lore"', 'archive_folder must be a folder under the notmuch root, got "../lore"'),
    ('quote_on_trailer_reply = "some"', 'quote_on_trailer_reply must be "message", "none" or "all", got "some"'),
    ('am_link_mask = "https://lore.kernel.org/r/"',
     'am_link_mask must contain %s (where the Message-ID goes), got "https://lore.kernel.org/r/"'),
    ('applied_tag = "two words"', 'applied_tag must be one tag name, got "two words"'),
    ('applied_tag = "-applied"', 'applied_tag must be one tag name, got "-applied"'),
    ('applied_tag = " applied"', 'applied_tag must be one tag name, got " applied"'),
    ("wrap_prose = 1", "wrap_prose must be true or false, got integer 1"),
    ("quote_keep_head = -1", "quote_keep_head must be at least 0, got -1"),
    ('theme = ""', "theme must not be empty"),
])
def test_each_kind_of_check_says_what_was_expected(tmp_path, line, message):
    assert error_for(tmp_path, line + "\n") == f"{tmp_path / 'config.toml'}:1: {message}"


@pytest.mark.parametrize("line", ['archive_folder = "lore/x"', 'quote_on_trailer_reply = "all"',
                                  'am_link_mask = "https://lore.kernel.org/r/%s"', 'applied_tag = "applied"'])
def test_values_the_checks_accept(tmp_path, line):
    load_config(write(tmp_path, line + "\n"))
