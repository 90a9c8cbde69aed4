#!/usr/bin/env python3
"""Write kreview's demo mailbox, ``sample_maildir/``.

The mail is rebuilt from real linux-mm / LKML threads of 2018-2019 about HMM,
devm_memremap_pages() and EXPORT_SYMBOL_GPL: the people, addresses, lists,
dates and most of the prose are theirs; the diffs are plausible
reconstructions of the patches they discuss.  On top of that a handful of
messages carry the oddities a mail reader meets in the wild (RFC 2047 names,
quoted-printable, base64, an attached patch, a missing parent, HTML-only mail,
a bogus charset, no Date, CRLF line ends, terminal escapes).

Standard library only, and deterministic: running it twice gives byte-identical
files, so the generated maildir is committed and a test re-runs the script into
a temporary directory and compares.

    python3 tools/make_sample.py [OUTPUT_DIR]     # default: sample_maildir/
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import quopri
import random
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "sample_maildir"
HOSTNAME = "kreview-sample"

# One seeded generator for every "random" part of a Message-ID, consumed in a
# fixed order, so the output only changes when this script does.
RNG = random.Random(20181120)


# --------------------------------------------------------------------------
# People, lists, time
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    name: str
    email: str

    def header(self) -> str:
        """The address as it goes into From/To/Cc (RFC 2047 for non-ASCII)."""
        if not self.name:
            return self.email
        return f"{encode_display_name(self.name)} <{self.email}>"

    def plain(self) -> str:
        """The address as people type it in a body or a trailer."""
        return f"{self.name} <{self.email}>" if self.name else self.email


def encode_display_name(name: str) -> str:
    if not name.isascii():
        encoded = []
        for ch in name:
            if ch == " ":
                encoded.append("_")
            elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
                encoded.append(ch)
            else:
                encoded.extend(f"={b:02X}" for b in ch.encode("utf-8"))
        return f"=?UTF-8?Q?{''.join(encoded)}?="
    if any(ch in name for ch in '()<>[]:;@\\,."'):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


DAN = Person("Dan Williams", "dan.j.williams@intel.com")
JEROME = Person("Jérôme Glisse", "jglisse@redhat.com")
JEROME_ASCII = Person("Jerome Glisse", "jglisse@redhat.com")  # his 2018 From:
JEROME_GIT = Person("", "jglisse@redhat.com")  # git send-email, no display name
AKPM = Person("Andrew Morton", "akpm@linux-foundation.org")
WILLY = Person("Matthew Wilcox", "willy@infradead.org")
HCH = Person("Christoph Hellwig", "hch@lst.de")
LOGAN = Person("Logan Gunthorpe", "logang@deltatee.com")
BALBIR = Person("Balbir Singh", "bsingharora@gmail.com")
MHOCKO = Person("Michal Hocko", "mhocko@suse.com")
GREGKH = Person("Greg Kroah-Hartman", "gregkh@linuxfoundation.org")
GREGKH_SHORT = Person("Greg KH", "gregkh@linuxfoundation.org")
JHUBBARD = Person("John Hubbard", "jhubbard@nvidia.com")
IRA = Person("Ira Weiny", "ira.weiny@intel.com")
BENH = Person("Benjamin Herrenschmidt", "benh@kernel.crashing.org")
TORVALDS = Person("Linus Torvalds", "torvalds@linux-foundation.org")
RCAMPBELL = Person("Ralph Campbell", "rcampbell@nvidia.com")
MVITALE = Person("Mark Vitale", "mvitale@sinenomine.net")
JGORSE = Person("Joe Gorse", "jhgorse@gmail.com")
NARESH = Person("Naresh Kamboju", "naresh.kamboju@linaro.org")
GROECK = Person("Guenter Roeck", "linux@roeck-us.net")

LINUX_MM = Person("", "linux-mm@kvack.org")
LKML = Person("", "linux-kernel@vger.kernel.org")
NVDIMM = Person("", "linux-nvdimm@lists.01.org")
DRI_DEVEL = Person("", "dri-devel@lists.freedesktop.org")
STABLE = Person("", "stable@vger.kernel.org")
KSUMMIT = Person("", "ksummit-discuss@lists.linuxfoundation.org")

# The copy of a cross-posted message in a mailbox arrived through one list;
# the first of these in To/Cc is taken as that list.
LIST_IDS = [
    ("linux-mm@kvack.org", "<linux-mm.kvack.org>"),
    ("linux-nvdimm@lists.01.org",
     '"Linux-nvdimm developer list." <linux-nvdimm.lists.01.org>'),
    ("ksummit-discuss@lists.linuxfoundation.org",
     "<ksummit-discuss.lists.linuxfoundation.org>"),
    ("linux-kernel@vger.kernel.org", "<linux-kernel.vger.kernel.org>"),
    ("stable@vger.kernel.org", "<stable.vger.kernel.org>"),
    ("dri-devel@lists.freedesktop.org",
     "Direct Rendering Infrastructure - Development "
     "<dri-devel.lists.freedesktop.org>"),
]


def tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


PDT, PST, MDT, MST = tz(-7), tz(-8), tz(-6), tz(-7)
EDT, EST = tz(-4), tz(-5)
CEST, CET = tz(2), tz(1)
AEST, AEDT = tz(10), tz(11)
IST = timezone(timedelta(hours=5, minutes=30))
UTC = timezone.utc


def when(y: int, mo: int, d: int, h: int, mi: int, s: int, zone: timezone) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=zone)


def from_epoch(ts: float, zone: timezone) -> datetime:
    return datetime.fromtimestamp(int(ts), tz=zone)


def rfc2822(d: datetime) -> str:
    """Date header as MUAs write it: day of month not zero-padded."""
    return f"{d:%a}, {d.day} {d:%b %Y %H:%M:%S %z}"


# --------------------------------------------------------------------------
# Message-IDs, one generator per mail program
# --------------------------------------------------------------------------

def _digits(n: int) -> str:
    return str(RNG.randrange(10 ** (n - 1), 10 ** n))


def _hex(n: int) -> str:
    return "".join(RNG.choice("0123456789abcdef") for _ in range(n))


def stgit_id(hundredths: int, pid: int, tail: str | None = None) -> str:
    return (f"<{hundredths}.{pid}.{tail or _digits(19)}"
            f".stgit@dwillia2-desk3.amr.corp.intel.com>")


def mutt_id(d: datetime, host: str, seq: str = "GA") -> str:
    return f"<{d.astimezone(UTC):%Y%m%d%H%M%S}.{seq}{RNG.randrange(1000, 32000)}@{host}>"


def sylpheed_id(d: datetime) -> str:
    return f"<{d:%Y%m%d%H%M%S}.{_hex(24)}@linux-foundation.org>"


def gmail_id(prefix: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+="
    return f"<{prefix}{''.join(RNG.choice(alphabet) for _ in range(40))}@mail.gmail.com>"


def uuid_id(domain: str, upper: bool = False) -> str:
    u = f"{_hex(8)}-{_hex(4)}-4{_hex(3)}-{RNG.choice('89ab')}{_hex(3)}-{_hex(12)}"
    return f"<{u.upper() if upper else u}@{domain}>"


def send_email_id(d: datetime, pid: int, n: int, user: str, host: str) -> str:
    return f"<{d.astimezone(UTC):%Y%m%d%H%M%S}.{pid}-{n}-{user}@{host}>"


def quilt_id(d: datetime) -> str:
    return f"<{d.astimezone(UTC):%Y%m%d%H%M%S}.{_digits(9)}@linuxfoundation.org>"


# --------------------------------------------------------------------------
# Mail
# --------------------------------------------------------------------------

UA_STGIT = ("User-Agent", "StGit/0.18-2-gc94f")
UA_SYLPHEED = ("X-Mailer", "Sylpheed 3.5.1 (GTK+ 2.24.31; x86_64-pc-linux-gnu)")
UA_TBIRD = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:60.0) "
            "Gecko/20100101 Thunderbird/60.3.0")
UA_SEND_EMAIL = ("X-Mailer", "git-send-email 2.17.2")


def ua_mutt(version: str) -> tuple[str, str]:
    return ("User-Agent", version)


@dataclass
class Mail:
    sender: Person
    to: list[Person]
    cc: list[Person]
    subject: str
    date: datetime | None
    msgid: str
    body: str | bytes
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = None  # None: text/plain, charset picked from body
    cte: str | None = None
    folder: str = "cur"
    flags: str = "S"
    arrival: int | None = None  # epoch for the file name when there is no Date
    crlf: bool = False

    def list_id(self) -> str | None:
        addresses = [p.email for p in self.to + self.cc]
        for address, list_id in LIST_IDS:
            if address in addresses:
                return list_id
        return None

    def render(self) -> bytes:
        lines = [f"From: {self.sender.header()}"]
        if self.to:
            lines.append(fold_addresses("To", self.to))
        if self.cc:
            lines.append(fold_addresses("Cc", self.cc))
        lines.append(fold_unstructured("Subject", self.subject))
        if self.date is not None:
            lines.append(f"Date: {rfc2822(self.date)}")
        lines.append(f"Message-ID: {self.msgid}")
        if self.in_reply_to:
            lines.append(f"In-Reply-To: {self.in_reply_to}")
        if self.references:
            lines.append(fold_ids("References", self.references))
        body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        lines.append("MIME-Version: 1.0")
        if self.content_type is None:
            charset = "us-ascii" if body.isascii() else "utf-8"
            lines.append(f'Content-Type: text/plain; charset="{charset}"')
            lines.append("Content-Transfer-Encoding: "
                         + (self.cte or ("7bit" if body.isascii() else "8bit")))
        else:
            lines.append(f"Content-Type: {self.content_type}")
            if self.cte:
                lines.append(f"Content-Transfer-Encoding: {self.cte}")
        lines.extend(f"{k}: {v}" for k, v in self.headers)
        list_id = self.list_id()
        if list_id:
            lines.append(f"List-Id: {list_id}")
        raw = "\n".join(lines).encode("utf-8") + b"\n\n" + body
        if self.crlf:
            raw = raw.replace(b"\n", b"\r\n")
        return raw

    def epoch(self) -> int:
        if self.date is not None:
            return int(self.date.timestamp())
        assert self.arrival is not None, self.msgid
        return self.arrival


def fold_addresses(name: str, people: list[Person]) -> str:
    out, line = [], f"{name}:"
    for i, person in enumerate(people):
        piece = person.header() + ("," if i < len(people) - 1 else "")
        if len(line) + 1 + len(piece) > 78 and line != f"{name}:":
            out.append(line)
            line = "\t" + piece
        else:
            line += " " + piece
    out.append(line)
    return "\n".join(out)


def fold_ids(name: str, ids: list[str]) -> str:
    return f"{name}: " + "\n ".join(ids)


def fold_unstructured(name: str, value: str) -> str:
    line = f"{name}: {value}"
    if len(line) <= 78 or "\x1b" in value:
        return line
    cut = line.rfind(" ", 0, 78)
    return line[:cut] + "\n" + line[cut:]


def re_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else "Re: " + subject


class Mailbox:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    def add(self, mail: Mail) -> Mail:
        self.mails.append(mail)
        return mail

    def reply(self, parent: Mail, sender: Person, date: datetime | None, msgid: str,
              body: str | bytes, *, to: list[Person] | None = None,
              cc: list[Person] | None = None, **kw) -> Mail:
        """A reply as a MUA builds it: To the parent's author, Cc everyone else,
        References = the parent's References plus the parent."""
        if to is None:
            to = [parent.sender]
        if cc is None:
            seen = {p.email for p in to} | {sender.email}
            cc = []
            for p in parent.to + parent.cc:
                if p.email not in seen:
                    seen.add(p.email)
                    cc.append(p)
        kw.setdefault("subject", re_subject(parent.subject))
        return self.add(Mail(sender=sender, to=to, cc=cc, date=date, msgid=msgid,
                             body=body, in_reply_to=parent.msgid,
                             references=parent.references + [parent.msgid], **kw))

    def write(self, out: Path) -> None:
        for sub in ("cur", "new", "tmp"):
            (out / sub).mkdir(parents=True, exist_ok=True)
            for old in sorted((out / sub).iterdir()):
                if old.is_file():
                    old.unlink()
        # Keeps tmp/ in git; notmuch never looks inside tmp/.
        (out / "tmp" / ".keep").write_bytes(b"")
        ids = [m.msgid for m in self.mails]
        assert len(ids) == len(set(ids)), "duplicate Message-ID"
        for seq, mail in enumerate(self.mails, start=1):
            name = f"{mail.epoch()}.{seq:06d}.{HOSTNAME}"
            if mail.folder == "cur":
                name += ":2," + mail.flags
            (out / mail.folder / name).write_bytes(mail.render())


# --------------------------------------------------------------------------
# Bodies: wrapping, quoting, attribution lines
# --------------------------------------------------------------------------

def wrap(text: str, width: int = 72) -> str:
    """Re-wrap the blank-line-separated paragraphs that have a line longer
    than `width`; lists, quotes and indented blocks are kept as written."""
    out = []
    for para in text.strip("\n").split("\n\n"):
        if (para[:1] in (" ", "\t", "*", ">", "[") or "\n " in para
                or all(len(line) <= width for line in para.split("\n"))):
            out.append(para)
        else:
            out.append(textwrap.fill(" ".join(para.split("\n")), width,
                                     break_on_hyphens=False, break_long_words=False))
    return "\n\n".join(out)


def quote(text: str, style: str = "mutt") -> str:
    """Quote text the way a MUA does: mutt puts '> ' before every line, gmail
    and Thunderbird leave a bare '>' on blank lines."""
    out = []
    for line in text.strip("\n").split("\n"):
        if style == "mutt":
            out.append("> " + line)
        elif line == "" or line.startswith(">"):
            out.append(">" + (" " + line if line else ""))
        else:
            out.append("> " + line)
    return "\n".join(out)


def _name(p: Person) -> str:
    return p.name or p.email


def attr_mutt(m: Mail) -> str:
    d = m.date
    return f"On {d:%a, %b %d, %Y at %I:%M:%S%p %z}, {_name(m.sender)} wrote:"


def attr_mhocko(m: Mail) -> str:
    return f"On {m.date:%a %d-%m-%y %H:%M:%S}, {_name(m.sender)} wrote:"


def attr_gmail(m: Mail, zone: timezone) -> str:
    d = m.date.astimezone(zone)
    who = f"{m.sender.name} <{m.sender.email}>" if m.sender.name else f"<{m.sender.email}>"
    return (f"On {d:%a, %b} {d.day}, {d.year} at {d.hour % 12 or 12}:{d:%M %p} "
            f"{who} wrote:")


def attr_sylpheed(m: Mail) -> str:
    return f"On {rfc2822(m.date)} {m.sender.plain()} wrote:"


def attr_logan(m: Mail, zone: timezone) -> str:
    d = m.date.astimezone(zone)
    ampm = "a.m." if d.hour < 12 else "p.m."
    return f"On {d:%Y-%m-%d} {d.hour % 12 or 12}:{d:%M} {ampm}, {_name(m.sender)} wrote:"


def attr_jhubbard(m: Mail, zone: timezone) -> str:
    d = m.date.astimezone(zone)
    return (f"On {d.month}/{d.day}/{d:%y} {d.hour % 12 or 12}:{d:%M %p}, "
            f"{_name(m.sender)} wrote:")


