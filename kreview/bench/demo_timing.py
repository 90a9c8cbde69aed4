"""python -m kreview.bench.demo_timing: `kreview --demo` in tmux, start to the
first screen and Enter to a shown thread (medians of --runs runs)."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from kreview.bench import tmux_e2e


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.demo_timing")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kreview = str(Path(sys.executable).with_name("kreview"))
    env = {k: os.environ[k] for k in ("HOME", "PATH") if k in os.environ}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    start, enter = [], []
    for run in range(args.runs):
        with tmux_e2e.TmuxSession(name=f"kdemo{run}") as tmux:
            began = tmux.start([kreview, "--demo"], env)
            seen, _ = tmux.wait_for(tmux_e2e.matches(r": \d+ threads"), 30)  # the list's status line
            start.append(seen - began)
            pressed = tmux.send_keys("Enter")
            seen, _ = tmux.wait_for(lambda s: "▕ Subject: " in s and "Loading" not in s, 30)
            enter.append(seen - pressed)
    for name, values in (("kreview --demo: start to first screen", start),
                         ("kreview --demo: Enter to a shown thread", enter)):
        print(f"{name:45s} median {statistics.median(values) * 1000:7.1f} ms  "
              f"min {min(values) * 1000:.1f}  max {max(values) * 1000:.1f}  n {len(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
