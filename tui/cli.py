"""The `sitmon` command line. `python -m tui` is the same program.

This module only parses arguments and dispatches; each subcommand lives with
the code it drives and is imported lazily, so `sitmon check` never loads
textual and `sitmon --help` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__
from tui.errors import UserError


def _common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """The options every command takes, before or after the subcommand.

    Subcommand copies default to SUPPRESS so that `sitmon --demo poll` keeps the
    top-level value instead of having the subcommand's default overwrite it.
    """
    d_none = None if top else argparse.SUPPRESS
    d_false = False if top else argparse.SUPPRESS
    parser.add_argument(
        "--feeds",
        type=Path,
        default=d_none,
        help="feeds file (default: $SITMON_FEEDS, else ./feeds.toml, else the bundled list)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=d_none,
        help="SQLite database (default: $SITMON_DB, else sitmon.db in the user data "
        "directory; sitmon-demo.db with --demo)",
    )
    parser.add_argument(
        "--pack",
        type=Path,
        default=d_none,
        help="conflict seed pack (default: $SITMON_PACK, else seeds/afpak-2026.toml)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=d_false,
        help="use the bundled demo feeds, served on 127.0.0.1 (no network needed)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitmon",
        description="Terminal situation monitor for a seeded armed conflict. "
        "With no subcommand, opens the live app.",
    )
    parser.add_argument("--version", action="version", version=f"sitmon {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("poll", help="poll the feeds and store new items")
    _common(p)
    p.add_argument("--once", action="store_true", help="poll every feed once, print a table, exit")

    p = sub.add_parser("check", help="validate feeds.toml and the seed pack")
    _common(p)

    p = sub.add_parser("feeds", help="import or export the feed list as OPML")
    _common(p)
    feeds_sub = p.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    fi = feeds_sub.add_parser("import", help="add the feeds of an OPML file to the feeds file")
    _common(fi)
    fi.add_argument("opml", type=Path, help="OPML file to read")
    fe = feeds_sub.add_parser("export", help="write the feed list as OPML")
    _common(fe)
    fe.add_argument("-o", "--output", default="-", help="output file (default: stdout)")

    p = sub.add_parser(
        "analyse",
        help="analyse JSON-lines items from stdin, one JSON line out per item",
    )
    _common(p)

    p = sub.add_parser("reanalyse", help="re-run the analysis on every stored item")
    _common(p)

    p = sub.add_parser("prune", help="delete old items (retention); flagged items are kept")
    _common(p)
    p.add_argument(
        "--older-than", required=True, metavar="WHEN",
        help="a duration ago (30d, 2w) or an ISO time: items first seen before it go",
    )

    p = sub.add_parser("export", help="write a shift summary (markdown, json or html)")
    _common(p)
    p.add_argument(
        "--since", default="8h",
        help="start: a duration ago (8h, 90m, 2d, 1d12h) or an ISO time; "
        "UTC unless it has an offset (default 8h)",
    )
    p.add_argument(
        "--until", default=None,
        help="end, exclusive: a duration ago or an ISO time (default now)",
    )
    p.add_argument(
        "--format", choices=("markdown", "json", "html"), default=None,
        help="output format (default: from the file suffix, else markdown)",
    )
    p.add_argument("-o", "--output", default=None, help="output file, or - for stdout")
    p.add_argument("--all", action="store_true", help="include items not about the conflict")

    p = sub.add_parser("app", help="open the live app (the default)")
    _common(p)
    return parser


def _merge_env(args: argparse.Namespace) -> argparse.Namespace:
    if args.feeds is None and os.environ.get("SITMON_FEEDS"):
        args.feeds = Path(os.environ["SITMON_FEEDS"])
    if args.db is None and os.environ.get("SITMON_DB"):
        args.db = Path(os.environ["SITMON_DB"])
    if args.pack is None and os.environ.get("SITMON_PACK"):
        args.pack = Path(os.environ["SITMON_PACK"])
    if args.db is None:
        from tui.store import default_db_path

        args.db = default_db_path(demo=args.demo)
    return args


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "app"
    if command == "poll":
        from tui.ingest.commands import cmd_poll

        return cmd_poll(args)
    if command == "check":
        from tui.ingest.commands import cmd_check

        return cmd_check(args)
    if command == "feeds":
        from tui.ingest.commands import cmd_feeds

        return cmd_feeds(args)
    if command == "analyse":
        from tui.analysis.commands import cmd_analyse

        return cmd_analyse(args)
    if command == "reanalyse":
        from tui.maintenance import cmd_reanalyse

        return cmd_reanalyse(args)
    if command == "prune":
        from tui.maintenance import cmd_prune

        return cmd_prune(args)
    if command == "export":
        from tui.export import cmd_export

        return cmd_export(args)
    from tui.app.app import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # Options may come before or after the subcommand; argparse keeps the
    # subcommand's copy, so parse the globals first and let the subcommand fill gaps.
    args = parser.parse_args(argv)
    args = _merge_env(args)
    try:
        return _dispatch(args)
    except UserError as exc:
        print(f"sitmon: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
