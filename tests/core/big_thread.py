"""One big discussion thread (600 messages) written as Maildir files for a real
notmuch database: long enough that the reader shows it in two steps
(kreview.core.store: FIRST_NODES, TWO_STEPS_FROM).

Shape: a root, and each message i answers message i-1, except every 7th,
which answers message i // 2: long chains with branches at many depths, so
the guide lines of the first nodes depend on replies read later. Everything
is read except UNREAD (deep in the tree: the thread opens there). The last
message answers a message the database never got (a placeholder in the tree),
its References naming the root."""
from __future__ import annotations

import email.utils
from pathlib import Path

SIZE = 600
UNREAD = (300, 301, 450)
BASE = 1_700_000_000
ROOT_ID = "big-0@example.com"
MISSING_PARENT = "never-arrived@example.com"


def _parent(i: int) -> int:
    return i // 2 if i % 7 == 0 else i - 1


def message_id(i: int) -> str:
    return f"big-{i}@example.com"


def _render(i: int) -> bytes:
    head = [f"From: Person {i % 13} <p{i % 13}@example.com>", "To: list@example.org",
            f"Subject: {'' if i == 0 else 'Re: '}[RFC] big: a long discussion",
            f"Date: {email.utils.formatdate(BASE + i * 60)}", f"Message-ID: <{message_id(i)}>"]
    if i == SIZE - 1:
        head += [f"In-Reply-To: <{MISSING_PARENT}>", f"References: <{ROOT_ID}> <{MISSING_PARENT}>"]
    elif i:
        parent = message_id(_parent(i))
        head += [f"In-Reply-To: <{parent}>", f"References: <{ROOT_ID}> <{parent}>"]
    return ("\n".join(head) + f"\n\nMessage {i} of the long discussion.\n").encode()


def write_maildir(maildir: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    for i in range(SIZE):
        flags = "" if i in UNREAD else "S"
        (maildir / "cur" / f"{BASE + i}.{i}.test:2,{flags}").write_bytes(_render(i))
