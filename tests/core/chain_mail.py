"""Real-shaped series across versions, written as Maildir files for a real
notmuch database: the chains issue 15's tests walk.

Series "foo: rework the bar cache" by Alice (To: the reviewer):
  v1  cover + 3 patches; I ask for changes on 2/3; Alice answers me
  v2  cover + 3 patches (2/3 re-rolled); Bob: Reviewed-by on 1/3, I: Reviewed-by on 3/3
  v2  RESEND of the same patches, its own thread, nobody replies
  v3  cover + 3 patches (2/3 re-rolled again, 1 and 3 unchanged: trailers carry)
  v4  renamed "foo: rework the bar and baz caches", same change-id; 3/3 dropped,
      a new patch added: nobody replied yet, I reviewed v2: needs my review
Single-version series, one per status: new, reviewed by me, changes
requested, author replied, applied, discussed, needs my review (To: me).
"""
from __future__ import annotations

import email.utils
from dataclasses import dataclass
from pathlib import Path

ME = "Rita Reviewer <reviewer@example.org>"
ALICE = "Alice Author <alice@example.com>"
BOB = "Bob Builder <bob@example.net>"
MAINT = "Mona Maintainer <mona@kernel.example>"
LIST = "linux-foo@vger.example.org"
BASE = 1_700_000_000  # 2023-11-14
CHANGE_ID = "20231114-bar-cache-3f2a1b0c9d8e"


