"""The grammar of kernel mail, defined once.

Every pattern that reads the *shape* of list mail lives here, named, with
table-driven tests (tests/core/test_grammar*.py); parsing, series assembly,
replies and the reader import them rather than keeping their own copies.
It holds the subject line (reply markers, bracket prefixes, versions,
counters, list tags), the signs that a body carries a patch (a diff, a
diffstat), quote prefixes, the lines of a diff (git headers, hunk headers,
diffstat lines), trailer keys and attribution lines ("On ..., X wrote:").

The subject grammar is what ``git format-patch``/``git send-email``, quilt,
hg and the people on the lists actually write, read the way ``b4`` and
patchwork read it (their documented behaviour is the reference, not their
code):

* reply markers before, between or after brackets: ``Re:``, ``RE:``,
  ``Aw:``, ``Sv:``, ``Antw:``, ``Odp:``, ``Ynt:``, ``回复:``/``回复：``,
  Outlook's ``Re[2]:``, and any other two- or three-letter word with a
  colon right before a bracket (b4's rule);
  forwards (``Fwd:``, ``Fw:``) count as replies too (b4 does the same);
* any number of leading ``[...]`` groups, nested (``[PATCH [v2] 1/3]``) or
  duplicated (``[PATCH] [PATCH v2 1/3]``), with odd spacing inside;
* inside them: ``PATCH`` (also ``PATCHSET(S)``/``PATCHES``), ``RFC``, ``RFT``,
  ``RESEND``, keywords joined by a hyphen (``RESEND-PATCH``), ``GIT PULL``/``PULL``, versions ``v2``/``V2``/``v2.3``, counters
  ``3/8``, ``03/10``, ``3 / 8``, ``3 of 8``, glued forms (``PATCHv3``,
  ``PATCH-v3``, ``PATCH1/8``, ``PATCH1 of 8``, ``v2PATCH1/4``, ``RFCv2``) and
  every other word kept as a prefix (list tags, subsystems: ``net-next``);
* a version written after the title as ``(v2)``.

No written version means v1; no counter means 1/1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# -- reply markers ------------------------------------------------------------

# Answers in the spellings of the mail clients kernel people use (English,
# German, Scandinavian, Dutch, Polish, Turkish, Chinese with a full-width
# colon or not) and Outlook's numbered "Re[2]:".
REPLY_MARKER = re.compile(
    r"(?:re|aw|sv|antw|odp|ynt|回复|答复|回覆)(?:\[\d+\]|\(\d+\))?[ \t]*[:：][ \t]*", re.I)
FORWARD_MARKER = re.compile(r"(?:fwd?|转发|轉寄)(?:\[\d+\])?[ \t]*[:：][ \t]*", re.I)
# Any other short word and a colon right before a bracket ("Odg: [PATCH]",
# "Vs: [PATCH]"): a reply marker of some client, as b4 reads it.
OTHER_REPLY_MARKER = re.compile(r"\w{2,3}[ \t]*[:：][ \t]*(?=\[)")
# Any leading run of them, for callers that only strip.
_LEADING_REPLIES = re.compile(r"^\s*(?:" + REPLY_MARKER.pattern + r")+", re.I)
_LEADING_MARKERS = re.compile(
    r"^\s*(?:(?:" + REPLY_MARKER.pattern + r")|(?:" + FORWARD_MARKER.pattern + r"))+", re.I)


def strip_reply_markers(subject: str, forwards: bool = False) -> str:
    """``subject`` without its leading reply markers (and ``Fwd:`` too when
    ``forwards``); brackets and everything else are left as written."""
    return (_LEADING_MARKERS if forwards else _LEADING_REPLIES).sub("", subject)


# -- bracket prefixes -----------------------------------------------------------

# One token inside the brackets, tried in this order at each position; glued
# forms ("v2PATCH1/4") fall apart into version, keyword and counter because a
# token may end where the next one starts.
SUBJECT_TOKEN = re.compile(r"""
    (?P<counter>(?P<index>\d{1,5})[ \t]*(?:/|\bof\b)[ \t]*(?P<total>\d{1,5}))(?![\w/.])
  | -?(?P<version>[vV](?P<vnum>\d{1,4}(?:\.\d{1,4})?))
        (?=$|[\s,;:]|PATCH|RFC|RFT|RESEND|\d{1,5}[ \t]*(?:/|of\b))
  | (?P<keyword>PATCH(?:SET|ES)?|RFC|RFT|RESEND|GIT[ \t]+PULL|PULL)
        (?=$|[\s,;:]|-?[vV]\d|\d)
  | (?P<word>[^\s,;]+)
