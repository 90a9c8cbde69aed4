"""How long quotes fold: the one definition of the defaults.

Its own small module so that kreview.config can take its defaults from here
without importing the reading path (store, parsers) at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Folding:
    """Quoted blocks longer than ``threshold`` lines fold, keeping a head and a tail."""

    threshold: int = 12
    keep_head: int = 3
    keep_tail: int = 2

    @property
    def keep(self) -> dict[str, int]:
        return {"keep_head": self.keep_head, "keep_tail": self.keep_tail}
