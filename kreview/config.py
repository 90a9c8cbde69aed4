"""The user's configuration: a TOML file read into a frozen, documented dataclass.

Every field has a default and a one-line doc (in the field's metadata); the
docs feed ``render_config`` (``kreview --print-config``) and are mirrored in
docs/configuration.md. Validation names the key and the line in the file,
because tomllib only reports lines for syntax errors. No textual import here,
so the CLI can print the configuration without loading the UI.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from kreview import paths
from kreview.core.folding import Folding
from kreview.core.model import Identity


class ConfigError(Exception):
    """The config file cannot be used; ``str(error)`` is meant for the user.

    ``problems`` holds one "file:line: what is wrong" string per problem, so
    a user fixes every mistake in one go rather than one per run.
    """

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class IdentityOverride:
    """Who to write as, when the notmuch config's [user] section is not right."""

    name: str | None = None
    email: str | None = None

    @staticmethod
    def applied(config: object, identity: Identity) -> Identity:
        """``identity`` with ``config``'s [identity] override applied, if it has
        one (``config`` may be None: a caller without a config file)."""
        override = getattr(config, "identity", None)
        return override.apply(identity) if override is not None else identity

    def apply(self, identity: Identity) -> Identity:
        """The notmuch identity with whatever this override sets replaced."""
        return Identity(
            name=self.name if self.name is not None else identity.name,
            primary_email=self.email if self.email is not None else identity.primary_email,
            other_emails=identity.other_emails,
        )


def _doc(text: str, example: str = "", **kwargs: Any) -> Any:
    # The example is a TOML line shown commented-out by render_config when the
    # field is unset or empty, so --print-config output doubles as a template.
    return field(metadata={"doc": text, "example": example}, **kwargs)


def _frozen_map(items: Mapping[str, str]) -> Any:
    # A read-only mapping: Config is frozen, and so should its tables be.
    return lambda: MappingProxyType(dict(items))


DEFAULT_SAVED_SEARCHES = {
    "inbox": "tag:inbox",
    "unread": "tag:unread",
    "patches": "subject:PATCH",
    "flagged": "tag:flagged",
    "drafts": "tag:draft",
}


