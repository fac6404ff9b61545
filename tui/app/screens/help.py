"""`?`: every key binding, where it applies, and what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.app.widgets.safe import safe_text


def _bindings(owner: type) -> list[Binding]:
    found: list[Binding] = []
    for b in getattr(owner, "BINDINGS", []):
        if isinstance(b, Binding):
            found.append(b)
    return found


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


def binding_rows() -> list[tuple[str, str, str]]:
    """(where, key, what) for every declared binding, plus the built-in moves."""
    from tui.app.app import SitmonApp
    from tui.app.screens.detail import DetailScreen
    from tui.app.screens.feeds import FeedHealthScreen
    from tui.app.screens.item_list import ItemListScreen
    from tui.app.screens.ledger import LedgerScreen
    from tui.app.screens.main import MainScreen
    from tui.app.screens.note import NoteScreen
    from tui.app.widgets.item_table import ItemTable

    rows: list[tuple[str, str, str]] = []
    places: list[tuple[str, type]] = [
        ("everywhere", SitmonApp),
        ("main view", MainScreen),
        ("tables", ItemTable),
        ("item detail", DetailScreen),
        ("entity / feed list", ItemListScreen),
        ("ledger", LedgerScreen),
        ("feed health", FeedHealthScreen),
        ("note", NoteScreen),
        ("help", HelpScreen),
    ]
    for where, owner in places:
        for b in _bindings(owner):
            rows.append((where, _key_label(b.key), b.description or b.action))
    rows += [
        ("tables", "↑ ↓ pgup pgdn", "Move the cursor"),
        ("tables", "enter", "Open the highlighted row"),
        ("everywhere", "tab, shift+tab", "Next / previous panel"),
        ("everywhere", "ctrl+p", "Command palette (actions, entities, feeds)"),
    ]
    return rows


class HelpScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="help.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(safe_text("Help — every key"), classes="screen-title")
        yield DataTable(cursor_type="row", id="help-table")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#help-table", DataTable)
        table.add_columns("Where", "Key", "What")
        for where, key, what in binding_rows():
            table.add_row(safe_text(where), safe_text(key, "bold"), safe_text(what))
        table.focus()