def excerpt(text: str, first: str, last: str) -> str:
    """The lines of text from the one containing `first` through the one
    containing `last` (the first match after it), verbatim."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if first in line)
    end = next(i for i in range(start, len(lines)) if last in lines[i])
    return "\n".join(lines[start:end + 1])


def body_of(m: Mail) -> str:
    return m.body if isinstance(m.body, str) else m.body.decode("utf-8")


# --------------------------------------------------------------------------
# Diffs: hunk headers and diffstats are computed, never typed by hand
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Hunk:
    old_start: int
    func: str
    lines: tuple[str, ...]

    @property
    def old_count(self) -> int:
        return sum(1 for line in self.lines if line[0] in " -")

    @property
    def new_count(self) -> int:
        return sum(1 for line in self.lines if line[0] in " +")


def hunk(old_start: int, func: str, text: str) -> Hunk:
    """Hunk body in a raw string: '\\t' stands for a tab, an empty line is
    an empty context line."""
    # Only the newlines right after the opening and before the closing quotes
    # are layout; every other empty line is an empty context line.
    text = text.removeprefix("\n").removesuffix("\n")
    lines = []
    for line in text.split("\n"):
        line = line.replace(r"\t", "\t") or " "
        assert line[0] in " +-", line
        lines.append(line)
    return Hunk(old_start, func, tuple(lines))


@dataclass(frozen=True)
class FileDiff:
    path: str
    hunks: tuple[Hunk, ...]

    @property
    def added(self) -> int:
        return sum(1 for h in self.hunks for line in h.lines if line[0] == "+")

    @property
    def removed(self) -> int:
        return sum(1 for h in self.hunks for line in h.lines if line[0] == "-")

    def shifted(self, delta: int) -> FileDiff:
        return FileDiff(self.path, tuple(Hunk(h.old_start + delta, h.func, h.lines)
                                         for h in self.hunks))


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


def render_hunks(f: FileDiff) -> list[str]:
    out, offset, previous_end = [], 0, 0
    for h in f.hunks:
        assert h.old_start > previous_end, f"overlapping hunks in {f.path}"
        previous_end = h.old_start + h.old_count - 1
        new_start = h.old_start + offset
        func = f" {h.func}" if h.func else ""
        out.append(f"@@ -{_range(h.old_start, h.old_count)} "
                   f"+{_range(new_start, h.new_count)} @@{func}")
        out.extend(h.lines)
        offset += h.new_count - h.old_count
    return out


class BlobIds:
    """Abbreviated blob ids for `index` lines, chained per file so patch N+1
    starts from the blob patch N produced."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.current: dict[str, str] = {}

    def step(self, path: str) -> tuple[str, str]:
        old = self.current.get(path) or self._blob(path, "base")
        new = self._blob(path, old)
        self.current[path] = new
        return old, new

    def _blob(self, path: str, salt: str) -> str:
        return hashlib.sha1(f"{self.tag}:{path}:{salt}".encode()).hexdigest()[:12]


def git_diff(files: list[FileDiff], blobs: BlobIds) -> str:
    out = []
    for f in files:
        old, new = blobs.step(f.path)
        out += [f"diff --git a/{f.path} b/{f.path}", f"index {old}..{new} 100644",
                f"--- a/{f.path}", f"+++ b/{f.path}"]
        out += render_hunks(f)
    return "\n".join(out) + "\n"


def quilt_diff(files: list[FileDiff]) -> str:
    out = []
    for f in files:
        out += [f"--- a/{f.path}", f"+++ b/{f.path}"]
        out += render_hunks(f)
    return "\n".join(out) + "\n"


def diffstat(files: list[FileDiff], count_width: int = 0, width: int = 72) -> str:
    """git's --stat: name column, change count, a +/- graph scaled to fit."""
    name_w = max(len(f.path) for f in files)
    changes = [f.added + f.removed for f in files]
    count_w = max(count_width, len(str(max(changes))))
    graph_w = max(10, width - (1 + name_w + 3 + count_w + 1))
    biggest = max(changes)
    lines = []
    for f, total in zip(files, changes):
        add, rem = f.added, f.removed
        if biggest > graph_w:
            scaled = lambda n: 0 if n == 0 else 1 + (n * (graph_w - 1)) // biggest
            add, rem = scaled(add), scaled(rem)
        graph = "+" * add + "-" * rem
        lines.append(f" {f.path:<{name_w}} | {total:>{count_w}} {graph}".rstrip())
    lines.append(summary_line(files))
    return "\n".join(lines)


def summary_line(files: list[FileDiff]) -> str:
    n, add, rem = len(files), sum(f.added for f in files), sum(f.removed for f in files)
    parts = [f" {n} file{'s' if n != 1 else ''} changed"]
    if add:
        parts.append(f"{add} insertion{'s' if add != 1 else ''}(+)")
    if rem:
        parts.append(f"{rem} deletion{'s' if rem != 1 else ''}(-)")
    return ", ".join(parts)


GIT_SIGNATURE = "-- \n2.17.1\n\n"


def patch_body(changelog: str, trailers: list[str], files: list[FileDiff],
               blobs: BlobIds, *, count_width: int = 0, preamble: str = "") -> str:
    return (preamble + wrap(changelog) + "\n\n" + "\n".join(trailers) + "\n---\n"
            + diffstat(files, count_width) + "\n\n" + git_diff(files, blobs)
            + GIT_SIGNATURE)


# The patch set below is one series in two postings (v4 in July 2018, v8 in
# November 2018).  Hunk positions are the v8 ones; v4 applied to an older tree.
V4_LINE_SHIFT = {"kernel/memremap.c": -34, "mm/hmm.c": -27,
                 "include/linux/memremap.h": -3, "include/linux/hmm.h": -12}

MEMREMAP_C = "kernel/memremap.c"
MEMREMAP_H = "include/linux/memremap.h"
HMM_C = "mm/hmm.c"
HMM_H = "include/linux/hmm.h"
IOMAP_C = "tools/testing/nvdimm/test/iomap.c"
DAX_PMEM_C = "drivers/dax/pmem.c"
NVDIMM_PMEM_C = "drivers/nvdimm/pmem.c"

FN_DEVM = "void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap)"
FN_RELEASE = "static void devm_memremap_pages_release(void *data)"
FN_HMM_ADD = "struct hmm_devmem *hmm_devmem_add(const struct hmm_devmem_ops *ops,"
FN_HMM_ADD_RES = ("struct hmm_devmem *hmm_devmem_add_resource(const struct "
                  "hmm_devmem_ops *ops,")


@dataclass(frozen=True)
class Change:
    subject: str
    changelog: str
    files: tuple[FileDiff, ...]


P1_EXPORT_GPL = Change(
    "mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL",
    """
devm_memremap_pages() is a facility that can create struct page entries
for any arbitrary range and give drivers the ability to subvert core
aspects of page management.

Specifically the facility is tightly integrated with the kernel's memory
hotplug functionality. It injects an altmap argument deep into the
architecture specific vmemmap implementation to allow allocating from
specific reserved pages, and it has Linux specific assumptions about page
structure reference counting relative to get_user_pages() and
get_user_pages_fast(). It was an oversight and a mistake that this was
not marked EXPORT_SYMBOL_GPL from the outset.

Again, devm_memremap_pagex() exposes and relies upon core kernel internal
assumptions and will continue to evolve along with 'struct page', memory
hotplug, and support for new memory types / topologies. Only an in-kernel
GPL-only driver is expected to keep up with this ongoing evolution. This
interface, and functionality derived from this interface, is not suitable
for kernel-external drivers.
""",
    (
        FileDiff(MEMREMAP_C, (hunk(262, FN_DEVM, r"""
  err_array:
 \treturn ERR_PTR(error);
 }
-EXPORT_SYMBOL(devm_memremap_pages);
+EXPORT_SYMBOL_GPL(devm_memremap_pages);

 unsigned long vmem_altmap_offset(struct vmem_altmap *altmap)
 {
"""),)),
        FileDiff(IOMAP_C, (hunk(113, FN_DEVM.replace("devm_", "__wrap_devm_", 1), r"""
 \t\treturn nfit_res->buf + offset - nfit_res->res.start;
 \treturn devm_memremap_pages(dev, pgmap);
 }
-EXPORT_SYMBOL(__wrap_devm_memremap_pages);
+EXPORT_SYMBOL_GPL(__wrap_devm_memremap_pages);

 pfn_t __wrap_phys_to_pfn_t(phys_addr_t addr, unsigned long flags)
 {
"""),)),
    ),
)

P2_KILL_RAM = Change(
    'mm, devm_memremap_pages: Kill mapping "System RAM" support',
    """
Given the fact that devm_memremap_pages() requires a percpu_ref that is
torn down by devm_memremap_pages_release() the current support for
mapping RAM is broken.

Support for remapping "System RAM" has been broken since the beginning
and there is no existing user of this this code path, so just kill the
support and make it an explicit error.

This cleanup also simplifies a follow-on patch to fix the error path
when setting a devm release action for devm_memremap_pages_release()
fails.
""",
    (FileDiff(MEMREMAP_C, (hunk(176, FN_DEVM, r"""
 \tis_ram = region_intersects(align_start, align_size,
 \t\tIORESOURCE_SYSTEM_RAM, IORES_DESC_NONE);

-\tif (is_ram == REGION_MIXED) {
-\t\tWARN_ONCE(1, "%s attempted on mixed region %pr\n",
-\t\t\t\t__func__, res);
+\tif (is_ram != REGION_DISJOINT) {
+\t\tWARN_ONCE(1, "%s attempted on %s region %pr\n", __func__,
+\t\t\t\tis_ram == REGION_MIXED ? "mixed" : "ram", res);
 \t\treturn ERR_PTR(-ENXIO);
 \t}

-\tif (is_ram == REGION_INTERSECTS)
-\t\treturn __va(res->start);
-
 \tif (!pgmap->ref)
 \t\treturn ERR_PTR(-EINVAL);

"""),)),),
)

P3_SHUTDOWN = Change(
    "mm, devm_memremap_pages: Fix shutdown handling",
    """
The last step before devm_memremap_pages() returns success is to
allocate a release action, devm_memremap_pages_release(), to tear the
entire setup down. However, the result from devm_add_action() is not
checked.

Checking the error from devm_add_action() is not enough. The api
currently relies on the fact that the percpu_ref it is using is killed
by the time the devm_memremap_pages_release() is run. Rather than
continue this awkward situation, offload the responsibility of killing
the percpu_ref to devm_memremap_pages_release() directly. This allows
devm_memremap_pages() to do the right thing relative to init failures
and shutdown.

Without this change we could fail to register the teardown of
devm_memremap_pages(). The likelihood of hitting this failure is tiny as
small memory allocations almost always succeed. However, the impact of
the failure is large given any future reconfiguration, or
disable/enable, of an nvdimm namespace will fail forever as subsequent
calls to devm_memremap_pages() will fail to setup the pgmap_radix since
there will be stale entries for the physical address range.

An argument could be made to require that the ->kill() operation be set
in the @pgmap arg rather than passed in separately. However, it helps
code readability, tracking the lifetime of a given instance, to be able
to grep the kill routine directly at the devm_memremap_pages() call
site.
""",
    (
        FileDiff(DAX_PMEM_C, (
            hunk(48, "static void dax_pmem_percpu_exit(void *data)", r"""
 \tpercpu_ref_exit(ref);
 }

-static void dax_pmem_percpu_kill(void *data)
+static void dax_pmem_percpu_kill(struct percpu_ref *ref)
 {
-\tstruct percpu_ref *ref = data;
 \tstruct dax_pmem *dax_pmem = to_dax_pmem(ref);

 \tdev_dbg(dax_pmem->dev, "trace\n");
"""),
            hunk(112, "static int dax_pmem_probe(struct device *dev)", r"""
 \t}

 \tdax_pmem->pgmap.ref = &dax_pmem->ref;
+\tdax_pmem->pgmap.kill = dax_pmem_percpu_kill;
 \taddr = devm_memremap_pages(dev, &dax_pmem->pgmap);
-\tif (IS_ERR(addr)) {
-\t\tdevm_remove_action(dev, dax_pmem_percpu_exit, &dax_pmem->ref);
-\t\tpercpu_ref_exit(&dax_pmem->ref);
+\tif (IS_ERR(addr))
 \t\treturn PTR_ERR(addr);
-\t}
-
-\trc = devm_add_action_or_reset(dev, dax_pmem_percpu_kill,
-\t\t\t\t\t\t\t&dax_pmem->ref);
-\tif (rc)
-\t\treturn rc;

 \t/* adjust the dax_region resource to the start of data */
 \tmemcpy(&res, &dax_pmem->pgmap.res, sizeof(res));
"""),
        )),
        FileDiff(NVDIMM_PMEM_C, (
            hunk(309, "static void pmem_release_queue(void *q)", r"""
 \tblk_cleanup_queue(q);
 }

-static void pmem_freeze_queue(void *q)
+static void pmem_freeze_queue(struct percpu_ref *ref)
 {
+\tstruct request_queue *q;
+
+\tq = container_of(ref, typeof(*q), q_usage_counter);
 \tblk_freeze_queue_start(q);
 }

"""),
            hunk(402, "static int pmem_attach_disk(struct device *dev,", r"""

 \tpmem->pfn_flags = PFN_DEV;
 \tpmem->pgmap.ref = &q->q_usage_counter;
+\tpmem->pgmap.kill = pmem_freeze_queue;
 \tif (is_nd_pfn(dev)) {
 \t\tif (setup_pagemap_fsdax(dev, &pmem->pgmap))
 \t\t\treturn -ENOMEM;
"""),
            hunk(427, "static int pmem_attach_disk(struct device *dev,", r"""
 \t\tmemcpy(&bb_res, &nsio->res, sizeof(bb_res));
 \t}

-\t/*
-\t * At release time the queue must be frozen before
-\t * devm_memremap_pages is unwound
-\t */
-\tif (devm_add_action_or_reset(dev, pmem_freeze_queue, q))
-\t\treturn -ENOMEM;
-
 \tif (IS_ERR(addr))
 \t\treturn PTR_ERR(addr);
 \tpmem->virt_addr = addr;
"""),
        )),
        FileDiff(MEMREMAP_H, (
            hunk(106, "typedef void (*dev_page_free_t)(struct page *page, void *data);", r"""
  * @altmap: pre-allocated/reserved memory for vmemmap allocations
  * @res: physical address range covered by @ref
  * @ref: reference count that pins the devm_memremap_pages() mapping
+ * @kill: callback to transition @ref to the dead state
  * @dev: host device of the mapping for debug
  * @data: private data pointer for page_free()
  * @type: memory type: see MEMORY_* in memory_hotplug.h
"""),
            hunk(117, "struct dev_pagemap {", r"""
 \tbool altmap_valid;
 \tstruct resource res;
 \tstruct percpu_ref *ref;
+\tvoid (*kill)(struct percpu_ref *ref);
 \tstruct device *dev;
 \tvoid *data;
 \tenum memory_type type;
"""),
        )),
        FileDiff(MEMREMAP_C, (
            hunk(86, FN_RELEASE, r"""
 {
 \tstruct dev_pagemap *pgmap = data;
-\tstruct device *dev = pgmap->dev;
 \tstruct resource *res = &pgmap->res;
 \tresource_size_t align_start, align_size;
 \tunsigned long pfn;
 \tint nid;

+\tpgmap->kill(pgmap->ref);
 \tfor_each_device_pfn(pfn, pgmap)
 \t\tput_page(pfn_to_page(pfn));

-\tif (percpu_ref_tryget_live(pgmap->ref)) {
-\t\tdev_WARN(dev, "%s: page mapping is still live!\n", __func__);
-\t\tpercpu_ref_put(pgmap->ref);
-\t}
-
 \t/* pages are dead and unused, undo the arch mapping */
 \talign_start = res->start & ~(SECTION_SIZE - 1);
 \talign_size = ALIGN(res->start + resource_size(res), SECTION_SIZE)
"""),
            hunk(181, FN_DEVM, r"""
 \t\treturn ERR_PTR(-ENXIO);
 \t}

-\tif (!pgmap->ref)
+\tif (!pgmap->ref || !pgmap->kill)
 \t\treturn ERR_PTR(-EINVAL);

 \tpgmap->dev = dev;
"""),
            hunk(243, FN_DEVM, r"""
 \t\t\t\talign_size >> PAGE_SHIFT, pgmap);
 \tpercpu_ref_get_many(pgmap->ref, pfn_end(pgmap) - pfn_first(pgmap));

-\tdevm_add_action(dev, devm_memremap_pages_release, pgmap);
+\terror = devm_add_action_or_reset(dev, devm_memremap_pages_release,
+\t\t\tpgmap);
+\tif (error)
+\t\treturn ERR_PTR(error);

 \treturn __va(res->start);

"""),
            hunk(259, FN_DEVM, r"""
 \tpgmap_array_delete(res);
  err_array:
+\tpgmap->kill(pgmap->ref);
 \treturn ERR_PTR(error);
 }
 EXPORT_SYMBOL_GPL(devm_memremap_pages);
"""),
        )),
        FileDiff(IOMAP_C, (
            hunk(104, "void *__wrap_devm_memremap(struct device *dev, resource_size_t offset,", r"""
 }
 EXPORT_SYMBOL(__wrap_devm_memremap);

+static void nfit_test_kill(void *_pgmap)
+{
+\tstruct dev_pagemap *pgmap = _pgmap;
+
+\tpgmap->kill(pgmap->ref);
+}
+
 void *__wrap_devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap)
 {
 \tresource_size_t offset = pgmap->res.start;
 \tstruct nfit_test_resource *nfit_res = get_nfit_res(offset);

-\tif (nfit_res)
+\tif (nfit_res) {
+\t\tint rc;
+
+\t\trc = devm_add_action_or_reset(dev, nfit_test_kill, pgmap);
+\t\tif (rc)
+\t\t\treturn ERR_PTR(rc);
 \t\treturn nfit_res->buf + offset - nfit_res->res.start;
+\t}
 \treturn devm_memremap_pages(dev, pgmap);
 }
 EXPORT_SYMBOL_GPL(__wrap_devm_memremap_pages);
"""),
        )),
    ),
)