""", re.I | re.X)
_BARE_VERSION = re.compile(r"[vV](\d{1,4}(?:\.\d{1,4})?)")
# "foo bar (v2)": a version written after the title, as some people do.
TITLE_VERSION = re.compile(r"\s*\((?:[vV])(?P<vnum>\d{1,4}(?:\.\d{1,4})?)\)\s*$")
PATCH_KEYWORDS = frozenset({"PATCH", "PATCHSET", "PATCHSETS", "PATCHES", "RFC", "RFT"})
_KEYWORDS = PATCH_KEYWORDS | {"RESEND", "PULL"}


def _leading_bracket(text: str, start: int) -> tuple[str, int] | None:
    """(inside, end) for a ``[...]`` group at ``text[start]``; inner brackets
    are flattened into the inside. None when it never closes."""
    if not text.startswith("[", start):
        return None
    depth = 0
    for pos in range(start, len(text)):
        ch = text[pos]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                inside = text[start + 1:pos].replace("[", " ").replace("]", " ")
                return inside, pos + 1
    return None


@dataclass(frozen=True)
class SubjectInfo:
    """What a subject line says about the message's place in a series."""

    prefixes: tuple[str, ...]  # bracket words that are not version/counter, in order
    is_reply: bool
    version: int  # the major number: v2.3 is 2
    index: int
    total: int
    is_rfc: bool
    is_resend: bool
    title: str  # the subject without reply markers and bracket prefixes
    is_patch: bool = False  # a PATCH/RFC keyword or a counter was written
    has_counter: bool = False  # "3/8" or "3 of 8" was written, not defaulted
    revision: str = "1"  # the version as written, without "v": "2", "2.3"
    version_written: bool = False
    is_pull: bool = False  # [GIT PULL]
    has_brackets: bool = False  # any [...] prefix at all (a list tag counts)


@lru_cache(maxsize=16384)
def parse_subject(subject: str) -> SubjectInfo:
    """Read ``subject`` by the grammar in the module docstring.

    Markers and brackets may interleave ("[nvdimm] Re: [PATCH 2/3] x"), so
    they are peeled off the front in a loop until plain text remains.
    """
    text = " ".join(subject.split())
    is_reply = has_brackets = False
    insides: list[str] = []
    pos = 0  # peeled by position: slicing per marker is quadratic on "Re: " x 100,000
    while pos < len(text):
        m = (REPLY_MARKER.match(text, pos) or FORWARD_MARKER.match(text, pos)
             or OTHER_REPLY_MARKER.match(text, pos))
        if m:
            is_reply, pos = True, m.end()
            continue
        bracket = _leading_bracket(text, pos)
        if bracket is None:
            break
        has_brackets = True
        insides.append(bracket[0])
        pos = bracket[1] + (text[bracket[1]:bracket[1] + 1] == " ")
    rest = text[pos:]

    prefixes: list[str] = []
    seen_prefixes: set[str] = set()
    revision, version_written = "1", False
    index, total = 1, 1
    has_counter = is_patch = is_rfc = is_resend = is_pull = False
    for inside in insides:
        for m in SUBJECT_TOKEN.finditer(inside.strip()):
            if m.group("counter"):
                index, total, has_counter = int(m.group("index")), int(m.group("total")), True
            elif m.group("version"):
                revision, version_written = _revision(m.group("vnum")), True
            else:
                word = (m.group("keyword") or m.group("word")).strip("()")
                if not word:
                    continue
                late = _BARE_VERSION.fullmatch(word)
                if late:  # "(v2)" inside the brackets
                    revision, version_written = _revision(late.group(1)), True
                    continue
                upper = " ".join(word.upper().split())
                parts = upper.split("-")
                # "RESEND-PATCH", "RFC-PATCH": keywords joined by a hyphen
                names = parts if len(parts) > 1 and all(p in _KEYWORDS for p in parts) else [upper]
                for name in names:
                    if name in PATCH_KEYWORDS:
                        is_patch = True
                    if name in ("RFC", "RFT"):
                        is_rfc = True
                    elif name == "RESEND":
                        is_resend = True
                    elif name in ("GIT PULL", "PULL"):
                        is_pull = True
                if upper not in seen_prefixes:  # "[PATCH] [PATCH v2 1/3]" says PATCH once
                    seen_prefixes.add(upper)
                    prefixes.append(" ".join(word.split()))
    title = rest.strip()
    if not version_written:
        late = TITLE_VERSION.search(title)
        if late and late.start() > 0:
            revision, version_written = _revision(late.group("vnum")), True
            title = title[:late.start()].rstrip()
    major = int(revision.split(".", 1)[0])
    return SubjectInfo(
        prefixes=tuple(prefixes),
        is_reply=is_reply,
        version=max(major, 1),
        index=index,
        total=max(total, 1),
        is_rfc=is_rfc,
        is_resend=is_resend,
        title=title,
        is_patch=is_patch or has_counter,
        has_counter=has_counter,
        revision=revision if major >= 1 else "1",
        version_written=version_written,
        is_pull=is_pull,
        has_brackets=has_brackets,
    )


