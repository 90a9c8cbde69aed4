"""Print pip constraints pinning each runtime dependency of pyproject.toml to
the lowest version its range allows (``name>=X`` -> ``name==X``), for
`make test-floor`: the floor of each range is installed and tested."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def floors(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        found = re.match(r"\s*([A-Za-z0-9_.-]+)\s*\[?[^>=<]*\]?\s*[^#]*?>=\s*([0-9][0-9A-Za-z.]*)", requirement)
        if found is None:
            raise SystemExit(f"{requirement!r} has no floor (>=): give it one")
        pins.append(f"{found.group(1)}=={found.group(2)}")
    return pins


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    print("\n".join(floors(root / "pyproject.toml")))
