"""The speed budget, and the check that holds the benchmark to it.

``python -m kreview.bench --check`` (``make bench-check``) runs a short
benchmark and fails when a row is over its budget, or more than 25 % worse
than the stored baseline for the same mailbox (``--save-baseline`` stores
one). Budgets are per row, matched by the row's name, so a feature adds its
rows to the benchmark and its budget here.

A row with no budget and no baseline is printed, not judged. Rows measured
in milliseconds are compared on their medians: single keys on this shared
machine swing by tens of milliseconds.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

# Worse than the baseline by more than this fraction is a regression.
REGRESSION = 0.25
# Rows under this many seconds (or KiB) are too small for a 25 % rule to
# mean anything: 3 ms becoming 4 ms is noise, not a regression.
NOISE_FLOOR = {"s": 0.005, "KiB": 2048}

# (pattern over the row's name, budget in the row's unit, what the budget is)
BUDGETS: tuple[tuple[str, float, str], ...] = (
    (r"^kreview start minus floor start", 0.050, "first screen <= bare Textual app + 50 ms"),
    (r"Enter on \d+-message thread to tree \+ message", 0.100, "open a thread <= 100 ms"),
    (r"first paint of the \d+-line patch|open the \d+-line patch", 0.100, "open a patch <= 100 ms"),
    (r"Enter on series \(\d+ msgs\) to series panel", 0.100, "series panel <= 100 ms"),
    (r"series view", 0.100, "series view <= 100 ms"),
    (r"interdiff", 0.100, "interdiff <= 100 ms"),
    (r"comment mode|comment box painted|comment painted under its line", 0.100, "comment mode <= 100 ms"),
    (r"key to repaint \(keys 40 ms apart\)", 0.016, "key to repaint while scrolling <= 16 ms"),
    (r"kreview am: export", 0.500, "am export of the big series <= 0.5 s"),
    (r"palette: ctrl\+p", 0.100, "command palette open <= 100 ms"),
    (r"thread count shown", 5.0, "thread count shown <= 5 s after start"),
    (r"G to the last thread", 1.0, "G to the last thread <= 1 s"),
    (r"RSS", 80 * 1024, "resident memory <= 80 MiB"),
)


@dataclass(frozen=True)
class Verdict:
    name: str
    unit: str
    median: float | None
    budget: float | None
    baseline: float | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def budget_for(name: str) -> float | None:
    for pattern, limit, _ in BUDGETS:
        if re.search(pattern, name):
            return limit
    return None


def _shown(value: float, unit: str) -> str:
    return f"{value * 1000:.1f} ms" if unit == "s" else f"{value / 1024:.1f} MiB"


def judge(report: dict, baseline: dict[str, float] | None) -> list[Verdict]:
    """One verdict per row of ``report`` (the bench's --json report)."""
    verdicts = []
    for row in report["figures"]:
        name, unit, median = row["name"], row["unit"], row["median"]
        budget = budget_for(name)
        before = (baseline or {}).get(name)
        problems = []
        if median is None:
            if budget is not None or before is not None:
                problems.append(f"not measured: {row['error'] or 'no value'}")
        else:
            if budget is not None and median > budget:
                problems.append(f"over budget ({_shown(budget, unit)})")
            if (before is not None and median > before * (1 + REGRESSION)
                    and median - before > NOISE_FLOOR.get(unit, 0)):
                problems.append(f"{(median / before - 1) * 100:.0f} % worse than the baseline "
                                f"({_shown(before, unit)})")
        verdicts.append(Verdict(name, unit, median, budget, before, tuple(problems)))
    return verdicts


def print_verdicts(verdicts: list[Verdict], source: str) -> None:
    width = max(len(v.name) for v in verdicts)
    print(f"kreview bench-check: {source}")
    print(f"{'measurement':<{width}}  {'median':>10}  {'budget':>10}  {'baseline':>10}  verdict")
    for v in verdicts:
        median = _shown(v.median, v.unit) if v.median is not None else "-"
        budget = _shown(v.budget, v.unit) if v.budget is not None else ""
        before = _shown(v.baseline, v.unit) if v.baseline is not None else ""
        verdict = "ok" if v.ok else "FAIL: " + "; ".join(v.problems)
        if v.ok and v.budget is None and v.baseline is None:
            verdict = "-"
        print(f"{v.name:<{width}}  {median:>10}  {budget:>10}  {before:>10}  {verdict}")
    failed = [v for v in verdicts if not v.ok]
    print(f"{len(failed)} of {len(verdicts)} rows failed" if failed else "every row within its budget")


def load_baseline(path: Path, source_key: str) -> dict[str, float] | None:
    """The stored medians for this mailbox, or None when there are none."""
    if not path.exists():
        return None
    return json.loads(path.read_text()).get(source_key)


def save_baseline(path: Path, source_key: str, report: dict, merge: bool = False) -> None:
    """Store the report's medians for this mailbox (others' are kept); with
    ``merge``, the mailbox's rows not in the report are kept too."""
    stored = json.loads(path.read_text()) if path.exists() else {}
    rows = dict(stored.get(source_key, {})) if merge else {}
    rows.update({row["name"]: row["median"] for row in report["figures"] if row["median"] is not None})
    stored[source_key] = rows
    path.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
