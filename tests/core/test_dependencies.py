"""The versions installed are inside the ranges pyproject.toml declares (so
`make test` and `make test-floor` test what they claim to), and every
library kreview imports is declared."""
from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import REPO


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {Requirement(text).name.lower(): Requirement(text) for text in project["dependencies"]}


def test_installed_versions_are_inside_the_declared_ranges():
    outside = {name: version(name) for name, requirement in _declared().items()
               if not requirement.specifier.contains(version(name), prereleases=True)}
    assert outside == {}


def test_every_range_has_a_floor_and_the_floor_script_pins_it():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from floor_constraints import floors
    finally:
        sys.path.pop(0)
    pins = dict(pin.split("==") for pin in floors(REPO / "pyproject.toml"))
    for name, requirement in _declared().items():
        assert requirement.specifier.contains(pins[name]), f"{name}: floor {pins[name]} outside {requirement}"


def test_every_third_party_import_of_kreview_is_declared():
    imported = set()
    for path in (REPO / "kreview").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported
                   if name not in sys.stdlib_module_names and name not in ("kreview", "tests")}
    assert third_party - set(_declared()) == set()
