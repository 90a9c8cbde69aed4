"""Narrowing a notmuch query the user wrote, without changing what it says.

Two things to get right: notmuch takes "*" (everything) only alone, not
inside an expression ("(*) and x" matched 625 of 1,500 messages), and a
query whose parentheses or quotes do not close changes meaning once wrapped.
"""
from __future__ import annotations


def narrowed(query: str, clause: str) -> str | None:
    """``query`` and ``clause``; None when ``query`` cannot be wrapped (its
    parentheses or quotes do not close: notmuch says what is wrong with it)."""
    query = query.strip()
    if query in ("", "*"):
        return clause
    if not balanced(query):
        return None
    return f"({query}) and {clause}"


def balanced(query: str) -> bool:
    """Whether wrapping ``query`` in parentheses keeps it what it was: its
    own parentheses (outside quotes) close, and its quotes do."""
    depth, quoted = 0, False
    for char in query:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not quoted
