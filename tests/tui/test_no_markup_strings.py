"""A guard on the source: text built at run time (an f-string, a
concatenation, a cleaned string) never goes to a widget that reads a str as
markup. Such text goes through kreview.tui.mail_text (plain/plain_line) or
is a Rich Text; notifications are plain by KreviewApp.notify."""
from __future__ import annotations

import ast
from pathlib import Path

import kreview.tui

# Callables whose str argument Textual or Rich reads as markup.
MARKUP_READERS = {"Static", "Label", "update", "Option", "Hit", "DiscoveryHit", "add_row", "add_column"}
# Calls that build a str from parts (their result would be parsed too).
STR_BUILDERS = {"clean", "clean_line", "str", "format", "join"}


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _built_at_run_time(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    if isinstance(node, ast.BoolOp):
        return any(_built_at_run_time(value) for value in node.values)
    return isinstance(node, ast.Call) and _name(node.func) in STR_BUILDERS


def offending_calls(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in MARKUP_READERS:
            for arg in node.args:
                if _built_at_run_time(arg):
                    found.append((node.lineno, ast.unparse(node)[:100]))
    return found


def test_no_run_time_str_reaches_a_markup_reader():
    root = Path(kreview.tui.__file__).parent
    offences = {f"{path.relative_to(root)}:{line}": call
                for path in sorted(root.rglob("*.py"))
                for line, call in offending_calls(path.read_text())}
    assert offences == {}


def test_the_guard_sees_the_old_mistakes():
    old = '''
Static(clean(self.thread.subject) or "(no subject)", id="thread-title")
self.query_one("#status", Static).update(clean(text), layout=False)
table.add_row(f"[b]{title}[/b]", "", "")
yield Label(f"Tags for {self.label}")
'''
    assert len(offending_calls(old)) == 4
    assert offending_calls('Static(plain_line(subject))\nStatic("Query ")\nupdate(text, layout=False)') == []
