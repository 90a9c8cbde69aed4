"""``kreview show`` against the temporary notmuch database from conftest, with
two of the block fixtures indexed into it."""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from kreview.cli import show

FIXTURES = Path(__file__).parent / "fixtures" / "blocks"


@pytest.fixture
def indexed(store):
    for name in ("nested_quotes", "git_patch"):
        target = Path(store.mail_root) / "cur" / f"kreview-show-{name}:2,S"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"{name}.eml", target)
        store.index_file(target)
    return store


def _run(store, capsys, *words: str) -> str:
    parser = argparse.ArgumentParser()
    show.register(parser.add_subparsers())
    args = parser.parse_args(["show", *words])
    assert args.run(args, store) == 0
    return capsys.readouterr().out


def test_show_json(indexed, capsys) -> None:
    out = json.loads(_run(indexed, capsys, "id:20180914151203.GA7421@iweiny-DESK2.sc.intel.com", "--json"))
    (message,) = out["messages"]
    assert message["message_id"] == "20180914151203.GA7421@iweiny-DESK2.sc.intel.com"
    assert message["headers"]["from"] == "Ira Weiny <ira.weiny@intel.com>"
    assert message["thread_id"]
    expected = json.loads((FIXTURES / "nested_quotes.json").read_text(encoding="utf-8"))["blocks"]
    assert message["blocks"] == expected


def test_show_text_folds_quotes(indexed, capsys) -> None:
    out = _run(indexed, capsys, "id:20180914151203.GA7421@iweiny-DESK2.sc.intel.com")
    assert out.startswith("From: Ira Weiny <ira.weiny@intel.com>\n")
    assert "[… 8 quoted lines from Jane Doe]" in out
    assert "> line 7" not in out and "> line 12" in out


def test_show_no_match(indexed) -> None:
    parser = argparse.ArgumentParser()
    show.register(parser.add_subparsers())
    args = parser.parse_args(["show", "id:nothing-here@x"])
    with pytest.raises(ValueError):
        args.run(args, indexed)