P4_DEVICE_PRIVATE = Change(
    "mm, devm_memremap_pages: Add MEMORY_DEVICE_PRIVATE support",
    """
In preparation for consolidating all ZONE_DEVICE enabling via
devm_memremap_pages(), teach it how to handle the constraints of
MEMORY_DEVICE_PRIVATE ranges.

MEMORY_DEVICE_PRIVATE memory is not accessible by the CPU, so there is
no linear mapping to create and nothing for KASAN to shadow: only the
struct page array is needed. Use add_pages() for those ranges, the same
way hmm_devmem_pages_create() does today, and __remove_pages() on
teardown.
""",
    (FileDiff(MEMREMAP_C, (
        hunk(108, FN_RELEASE, r"""
 \t\t- align_start;

 \tmem_hotplug_begin();
-\tarch_remove_memory(align_start, align_size, pgmap->altmap_valid ?
-\t\t\t&pgmap->altmap : NULL);
-\tkasan_remove_zero_shadow(__va(align_start), align_size);
+\tif (pgmap->type == MEMORY_DEVICE_PRIVATE) {
+\t\tpfn = align_start >> PAGE_SHIFT;
+\t\t__remove_pages(page_zone(pfn_to_page(pfn)), pfn,
+\t\t\t\talign_size >> PAGE_SHIFT, NULL);
+\t} else {
+\t\tarch_remove_memory(align_start, align_size,
+\t\t\t\tpgmap->altmap_valid ? &pgmap->altmap : NULL);
+\t\tkasan_remove_zero_shadow(__va(align_start), align_size);
+\t}
 \tmem_hotplug_done();

 \tuntrack_pfn(NULL, PHYS_PFN(align_start), align_size);
"""),
        hunk(215, FN_DEVM, r"""
 \t\tgoto err_pfn_remap;

 \tmem_hotplug_begin();
-\terror = kasan_add_zero_shadow(__va(align_start), align_size);
-\tif (error) {
-\t\tmem_hotplug_done();
-\t\tgoto err_kasan;
+
+\t/*
+\t * For device private memory we call add_pages() as we only need to
+\t * allocate and initialize struct page for the device memory. More-
+\t * over the device memory is un-accessible thus we do not want to
+\t * create a linear mapping for the memory like arch_add_memory()
+\t * would do.
+\t *
+\t * For all other device memory types, which are accessible by
+\t * the CPU, we do want the linear mapping and thus use
+\t * arch_add_memory().
+\t */
+\tif (pgmap->type == MEMORY_DEVICE_PRIVATE) {
+\t\terror = add_pages(nid, align_start >> PAGE_SHIFT,
+\t\t\t\talign_size >> PAGE_SHIFT, NULL, false);
+\t} else {
+\t\terror = kasan_add_zero_shadow(__va(align_start), align_size);
+\t\tif (error) {
+\t\t\tmem_hotplug_done();
+\t\t\tgoto err_kasan;
+\t\t}
+
+\t\terror = arch_add_memory(nid, align_start, align_size, altmap,
+\t\t\t\tfalse);
+\t}
+
+\tif (!error) {
+\t\tstruct zone *zone;
+
+\t\tzone = &NODE_DATA(nid)->node_zones[ZONE_DEVICE];
+\t\tmove_pfn_range_to_zone(zone, align_start >> PAGE_SHIFT,
+\t\t\t\talign_size >> PAGE_SHIFT, altmap);
 \t}

-\terror = arch_add_memory(nid, align_start, align_size, altmap, false);
-\tif (!error)
-\t\tmove_pfn_range_to_zone(&NODE_DATA(nid)->node_zones[ZONE_DEVICE],
-\t\t\t\t\talign_start >> PAGE_SHIFT,
-\t\t\t\t\talign_size >> PAGE_SHIFT, altmap);
 \tmem_hotplug_done();
 \tif (error)
 \t\tgoto err_add_memory;
"""),
    )),),
)

P5_HMM_DEVM = Change(
    "mm, hmm: Use devm semantics for hmm_devmem_{add, remove}",
    """
devm semantics arrange for resources to be torn down when
device-driver-probe fails or when device-driver-release completes.
Similar to devm_memremap_pages() there is no need to support an explicit
remove operation when the users properly adhere to devm semantics.

Note that devm_kzalloc() automatically handles allocating node-local
memory.
""",
    (
        FileDiff(HMM_H, (hunk(512, FN_HMM_ADD, r"""
 struct hmm_devmem *hmm_devmem_add_resource(const struct hmm_devmem_ops *ops,
 \t\t\t\t\t   struct device *device,
 \t\t\t\t\t   struct resource *res);
-void hmm_devmem_remove(struct hmm_devmem *devmem);

 /*
  * hmm_devmem_page_set_drvdata - set per-page driver data field
"""),)),
        FileDiff(HMM_C, (
            hunk(987, "static void hmm_devmem_ref_release(struct percpu_ref *ref)", r"""
 \tcomplete(&devmem->completion);
 }

-static void hmm_devmem_ref_exit(void *data)
+static void hmm_devmem_ref_exit(struct percpu_ref *ref)
 {
-\tstruct percpu_ref *ref = data;
 \tstruct hmm_devmem *devmem;

 \tdevmem = container_of(ref, struct hmm_devmem, ref);
+\twait_for_completion(&devmem->completion);
 \tpercpu_ref_exit(ref);
-\tdevm_remove_action(devmem->device, &hmm_devmem_ref_exit, data);
 }

-static void hmm_devmem_ref_kill(void *data)
+static void hmm_devmem_ref_kill(struct percpu_ref *ref)
 {
-\tstruct percpu_ref *ref = data;
-\tstruct hmm_devmem *devmem;
-
-\tdevmem = container_of(ref, struct hmm_devmem, ref);
 \tpercpu_ref_kill(ref);
-\twait_for_completion(&devmem->completion);
-\tdevm_remove_action(devmem->device, &hmm_devmem_ref_kill, data);
 }

 static int hmm_devmem_fault(struct vm_area_struct *vma,
"""),
            hunk(1198, FN_HMM_ADD, r"""

 \tdev_pagemap_get_ops();

-\tdevmem = devres_alloc_node(&hmm_devmem_release, sizeof(*devmem),
-\t\t\t\t   GFP_KERNEL, dev_to_node(device));
+\tdevmem = devm_kzalloc(device, sizeof(*devmem), GFP_KERNEL);
 \tif (!devmem)
 \t\treturn ERR_PTR(-ENOMEM);

"""),
            hunk(1209, FN_HMM_ADD, r"""
 \tret = percpu_ref_init(&devmem->ref, &hmm_devmem_ref_release,
 \t\t\t      0, GFP_KERNEL);
 \tif (ret)
-\t\tgoto error_percpu_ref;
+\t\treturn ERR_PTR(ret);

-\tret = devm_add_action(device, hmm_devmem_ref_exit, &devmem->ref);
+\tret = devm_add_action_or_reset(device, hmm_devmem_ref_exit, &devmem->ref);
 \tif (ret)
-\t\tgoto error_devm_add_action;
+\t\treturn ERR_PTR(ret);

 \tsize = ALIGN(size, PA_SECTION_SIZE);
 \taddr = min((unsigned long)iomem_resource.end,
"""),
            hunk(1324, FN_HMM_ADD_RES, r"""
 \treturn devmem;
 }
 EXPORT_SYMBOL(hmm_devmem_add_resource);

-/*
- * hmm_devmem_remove() - remove device memory (kill and free ZONE_DEVICE)
- *
- * @devmem: hmm_devmem struct use to track and manage the ZONE_DEVICE memory
- *
- * This will hot-unplug memory that was hotplugged by hmm_devmem_add on behalf
- * of the device driver. It will free struct page and remove the resource that
- * reserved the physical address range for this device memory.
- */
-void hmm_devmem_remove(struct hmm_devmem *devmem)
-{
-\tresource_size_t start, size;
-\tstruct device *device;
-\tbool cdm = false;
-
-\tif (!devmem)
-\t\treturn;
-
-\tdevice = devmem->device;
-\tstart = devmem->resource->start;
-\tsize = resource_size(devmem->resource);
-
-\tcdm = devmem->resource->desc == IORES_DESC_DEVICE_PUBLIC_MEMORY;
-\thmm_devmem_ref_kill(&devmem->ref);
-\thmm_devmem_ref_exit(&devmem->ref);
-\thmm_devmem_pages_remove(devmem);
-
-\tif (!cdm)
-\t\tdevm_release_mem_region(device, start, size);
-}
-EXPORT_SYMBOL(hmm_devmem_remove);
-
 /*
  * A device driver that wants to handle multiple devices memory through a
  * single fake device can use hmm_device to do so. This is purely a helper
"""),
        )),
    ),
)

P6_HMM_REPLACE = Change(
    "mm, hmm: Replace hmm_devmem_pages_create() with devm_memremap_pages()",
    """
Commit e8d513483300 "memremap: change devm_memremap_pages interface to
use struct dev_pagemap" refactored devm_memremap_pages() to allow a
dev_pagemap instance to be supplied. Passing in a dev_pagemap interface
simplifies the design of pgmap type drivers in that they can rely on
container_of() to lookup any private data associated with the given
dev_pagemap instance.

In addition to the cleanups this also gives hmm users multi-order-radix
improvements that arrived with commit ab1b597ee0e4 "mm,
devm_memremap_pages: use multi-order radix for ZONE_DEVICE lookups"

As part of the conversion to the devm_memremap_pages() method of
handling the percpu_ref relative to when pages are put, the percpu_ref
completion needs to move to hmm_devmem_ref_exit(). See commit
71389703839e ("mm, zone_device: Replace {get, put}_zone_device_page...")
for details.
""",
    (FileDiff(HMM_C, (
        hunk(1021, "static void hmm_devmem_free(struct page *page, void *data)", r"""
 \tdevmem->ops->free(devmem, page);
 }

-static DEFINE_MUTEX(hmm_devmem_lock);
-static RADIX_TREE(hmm_devmem_radix, GFP_KERNEL);
-
-static void hmm_devmem_radix_release(struct resource *resource)
-{
-\tresource_size_t key;
-
-\tmutex_lock(&hmm_devmem_lock);
-\tfor (key = resource->start;
-\t     key <= resource->end;
-\t     key += PA_SECTION_SIZE)
-\t\tradix_tree_delete(&hmm_devmem_radix, key >> PA_SECTION_SHIFT);
-\tmutex_unlock(&hmm_devmem_lock);
-}
-
-static void hmm_devmem_release(void *data)
-{
-\tstruct hmm_devmem *devmem = data;
-\tstruct resource *resource = devmem->resource;
-\tunsigned long start_pfn, npages;
-\tstruct zone *zone;
-\tstruct page *page;
-
-\t/* pages are dead and unused, undo the arch mapping */
-\tstart_pfn = (resource->start & ~(PA_SECTION_SIZE - 1)) >> PAGE_SHIFT;
-\tnpages = ALIGN(resource_size(resource), PA_SECTION_SIZE) >> PAGE_SHIFT;
-
-\tpage = pfn_to_page(start_pfn);
-\tzone = page_zone(page);
-
-\tmem_hotplug_begin();
-\tif (resource->desc == IORES_DESC_DEVICE_PRIVATE_MEMORY)
-\t\t__remove_pages(zone, start_pfn, npages, NULL);
-\telse
-\t\tarch_remove_memory(start_pfn << PAGE_SHIFT,
-\t\t\t\t   npages << PAGE_SHIFT, NULL);
-\tmem_hotplug_done();
-
-\thmm_devmem_radix_release(resource);
-}
-
-static int hmm_devmem_pages_create(struct hmm_devmem *devmem)
-{
-\tresource_size_t key, align_start, align_size, align_end;
-\tstruct device *device = devmem->device;
-\tint ret, nid, is_ram;
-
-\talign_start = devmem->resource->start & ~(PA_SECTION_SIZE - 1);
-\talign_size = ALIGN(devmem->resource->start +
-\t\t\t   resource_size(devmem->resource),
-\t\t\t   PA_SECTION_SIZE) - align_start;
-
-\tis_ram = region_intersects(align_start, align_size,
-\t\t\t\t   IORESOURCE_SYSTEM_RAM,
-\t\t\t\t   IORES_DESC_NONE);
-\tif (is_ram == REGION_MIXED) {
-\t\tWARN_ONCE(1, "%s attempted on mixed region %pr\n",
-\t\t\t\t__func__, devmem->resource);
-\t\treturn -ENXIO;
-\t}
-\tif (is_ram == REGION_INTERSECTS)
-\t\treturn -ENXIO;
-
-\tif (devmem->resource->desc == IORES_DESC_DEVICE_PUBLIC_MEMORY)
-\t\tdevmem->pagemap.type = MEMORY_DEVICE_PUBLIC;
-\telse
-\t\tdevmem->pagemap.type = MEMORY_DEVICE_PRIVATE;
-
-\tdevmem->pagemap.res = *devmem->resource;
-\tdevmem->pagemap.page_fault = hmm_devmem_fault;
-\tdevmem->pagemap.page_free = hmm_devmem_free;
-\tdevmem->pagemap.dev = devmem->device;
-\tdevmem->pagemap.ref = &devmem->ref;
-\tdevmem->pagemap.data = devmem;
-
-\tmutex_lock(&hmm_devmem_lock);
-\talign_end = align_start + align_size - 1;
-\tfor (key = align_start; key <= align_end; key += PA_SECTION_SIZE) {
-\t\tstruct hmm_devmem *dup;
-
-\t\tdup = radix_tree_lookup(&hmm_devmem_radix,
-\t\t\t\t\tkey >> PA_SECTION_SHIFT);
-\t\tif (dup) {
-\t\t\tdev_err(device, "%s: collides with mapping for %s\n",
-\t\t\t\t__func__, dev_name(dup->device));
-\t\t\tmutex_unlock(&hmm_devmem_lock);
-\t\t\tret = -EBUSY;
-\t\t\tgoto error;
-\t\t}
-\t\tret = radix_tree_insert(&hmm_devmem_radix,
-\t\t\t\t\tkey >> PA_SECTION_SHIFT,
-\t\t\t\t\tdevmem);
-\t\tif (ret) {
-\t\t\tdev_err(device, "%s: failed: %d\n", __func__, ret);
-\t\t\tmutex_unlock(&hmm_devmem_lock);
-\t\t\tgoto error_radix;
-\t\t}
-\t}
-\tmutex_unlock(&hmm_devmem_lock);
-
-\tnid = dev_to_node(device);
-\tif (nid < 0)
-\t\tnid = numa_mem_id();
-
-\tmem_hotplug_begin();
-\t/*
-\t * For device private memory we call add_pages() as we only need to
-\t * allocate and initialize struct page for the device memory. More-
-\t * over the device memory is un-accessible thus we do not want to
-\t * create a linear mapping for the memory like arch_add_memory()
-\t * would do.
-\t *
-\t * For device public memory, which is accesible by the CPU, we do
-\t * want the linear mapping and thus use arch_add_memory().
-\t */
-\tif (devmem->pagemap.type == MEMORY_DEVICE_PUBLIC)
-\t\tret = arch_add_memory(nid, align_start, align_size, NULL,
-\t\t\t\tfalse);
-\telse
-\t\tret = add_pages(nid, align_start >> PAGE_SHIFT,
-\t\t\t\talign_size >> PAGE_SHIFT, NULL, false);
-\tif (ret) {
-\t\tmem_hotplug_done();
-\t\tgoto error_add_memory;
-\t}
-\tmove_pfn_range_to_zone(&NODE_DATA(nid)->node_zones[ZONE_DEVICE],
-\t\t\t\talign_start >> PAGE_SHIFT,
-\t\t\t\talign_size >> PAGE_SHIFT, NULL);
-\tmem_hotplug_done();
-
-\treturn 0;
-
-error_add_memory:
-\tuntrack_pfn(NULL, PHYS_PFN(align_start), align_size);
-error_radix:
-\thmm_devmem_radix_release(devmem->resource);
-error:
-\treturn ret;
-}
-
 /*
  * hmm_devmem_add() - hotplug ZONE_DEVICE memory for device memory
  *
"""),
        hunk(1186, FN_HMM_ADD, r"""
 \t\t\t\t  unsigned long size)
 {
 \tstruct hmm_devmem *devmem;
+\tvoid *result;
 \tresource_size_t addr;
 \tint ret;

"""),
        hunk(1240, FN_HMM_ADD, r"""
 \tdevmem->pfn_last = devmem->pfn_first +
 \t\t\t   (resource_size(devmem->resource) >> PAGE_SHIFT);

-\tret = hmm_devmem_pages_create(devmem);
-\tif (ret)
-\t\treturn ERR_PTR(ret);
-
-\tret = devm_add_action_or_reset(device, hmm_devmem_release, devmem);
-\tif (ret)
-\t\treturn ERR_PTR(ret);
+\tdevmem->pagemap.type = MEMORY_DEVICE_PRIVATE;
+\tdevmem->pagemap.res = *devmem->resource;
+\tdevmem->pagemap.page_fault = hmm_devmem_fault;
+\tdevmem->pagemap.page_free = hmm_devmem_free;
+\tdevmem->pagemap.altmap_valid = false;
+\tdevmem->pagemap.ref = &devmem->ref;
+\tdevmem->pagemap.data = devmem;
+\tdevmem->pagemap.kill = hmm_devmem_ref_kill;

+\tresult = devm_memremap_pages(devmem->device, &devmem->pagemap);
+\tif (IS_ERR(result))
+\t\treturn result;
 \treturn devmem;
 }
 EXPORT_SYMBOL(hmm_devmem_add);
"""),
        hunk(1260, FN_HMM_ADD_RES, r"""
 \t\t\t\t\t   struct resource *res)
 {
 \tstruct hmm_devmem *devmem;
+\tvoid *result;
 \tint ret;

 \tif (res->desc != IORES_DESC_DEVICE_PUBLIC_MEMORY)
"""),
        hunk(1292, FN_HMM_ADD_RES, r"""
 \tdevmem->pfn_last = devmem->pfn_first +
 \t\t\t   (resource_size(devmem->resource) >> PAGE_SHIFT);

-\tret = hmm_devmem_pages_create(devmem);
-\tif (ret)
-\t\treturn ERR_PTR(ret);
-
-\tret = devm_add_action_or_reset(device, hmm_devmem_release, devmem);
-\tif (ret)
-\t\treturn ERR_PTR(ret);
+\tdevmem->pagemap.type = MEMORY_DEVICE_PUBLIC;
+\tdevmem->pagemap.res = *devmem->resource;
+\tdevmem->pagemap.page_fault = hmm_devmem_fault;
+\tdevmem->pagemap.page_free = hmm_devmem_free;
+\tdevmem->pagemap.altmap_valid = false;
+\tdevmem->pagemap.ref = &devmem->ref;
+\tdevmem->pagemap.data = devmem;
+\tdevmem->pagemap.kill = hmm_devmem_ref_kill;

+\tresult = devm_memremap_pages(devmem->device, &devmem->pagemap);
+\tif (IS_ERR(result))
+\t\treturn result;
 \treturn devmem;
 }
 EXPORT_SYMBOL(hmm_devmem_add_resource);
"""),
    )),),
)

