"""``kreview show QUERY [--json]``: the matched messages as the message pane
shows them - headers, then body blocks with folded quotes as their one-line
summary - so scripts and tests see what a reader sees."""
from __future__ import annotations

import argparse
import sys

from kreview.cli.arguments import add_subcommand
from kreview.cli.output import json_text, write_text
from kreview.core.blocks import Block, blocks_to_json, fold_summary, split_blocks
from kreview.core.parse import ParsedMessage, read_message
from kreview.core.review import message_roles, thread_series


def register(subparsers) -> None:
    add_subcommand(
        subparsers, "show", run,
        help="print matched messages and their body blocks",
        query="notmuch query",
        json="print JSON instead of text",
    )


def run(args: argparse.Namespace, store) -> int:
    query = " ".join(args.query)
    nodes = store.messages(query)
    if not nodes:
        raise ValueError(f"no message matches {query!r}")
    out = []
    for node in nodes:
        msg = read_message(node.path)
        blocks = split_blocks(msg.text, patches=msg.patches)
        out.append((node, msg, blocks))
    if args.json:
        # each patch's and cover's place in its series, as ``trailers --json`` counts it
        roles = {mid: role for tid in dict.fromkeys(n.thread_id for n in nodes)
                 for mid, role in message_roles(thread_series(store, tid)).items()}
        messages = [{**_as_json(n, m, b), "series": roles.get(n.message_id)} for n, m, b in out]
        sys.stdout.write(json_text({"messages": messages}, indent=1) + "\n")
    else:
        write_text("\n\n".join(_as_text(m, b) for _, m, b in out) + "\n")
    return 0


def _as_json(node, msg: ParsedMessage, blocks: list[Block]) -> dict:
    h = msg.headers
    headers = {
        "from": h.from_, "to": list(h.to), "cc": list(h.cc), "subject": h.subject, "date": h.date,
        "date_epoch": h.date_epoch, "in_reply_to": h.in_reply_to, "references": list(h.references),
        "list_id": h.list_id,
    }
    return {
        "message_id": node.message_id,
        "thread_id": node.thread_id,
        "headers": headers,
        "tags": sorted(node.tags),
        "notes": list(msg.notes),
        # Every attached file; a patch ("diff": true) is also shown as diff blocks.
        "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size, "diff": True}
                        for a in msg.patches]
                       + [{"filename": a.filename, "content_type": a.content_type, "size": a.size, "diff": False}
                          for a in msg.attachments],
        "blocks": blocks_to_json(blocks),
    }


def render_blocks(blocks: list[Block]) -> list[str]:
    """Block lines as displayed: a folded block shows its head, summary and tail."""
    lines: list[str] = []
    for block in blocks:
        if not block.folded:
            lines.extend(block.lines)
            continue
        lines.extend(block.lines[: block.head])
        lines.append(fold_summary(block))
        if block.tail:
            lines.extend(block.lines[-block.tail:])
    return lines


def _as_text(msg: ParsedMessage, blocks: list[Block]) -> str:
    h = msg.headers
    head = [f"From: {h.from_}", f"Date: {h.date}", f"Subject: {h.subject}"]
    if h.to:
        head.append("To: " + ", ".join(h.to))
    if h.cc:
        head.append("Cc: " + ", ".join(h.cc))
    head.extend(f"[attachment: {a.filename or '(unnamed)'}, {a.content_type}]" for a in msg.attachments)
    head.extend(f"[{note}]" for note in msg.notes)
    return "\n".join(head + [""] + render_blocks(blocks))
