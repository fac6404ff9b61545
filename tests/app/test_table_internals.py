"""tui/app/widgets/table_internals.py against the installed textual.

That module is the only code touching DataTable's private state. These tests fail
if a textual upgrade renames or changes what it relies on; then re-read DataTable
and adjust that module (see its docstring).
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.renderables.styled import Styled
from textual.widgets import DataTable

from tui.app.widgets import table_internals as internals
from tui.app.widgets.safe import CellText, cell_text


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")


async def _filled(app: TableApp) -> DataTable[Any]:
    table = app.query_one(DataTable)
    table.add_column("A", key="a", width=5)
    table.add_column("B", key="b", width=5)
    for n in range(6):
        table.add_row(Text(f"a{n}"), Text(f"b{n}"), key=f"r{n}")
    return table


def test_datatable_still_has_what_the_module_uses() -> None:
    table: DataTable[Any] = DataTable()
    for name in ("_row_locations", "_update_count", "_data", "_new_rows", "_updated_cells",
                 "_require_update_dimensions", "rows", "columns"):
        assert hasattr(table, name), name
    assert callable(table._clear_caches)
    # The two hooks ItemTable overrides, called from _on_idle with these arguments.
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == [
        "self", "new_rows"]
    assert list(inspect.signature(DataTable._update_column_widths).parameters) == [
        "self", "updated_cells"]
    idle = inspect.getsource(DataTable._on_idle)
    assert "self._update_dimensions(" in idle and "self._update_column_widths(" in idle
    # Every render cache is keyed by _update_count (bumping it is how rows repaint).
    for method in (DataTable._render_line, DataTable._render_line_in_row,
                   DataTable._render_cell):
        assert "self._update_count" in inspect.getsource(method)


async def test_order_drop_and_replace_keep_the_table_consistent() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = await _filled(app)
        await pilot.pause()
        before = table._update_count

        internals.set_row_order(table, ["r5", "r4", "r3", "r2", "r1", "r0"])
        assert table._update_count > before
        assert [row.key.value for row in table.ordered_rows] == [
            "r5", "r4", "r3", "r2", "r1", "r0"]
        assert table.get_row_index("r5") == 0
        assert str(table.get_row_at(0)[0]) == "a5"

        internals.drop_rows(table, ["r0", "r1"])
        internals.set_row_order(table, ["r5", "r4", "r3", "r2"])
        internals.sync_dimensions(table)
        assert table.row_count == 4
        assert table.virtual_size.height == 4 + table.header_height
        assert [row.key.value for row in table.ordered_rows] == ["r5", "r4", "r3", "r2"]
        table.move_cursor(row=3)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "r2"

        assert internals.replace_row_cells(table, "r3", [("b", Text("new"))])
        assert str(table.get_row("r3")[1]) == "new"
        assert not internals.replace_row_cells(table, "r0", [("b", Text("gone"))])

        internals.set_column_widths(table, [("a", 7), ("b", 3)])
        assert [c.width for c in table.ordered_columns] == [7, 3]
        assert not any(c.auto_width for c in table.ordered_columns)
        await pilot.pause()
        # What is painted follows the new order (rendering reads the private state).
        assert "a5" in table.render_line(1).text  # line 0 is the header


def test_cell_text_renders_exactly_like_text() -> None:
    """CellText's fast path gives the same segments as rich's Text, at every width."""
    console = Console(width=120, force_terminal=True, color_system="truecolor")
    samples = ["12:20", "Pakistan strikes Taliban posts in Kabul and Kandahar", "",
               "ابراهيم", "日本語のテキスト", "tab\there", "two\nlines"]

    def variants(raw: str) -> list[CellText]:
        plain = cell_text(raw)
        bold = cell_text(raw, Style(bold=True))
        spanned = cell_text(raw, "italic")
        spanned.stylize("underline", 1, 4)
        built = CellText(end="", no_wrap=True)
        built.append(raw[:1] or " ", Style(color="blue"))
        built.append(raw[1:3], "bold")
        return [plain, bold, spanned, built]

    for raw in samples:
        for fast in variants(raw):
            slow = Text(fast.plain, style=fast.style, end=fast.end, no_wrap=fast.no_wrap,
                        overflow=fast.overflow, spans=list(fast.spans))
            for width in range(1, 40):
                options = console.options.update_dimensions(width, 1).update(no_wrap=True)

                def lines(cell: Text, opts: Any = options) -> Any:
                    styled = Styled(Padding(cell, (0, 1)), pre_style=Style(color="red"),
                                    post_style=Style())
                    return console.render_lines(styled, opts)

                assert lines(fast) == lines(slow), (raw, width)
