"""A live, keyed table of stored items, newest first.

Rows are keyed by item id. New items are diffed in (never a rebuild): the cursor
stays on the same row key and the rows in view stay in view, unless the user is at
the very top, where new rows simply appear above. Only a window of the newest
``window`` rows is kept, so a store of 50,000 items costs no more than 500.

A batch of new rows costs one repaint of the rows in view: the new rows are merged
into the kept order (no re-sort), the table's size and scroll offset are settled in
the same handler, and cells are :class:`~tui.app.widgets.safe.CellText` (cheap to
render). DataTable's private state is touched only through ``table_internals``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, RowKey

from tui.app.widgets import table_internals as internals
from tui.app.widgets.rows import COLUMNS, TimePrefs, row_cells
from tui.app.widgets.safe import Palette
from tui.model import StoredItem

WINDOW = 500
SortKey = tuple[float, float, str]


def key_value(key: RowKey | None) -> str | None:
    """A row key's item id; None for a stale highlight (a row removed meanwhile)."""
    return None if key is None else key.value


def sort_key(item: StoredItem) -> SortKey:
    return (item.item.published.timestamp(), item.item.first_seen.timestamp(), item.id)


class ItemTable(DataTable[Text]):
    """Stored items as rows: marks, time, source, title, actors."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]

    def __init__(
        self,
        *,
        prefs: Callable[[], TimePrefs],
        clock: Callable[[], datetime],
        palette: Callable[[], Palette],
        window: int = WINDOW,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id, classes=classes)
        self._prefs = prefs
        self._clock = clock
        self._palette = palette
        self.window = window
        self._items: dict[str, StoredItem] = {}
        self._keys: dict[str, SortKey] = {}  # sort key per item id
        self._order: list[str] = []  # item ids as shown, newest first
        self._widths: tuple[int, ...] = ()

    # -- reading ------------------------------------------------------------

    @property
    def items(self) -> dict[str, StoredItem]:
        return self._items

    def current_id(self) -> str | None:
        if not self._items or self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        except Exception:  # CellDoesNotExist while the table is empty or settling
            return None
        return key.value

    def current_item(self) -> StoredItem | None:
        item_id = self.current_id()
        return None if item_id is None else self._items.get(item_id)

    def ids_in_order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    def top_visible_id(self) -> str | None:
        """The item on the first line in view."""
        return self._id_at(round(self.scroll_y))

    # -- layout -------------------------------------------------------------

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key, width=self._default_width(key))

    @staticmethod
    def _default_width(key: str) -> int:
        return {"marks": 3, "time": 6, "source": 12, "title": 40, "actors": 16}[key]

    def on_resize(self, event: Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, width: int) -> None:
        usable = max(width - 2, 40)  # room for the vertical scrollbar
        pad = 2 * self.cell_padding * len(COLUMNS)
        source = 16 if usable >= 110 else 12 if usable >= 70 else 9
        actor = 28 if usable >= 110 else 18 if usable >= 70 else 10
        title = max(usable - pad - 3 - 6 - source - actor, 12)
        widths = (3, 6, source, title, actor)
        if widths == self._widths:
            return
        self._widths = widths
        internals.set_column_widths(
            self, [(key, w) for (key, _), w in zip(COLUMNS, widths, strict=True)]
        )

    # -- writing ------------------------------------------------------------

    def set_items(self, items: Sequence[StoredItem]) -> None:
        """Replace every row (first load, filter change), keeping the cursor's item if it stays."""
        keep = self.current_id()
        self.clear()
        self._items = {}
        keyed = sorted(((sort_key(i), i) for i in items), key=lambda p: p[0], reverse=True)
        ordered = keyed[: self.window]
        self._keys = {item.id: key for key, item in ordered}
        self._order = [item.id for _, item in ordered]
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        for _, item in ordered:
            self._items[item.id] = item
            self.add_row(*row_cells(item, prefs, now, palette), key=item.id)
        if keep is not None and keep in self._items:
            self.move_cursor(row=self.get_row_index(keep), scroll=True)

    def upsert(self, items: Iterable[StoredItem]) -> list[str]:
        """Add new items and refresh changed ones. Returns the ids added.

        The cursor stays on the same item; the rows in view stay in view (at the very
        top, new rows show above). One repaint of the rows in view, whatever the batch.
        """
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        cursor_id = self.current_id()
        scroll_y = round(self.scroll_y)
        top_id = self._id_at(scroll_y)
        floor = self._keys[self._order[-1]] if self._order else None
        full = len(self._items) >= self.window
        added: list[str] = []
        for item in items:
            if item.id in self._items:
                self.update_item(item)
                continue
            key = sort_key(item)
            if full and floor is not None and key < floor:
                continue  # older than everything in a full window: not shown
            self._items[item.id] = item
            self._keys[item.id] = key
            self.add_row(*row_cells(item, prefs, now, palette), key=item.id)
            added.append(item.id)
        if not added:
            return added
        keys = self._keys
        added.sort(key=keys.__getitem__, reverse=True)
        order = list(heapq.merge(added, self._order, key=keys.__getitem__, reverse=True))
        order = self._trim(order, cursor_id)
        self._order = order
        internals.set_row_order(self, order)
        internals.sync_dimensions(self)
        if cursor_id is None or cursor_id not in self._items:
            self.refresh()
            return added
        positions = {item_id: index for index, item_id in enumerate(order)}
        new_row = positions[cursor_id]
        shift = positions[top_id] - scroll_y if top_id in positions else 0
        visible = max(self.size.height - self.header_height - 1, 1)
        # At the very top, new rows show above the cursor; elsewhere the view holds still.
        target = 0 if scroll_y == 0 and new_row < visible else scroll_y + shift
        if new_row != self.cursor_row:
            self.move_cursor(row=new_row, scroll=False)
        self.scroll_to(y=target, animate=False, immediate=True)
        self.refresh()
        return added

    def update_item(self, item: StoredItem) -> None:
        """Refresh one row's cells (read mark, flag, note, or a newer analysis)."""
        old = self._items.get(item.id)
        if old is None:
            return
        self._items[item.id] = item
        if old == item:
            return
        cells = row_cells(item, self._prefs(), self._clock(), self._palette())
        internals.replace_row_cells(
            self, item.id, [(key, cell) for (key, _), cell in zip(COLUMNS, cells, strict=True)]
        )

    def rerender(self) -> None:
        """Redraw every row (after a time-zone toggle or a theme change)."""
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        for item in self._items.values():
            cells = row_cells(item, prefs, now, palette)
            internals.replace_row_cells(
                self,
                item.id,
                [(key, cell) for (key, _), cell in zip(COLUMNS, cells, strict=True)],
                repaint=False,
            )
        self.refresh()

    # -- DataTable hooks (private; see table_internals) ------------------------------

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """Every column has a fixed width (set on resize), so an updated cell changes none.

        DataTable would otherwise re-measure every cell of a column whenever one cell
        got narrower (e.g. a read mark cleared): thousands of measures per key press.
        """
        updated_cells.clear()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Fixed widths and one-line rows: the virtual size needs no measuring of cells."""
        internals.fixed_virtual_size(self)

    # -- internals ----------------------------------------------------------

    def _id_at(self, row: int) -> str | None:
        if 0 <= row < len(self._order):
            return self._order[row]
        return None

    def _trim(self, order: list[str], keep: str | None) -> list[str]:
        """The newest ``window`` ids (plus ``keep``, the cursor's item); drops the rest."""
        if len(order) <= self.window:
            return order
        head, tail = order[: self.window], order[self.window :]
        dropped = [item_id for item_id in tail if item_id != keep]
        for item_id in dropped:
            del self._items[item_id]
            del self._keys[item_id]
        internals.drop_rows(self, dropped)
        if keep is not None and keep in tail:
            head.append(keep)  # older than every row kept: still in order at the end
        return head