HMM_GPL_HUNKS = (
    hunk(1045, "struct hmm_devmem *hmm_devmem_add(const", r"""

 \treturn devmem;
 }
-EXPORT_SYMBOL(hmm_devmem_add);
+EXPORT_SYMBOL_GPL(hmm_devmem_add);

 struct hmm_devmem *hmm_devmem_add_resource(const struct hmm_devmem_ops *ops,
 \t\t\t\t\t   struct device *device,
"""),
    hunk(1099, "struct hmm_devmem *hmm_devmem_add_resour", r"""

 \treturn devmem;
 }
-EXPORT_SYMBOL(hmm_devmem_add_resource);
+EXPORT_SYMBOL_GPL(hmm_devmem_add_resource);

 /*
  * A device driver that wants to handle multiple devices memory through a
"""),
)

HMM_GPL_CHANGELOG = """
At Maintainer Summit, Greg brought up a topic I proposed around
EXPORT_SYMBOL_GPL usage. The motivation was considerations for when
EXPORT_SYMBOL_GPL is warranted and the criteria for taking the
exceptional step of reclassifying an existing export. Specifically, I
wanted to make the case that although the line is fuzzy and hard to
specify in abstract terms, it is nonetheless clear that
devm_memremap_pages() and HMM (Heterogeneous Memory Management) have
crossed it. The devm_memremap_pages() facility should have been
EXPORT_SYMBOL_GPL from the beginning, and HMM as a derivative of that
functionality should have naturally picked up that designation as well.

Contrary to typical rules, the HMM infrastructure was merged upstream
with zero in-tree consumers. There was a promise at the time that those
users would be merged "soon", but it has been over a year with no drivers
arriving. While the Nouveau driver is about to belatedly make good on
that promise it is clear that HMM was targeted first and foremost at an
out-of-tree consumer.

HMM is derived from devm_memremap_pages(), a facility Christoph and I
spearheaded to support persistent memory. It combines a device lifetime
model with a dynamically created 'struct page' / memmap array for any
physical address range. It enables coordination and control of the many
code paths in the kernel built to interact with memory via 'struct page'
objects. With HMM the integration goes even deeper by allowing device
drivers to hook and manipulate page fault and page free events.

One interpretation of when EXPORT_SYMBOL is suitable is when it is
exporting stable and generic leaf functionality. The
devm_memremap_pages() facility continues to see expanding use cases,
peer-to-peer DMA being the most recent, with no clear end date when it
will stop attracting reworks and semantic changes. It is not suitable to
export devm_memremap_pages() as a stable 3rd party driver API due to the
fact that it is still changing and manipulates core behavior. Moreover,
it is not in the best interest of the long term development of the core
memory management subsystem to permit any external driver to effectively
define its own system-wide memory management policies with no
encouragement to engage with upstream.

I am also concerned that HMM was designed in a way to minimize further
engagement with the core-MM. That, with these hooks in place,
device-drivers are free to implement their own policies without much
consideration for whether and how the core-MM could grow to meet that
need. Going forward not only should HMM be EXPORT_SYMBOL_GPL, but the
core-MM should be allowed the opportunity and stimulus to change and
address these new use cases as first class functionality.

Original changelog:

hmm_devmem_add(), and hmm_devmem_add_resource() duplicated
devm_memremap_pages() and are now simple now wrappers around the core
facility to inject a dev_pagemap instance into the global pgmap_radix
and hook page-idle events. The devm_memremap_pages() interface is base
infrastructure for HMM. HMM has more and deeper ties into the kernel
memory management implementation than base ZONE_DEVICE which is itself
a EXPORT_SYMBOL_GPL facility.

Originally, the HMM page structure creation routines copied the
devm_memremap_pages() code and reused ZONE_DEVICE. A cleanup to unify
the implementations was discussed during the initial review:
http://lkml.iu.edu/hypermail/linux/kernel/1701.2/00812.html Recent work
to extend devm_memremap_pages() for the peer-to-peer-DMA facility
enabled this cleanup to move forward.

In addition to the integration with devm_memremap_pages() HMM depends on
other GPL-only symbols:

    mmu_notifier_unregister_no_release
    percpu_ref
    region_intersects
    __class_create

It goes further to consume / indirectly expose functionality that is not
exported to any other driver:

    alloc_pages_vma
    walk_page_range

HMM is derived from devm_memremap_pages(), and extends deep core-kernel
fundamentals. Similar to devm_memremap_pages(), mark its entry points
EXPORT_SYMBOL_GPL().
"""

P7_HMM_GPL = Change(
    "mm, hmm: Mark hmm_devmem_{add, add_resource} EXPORT_SYMBOL_GPL",
    HMM_GPL_CHANGELOG,
    (FileDiff(HMM_C, HMM_GPL_HUNKS),),
)

PUT_PAGE_HUNKS = (
    hunk(321, "EXPORT_SYMBOL_GPL(get_dev_pagemap);", r"""

 #ifdef CONFIG_DEV_PAGEMAP_OPS
 DEFINE_STATIC_KEY_FALSE(devmap_managed_key);
-EXPORT_SYMBOL_GPL(devmap_managed_key);
+EXPORT_SYMBOL(devmap_managed_key);
 static atomic_t devmap_enable;

 /*
"""),
    hunk(362, "void __put_devmap_managed_page(struct page *page)", r"""
 \t} else if (!count)
 \t\t__put_page(page);
 }
-EXPORT_SYMBOL_GPL(__put_devmap_managed_page);
+EXPORT_SYMBOL(__put_devmap_managed_page);
 #endif /* CONFIG_DEV_PAGEMAP_OPS */
"""),
)

P8_PUT_PAGE = Change(
    "mm: Fix exports that inadvertently make put_page() EXPORT_SYMBOL_GPL",
    """
Now that all producers of dev_pagemap instances in the kernel are
properly converted to EXPORT_SYMBOL_GPL, fix up implicit consumers that
interact with dev_pagemap owned pages via put_page().

put_page() is an inline, so the devmap_managed_key static key and the
__put_devmap_managed_page() helper it references end up being needed by
every module that calls put_page(). Commit e76384884344 ("mm: introduce
MEMORY_DEVICE_FS_DAX and CONFIG_DEV_PAGEMAP_OPS") exported them
EXPORT_SYMBOL_GPL() which accidentally made put_page() a GPL-only
export. This breaks OpenAFS (at least).

The producers of device pages, devm_memremap_pages() and
hmm_devmem_add(), stay EXPORT_SYMBOL_GPL, so this does not allow a
non-GPL module to create a dev_pagemap, only to drop a reference to a
page it was handed.
""",
    (FileDiff(MEMREMAP_C, PUT_PAGE_HUNKS),),
)

SERIES = [P1_EXPORT_GPL, P2_KILL_RAM, P3_SHUTDOWN, P4_DEVICE_PRIVATE,
          P5_HMM_DEVM, P6_HMM_REPLACE, P7_HMM_GPL]


def files_for(change: Change, version: int) -> list[FileDiff]:
    if version == 4 and change is not P8_PUT_PAGE:
        return [f.shifted(V4_LINE_SHIFT.get(f.path, 0)) for f in change.files]
    return list(change.files)


def shortlog(author: str, subjects: list[str]) -> str:
    return f"{author} ({len(subjects)}):\n" + "\n".join(f"      {s}" for s in subjects)


# --------------------------------------------------------------------------
# Threads
# --------------------------------------------------------------------------

V8_DIFFSTAT = """\
 drivers/dax/pmem.c                |   14 --
 drivers/nvdimm/pmem.c             |   13 +-
 include/linux/hmm.h               |    4 ++--
 include/linux/memremap.h          |    2 ++
 kernel/memremap.c                 |   94 +++++++----
 mm/hmm.c                          |  305 +++++--------------------------------
 tools/testing/nvdimm/test/iomap.c |   17 ++
 7 files changed, 126 insertions(+), 323 deletions(-)"""

V8_COVER_JUSTIFICATION = """
At Maintainer Summit, Greg brought up a topic I proposed around
EXPORT_SYMBOL_GPL usage. The motivation was considerations for when
EXPORT_SYMBOL_GPL is warranted and the criteria for taking the
exceptional step of reclassifying an existing export. Specifically, I
wanted to make the case that although the line is fuzzy and hard to
specify in abstract terms, it is nonetheless clear that
devm_memremap_pages() and HMM (Heterogeneous Memory Management) have
crossed it. The devm_memremap_pages() facility should have been
EXPORT_SYMBOL_GPL from the beginning, and HMM as a derivative of that
functionality should have naturally picked up that designation as well.

Contrary to typical rules, the HMM infrastructure was merged upstream
with zero in-tree consumers. There was a promise at the time that those
users would be merged "soon", but it has been over a year with no drivers
arriving. While the Nouveau driver is about to belatedly make good on
that promise it is clear that HMM was targeted first and foremost at an
out-of-tree consumer.

HMM is derived from devm_memremap_pages(), a facility Christoph and I
spearheaded to support persistent memory. It combines a device lifetime
model with a dynamically created 'struct page' / memmap array for any
physical address range. It enables coordination and control of the many
code paths in the kernel built to interact with memory via 'struct page'
objects. With HMM the integration goes even deeper by allowing device
drivers to hook and manipulate page fault and page free events.

One interpretation of when EXPORT_SYMBOL is suitable is when it is
exporting stable and generic leaf functionality.  The
devm_memremap_pages() facility continues to see expanding use cases,
peer-to-peer DMA being the most recent, with no clear end date when it
will stop attracting reworks and semantic changes. It is not suitable to
export devm_memremap_pages() as a stable 3rd party driver API due to the
fact that it is still changing and manipulates core behavior. Moreover,
it is not in the best interest of the long term development of the core
memory management subsystem to permit any external driver to effectively
define its own system-wide memory management policies with no
encouragement to engage with upstream.

I am also concerned that HMM was designed in a way to minimize further
engagement with the core-MM. That, with these hooks in place,
device-drivers are free to implement their own policies without much
consideration for whether and how the core-MM could grow to meet that
need. Going forward not only should HMM be EXPORT_SYMBOL_GPL, but the
core-MM should be allowed the opportunity and stimulus to change and
address these new use cases as first class functionality.

There is some more detailed justification in the individual changelogs.
The 0day infrastructure has reported build success on 102 configs and
this survives the libnvdimm unit test suite. Setting aside the
controversial aspect, the diffstat is compelling at:

\t7 files changed, 126 insertions(+), 323 deletions(-)
"""


def cc_trailer(p: Person) -> str:
    name = f'"{p.name}"' if not p.name.isascii() else p.name
    return f"Cc: {name} <{p.email}>"


def sob(p: Person) -> str:
    return f"Signed-off-by: {p.plain()}"


def trailer_people(trailers: list[str]) -> list[Person]:
    """stgit Cc's everyone named in a Cc: trailer."""
    known = {p.email: p for p in (HCH, LOGAN, JEROME, MHOCKO, BALBIR, BENH)}
    out = []
    for t in trailers:
        if t.startswith("Cc: ") and "<" in t:
            email = t[t.index("<") + 1:t.index(">")]
            if email in known:
                out.append(known[email])
            elif email == "stable@vger.kernel.org":
                out.append(STABLE)
    return out


