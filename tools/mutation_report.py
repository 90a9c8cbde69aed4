"""Print the kill ratio of the last `make mutate` run, per module and overall.

Reads the result files mutmut leaves in mutants/ (one ``<module>.py.meta``
JSON per mutated module) and sorts each mutant's exit code with mutmut's own
table. A mutant counts as killed when a test failed on it, or when it made
the tests hang (a timeout: the user would notice that too). "No tests" (no
fast test reaches the mutated function) and "survived" count against the
ratio; mutants never checked (an interrupted run) are shown apart and left
out of it.

    python tools/mutation_report.py [--survivors]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
NOT_COUNTED = {"not checked", "skipped", "check was interrupted by user"}


def module_results(mutants: Path) -> dict[str, dict[str, str]]:
    """{module path: {mutant name: status}} for every mutated module."""
    results = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = str(meta.relative_to(mutants))[: -len(".meta")]
        results[module] = {name: status_by_exit_code[code] for name, code in codes.items()}
    return results


def ratio_line(name: str, statuses: Counter) -> str:
    counted = sum(n for status, n in statuses.items() if status not in NOT_COUNTED)
    killed = sum(n for status, n in statuses.items() if status in KILLED)
    ratio = f"{100 * killed / counted:5.1f} %" if counted else "    - "
    rest = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items())
                     if status not in KILLED and n)
    return f"{name:<28} {ratio}  {killed:>5} / {counted:<5} {rest}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--survivors", action="store_true", help="also list each surviving mutant's name")
    args = parser.parse_args(argv)
    results = module_results(args.mutants)
    if not results:
        print(f"no mutation results under {args.mutants}/: run `make mutate` first", file=sys.stderr)
        return 1
    print(f"{'module':<28} {'killed':>7}  {'of':>13}  not killed")
    overall: Counter = Counter()
    for module, by_name in results.items():
        statuses = Counter(by_name.values())
        overall.update(statuses)
        print(ratio_line(module, statuses))
    print(ratio_line("overall", overall))
    if args.survivors:
        for by_name in results.values():
            for name, status in by_name.items():
                if status not in KILLED and status not in NOT_COUNTED:
                    print(f"  {status:<10} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
