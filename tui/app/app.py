"""The sitmon Textual app: one factory shared by the CLI and the tests.

The app owns the store, the poller and the shift state. Polling runs in an async
worker (group "poll") re-armed by a one-shot timer after each poll; store reads run
in thread workers. Workers post messages; only the handlers touch widgets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
import webbrowser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import urlparse

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen
from textual.timer import Timer

from tui.app.messages import DataLoaded, ItemChanged, PollFailed, Snapshot
from tui.app.widgets.alerts import AlertLimiter
from tui.app.widgets.filter_bar import ItemFilter, parse_filter
from tui.app.widgets.rows import SIDE_NAMES, TimePrefs
from tui.app.widgets.safe import Palette, display_str
from tui.app.widgets.status import StatusState
from tui.errors import UserError
from tui.model import (
    Analysis,
    FeedConfig,
    FeedHealth,
    Item,
    PollResult,
    StoredItem,
    utc_now,
)
from tui.store import ItemQuery, Store

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen

PANELS: tuple[tuple[str, str | None], ...] = (
    ("stream", None),
    ("strike", "strike"),
    ("casualty", "casualty"),
    ("diplomacy", "diplomacy"),
)
SHIFT_HOURS = 8
MIN_POLL_DELAY = 5.0
MAX_POLL_DELAY = 300.0
NEW_ITEMS_LIMIT = 2000


class PollerLike(Protocol):
    """What the app needs of ``tui.ingest.poller.Poller``."""

    async def poll_once(self, force: bool = True) -> list[PollResult]: ...

    async def poll_due(self) -> list[PollResult]: ...

    def next_due(self) -> datetime | None: ...

    async def aclose(self) -> None: ...


class DemoServerLike(Protocol):
    def stop(self) -> None: ...


Analyser = Callable[[Item], Analysis]


def use_side_names(pack: Any) -> None:
    """Show the pack's side names ("Afghanistan", not "afghanistan") in claims and ledger."""
    sides = getattr(pack, "sides", None) or {}
    for side_id, side in sides.items():
        name = str(getattr(side, "name", "") or side_id)
        SIDE_NAMES[str(side_id)] = name.split(" (", 1)[0]


def pack_analyser(pack_path: Path | None) -> tuple[Analyser, Any]:
    """``analyse`` bound to the seed pack at ``pack_path`` (None: the default pack),
    and the pack; the pack's side names become the ones the panels show."""
    from tui.analysis import analyse
    from tui.seeds import load_pack

    pack = load_pack(pack_path)
    use_side_names(pack)
    bound: Analyser = partial(analyse, pack=pack)
    return bound, pack