def v4_series(box: Mailbox) -> dict[str, Mail]:
    """July 2018: the v4 posting, Christoph's inline review of 5/8 and the
    EXPORT_SYMBOL_GPL argument that followed Mark Vitale's question."""
    pid, blobs = 2928, BlobIds("v4")
    changes = SERIES + [P8_PUT_PAGE]
    # Patch 8's id is the real one, quoted in its Link: tag upstream.
    stamps = [153128607770 + k * 525 for k in range(8)] + [153128611970]
    tails = [_digits(19) for _ in range(8)] + ["11310692420711601254"]
    ids = [stgit_id(s, pid, t) for s, t in zip(stamps, tails)]
    lists = [LINUX_MM, NVDIMM, LKML]
    subjects = [c.subject for c in changes]
    all_files = [f for c in changes for f in files_for(c, 4)]
    merged: dict[str, FileDiff] = {}
    for f in all_files:  # one diffstat line per path, as `git diff --stat` over the series
        prev = merged.get(f.path)
        merged[f.path] = FileDiff(f.path, (prev.hunks if prev else ()) + f.hunks)
    cover_body = (
        "Changes since v3 [1]:\n"
        "* Collect Logan's reviewed-by on patch 3\n"
        "* Collect John's and Joe's tested-by on patch 8\n"
        "* Update the changelog for patch 1 and 7 to better explain the\n"
        "  EXPORT_SYMBOL_GPL rationale.\n"
        "* Update the changelog for patch 2 to clarify that it is a cleanup to\n"
        "  make the following patch-3 fix easier\n\n"
        "[1]: https://lkml.org/lkml/2018/6/19/108\n\n---\n\n"
        "Hi Andrew,\n\n"
        "As requested, here is a resend of the devm_memremap_pages() fixups.\n"
        "Please consider for 4.18.\n\n---\n\n"
        + shortlog("Dan Williams", subjects) + "\n\n\n"
        + diffstat(sorted(merged.values(), key=lambda f: f.path), 4) + "\n"
    )
    cover = box.add(Mail(
        DAN, [AKPM], [LOGAN, HCH, JEROME_ASCII, MHOCKO, BALBIR, JHUBBARD] + lists,
        "[PATCH v4 0/8] mm: Rework hmm to use devm_memremap_pages and other fixes",
        from_epoch(stamps[0] / 100, PDT), ids[0], cover_body, headers=[UA_STGIT]))
    trailers = {
        1: [cc_trailer(MHOCKO), cc_trailer(JEROME), sob(DAN)],
        2: [cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN), sob(DAN)],
        3: ['Fixes: e8d513483300 ("memremap: change devm_memremap_pages interface '
            'to use struct dev_pagemap")', "Cc: <stable@vger.kernel.org>",
            cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN),
            f"Reviewed-by: {LOGAN.plain()}", sob(DAN)],
        4: [cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN), sob(DAN)],
        5: [cc_trailer(HCH), cc_trailer(LOGAN), cc_trailer(JEROME), sob(DAN)],
        6: [cc_trailer(HCH), cc_trailer(LOGAN), cc_trailer(JEROME), sob(DAN)],
        7: [cc_trailer(LOGAN), cc_trailer(JEROME), cc_trailer(BALBIR),
            cc_trailer(MHOCKO), cc_trailer(BENH), sob(DAN)],
        8: ['Fixes: e76384884344 ("mm: introduce MEMORY_DEVICE_FS_DAX and '
            'CONFIG_DEV_PAGEMAP_OPS")', f"Reported-by: {JGORSE.plain()}",
            f"Reported-by: {JHUBBARD.plain()}", f"Tested-by: {JGORSE.plain()}",
            f"Tested-by: {JHUBBARD.plain()}", cc_trailer(JEROME), sob(DAN)],
    }
    out = {"cover": cover}
    for n, change in enumerate(changes, start=1):
        tr = trailers[n]
        extra = [JGORSE, JHUBBARD, MVITALE] if n == 8 else []
        out[f"p{n}"] = box.add(Mail(
            DAN, [AKPM], trailer_people(tr) + extra + lists,
            f"[PATCH v4 {n}/8] {change.subject}", from_epoch(stamps[n] / 100, PDT),
            ids[n], patch_body(change.changelog, tr, files_for(change, 4), blobs,
                               count_width=4),
            in_reply_to=cover.msgid, references=[cover.msgid], headers=[UA_STGIT]))

    # Christoph's inline review of 5/8, Dan's answer, Christoph's tag.
    p5 = out["p5"]
    p5_text = body_of(p5)
    hch_review = box.reply(
        p5, HCH, when(2018, 7, 11, 9, 4, 51, CEST), mutt_id(when(2018, 7, 11, 9, 4, 51, CEST), "lst.de"),
        attr_mutt(p5) + "\n"
        + quote(excerpt(p5_text, "diff --git a/mm/hmm.c", "+++ b/mm/hmm.c"))
        + "\n> [...]\n"
        + quote(excerpt(p5_text, "@@ -1171,", "return ERR_PTR(-ENOMEM);"))
        + "\n\nThis loses the node-local allocation that devres_alloc_node() gave\n"
          "us.  Is that intentional?  For the hmm devices that is not going to\n"
          "matter much, but the changelog should at least say so.\n\n"
        + quote(excerpt(p5_text, " EXPORT_SYMBOL(hmm_devmem_add_resource);", "-{"))
        + "\n> [..]\n"
        + quote(excerpt(p5_text, "-EXPORT_SYMBOL(hmm_devmem_remove);",
                        "-EXPORT_SYMBOL(hmm_devmem_remove);"))
        + "\n\nGood riddance, this never had a user in the tree.\n",
        headers=[ua_mutt("Mutt/1.5.17 (2007-11-01)")])
    hch_text = body_of(hch_review)
    dan_answer = box.reply(
        hch_review, DAN, when(2018, 7, 11, 10, 27, 3, PDT), gmail_id("CAPcyv4"),
        attr_gmail(hch_review, PDT) + "\n>\n"
        + quote(excerpt(hch_text, "On Tue, Jul", "return ERR_PTR(-ENOMEM);"), "gmail")
        + "\n>\n"
        + quote(excerpt(hch_text, "This loses the node-local", "matter much, but"), "gmail")
        + "\n\nIt's not lost, devm_kzalloc() goes through alloc_dr() which already\n"
          "does kmalloc_node_track_caller(..., dev_to_node(dev)), so the\n"
          "allocation is still node-local. I'll add a note to the changelog.\n",
        flags="RS")
    box.reply(
        dan_answer, HCH, when(2018, 7, 11, 19, 40, 12, CEST),
        mutt_id(when(2018, 7, 11, 19, 40, 12, CEST), "lst.de"),
        attr_mutt(dan_answer) + "\n"
        + quote(excerpt(body_of(dan_answer), "It's not lost", "allocation is still"))
        + "\n\nOh, right.  With that added to the changelog:\n\n"
          f"Reviewed-by: {HCH.plain()}\n",
        headers=[ua_mutt("Mutt/1.5.17 (2007-11-01)")])

    # Seed 002: Mark Vitale's question (a CRLF message) and the argument.
    mark_body = """\
On Jul 11, 2018, Dan Williams wrote:
> Changes since v3 [1]:
> * Collect Logan's reviewed-by on patch 3
> * Collect John's and Joe's tested-by on patch 8
> * Update the changelog for patch 1 and 7 to better explain the
>   EXPORT_SYMBOL_GPL rationale.
> * Update the changelog for patch 2 to clarify that it is a cleanup to
>   make the following patch-3 fix easier
>
> [1]: https://lkml.org/lkml/2018/6/19/108
>
> ---
> 
> Hi Andrew,
> 
> As requested, here is a resend of the devm_memremap_pages() fixups.
> Please consider for 4.18.

What is the status of this patchset?  OpenAFS is unable to build on
Linux 4.18 without the last patch in this set:

8/8  mm: Fix exports that inadvertently make put_page() EXPORT_SYMBOL_GPL

Will this be merged soon to linux-next, and ultimately to a Linux 4.18 rc?

"""
    mark = box.reply(cover, MVITALE, when(2018, 7, 20, 14, 43, 14, UTC),
                     uuid_id("sinenomine.net", upper=True), mark_body,
                     headers=[("X-Mailer", "Apple Mail (2.3445.9.1)")], crlf=True)
    akpm_patch = quilt_diff([FileDiff(MEMREMAP_C, tuple(
        Hunk(h.old_start, h.func[:40], h.lines) for h in PUT_PAGE_HUNKS))])
    akpm_patch = akpm_patch.replace(
        "--- a/kernel/memremap.c\n+++ b/kernel/memremap.c\n",
        "diff -puN kernel/memremap.c~mm-fix-exports-that-inadvertently-make-put_page"
        "-export_symbol_gpl kernel/memremap.c\n"
        "--- a/kernel/memremap.c~mm-fix-exports-that-inadvertently-make-put_page"
        "-export_symbol_gpl\n+++ a/kernel/memremap.c\n")
    akpm_body = attr_sylpheed(mark) + "\n\n" + quote(mark_body.replace(
        "Linux 4.18 rc?\n\n", "Linux 4.18 rc?\n"), "mutt").replace("> \n> \n", "> \n")
    akpm_body = akpm_body.rstrip("\n") + "\n> \n\n" + f"""\
Problem is, that patch is eighth in a series which we're waiting for
Jerome to review and the changelog starts with "Now that all producers
of dev_pagemap instances in the kernel are properly converted to
EXPORT_SYMBOL_GPL...".

Is it in fact a standalone patch?  Not sure.  I'll see what the build
system has to say about that.

And it will need a new changelog.  Such as



From: Dan Williams <dan.j.williams@intel.com>
Subject: mm: fix exports that inadvertently make put_page() EXPORT_SYMBOL_GPL

e76384884344 ("mm: introduce MEMORY_DEVICE_FS_DAX and
CONFIG_DEV_PAGEMAP_OPS") added two EXPORT_SYMBOL_GPL() symbols, but these
symbols are required by the inlined put_page(), thus accidentally making
put_page() a GPL export only.  This breaks OpenAFS (at least).

Mark them EXPORT_SYMBOL() instead.

Link: http://lkml.kernel.org/r/{ids[8][1:-1]}
Fixes: e76384884344 ("mm: introduce MEMORY_DEVICE_FS_DAX and CONFIG_DEV_PAGEMAP_OPS")
Signed-off-by: Dan Williams <dan.j.williams@intel.com>
Reported-by: Joe Gorse <jhgorse@gmail.com>
Reported-by: John Hubbard <jhubbard@nvidia.com>
Tested-by: Joe Gorse <jhgorse@gmail.com>
Tested-by: John Hubbard <jhubbard@nvidia.com>
Cc: Jérôme Glisse <jglisse@redhat.com>
Cc: Mark Vitale <mvitale@sinenomine.net>
Signed-off-by: Andrew Morton <akpm@linux-foundation.org>
---

 kernel/memremap.c |    4 ++--
 1 file changed, 2 insertions(+), 2 deletions(-)

{akpm_patch}_
"""
    akpm = box.reply(mark, AKPM, when(2018, 7, 20, 12, 51, 46, PDT),
                     "<20180720125146.02db0f40b4edc716c6f080d2@linux-foundation.org>",
                     akpm_body, headers=[UA_SYLPHEED])
    akpm_quoted = quote(excerpt(akpm_body, "On Fri, 20 Jul", "EXPORT_SYMBOL_GPL...\"."))
    jerome1_body = attr_mutt(akpm) + "\n" + akpm_quoted + """

I am fine with the patchset modulo GPL, i did review it in the past
but i did not formaly reply as i was opose to the GPL changes. So my
only objection is with the GPL export, everything else looks fine.

I can review once more as it has been more than a month since i last
look at this patchset. I am working with Ben on nouveau right now so
if it breaks anything for me i will fix it once we do our final
rebase before posting.

Cheers,
Jérôme
"""
    d = when(2018, 7, 20, 15, 57, 47, EDT)
    jerome1 = box.reply(akpm, JEROME_ASCII, d, mutt_id(d, "redhat.com"), jerome1_body,
                        headers=[ua_mutt("Mutt/1.10.0 (2018-05-17)")])
    willy_body = attr_mutt(jerome1) + "\n" + quote(
        "\n".join(jerome1_body.split("\n")[:1])
        + "\n" + excerpt(jerome1_body, "> Problem is, that patch", "EXPORT_SYMBOL_GPL...\".")
        + "\n\n" + excerpt(jerome1_body, "I am fine with the patchset", "only objection")
    ) + """

Everyone from the mm side who's looked at these patches agrees that it
reaches far too far into the guts of the mm to be anything other than
exposing internals.  It's not credible to claim that a module written that
uses these interfaces is anything other than a derived work of the kernel.

I feel these patches should be merged over Jerome's objections.
"""
    d = when(2018, 7, 20, 13, 1, 24, PDT)
    willy = box.reply(jerome1, WILLY, d, mutt_id(d, "bombadil.infradead.org"), willy_body,
                      headers=[ua_mutt("Mutt/1.9.2 (2017-12-15)")])
    jerome2_body = attr_mutt(willy) + "\n" + quote(
        excerpt(willy_body, "On Fri, Jul 20", "derived work of the kernel.")
        + "\n\n" + "I feel these patches should be merged over Jerome's objections.") + """

I feel that people do not understand how far reaching this is. It means
that any new devices with memory supporting new system bus like CAPI or
CCIX will need to have a GPL driver. This is a departure of current
state of affair where we allow non GPL driver to exist.

Moreover I have argue that HMM abstract the internal mm and by doing so
allow anyone to update the mm code without having to worried about driver
which use HMM. Thus disproving that user of HMM are tie to mm internal.


Also to make thing perfectly clear i am a strong proponent of open
source and i rather have a GPL driver but at the same time i do not want
linux kernel to become second citizen because it can not support new
devices ...


Cheers,
Jérôme
"""
    d = when(2018, 7, 20, 16, 17, 36, EDT)
    jerome2 = box.reply(willy, JEROME_ASCII, d, mutt_id(d, "redhat.com", "GB"),
                        jerome2_body, headers=[ua_mutt("Mutt/1.10.0 (2018-05-17)")])
    j2 = jerome2_body
    dan_body = (
        attr_gmail(jerome2, PDT) + "\n>\n"
        + quote(excerpt(j2, "On Fri, Jul 20, 2018 at 01:01", "state of affair where"), "gmail")
        + "\n\nProprietary GPU driver vendors have done just fine without us adding\n"
          "explicit new mechanisms for them to consume.\n\n"
        + quote(excerpt(j2, "Moreover I have argue", "which use HMM. Thus"), "gmail")
        + "\n\nNo, HMM has has deployed a GPL-bypass shim into the kernel.\n\n"
        + quote(excerpt(j2, "Also to make thing", "devices ..."), "gmail")
        + "\n\nHMM diminishes the letter and the spirit of EXPORT_SYMBOL_GPL, it\n"
          "grants access to and consumes GPL-only infrastructure written by me\n"
          "and others.\n")
    box.reply(jerome2, DAN, when(2018, 7, 21, 9, 11, 52, PDT), gmail_id("CAPcyv4"),
              dan_body)
    return out


