"""A list of items for one query: the entity view and the feed view."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.app.screens.base import sitmon
from tui.app.widgets.item_table import ItemTable, key_value
from tui.app.widgets.safe import safe_text
from tui.model import StoredItem
from tui.store import ItemQuery


class ItemListScreen(Screen[None]):
    """Every item matching a query (e.g. mentioning one entity), newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="list.back"),
        Binding("f", "flag", "Flag", id="list.flag"),
        Binding("o", "open_link", "Open link", id="list.open_link"),
    ]

    def __init__(self, title: str, query: ItemQuery) -> None:
        super().__init__()
        self.title_text = title
        self.item_query = query

    def compose(self) -> ComposeResult:
        yield Static(safe_text(self.title_text, limit=200), id="list-title", classes="screen-title")
        yield ItemTable(
            prefs=lambda: sitmon(self).prefs,
            clock=sitmon(self).clock,
            palette=lambda: sitmon(self).palette,
            window=self.item_query.limit or 1000,
            id="list",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#list", ItemTable).focus()
        self.load()

    @work(thread=True, group="list", exclusive=True)
    def load(self) -> None:
        items = sitmon(self).store.items(self.item_query)
        self.app.call_from_thread(self._loaded, items)

    def _loaded(self, items: list[StoredItem]) -> None:
        self.query_one("#list", ItemTable).set_items(items)
        n = len(items)
        self.query_one("#list-title", Static).update(
            safe_text(f"{self.title_text} — {n} item{'s' if n != 1 else ''}", limit=200)
        )

    def item_changed(self, item: StoredItem) -> None:
        self.query_one("#list", ItemTable).update_item(item)

    def rerender(self) -> None:
        self.query_one("#list", ItemTable).rerender()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row_id = key_value(event.row_key)
        if row_id:
            sitmon(self).show_item(row_id)

    def _current(self) -> StoredItem | None:
        return self.query_one("#list", ItemTable).current_item()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"flag", "open_link"}:
            return True if self._current() is not None else None
        return True

    def action_flag(self) -> None:
        item = self._current()
        if item is not None:
            sitmon(self).set_flag(item, not item.flagged)

    def action_open_link(self) -> None:
        item = self._current()
        if item is not None:
            sitmon(self).open_link(item.item.link)
