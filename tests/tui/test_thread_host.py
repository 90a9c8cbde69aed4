"""The thread screen's action mixins use only what ThreadHost declares (or
Textual's Screen gives, or another of the mixins defines), and ThreadScreen
provides every member ThreadHost declares."""
from __future__ import annotations

import ast
from pathlib import Path

from textual.screen import Screen

import kreview.tui as tui
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.screens.thread_host import ThreadHost

TUI = Path(tui.__file__).parent
MIXINS = {"archive.py": "ArchiveMixin", "exporting.py": "ExportMixin",
          "replying.py": "ReplyMixin", "reviewing.py": "ReviewMixin"}


def _class(path: Path, name: str) -> ast.ClassDef:
    return next(node for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.ClassDef) and node.name == name)


def _self_attributes(cls: ast.ClassDef, ctx=ast.Load) -> set[str]:
    return {node.attr for node in ast.walk(cls) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "self" and isinstance(node.ctx, ctx)}


def _own_members(cls: ast.ClassDef) -> set[str]:
    names = {node.name for node in cls.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {target.id for node in cls.body if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name)}
    names |= {node.target.id for node in cls.body if isinstance(node, ast.AnnAssign)}
    return names | _self_attributes(cls, ast.Store)


def declared() -> set[str]:
    """ThreadHost's attributes and methods."""
    return set(ThreadHost.__annotations__) | {name for name in vars(ThreadHost) if not name.startswith("_")}


def test_the_mixins_use_only_what_the_host_declares():
    classes = {name: _class(TUI / file, name) for file, name in MIXINS.items()}
    from_mixins = set().union(*(_own_members(cls) for cls in classes.values()))
    for name, cls in classes.items():
        undeclared = {attr for attr in _self_attributes(cls) - from_mixins - declared()
                      if not hasattr(Screen, attr)}
        assert not undeclared, f"{name} uses the screen's {sorted(undeclared)}: declare them in ThreadHost"


def test_the_thread_screen_provides_what_the_host_declares():
    screen = _class(TUI / "screens" / "thread.py", "ThreadScreen")
    provided = _own_members(screen) | {name for name in dir(ThreadScreen)}
    missing = declared() - provided
    assert not missing, f"ThreadScreen lacks {sorted(missing)} (declared in ThreadHost)"