def v7_cover(box: Mailbox) -> Mail:
    """October 2018: the v7 cover letter, kept as its own thread so v7 and v8
    can be linked as versions of one series."""
    stamp = 153936657159
    justification = wrap("""
Jérôme has reviewed the cleanups, thanks Jérôme. We still disagree on the EXPORT_SYMBOL_GPL status of the core HMM implementation, but Logan, Christoph and I continue to support marking all devm_memremap_pages() derivatives EXPORT_SYMBOL_GPL.

HMM has been upstream for over a year, with no in-tree users it is clear it was designed first and foremost for out of tree drivers. It takes advantage of a facility Christoph and I spearheaded to support persistent memory. It continues to see expanding use cases with no clear end date when it will stop attracting features / revisions. It is not suitable to export devm_memremap_pages() as a stable 3rd party driver api.

devm_memremap_pages() is a facility that can create struct page entries for any arbitrary range and give out-of-tree drivers the ability to subvert core aspects of page management. It, and anything derived from it (e.g. hmm, pcip2p, etc...), is a deep integration point into the core kernel, and an EXPORT_SYMBOL_GPL() interface.

Commit 31c5bda3a656 "mm: fix exports that inadvertently make put_page() EXPORT_SYMBOL_GPL" was merged ahead of this series to relieve some of the pressure from innocent consumers of put_page(), but now we need this series to address *producers* of device pages.

More details and justification in the changelogs. The 0day infrastructure has reported success across 152 configs and this survives the libnvdimm unit test suite. Aside from the controversial bits the diffstat is compelling at:
""")
    body = (
        "[ apologies for the resend, script error ]\n\n"
        "Changes since v6 [1]:\n"
        "* Rebase on next-20181008 and fixup conflicts with the xarray conversion\n"
        "  and hotplug optimizations\n"
        "* It has soaked on a 0day visible branch for a few days without any\n"
        "  reports.\n\n"
        "[1]: https://lkml.org/lkml/2018/9/13/104\n\n---\n\n"
        "Hi Andrew,\n\n" + justification + "\n\n"
        "\t7 files changed, 126 insertions(+), 323 deletions(-)\n\n"
        + wrap("Note that the series has some minor collisions with Alex's recent "
               "series to improve devm_memremap_pages() scalability [2]. So, whichever "
               "you take first the other will need a minor rebase.") + "\n\n"
        "[2]: https://lkml.org/lkml/2018/10/9/1063\n\n---\n\n"
        + shortlog("Dan Williams", [c.subject for c in SERIES]) + "\n\n\n"
        + V8_DIFFSTAT + "\n")
    cover = box.add(Mail(
        DAN, [AKPM],
        [STABLE, BALBIR, LOGAN, HCH, JEROME, MHOCKO, TORVALDS, LINUX_MM, LKML, DRI_DEVEL],
        "[PATCH v7 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only",
        from_epoch(stamp / 100, PDT), stgit_id(stamp, 1198040), body,
        headers=[UA_STGIT]))
    cover_text = body_of(cover)
    reply_body = attr_mutt(cover) + "\n" + quote(
        excerpt(cover_text, "[ apologies", "Rebase on next-20181008")
        + "\n\n[...]\n\n"
        + excerpt(cover_text, "Hi Andrew,", "derivatives EXPORT_SYMBOL_GPL.")) + """

[...]

I am fine with this patchset going in (i reviewed it and tested it with
HMM on nouveau), Dan and Christoph did author the original code around
devm_memremap_pages() and thus ultimately they are the one who should
decide over GPL export or not.

Cheers,
Jérôme
"""
    d = when(2018, 10, 15, 11, 2, 45, EDT)
    jerome = box.reply(cover, JEROME, d, mutt_id(d, "redhat.com"), reply_body,
                       headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])
    # Gmail sends non-ASCII text as quoted-printable, soft-breaking long lines.
    dan_text = (
        attr_gmail(jerome, PDT) + "\n>\n"
        + quote(excerpt(reply_body, "I am fine with this patchset", "decide over GPL"),
                "gmail")
        + "\n\n" + wrap(
            "Thanks Jérôme, I appreciate you testing this against nouveau even though "
            "we still disagree on the export question.\n\n"
            "Andrew, if Alex's devm_memremap_pages() scalability series goes in first "
            "I'll rebase this on top of it and resend, otherwise Alex has offered to "
            "rebase his.", 76) + "\n")
    box.reply(jerome, DAN, when(2018, 10, 15, 9, 38, 2, PDT), gmail_id("CAPcyv4"),
              quopri.encodestring(dan_text.encode("utf-8")), cte="quoted-printable",
              content_type='text/plain; charset="UTF-8"')
    return cover


def v8_series(box: Mailbox) -> dict[str, Mail]:
    """November 2018: v8, where the review trailers arrive in every shape a
    trailer collector has to get right."""
    pid, blobs = 76910, BlobIds("v8")
    stamps = [154275556908, 154275557457, 154275557997, 154275558526,
              154275559036, 154275559545, 154275560053, 154275560565]
    tails = ["8966087090637564219"] + [_digits(19) for _ in range(6)] + ["15919297436557795278"]
    ids = [stgit_id(s, pid, t) for s, t in zip(stamps, tails)]
    lists = [LINUX_MM, LKML]
    cover_body = (
        "Changes since v7 [1]:\n* Rebase on next-20181119\n\n"
        "[1]: https://lkml.org/lkml/2018/10/12/878\n\n---\n"
        + V8_COVER_JUSTIFICATION + "\n---\n\n"
        + shortlog("Dan Williams", [c.subject for c in SERIES]) + "\n\n\n"
        + V8_DIFFSTAT + "\n")
    cover = box.add(Mail(
        DAN, [AKPM],
        [STABLE, BALBIR, LOGAN, HCH, JEROME, MHOCKO, JEROME, TORVALDS, LINUX_MM, LKML,
         DRI_DEVEL],
        "[PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only",
        from_epoch(stamps[0] / 100, PST), ids[0], cover_body, headers=[UA_STGIT],
        flags="FS"))
    trailers = {
        1: [cc_trailer(MHOCKO), cc_trailer(JEROME), sob(DAN)],
        2: [cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN), sob(DAN)],
        3: ['Fixes: e8d513483300 ("memremap: change devm_memremap_pages interface '
            'to use struct dev_pagemap")', "Cc: <stable@vger.kernel.org>",
            cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN), sob(DAN)],
        4: [cc_trailer(HCH), cc_trailer(JEROME), cc_trailer(LOGAN), sob(DAN)],
        5: [cc_trailer(HCH), cc_trailer(LOGAN), cc_trailer(JEROME), sob(DAN)],
        6: [cc_trailer(HCH), cc_trailer(LOGAN), cc_trailer(JEROME), sob(DAN)],
        # Christoph's tag from v7 rides along in the patch itself.
        7: [cc_trailer(LOGAN), cc_trailer(JEROME), cc_trailer(BALBIR),
            cc_trailer(MHOCKO), cc_trailer(BENH), f"Reviewed-by: {HCH.plain()}",
            sob(DAN)],
    }
    out = {"cover": cover}
    for n, change in enumerate(SERIES, start=1):
        tr = trailers[n]
        out[f"p{n}"] = box.add(Mail(
            DAN, [AKPM], trailer_people(tr) + lists + ([DRI_DEVEL] if n >= 5 else []),
            f"[PATCH v8 {n}/7] {change.subject}", from_epoch(stamps[n] / 100, PST),
            ids[n], patch_body(change.changelog, tr, files_for(change, 8), blobs,
                               count_width=4),
            in_reply_to=cover.msgid, references=[cover.msgid], headers=[UA_STGIT]))
    cover_text = body_of(cover)

    # Whole-series Tested-by on the cover.
    d = when(2018, 11, 20, 17, 2, 31, MST)
    box.reply(cover, LOGAN, d, uuid_id("deltatee.com"),
              attr_logan(cover, MST) + "\n"
              + quote(excerpt(cover_text, "Changes since v7", "Rebase on next"), "tbird")
              + "\n\nI rebased the p2pdma tree on top of this and ran our usual tests\n"
                "(nvme-fabrics target using a CMB for the queues) without any issues.\n\n"
                "For the series:\n\n"
                f"Tested-by: {LOGAN.plain()}\n\nLogan\n",
              headers=[UA_TBIRD, ("Content-Language", "en-US")])

    # A Reviewed-by scoped to part of the series.
    d = when(2018, 11, 22, 21, 14, 52, AEDT)
    box.reply(cover, BALBIR, d, mutt_id(d, "gmail.com"),
              attr_mutt(cover) + "\n"
              + quote(excerpt(cover_text, "Changes since v7", "Rebase on next"))
              + "\n> \n> [1]: https://lkml.org/lkml/2018/10/12/878\n\n[snip]\n\n"
                "I've gone through the devm_memremap_pages() changes, I did not get\n"
                "the time to look at the hmm conversion in detail.\n\n"
                "For patches 1-3:\n"
                f"Reviewed-by: {BALBIR.plain()}\n\n"
                "Balbir Singh.\n",
              headers=[ua_mutt("Mutt/1.9.1 (2017-09-22)")])

    # Andrew queues it.
    box.reply(cover, AKPM, when(2018, 11, 26, 16, 7, 21, PST),
              sylpheed_id(when(2018, 11, 26, 16, 7, 21, PST)),
              attr_sylpheed(cover) + "\n\n"
              + quote(excerpt(cover_text, "Changes since v7", "Rebase on next"))
              + "\n\nI'll queue this for 4.21.  Jerome, it sounds like the cleanups are OK\n"
                "and the disagreement is only over EXPORT_SYMBOL_GPL, so I'm inclined to\n"
                "go with the consensus on that.\n",
              headers=[UA_SYLPHEED])

    # 1/7: Acked-by.
    p1 = out["p1"]
    d = when(2018, 11, 21, 9, 18, 45, CET)
    box.reply(p1, MHOCKO, d, mutt_id(d, "dhcp22.suse.cz", "GD"),
              attr_mhocko(p1) + "\n"
              + quote(excerpt(body_of(p1), "devm_memremap_pages() is a facility",
                              "aspects of page management."))
              + "\n[...]\n\nI am not a fan of changing exports of existing symbols but this one\n"
                "reaches deep into the memory hotplug internals and it has been a\n"
                "maintenance burden there already. Nobody outside of the tree should\n"
                "be calling into arch_add_memory through a side door.\n\n"
                f"Acked-by: {MHOCKO.plain()}\n\n-- \nMichal Hocko\nSUSE Labs\n",
              headers=[ua_mutt("NeoMutt/20170609 (1.8.3)")])

    # 2/7 and 3/7: Christoph.
    d = when(2018, 11, 21, 9, 53, 20, CET)
    box.reply(out["p2"], HCH, d, mutt_id(d, "lst.de"),
              f"Looks good:\n\nReviewed-by: {HCH.plain()}\n",
              headers=[ua_mutt("Mutt/1.5.17 (2007-11-01)")])
    p3 = out["p3"]
    d = when(2018, 11, 21, 9, 58, 7, CET)
    box.reply(p3, HCH, d, mutt_id(d, "lst.de", "GB"),
              attr_mutt(p3) + "\n"
              + quote(excerpt(body_of(p3), "An argument could be made", "site."))
              + "\n\nThe changelog doesn't seem to match the code anymore, which does set\n"
                "->kill in the pgmap.  But otherwise this looks fine:\n\n"
                f"Reviewed-by: {HCH.plain()}\n",
              headers=[ua_mutt("Mutt/1.5.17 (2007-11-01)")])

    # 4/7: Dan points Jérôme at it, Jérôme's tag arrives two levels down.
    p4 = out["p4"]
    p4_text = body_of(p4)
    nudge = box.reply(
        p4, DAN, when(2018, 11, 21, 9, 41, 17, PST), gmail_id("CAPcyv4"),
        attr_gmail(p4, PST) + "\n>\n"
        + quote(excerpt(p4_text, "In preparation for consolidating", "MEMORY_DEVICE_PRIVATE ranges."),
                "gmail")
        + "\n\nJerome, this is the one patch in the series that changes the\n"
          "MEMORY_DEVICE_PRIVATE setup path, can you double check it against\n"
          "what hmm_devmem_pages_create() does today?\n",
        to=[JEROME], cc=[AKPM, HCH, LOGAN, LINUX_MM, LKML])
    d = when(2018, 11, 21, 14, 26, 40, EST)
    box.reply(nudge, JEROME, d, mutt_id(d, "redhat.com"),
              attr_mutt(nudge) + "\n" + quote(body_of(nudge).rstrip("\n")) + """

I did, the add_pages() path is what hmm_devmem_pages_create() does today
and i ran it with nouveau on top of next-20181119, no issues.

Reviewed-by: Jérôme Glisse <jglisse@redhat.com>

Cheers,
Jérôme
""", headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])

    # 5/7: a trailer that wraps onto a continuation line.
    p5 = out["p5"]
    d = when(2018, 11, 21, 14, 31, 9, EST)
    box.reply(p5, JEROME, d, mutt_id(d, "redhat.com", "GB"),
              attr_mutt(p5) + "\n"
              + quote(excerpt(body_of(p5), "devm semantics arrange", "remove operation when"))
              + "\n\n[...]\n\nStill fine with me and i have been running nouveau with this:\n\n"
                "Tested-by: Jérôme Glisse <jglisse@redhat.com> # nouveau HMM mirror and\n"
                " device private memory on next-20181119\n\nCheers,\nJérôme\n",
              headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])

    # 6/7: a review tag whose address is not the sender's, then Dan quoting it.
    p6 = out["p6"]
    d = when(2018, 11, 26, 19, 40, 33, PST)
    jh = box.reply(p6, JHUBBARD, d, uuid_id("nvidia.com"),
                   attr_jhubbard(p6, PST) + "\n"
                   + quote(excerpt(body_of(p6), "Commit e8d513483300", "dev_pagemap instance."),
                           "tbird")
                   + "\n> [...]\n\n"
                     "I went through the hmm_devmem_pages_create() removal line by line\n"
                     "against devm_memremap_pages(), and the only behavior change I see is\n"
                     "that MEMORY_DEVICE_PUBLIC ranges now get the linear mapping via\n"
                     "arch_add_memory(), which is what they should have had all along.\n\n"
                     "Reviewed-by: John Hubbard <john.hubbard@gmail.com>\n\n"
                     "thanks,\n-- \nJohn Hubbard\nNVIDIA\n",
                   headers=[UA_TBIRD, ("X-NVConfidentiality", "public"),
                            ("Content-Language", "en-US")])
    box.reply(jh, DAN, when(2018, 11, 26, 21, 2, 44, PST), gmail_id("CAPcyv4"),
              attr_gmail(jh, PST) + "\n>\n"
              + quote(excerpt(body_of(jh), "I went through", "Reviewed-by: John"), "gmail")
              + "\n\nThanks John! Yes, MEMORY_DEVICE_PUBLIC getting a linear mapping is\n"
                "intentional, the old hmm code was only getting away without it\n"
                "because nothing in the tree creates a public range.\n")
    return out


