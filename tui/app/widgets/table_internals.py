"""The one place sitmon touches DataTable's private state (written against textual 8.2.8).

ItemTable needs three things on every poll that DataTable's public API does not offer
at an acceptable cost:

* put rows in an order that is not a function of their cell values (new items at the
  top): :func:`set_row_order`, what ``DataTable.sort`` does after sorting;
* drop many rows at once: :func:`drop_rows`, what ``DataTable.remove_row`` does per row
  (``remove_row`` re-indexes every row and repaints the table on each call);
* replace one row's cells and repaint only that row: :func:`replace_row_cells`
  (``update_cell`` repaints the whole table, once per cell).

It also keeps DataTable from measuring cells (every column has a fixed width):
:func:`set_column_widths`, :func:`sync_dimensions`, and the two hook overrides in
``ItemTable`` (``_update_dimensions``, ``_update_column_widths``) that delegate here.

Every render cache of DataTable is keyed by ``_update_count``; bumping it (as DataTable's
own mutators do) invalidates them all, so the callers bump it once per batch, not per row.

``tests/app/test_table_internals.py`` exercises each function against the installed
textual and checks the attributes and hooks used here. If it fails after a textual
upgrade, re-read ``DataTable.sort``, ``remove_row``, ``update_cell``, ``add_column`` and
``_on_idle`` and adjust this module (nothing else touches the internals).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual._two_way_dict import TwoWayDict
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

Table = DataTable[Any]


def set_row_order(table: Table, keys: Sequence[str]) -> None:
    """Show the rows in this order; ``keys`` holds every row key exactly once."""
    table._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(keys)})
    table._update_count += 1  # rows moved: every cached render is stale
    table.cursor_coordinate = table.cursor_coordinate  # re-validated against the row count


def drop_rows(table: Table, keys: Iterable[str]) -> None:
    """Remove rows without re-indexing after each one: call :func:`set_row_order` next."""
    for value in keys:
        key = RowKey(value)
        for column_key in table._data.get(key, {}):
            table._updated_cells.discard(CellKey(key, column_key))
        table.rows.pop(key, None)
        table._data.pop(key, None)
        table._new_rows.discard(key)
    table._require_update_dimensions = True


def replace_row_cells(
    table: Table, key: str, cells: Iterable[tuple[str, object]], *, repaint: bool = True
) -> bool:
    """New values for some cells of one row (column key, value); repaint only that row.

    With ``repaint=False`` nothing is repainted (the caller refreshes once for many rows).
    False when the row is not in the table.
    """
    row = table._data.get(RowKey(key))
    if row is None:
        return False
    for column_key, value in cells:
        row[ColumnKey(column_key)] = value
    table._update_count += 1  # the render caches hold the old cells
    if repaint:
        table.refresh_row(table.get_row_index(key))
    return True


def set_column_widths(table: Table, widths: Iterable[tuple[str, int]]) -> None:
    """Fixed column widths (no auto width), then one repaint. What add_column does."""
    for key, width in widths:
        column = table.columns.get(ColumnKey(key))
        if column is not None:
            column.width = width
            column.auto_width = False
    table._require_update_dimensions = True
    table._clear_caches()
    table.refresh()


def sync_dimensions(table: Table) -> None:
    """The virtual size now, instead of on the next idle (one-line rows, fixed widths).

    Lets the caller scroll to a row that was just added in the same handler, so that a
    batch of new rows costs one repaint, not two (the second after an idle-time resize).
    """
    table._require_update_dimensions = False
    table._new_rows.clear()
    fixed_virtual_size(table)


def fixed_virtual_size(table: Table) -> None:
    """Set the virtual size from the column widths and the row count (public API only)."""
    header = table.header_height if table.show_header else 0
    width = sum(column.get_render_width(table) for column in table.columns.values())
    size = Size(width, table.row_count + header)
    if table.virtual_size != size:
        table.virtual_size = size


__all__ = [
    "drop_rows",
    "fixed_virtual_size",
    "replace_row_cells",
    "set_column_widths",
    "set_row_order",
    "sync_dimensions",
]
