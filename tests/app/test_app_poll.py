"""Polling from the app against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from appkit import app_for, hits, settle
from feedserver import FeedServer, Reply, item, rss

from tui.app.screens.feeds import FeedHealthScreen
from tui.app.widgets.item_table import ItemTable
from tui.model import Analysis, FeedConfig, Item
from tui.store import Store


def keyword_analyser(it: Item) -> Analysis:
    """A trivial stand-in for the seed-pack analysis: keywords decide everything."""
    text = it.text.lower()
    cats = []
    if "strike" in text:
        cats.append("strike")
    if "killed" in text:
        cats.append("casualty")
    if "talks" in text:
        cats.append("diplomacy")
    return Analysis(relevant="pakistan" in text, categories=tuple(cats), entities=hits(it.text))


FEED = rss(
    item("Pakistan air strike hits Kabul", guid="a1", link="https://example.org/a1",
         date="Fri, 27 Feb 2026 07:00:00 GMT"),
    item("Pakistan says 20 killed at the border", guid="a2", link="https://example.org/a2",
         date="Fri, 27 Feb 2026 07:10:00 GMT"),
    item("Pakistan and Afghanistan agree to talks in Doha", guid="a3",
         link="https://example.org/a3", date="Fri, 27 Feb 2026 07:20:00 GMT"),
    item("Weather: fog in Lahore", guid="a4", date="Fri, 27 Feb 2026 07:30:00 GMT"),
)


def tables(app: object) -> dict[str, ItemTable]:
    from tui.app.app import SitmonApp

    assert isinstance(app, SitmonApp)
    return app.main.tables()


async def test_a_poll_fills_the_right_panels(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/wire.xml", Reply(200, FEED, [("Content-Type", "application/rss+xml")]))
    app = app_for(tmp_store, poll=True, feeds=[FeedConfig("Wire", url, interval=300)],
                  analyser=keyword_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        t = tables(app)
        titles = {i.item.title for i in t["stream"].items.values()}
        assert titles == {
            "Pakistan air strike hits Kabul",
            "Pakistan says 20 killed at the border",
            "Pakistan and Afghanistan agree to talks in Doha",
        }
        assert [i.item.title for i in t["strike"].items.values()] == [
            "Pakistan air strike hits Kabul"
        ]
        assert len(t["casualty"].items) == 1
        assert len(t["diplomacy"].items) == 1
        assert app.last_success is not None
        assert feed_server.seen("/wire.xml")


async def test_failing_feeds_show_in_feed_health(feed_server: FeedServer, tmp_store: Store) -> None:
    good = feed_server.set("/good.xml", Reply(200, FEED))
    bad = feed_server.set("/bad.xml", Reply(500, b"oops"))
    feeds = [FeedConfig("Good", good, interval=300), FeedConfig("Broken", bad, interval=300)]
    app = app_for(tmp_store, poll=True, feeds=feeds, analyser=keyword_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        status = str(app.main.query_one("#status").render())
        assert "1/2 feeds failing" in status
        assert not app.main.query_one("#banner").has_class("-shown")
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, FeedHealthScreen)
        from textual.widgets import DataTable

        table = screen.query_one("#feeds-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
                for i in range(table.row_count)}
        assert rows["Broken"][1].startswith("FAILING")
        assert "500" in rows["Broken"][3] or "500" in rows["Broken"][1]
        assert rows["Good"][1] == "OK"
        assert table.get_row_at(0)[0].plain == "Broken"  # failing first


async def test_every_feed_failing_raises_the_banner(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    bad = feed_server.set("/bad.xml", Reply(503, b"down"))
    app = app_for(tmp_store, poll=True, feeds=[FeedConfig("Broken", bad, interval=300)],
                  analyser=keyword_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        banner = app.main.query_one("#banner")
        assert banner.has_class("-shown")
        assert "Every feed is failing" in str(banner.render())


async def test_pause_stops_the_timer_and_resume_polls(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    url = feed_server.set("/wire.xml", Reply(200, FEED))
    app = app_for(tmp_store, poll=True, feeds=[FeedConfig("Wire", url, interval=300)],
                  analyser=keyword_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the first poll runs as soon as stored items are shown
        assert tables(app)["stream"].row_count == 3
        await pilot.press("p")
        await settle(pilot)
        assert app.paused
        assert app._timer is None
        assert "paused" in str(app.main.query_one("#status").render())
        assert app.check_action("resume", ()) and not app.check_action("pause", ())
        assert len(feed_server.requests) == 1  # the first poll, before the pause
        await pilot.press("p")  # resume: polls what is due, then re-arms the timer
        assert not app.paused
        await pilot.pause()
        await settle(pilot)
        assert app._timer is not None  # waiting for the feed's next due time
        assert len(feed_server.requests) == 1  # the feed was not due yet
        assert tables(app)["stream"].row_count == 3


async def test_a_poll_large_enough_for_worker_processes_works_in_the_app(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    # Polls of PROCESS_MIN_FEEDS feeds or more parse in worker processes. Inside a running
    # app sys.stderr is Textual's capture; starting the workers under it once made every
    # feed fail (seen in sitmon --demo).
    from tui.ingest.parsepool import PROCESS_MIN_FEEDS

    feeds = []
    for n in range(PROCESS_MIN_FEEDS):
        body = rss(item(f"Pakistan air strike report {n}", guid=f"w{n}",
                        date="Fri, 27 Feb 2026 07:00:00 GMT"))
        reply = Reply(200, body, [("Content-Type", "application/rss+xml")])
        url = feed_server.set(f"/w{n}.xml", reply)
        feeds.append(FeedConfig(f"Wire {n}", url, interval=300))
    app = app_for(tmp_store, poll=True, feeds=feeds, analyser=keyword_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert [h.error for h in tmp_store.feeds()] == [""] * PROCESS_MIN_FEEDS
        assert len(tables(app)["strike"].items) == PROCESS_MIN_FEEDS