def stable_review(box: Mailbox) -> None:
    """January 2019: 4.14.93-stable review, with the HMM export patch (seed 001)."""
    d0 = when(2019, 1, 11, 14, 11, 32, CET)
    cover_body = """\
This is the start of the stable review cycle for the 4.14.93 release.
There are 105 patches in this series, all will be posted as a response
to this one.  If anyone has any issues with these being applied, please
let me know.

Responses should be made by Sun Jan 13 13:09:22 UTC 2019.
Anything received after that time might be too late.

The whole patch series can be found in one patch at:
\thttps://www.kernel.org/pub/linux/kernel/v4.x/stable-review/patch-4.14.93-rc1.gz
or in the git tree and branch at:
\tgit://git.kernel.org/pub/scm/linux/kernel/git/stable/linux-stable-rc.git linux-4.14.y
and the diffstat can be found below.

thanks,

greg k-h

-------------
Pseudo-Shortlog of commits:

Greg Kroah-Hartman <gregkh@linuxfoundation.org>
    Linux 4.14.93-rc1

Dan Williams <dan.j.williams@intel.com>
    mm, hmm: mark hmm_devmem_{add, add_resource} EXPORT_SYMBOL_GPL

Dan Williams <dan.j.williams@intel.com>
    mm, hmm: replace hmm_devmem_pages_create() with devm_memremap_pages()

Dan Williams <dan.j.williams@intel.com>
    mm, hmm: use devm semantics for hmm_devmem_{add, remove}

Dan Williams <dan.j.williams@intel.com>
    mm, devm_memremap_pages: add MEMORY_DEVICE_PRIVATE support

Dan Williams <dan.j.williams@intel.com>
    mm, devm_memremap_pages: fix shutdown handling

Dan Williams <dan.j.williams@intel.com>
    mm, devm_memremap_pages: kill mapping "System RAM" support

Dan Williams <dan.j.williams@intel.com>
    mm, devm_memremap_pages: mark devm_memremap_pages() EXPORT_SYMBOL_GPL
"""
    cover = box.add(Mail(
        GREGKH, [LKML],
        [GREGKH, TORVALDS, AKPM, Person("", "linux@roeck-us.net"),
         Person("", "shuah@kernel.org"), Person("", "patches@kernelci.org"),
         Person("", "ben.hutchings@codethink.co.uk"), Person("", "lkft-triage@lists.linaro.org"),
         STABLE],
        "[PATCH 4.14 000/105] 4.14.93-stable review", d0, quilt_id(d0), cover_body,
        headers=[ua_mutt("quilt/0.65"), ("X-stable", "review"),
                 ("X-Patchwork-Hint", "ignore")]))
    trailers = "\n".join([
        "[logang@deltatee.com: PCI/P2PDMA: match interface changes to devm_memremap_pages()]",
        "  Link: http://lkml.kernel.org/r/20181130225911.2900-1-logang@deltatee.com",
        "Link: http://lkml.kernel.org/r/154275560565.76910.15919297436557795278.stgit@dwillia2-desk3.amr.corp.intel.com",
        sob(DAN), sob(LOGAN), f"Reviewed-by: {HCH.plain()}", cc_trailer(LOGAN),
        cc_trailer(JEROME), cc_trailer(BALBIR) + ",", cc_trailer(MHOCKO),
        cc_trailer(BENH), "Cc: <stable@vger.kernel.org>", sob(AKPM), sob(TORVALDS),
        sob(GREGKH)])
    files = [FileDiff(HMM_C, tuple(Hunk(h.old_start - 4, h.func, h.lines)
                                   for h in HMM_GPL_HUNKS))]
    body = ("4.14-stable review patch.  If anyone has any objections, please let me know.\n\n"
            "------------------\n\n"
            f"From: {DAN.plain()}\n\n"
            "commit 02917e9f8676207a4c577d4d94eae12bf348e9d7 upstream.\n\n"
            + wrap(HMM_GPL_CHANGELOG) + "\n\n" + trailers + "\n\n---\n"
            + diffstat(files, 4) + "\n\n" + quilt_diff(files) + "\n\n")
    d = when(2019, 1, 11, 15, 14, 29, CET)
    box.reply(cover, GREGKH, d, quilt_id(d), body,
              subject="[PATCH 4.14 065/105] mm, hmm: mark hmm_devmem_{add, add_resource} "
                      "EXPORT_SYMBOL_GPL",
              to=[LKML],
              cc=[GREGKH, STABLE, DAN, LOGAN, HCH, JEROME, BALBIR, MHOCKO, BENH, AKPM,
                  TORVALDS],
              headers=[ua_mutt("quilt/0.65")])

    # Linaro's report comes base64-encoded: non-ASCII text from their gmail.
    report = (
        "On Fri, 11 Jan 2019 at 19:47, Greg Kroah-Hartman\n"
        "<gregkh@linuxfoundation.org> wrote:\n>\n"
        + quote(excerpt(cover_body, "This is the start", "let me know."), "gmail")
        + "\n>\n"
        + quote(excerpt(cover_body, "Responses should be", "might be too late."), "gmail")
        + "\n\nResults from Linaro’s test farm.\n"
          "No regressions on arm64, arm, x86_64, and i386.\n\n"
          "Summary\n" + "-" * 72 + "\n\n"
          "kernel: 4.14.93-rc1\n"
          "git repo: https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux-stable-rc.git\n"
          "git branch: linux-4.14.y\n"
          f"git commit: {_hex(40)}\n"
          "git describe: v4.14.92-106-g" + _hex(12) + "\n\n"
          "No regressions (compared to build v4.14.92)\n\n"
          "No fixes (compared to build v4.14.92)\n\n"
          "Ran 21043 total tests in the following environments and test suites.\n\n"
          "Environments\n--------------\n- dragonboard-410c - arm64\n- hi6220-hikey - arm64\n"
          "- i386\n- juno-r2 - arm64\n- qemu_arm\n- qemu_arm64\n- qemu_i386\n- qemu_x86_64\n"
          "- x15 - arm\n- x86_64\n\n"
          "Test Suites\n-----------\n* boot\n* install-android-platform-tools-r2600\n"
          "* kselftest\n* libhugetlbfs\n* ltp-cap_bounds-tests\n* ltp-containers-tests\n"
          "* ltp-mm-tests\n* ltp-syscalls-tests\n* spectre-meltdown-checker-test\n\n"
          "--\nLinaro LKFT\nhttps://lkft.linaro.org\n")
    encoded = base64.encodebytes(report.encode("utf-8")).decode("ascii")
    d = when(2019, 1, 12, 10, 49, 57, IST)
    box.reply(cover, NARESH, d, gmail_id("CA+G9fY"), encoded,
              content_type='text/plain; charset="UTF-8"', cte="base64",
              cc=[LKML, TORVALDS, AKPM, Person("", "linux@roeck-us.net"),
                  Person("", "shuah@kernel.org"), Person("", "lkft-triage@lists.linaro.org"),
                  STABLE], flags="")
    d = when(2019, 1, 12, 7, 31, 12, PST)
    box.reply(cover, GROECK, d, mutt_id(d, "roeck-us.net"),
              attr_mutt(cover) + "\n"
              + quote(excerpt(cover_body, "This is the start", "might be too late."))
              + "\n> \n\nBuild results:\n\ttotal: 172 pass: 172 fail: 0\n"
                "Qemu test results:\n\ttotal: 305 pass: 305 fail: 0\n\n"
                "Details are available at https://kerneltests.org/builders/.\n\nGuenter\n",
              headers=[ua_mutt("Mutt/1.5.24 (2015-08-30)")], flags="")


HMM_DAX_CHANGE = Change(
    "mm/hmm: allow to mirror vma of a file on a DAX backed filesystem",
    """
This add support to mirror vma which is an mmap of a file which is on a
filesystem that using a DAX block device. There is no reason not to
support that case.

Note that unlike GUP code we do not take page reference hence when we
back-off we have nothing to undo.
""",
    (FileDiff(HMM_C, (
        hunk(325, "EXPORT_SYMBOL(hmm_mirror_unregister);", r"""

 struct hmm_vma_walk {
 \tstruct hmm_range\t*range;
+\tstruct dev_pagemap\t*pgmap;
 \tunsigned long\t\tlast;
 \tbool\t\t\tfault;
 \tbool\t\t\tblock;
"""),
        hunk(499, "static int hmm_vma_handle_pmd(struct mm_walk *walk,", r"""
 \t\treturn hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);

 \tpfn = pmd_pfn(pmd) + pte_index(addr);
-\tfor (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++)
+\tfor (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++) {
+\t\tif (pmd_devmap(pmd)) {
+\t\t\thmm_vma_walk->pgmap = get_dev_pagemap(pfn,
+\t\t\t\t\t      hmm_vma_walk->pgmap);
+\t\t\tif (unlikely(!hmm_vma_walk->pgmap))
+\t\t\t\treturn -EBUSY;
+\t\t}
 \t\tpfns[i] = hmm_pfn_from_pfn(range, pfn) | cpu_flags;
+\t}
+\tif (hmm_vma_walk->pgmap) {
+\t\tput_dev_pagemap(hmm_vma_walk->pgmap);
+\t\thmm_vma_walk->pgmap = NULL;
+\t}
 \thmm_vma_walk->last = end;
 \treturn 0;
 }
"""),
        hunk(587, "static int hmm_vma_handle_pte(struct mm_walk *walk, unsigned long addr,", r"""
 \tif (fault || write_fault)
 \t\tgoto fault;

+\tif (pte_devmap(pte)) {
+\t\thmm_vma_walk->pgmap = get_dev_pagemap(pte_pfn(pte),
+\t\t\t\t\t      hmm_vma_walk->pgmap);
+\t\tif (unlikely(!hmm_vma_walk->pgmap))
+\t\t\treturn -EBUSY;
+\t} else if (IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL) && pte_special(pte)) {
+\t\t*pfn = range->values[HMM_PFN_SPECIAL];
+\t\treturn -EFAULT;
+\t}
+
 \t*pfn = hmm_pfn_from_pfn(range, pte_pfn(pte)) | cpu_flags;
 \treturn 0;

"""),
        hunk(671, "static int hmm_vma_walk_pmd(pmd_t *pmdp,", r"""
 \t\t\treturn r;
 \t\t}
 \t}
+\tif (hmm_vma_walk->pgmap) {
+\t\t/*
+\t\t * We do put_dev_pagemap() here and not in hmm_vma_handle_pte()
+\t\t * so that we can leverage get_dev_pagemap() optimization which
+\t\t * will not re-take a reference on a pgmap if we already have
+\t\t * one.
+\t\t */
+\t\tput_dev_pagemap(hmm_vma_walk->pgmap);
+\t\thmm_vma_walk->pgmap = NULL;
+\t}
 \tpte_unmap(ptep - 1);

 \thmm_vma_walk->last = addr;
"""),
        hunk(948, "long hmm_range_snapshot(struct hmm_range *range)", r"""
 \t\trange->valid = true;
 \t\thmm_vma_walk.last = start;
 \t\thmm_vma_walk.fault = false;
+\t\thmm_vma_walk.pgmap = NULL;
 \t\thmm_vma_walk.range = range;
 \t\tmm_walk.private = &hmm_vma_walk;
 \t\tend = min(range->end, vma->vm_end);
"""),
    )),),
)