@dataclass
class Mail:
    message_id: str
    subject: str
    sender: str
    date: int
    body: str
    to: str = LIST
    cc: str = ""
    in_reply_to: str = ""

    def render(self) -> bytes:
        head = [
            f"From: {self.sender}",
            f"To: {self.to}",
            *([f"Cc: {self.cc}"] if self.cc else []),
            f"Subject: {self.subject}",
            f"Date: {email.utils.formatdate(self.date)}",
            f"Message-ID: <{self.message_id}>",
            *([f"In-Reply-To: <{self.in_reply_to}>", f"References: <{self.in_reply_to}>"]
              if self.in_reply_to else []),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        return ("\n".join(head) + "\n\n" + self.body).encode()


def diff(path: str, old: list[str], new: list[str], start: int = 10) -> str:
    """A one-hunk git diff replacing ``old`` lines with ``new`` between fixed context."""
    context_before = ["static int counter;", ""]
    lines = [f"diff --git a/{path} b/{path}", "index 1111111..2222222 100644",
             f"--- a/{path}", f"+++ b/{path}",
             f"@@ -{start},{len(old) + 3} +{start},{len(new) + 3} @@ struct bar *bar_get(void)"]
    lines += [" " + c for c in context_before]
    lines += ["-" + x for x in old] + ["+" + x for x in new]
    lines += [" return 0;"]
    return "\n".join(lines) + "\n"


def patch_body(message: str, code: str, sob: str = ALICE, extra_trailers: str = "") -> str:
    name, addr = email.utils.parseaddr(sob)
    return (f"{message}\n\n{extra_trailers}Signed-off-by: {name} <{addr}>\n---\n"
            f" drivers/foo/bar.c | 2 +-\n 1 file changed\n\n{code}-- \n2.42.0\n")


PATCHES = {
    "lock": ("foo: take the bar lock in bar_get()", "drivers/foo/bar.c",
             ["bar = NULL;"], ["spin_lock(&bar_lock);"]),
    "cache2a": ("foo: cache the bar lookups", "drivers/foo/cache.c",
                ["return lookup(key);"], ["return cache_lookup(key);"]),
    "cache2b": ("foo: cache the bar lookups", "drivers/foo/cache.c",
                ["return lookup(key);"], ["return cache_lookup(key) ?: lookup(key);"]),
    "cache2c": ("foo: cache the bar lookups", "drivers/foo/cache.c",
                ["return lookup(key);"], ["return cache_lookup(key) ?: slow_lookup(key);"]),
    "stats": ("foo: count bar cache hits", "drivers/foo/stats.c",
              ["hits = 0;"], ["atomic_inc(&hits);"]),
    "baz": ("foo: add the baz cache", "drivers/foo/baz.c",
            ["/* no baz */"], ["static struct cache baz_cache;"]),
}


def _patch(key: str, message: str | None = None) -> tuple[str, str]:
    title, path, old, new = PATCHES[key]
    return title, patch_body(message or f"Explain why {title.split(': ', 1)[1]}.", diff(path, old, new))


def _version(tag: str, version_word: str, title: str, keys: list[str], day: int, cover_extra: str = "",
             to: str = f"{LIST}, {ME}") -> list[Mail]:
    total = len(keys)
    stamp = f"{tag}"
    mails = [Mail(f"{stamp}-0@example.com", f"[PATCH{version_word} 0/{total}] {title}", ALICE,
                  BASE + day * 86400, f"This series reworks the bar cache.\n\n{cover_extra}"
                  f"---\nbase-commit: 0123456789abcdef\nchange-id: {CHANGE_ID}\n\nBest regards,\n"
                  "-- \nAlice Author <alice@example.com>\n", to=to)]
    for n, key in enumerate(keys, 1):
        subject, body = _patch(key)
        mails.append(Mail(f"{stamp}-{n}@example.com", f"[PATCH{version_word} {n}/{total}] {subject}",
                          ALICE, BASE + day * 86400 + n * 60, body, to=to,
                          in_reply_to=f"{stamp}-0@example.com"))
    return mails


def reply(message_id: str, parent: Mail, sender: str, text: str, minutes: int) -> Mail:
    quoted = "\n".join("> " + line for line in parent.body.split("\n")[:3])
    return Mail(message_id, "Re: " + parent.subject, sender, parent.date + minutes * 60,
                f"On some day, someone wrote:\n{quoted}\n\n{text}\n", in_reply_to=parent.message_id)


def chain_mails() -> list[Mail]:
    title = "foo: rework the bar cache"
    v1 = _version("v1", "", title, ["lock", "cache2a", "stats"], 0)
    v2 = _version("v2", " v2", title, ["lock", "cache2b", "stats"], 10,
                  "Changes in v2:\n- cache lookups fall back to lookup()\n"
                  "- Link to v1: https://lore.kernel.org/r/v1-0@example.com\n\n")
    v2r = _version("v2r", " RESEND v2", title, ["lock", "cache2b", "stats"], 20)
    v3 = _version("v3", " v3", title, ["lock", "cache2c", "stats"], 30,
                  "Changes in v3:\n- slow_lookup()\n\n")
    v4 = _version("v4", " v4", "foo: rework the bar and baz caches", ["lock", "baz", "cache2c"], 40,
                  "Changes in v4:\n- drop the stats patch, add baz\n\n")
    out = v1 + v2 + v2r + v3 + v4
    mine = reply("r1-me@example.org", v1[2], ME, "This leaks the cache entry on error; please fix.", 30)
    out += [mine,
            reply("r1-alice@example.com", Mail(mine.message_id, mine.subject, ME, mine.date, mine.body),
                  ALICE, "Right, fixed in v2.", 60),
            reply("r2-bob@example.net", v2[1], BOB, "Reviewed-by: Bob Builder <bob@example.net>", 30),
            reply("r2-me@example.org", v2[3], ME, "Reviewed-by: Rita Reviewer <reviewer@example.org>", 40)]
    return out


def single(tag: str, sender: str, title: str, day: int, to: str = LIST) -> Mail:
    name = title.split(": ", 1)[1].replace(" ", "_")
    body = patch_body(f"Explain {title}.", diff(f"drivers/{tag}.c", [f"old_{name}();"], [f"new_{name}();"]),
                      sob=sender)
    return Mail(f"{tag}@example.com", f"[PATCH] {title}", sender, BASE + day * 86400, body, to=to)


def status_mails() -> tuple[list[Mail], dict[str, str]]:
    """One single-patch series per status; returns the mails and {status: title}."""
    dave, erin, fred = ("Dave D <dave@example.com>", "Erin E <erin@example.com>", "Fred F <fred@example.com>")
    gina, hugo, ivan = ("Gina G <gina@example.com>", "Hugo H <hugo@example.com>", "Ivan I <ivan@example.com>")
    new = single("s-new", dave, "qux: tidy the qux table", 50)
    reviewed = single("s-rev", erin, "qux: fix a qux leak", 51, to=f"{LIST}, {ME}")
    changes = single("s-chg", fred, "qux: rename qux_get", 52, to=f"{LIST}, {ME}")
    answered = single("s-ans", gina, "qux: drop the qux lock", 53)
    applied = single("s-app", hugo, "qux: document qux", 54)
    discussed = single("s-dis", ivan, "qux: speed up qux", 55)
    needs = single("s-need", dave, "qux: add a qux test", 56, to=LIST)
    needs.cc = ME
    my_question = reply("s-ans-me@example.org", answered, ME, "Why is the lock not needed?", 10)
    mails = [new, reviewed, changes, answered, applied, discussed, needs,
             reply("s-rev-me@example.org", reviewed, ME, "Reviewed-by: Rita Reviewer <reviewer@example.org>", 10),
             reply("s-chg-me@example.org", changes, ME, "Please keep the old name for one release.", 10),
             my_question,
             reply("s-ans-gina@example.com", Mail(my_question.message_id, my_question.subject, ME,
                                                    my_question.date, my_question.body),
                   gina, "Because qux is per-cpu.", 20),
             reply("s-app-mona@example.com", applied, MAINT, "Applied to foo-next, thanks!", 10),
             reply("s-dis-bob@example.net", discussed, BOB, "Do you have numbers?", 10)]
    return mails, {
        "new": new.subject, "reviewed by me": reviewed.subject, "changes requested": changes.subject,
        "author replied": answered.subject, "applied": applied.subject, "discussed": discussed.subject,
        "needs my review": needs.subject,
    }


def write_maildir(mails: list[Mail], maildir: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    for n, mail in enumerate(mails):
        (maildir / "cur" / f"{BASE + n}.{n}.test:2,S").write_bytes(mail.render())


def index_v5(store) -> None:
    """Post a v5 of the chain's "foo" series into ``store`` (a new version arriving)."""
    root = Path(store.check())
    for n, mail in enumerate(_version("v5", " v5", "foo: rework the bar and baz caches", ["lock", "baz", "cache2c"], 60)):
        path = root / "cur" / f"v5-{n}:2,S"
        path.write_bytes(mail.render())
        store.index_file(path)
