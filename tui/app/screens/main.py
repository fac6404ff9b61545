"""The main view: a status header, the filter, and four live panels.

New items from a poll are queued and applied to the panels later, one panel per
screen refresh, and only once no key has been pressed for ``APPLY_QUIET`` seconds (but
never held longer than ``APPLY_HOLD``): a batch costs each panel one repaint of its
rows in view, and a key press must never wait behind all four.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import suppress
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.css.query import NoMatches
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input

from tui.app.screens.base import sitmon
from tui.app.widgets.filter_bar import FilterBar
from tui.app.widgets.item_table import WINDOW, ItemTable, key_value
from tui.app.widgets.status import StatusBar, WarningBanner, status_line, warning_line
from tui.model import StoredItem

PANEL_TITLES: dict[str, str] = {
    "stream": "Stream",
    "strike": "Strikes",
    "casualty": "Casualty claims",
    "diplomacy": "Diplomacy",
}
PANEL_CATEGORY: dict[str, str | None] = {
    "stream": None,
    "strike": "strike",
    "casualty": "casualty",
    "diplomacy": "diplomacy",
}
APPLY_QUIET = 0.3  # seconds without a key press before new rows are applied…
APPLY_HOLD = 2.0  # …but new rows never wait longer than this


class MainScreen(Screen[None]):
    """Stream of every in-scope item, and one panel per category."""

    WINDOW = WINDOW
    AUTO_FOCUS = "#table-stream"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="main.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="main.clear_filter"),
        Binding("f", "flag", "Flag", id="main.flag"),
        Binding("n", "note", "Note", id="main.note"),
        Binding("o", "open_link", "Open link", id="main.open_link"),
        Binding("c", "copy_link", "Copy link", show=False, id="main.copy_link"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._last_table: ItemTable | None = None
        self._had_item = False
        # New items not yet in the panels: queued by id, then split into one step per panel.
        self._queued: dict[str, StoredItem] = {}
        self._steps: list[tuple[str, list[StoredItem]]] = []
        self._waiting_since: float | None = None  # when the oldest unapplied item came
        self._apply_timer: Timer | None = None
        self._step_scheduled = False
        self._status: tuple[object, str] | None = None

    def compose(self) -> ComposeResult:
        app = sitmon(self)
        yield Header(show_clock=False, icon="◉")
        yield StatusBar(id="status", markup=False)
        yield WarningBanner(id="banner", markup=False)
        yield FilterBar(
            placeholder="words, entity:ID, feed:NAME, cat:strike|casualty|diplomacy "
            "— enter applies, esc clears",
            id="filter",
        )
        with Grid(id="panels"):
            for name in PANEL_TITLES:
                with Vertical(id=f"panel-{name}", classes="panel"):
                    yield ItemTable(
                        prefs=lambda: app.prefs,
                        clock=app.clock,
                        palette=lambda: app.palette,
                        id=f"table-{name}",
                    )
        yield Footer()

    def on_mount(self) -> None:
        for name, title in PANEL_TITLES.items():
            self.query_one(f"#panel-{name}").border_title = title
        self.show_status()
        sitmon(self).load("initial")

    # -- access -------------------------------------------------------------------------

    def tables(self) -> dict[str, ItemTable]:
        return {name: self.query_one(f"#table-{name}", ItemTable) for name in PANEL_TITLES}

    def focused_table(self) -> ItemTable | None:
        focused = self.focused
        if isinstance(focused, ItemTable):
            return focused
        return self._last_table

    def current_item(self) -> StoredItem | None:
        table = self.focused_table()
        return None if table is None else table.current_item()

    def cached(self, item_id: str) -> StoredItem | None:
        for table in self.tables().values():
            found = table.items.get(item_id)
            if found is not None:
                return found
        return None

    # -- applying data ----------------------------------------------------------------------

    def show_panels(self, panels: dict[str, list[StoredItem]]) -> None:
        with suppress(NoMatches), self.app.batch_update():
            for name, table in self.tables().items():
                table.set_items(panels.get(name, []))
            self._retitle()

    def add_items(self, items: Iterable[StoredItem]) -> None:
        """Queue new items for the panels (applied when the analyst pauses; see module doc)."""
        for item in items:
            if item.analysis.relevant:
                self._queued[item.id] = item
        if not self._queued:
            return
        if self._waiting_since is None:
            self._waiting_since = time.monotonic()
        self._schedule_apply()

    @property
    def applying(self) -> bool:
        """New items are waiting to be shown in the panels."""
        return bool(self._queued or self._steps)

    def _schedule_apply(self) -> None:
        if self._step_scheduled or self._apply_timer is not None or not self.applying:
            return
        wait = self._apply_wait()
        if wait > 0:
            self._apply_timer = self.set_timer(wait, self._apply_timer_fired, name="apply-rows")
        else:
            self._step_scheduled = True
            self.call_after_refresh(self._apply_step)

    def _apply_wait(self) -> float:
        now = time.monotonic()
        quiet = sitmon(self).last_input + APPLY_QUIET - now
        held = (self._waiting_since or now) + APPLY_HOLD - now
        return max(min(quiet, held), 0.0)

    def _apply_timer_fired(self) -> None:
        self._apply_timer = None
        self._schedule_apply()

    def _apply_step(self) -> None:
        """Apply the queued items to one panel; the next panel after the next refresh."""
        self._step_scheduled = False
        if not self.is_attached:
            return
        if not self._steps:
            self._steps = self._split(list(self._queued.values()))
            self._queued.clear()
        if self._steps and self._apply_wait() > 0:
            self._schedule_apply()  # a key came meanwhile: wait for the analyst to pause
            return
        if self._steps:
            name, rows = self._steps.pop(0)
            with suppress(NoMatches):
                table = self.query_one(f"#table-{name}", ItemTable)
                table.upsert(rows)
                self._retitle_one(name, table)
        if self.applying:
            self._schedule_apply()
        else:
            self._waiting_since = None

    def _split(self, items: list[StoredItem]) -> list[tuple[str, list[StoredItem]]]:
        """One step per panel that gets rows; the filter is the one in force now."""
        flt = sitmon(self).item_filter
        fresh = [i for i in items if flt.matches(i)]
        steps: list[tuple[str, list[StoredItem]]] = []
        for name in PANEL_TITLES:
            category = PANEL_CATEGORY[name]
            rows = [i for i in fresh if category is None or category in i.analysis.categories]
            if rows:
                steps.append((name, rows))
        return steps

    def update_item(self, item: StoredItem) -> None:
        with suppress(NoMatches):
            for table in self.tables().values():
                table.update_item(item)

    def rerender(self) -> None:
        with suppress(NoMatches), self.app.batch_update():
            for table in self.tables().values():
                table.rerender()
        self.show_status()

    def _retitle(self) -> None:
        for name, table in self.tables().items():
            self._retitle_one(name, table)

    def _retitle_one(self, name: str, table: ItemTable) -> None:
        panel = self.query_one(f"#panel-{name}")
        n = table.row_count
        subtitle = f"{n}{'+' if n >= table.window else ''}"
        if panel.border_subtitle != subtitle:
            panel.border_subtitle = subtitle

    def show_status(self) -> None:
        with suppress(NoMatches):  # shutting down: the widgets are already gone
            self._show_status()

    def _show_status(self) -> None:
        app = sitmon(self)
        state = app.status_state()
        now = app.clock()
        line = status_line(state, app.prefs, now, app.palette)
        warning = warning_line(state, now)
        # Each poll asks for the status again; repaint (and re-lay-out) only what changed.
        if self._status != (line, warning):
            if self._status is None or self._status[0] != line:
                self.query_one(StatusBar).update(line)
            if self._status is None or self._status[1] != warning:
                banner = self.query_one(WarningBanner)
                banner.update(warning)
                banner.set_class(bool(warning), "-shown")
            self._status = (line, warning)
        sub_title = "paused" if state.paused else ""
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    # -- events -------------------------------------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, ItemTable):
            self._last_table = event.widget
            self._seen(event.widget.current_item())
        self._refresh_bindings_if_changed()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        row_id = key_value(event.row_key)
        if isinstance(table, ItemTable) and table.has_focus and row_id:
            self._seen(table.items.get(row_id))
        self._refresh_bindings_if_changed()

    def _refresh_bindings_if_changed(self) -> None:
        """Item actions are enabled only with a current item; the Footer is costly to rebuild."""
        has_item = self.current_item() is not None
        if has_item != self._had_item:
            self._had_item = has_item
            self.app.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        item_id = key_value(event.row_key)
        if item_id:
            event.stop()
            sitmon(self).show_item(item_id)

    def _seen(self, item: StoredItem | None) -> None:
        if item is not None:
            sitmon(self).mark_seen(item)

    # -- filter -------------------------------------------------------------------------

    def action_filter(self) -> None:
        bar = self.query_one(FilterBar)
        bar.add_class("-shown")
        bar.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, FilterBar):
            return
        event.stop()
        flt = sitmon(self).apply_filter(event.value)
        event.input.set_class(flt.active, "-shown")
        self._refocus()

    def action_clear_filter(self) -> None:
        app = sitmon(self)
        bar = self.query_one(FilterBar)
        bar.value = ""
        bar.remove_class("-shown")
        if app.item_filter.active:
            app.apply_filter("")
        self._refocus()

    def _refocus(self) -> None:
        target = self._last_table or self.query_one("#table-stream", ItemTable)
        target.focus()

    # -- item actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"flag", "note", "open_link", "copy_link"}:
            return True if self.current_item() is not None else None
        if action == "clear_filter":
            return sitmon(self).item_filter.active or self.query_one(FilterBar).has_focus
        return True

    def action_flag(self) -> None:
        item = self.current_item()
        app = sitmon(self)
        if item is not None:
            updated = app.set_flag(item, not item.flagged)
            app.notify("flagged" if updated.flagged else "unflagged", markup=False)

    def action_note(self) -> None:
        item = self.current_item()
        app = sitmon(self)
        if item is not None:
            app.edit_note(item)

    def action_open_link(self) -> None:
        item = self.current_item()
        app = sitmon(self)
        if item is not None:
            app.open_link(item.item.link)

    def action_copy_link(self) -> None:
        item = self.current_item()
        app = sitmon(self)
        if item is not None:
            app.copy_link(item.item.link)
