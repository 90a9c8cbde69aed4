"""The CLI over the hostile corpus (tests/hostile_mail.py), indexed into a real
temporary notmuch database: `show` (text and --json), `trailers` (text and
--json) and `reply` on every message. Each exits 0, prints every message with
its From, Subject, body and notes, counts the hostile series' trailers, and
puts no raw control byte on the terminal.

`show` and `trailers` run as real processes (one each, over the whole
corpus); `reply` runs in-process once per message and option set, and as a
real process for the cases that used to crash or crawl."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kreview.cli import main
from kreview.core.demo import DEMO_IDENTITY, build_database
from kreview.core.sanitize import clean
from tests.hostile_mail import SERIES, HostileCase, visible_fragments, write_hostile_maildir

# What must never reach a terminal raw: C0 controls but newline and tab, DEL
# and C1 controls (U+009B is a one-byte CSI), as characters or as bytes.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Bidi controls become visible in sanitize.clean as part of issue 11's "one
# rule for mail text on screen" (another change); until then the bidi test is
# an expected failure, and it is enforced as soon as clean() handles them.
BIDI_SANITISED = clean("\u202e") != "\u202e"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[Path, list[HostileCase]]:
    root = tmp_path_factory.mktemp("hostile-db")
    cases = write_hostile_maildir(root / "maildir")
    config = build_database(root / "maildir", root / "db", DEMO_IDENTITY)
    return config, cases


def _kreview(config: Path, *words: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NOTMUCH_CONFIG": str(config)}
    return subprocess.run([sys.executable, "-m", "kreview", *words, "--notmuch-config", str(config)],
                          capture_output=True, env=env, timeout=240)


def _text(result_bytes: bytes) -> str:
    text = result_bytes.decode("utf-8")  # strict: output is UTF-8
    found = sorted(set(_RAW_CONTROL.findall(text)))
    assert not found, f"raw control characters on the terminal: {found}"
    return text


@pytest.fixture(scope="module")
def shown_json(hostile_db) -> dict[str, dict]:
    config, _ = hostile_db
    result = _kreview(config, "show", "--json", "*")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    _text(result.stderr)
    out = _text(result.stdout)
    assert not _BIDI.search(out)  # JSON escapes them: the same data, harmless on a terminal
    return {m["message_id"]: m for m in json.loads(out)["messages"]}


def _shown_fields(message: dict) -> dict[str, str]:
    h = message["headers"]
    lines = "\n".join(line for block in message["blocks"] for line in block["lines"])
    return {
        "from": h["from"], "to": " ".join(h["to"]), "cc": " ".join(h["cc"]), "subject": h["subject"],
        "date": h["date"], "message_id": message["message_id"], "in_reply_to": h["in_reply_to"],
        "body": lines, "trailer": lines,
        "attachment": " ".join(a["filename"] for a in message["attachments"]),
    }


def test_show_json_shows_every_message_with_its_notes(hostile_db, shown_json) -> None:
    _, cases = hostile_db
    failures = []
    for case in cases:
        message = shown_json.get(case.message_id)
        if message is None:
            failures.append(f"{case.name}: not in show --json output")
            continue
        h = message["headers"]
        if not (h["from"] and h["subject"] and message["blocks"]):
            failures.append(f"{case.name}: blank (from={h['from']!r}, subject={h['subject']!r})")
        fields = _shown_fields(message)
        for field, literal in case.shows:
            for fragment in visible_fragments(literal):
                if fragment not in fields[field]:
                    failures.append(f"{case.name}: {field} lacks {fragment!r}")
        if case.expects_note and not message["notes"]:
            failures.append(f"{case.name}: something is broken and no note says so")
        if case.name.startswith("date-") and h["date_epoch"] != 0:
            failures.append(f"{case.name}: out-of-range date kept as {h['date_epoch']}")
    assert not failures, "\n".join(failures)


def test_show_text_prints_every_message(hostile_db) -> None:
    config, cases = hostile_db
    result = _kreview(config, "show", "*")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    _text(result.stderr)
    out = _text(result.stdout)
    for case in cases:
        subject = dict(case.shows).get("subject")
        if subject:
            for fragment in visible_fragments(subject)[:1]:
                assert fragment[:200] in out, case.name
    assert "[attachment: caf\u00e9-latin1.bin, application/octet-stream]" in out
    assert "[headers with 8-bit bytes that are not UTF-8, read as Latin-1: From, Subject, " in out


@pytest.fixture(scope="module")
def trailers_json(hostile_db) -> dict:
    config, _ = hostile_db
    result = _kreview(config, "trailers", "--json", "*")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    _text(result.stderr)
    return json.loads(_text(result.stdout))


def _hostile_series(trailers_json: dict) -> dict:
    (series,) = [s for s in trailers_json["series"] if s["subject"] == SERIES.title]
    assert series["cover"]["message_id"] == SERIES.cover_id
    assert [p["message_id"] for p in series["patches"]] == list(SERIES.patch_ids)
    return series


def test_trailers_json_counts_the_replies_that_used_to_be_blank(trailers_json) -> None:
    series = _hostile_series(trailers_json)
    for patch in series["patches"]:
        _acked, reviewed, tested = SERIES.counts[patch["index"]]
        assert (patch["counts"]["R"], patch["counts"]["T"]) == (reviewed, tested), patch["index"]
    origins = {t["message_id"] for p in series["patches"] for t in p["trailers"]}
    # the 8-bit-header reply, the NUL-charset reply, the year-99999 reply
    assert {"series-r1-8bit@hostile.example", "series-r2-nul@hostile.example",
            "series-r3-date@hostile.example"} <= origins


def test_trailers_json_counts_an_ack_whose_name_holds_escapes(trailers_json) -> None:
    series = _hostile_series(trailers_json)
    for patch in series["patches"]:
        assert patch["counts"]["A"] == SERIES.counts[patch["index"]][0], patch["index"]


def test_trailers_text_prints_no_raw_controls(hostile_db) -> None:
    config, _ = hostile_db
    result = _kreview(config, "trailers", "*")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    out = _text(result.stdout)
    assert f"{SERIES.title}  (v2, 3 patches" in out


def _reply(config: Path, capsysbinary, *words: str) -> tuple[int, bytes, bytes]:
    code = main(["reply", *words, "--notmuch-config", str(config)])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err


def test_reply_to_every_message(hostile_db, capsysbinary) -> None:
    config, cases = hostile_db
    failures = []
    for case in cases:
        for options in ([], ["--all", "--with", "acked-by"]):
            code, out, err = _reply(config, capsysbinary, case.query, *options)
            if code != 0:
                failures.append(f"{case.name} {options}: exit {code}: {err.decode(errors='replace')[-300:]}")
                continue
            head, _, body = out.partition(b"\n\n")
            try:
                head.decode("ascii")
                text = _text(body) + _text(err)
            except (UnicodeDecodeError, AssertionError) as exc:
                failures.append(f"{case.name} {options}: {exc}")
                continue
            if b"\nSubject: Re: " not in b"\n" + head or "wrote:\n" not in text:
                failures.append(f"{case.name} {options}: no reply subject or attribution")
            if "--with" in options and "Acked-by: Demo Reviewer <reviewer@example.org>" not in text:
                failures.append(f"{case.name} {options}: no trailer")
    assert not failures, "\n".join(failures)


def test_reply_cli_process_on_a_year_99999_date_and_20000_cc(hostile_db) -> None:
    config, _ = hostile_db
    result = _kreview(config, "reply", "id:date-year-99999@hostile.example")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert "\n\nMallory wrote:\n> Body of the message dated year-99999." in _text(result.stdout)

    result = _kreview(config, "reply", "--all", "id:thousands-of-cc@hostile.example")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    head = result.stdout.split(b"\n\n", 1)[0].decode("ascii")
    cc = re.search(r"^Cc: (.*?)\n(?!\s)", head + "\n", re.S | re.M).group(1)
    assert cc.count("@") == 20_001  # list@ and every user


def test_no_bidi_controls_reach_the_terminal(hostile_db, capsysbinary) -> None:
    if not BIDI_SANITISED:
        pytest.xfail("sanitize.clean passes bidi controls through (issue 11 part 1, another helper)")
    config, _ = hostile_db
    for words in (["show", "*"], ["reply", "id:bidi-controls@hostile.example"]):
        result = _kreview(config, *words)
        assert result.returncode == 0
        found = _BIDI.search(result.stdout.decode("utf-8"))
        assert found is None, (words, found and found.group())