def hmm_51_thread(box: Mailbox) -> None:
    """January-March 2019: Jérôme's "HMM updates for 5.1", patch 09/10 and
    the EXPORT_SYMBOL_GPL negotiation on it (seed 003).  Ira's reply to 01/10
    is the one message whose parent is not in the mailbox."""
    pid, host = 3931, "redhat.com"
    d0 = when(2019, 1, 29, 11, 54, 18, EST)
    cover_id = send_email_id(d0, pid, 1, "jglisse", host)
    recipients = dict(to=[LINUX_MM], cc=[LKML, JEROME, AKPM, RCAMPBELL, JHUBBARD, DAN])
    cover = box.add(Mail(
        JEROME_GIT, subject="[PATCH 00/10] HMM updates for 5.1", date=d0, msgid=cover_id,
        body="From: Jérôme Glisse <jglisse@redhat.com>\n\n" + wrap("""
This patchset improves the HMM driver API and add support for mirroring virtual address that are mmap of hugetlbfs or of a file in a filesystem on a DAX block device. You can find a tree with all the patches [1]

This patchset is necessary for converting ODP to HMM and patch to do so as been posted [2]. All new functions introduced by this patchset are use by the ODP patch. The ODP patch will be push through the RDMA tree the release after this patchset is merged.

Moreover all HMM functions are use by the nouveau driver starting in 5.1.

The last patch in the serie add helpers to directly dma map/unmap pages for virtual addresses that are mirrored on behalf of device driver. This has been extracted from ODP code as it is is a common pattern accross HMM device driver. It will be first use by the ODP RDMA code and will latter get use by nouveau and other driver that are working on including HMM support.
""") + "\n\n[1] https://cgit.freedesktop.org/~glisse/linux/log/?h=hmm-for-5.1\n"
        "[2] https://cgit.freedesktop.org/~glisse/linux/log/?h=odp-hmm\n\n"
        "Cc: Andrew Morton <akpm@linux-foundation.org>\n"
        "Cc: Ralph Campbell <rcampbell@nvidia.com>\n"
        "Cc: John Hubbard <jhubbard@nvidia.com>\n"
        "Cc: Dan Williams <dan.j.williams@intel.com>\n\n"
        "Jérôme Glisse (10):\n"
        "  mm/hmm: use reference counting for HMM struct\n"
        "  mm/hmm: do not erase snapshot when a range is invalidated\n"
        "  mm/hmm: improve and rename hmm_vma_get_pfns() to hmm_range_snapshot()\n"
        "  mm/hmm: improve and rename hmm_vma_fault() to hmm_range_fault()\n"
        "  mm/hmm: improve driver API to work and wait over a range\n"
        "  mm/hmm: add default fault flags to avoid the need to pre-fill pfns arrays.\n"
        "  mm/hmm: add an helper function that fault pages and map them to a device\n"
        "  mm/hmm: support hugetlbfs (snap shoting, faulting and DMA mapping)\n"
        "  mm/hmm: allow to mirror vma of a file on a DAX backed filesystem\n"
        "  mm/hmm: add helpers for driver to safely take the mmap_sem\n\n"
        " include/linux/hmm.h |  290 ++++++++++--\n"
        " mm/hmm.c            | 1060 +++++++++++++++++++++++++++++++++----------\n"
        " 2 files changed, 1025 insertions(+), 325 deletions(-)\n\n"
        + GIT_SIGNATURE,
        headers=[UA_SEND_EMAIL], **recipients))
    d9 = when(2019, 1, 29, 11, 54, 27, EST)
    p9_trailers = [f"Signed-off-by: {JEROME.plain()}", f"Cc: {AKPM.plain()}",
                   f"Cc: {DAN.plain()}", f"Cc: {RCAMPBELL.plain()}", f"Cc: {JHUBBARD.plain()}"]
    p9 = box.add(Mail(
        JEROME_GIT, subject=f"[PATCH 09/10] {HMM_DAX_CHANGE.subject}", date=d9,
        msgid=send_email_id(d9, pid, 10, "jglisse", host),
        body=patch_body(HMM_DAX_CHANGE.changelog, p9_trailers, list(HMM_DAX_CHANGE.files),
                        BlobIds("hmm-5.1"), preamble=f"From: {JEROME.plain()}\n\n"),
        in_reply_to=cover_id, references=[cover_id], headers=[UA_SEND_EMAIL],
        **recipients))
    p9_text = body_of(p9)

    d = when(2019, 1, 29, 10, 17, 55, PST)
    dan1 = box.reply(
        p9, DAN, d, gmail_id("CAPcyv4"),
        attr_gmail(p9, PST) + "\n>\n"
        + quote(excerpt(p9_text, "This add support", "support that case."), "gmail")
        + "\n\nThe reason not to support it would be if it gets in the way of future\n"
          "DAX development. How does this interact with MAP_SYNC? I'm also\n"
          "concerned if this leaks DAX pages to a device without the filesystem\n"
          "knowing, the same problem we have with long term get_user_pages()\n"
          "pins that we still have not solved.\n\n"
          "What's the use case, and where is the driver that consumes it?\n")
    d = when(2019, 1, 29, 14, 32, 6, EST)
    jerome1 = box.reply(
        dan1, JEROME, d, mutt_id(d, host),
        attr_mutt(dan1) + "\n"
        + quote(excerpt(body_of(dan1), "The reason not to support", "consumes it?"))
        + """

HMM does not take a page reference, the device mapping is torn down from
the mmu notifier callback before the filesystem can do anything with the
page, so there is nothing like the long term GUP issue here. MAP_SYNC is
not affected either, the device only mirrors what the CPU page table
has.

The user is ODP (RDMA), patches are posted and will go through the RDMA
tree the release after this is merged, and nouveau after that.

Cheers,
Jérôme
""", headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])
    d = when(2019, 3, 5, 20, 20, 10, PST)
    dan_hesitation = """\
My hesitation would be drastically reduced if there was a plan to
avoid dangling unconsumed symbols and functionality. Specifically one
or more of the following suggestions:

* EXPORT_SYMBOL_GPL on all exports to avoid a growing liability
surface for out-of-tree consumers to come grumble at us when we
continue to refactor the kernel as we are wont to do.

* A commitment to consume newly exported symbols in the same merge
window, or the following merge window. When that goal is missed revert
the functionality until such time that it can be consumed, or
otherwise abandoned.

* No new symbol exports and functionality while existing symbols go unconsumed.
"""
    dan2 = box.reply(
        jerome1, DAN, d, gmail_id("CAPcyv4"),
        attr_gmail(jerome1, PST).replace("Jérôme Glisse", "Jerome Glisse") + "\n> [..]\n"
        + quote(excerpt(body_of(jerome1), "The user is ODP", "nouveau after that."), "gmail")
        + "\n\nWe're in the 5.1 merge window now, the ODP conversion has not been\n"
          "merged, and nouveau only uses a subset of what was exported for 5.0.\n\n"
        + dan_hesitation
        + "\nThese are the requirements I would expect my work, or any core-mm\n"
          "work for that matter, to be held to. I see no reason why HMM could\n"
          "not meet the same.\n")
    akpm_body = attr_sylpheed(dan2) + "\n\n" + quote(excerpt(
        dan_hesitation, "My hesitation", "as we are wont to do.")) + """

The existing patches use EXPORT_SYMBOL() so that's a sticking point.
Jerome, what would happen is we made these EXPORT_SYMBOL_GPL()?

""" + quote(excerpt(dan_hesitation, "* A commitment", "otherwise abandoned.")) + """

It sounds like we can tick this box.

""" + quote(excerpt(dan_hesitation, "* No new symbol", "go unconsumed.")) + """

Unsure about this one?
"""
    d = when(2019, 3, 7, 9, 46, 54, PST)
    akpm = box.reply(dan2, AKPM, d, sylpheed_id(d), akpm_body, headers=[UA_SYLPHEED],
                     flags="")
    d = when(2019, 3, 7, 13, 56, 21, EST)
    box.reply(akpm, JEROME, d, mutt_id(d, host, "GB"),
              attr_mutt(akpm) + "\n"
              + quote(excerpt(akpm_body, "On Tue, 5 Mar", "Jerome, what would happen"))
              + """

So Dan argue that GPL export solve the problem of out of tree user and
my personnal experience is that it does not. The GPU sub-system has tons
of GPL drivers that are not upstream and we never felt that we were bound
to support them in anyway. We always were very clear that if you are not
upstream that you do not have any voice on changes we do.

So my exeperience is that GPL does not help here. It is just about being
clear and ignoring anyone who does not have an upstream driver ie we have
free hands to update HMM in anyway as long as we keep supporting the
upstream user.

That being said if the GPL aspect is that much important to some then
fine let switch all HMM symbol to GPL.

""" + quote(excerpt(akpm_body, "> * A commitment", "It sounds like we can tick")) + """

I wouldn't be too strick either, when adding something in release N
the driver change in N+1 can miss N+1 because of bug or regression
and be push to N+2.

I think a better stance here is that if we do not get any sign-off
on the feature from driver maintainer for which the feature is intended
then we just do not merge. If after few release we still can not get
the driver to use it then we revert.

It just feels dumb to revert at N+1 just to get it back in N+2 as
the driver bit get fix.

""" + quote(excerpt(akpm_body, "> * No new symbol", "Unsure about this one?")) + """

With nouveau upstream now everything is use. ODP will use some of the
symbol too. PPC has patchset posted to use lot of HMM too. I have been
working with other vendor that have patchset being work on to use HMM
too.

I have not done all those function just for the fun of it :) They do
have real use and user. It took a longtime to get nouveau because of
userspace we had a lot of catchup to do in mesa and llvm and we are
still very rough there.

Cheers,
Jérôme
""", headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")], folder="new")

    # Ira answers patch 01/10, which never reached this mailbox.
    missing = send_email_id(d0.replace(second=19), pid, 2, "jglisse", host)
    d = when(2019, 2, 20, 15, 7, 44, PST)
    box.add(Mail(
        IRA, [JEROME_GIT], [LINUX_MM, LKML, AKPM, RCAMPBELL, JHUBBARD],
        "Re: [PATCH 01/10] mm/hmm: use reference counting for HMM struct", d,
        mutt_id(d, "iweiny-DESK2.sc.intel.com"), """\
On Tue, Jan 29, 2019 at 11:54:19AM -0500, jglisse@redhat.com wrote:
> From: Jérôme Glisse <jglisse@redhat.com>
> 
> Every time i read the code to check that the HMM structure does not
> vanish before it should thanks to the many lock protecting its removal
> i get a headache. Switch to reference counting instead it is much
> easier to follow and harder to break. This also remove outdated bits
> of code.

[snip]

> +static inline struct hmm *hmm_get(struct mm_struct *mm)
> +{
> +	struct hmm *hmm = READ_ONCE(mm->hmm);
> +
> +	if (hmm && kref_get_unless_zero(&hmm->kref))
> +		return hmm;
> +
> +	return NULL;
> +}

What keeps the memory behind mm->hmm valid between the READ_ONCE() and
kref_get_unless_zero()?  hmm_free() does not wait for a grace period
before the kfree(), so it looks like this could touch freed memory if
the last reference is dropped concurrently.

Ira
""", in_reply_to=missing, references=[cover_id, missing],
        headers=[ua_mutt("Mutt/1.11.1 (2018-12-01)")], flags=""))


def put_page_thread(box: Mailbox) -> None:
    """June 2018: the OpenAFS report that became v4 8/8.  Carries the
    attached patch, the message without a Date and the top-posted reply."""
    d0 = when(2018, 6, 21, 10, 3, 17, EDT)
    attachment_name = "0001-mm-Restore-EXPORT_SYMBOL-for-put_page-dependencies.patch"
    attached_patch = (
        "From 6f1c0e2b4a9d3c57e8b21f0d94a6c3e5b7d8f012 Mon Sep 17 00:00:00 2001\n"
        f"From: {JGORSE.plain()}\n"
        "Date: Thu, 21 Jun 2018 09:41:08 -0400\n"
        "Subject: [PATCH] mm: Restore EXPORT_SYMBOL for put_page() dependencies\n\n"
        + wrap("""
put_page() is a static inline that, with CONFIG_DEV_PAGEMAP_OPS=y, references devmap_managed_key and __put_devmap_managed_page(). Both are exported EXPORT_SYMBOL_GPL, so every module calling put_page() is now GPL-only and OpenAFS fails modpost.

Export them with EXPORT_SYMBOL like the rest of the page refcount helpers.
""") + f"\n\nSigned-off-by: {JGORSE.plain()}\n---\n"
        + diffstat([FileDiff(MEMREMAP_C, PUT_PAGE_HUNKS)]) + "\n\n"
        + git_diff([FileDiff(MEMREMAP_C, PUT_PAGE_HUNKS)], BlobIds("gorse")) + GIT_SIGNATURE)
    boundary = "000000000000" + _hex(16)
    text = wrap("""
Hi,

Building OpenAFS against v4.18-rc1 fails at modpost:

  FATAL: modpost: GPL-incompatible module openafs.ko uses GPL-only symbol '__put_devmap_managed_page'

put_page() is inline and with CONFIG_DEV_PAGEMAP_OPS=y it now references devmap_managed_key and __put_devmap_managed_page(), which e76384884344 ("mm: introduce MEMORY_DEVICE_FS_DAX and CONFIG_DEV_PAGEMAP_OPS") exported with EXPORT_SYMBOL_GPL. So every module that calls put_page() is now effectively GPL-only. Distributions enable CONFIG_DEV_PAGEMAP_OPS, so this hits everybody.

Was that intended? The attached patch switches the two exports back to EXPORT_SYMBOL, which is what we are carrying locally for now.

Thanks,
Joe
""")
    body = (f"--{boundary}\n"
            'Content-Type: text/plain; charset="UTF-8"\n\n'
            f"{text}\n\n"
            f"--{boundary}\n"
            f'Content-Type: text/x-patch; charset="US-ASCII"; name="{attachment_name}"\n'
            f'Content-Disposition: attachment; filename="{attachment_name}"\n'
            "Content-Transfer-Encoding: 7bit\n"
            f"X-Attachment-Id: f_{_hex(8)}0\n\n"
            f"{attached_patch}\n"
            f"--{boundary}--\n")
    report = box.add(Mail(
        JGORSE, [LINUX_MM, NVDIMM], [DAN, JEROME_ASCII, LKML],
        "put_page() is EXPORT_SYMBOL_GPL-only since 4.18-rc1?", d0, gmail_id("CAOd1ZHC"),
        body, content_type=f'multipart/mixed; boundary="{boundary}"'))
    d = when(2018, 6, 21, 10, 22, 40, PDT)
    dan = box.reply(
        report, DAN, d, gmail_id("CAPcyv4"),
        attr_gmail(report, PDT) + "\n>\n"
        + quote(excerpt(text, "Was that intended?", "carrying locally"), "gmail")
        + "\n\nNo, that was not intended, it's fixed by patch 8 of this series:\n\n"
          "    https://lkml.org/lkml/2018/6/19/108\n\n"
          "...but it depends on the earlier patches that convert all the\n"
          "producers of dev_pagemap instances to EXPORT_SYMBOL_GPL. Can you give\n"
          "patch 8 a try and reply with a Tested-by?\n")
    # No Date header: as some list archives hand messages out.
    box.reply(dan, JHUBBARD, None, uuid_id("nvidia.com"),
              attr_jhubbard(dan, PDT) + "\n"
              + quote(excerpt(body_of(dan), "No, that was not intended", "reply with a"),
                      "tbird")
              + "\n\nWe hit the same thing with an out-of-tree driver here. With patch\n"
                "8/8 from v3 applied on top of 4.18-rc1 it builds and loads again.\n\n"
                f"Tested-by: {JHUBBARD.plain()}\n\n"
                "thanks,\n-- \nJohn Hubbard\nNVIDIA\n",
              headers=[UA_TBIRD, ("X-NVConfidentiality", "public")],
              arrival=int(when(2018, 6, 21, 16, 48, 2, PDT).timestamp()))
    # Top-posted.
    d = when(2018, 6, 21, 20, 15, 9, EDT)
    box.reply(dan, JGORSE, d, gmail_id("CAOd1ZHC"),
              "Confirmed: with patch 8/8 from v3 applied on v4.18-rc1, OpenAFS builds\n"
              "and the module loads.\n\n"
              f"Tested-by: {JGORSE.plain()}\n\n"
              "Thanks,\nJoe\n\n"
              + attr_gmail(dan, EDT) + "\n"
              + quote(body_of(dan), "gmail") + "\n")


def ksummit_thread(box: Mailbox) -> None:
    """September 2018: the Maintainers Summit topic behind the series; one
    reply arrives with raw Latin-1 under an x-unknown-8bit label."""
    d0 = when(2018, 9, 13, 10, 35, 24, PDT)
    proposal = box.add(Mail(
        DAN, [KSUMMIT], [GREGKH, HCH, JEROME, LOGAN, AKPM],
        "[MAINTAINERS SUMMIT] EXPORT_SYMBOL_GPL", d0, gmail_id("CAPcyv4"), wrap("""
Hi,

I would like to propose a discussion on the criteria for EXPORT_SYMBOL_GPL, and in particular on when it is acceptable to take the exceptional step of reclassifying an existing EXPORT_SYMBOL as EXPORT_SYMBOL_GPL.

The trigger is devm_memremap_pages() and HMM. devm_memremap_pages() should have been EXPORT_SYMBOL_GPL from the beginning: it creates 'struct page' for arbitrary physical address ranges and, with HMM, lets a driver hook page fault and page free events. I have a series to merge hmm_devmem_add() into devm_memremap_pages() and mark the result GPL-only, and the objection so far is that this changes the rules for existing out-of-tree users.

Questions I would like to get consensus on:

* Is "it reaches into the core of the memory management implementation"
  a sufficient justification on its own?

* Do out-of-tree consumers of an export get any say when it is
  reclassified?

* Should new infrastructure be merged with EXPORT_SYMBOL exports when it
  has no in-tree consumer?

I realize the line is fuzzy and hard to specify in abstract terms, but I think we can agree on some concrete examples on each side of it.
""") + "\n"))
    d = when(2018, 9, 13, 20, 2, 11, CEST)
    greg = box.reply(proposal, GREGKH_SHORT, d, mutt_id(d, "kroah.com"),
                     attr_mutt(proposal) + "\n"
                     + quote(excerpt(body_of(proposal), "* Do out-of-tree", "reclassified?"))
                     + "\n\nNo.  We have never guaranteed anything about in-kernel apis to code\n"
                       "that is not in our tree, and that is not going to change now.  If an\n"
                       "export is only there for out-of-tree code, it should not be there at\n"
                       "all, GPL or not.\n\n"
                       "I'm glad to talk about this, but I think the answer is going to be\n"
                       "pretty short :)\n\nthanks,\n\ngreg k-h\n",
                     headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])
    d = when(2018, 9, 14, 9, 12, 40, CEST)
    hch = box.reply(proposal, HCH, d, mutt_id(d, "lst.de"),
                    attr_mutt(proposal) + "\n"
                    + quote(excerpt(body_of(proposal), "* Should new infrastructure",
                                    "in-tree consumer?"))
                    + "\n\nNo.  And HMM should never have been merged without a user in the\n"
                      "first place.  We have been very clear about that rule everywhere\n"
                      "else.\n",
                    headers=[ua_mutt("Mutt/1.5.17 (2007-11-01)")])
    d = when(2018, 9, 14, 10, 12, 3, EDT)
    jerome = box.reply(hch, JEROME, d, mutt_id(d, "redhat.com"),
                       attr_mutt(hch) + "\n"
                       + quote(excerpt(body_of(hch), "No.  And HMM", "else."))
                       + """

HMM was merged with the promise of nouveau support and that is coming,
the userspace side (mesa, llvm) took much longer than expected. I do not
think HMM is different from other infrastructure that was merged a
release or two ahead of its users.

Cheers,
Jérôme
""", headers=[ua_mutt("Mutt/1.10.1 (2018-07-13)")])
    # mutt labels 8-bit text it cannot identify as x-unknown-8bit; these
    # bytes are Latin-1 and not valid UTF-8.
    latin1 = (attr_mutt(jerome) + "\n" + quote(excerpt(
        body_of(jerome), "HMM was merged", "release or two ahead")) + """

I agree with Jérôme that the users are coming, we have coherent device
memory patches for powerpc that build on HMM. But I do not think the
export class should be what holds them back, and I would rather see
those drivers upstream than argue about the label.

Balbir Singh.
""").encode("latin-1")
    d = when(2018, 9, 16, 12, 20, 57, AEST)
    box.reply(jerome, BALBIR, d, mutt_id(d, "gmail.com"), latin1,
              content_type='text/plain; charset="x-unknown-8bit"', cte="8bit",
              headers=[ua_mutt("Mutt/1.9.1 (2017-09-22)")])
    d = when(2018, 9, 13, 11, 41, 30, PDT)
    box.reply(greg, DAN, d, gmail_id("CAPcyv4"),
              attr_gmail(greg, PDT) + "\n>\n"
              + quote(excerpt(body_of(greg), "No.  We have never", "all, GPL or not."),
                      "gmail")
              + "\n\nRight, and that's the position I'd like us to state explicitly, so\n"
                "the next time someone objects to an export change on behalf of an\n"
                "out-of-tree driver we can point at it instead of re-litigating it.\n",
              flags="RS")


def hostile_mail(box: Mailbox) -> None:
    """Unsolicited mail to linux-mm: HTML-only with a script and a remote
    tracking image, and a subject and body full of terminal escapes."""
    d = when(2019, 2, 12, 8, 30, 0, UTC)
    html = """\
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<script type="text/javascript">
  document.location = "http://hmm-summit.example/register?src=linux-mm";
</script>
</head>
<body>
<p>Dear Linux developer,</p>
<p>You are invited to the <b>Heterogeneous Memory Summit 2019</b>.
Register <a href="http://hmm-summit.example/register">here</a> before
March 1st for the early bird discount.</p>
<img src="http://tracker.hmm-summit.example/open.gif?id=linux-mm%40kvack.org" width="1" height="1" alt="">
<p style="font-size:8px;color:#ffffff">To unsubscribe reply STOP</p>
</body>
</html>
"""
    box.add(Mail(Person("HMM Summit 2019", "events@hmm-summit.example"), [LINUX_MM], [],
                 "Invitation: Heterogeneous Memory Summit 2019 - register now", d,
                 uuid_id("hmm-summit.example"), html,
                 content_type='text/html; charset="utf-8"', cte="7bit", folder="new"))
    d = when(2019, 2, 14, 3, 12, 45, UTC)
    box.add(Mail(Person("kvack.org postmaster", "postmaster@kvack-org.example"), [LINUX_MM], [],
                 "\x1b[31m[URGENT]\x1b[0m linux-mm subscription suspended\x1b[2K", d,
                 uuid_id("kvack-org.example"),
                 "\x1b[2J\x1b[H\x1b]0;linux-mm\x07Your subscription to linux-mm has been "
                 "suspended.\n\n"
                 "\x1b[1;31mConfirm your address within 24 hours:\x1b[0m "
                 "\x1b]8;;http://kvack-org.example/confirm\x1b\\"
                 "https://kvack.org/confirm\x1b]8;;\x1b\\\n",
                 folder="new"))


def build() -> Mailbox:
    box = Mailbox()
    put_page_thread(box)
    v4_series(box)
    ksummit_thread(box)
    v7_cover(box)
    v8_series(box)
    stable_review(box)
    hmm_51_thread(box)
    hostile_mail(box)
    return box


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT,
                        help="maildir to (re)write, default: %(default)s")
    args = parser.parse_args(argv)
    box = build()
    box.write(args.output)
    print(f"wrote {len(box.mails)} messages to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
