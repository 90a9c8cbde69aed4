"""run_editor: argv from $VISUAL/$EDITOR, no shell, never raises."""
from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

from kreview.core.editor import editor_argv, run_editor


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_visual_wins_over_editor_and_is_split_like_a_shell():
    env = {"VISUAL": "emacsclient -t --alternate-editor=''", "EDITOR": "nano"}
    assert editor_argv("/tmp/d", env) == ["emacsclient", "-t", "--alternate-editor=", "/tmp/d"]
    assert editor_argv("/tmp/d", {"EDITOR": "nano"}) == ["nano", "/tmp/d"]
    assert editor_argv("/tmp/d", {}) == ["vi", "/tmp/d"]


def test_editor_edits_the_file(tmp_path):
    editor = script(tmp_path, "ed.sh", 'printf "Reviewed-by: me\\n" >> "$1"\n')
    draft = tmp_path / "draft"
    draft.write_text("hello\n")
    result = run_editor(draft, {"EDITOR": str(editor), "PATH": os.environ["PATH"]})
    assert result.ok and result.returncode == 0 and result.signal is None
    assert draft.read_text() == "hello\nReviewed-by: me\n"


def test_nonzero_exit_and_signal_are_reported(tmp_path):
    draft = tmp_path / "draft"
    draft.write_text("x")
    failing = run_editor(draft, {"EDITOR": str(script(tmp_path, "fail.sh", "exit 1\n"))})
    assert (failing.ok, failing.returncode, failing.signal) == (False, 1, None)
    assert "status 1" in failing.describe()
    killed = run_editor(draft, {"EDITOR": str(script(tmp_path, "kill.sh", "kill -9 $$\n"))})
    assert (killed.ok, killed.returncode, killed.signal) == (False, None, signal.SIGKILL)
    assert "SIGKILL" in killed.describe()


def test_missing_or_unparseable_editor_is_an_error_not_an_exception(tmp_path):
    missing = run_editor(tmp_path / "d", {"EDITOR": str(tmp_path / "no-such-editor")})
    assert not missing.ok and "not found" in missing.error
    broken = run_editor(tmp_path / "d", {"EDITOR": "vim 'unbalanced"})
    assert not broken.ok and "cannot understand" in broken.error


def test_path_is_one_argument_never_shell_text(tmp_path):
    # A path with shell syntax must reach the editor as one argv word.
    editor = script(tmp_path, "args.sh", 'printf "%s\\n" "$#" "$1" > "$(dirname "$0")/args"\n')
    odd = tmp_path / "d; touch pwned $(touch pwned2)"
    odd.write_text("")
    assert run_editor(odd, {"EDITOR": str(editor)}).ok
    assert (tmp_path / "args").read_text() == f"1\n{odd}\n"
    assert not (tmp_path / "pwned").exists() and not Path("pwned2").exists()