def _revision(text: str) -> str:
    major, _, minor = text.partition(".")
    major = str(int(major))
    return f"{major}.{int(minor)}" if minor else major


def may_start_series(subject: str) -> bool:
    """Whether a message with this subject could be a patch or a cover letter
    (so its file is worth reading): not a reply, and a patch keyword, a
    counter or at least a bracketed prefix (a list tag, ``[GIT PULL]``). A
    subject with none of these is taken as discussion without reading it."""
    info = parse_subject(subject)
    return not info.is_reply and (info.is_patch or info.has_brackets or info.version_written)


# -- patches in a body ------------------------------------------------------------

# What makes a body a patch: a git diff header, a unified diff's file pair,
# or a binary patch; at the start of a line, so a quoted ("> diff --git")
# diff in a review never counts.
DIFF_START = re.compile(
    r"^(?:diff --git \S+ \S+|--- \S[^\n]*\n\+\+\+ \S|GIT binary patch)", re.M)
# "3 files changed, 10 insertions(+)": the summary a cover letter carries.
DIFFSTAT_SUMMARY = re.compile(r"^[ \t]*\d+ files? changed(?:, \d+ (?:insertion|deletion))?", re.M)


# A person trailer ("Tested-by: Name <a@b>") at the start of a line: a mail
# without a diff that carries one and answers another is a reply, whatever
# its subject (b4's rule for a follow-up that lost its "Re:").
PERSON_TRAILER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*-by:[ \t]*\S[^\n]*@", re.M | re.I)


def has_person_trailer(text: str) -> bool:
    return PERSON_TRAILER_LINE.search(text) is not None


def has_diff(text: str) -> bool:
    return DIFF_START.search(text) is not None


def has_diffstat(text: str) -> bool:
    return DIFFSTAT_SUMMARY.search(text) is not None


# -- quotes -----------------------------------------------------------------------

# A mail quote prefix: ">" at the start of the line, more ">" each after at
# most one space ("> > ", ">>"), then at most one space. Only ">" counts a
# level: a tab or a leading space is content, never quoting (a line that
# starts with " >" is the writer's own, as mutt and git read it).
QUOTE_PREFIX = re.compile(r"^>(?: ?>)* ?")


def quote_level(line: str) -> tuple[int, str]:
    """(nesting level, content) of a line: ``"> > x"`` is ``(2, "x")``."""
    match = QUOTE_PREFIX.match(line)
    if not match:
        return 0, line
    return match.group(0).count(">"), line[match.end():]


def strip_quote(line: str) -> str:
    """``line`` without its mail quote prefix ("> ", "> > ", ">>")."""
    match = QUOTE_PREFIX.match(line)
    return line[match.end():] if match else line


