"""Fetching from a real public-inbox server (public-inbox-httpd on 127.0.0.1,
tests/public_inbox.py) into a real notmuch database that holds only part of
the archive's threads."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kreview.core.archive import (
    ArchiveClient,
    ArchiveUnavailable,
    NotInArchive,
    RetryPolicy,
    split_mboxrd,
)
from kreview.core.fetching import (
    Delivery,
    file_stem,
    delivery_tags,
    fetch_search,
    fetch_thread,
    looks_like_message_id,
    message_id_of,
    newer_versions_query,
)
from tests.public_inbox import BIG_ROOT, BIG_SIZE, HttpServer, big_thread_id
from tests.core.helpers import V4_COVER, drop, thread_ids

REPO = Path(__file__).resolve().parents[2]
FAST = RetryPolicy(attempts=2, backoff=0.01, timeout=10)


def client_for(server, **kwargs) -> ArchiveClient:
    return ArchiveClient((server.base_url,), retry=FAST, **kwargs)


def how(store, **kwargs) -> Delivery:
    return Delivery(tags=delivery_tags(store.settings.new_tags), **kwargs)


def lore_files(store) -> list[Path]:
    folder = Path(store.mail_root) / "lore"
    return sorted(p for sub in ("new", "cur") for p in (folder / sub).glob("*")) if folder.exists() else []


# -- the client alone ---------------------------------------------------------

def test_split_mboxrd_unescapes_from_lines_and_drops_separators():
    mbox = (b"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <a@x>\n\nbody\n>From me\n>>From you\n\n"
            b"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <b@x>\n\nlast\n\n")
    assert split_mboxrd(mbox) == [b"Message-ID: <a@x>\n\nbody\nFrom me\n>From you\n",
                                  b"Message-ID: <b@x>\n\nlast\n"]


def test_message_id_and_target_kind():
    assert message_id_of(b"Subject: x\nMessage-Id:\n <abc@def>\n\nMessage-ID: <no@body>\n") == "abc@def"
    assert message_id_of(b"Subject: no id\n\nMessage-ID: <in@body>\n") is None
    assert all(looks_like_message_id(t) for t in ("a@b", "<a.b@c.d>", "id:a@b"))
    assert not any(looks_like_message_id(t) for t in ("f:dan@intel.com", 's:"hmm" AND f:a@b', "hmm"))


def test_thread_raw_and_search_from_the_server(archive_server):
    client = client_for(archive_server)
    thread = client.thread(f"<{BIG_ROOT}>")
    assert len(thread.messages) == BIG_SIZE and client.requests_made == 1
    # mboxrd: a body line starting "From " reaches us as it was written.
    assert b"\nFrom here on the body says From" in thread.messages[1]
    (raw,) = client.message(big_thread_id(7)).messages
    assert message_id_of(raw) == big_thread_id(7)
    found = client.search('s:"hmm" AND f:dan.j.williams@intel.com')
    assert found.messages and all(b"dan.j.williams@intel.com" in m for m in found.messages)
    assert client.search("s:nothing-is-called-this").messages == ()


def test_servers_are_tried_in_order_only_as_far_as_needed(archive_server, public_inbox):
    stopped = HttpServer(public_inbox).start()
    stopped.stop()
    missing = archive_server.base_url.replace("/test/", "/no-such-inbox/")
    client = ArchiveClient((stopped.base_url, missing, archive_server.base_url), retry=FAST)
    assert len(client.thread(V4_COVER).messages) == 18
    # one refused attempt (refused is not retried), one 404, one answer
    assert client.requests_made == 3


def test_a_stopped_server_gives_a_clear_message(public_inbox):
    server = HttpServer(public_inbox).start()
    server.stop()
    with pytest.raises(ArchiveUnavailable, match=r"refused the connection \(is the server running\?\)"):
        client_for(server).thread(BIG_ROOT)


def test_unknown_message_is_not_in_archive(archive_server):
    with pytest.raises(NotInArchive, match="not in the archive"):
        client_for(archive_server).thread("nobody-wrote-this@kreview.test")


def test_raw_comes_gzipped_when_accepted(archive_server):
    import urllib.request

    request = urllib.request.Request(archive_server.base_url + f"{BIG_ROOT}/raw", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert b"Message-ID: <big-thread-000" in gzip.decompress(response.read())


def test_cancel_stops_before_asking(archive_server):
    client = client_for(archive_server, cancelled=lambda: True)
    from kreview.core.archive import FetchCancelled

    with pytest.raises(FetchCancelled):
        client.thread(BIG_ROOT)
    assert client.requests_made == 0


# -- delivery into notmuch ----------------------------------------------------------

def test_fetch_completes_a_thread_without_duplicates(store, archive_server):
    before = thread_ids(store, V4_COVER)
    gone = [before[2], before[5], before[-1]]
    drop(store, gone)
    assert len(thread_ids(store, V4_COVER)) == len(before) - 3

    report = fetch_thread(store, client_for(archive_server), [V4_COVER], how(store))
    assert sorted(report.added) == sorted(gone)
    assert len(report.skipped) == len(before) - 3
    after = thread_ids(store, V4_COVER)
    assert sorted(after) == sorted(before) and len(set(after)) == len(after)
    tags = store.message_tags(gone)
    assert all({"lore", "inbox", "unread"} <= tags[m] for m in gone)
    assert len(lore_files(store)) == 3

    again = fetch_thread(store, client_for(archive_server), [V4_COVER], how(store))
    assert again.added == () and len(again.skipped) == len(before)
    assert len(lore_files(store)) == 3


def test_fill_a_300_message_thread_from_its_root(store, archive_server, public_inbox):
    root_file = next((public_inbox.root.parent / "big" / "cur").glob("*.000000.big*"))
    from kreview.core.drafts import deliver, maildir

    store.index_file(deliver(maildir(store, "INBOX"), root_file.read_bytes(), "S"), ["inbox"])
    report = fetch_thread(store, client_for(archive_server), [BIG_ROOT], how(store))
    assert len(report.added) == BIG_SIZE - 1 and report.skipped == (BIG_ROOT,)
    assert len(report.thread_ids) == 1
    assert store.count_messages(f"thread:{report.thread_ids[0]}") == BIG_SIZE
    assert fetch_thread(store, client_for(archive_server), [BIG_ROOT], how(store)).added == ()
    assert len(lore_files(store)) == BIG_SIZE - 1


def test_dry_run_writes_nothing(store, archive_server):
    drop(store, [V4_COVER])
    report = fetch_thread(store, client_for(archive_server), [V4_COVER], how(store, dry_run=True))
    assert report.added == (V4_COVER,) and report.dry_run
    assert lore_files(store) == [] and store.known_message_ids([V4_COVER]) == set()


def test_newer_version_found_by_search(store, archive_server):
    v8 = [n for n in store.messages('subject:"PATCH v8"')]
    v8_ids = {n.message_id for n in v8}
    drop(store, sorted(v8_ids))
    v7_cover = store.messages('subject:"PATCH v7 0/7"')[0]  # oldest first: the cover, not a reply
    query = newer_versions_query("mm: Merge hmm into devm_memremap_pages, mark GPL-only",
                                 "dan.j.williams@intel.com", v7_cover.date)
    report = fetch_search(store, client_for(archive_server), query, how(store))
    assert v8_ids <= set(report.added)
    assert store.count_messages('subject:"PATCH v8"') == len(v8)


# -- the command, killed and rerun -------------------------------------------------

def kreview(config: Path, *argv: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, NOTMUCH_CONFIG=str(config))
    return subprocess.Popen([sys.executable, "-m", "kreview", "fetch", *argv, "--notmuch-config", str(config)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.002)


def check_consistent(store, archived: dict[str, bytes]) -> list[str]:
    """Every file in lore/ is whole (the archive's bytes) and named for its
    Message-ID; every indexed lore message has its file; no Message-ID has two
    files. Returns the indexed ids."""
    ids = Counter()
    for path in lore_files(store):
        message_id = message_id_of(path.read_bytes())
        assert message_id is not None and path.name.startswith(file_stem(message_id)), path
        assert path.read_bytes() == archived[message_id], f"{path} is not whole"
        ids[message_id] += 1
    assert max(ids.values(), default=1) == 1
    indexed = [n for n in store.messages("tag:lore")]
    assert all(Path(n.path).exists() for n in indexed)
    assert {n.message_id for n in indexed} <= set(ids)
    return [n.message_id for n in indexed]


def test_killed_fetch_leaves_a_consistent_maildir_and_a_rerun_completes_it(store, archive_server, notmuch_root):
    config = notmuch_root / "notmuch-config"
    lore = Path(store.mail_root) / "lore"
    url = archive_server.base_url
    archived = {message_id_of(raw): raw for raw in client_for(archive_server).thread(BIG_ROOT).messages}

    # Killed while writing the first batch of files.
    first = kreview(config, BIG_ROOT, "--server", url)
    wait_for(lambda: (lore / "new").exists() and any((lore / "new").iterdir()))
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert len(check_consistent(store, archived)) < BIG_SIZE

    # Killed once some messages are indexed (later batches not yet).
    second = kreview(config, BIG_ROOT, "--server", url)
    wait_for(lambda: second.poll() is not None or store.count_messages("tag:lore") > 0)
    second.send_signal(signal.SIGKILL)
    second.wait()
    partial = check_consistent(store, archived)
    assert len(partial) < BIG_SIZE

    third = kreview(config, BIG_ROOT, "--server", url, "--json")
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    report = json.loads(out)
    assert len(report["added"]) + len(partial) == BIG_SIZE
    assert sorted(check_consistent(store, archived)) == sorted(big_thread_id(i) for i in range(BIG_SIZE))
    assert not list((lore / "tmp").iterdir())
    assert fetch_thread(store, client_for(archive_server), [BIG_ROOT], how(store)).added == ()


def test_cli_says_clearly_when_the_server_is_down(store, notmuch_root, public_inbox):
    server = HttpServer(public_inbox).start()
    server.stop()
    done = kreview(notmuch_root / "notmuch-config", BIG_ROOT, "--server", server.base_url)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2
    assert b"refused the connection (is the server running?)" in err and b"Traceback" not in err


# -- retries and timeouts (a stdlib server on 127.0.0.1 that misbehaves on purpose) --

class _Busy:
    """An HTTP server that answers 503 (Retry-After: 0) ``busy`` times, then a thread mbox."""

    def __init__(self, busy: int) -> None:
        import http.server
        import threading

        outer = self
        self.hits = 0
        body = gzip.compress(b"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <busy@x>\n\nhello\n\n")

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                outer.hits += 1
                if outer.hits <= busy:
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/inbox/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_busy_server_is_retried_with_backoff():
    busy = _Busy(busy=2)
    try:
        said = []
        client = ArchiveClient((busy.url,), retry=RetryPolicy(attempts=3, backoff=0.01), progress=said.append)
        assert [message_id_of(m) for m in client.thread("busy@x").messages] == ["busy@x"]
        assert busy.hits == 3 and sum("503" in s and "retrying" in s for s in said) == 2
    finally:
        busy.close()
    busier = _Busy(busy=5)
    try:
        with pytest.raises(ArchiveUnavailable, match=r"HTTP 503 .*\(tried 3 times\)"):
            ArchiveClient((busier.url,), retry=RetryPolicy(attempts=3, backoff=0.01)).thread("busy@x")
    finally:
        busier.close()


def test_a_server_that_never_answers_times_out_clearly():
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        client = ArchiveClient((f"http://127.0.0.1:{silent.getsockname()[1]}/x/",),
                               retry=RetryPolicy(attempts=1, timeout=0.3))
        with pytest.raises(ArchiveUnavailable, match="did not answer in time"):
            client.thread("a@b")
    finally:
        silent.close()


# -- the command in process: the --json contract, a query, --dry-run ---------------

def run_cli(store, capsys, *words: str):
    from kreview.cli import main

    config = store.config_path
    code = main(["fetch", *words, "--notmuch-config", str(config)])
    return code, capsys.readouterr()


def test_cli_query_dry_run_json_names_what_would_come(store, archive_server, capsys):
    v8 = sorted(n.message_id for n in store.messages('subject:"PATCH v8"'))
    drop(store, v8)
    code, out = run_cli(store, capsys, 's:"v8" AND f:dan.j.williams@intel.com', "--server", archive_server.base_url,
                        "--dry-run", "--json")
    assert code == 0, out.err
    report = json.loads(out.out)
    assert set(report) >= {"server", "request", "received", "dry_run", "folder", "added", "skipped",
                           "without_message_id", "threads"}
    assert report["dry_run"] is True and report["server"] == archive_server.base_url
    assert report["request"].startswith("search ") and sorted(report["added"]) == v8
    assert report["received"] == len(report["added"]) + len(report["skipped"])
    assert lore_files(store) == []

    code, out = run_cli(store, capsys, f"<{v8[0]}>", "--server", archive_server.base_url)
    assert code == 0 and f"added {len(v8)} messages" in out.out
    assert store.known_message_ids(v8) == set(v8)


def test_cli_unknown_message_is_an_error_line(store, archive_server, capsys):
    code, out = run_cli(store, capsys, "nobody@kreview.test", "--server", archive_server.base_url)
    assert code == 2 and "is not in the archive" in out.err and "Traceback" not in out.err