@dataclass(frozen=True)
class Config:
    """The effective configuration. Tables are read-only mappings, in file order."""

    notmuch_config: Path | None = _doc(
        "notmuch config file; unset: notmuch's own lookup ($NOTMUCH_CONFIG, ~/.notmuch-config)",
        example='notmuch_config = "~/.notmuch-config"',
        default=None,
    )
    default_query: str = _doc("notmuch query shown at start-up", default="tag:inbox")
    theme: str = _doc("theme name: a shipped kreview theme, a user theme or a Textual one",
                      default="kreview-dark")
    quote_fold_threshold: int = _doc("quoted blocks longer than this many lines are folded",
                                     default=Folding.threshold)
    quote_keep_head: int = _doc("lines kept visible at the top of a folded quote",
                           default=Folding.keep_head)
    quote_keep_tail: int = _doc("lines kept visible at the bottom of a folded quote",
                           default=Folding.keep_tail)
    wrap_prose: bool = _doc("wrap prose lines longer than the message pane at word boundaries "
                            "(diff lines are never wrapped: they are cut with a marker)", default=True)
    drafts_folder: str = _doc("maildir folder (under the notmuch root) for drafts",
                              default="Drafts")
    sent_folder: str = _doc("maildir folder (under the notmuch root) for sent mail",
                            default="Sent")
    send_command: tuple[str, ...] | None = _doc(
        "argv that sends a message read on stdin; unset: no sending",
        example='send_command = ["msmtp", "--read-envelope-from", "-t"]',
        default=None,
    )
    # -- public-inbox archives (kreview fetch; f / L in the reader) --
    archive_servers: tuple[str, ...] = _doc(
        "public-inbox base URLs to fetch threads from, tried in order",
        default=("https://lore.kernel.org/all/",),
    )
    archive_folder: str = _doc("maildir folder (under the notmuch root) for mail fetched from an archive",
                               default="lore")
    review_context_lines: int = _doc(
        "lines of context quoted above each commented stretch in a review reply", default=3)
    quote_on_trailer_reply: str = _doc(
        "what R/K/T quote on a patch without comments: message (the commit message), none, or all",
        default="message")
    identity: IdentityOverride = _doc(
        "[identity] name and email, overriding the notmuch config's [user]",
        default_factory=IdentityOverride,
    )
    saved_searches: Mapping[str, str] = _doc(
        "[saved_searches] name = notmuch query, in menu order; replaces the defaults",
        default_factory=_frozen_map(DEFAULT_SAVED_SEARCHES),
    )
    tag_keys: Mapping[str, str] = _doc(
        "[tag_keys] key = tag operations to apply to the selected messages",
        example='r = "+reviewed -inbox"',
        default_factory=_frozen_map({}),
    )
    keymap: Mapping[str, str] = _doc(
        "[keymap] binding id = comma-separated keys (ids are listed on the help screen)",
        example='"list.down" = "j,down,ctrl+n"',
        default_factory=_frozen_map({}),
    )
    # -- taking a series and getting things out (kreview am, apply, |, save) --
    am_link_mask: str = _doc("archive link of a message for Link: trailers and copied links; %s is "
                             "the Message-ID", default="https://lore.kernel.org/r/%s")
    am_dir: Path | None = _doc(
        "where the reader writes am mboxes before applying; unset: ~/.cache/kreview/am",
        example='am_dir = "~/patches"', default=None)
    am_repo: str | None = _doc(
        "repository to apply series to: a name from [repos] or a path; unset: the current "
        "directory's repository", example='am_repo = "linux"', default=None)
    am_threeway: bool = _doc("apply with git am -3 (three-way merge on conflicts)", default=True)
    applied_tag: str = _doc("tag given to a series once git am applied it", default="applied")
    attachment_dir: Path = _doc("where attachments are saved", default=Path("~/Downloads"))
    clipboard_osc52: bool = _doc("copy Message-IDs and links to the terminal's clipboard with "
                                 "OSC 52 (the terminal must allow it)", default=False)
    repos: Mapping[str, str] = _doc(
        "[repos] name = path of a git repository to apply series to",
        example='linux = "~/src/linux"', default_factory=_frozen_map({}))

    def starting_query(self, words: list[str] | None, demo: bool) -> str:
        """The query the reader starts on: the command line's, else everything
        in the demo, else ``default_query``."""
        if words:
            return " ".join(words)
        return "*" if demo else self.default_query

    @property
    def folding(self) -> Folding:
        """The quote_* settings as the core's reading path takes them."""
        return Folding(self.quote_fold_threshold, self.quote_keep_head, self.quote_keep_tail)


def field_docs() -> dict[str, str]:
    """Field name -> one-line doc, in declaration order (for docs and --print-config)."""
    return {f.name: f.metadata["doc"] for f in fields(Config)}


