"""The core never imports the terminal: each kreview.core module is imported
in a fresh interpreter and sys.modules is checked for textual and rich."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import kreview.core

CORE_MODULES = sorted(f"kreview.core.{m.name}" for m in pkgutil.iter_modules(kreview.core.__path__))


def test_core_has_modules():
    assert "kreview.core.store" in CORE_MODULES and "kreview.core.parse" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES + ["kreview.config", "kreview.paths"])
def test_core_module_imports_no_ui(module):
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"
