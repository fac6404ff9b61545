"""The casualty-claims ledger: figures by incident and by claimant, never summed.

An incident is the claims of one UTC day whose items overlap: they name a common
place, or their claims involve a common side (as claimant or victim). An item with
neither stands alone (per item, when unsure). In
an incident, each claimant's figures for one outcome and one set of victims form
a thread: the latest figure is shown, earlier ones are a drill-down away. The two
sides that make the most claims are shown side by side; other claimants follow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.app.screens.base import sitmon
from tui.app.widgets.item_table import key_value
from tui.app.widgets.rows import TimePrefs, claim_sentence, fmt_clock, is_place, side_label
from tui.app.widgets.safe import Palette, cell_text, display_str, safe_text
from tui.model import OTHER_SIDE, UNKNOWN_SIDE, Claim, StoredItem
from tui.store import ItemQuery

LEDGER_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    claim: Claim
    item: StoredItem


@dataclass(slots=True)
class ClaimThread:
    """One claimant's figures for one outcome and one set of victims, newest first."""

    claimant_side: str
    claimant: str
    outcome: str
    victim_side: str
    civilian: bool | None
    entries: list[ClaimEntry] = field(default_factory=list)

    @property
    def latest(self) -> ClaimEntry:
        return self.entries[0]

    @property
    def earlier(self) -> list[ClaimEntry]:
        return self.entries[1:]


@dataclass(slots=True)
class Incident:
    day: date
    places: tuple[str, ...]
    items: list[StoredItem]
    threads: list[ClaimThread]
    sides: tuple[str, ...] = ()  # the (up to two) opposing claimant sides, most claims first

    def by_side(self, side: str) -> list[ClaimThread]:
        return [t for t in self.threads if t.claimant_side == side]

    def others(self) -> list[ClaimThread]:
        return [t for t in self.threads if t.claimant_side not in self.sides]

    @property
    def latest(self) -> float:
        return max(i.item.published.timestamp() for i in self.items)


def _claimant_key(claim: Claim) -> str:
    return " ".join(claim.claimant.lower().split()) or "(unnamed)"


def _overlap_keys(item: StoredItem) -> set[str]:
    keys = {f"place:{e.id}" for e in item.analysis.entities if is_place(e)}
    for claim in item.analysis.claims:
        for side in (claim.claimant_side, claim.victim_side):
            if side and side not in (UNKNOWN_SIDE, OTHER_SIDE):
                keys.add(f"side:{side}")
    return keys


