"""A live, keyed table of stored items, newest first.

Rows are keyed by item id. New items are diffed in (never a rebuild): the cursor
stays on the same row key and the rows in view stay in view, unless the user is at
the very top, where new rows simply appear above. Only a window of the newest
``window`` rows is kept, so a store of 50,000 items costs no more than 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

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
        for (key, _), w in zip(COLUMNS, widths, strict=True):
            column = self.columns.get(ColumnKey(key))
            if column is not None:
                column.width = w
                column.auto_width = False
        # Public API has no "resize a column"; the same three steps add_column takes.
        self._require_update_dimensions = True
        self._clear_caches()
        self.refresh()

    # -- writing ------------------------------------------------------------

    def set_items(self, items: Sequence[StoredItem]) -> None:
        """Replace every row (first load, filter change), keeping the cursor's item if it stays."""
        keep = self.current_id()
        self.clear()
        self._items = {}
        ordered = sorted(items, key=sort_key, reverse=True)[: self.window]
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        for item in ordered:
            self._items[item.id] = item
            self.add_row(*row_cells(item, prefs, now, palette), key=item.id)
        if keep is not None and keep in self._items:
            self.move_cursor(row=self.get_row_index(keep), scroll=True)

    def upsert(self, items: Iterable[StoredItem]) -> list[str]:
        """Add new items and refresh changed ones. Returns the ids added.

        The cursor stays on the same item; the rows in view stay in view.
        """
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        cursor_id = self.current_id()
        scroll_y = round(self.scroll_y)
        top_id = self._id_at(scroll_y)
        floor = self._floor()
        added: list[str] = []
        for item in items:
            if item.id in self._items:
                self.update_item(item)
                continue
            if floor is not None and len(self._items) >= self.window and sort_key(item) < floor:
                continue  # older than everything in a full window: not shown
            self._items[item.id] = item
            self.add_row(*row_cells(item, prefs, now, palette), key=item.id)
            added.append(item.id)
        if not added:
            return added
        self._trim(cursor_id)
        self._reorder()
        if cursor_id is None or cursor_id not in self._items:
            return added
        new_row = self.get_row_index(cursor_id)
        if top_id is not None and top_id in self._items:
            shift = self.get_row_index(top_id) - scroll_y
        else:
            shift = 0
        visible = max(self.size.height - self.header_height - 1, 1)
        # At the very top, new rows show above the cursor; elsewhere the view holds still.
        target = 0 if scroll_y == 0 and new_row < visible else scroll_y + shift
        if new_row != self.cursor_row:
            self.move_cursor(row=new_row, scroll=False)
        self.call_after_refresh(self.scroll_to, y=target, animate=False, immediate=True)
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
        # update_cell repaints the whole table; a mark changes one row, so repaint one row.
        row = self._data.get(RowKey(item.id))
        if row is None:
            return
        for (key, _), cell in zip(COLUMNS, cells, strict=True):
            row[ColumnKey(key)] = cell
        self._update_count += 1  # invalidates the render caches (the key of every cache)
        self.refresh_row(self.get_row_index(item.id))

    def rerender(self) -> None:
        """Redraw every row (after a time-zone toggle or a theme change)."""
        palette, prefs, now = self._palette(), self._prefs(), self._clock()
        for item in self._items.values():
            cells = row_cells(item, prefs, now, palette)
            for (key, _), cell in zip(COLUMNS, cells, strict=True):
                self.update_cell(item.id, key, cell)

    # -- internals ----------------------------------------------------------

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """Every column has a fixed width (set on resize), so an updated cell changes none.

        DataTable would otherwise re-measure every cell of a column whenever one cell
        got narrower (e.g. a read mark cleared): thousands of measures per key press.
        """
        updated_cells.clear()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Fixed widths and one-line rows: the virtual size needs no measuring of cells."""
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(width, self._total_row_height + header)


    def _id_at(self, row: int) -> str | None:
        if 0 <= row < self.row_count:
            value = self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
            return value
        return None

    def _floor(self) -> SortKey | None:
        if not self._items:
            return None
        return min(sort_key(i) for i in self._items.values())

    def _reorder(self) -> None:
        """Newest first. What DataTable.sort does, keyed by item rather than by cell values."""
        from textual._two_way_dict import TwoWayDict

        ordered = sorted(self._items.values(), key=sort_key, reverse=True)
        self._row_locations = TwoWayDict(
            {RowKey(item.id): index for index, item in enumerate(ordered)}
        )
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate  # re-validated against the new size
        self.refresh(layout=True)

    def _trim(self, keep: str | None) -> None:
        """Drop the oldest rows beyond the window, all at once (call _reorder after).

        DataTable.remove_row re-indexes every row and fires the cursor watchers per
        call; a burst of 100 new rows would cost 100 of those.
        """
        if len(self._items) <= self.window:
            return
        ordered = sorted(self._items.values(), key=sort_key, reverse=True)
        for item in ordered[self.window :]:
            if item.id == keep:
                continue
            del self._items[item.id]
            key = RowKey(item.id)
            for column_key in self._data.get(key, {}):
                self._updated_cells.discard(CellKey(key, column_key))
            self.rows.pop(key, None)
            self._data.pop(key, None)
            self._new_rows.discard(key)
        self._require_update_dimensions = True
