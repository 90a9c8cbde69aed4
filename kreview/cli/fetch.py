"""``kreview fetch MESSAGE-ID|QUERY [--server URL] [--dry-run] [--json]``:
complete threads from a public-inbox archive into the notmuch database.

A Message-ID (``a@b``, ``<a@b>``, ``id:a@b``) fetches the thread holding it;
anything else is a search in the server's own query syntax (``s:``, ``f:``,
``d:``, ...) and fetches the whole threads of the matching messages.

``--json`` prints ``{"server", "request", "received", "dry_run", "folder",
"added": [Message-ID...], "skipped": [Message-ID...], "without_message_id",
"threads": [notmuch thread id...]}``; fields are only ever added.
"""
from __future__ import annotations

import argparse
import json
import sys

from kreview.cli.arguments import add_subcommand
from kreview.core.archive import ArchiveClient, ArchiveError, servers_from
from kreview.core.fetching import Delivery, Progress, delivery_tags, fetch_search, fetch_thread, looks_like_message_id


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "fetch", run,
        help="fetch threads from a public-inbox archive (lore) into the notmuch database",
        description="Fetch the thread holding MESSAGE-ID, or the threads of the messages a server-side "
                    "QUERY finds (public-inbox syntax: s:subject f:from d:20240101..), from a public-inbox "
                    "archive; messages already in the database are skipped, the others are written to the "
                    "archive folder (default lore/) and tagged lore plus your new-mail tags.",
        json="print what was added and skipped as JSON",
    )
    parser.add_argument("target", nargs="+", metavar="MESSAGE-ID|QUERY")
    parser.add_argument("--server", action="append", metavar="URL",
                        help="archive base URL (repeatable; default: archive_servers from the config, "
                             "https://lore.kernel.org/all/)")
    parser.add_argument("--dry-run", action="store_true", help="ask the server, write nothing: say what would be added")


def run(args: argparse.Namespace, store) -> int:
    config = args.kreview_config
    target = " ".join(args.target).strip()
    if store.is_demo and not args.dry_run:
        raise ValueError("the demo mailbox is rebuilt from the sample; fetch into your own database "
                         "(--notmuch-config FILE), or use --dry-run")

    def say(text: str) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r\x1b[Kkreview: {text}", end="", file=sys.stderr, flush=True)

    client = ArchiveClient(servers_from(args.server or config.archive_servers), progress=say)
    how = Delivery(folder=config.archive_folder, tags=delivery_tags(store.settings.new_tags),
                   dry_run=args.dry_run, progress=Progress(say))
    try:
        if looks_like_message_id(target):
            report = fetch_thread(store, client, [target], how)
        else:
            report = fetch_search(store, client, target, how)
    except ArchiveError as exc:
        raise ValueError(str(exc)) from None
    finally:
        say("")
        if not args.json and sys.stderr.isatty():
            print("\r\x1b[K", end="", file=sys.stderr)
    if args.json:
        json.dump(report.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{report.request} from {report.server}: {report.summary()}"
              + (f" (into {report.folder}/)" if report.added and not report.dry_run else ""))
    return 0