class SitmonCommands(Provider):
    """Command palette: the app's actions, plus jumps to entities and feeds."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, SitmonApp)
        cmds: list[tuple[str, str, Callable[[], Any]]] = [
            ("Poll now", "Poll every feed now", app.action_poll_now),
            ("Pause polling", "Stop polling until resumed", app.action_pause),
            ("Resume polling", "Start polling again", app.action_resume),
            ("Casualty-claims ledger", "Claims by incident and claimant", app.action_ledger),
            ("Feed health", "Every feed's status", app.action_feed_health),
            ("Export shift summary", "Write a markdown summary", app.action_export),
            ("Toggle UTC / local time", "Show times in UTC or local", app.action_toggle_utc),
            ("Toggle bell", "Terminal bell on new alerts", app.action_toggle_bell),
            ("Filter", "Filter the panels", app.action_filter),
            ("Help", "Every key binding", app.action_help),
        ]
        for entity_id, (name, side) in sorted(app.entities.items(), key=lambda kv: kv[1][0]):
            cmds.append(
                (
                    f"Entity: {display_str(name, 60)}",
                    f"Every item mentioning {display_str(name, 60)} ({side})",
                    partial(app.show_entity, entity_id, name),
                )
            )
        for feed in app.feed_names():
            cmds.append(
                (
                    f"Feed: {display_str(feed, 60)}",
                    "Every item from this feed",
                    partial(app.show_feed, feed),
                )
            )
        return cmds

    # The palette parses prompts and help as Textual markup: escape every string, since
    # entity and feed names come from files the analyst did not necessarily write.

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(escape(name), callback, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(name)), callback, help=escape(help_text))


class SitmonApp(App[None]):
    """The live situation monitor."""

    CSS_PATH = "app.tcss"
    TITLE = "sitmon"
    SUB_TITLE = "situation monitor"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {SitmonCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (App's type)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("r", "poll_now", "Poll", id="app.poll_now"),
        Binding("p", "pause", "Pause", id="app.pause"),
        Binding("p", "resume", "Resume", id="app.resume"),
        Binding("l", "ledger", "Ledger", id="app.ledger"),
        Binding("h", "feed_health", "Feeds", id="app.feed_health"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("u", "toggle_utc", "UTC/local", id="app.toggle_utc"),
        Binding("b", "toggle_bell", "Bell", show=False, id="app.toggle_bell"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        feeds: Sequence[FeedConfig] = (),
        analyser: Analyser | None = None,
        clock: Callable[[], datetime] = utc_now,
        client: Any = None,
        poll: bool = True,
        demo_server: DemoServerLike | None = None,
        tz: tzinfo | None = None,
        shift_start: datetime | None = None,
        bell: bool = False,
        poller: PollerLike | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.feeds = list(feeds)
        self._analyser = analyser
        self.clock = clock
        self.client = client
        self.poll_enabled = poll
        self.demo_server = demo_server
        self.tz: tzinfo = tz or datetime.now().astimezone().tzinfo or UTC
        self.utc = False
        self.bell_enabled = bell
        self.started_at = clock()
        self.shift_start = shift_start or self.started_at - timedelta(hours=SHIFT_HOURS)
        self.paused = False
        self.polling = False
        self.item_filter = ItemFilter()
        self.entities: dict[str, tuple[str, str]] = {}  # id -> (name, side)
        self.seen_feeds: set[str] = set()
        self.feed_health: tuple[FeedHealth, ...] = ()
        self.counts: dict[str, int] = {}
        self.last_success: datetime | None = None
        self.last_results: tuple[PollResult, ...] = ()
        self.loaded = False
        self._poller: PollerLike | None = poller
        self._seq = 0
        self._start_seq: int | None = None  # the store's high-water mark when the app began
        self._timer: Timer | None = None
        self._alerted: set[str] = set()
        self._limiter = AlertLimiter(time.monotonic)
        self._overflow_timer: Timer | None = None
        self._pending_read: set[str] = set()
        self._read_timer: Timer | None = None
        self._palette: Palette | None = None
        self._main: MainScreen | None = None
        self.last_input = float("-inf")  # time.monotonic() of the last key or wheel turn

    # -- shared services for screens --------------------------------------------

    @property
    def prefs(self) -> TimePrefs:
        return TimePrefs(self.tz, self.utc)

    @property
    def palette(self) -> Palette:
        if self._palette is None:
            self._palette = Palette(self.get_css_variables())
        return self._palette

    def feed_names(self) -> list[str]:
        names = {f.name for f in self.feeds} | {h.name for h in self.feed_health}
        names |= self.seen_feeds
        return sorted(names)

    def entity_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for entity_id, (name, _side) in self.entities.items():
            lookup[name.lower()] = entity_id
            lookup[entity_id.lower()] = entity_id
        return lookup

    def status_state(self) -> StatusState:
        return StatusState(
            shift_start=self.shift_start,
            counts=self.counts,
            last_success=self.last_success,
            feeds=self.feed_health,
            configured=len(self.feeds),
            polling=self.polling,
            paused=self.paused,
            poll_enabled=self.poll_enabled and bool(self.feeds),
            stalled=self._stalled(),
            filter=self.item_filter.describe(),
        )

    def _stalled(self) -> bool:
        if not (self.poll_enabled and self.feeds) or self.paused:
            return False
        shortest = min(f.interval for f in self.feeds)
        limit = max(3 * shortest, 180)
        since = self.last_success or self.started_at
        return (self.clock() - since).total_seconds() > limit

    # -- lifecycle ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        from tui.app.screens.main import MainScreen

        self._main = MainScreen()
        return self._main

    @property
    def main(self) -> MainScreen:
        assert self._main is not None
        return self._main

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self.set_interval(5.0, self._tick)
        # The main screen starts the first load once its panels exist.

    async def on_event(self, event: events.Event) -> None:
        # Every key reaches the app first; the main screen holds new rows back while
        # the analyst is typing or scrolling (see tui/app/screens/main.py).
        if isinstance(event, (events.Key, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def _on_theme_changed(self, _theme: object) -> None:
        self._palette = None
        if self._main is not None and self._main.is_mounted:
            self._main.rerender()

    async def on_unmount(self) -> None:
        if self._pending_read:
            ids = list(self._pending_read)
            self._pending_read.clear()
            await asyncio.to_thread(self.store.mark_read, ids)
        if self._poller is not None:
            with contextlib.suppress(Exception):  # closing must not mask the real exit
                await self._poller.aclose()

    def _tick(self) -> None:
        if self._main is not None and self._main.is_mounted:
            self._main.show_status()

    # -- reading the store (thread workers) -----------------------------------------------

    def load(self, reason: str = "reload") -> None:
        """Read every panel's window (with the filter) off the UI thread."""
        flt = self.item_filter
        self.run_worker(
            partial(self._read_panels, flt, "initial" if reason == "initial" else "reload"),
            thread=True,
            group="load",
            exclusive=True,
            name=f"load-{reason}",
        )

    def _read_counts(self, start_seq: int) -> dict[str, int]:
        """Items of this shift: published since it began, or first seen since the app began.

        (A feed can deliver yesterday's report today; it still belongs to this shift.)
        Counted as |published| + |new| - |both|: ItemQuery has no OR.
        """
        counts: dict[str, int] = {}
        for name, category in [("all", None), *PANELS[1:]]:
            key = category or name
            published = self.store.count(ItemQuery(since=self.shift_start, category=category))
            new = self.store.count(ItemQuery(after_seq=start_seq, category=category))
            both = self.store.count(
                ItemQuery(since=self.shift_start, after_seq=start_seq, category=category)
            )
            counts[key] = published + new - both
        return counts

    def _read_panels(self, flt: ItemFilter, reason: str) -> None:
        from tui.app.screens.main import MainScreen

        seq = self.store.last_seq()
        start_seq = seq if self._start_seq is None else self._start_seq
        panels: dict[str, list[StoredItem]] = {}
        for name, category in PANELS:
            if not flt.allows_category(category):
                panels[name] = []
                continue
            query = flt.query(ItemQuery(category=category, limit=MainScreen.WINDOW))
            panels[name] = self.store.items(query)
        snapshot = Snapshot(
            seq=seq,
            feeds=tuple(self.store.feeds()),
            counts=self._read_counts(start_seq),
            panels=panels,
        )
        self.post_message(DataLoaded(snapshot, "initial" if reason == "initial" else "reload"))

    def _read_new(self, after_seq: int) -> Snapshot:
        seq = self.store.last_seq()
        new = self.store.items(ItemQuery(after_seq=after_seq, limit=NEW_ITEMS_LIMIT))
        start_seq = self._start_seq if self._start_seq is not None else after_seq
        return Snapshot(
            seq=seq, feeds=tuple(self.store.feeds()), counts=self._read_counts(start_seq),
            new_items=tuple(new),
        )

    # -- polling (async worker + one-shot timer) ------------------------------------------

    def _ensure_poller(self) -> PollerLike | None:
        if self._poller is not None or not (self.poll_enabled and self.feeds):
            return self._poller
        from tui.ingest.poller import Poller

        if self._analyser is None:  # the default pack, loaded only once there is a poll
            self._analyser, _pack = pack_analyser(None)
        poller: PollerLike = Poller(
            self.feeds, self.store, self._analyser, client=self.client, clock=self.clock
        )
        self._poller = poller
        return poller

    def _arm_timer(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.paused or not (self.poll_enabled and self.feeds):
            return
        if delay <= 0:
            self.call_later(self._timed_poll)  # now, but after the current handler
        else:
            self._timer = self.set_timer(delay, self._timed_poll, name="poll-timer")

    def _timed_poll(self) -> None:
        self._timer = None
        if not self.paused:
            self.start_poll(force=False)

    def _next_delay(self) -> float:
        if self._poller is None:
            return MAX_POLL_DELAY
        due = self._poller.next_due()
        if due is None:
            return MAX_POLL_DELAY
        return min(max((due - self.clock()).total_seconds(), MIN_POLL_DELAY), MAX_POLL_DELAY)

    def start_poll(self, force: bool = False) -> None:
        """Poll (or, with no feeds, just pick up what others wrote to the store)."""
        if self.polling:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.polling = True
        if self._main is not None and self._main.is_mounted:
            self._main.show_status()
        self.run_worker(self._poll(force), group="poll", exclusive=True, name="poll")

    async def _poll(self, force: bool) -> None:
        results: list[PollResult] = []
        # A forced poll (r) runs even while paused: the analyst asked for it.
        poller = self._ensure_poller() if (force or not self.paused) else None
        if poller is not None:
            try:
                results = await (poller.poll_once(force=True) if force else poller.poll_due())
            except UserError as exc:  # the store is read-only or full: say it in its words
                self.post_message(PollFailed(str(exc)))
            except Exception as exc:  # one bad poll must not end polling
                self.post_message(PollFailed(f"{type(exc).__name__}: {exc}"))
        snapshot = await asyncio.to_thread(self._read_new, self._seq)
        self.post_message(DataLoaded(snapshot, "poll", tuple(results)))

    def on_poll_failed(self, message: PollFailed) -> None:
        self.notify(message.error, title="Poll failed", severity="error", markup=False)

    # -- applying what workers read (UI thread) ---------------------------------------------

    def on_data_loaded(self, message: DataLoaded) -> None:
        snap = message.snapshot
        self._seq = max(self._seq, snap.seq)
        if self._start_seq is None and message.reason == "initial":
            self._start_seq = snap.seq
        self.feed_health = snap.feeds
        self.counts = snap.counts
        successes = [f.last_success for f in snap.feeds if f.last_success is not None]
        if successes:
            self.last_success = max(successes)
        if snap.panels is not None:
            for items in snap.panels.values():
                self._learn(items)
            self.main.show_panels(snap.panels)
        if message.reason == "poll":
            self.polling = False
            self.last_results = message.results
            fresh = [i for i in snap.new_items if i.id not in self._alerted]
            self._learn(fresh)
            self.main.add_items(fresh)
            self._alert(fresh)
            self._arm_timer(self._next_delay())
        self.main.show_status()
        if message.reason == "initial":
            self.refresh_bindings()
        for screen in self.screen_stack:
            feeds_changed = getattr(screen, "feeds_changed", None)
            if callable(feeds_changed):
                feeds_changed()
            items_added = getattr(screen, "items_added", None)
            if callable(items_added) and snap.new_items:
                items_added(snap.new_items)
        if message.reason == "initial":
            self.loaded = True
            # The first poll starts only once stored items are on screen.
            if self.poll_enabled and self.feeds:
                self._arm_timer(0.0)

    def _learn(self, items: Iterable[StoredItem]) -> None:
        for item in items:
            self.seen_feeds.add(item.item.feed)
            for e in item.analysis.entities:
                if e.id not in self.entities:
                    self.entities[e.id] = (e.name, e.side)

    # -- alerts ---------------------------------------------------------------------

    def _alert(self, items: Sequence[StoredItem]) -> None:
        for item in sorted(items, key=lambda i: i.item.published):
            self._alerted.add(item.id)
            cats = item.analysis.categories
            if "strike" in cats:
                title = "New strike"
            elif "casualty" in cats or item.analysis.claims:
                title = "New casualty claim"
            else:
                continue
            if self._limiter.offer():
                headline = display_str(f"{item.item.feed}: {item.item.title}", 200)
                self.notify(headline, title=title, severity="warning", markup=False)
                if self.bell_enabled:
                    self.bell()
            elif self._overflow_timer is None:
                delay = max(self._limiter.seconds_until_free(), 0.5)
                self._overflow_timer = self.set_timer(delay, self._flush_overflow)

    def _flush_overflow(self) -> None:
        self._overflow_timer = None
        n = self._limiter.take_overflow()
        if n:
            self.notify(
                f"{n} more new strike/claim item{'s' if n != 1 else ''} (see the panels)",
                title="Alerts",
                severity="warning",
                markup=False,
            )

    # -- marks (read, flag, note) ---------------------------------------------------

    def mark_seen(self, item: StoredItem) -> None:
        if item.read:
            return
        updated = replace(item, read=True)
        self.post_message(ItemChanged(updated))
        self._pending_read.add(item.id)
        if self._read_timer is None:
            self._read_timer = self.set_timer(0.3, self._flush_reads)

    def _flush_reads(self) -> None:
        self._read_timer = None
        ids = list(self._pending_read)
        self._pending_read.clear()
        if ids:
            self._write(partial(self.store.mark_read, ids))

    def _write(self, fn: Callable[[], object]) -> None:
        def run() -> None:
            try:
                fn()
            except Exception as exc:  # a failed write is shown, never fatal
                self.call_from_thread(
                    self.notify, f"could not save: {exc}", severity="error", markup=False
                )

        self.run_worker(run, thread=True, group="db", name="write")

    def set_flag(self, item: StoredItem, flagged: bool) -> StoredItem:
        updated = replace(item, flagged=flagged)
        self._write(partial(self.store.set_flag, item.id, flagged))
        self.post_message(ItemChanged(updated))
        return updated

    def set_note(self, item: StoredItem, note: str) -> StoredItem:
        updated = replace(item, note=note)
        self._write(partial(self.store.set_note, item.id, note))
        self.post_message(ItemChanged(updated))
        return updated

    def on_item_changed(self, message: ItemChanged) -> None:
        if self._main is not None and self._main.is_mounted:
            self._main.update_item(message.item)
        for screen in self.screen_stack:
            # A screen just pushed may not have composed its widgets yet; it reads
            # the store when it mounts, so it has nothing to update.
            if screen is not self._main and screen.is_mounted and hasattr(screen, "item_changed"):
                screen.item_changed(message.item)

    def edit_note(self, item: StoredItem, done: Callable[[StoredItem], None] | None = None) -> None:
        from tui.app.screens.note import NoteScreen

        def save(note: str | None) -> None:
            if note is None or note == item.note:
                return
            updated = self.set_note(item, note)
            self.notify("note saved" if note else "note removed", markup=False)
            if done is not None:
                done(updated)

        self.push_screen(NoteScreen(item.note), save)

    def open_link(self, link: str) -> None:
        scheme = urlparse(link).scheme.lower()
        if scheme not in {"http", "https"}:
            self.notify("no web link to open", severity="warning", markup=False)
            return
        self.run_worker(partial(webbrowser.open, link), thread=True, group="browser")
        self.notify(f"opening {display_str(link, 120)}", markup=False)

    def copy_link(self, link: str) -> None:
        if not link:
            self.notify("no link to copy", severity="warning", markup=False)
            return
        self.copy_to_clipboard(link)
        self.notify(f"copied {display_str(link, 120)}", markup=False)

    # -- navigation ------------------------------------------------------------------

    def show_item(self, item_id: str) -> None:
        from tui.app.screens.detail import DetailScreen

        self.push_screen(DetailScreen(item_id))

    def show_entity(self, entity_id: str, name: str = "") -> None:
        from tui.app.screens.item_list import ItemListScreen

        label = name or self.entities.get(entity_id, (entity_id, ""))[0]
        self.push_screen(
            ItemListScreen(
                f"Entity: {label}", ItemQuery(entity=entity_id, relevant_only=False, limit=1000)
            )
        )

    def show_feed(self, feed: str) -> None:
        from tui.app.screens.item_list import ItemListScreen

        self.push_screen(
            ItemListScreen(f"Feed: {feed}", ItemQuery(feed=feed, relevant_only=False, limit=1000))
        )

    def cached_item(self, item_id: str) -> StoredItem | None:
        if self._main is None or not self._main.is_mounted:
            return None
        return self._main.cached(item_id)

    def apply_filter(self, raw: str) -> ItemFilter:
        flt = parse_filter(raw, entities=self.entity_lookup(), feeds=self.feed_names())
        if flt.error:
            self.notify(flt.error, severity="error", markup=False)
            return self.item_filter
        self.item_filter = flt
        self.load("reload")
        self.main.show_status()
        return flt

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        can_poll = self.poll_enabled and bool(self.feeds)
        if action == "pause":
            return can_poll and not self.paused
        if action == "resume":
            return can_poll and self.paused
        return True

    def action_poll_now(self) -> None:
        if self.polling:
            self.notify("a poll is already running", markup=False)
            return
        self.start_poll(force=True)

    def action_pause(self) -> None:
        self.paused = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.notify("polling paused (p resumes)", markup=False)
        self.main.show_status()
        self.refresh_bindings()

    def action_resume(self) -> None:
        self.paused = False
        self.notify("polling resumed", markup=False)
        self._arm_timer(0.0)
        self.main.show_status()
        self.refresh_bindings()

    def action_ledger(self) -> None:
        from tui.app.screens.ledger import LedgerScreen

        if not isinstance(self.screen, LedgerScreen):
            self.push_screen(LedgerScreen())

    def action_feed_health(self) -> None:
        from tui.app.screens.feeds import FeedHealthScreen

        if not isinstance(self.screen, FeedHealthScreen):
            self.push_screen(FeedHealthScreen())

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_filter(self) -> None:
        if self.screen is not self._main:
            return
        self.main.action_filter()

    def action_toggle_utc(self) -> None:
        self.utc = not self.utc
        self.notify(f"times in {self.prefs.label}", markup=False)
        for screen in self.screen_stack:
            rerender = getattr(screen, "rerender", None)
            if callable(rerender):
                rerender()

    def action_toggle_bell(self) -> None:
        self.bell_enabled = not self.bell_enabled
        self.notify(f"bell {'on' if self.bell_enabled else 'off'}", markup=False)

    def action_export(self) -> None:
        until = self.clock()
        path = Path.cwd() / f"sitmon-shift-{until.astimezone(UTC):%Y%m%dT%H%M%SZ}.md"
        self.run_worker(
            partial(self._export, self.shift_start, until, path),
            thread=True,
            group="export",
            exclusive=True,
        )

    def _export(self, since: datetime, until: datetime, path: Path) -> None:
        from tui.export import export_summary

        try:
            result = export_summary(self.store, since, until, "markdown", path, now=until)
        except Exception as exc:  # report, never crash the app
            self.call_from_thread(
                self.notify, f"export failed: {exc}", severity="error", markup=False
            )
            return
        written = result or path
        self.call_from_thread(
            self.notify, f"shift summary written to {written}", title="Export", markup=False
        )


def create_app(
    store: Store,
    *,
    feeds: Sequence[FeedConfig] = (),
    analyser: Analyser | None = None,
    clock: Callable[[], datetime] = utc_now,
    client: Any = None,
    poll: bool = True,
    demo_server: DemoServerLike | None = None,
    tz: tzinfo | None = None,
    shift_start: datetime | None = None,
    bell: bool = False,
    poller: PollerLike | None = None,
) -> SitmonApp:
    """The one way to build the app (CLI, tests, bench): everything external injected."""
    return SitmonApp(
        store,
        feeds=feeds,
        analyser=analyser,
        clock=clock,
        client=client,
        poll=poll,
        demo_server=demo_server,
        tz=tz,
        shift_start=shift_start,
        bell=bell,
        poller=poller,
    )


def run_app(args: argparse.Namespace) -> int:
    """`sitmon` / `sitmon app`: open the store, resolve feeds and pack, run, clean up."""
    from tui.store import default_db_path

    store = Store(getattr(args, "db", None) or default_db_path())
    demo: Any = None
    try:
        if getattr(args, "demo", False):
            from tui.demo.server import DemoServer

            demo = DemoServer()
            demo.start()
            feeds: list[FeedConfig] = list(demo.feeds())
        else:
            from tui.config import (
                load_feeds,
                resolve_feeds_path,
            )

            feeds = list(load_feeds(resolve_feeds_path(getattr(args, "feeds", None))))
        from tui.maintenance import ensure_current

        analyser, pack = pack_analyser(getattr(args, "pack", None))
        # Stored analyses from another version of the pack are redone before the panels
        # show them, so the app never mixes two packs' readings.
        ensure_current(store, pack, analyser)
        app = create_app(store, feeds=feeds, analyser=analyser, demo_server=demo)
        app.run()
        return int(app.return_code or 0)
    finally:
        if demo is not None:
            demo.stop()
        store.close()


__all__ = ["SitmonApp", "create_app", "run_app"]
