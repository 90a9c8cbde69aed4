"""Review comments on a message's lines, and the review files that keep them.

A comment is anchored twice: by the body line it sits under (what the pane
and the reply builder use) and by what a reviewer would call the line: the
file, the side ("new" for added and context lines, "old" for removed ones)
and the line number as the hunk headers count it; ``file`` None names a line
of the commit message (or any line outside a hunk) by its line number in the
body, counted from 1. The second form is the JSON that ``kreview review
--comments FILE`` reads::

    [{"file": "mm/hmm.c", "line": 123, "side": "new", "end_line": null, "text": "..."}]

A *review* is the comments on one message, kept in a JSON file of its own
(one per message, named by a hash of the Message-ID) in a directory the
caller names. Every change is written at once, to a temporary file renamed
over the old one, so a crash or a kill -9 at any moment leaves either the
old review or the new one, never half of either; the comment being typed is
kept too (``pending``). Sending or discarding the review deletes its file.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from kreview.core.durable import fsync_dir
from kreview.core.patch_index import SIDES, PatchIndex

__all__ = ["Comment", "Review", "ReviewStore", "comments_from_json", "comment_to_json", "new_comment"]

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Comment:
    body_line: int  # first commented body line (see patch_index)
    end_body_line: int  # last one (== body_line for one line)
    text: str
    file: str | None = None
    side: str = "new"
    line: int = 0
    end_line: int | None = None
    id: str = field(default_factory=lambda: secrets.token_hex(4))

    @property
    def lines(self) -> range:
        return range(self.body_line, self.end_body_line + 1)


def new_comment(index: PatchIndex, first: int, last: int, text: str, id: str | None = None) -> Comment:
    """A comment on body lines ``first``..``last`` (either order), anchored."""
    first, last = min(first, last), max(first, last)
    file, side, line = index.anchor_of(first)
    end_line = None
    if last != first:
        end_file, end_side, end = index.anchor_of(last)
        end_line = end if (end_file, end_side) == (file, side) else None
    extra = {"id": id} if id else {}
    return Comment(first, last, text, file, side, line, end_line, **extra)


def moved(index: PatchIndex, comment: Comment, delta: int) -> Comment:
    """``comment`` moved ``delta`` lines down (up when negative), range kept."""
    size = comment.end_body_line - comment.body_line
    first = max(0, min(len(index) - 1 - size, comment.body_line + delta))
    return new_comment(index, first, first + size, comment.text, comment.id)


def comment_to_json(comment: Comment) -> dict[str, Any]:
    """The issue's JSON shape, plus the body lines (fields are only added)."""
    return {"file": comment.file, "line": comment.line, "side": comment.side,
            "end_line": comment.end_line, "text": comment.text,
            "body_line": comment.body_line, "end_body_line": comment.end_body_line, "id": comment.id}


def comments_from_json(items: Any, index: PatchIndex) -> list[Comment]:
    """Comments from the JSON list, each resolved against ``index``.

    Raises ValueError naming the item and what is wrong with it: an unknown
    file, a line no hunk shows, a missing field.
    """
    if not isinstance(items, list):
        raise ValueError("the comments file must hold a JSON list of comments")
    out = []
    for number, item in enumerate(items, 1):
        where = f"comment {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: not a JSON object")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: \"text\" must be a non-empty string")
        file = item.get("file")
        if file is not None and not isinstance(file, str):
            raise ValueError(f"{where}: \"file\" must be a path or null")
        side = item.get("side", "new")
        if side not in SIDES:
            raise ValueError(f"{where}: \"side\" must be \"new\" or \"old\", not {side!r}")
        line, end_line = item.get("line"), item.get("end_line")
        if not isinstance(line, int) or isinstance(line, bool):
            raise ValueError(f"{where}: \"line\" must be a line number")
        if end_line is not None and (not isinstance(end_line, int) or isinstance(end_line, bool) or end_line < line):
            raise ValueError(f"{where}: \"end_line\" must be null or a line number >= \"line\"")
        try:
            first = index.body_line_of(file, side, line)
            last = index.body_line_of(file, side, end_line) if end_line is not None else first
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        out.append(Comment(first, last, text.rstrip("\n"), file, side, line, end_line))
    return out


@dataclass(frozen=True)
class Review:
    """The comments on one message, and what was being typed."""

    message_id: str
    comments: tuple[Comment, ...] = ()
    pending: Comment | None = None  # a comment being typed, not yet saved by the reviewer
    subject: str = ""
    thread_id: str = ""
    draft_id: str = ""  # Message-ID of the review draft made from these comments
    updated: float = 0.0

    def sorted_comments(self) -> list[Comment]:
        return sorted(self.comments, key=lambda c: (c.end_body_line, c.body_line))

    def with_comment(self, comment: Comment) -> Review:
        """``comment`` added, or put in place of the one with its id."""
        kept = tuple(c for c in self.comments if c.id != comment.id)
        return replace(self, comments=kept + (comment,), pending=None)

    def without(self, comment_id: str) -> Review:
        return replace(self, comments=tuple(c for c in self.comments if c.id != comment_id))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["version"] = FORMAT_VERSION
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Review:
        comments = tuple(Comment(**c) for c in data.get("comments", ()))
        pending = Comment(**data["pending"]) if data.get("pending") else None
        return cls(data["message_id"], comments, pending, data.get("subject", ""), data.get("thread_id", ""),
                   data.get("draft_id", ""), float(data.get("updated", 0.0)))


class ReviewStore:
    """Review files in one directory, one per reviewed message."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)

    def path_for(self, message_id: str) -> Path:
        digest = hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self.directory / f"{digest}.json"

    def load(self, message_id: str) -> Review | None:
        try:
            data = json.loads(self.path_for(message_id).read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ValueError(f"the review file {self.path_for(message_id)} cannot be read: {exc}") from None
        review = Review.from_json(data)
        return review if review.message_id == message_id else None

    def save(self, review: Review, *, durable: bool = True) -> Path:
        """Write ``review`` (or delete its file when it holds nothing).

        The rename makes it whole against a killed process; ``durable`` adds
        the fsyncs that make it whole against a power cut too (a keystroke
        in a comment being typed skips them: the next save has them).
        """
        path = self.path_for(review.message_id)
        if not review.comments and review.pending is None:
            self.delete(review.message_id)
            return path
        self.directory.mkdir(parents=True, exist_ok=True)
        data = json.dumps(replace(review, updated=time.time()).to_json(), ensure_ascii=False, indent=1)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if durable:
            fsync_dir(self.directory)
        return path

    def delete(self, message_id: str) -> None:
        self.path_for(message_id).unlink(missing_ok=True)

    def all(self) -> list[Review]:
        """Every review kept (unreadable files are skipped, never deleted)."""
        out = []
        if not self.directory.is_dir():
            return out
        for path in sorted(self.directory.glob("*.json")):
            try:
                out.append(Review.from_json(json.loads(path.read_text("utf-8"))))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return out

    def for_messages(self, message_ids: Iterable[str]) -> dict[str, Review]:
        """The reviews of those messages that have one."""
        out = {}
        for message_id in message_ids:
            try:
                review = self.load(message_id)
            except ValueError:
                continue
            if review is not None and (review.comments or review.pending):
                out[message_id] = review
        return out

    def forget_draft(self, draft_ids: Sequence[str]) -> int:
        """Delete the reviews whose draft was sent; how many went."""
        wanted = set(draft_ids)
        gone = 0
        for review in self.all():
            if review.draft_id and review.draft_id in wanted:
                self.delete(review.message_id)
                gone += 1
        return gone
