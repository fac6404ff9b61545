"""`sitmon poll`, `sitmon check` and `sitmon feeds`: thin shells over the ingest core."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import threading
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.config import load_feeds, resolve_feeds_path, validate_feeds
from tui.errors import UserError
from tui.ingest.poller import Analyser, Poller
from tui.model import Analysis, FeedConfig, Item, PollResult, utc_now
from tui.store import Store, default_db_path

MAX_SLEEP = 60.0  # the forever loop wakes at least this often
FULL_TABLE_MAX = 50  # above this many feeds, `poll --once` lists only what needs a look


@dataclass(frozen=True, slots=True)
class _PackSource:
    path: str  # what ``SeedPack.path`` would be: the digest reads this file


def _pack_source(pack_path: Path | None) -> _PackSource:
    """Read and TOML-decode the pack without compiling it: a missing, unreadable or
    malformed file stops here, with one line, before anything is polled."""
    from tui.seeds import DEFAULT_PACK, MAX_FILE_BYTES, default_pack_path

    if pack_path is None:
        default = default_pack_path()
        if default is None:  # the bundled copy inside the package: load_pack checks it
            return _PackSource(f"tui/seeds/{DEFAULT_PACK}")
        pack_path = default
    name = str(pack_path)
    try:
        if pack_path.is_dir():
            raise UserError(f"{name}: is a directory, not a seed pack")
        size = pack_path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{name}: file is too large ({size} bytes; limit {MAX_FILE_BYTES})")
        data = pack_path.read_bytes()
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{name}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{name}: not valid TOML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise UserError(f"{name}: not valid TOML: nested too deeply") from None
    return _PackSource(name)


class LazyAnalyser:
    """``analyse`` bound to a seed pack that is compiled only when an item needs it.

    Compiling a pack's lexicons takes about a second; a poll where every feed is
    unchanged analyses nothing and never pays for it. ``prepare_soon`` (the poller
    calls it when a feed sends a document) starts compiling in a background thread,
    so it overlaps fetching and parsing. A pack that fails to compile raises its
    one-line ``UserError`` from every call, which stops the poll.
    """

    def __init__(self, pack_path: Path | None) -> None:
        self.pack_path = pack_path
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._bound: Analyser | None = None
        self._error: UserError | None = None

    @property
    def loaded(self) -> bool:
        return self._bound is not None

    def _load(self) -> None:
        try:
            from tui.analysis import analyse
            from tui.seeds import load_pack

            self._bound = functools.partial(analyse, pack=load_pack(self.pack_path))
        except UserError as exc:
            self._error = exc
        except Exception as exc:  # a bug in loading: still one line, still fatal
            self._error = UserError(f"{self.pack_path or 'seed pack'}: cannot load: "
                                    f"{type(exc).__name__}: {exc}")

    def prepare_soon(self) -> None:
        """Start compiling the pack in a background thread (once)."""
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                thread = threading.Thread(target=self._load, name="sitmon-pack", daemon=True)
                thread.start()
                self._thread = thread

    def analyser(self) -> Analyser:
        """The bound ``analyse``, compiling the pack first if needed (blocks)."""
        bound = self._bound
        if bound is None:
            self.prepare_soon()
            assert self._thread is not None
            self._thread.join()
            if self._error is not None:
                raise self._error
            bound = self._bound
            assert bound is not None
        return bound

    def __call__(self, item: Item) -> Analysis:
        return self.analyser()(item)


def prepare_analysis(pack_path: Path | None, store: Store) -> LazyAnalyser:
    """The analyser for a poll; a pack that cannot be read or is not TOML fails now.

    When the pack changed since the store was last analysed, stored items are
    analysed again first (which compiles the pack, so any problem with it stops
    the poll before it starts), so the panels never mix two versions of the pack.
    Otherwise the pack is compiled only once an item needs analysing.
    """
    from tui.maintenance import ensure_current

    source = _pack_source(pack_path)
    analyser = LazyAnalyser(pack_path)
    ensure_current(store, source, analyser)
    return analyser


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


def results_lines(results: Sequence[PollResult]) -> Text:
    """One plain line per result (cheap for long lists; a table of 1,000 rows is not)."""
    out = Text()
    for r in results:
        out.append(r.feed)
        out.append(": ")
        out.append_text(_status(r))
        if r.new_items:
            out.append(f", {r.new_items} new")
        if r.error or r.warning:
            out.append(": ")
            out.append(r.error or r.warning, style="red" if r.error else "yellow")
        out.append("\n")
    out.rstrip()
    return out


def summary_line(results: Sequence[PollResult]) -> Text:
    failed = sum(1 for r in results if r.error)
    unchanged = sum(1 for r in results if r.not_modified and not r.error)
    with_new = sum(1 for r in results if r.new_items)
    warned = sum(1 for r in results if r.warning and not r.error)
    line = Text(f"{len(results)} feeds: {len(results) - failed} ok ({with_new} with new items, "
                f"{unchanged} not modified")
    line.append(f", {warned} with warnings" if warned else "")
    line.append("), ")
    line.append(f"{failed} failed", style="red" if failed else "")
    return line


def print_results(console: Console, results: Sequence[PollResult]) -> None:
    """The full table for a short feed list; for a long one, only the feeds that failed,
    warn or brought new items, one line each, then a one-line summary."""
    if len(results) <= FULL_TABLE_MAX:
        console.print(results_table(results))
        return
    shown = [r for r in results if r.error or r.warning or r.new_items]
    if shown:
        console.print(results_lines(shown), soft_wrap=True)
    console.print(summary_line(results), soft_wrap=True)


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
            print_results(console, results)
            total = sum(r.new_items for r in results)
            console.print(Text(f"{total} new items stored in {db}"), soft_wrap=True)
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
