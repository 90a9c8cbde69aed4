"""The layering contract, read from the source (imports inside functions
count too, so a lazy import cannot slip past it):

- kreview.core imports nothing of kreview outside kreview.core (no config,
  no paths, no tui, no cli): configuration is passed in;
- kreview.config and kreview.paths import only the core (never tui or cli);
- kreview.tui never imports kreview.cli; kreview.cli imports kreview.tui only
  to start the reader (``run_app``);
- nothing but the benchmark imports kreview.bench.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "kreview"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kreview_imports(path: Path, module: str) -> set[str]:
    """Every kreview module named by an import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "kreview" or name.startswith("kreview.")}


def _layer(module: str) -> str:
    """The layer a module belongs to; names from the package itself
    (``kreview.__version__``) belong to none."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and not parts[1].startswith("__") else ""


ALLOWED = {
    "core": {"core"},
    "config": {"core", "paths", "config"},
    "paths": {"paths"},
    "tui": {"core", "config", "paths", "tui"},
    "cli": {"core", "config", "paths", "cli"},
    "bench": {"core", "config", "paths", "tui", "cli", "bench"},
}
# The one crossing from the command line to the reader: starting it.
EXCEPTIONS = {("kreview.cli", "kreview.tui.app"), ("kreview.cli", "kreview.tui.app.run_app")}


def _violations(path: Path, module: str) -> list[str]:
    layer = _layer(module)
    if layer not in ALLOWED:
        return []
    bad = []
    for name in sorted(kreview_imports(path, module)):
        target = _layer(name)
        if target == "" or target in ALLOWED[layer]:
            continue
        if (module, name) in EXCEPTIONS:
            continue
        bad.append(f"{module} imports {name}")
    return bad


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_keeps_to_its_layer(path):
    assert _violations(path, _module_name(path)) == []


def test_the_checker_sees_a_core_module_importing_config(tmp_path):
    # A checker that saw nothing would pass every module: show it catches a
    # lazy import of the config inside a function, and a relative one.
    sneaky = tmp_path / "probe.py"
    sneaky.write_text("def f():\n    from kreview.config import Config\n    from .. import tui\n")
    assert _violations(sneaky, "kreview.core.probe") == [
        "kreview.core.probe imports kreview.config",
        "kreview.core.probe imports kreview.config.Config",
        "kreview.core.probe imports kreview.tui",
    ]
