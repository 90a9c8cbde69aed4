"""The CLI never writes a control sequence from mail to the terminal:
`trailers` text (Message-IDs included), `show` text and --json, `reply` on a
terminal, and error messages."""
from __future__ import annotations

import io
import json

import pytest

from kreview.cli import main
from kreview.cli.output import draft_for_terminal, json_text

ESC = "\x1b]0;pwned\x07\x1b[2J"
C1 = "\x9b2J"
BIDI = "\u202e"
REPLY_ID = f"reply{ESC}{C1}{BIDI}@evil.example"


def _mail(message_id: str, subject: str, body: str, parent: str | None = None) -> bytes:
    lines = [
        "From: Eve <eve@evil.example>", "To: list@evil.example", f"Subject: {subject}",
        "Date: Tue, 14 Nov 2023 22:13:20 +0000", f"Message-ID: <{message_id}>",
    ]
    if parent:
        lines += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\n".join(lines) + "\n\n" + body).encode("utf-8")


@pytest.fixture
def cli(store, notmuch_root):
    mails = [
        ("p1@evil.example", f"[PATCH 1/1] fix [/dev/null]{ESC}{BIDI}",
         f"Commit {ESC}{C1}{BIDI}\n\nSigned-off-by: Eve <eve@evil.example>\n---\n"
         "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n", None),
        (REPLY_ID, f"Re: [PATCH 1/1] fix{ESC}",
         f"> Commit\n\nReviewed-by: Rev{BIDI}iewer <rev@evil.example>\n", "p1@evil.example"),
    ]
    for n, (message_id, subject, body, parent) in enumerate(mails):
        path = notmuch_root / "mail" / "cur" / f"evil-{n}:2,S"
        path.write_bytes(_mail(message_id, subject, body, parent))
        store.index_file(path, ("evil",))
    config = str(notmuch_root / "notmuch-config")

    def run(*argv: str) -> int:
        return main([argv[0], "--notmuch-config", config, *argv[1:]])

    return run


def raw_controls(text: str) -> list[str]:
    # Our own reckoning, not sanitize's table (which is under test).
    from tests.tui.screen_text import raw_controls as found

    return found(text)


def test_trailers_text_shows_message_ids_made_visible(cli, capsys):
    assert cli("trailers", "tag:evil") == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    assert "Reviewed-by: Rev\\u202eiewer <rev@evil.example>" in out
    assert "<reply␛]0;pwned␇␛[2J\\x9b2J\\u202e@evil.example>" in out


def test_trailers_json_keeps_exact_ids_without_raw_controls(cli, capsys):
    assert cli("trailers", "--json", "tag:evil") == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    assert REPLY_ID in _strings(json.loads(out))


def _strings(data) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_strings(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_strings(v) for v in data)) if data else set()
    return {data} if isinstance(data, str) else set()


def test_show_text_and_json(cli, capsys):
    assert cli("show", "tag:evil") == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    assert "Commit ␛]0;pwned␇␛[2J\\x9b2J\\u202e" in out
    assert cli("show", "--json", "tag:evil") == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    ids = [m["message_id"] for m in json.loads(out)["messages"]]
    assert REPLY_ID in ids  # exact for a program: escapes, not substitutes


def test_json_text_escapes_only_what_clean_changes():
    data = {"a": f"café {ESC}{C1}{BIDI}\U000e0041 \u200d"}
    text = json_text(data)
    assert raw_controls(text) == []
    assert "café" in text and "\u200d" in text  # readable non-ASCII stays
    assert "\\udb40\\udc41" in text  # an astral tag character as a surrogate pair
    assert json.loads(text) == data


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Pipe(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def test_reply_draft_is_visible_on_a_terminal_and_exact_in_a_pipe():
    draft = f"Subject: Re: fix{ESC}\n\n> Commit {C1}{BIDI}\n".encode()
    terminal = _Terminal()
    draft_for_terminal(draft, terminal)
    assert raw_controls(terminal.getvalue()) == []
    assert "Re: fix␛]0;pwned␇␛[2J" in terminal.getvalue()
    pipe = _Pipe(io.BytesIO(), encoding="utf-8")
    draft_for_terminal(draft, pipe)
    assert pipe.buffer.getvalue() == draft


def test_reply_command_on_a_hostile_message(cli, capsys):
    assert cli("reply", "id:p1@evil.example") == 0  # captured: not a terminal, exact bytes
    assert capsys.readouterr().out


def test_errors_quoting_mail_or_paths_are_cleaned(capsys, tmp_path):
    assert main(["show", "--notmuch-config", str(tmp_path / f"no{ESC}{BIDI}"), "*"]) == 2
    err = capsys.readouterr().err
    assert raw_controls(err) == [] and "no␛]0;pwned␇␛[2J\\u202e" in err