def _group(items: list[StoredItem]) -> list[list[StoredItem]]:
    """Union items sharing a place or a claim side; an item with neither stands alone."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        find(index)
        for key in _overlap_keys(item):
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    groups: dict[int, list[StoredItem]] = {}
    for index, item in enumerate(items):
        groups.setdefault(find(index), []).append(item)
    return list(groups.values())


def build_ledger(items: Sequence[StoredItem]) -> list[Incident]:
    """Incidents, newest first, each with its claim threads."""
    with_claims = [i for i in items if i.analysis.claims]
    by_day: dict[date, list[StoredItem]] = {}
    for item in with_claims:
        by_day.setdefault(item.item.published.date(), []).append(item)
    incidents: list[Incident] = []
    for day, day_items in by_day.items():
        for group in _group(day_items):
            threads: dict[tuple[str, str, str, str, bool | None], ClaimThread] = {}
            places: dict[str, str] = {}
            for item in group:
                for e in item.analysis.entities:
                    if is_place(e):
                        places.setdefault(e.id, e.name)
                for claim in item.analysis.claims:
                    key = (
                        claim.claimant_side, _claimant_key(claim), claim.outcome,
                        claim.victim_side, claim.civilian,
                    )
                    thread = threads.get(key)
                    if thread is None:
                        thread = threads[key] = ClaimThread(
                            claim.claimant_side, claim.claimant, claim.outcome,
                            claim.victim_side, claim.civilian,
                        )
                    thread.entries.append(ClaimEntry(claim, item))
            for thread in threads.values():
                thread.entries.sort(
                    key=lambda e: (e.item.item.published, e.item.item.first_seen), reverse=True
                )
            counts = Counter(
                t.claimant_side for t in threads.values()
                if t.claimant_side not in (UNKNOWN_SIDE, OTHER_SIDE, "")
            )
            sides = tuple(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2])
            ordered = sorted(
                threads.values(),
                key=lambda t: (t.claimant.lower(), t.outcome, t.victim_side),
            )
            incidents.append(
                Incident(day, tuple(sorted(places.values())), group, ordered, sides)
            )
    incidents.sort(key=lambda inc: (inc.day, inc.latest), reverse=True)
    return incidents


def thread_cell(thread: ClaimThread, prefs: TimePrefs, now: datetime, palette: Palette) -> Text:
    """Two lines: the latest figure, then its source (and how many earlier figures)."""
    latest = thread.latest
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(display_str(claim_sentence(latest.claim), 200), palette.bold)
    text.append("\n")
    source = latest.item.item
    text.append(display_str(source.feed, 30), palette.secondary)
    text.append(f" · {fmt_clock(source.published, prefs, now)} · ", palette.muted)
    text.append(display_str(source.title, 120), palette.muted)
    if thread.earlier:
        n = len(thread.earlier)
        text.append(f"  (+{n} earlier)", palette.accent)
    return text


class LedgerScreen(Screen[None]):
    """Claims side by side, per incident. Enter on a figure shows every figure in its thread."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="ledger.back"),
        Binding("enter", "drill", "Earlier figures", id="ledger.drill"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.incidents: list[Incident] = []
        self._cells: dict[tuple[str, int], ClaimThread] = {}
        self._width = 0
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield Static(safe_text("Casualty-claims ledger — loading…"), id="ledger-title",
                     classes="screen-title")
        yield DataTable(cursor_type="cell", id="ledger-table")
        yield Static(
            safe_text(
                "Figures are each claimant's own and are never added up. "
                "enter: earlier figures and sources · esc: back"
            ),
            classes="hint",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ledger-table", DataTable).focus()
        self.load()

    @work(thread=True, group="ledger", exclusive=True)
    def load(self) -> None:
        items = sitmon(self).store.items(ItemQuery(category="casualty", limit=LEDGER_LIMIT))
        incidents = build_ledger(items)
        self.app.call_from_thread(self._loaded_incidents, incidents)

    def _loaded_incidents(self, incidents: list[Incident]) -> None:
        self.incidents = incidents
        self._loaded = True
        n = sum(len(i.threads) for i in incidents)
        self.query_one("#ledger-title", Static).update(
            safe_text(f"Casualty-claims ledger — {len(incidents)} incidents · {n} claim threads")
        )
        self._render_table()

    def on_resize(self, event: Resize) -> None:
        if self._loaded and event.size.width != self._width:
            self._render_table()

    def items_added(self, items: Sequence[StoredItem]) -> None:
        if any(i.analysis.claims for i in items):
            self.load()

    def rerender(self) -> None:
        if self._loaded:
            self._render_table()

    def _render_table(self) -> None:
        app = sitmon(self)
        palette, prefs, now = app.palette, app.prefs, app.clock()
        table: DataTable[Text] = self.query_one("#ledger-table", DataTable)
        self._width = self.size.width
        half = max((self._width - 6) // 2, 20)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column("Claims", key="left", width=half)
        table.add_column("Opposing claims", key="right", width=half)
        self._cells = {}
        blank = Text("")
        if not self.incidents:
            table.add_row(cell_text("No casualty claims stored yet.", palette.muted), blank)
        for n, incident in enumerate(self.incidents):
            where = ", ".join(incident.places) or "no place named"
            head = Text(end="", no_wrap=True, overflow="ellipsis")
            head.append(f"■ {incident.day:%d %b %Y} · ", palette.accent)
            head.append(display_str(where, 120), palette.accent)
            info = cell_text(
                f"{len(incident.items)} item{'s' if len(incident.items) != 1 else ''} · "
                f"{len(incident.threads)} figure{'s' if len(incident.threads) != 1 else ''}",
                palette.muted,
            )
            table.add_row(head, info, key=f"i{n}")
            sides = list(incident.sides)
            columns = [incident.by_side(s) for s in sides]
            if sides:
                labels = [
                    cell_text(f"{side_label(s).upper()} SAYS", palette.primary) for s in sides
                ]
                if len(labels) == 1:
                    labels.append(cell_text("no figures from the other side", palette.muted))
                table.add_row(*labels, key=f"i{n}s")
            rows = max((len(c) for c in columns), default=0)
            for r in range(rows):
                cells: list[Text] = []
                key = f"i{n}r{r}"
                for col in range(2):
                    threads = columns[col] if col < len(columns) else []
                    if r < len(threads):
                        cells.append(thread_cell(threads[r], prefs, now, palette))
                        self._cells[(key, col)] = threads[r]
                    else:
                        cells.append(blank)
                table.add_row(*cells, key=key, height=2)
            others = incident.others()
            if others:
                table.add_row(
                    cell_text("OTHER / UNATTRIBUTED CLAIMANTS", palette.primary), blank,
                    key=f"i{n}o",
                )
                for r, thread in enumerate(others):
                    key = f"i{n}o{r}"
                    cell = thread_cell(thread, prefs, now, palette)
                    table.add_row(cell, blank, key=key, height=2)
                    self._cells[(key, 0)] = thread
            table.add_row(blank, blank, key=f"i{n}gap")
        if table.is_valid_coordinate(cursor):
            table.cursor_coordinate = cursor

    def thread_at_cursor(self) -> ClaimThread | None:
        table: DataTable[Text] = self.query_one("#ledger-table", DataTable)
        if not table.is_valid_coordinate(table.cursor_coordinate):
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._cells.get((key or "", table.cursor_column))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_drill()

    def action_drill(self) -> None:
        thread = self.thread_at_cursor()
        if thread is not None:
            self.app.push_screen(ClaimHistoryScreen(thread))


class ClaimHistoryScreen(Screen[None]):
    """Every figure one claimant gave for one outcome, newest first, each with its source."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
    ]

    def __init__(self, thread: ClaimThread) -> None:
        super().__init__()
        self.thread = thread

    def compose(self) -> ComposeResult:
        t = self.thread
        who = t.claimant or "unnamed source"
        title = f"{who} ({side_label(t.claimant_side)}) · {t.outcome.replace('_', ' ')}"
        yield Static(safe_text(title, limit=200), classes="screen-title")
        yield DataTable(cursor_type="row", id="history-table")
        yield Static(safe_text("enter: open the source item · esc: back"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        app = sitmon(self)
        palette, prefs, now = app.palette, app.prefs, app.clock()
        table: DataTable[Text] = self.query_one("#history-table", DataTable)
        table.add_columns("Time", "Figure", "Source", "Evidence")
        seen: set[str] = set()
        for n, entry in enumerate(self.thread.entries):
            key = entry.item.id if entry.item.id not in seen else f"{entry.item.id}#{n}"
            seen.add(key)
            table.add_row(
                cell_text(fmt_clock(entry.item.item.published, prefs, now), palette.muted),
                cell_text(claim_sentence(entry.claim), palette.bold if n == 0 else ""),
                cell_text(entry.item.item.feed, palette.secondary),
                cell_text(entry.claim.evidence or entry.item.item.title),
                key=key,
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row_id = key_value(event.row_key)
        if row_id:
            sitmon(self).show_item(row_id.split("#", 1)[0])