def split_tag_ops(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split "+reviewed -inbox" into (("reviewed",), ("inbox",)), by the same
    rules as the tag prompt (a bare word adds). Raises ValueError naming the
    bad word, so the config loader can report it."""
    from kreview.core.tagops import parse_tag_ops

    ops = parse_tag_ops(text)
    return ops.add, ops.remove


# --- loading -----------------------------------------------------------------

def load_config(path: Path | None = None) -> Config:
    """Read the config file (default: paths.config_file()); a missing file gives defaults."""
    path = paths.config_file() if path is None else Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError([f"{path}: cannot read: {error.strerror or error}"]) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError([f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"])
    return parse_config(text, path)


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def parse_config(text: str, path: Path) -> Config:
    """Validate TOML text; ``path`` is only used in messages and for relative paths."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_POSITION.search(message)
        if where:
            line, column = where.groups()
            message = message[: where.start()]
            raise ConfigError([f"{path}:{line}:{column}: invalid TOML: {message}"]) from None
        raise ConfigError([f"{path}: invalid TOML: {message}"]) from None
    return _Validator(text, path).build(data)


class _Validator:
    """Turns parsed TOML into a Config, collecting problems with their lines."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.lines = _key_lines(text)
        self.problems: list[tuple[int, str]] = []

    def problem(self, key: tuple[str, ...], message: str) -> None:
        line = _line_of(self.lines, key)
        prefix = f"{self.path}:{line}" if line else f"{self.path}"
        self.problems.append((line or 0, f"{prefix}: {message}"))

    def build(self, data: dict[str, Any]) -> Config:
        known = {f.name for f in fields(Config)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                self.problem((key,), f"unknown key {_quote(key)}{did_you_mean(key, known)}")
                continue
            kind = _CHECKED_BY_KIND.get(key)
            check = partial(getattr(self, kind[0]), **kind[1]) if kind else getattr(self, f"_check_{key}")
            converted = check(key, value)
            if converted is not _INVALID:
                values[key] = converted
        config = Config(**values)
        if config.quote_fold_threshold <= config.quote_keep_head + config.quote_keep_tail:
            self.problem(("quote_fold_threshold",),
                         "quote_fold_threshold must be greater than quote_keep_head + "
                         f"quote_keep_tail ({config.quote_keep_head} + "
                         f"{config.quote_keep_tail}), or folding would hide nothing")
        if self.problems:
            self.problems.sort(key=lambda item: item[0])
            raise ConfigError([message for _, message in self.problems])
        return config

    # One checker per field (a kind in _CHECKED_BY_KIND, or _check_<field>):
    # small, and the error says what was expected.

    def _string(self, key: tuple[str, ...], value: Any, *, empty_ok: bool = False) -> Any:
        name = _dotted(key)
        if not isinstance(value, str):
            self.problem(key, f"{name} must be a string, got {_describe(value)}")
            return _INVALID
        if not empty_ok and not value.strip():
            self.problem(key, f"{name} must not be empty")
            return _INVALID
        return value

    def _text(self, key: str, value: Any) -> Any:
        return self._string((key,), value)

    def _text_where(self, key: str, value: Any, ok: Callable[[str], bool], expected: str) -> Any:
        """A string for which ``ok`` holds; else "KEY must EXPECTED, got ..."."""
        text = self._string((key,), value)
        if text is not _INVALID and not ok(text):
            self.problem((key,), f"{key} must {expected}, got {_quote(text)}")
            return _INVALID
        return text

    def _integer(self, key: str, value: Any, minimum: int) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((key,), f"{key} must be an integer, got {_describe(value)}")
            return _INVALID
        if value < minimum:
            self.problem((key,), f"{key} must be at least {minimum}, got {value}")
            return _INVALID
        return value

    def _check_notmuch_config(self, key: str, value: Any) -> Any:
        text = self._string((key,), value)
        if text is _INVALID:
            return text
        # Relative to the config file, so the result does not depend on the cwd.
        return self.path.parent / Path(text).expanduser()

    def _check_archive_servers(self, key: str, value: Any) -> Any:
        if (not isinstance(value, list) or not value
                or not all(isinstance(url, str) and re.match(r"^https?://[^/\s]+", url) for url in value)):
            self.problem((key,), f"{key} must be a non-empty array of http(s) URLs, got {_describe(value)}"
                                 ' (e.g. ["https://lore.kernel.org/all/"])')
            return _INVALID
        return tuple(value)

    def _check_archive_folder(self, key: str, value: Any) -> Any:
        return self._text_where(key, value, lambda text: not Path(text).is_absolute() and ".." not in Path(text).parts,
                                "be a folder under the notmuch root")

    def _check_quote_on_trailer_reply(self, key: str, value: Any) -> Any:
        return self._text_where(key, value, lambda text: text in ("message", "none", "all"),
                                'be "message", "none" or "all"')

    def _check_send_command(self, key: str, value: Any) -> Any:
        if (not isinstance(value, list) or not value
                or not all(isinstance(word, str) and word for word in value)):
            hint = ' (write it as an argv array, e.g. ["msmtp", "-t"])' if isinstance(
                value, str) else ""
            self.problem((key,), f"{key} must be a non-empty array of strings, "
                                 f"got {_describe(value)}{hint}")
            return _INVALID
        return tuple(value)

    def _table(self, key: str, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem((key,), f"{key} must be a table ([{key}]), got {_describe(value)}")
            return None
        return value

    def _check_identity(self, key: str, value: Any) -> Any:
        table = self._table(key, value)
        if table is None:
            return _INVALID
        known = {"name", "email"}
        result: dict[str, str] = {}
        for name, item in table.items():
            if name not in known:
                self.problem((key, name),
                             f"unknown key {_quote(_dotted((key, name)))}{did_you_mean(name, known)}")
                continue
            checked = self._string((key, name), item)
            if checked is not _INVALID:
                result[name] = checked
        return IdentityOverride(**result)

    def _string_table(self, key: str, value: Any, check_value=None) -> Any:
        table = self._table(key, value)
        if table is None:
            return _INVALID
        result: dict[str, str] = {}
        for name, item in table.items():
            checked = self._string((key, name), item)
            if checked is _INVALID:
                continue
            if check_value is not None:
                error = check_value(checked)
                if error:
                    self.problem((key, name), f"{_dotted((key, name))}: {error}")
                    continue
            result[name] = checked
        return MappingProxyType(result)

    def _check_saved_searches(self, key: str, value: Any) -> Any:
        return self._string_table(key, value)

    def _check_tag_keys(self, key: str, value: Any) -> Any:
        def check(ops: str) -> str | None:
            try:
                split_tag_ops(ops)
            except ValueError as error:
                return f"{_quote(ops)}: {error}"
            return None
        return self._string_table(key, value, check)

    def _check_keymap(self, key: str, value: Any) -> Any:
        def check(keys: str) -> str | None:
            # Textual's keymap format: comma-separated keys, e.g. "j,down".
            if any(not part.strip() for part in keys.split(",")):
                return f"{_quote(keys)} has an empty key; use comma-separated keys like \"j,down\""
            return None
        return self._string_table(key, value, check)

    # -- taking a series and getting things out --

    def _boolean(self, key: str, value: Any) -> Any:
        if not isinstance(value, bool):
            self.problem((key,), f"{key} must be true or false, got {_describe(value)}")
            return _INVALID
        return value

    def _path(self, key: str, value: Any) -> Any:
        # "~" is kept (expanded where used, so --print-config reads as written);
        # a relative path is relative to the config file.
        text = self._string((key,), value)
        if text is _INVALID:
            return text
        return Path(text) if text.startswith("~") else self.path.parent / Path(text)

    def _check_am_link_mask(self, key: str, value: Any) -> Any:
        return self._text_where(key, value, lambda text: "%s" in text, "contain %s (where the Message-ID goes)")

    def _check_applied_tag(self, key: str, value: Any) -> Any:
        return self._text_where(key, value, lambda tag: tag.strip() == tag and " " not in tag and tag[0] not in "+-",
                                "be one tag name")

    def _check_repos(self, key: str, value: Any) -> Any:
        table = self._string_table(key, value)
        if table is _INVALID:
            return table
        return MappingProxyType({name: str(self.path.parent / Path(path).expanduser())
                                 for name, path in table.items()})


# The fields a kind of value checks alone (with its bound); every other
# field has a _check_<field> of its own in _Validator.
_CHECKED_BY_KIND: dict[str, tuple[str, dict[str, Any]]] = {
    "default_query": ("_text", {}),
    "theme": ("_text", {}),
    "drafts_folder": ("_text", {}),
    "sent_folder": ("_text", {}),
    "am_repo": ("_text", {}),
    "quote_fold_threshold": ("_integer", {"minimum": 1}),
    "quote_keep_head": ("_integer", {"minimum": 0}),
    "quote_keep_tail": ("_integer", {"minimum": 0}),
    "review_context_lines": ("_integer", {"minimum": 0}),
    "am_dir": ("_path", {}),
    "attachment_dir": ("_path", {}),
    "wrap_prose": ("_boolean", {}),
    "am_threeway": ("_boolean", {}),
    "clipboard_osc52": ("_boolean", {}),
}


_INVALID = object()


def _describe(value: Any) -> str:
    """How a TOML value looks to the user: 'string "ten"', 'integer 3', 'table'."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {_quote(value)}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"float {value}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return f"{type(value).__name__} {value}"  # dates and times


def _dotted(key: tuple[str, ...]) -> str:
    """A key path as the user would write it: keymap."thread.archive"."""
    return ".".join(_toml_key(part) for part in key)


def _quote(text: str) -> str:
    import json  # error messages only: not loaded at start-up

    return json.dumps(text, ensure_ascii=False)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" (did you mean "x"?)" for the closest of ``choices``, or "": the one
    hint for a mistyped key in every TOML file kreview reads (config, themes),
    quoted as TOML would write it."""
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {_quote(close[0])}?)" if close else ""


# --- finding the line a key is on ----------------------------------------------

_KEY_PART = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+')


def _key_parts(text: str) -> tuple[str, ...]:
    import json  # finding the line of a bad key: error messages only

    parts = []
    for token in _KEY_PART.findall(text):
        if token[0] == '"':
            token = json.loads(token)
        elif token[0] == "'":
            token = token[1:-1]
        parts.append(token)
    return tuple(parts)


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Full key path -> first line defining it, for [table] headers and `key =` lines.

    A line scan, not a TOML parser: good for the top-level keys and [section]
    keys a config file has; multi-line strings could fool it, and then a
    message names the nearest enclosing key's line or no line at all.
    """
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            header = stripped.strip("[").split("]", 1)[0]
            table = _key_parts(header)
            found.setdefault(table, number)
        elif "=" in stripped:
            found.setdefault(table + _key_parts(stripped.split("=", 1)[0]), number)
    return found


def find_key_line(text: str, key: tuple[str, ...]) -> int | None:
    """The line of a key path like ("identity", "name") in TOML text; theme files use it too."""
    return _line_of(_key_lines(text), key)


def _line_of(lines: dict[tuple[str, ...], int], key: tuple[str, ...]) -> int | None:
    # Fall back to the enclosing key: a value inside an inline table is at
    # least on the line of the table it belongs to.
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None


# --- rendering ---------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _quote(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Path):
        return _quote(str(value))
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot render {value!r} as TOML")


def render_config(config: Config, source: Path | None = None) -> str:
    """The effective configuration as commented TOML that load_config reads back."""
    out: list[str] = ["# kreview: effective configuration"]
    if source is not None:
        out.append(f"# read from {source}" if source.exists() else
                   f"# {source} does not exist: these are the defaults")
    tables: list[str] = []
    for f in fields(Config):
        value = getattr(config, f.name)
        comment = f"# {f.metadata['doc']}"
        if isinstance(value, IdentityOverride):
            tables += ["", comment, "[identity]"]
            for name in ("name", "email"):
                item = getattr(value, name)
                tables.append(f"{name} = {_quote(item)}" if item is not None
                              else f"# {name} = \"\"  (unset: from the notmuch config)")
        elif isinstance(value, Mapping):
            tables += ["", comment, f"[{f.name}]"]
            tables += [f"{_toml_key(k)} = {_quote(v)}" for k, v in value.items()]
            if not value:
                tables.append(f"# {f.metadata['example']}")
        elif value is None:
            out += ["", comment, f"# {f.metadata['example']}"]
        else:
            out += ["", comment, f"{f.name} = {_toml_value(value)}"]
    return "\n".join(out + tables) + "\n"
