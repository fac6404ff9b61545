"""Feed health: every feed's status, last success, last error, next poll and items."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import RowKey

from tui.app.screens.base import sitmon
from tui.app.widgets.item_table import key_value
from tui.app.widgets.rows import TimePrefs, fmt_ago, fmt_clock
from tui.app.widgets.safe import Palette, cell_text, safe_text
from tui.model import FeedHealth

COLUMNS = ("Feed", "Status", "Last success", "Last error", "Next poll", "Items", "Fails")


def feed_rows(
    configured: list[str], health: tuple[FeedHealth, ...]
) -> list[tuple[str, FeedHealth | None]]:
    """Every feed once, failing first, then by name."""
    by_name = {h.name: h for h in health}
    names = sorted(set(configured) | set(by_name))
    rows = [(n, by_name.get(n)) for n in names]
    return sorted(rows, key=lambda r: (not (r[1] is not None and r[1].failing), r[0].lower()))


def feed_cells(
    name: str, h: FeedHealth | None, prefs: TimePrefs, now: datetime, palette: Palette
) -> tuple[Text, ...]:
    if h is None:
        return (
            cell_text(name, palette.secondary),
            cell_text("not polled yet", palette.muted),
            cell_text("—"), cell_text(""), cell_text("—"), cell_text("0"), cell_text("0"),
        )
    if h.gone:
        status = cell_text("GONE (410)", palette.error)
    elif h.failing:
        code = f" {h.status}" if h.status else ""
        status = cell_text(f"FAILING{code}", palette.error)
    elif h.warning:
        status = cell_text("OK, warning", palette.warning)
    elif h.last_attempt is None:
        status = cell_text("not polled yet", palette.muted)
    else:
        status = cell_text("OK", palette.success)
    last_ok = (
        f"{fmt_clock(h.last_success, prefs, now)} ({fmt_ago(h.last_success, now)})"
        if h.last_success
        else "never"
    )
    problem = h.error or h.warning
    return (
        cell_text(name, palette.secondary),
        status,
        cell_text(last_ok),
        cell_text(problem, palette.error if h.error else palette.warning),
        cell_text(fmt_ago(h.next_poll, now) if h.next_poll else "—"),
        cell_text(str(h.items_seen)),
        cell_text(str(h.failures), palette.error if h.failures else ""),
    )


class FeedHealthScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="feeds.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="feeds-title", classes="screen-title")
        yield DataTable(cursor_type="row", id="feeds-table")
        yield Static(
            safe_text("enter: the feed's items · r: poll now · esc: back"), classes="hint"
        )
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#feeds-table", DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        table.focus()
        self.feeds_changed()

    def feeds_changed(self) -> None:
        """Diff the rows against the app's latest feed health."""
        app = sitmon(self)
        table: DataTable[Text] = self.query_one("#feeds-table", DataTable)
        now = app.clock()
        rows = feed_rows([f.name for f in app.feeds], app.feed_health)
        wanted = {name for name, _ in rows}
        for key in [k for k in table.rows if k.value not in wanted]:
            table.remove_row(key)
        for name, health in rows:
            cells = feed_cells(name, health, app.prefs, now, app.palette)
            if RowKey(name) in table.rows:
                for label, cell in zip(COLUMNS, cells, strict=True):
                    table.update_cell(name, label, cell)
            else:
                table.add_row(*cells, key=name)
        failing = sum(1 for _, h in rows if h is not None and h.failing)
        title = Text(end="")
        title.append(f"Feed health — {len(rows)} feeds")
        if failing:
            title.append(f" · {failing} failing", app.palette.error)
        self.query_one("#feeds-title", Static).update(title)

    def rerender(self) -> None:
        self.feeds_changed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row_id = key_value(event.row_key)
        if row_id:
            sitmon(self).show_feed(row_id)
