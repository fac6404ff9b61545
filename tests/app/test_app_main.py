"""The main view with Pilot: panels, drill-down, filter, marks that persist, live inserts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from appkit import T0, analyse_as, app_for, make_item, settle

from tui.app.screens.detail import DetailScreen
from tui.app.screens.help import HelpScreen, binding_rows
from tui.app.screens.item_list import ItemListScreen
from tui.app.screens.ledger import ClaimHistoryScreen, LedgerScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.note import NoteScreen
from tui.app.widgets.item_table import ItemTable
from tui.store import Store


def panel(app: object, name: str) -> ItemTable:
    from tui.app.app import SitmonApp

    assert isinstance(app, SitmonApp)
    return app.main.query_one(f"#table-{name}", ItemTable)


async def test_stored_items_show_at_once_in_the_right_panels(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        assert stream.row_count == 11  # every relevant item, never the cricket score
        assert "id-noise1" not in stream.items
        assert stream.ids_in_order()[0] == "id-talks1"  # newest first
        assert set(panel(app, "strike").items) == {"id-strike1", "id-zaidi2"}
        assert set(panel(app, "casualty").items) == {"id-zaidi1", "id-zaidi2", "id-mujahid1"}
        assert set(panel(app, "diplomacy").items) == {"id-talks1"}
        for cell in stream.get_row("id-strike1"):
            assert not isinstance(cell, str)  # cells are Text: never parsed as markup
        assert app.counts["strike"] == 2


async def test_enter_drills_in_and_escape_comes_back(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # second row: the Tolo News claim
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item_id == "id-mujahid1"
        body = app.screen.query_one("#body").render()
        assert "55 Pakistani soldiers" in str(body)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.store.get("id-mujahid1").read  # type: ignore[union-attr]


async def test_entity_view_lists_every_item_mentioning_it(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_item("id-strike1")
        await settle(pilot)
        await pilot.press("x")  # focus the entity list
        await pilot.press("enter")  # the first entity
        await settle(pilot)
        assert isinstance(app.screen, ItemListScreen)
        listed = app.screen.query_one("#list", ItemTable)
        assert listed.row_count >= 2
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_related_items_share_entities_and_category(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_item("id-mujahid1")
        await settle(pilot)
        related = app.screen.query_one("#related", ItemTable)
        assert set(related.items) == {"id-zaidi1", "id-zaidi2"}  # casualty + shared Kabul


async def test_filter_text_entity_feed_and_category(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"Qatar")
        await pilot.press("enter")
        await settle(pilot)
        assert set(panel(app, "stream").items) == {"id-talks1"}
        assert panel(app, "strike").row_count == 0
        assert "Qatar" in str(app.main.query_one("#status").render())  # the filter shows

        for raw, expected in [
            ("entity:Kandahar", {"id-strike1", "id-zaidi2"}),
            ("feed:reuters", {"id-strike1", "id-zaidi2"}),
            ("cat:claims", {"id-zaidi1", "id-zaidi2", "id-mujahid1"}),
        ]:
            app.apply_filter(raw)
            await settle(pilot)
            assert set(panel(app, "stream").items) == expected, raw

        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert panel(app, "stream").row_count == 11
        assert not app.item_filter.active


async def test_flag_and_note_persist_across_a_restart(db_path: Path, seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert panel(app, "stream").current_id() == "id-talks1"
        await pilot.press("f")
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"ask Doha desk")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        marks = panel(app, "stream").get_row("id-talks1")[0]
        assert "⚑" in str(marks) and "✎" in str(marks)
    seeded.close()

    again = Store(db_path)
    try:
        app2 = app_for(again)
        async with app2.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            item = panel(app2, "stream").items["id-talks1"]
            assert item.flagged
            assert item.note == "ask Doha desk"
            assert item.read
    finally:
        again.close()


async def test_new_items_do_not_move_the_cursor(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        await pilot.press("j", "j", "j")
        before = stream.current_id()
        assert before == stream.ids_in_order()[3]
        batch = []
        for n in range(5):
            it = make_item(f"late{n}", f"Fresh clash report {n} from Kabul", feed="AP",
                           minutes=100 + n)
            batch.append((it, analyse_as(it, ["strike"])))
        seeded.add_batch(batch)
        app.start_poll(force=True)  # no feeds: picks up what was stored
        await settle(pilot)
        assert stream.current_id() == before
        assert stream.cursor_row == 8
        assert stream.ids_in_order()[0] == "id-late4"
        assert stream.row_count == 16
        strikes = panel(app, "strike")
        assert "id-late0" in strikes.items


async def test_new_strikes_raise_rate_limited_toasts(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        batch = []
        for n in range(8):
            it = make_item(f"burst{n}", f"Artillery duel [bold]{n}[/] near Kabul", feed="AP",
                           minutes=120 + n)
            batch.append((it, analyse_as(it, ["strike"])))
        seeded.add_batch(batch)
        app.start_poll(force=True)
        await settle(pilot)
        toasts = [n for n in app._notifications if n.title == "New strike"]
        assert len(toasts) == 3
        assert "[bold]" in toasts[0].message and not toasts[0].markup
        assert app._limiter.overflow == 5


async def test_ledger_puts_opposing_claims_side_by_side(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LedgerScreen)
        assert len(screen.incidents) == 1
        incident = screen.incidents[0]
        assert set(incident.sides) == {"pakistan", "afghanistan"}
        table = screen.query_one("#ledger-table")
        from textual.widgets import DataTable

        assert isinstance(table, DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        pair = next(r for r in rows if "133" in r[0])
        assert "55 Pakistani soldiers" in pair[1]  # opposing figure, same row
        assert "(+1 earlier)" in pair[0]  # Zaidi said 100 first
        assert not any("188" in c for r in rows for c in r)  # never summed
        # Drill into Zaidi's killed figures: both, newest first.
        row = next(i for i, r in enumerate(rows) if "133" in r[0])
        table.cursor_coordinate = table.cursor_coordinate._replace(row=row, column=0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimHistoryScreen)
        assert [e.claim.low for e in app.screen.thread.entries] == [133, 100]


async def test_help_lists_every_binding(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = {what for _, _, what in binding_rows()}
        for binding in [*app.BINDINGS, *MainScreen.BINDINGS, *DetailScreen.BINDINGS]:
            assert getattr(binding, "description", "") in shown


async def test_utc_toggle_changes_times(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        assert str(stream.get_row("id-talks1")[1]) == "12:20"  # PKT
        await pilot.press("u")
        assert str(stream.get_row("id-talks1")[1]) == "07:20"  # UTC
        assert T0 + timedelta(minutes=80) == stream.items["id-talks1"].item.published


async def test_pause_and_resume_without_feeds_is_harmless(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.check_action("pause", ()) is False  # nothing to pause: no feeds
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running


async def test_window_keeps_newest_rows_and_the_cursor_item(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        stream.window = 8
        await pilot.press("j", "j")
        held = stream.current_id()
        for burst in range(3):
            batch = []
            for n in range(6):
                it = make_item(f"w{burst}-{n}", f"Wave {burst} report {n} near Kabul", feed="AP",
                               minutes=200 + burst * 10 + n)
                batch.append((it, analyse_as(it, ["strike"])))
            seeded.add_batch(batch)
            app.start_poll(force=True)
            await settle(pilot)
            assert stream.current_id() == held
            assert stream.row_count == len(stream.items) == len(stream.ids_in_order())
            assert stream.row_count <= stream.window + 1  # the window, plus the held item
        order = stream.ids_in_order()
        assert order[0] == "id-w2-5"
        assert order[-1] == held
        await pilot.press("k")
        assert stream.current_id() == order[-2]


async def test_a_change_arriving_before_a_pushed_screen_mounts_is_harmless(seeded: Store) -> None:
    # Moving down the rows marks them read; a fast Enter pushes the detail screen
    # while those changes are still queued. Seen crashing in a real terminal.
    from tui.app.messages import ItemChanged

    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        item = app.store.get("id-mujahid1")
        assert item is not None
        app.push_screen(DetailScreen("id-mujahid1"))
        app.post_message(ItemChanged(item))
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.is_running
        assert "55 Pakistani soldiers" in str(app.screen.query_one("#body").render())


async def test_new_rows_wait_while_the_analyst_types(seeded: Store) -> None:
    import time

    from tui.app.screens import main as main_screen

    app = app_for(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        await pilot.press("j", "j")
        held = stream.current_id()
        app.last_input = time.monotonic() + 60  # keys keep coming
        batch = []
        for n in range(3):
            it = make_item(f"typing{n}", f"Shelling report {n} near Kabul", feed="AP",
                           minutes=300 + n)
            batch.append((it, analyse_as(it, ["strike"])))
        seeded.add_batch(batch)
        app.start_poll(force=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main
        assert main.applying  # queued, not yet in the panels
        assert "id-typing0" not in stream.items
        assert 0 < app.main._apply_wait() <= main_screen.APPLY_HOLD
        await settle(pilot)  # …but never held longer than APPLY_HOLD
        assert not app.main.applying  # (a fresh look: `main` was narrowed above)
        assert {"id-typing0", "id-typing2"} <= set(stream.items)
        assert "id-typing1" in panel(app, "strike").items
        assert stream.current_id() == held  # the cursor stayed on its item
        assert stream.ids_in_order()[0] == "id-typing2"
        assert stream.top_visible_id() == "id-typing2"  # at the top: new rows show above

        app.last_input = float("-inf")  # idle: applied at once
        assert app.main._apply_wait() == 0


async def test_new_rows_keep_a_scrolled_view_still(seeded: Store) -> None:
    app = app_for(seeded)
    async with app.run_test(size=(120, 14)) as pilot:
        await settle(pilot)
        stream = panel(app, "stream")
        await pilot.press(*"jjjjjjjj")
        await settle(pilot)
        assert stream.scroll_y > 0
        held, top = stream.current_id(), stream.top_visible_id()
        batch = []
        for n in range(4):
            it = make_item(f"still{n}", f"Convoy report {n} near Kabul", feed="AP",
                           minutes=400 + n)
            batch.append((it, analyse_as(it, [])))
        seeded.add_batch(batch)
        app.start_poll(force=True)
        await settle(pilot)
        assert stream.ids_in_order()[:4] == [f"id-still{n}" for n in (3, 2, 1, 0)]
        assert stream.current_id() == held
        assert stream.top_visible_id() == top
        assert stream.cursor_row == 12
