"""The domain: parsing, threads, diffs, trailers, drafts and the notmuch store.

Nothing under kreview.core imports textual or rich; the TUI and the CLI both
build on it, and tests/core/test_core_isolation.py keeps it that way.
"""