# -- the lines of a diff ----------------------------------------------------------

# "diff --git a/x b/x": git's file header; any prefixes (--no-prefix,
# diff.mnemonicPrefix) are allowed, see diff_path.
GIT_DIFF_HEADER = re.compile(r"^diff --git (\S+) (\S+)")
# "@@ -a,b +c,d @@ function": a unified hunk header as git and unidiff read
# it; the counts may be left out (they are then 1) and the function (git's
# section heading) follows after one optional space. "@@@" starts a combined
# diff (merge commits), which has one "-" range per parent: not this shape.
HUNK_HEADER = re.compile(
    r"^@@ -(?P<old_start>\d+)(?:,(?P<old_count>\d+))? "
    r"\+(?P<new_start>\d+)(?:,(?P<new_count>\d+))? @@ ?(?P<function>.*)$")
# git's extended header lines between "diff --git" and the hunks (see
# git-diff(1), "generating patches"): a file can change by these alone.
DIFF_EXTENDED_HEADERS = (
    "index ", "old mode ", "new mode ", "new file mode ", "deleted file mode ",
    "similarity index ", "dissimilarity index ", "rename from ", "rename to ",
    "copy from ", "copy to ", "Binary files ", "GIT binary patch",
)
# A line of git's diffstat as format-patch writes it after "---": one space,
# then a file line (" path | 12 ++--", " img | Bin 0 -> 10 bytes", " x | 0"
# for a mode change), the summary (" 2 files changed, ..."), or one of
# --summary's lines (" create mode 100644 x", " rename a => b (90%)").
DIFFSTAT_LINE = re.compile(
    r"^ (?:\S.* \| +(?:\d+(?: [+-]+)?|Bin\b.*)[ \t]*$"
    r"|\d+ files? changed"
    r"|(?:create|delete|rename|copy|rewrite|mode change) )")


# What one line inside a hunk uses up of the header's counts, by its first
# character: (old, new). A context line may have lost its space to a mailer
# (""). A line whose first character is not here ends the hunk.
HUNK_LINE_STEP = {"+": (0, 1), "-": (1, 0), " ": (1, 1), "": (1, 1), "\\": (0, 0)}
# hunk_line_step(first_char) -> (old, new) or None; a bound dict lookup, since
# it runs once per line of every patch.
hunk_line_step = HUNK_LINE_STEP.get


def git_diff_names(line: str) -> tuple[str, str] | None:
    """The old and new names of a "diff --git" line, prefixes kept; None if it is not one.

    git quotes a name only when it holds a control character, a quote, a
    backslash or (core.quotePath) a non-ASCII byte: "a/my file.c b/my
    file.c" is one name said twice, which splitting at spaces cut to "a/my"
    and "file.c". The two halves of an unrenamed file are told apart by
    being the same name after their prefixes; a rename with spaces splits
    at " b/" (its ---/+++ and "rename" lines name it exactly)."""
    if not GIT_DIFF_HEADER.match(line):
        return None
    rest = line[len("diff --git "):].rstrip("\r\n")
    if rest.startswith('"') or rest.endswith('"'):
        quoted = _quoted_names(rest)
        if quoted is not None:
            return quoted
    middle = len(rest) // 2
    if len(rest) % 2 and rest[middle] == " ":
        old, new = rest[:middle], rest[middle + 1:]
        if old == new or old.partition("/")[2] == new.partition("/")[2] != "":
            return old, new
    if " b/" in rest:
        old, _, new = rest.partition(" b/")
        return old, "b/" + new
    old, new = rest.split(" ", 1)
    return old, new


_C_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _quoted_names(rest: str) -> tuple[str, str] | None:
    """Both names of a line where git C-quoted one or both ("a/t\\tab" b/x)."""
    names = []
    while rest:
        if rest.startswith('"'):
            match = _C_QUOTED.match(rest)
            if match is None:
                return None
            names.append(_unquote_c(match.group(1)))
            rest = rest[match.end():].lstrip(" ")
        else:
            name, _, rest = rest.partition(" ")
            names.append(name)
    return (names[0], names[1]) if len(names) == 2 else None


