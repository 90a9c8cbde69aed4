"""A real public-inbox archive for the tests and the benchmark: an inbox made with
``public-inbox-init -V2`` in a temporary directory (its own PI_CONFIG and
HOME), filled from Maildirs through public-inbox's own importer, indexed with
``public-inbox-index`` (Xapian, so ``?q=`` search works) and served by
``public-inbox-httpd`` on 127.0.0.1.

The archive holds the sample mailbox (9 threads, a series in v4, v7 and v8)
and a generated 300-message review thread.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path


TOOLS = ("public-inbox-init", "public-inbox-index", "public-inbox-httpd")
INBOX = "test"
BIG_ROOT = "big-thread-000@kreview.test"
BIG_SIZE = 300

# public-inbox's documented importer (what its import_vger_from_mbox script
# uses), pointed at one Maildir.
_IMPORT = (
    "use PublicInbox::Config; use PublicInbox::InboxWritable;"
    "my $ibx = PublicInbox::Config->new->lookup_name($ARGV[0]) or die qq(no inbox $ARGV[0]\\n);"
    "PublicInbox::InboxWritable->new($ibx)->import_maildir($_) for @ARGV[1..$#ARGV];"
)


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def big_thread_id(index: int) -> str:
    return BIG_ROOT if index == 0 else f"big-thread-{index:03d}@kreview.test"


def write_big_thread(maildir: Path, size: int = BIG_SIZE) -> None:
    """A patch and ``size - 1`` review replies, each quoting its parent, in a
    tree (each reply answers an earlier message), as a kernel list has them."""
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    start = datetime(2021, 3, 1, 9, 0, tzinfo=timezone.utc).timestamp()
    people = ["Ann Reviewer <ann@example.org>", "Bo Maintainer <bo@example.org>",
              "Cy Tester <cy@example.org>", "Di Author <di@example.org>"]
    refs: dict[int, list[str]] = {0: []}
    for index in range(size):
        parent = None if index == 0 else (index - 1) // 2
        message_id = big_thread_id(index)
        date = format_datetime(datetime.fromtimestamp(start + 600 * index, timezone.utc))
        if parent is None:
            subject = "[PATCH] mm: teach the big thread to fold"
            body = ("The thread that fills from the archive.\n\nSigned-off-by: Di Author <di@example.org>\n"
                    "---\n mm/fold.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"
                    "diff --git a/mm/fold.c b/mm/fold.c\n--- a/mm/fold.c\n+++ b/mm/fold.c\n"
                    "@@ -1,3 +1,3 @@\n int fold(void)\n-{ return 0; }\n+{ return 1; }\n \n")
            thread_headers = ""
        else:
            refs[index] = refs[parent] + [big_thread_id(parent)]
            subject = "Re: [PATCH] mm: teach the big thread to fold"
            body = (f"On message {parent}, someone wrote:\n> From the archive, line one\n"
                    f"> and line two\n\nReply number {index}.\nFrom here on the body says From at line start.\n")
            thread_headers = (f"In-Reply-To: <{big_thread_id(parent)}>\n"
                              f"References: {' '.join(f'<{r}>' for r in refs[index])}\n")
        text = (f"From: {people[index % len(people)]}\nTo: linux-mm@kvack.org\n"
                f"Subject: {subject}\nDate: {date}\nMessage-ID: <{message_id}>\n{thread_headers}"
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body)
        (maildir / "cur" / f"{int(start) + index}.{index:06d}.big:2,S").write_text(text, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PublicInbox:
    """An inbox on disk and the environment its tools need."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(HOME=str(self.root / "home"), PI_CONFIG=str(self.root / "pi-config"), LC_ALL="C")
        return env

    @property
    def inbox_dir(self) -> Path:
        return self.root / "inbox"

    def create(self, maildirs: list[Path]) -> None:
        (self.root / "home").mkdir(parents=True, exist_ok=True)
        run = lambda *argv: subprocess.run(argv, env=self.env, check=True, capture_output=True)  # noqa: E731
        run("public-inbox-init", "-V2", "-L", "full", INBOX, str(self.inbox_dir),
            f"http://127.0.0.1/{INBOX}", "test@kreview.test")
        run("perl", "-e", _IMPORT, INBOX, *map(str, maildirs))
        run("public-inbox-index", str(self.inbox_dir))


class HttpServer:
    """``public-inbox-httpd`` serving one PublicInbox on 127.0.0.1."""

    def __init__(self, inbox: PublicInbox) -> None:
        self.inbox = inbox
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{INBOX}/"

    def start(self) -> "HttpServer":
        for _attempt in range(5):  # a free port can be taken between asking and binding
            self.port = _free_port()
            log = open(self.inbox.root / f"httpd-{self.port}.log", "wb")
            self.process = subprocess.Popen(
                ["public-inbox-httpd", "-W0", "-l", f"http://127.0.0.1:{self.port}"],
                env=self.inbox.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            if self._wait_ready():
                return self
            self.stop()
        raise RuntimeError(f"public-inbox-httpd did not start; see {self.inbox.root}/httpd-*.log")

    def _wait_ready(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.base_url + "_/text/help/", timeout=2) as response:
                    if response.status == 200:
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def build_archive(root: Path, sample: Path) -> PublicInbox:
    """The inbox the tests share: the sample plus the 300-message thread."""
    sample_copy = root / "sample"
    shutil.copytree(sample, sample_copy, ignore=shutil.ignore_patterns(".keep"))
    for sub in ("cur", "new", "tmp"):
        (sample_copy / sub).mkdir(exist_ok=True)
    big = root / "big"
    write_big_thread(big)
    inbox = PublicInbox(root / "pi")
    inbox.create([sample_copy, big])
    return inbox
