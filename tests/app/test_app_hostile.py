"""Hostile feed text: markup, terminal escapes, RTL scripts and giant words render literally.

The items are stored raw (as if the parser's cleaning had missed everything) to prove
the widget layer alone is safe.
"""

from __future__ import annotations

from appkit import analyse_as, app_for, make_item, screen_text, settle

from tui.app.screens.detail import DetailScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets.item_table import ItemTable
from tui.model import Analysis, Item
from tui.store import Store

MARKUP = ["[bold]not bold[/]", "[link=https://x]x[/link]", "[@click=app.quit]quit[/]"]
URDU = "پاکستان اور افغانستان کے درمیان جھڑپیں"
PASHTO = "د پاکستان او افغانستان ترمنځ نښتې"
ESCAPES = (
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ "  # OSC 8 hyperlink
    "\x1b[31mred\x1b[0m "  # SGR colour
    "\x1b]52;c;ZXZpbA==\x07"  # OSC 52 clipboard write
)
GIANT = "w" * 5000
TITLES = [*MARKUP, URDU, PASHTO, ESCAPES, GIANT]


def hostile_batch(offset: int = 0) -> list[tuple[Item, Analysis]]:
    batch = []
    for n, title in enumerate(TITLES):
        it = make_item(
            f"hostile{offset + n}",
            title,
            summary=f"{title} [red]summary[/red] \x1b[2J",
            feed="[b]Evil[/b] feed",
            minutes=n,
            link="javascript:alert(1)" if n == 0 else f"https://example.org/h{n}",
        )
        batch.append((it, analyse_as(it, ["strike"])))
    return batch


def assert_no_raw_escapes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


async def test_hostile_titles_render_literally_and_trigger_nothing(tmp_store: Store) -> None:
    tmp_store.add_batch(hostile_batch())
    app = app_for(tmp_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        for literal in [*MARKUP, URDU, PASHTO, "[b]Evil[/b]", "wwwwwwwwww"]:
            assert literal in shown, literal
        assert "␛]8;;https://evil" in shown  # the escape is shown, not obeyed
        assert_no_raw_escapes(shown)

        stream = app.main.query_one("#table-stream", ItemTable)
        for item_id in list(stream.items):
            for cell in stream.get_row(item_id):
                assert not isinstance(cell, str)

        # Click the row whose title is an @click action, then open every item.
        await pilot.click("#table-stream", offset=(30, 1 + len(TITLES) - 2))
        await pilot.click("#table-stream", offset=(30, 1 + len(TITLES) - 2))
        await settle(pilot)
        assert app.is_running
        if isinstance(app.screen, DetailScreen):
            await pilot.press("escape")
        for item_id in list(stream.items):
            app.show_item(item_id)
            await settle(pilot)
            detail = screen_text(app)
            assert_no_raw_escapes(detail)
            await pilot.press("o")  # javascript: link must not open
            await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.is_running

        app.show_item("id-hostile0")
        await settle(pilot)
        detail = screen_text(app)
        assert "[bold]not bold[/]" in detail
        assert "[red]summary[/red]" in detail
        await pilot.press("escape")


async def test_hostile_alerts_show_literally(tmp_store: Store) -> None:
    app = app_for(tmp_store)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        tmp_store.add_batch(hostile_batch(100)[:3])
        app.start_poll(force=True)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("[@click=app.quit]quit[/]" in m for m in messages)
        assert all(not n.markup for n in app._notifications)
        shown = screen_text(app)
        assert "[bold]not bold[/]" in shown
        assert app.is_running
