"""kreview: a terminal mail-thread reader for Linux-kernel patch review."""

__version__ = "0.1.0"
