"""Benchmarks for kreview: a generated kernel-list mailbox, its notmuch index,
and the measurements run on it (``python -m kreview.bench``).

Nothing here is imported by kreview itself; the package only reads kreview's
public pieces (the Store, the CLI, the app) the way a user or a test would.
"""
