"""`sitmon poll`, `sitmon check` and `sitmon feeds`: thin shells over the ingest core."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.config import load_feeds, resolve_feeds_path, validate_feeds
from tui.errors import UserError
from tui.ingest.poller import Analyser, Poller
from tui.model import FeedConfig, PollResult, utc_now
from tui.store import Store, default_db_path

MAX_SLEEP = 60.0  # the forever loop wakes at least this often


def prepare_analysis(pack_path: Path | None, store: Store) -> Analyser:
    """``analyse`` bound to the seed pack, loaded now so a bad pack fails before polling.

    When the pack changed since the store was last analysed, stored items are
    analysed again first, so the panels never mix two versions of the pack.
    """
    from tui.analysis import analyse
    from tui.maintenance import ensure_current
    from tui.seeds import load_pack

    pack = load_pack(pack_path)
    bound: Analyser = functools.partial(analyse, pack=pack)
    ensure_current(store, pack, bound)
    return bound


@contextlib.contextmanager
def _feeds_for(args: argparse.Namespace, once: bool) -> Iterator[list[FeedConfig]]:
    if getattr(args, "demo", False):
        from tui.demo.server import DemoServer

        with DemoServer(release_all=once) as server:
            yield server.feeds()
    else:
        yield load_feeds(resolve_feeds_path(args.feeds))


def _status(r: PollResult) -> Text:
    code = f" {r.status}" if r.status is not None else ""
    if r.error:
        word = "gone" if r.status == 410 else "failed"
        return Text(word + code, style="red")
    if r.not_modified:
        return Text("not modified" + code, style="dim")
    if r.warning:
        return Text("ok (warning)" + code, style="yellow")
    return Text("ok" + code, style="green")


def results_table(results: Sequence[PollResult]) -> Table:
    table = Table(title="sitmon poll", title_justify="left")
    table.add_column("feed", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("new", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("error / warning", overflow="fold")
    for r in results:
        table.add_row(
            Text(r.feed),
            _status(r),
            Text(str(r.new_items)),
            Text(f"{r.seconds:.1f}"),
            Text(r.error or r.warning, style="red" if r.error else "yellow"),
        )
    return table


def _poller(args: argparse.Namespace, feeds: list[FeedConfig], store: Store) -> Poller:
    return Poller(feeds, store, prepare_analysis(getattr(args, "pack", None), store))


async def _poll_once(poller: Poller) -> list[PollResult]:
    try:
        return await poller.poll_once(force=True)
    finally:
        await poller.aclose()


async def _poll_forever(poller: Poller, console: Console) -> None:
    try:
        while True:
            results = await poller.poll_due()
            if results:
                new = sum(r.new_items for r in results)
                failed = [r.feed for r in results if r.error]
                line = Text(f"{utc_now():%H:%M:%S} polled {len(results)} feeds, {new} new items")
                if failed:
                    line.append(f", {len(failed)} failing: {', '.join(failed)}", style="red")
                console.print(line)
            due = poller.next_due()
            if due is None:
                console.print(Text("every feed is gone; nothing left to poll", style="red"))
                return
            wait = (due - utc_now()) / timedelta(seconds=1)
            await asyncio.sleep(min(MAX_SLEEP, max(1.0, wait)))
    finally:
        await poller.aclose()


def cmd_poll(args: argparse.Namespace) -> int:
    """Poll once (--once: a table, exit 1 when every feed failed) or forever (Ctrl-C stops)."""
    console = Console(highlight=False)
    once = bool(getattr(args, "once", False))
    db = args.db or default_db_path()
    with _feeds_for(args, once) as feeds, Store(db) as store:
        poller = _poller(args, feeds, store)
        if once:
            results = asyncio.run(_poll_once(poller))
            console.print(results_table(results))
            total = sum(r.new_items for r in results)
            console.print(Text(f"{total} new items stored in {db}"))
            return 1 if results and all(r.error for r in results) else 0
        console.print(Text(f"polling {len(feeds)} feeds into {db}; Ctrl-C to stop"))
        try:
            asyncio.run(_poll_forever(poller, console))
        except KeyboardInterrupt:
            console.print(Text("stopped"))
        return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the feeds file and the seed pack: one line per problem, exit 1 on any."""
    feeds_path = resolve_feeds_path(args.feeds)
    problems = validate_feeds(feeds_path)
    from tui.seeds import validate_pack

    problems += validate_pack(args.pack)
    console = Console(highlight=False)
    for problem in problems:
        console.print(Text(problem), soft_wrap=True)
    if problems:
        return 1
    count = len(load_feeds(feeds_path))
    pack = args.pack if args.pack is not None else "the default pack"
    console.print(Text(f"ok: {count} feeds in {feeds_path}, {pack} valid"),
                  soft_wrap=True)
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    """`feeds import FILE.opml` (append new feeds) and `feeds export [-o FILE]`."""
    from tui.opml import export_opml, import_opml, write_opml

    console = Console(highlight=False, stderr=True)
    if args.feeds_command == "import":
        target = args.feeds if args.feeds is not None else Path("feeds.toml")
        result = import_opml(args.opml, target)
        for line in result.skipped:
            console.print(Text(f"skipped {line}"), soft_wrap=True)
        created = " (created from the bundled list)" if result.created else ""
        console.print(Text(f"added {len(result.added)} feeds to {target}{created}"),
                      soft_wrap=True)
        return 0
    if args.feeds_command == "export":
        feeds = load_feeds(resolve_feeds_path(args.feeds))
        write_opml(export_opml(feeds), args.output)
        if args.output != "-":
            console.print(Text(f"wrote {len(feeds)} feeds to {args.output}"), soft_wrap=True)
        return 0
    raise UserError(f"feeds: unknown action {args.feeds_command!r}")  # pragma: no cover
