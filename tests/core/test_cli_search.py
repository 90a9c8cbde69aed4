"""``kreview search QUERY``: the threads of the reader's list, for scripts.
Run through the real entry point on the sample database (tests/conftest.py).
It was listed among the subcommands from the start and crashed with
ModuleNotFoundError until it was built."""
from __future__ import annotations

import importlib
import json

import pytest

from kreview.cli import SUBCOMMANDS, main


@pytest.fixture
def run(notmuch_root, capsys):
    def run(*words: str) -> str:
        assert main(["search", "--notmuch-config", str(notmuch_root / "notmuch-config"), *words]) == 0
        return capsys.readouterr().out

    return run


def found(run, *words: str) -> list[dict]:
    return json.loads(run("--json", *words))["threads"]


def test_every_listed_subcommand_exists():
    for name in SUBCOMMANDS:
        assert callable(importlib.import_module(f"kreview.cli.{name}").register), name


def test_lists_every_thread_newest_first_with_its_facts(store, run):
    threads = found(run, "*")
    summaries = list(store.iter_threads("*"))
    assert [t["thread_id"] for t in threads] == [s.thread_id for s in summaries]
    assert [t["newest_date"] for t in threads] == sorted((t["newest_date"] for t in threads), reverse=True)
    v8 = next(t for t in threads if t["subject"].startswith("[PATCH v8 0/7]"))
    assert v8["authors"][0] == "Dan Williams" and "Michal Hocko" in v8["authors"]
    assert len(v8["authors"]) == len(set(v8["authors"]))
    assert v8["matched"] == v8["total"] == store.count_messages(f"thread:{v8['thread_id']}")
    assert v8["oldest_date"] < v8["newest_date"]
    assert "counts" not in v8  # counting reads files: only when asked


def test_counts_are_the_series_people_and_none_for_a_discussion(run):
    threads = {t["subject"]: t for t in found(run, "--counts", "*")}
    v8 = next(t for s, t in threads.items() if s.startswith("[PATCH v8 0/7]"))
    assert v8["counts"] == {"A": 1, "R": 4, "T": 2}  # Michal's ack; four reviewers; two testers
    invitation = next(t for s, t in threads.items() if s.startswith("Invitation:"))
    assert invitation["counts"] is None


def test_matched_counts_only_the_messages_the_query_finds(store, run):
    v8 = next(t for t in found(run, "*") if t["subject"].startswith("[PATCH v8 0/7]"))
    (narrowed,) = found(run, f"thread:{v8['thread_id']} and from:hocko")
    assert narrowed["thread_id"] == v8["thread_id"]
    assert 0 < narrowed["matched"] < narrowed["total"] == v8["total"]


def test_limit_and_oldest_first(run):
    every = found(run, "*")
    assert found(run, "--limit", "2", "*") == every[:2]
    oldest = found(run, "--oldest-first", "*")
    assert [t["thread_id"] for t in oldest] == [t["thread_id"] for t in sorted(every, key=lambda t: t["oldest_date"])]


def test_a_muted_thread_is_left_out_unless_asked_for(store, run):
    muted = found(run, "*")[0]
    store.change_tags([n.message_id for n in store.messages(f"thread:{muted['thread_id']}")][:1], ["muted"], [])
    assert muted["thread_id"] not in [t["thread_id"] for t in found(run, "*")]
    assert [t["thread_id"] for t in found(run, "tag:muted")] == [muted["thread_id"]]


def test_text_is_one_line_a_thread_with_escapes_made_visible(run):
    lines = run("--counts", "*").splitlines()
    assert all(line.startswith("thread:") for line in lines)
    urgent = next(line for line in lines if "URGENT" in line)
    assert "\x1b" not in urgent and "␛[31m[URGENT]␛[0m" in urgent
    (v8,) = [t for t in found(run, "*") if t["subject"].startswith("[PATCH v8 0/7]")]
    (line,) = [line for line in lines if line.startswith(f"thread:{v8['thread_id']} ")]
    assert f"[{v8['matched']}/{v8['total']}] A:1 R:4 T:2 Dan Williams, " in line
    assert line.endswith(f"; {v8['subject']} ({' '.join(v8['tags'])})")


def test_a_bad_limit_is_refused_with_a_reason(notmuch_root, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["search", "--limit", "0", "*"])
    assert exited.value.code == 2 and "must be 1 or more" in capsys.readouterr().err
