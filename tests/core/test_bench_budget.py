"""The budget check's judgement: over budget, worse than the baseline, or
not measured fails; noise under the floor does not."""
from __future__ import annotations

from kreview.bench.budget import budget_for, judge, load_baseline, save_baseline


def row(name, median, unit="s", error=""):
    return {"name": name, "unit": unit, "median": median, "values": [] if median is None else [median],
            "error": error}


def test_rows_get_the_budget_of_their_kind():
    assert budget_for("kreview start minus floor start, taken in turns (tmux)") == 0.050
    assert budget_for("tmux: Enter on 1000-message thread to tree + message") == 0.100
    assert budget_for("app (in-process): first paint of the 20034-line patch") == 0.100
    assert budget_for("app (in-process): PageDown in the big patch, key to repaint (keys 40 ms apart)") == 0.016
    assert budget_for("kreview RSS after opening those 3 threads (VmRSS)") == 80 * 1024
    assert budget_for("notmuch search --limit=50 '*' (process)") is None


def test_over_budget_fails_and_within_passes():
    report = {"figures": [row("tmux: Enter on 1000-message thread to tree + message", 0.101),
                          row("tmux: Enter on 177-message thread to tree + message", 0.099)]}
    over, within = judge(report, None)
    assert not over.ok and "over budget (100.0 ms)" in over.problems[0]
    assert within.ok


def test_a_regression_beyond_a_quarter_fails_even_within_budget():
    name = "notmuch search --limit=50 '*' (process)"
    assert not judge({"figures": [row(name, 0.126)]}, {name: 0.100})[0].ok
    assert judge({"figures": [row(name, 0.124)]}, {name: 0.100})[0].ok


def test_noise_under_the_floor_is_no_regression():
    name = "app (in-process): j in thread list, key to repaint (keys 40 ms apart)"
    assert judge({"figures": [row(name, 0.004)]}, {name: 0.002})[0].ok


def test_a_budgeted_row_that_was_not_measured_fails():
    verdict = judge({"figures": [row("kreview RSS after opening those 3 threads (VmRSS)", None, "KiB",
                                     "step not reached")]}, None)[0]
    assert not verdict.ok and "step not reached" in verdict.problems[0]


def test_baselines_are_kept_per_mailbox(tmp_path):
    path = tmp_path / "baseline.json"
    save_baseline(path, "generated-100000-1", {"figures": [row("a", 0.2), row("b", None)]})
    save_baseline(path, "/some/config", {"figures": [row("a", 0.3)]})
    assert load_baseline(path, "generated-100000-1") == {"a": 0.2}
    assert load_baseline(path, "/some/config") == {"a": 0.3}
    assert load_baseline(tmp_path / "none.json", "x") is None


def test_feature_rows_have_their_budgets():
    assert budget_for("app (in-process): c on the 20028-line patch, key to the comment box painted") == 0.100
    assert budget_for("app (in-process): ctrl+s in the comment box, key to the comment painted under its line") == 0.100
    assert budget_for("kreview am: export of the series thread (341 msgs)") == 0.500
    assert budget_for("palette: ctrl+p to saved searches listed") == 0.100
    assert budget_for("list: start to thread count shown in the status line") == 5.0
    assert budget_for("list: G to the last thread, painted") == 1.0
    # the reference row is not judged: it measures the machine
    assert budget_for("app (in-process): j in the same patch, key to repaint (reference: the machine's pace now)") is None


def test_a_partial_run_keeps_the_mailboxs_other_rows(tmp_path):
    path = tmp_path / "baseline.json"
    save_baseline(path, "m", {"figures": [row("a", 0.2), row("b", 0.3)]})
    save_baseline(path, "m", {"figures": [row("b", 0.4)]}, merge=True)
    assert load_baseline(path, "m") == {"a": 0.2, "b": 0.4}
    save_baseline(path, "m", {"figures": [row("b", 0.5)]})
    assert load_baseline(path, "m") == {"b": 0.5}


def test_only_picks_groups_by_name_or_description():
    from kreview.bench.__main__ import GROUPS, selected

    assert selected(None) == [name for name, _ in GROUPS]
    assert selected(["RSS"]) == ["session"]
    assert selected(["start"]) == ["start"]
    assert selected(["comment", "am"]) == ["am", "comment"]
    assert selected(["nothing like it"]) == []