def _unquote_c(text: str) -> str:
    """git's C quoting undone: \\t, \\", \\\\ and octal bytes (UTF-8 names)."""
    import codecs

    raw = codecs.escape_decode(text.encode("utf-8", "surrogateescape"))[0]
    return raw.decode("utf-8", "replace")


def diff_path(name: str) -> str:
    """A path as named in a diff header without git's "a/" or "b/"."""
    return name[2:] if name.startswith(("a/", "b/")) else name


def hunk_counts(match: re.Match[str]) -> tuple[int, int]:
    """(old, new) line counts of a HUNK_HEADER match; a count left out is 1."""
    old, new = match.group("old_count"), match.group("new_count")
    return (int(old) if old is not None else 1), (int(new) if new is not None else 1)


# -- trailers -----------------------------------------------------------------------

# The start of a person trailer ("Reviewed-by:", "acked-by:"): what a reply
# adds to say who vouches, never the reviewer's own words.
PERSON_TRAILER_START = re.compile(r"^[A-Za-z][A-Za-z0-9-]*-by:", re.I)


# -- attribution lines --------------------------------------------------------------

# The time in an attribution ("10:35:24AM -0700", "10:35 AM (UTC)"): the name
# follows the last one.
_ATTRIBUTION_TIME = (
    r"\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:[+-]\d{4}|\(?(?:UTC|GMT|[A-Z][SD]T|CES?T|EES?T|IST|JST)\)?))?")
# What mail clients write above a quote; group "who" is the quoted author,
# group "rest" holds the date and then the author.
ATTRIBUTIONS = (
    re.compile(r"^On (?P<rest>.+?),? (?:wrote|writes|said)\s*:\s*$"),  # mutt, git, Thunderbird
    re.compile(r"^Le (?P<rest>.+?) a écrit\s*:\s*$"),  # French clients
    re.compile(r"^Am .+? schrieb (?P<who>[^:]+?)\s*:\s*$"),  # German clients: the name follows "schrieb"
    re.compile(r"^Quoting (?P<who>.+?) \(\d{4}-\d\d-\d\d[^)]*\):?\s*$"),  # IMP/Horde
    re.compile(r"^\* (?P<who>.+?) \[\d{6} \d\d:\d\d\]:\s*$"),  # mutt's old default
)
# "Dan Williams wrote:": only an attribution when a quote follows it (the
# caller checks), since prose can end the same way.
LOOSE_ATTRIBUTION = re.compile(r"^(?P<who>\S.{0,150}?) (?:wrote|writes|said)\s*:\s*$")
_ADDRESS = re.compile(r"\s*<[^<>]*>\s*|\s*\([^()]*@[^()]*\)\s*")


def display_name(text: str) -> str:
    """A display name from "Name <addr>", '"Name" <addr>' or a bare address."""
    name = _ADDRESS.sub(" ", text).strip().strip('"').strip("'").strip()
    if name:
        return name
    address = re.search(r"<([^<>]+)>", text)
    return address.group(1) if address else text.strip()


def attribution_author(text: str) -> str | None:
    """The author named by an attribution line of a known client's shape, or
    None if it is not one (LOOSE_ATTRIBUTION is for the caller to try)."""
    for pattern in ATTRIBUTIONS:
        match = pattern.match(text)
        if not match:
            continue
        if "who" in pattern.groupindex:
            return display_name(match.group("who"))
        rest = match.group("rest")
        # "Thu, Sep 13, 2018 at 10:35:24AM -0700, Dan" and "9/13/18 10:35 AM, Dan":
        # the name follows the last time; without one, the last comma.
        parts = re.split(_ATTRIBUTION_TIME + r",?\s*", rest)
        who = parts[-1] if len(parts) > 1 else rest.rsplit(", ", 1)[-1]
        return display_name(who.lstrip(", "))
    return None


def is_attribution(text: str) -> bool:
    """Whether a (stripped) line has the shape of an attribution, strict or loose."""
    return attribution_author(text) is not None or LOOSE_ATTRIBUTION.match(text) is not None
