"""The poller: schedule, health, conditional polls, failures that stop nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from feedserver import FeedServer, Reply, item, rss

from tui.errors import UserError
from tui.ingest.fetch import FetchLimits
from tui.ingest.parse import parse_feed
from tui.ingest.parsepool import PROCESS_MIN_FEEDS
from tui.ingest.poller import Poller
from tui.model import Analysis, FeedConfig, Item
from tui.store import ItemQuery, Store

T0 = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)
LIMITS = FetchLimits(deadline=2.0, connect_timeout=1.0, max_bytes=256 * 1024)
ALL = ItemQuery(relevant_only=False)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Counting:
    """A trivial analyser that records what it was asked to analyse."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, it: Item) -> Analysis:
        self.seen.append(it.title)
        return Analysis(relevant=True, categories=("strike",) if "strike" in it.title else ())


def make(
    feeds: list[FeedConfig], store: Store, analyser: Callable[[Item], Analysis] | None = None,
    clock: Clock | None = None,
) -> Poller:
    return Poller(
        feeds, store, analyser or Counting(), clock=clock or Clock(), rng=random.Random(1),
        limits=LIMITS,
    )


DOC1 = rss(item("First strike", guid="1"), item("Second item", guid="2"))
DOC2 = rss(item("First strike", guid="1"), item("Second item", guid="2"),
           item("Third strike", guid="3"))


async def test_poll_stores_items_and_health(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/a", Reply(200, DOC1, headers=[("ETag", '"e1"')]))
    analyser = Counting()
    poller = make([FeedConfig("A", url, interval=300)], tmp_store, analyser)
    try:
        (result,) = await poller.poll_once()
    finally:
        await poller.aclose()
    assert result.feed == "A" and result.status == 200 and result.new_items == 2
    assert result.error == "" and len(result.new_ids) == 2 and result.seconds >= 0
    assert analyser.seen == ["First strike", "Second item"]
    assert tmp_store.count(ALL) == 2
    health = tmp_store.get_feed("A")
    assert health is not None
    assert health.status == 200 and health.etag == '"e1"' and health.failures == 0
    assert health.last_attempt == T0 and health.last_success == T0
    assert health.next_poll == T0 + timedelta(seconds=300)
    assert health.items_seen == 2 and not health.gone


async def test_second_poll_is_conditional_and_only_new_items_are_analysed(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    url = feed_server.set("/a", [
        Reply(200, DOC1,
              headers=[("ETag", '"e1"'), ("Last-Modified", "Fri, 27 Feb 2026 10:00:00 GMT")]),
        Reply(304),
        Reply(200, DOC2, headers=[("ETag", '"e2"')]),
    ])
    analyser = Counting()
    clock = Clock()
    poller = make([FeedConfig("A", url)], tmp_store, analyser, clock)
    try:
        await poller.poll_once()
        clock.advance(300)
        (second,) = await poller.poll_once()
        clock.advance(300)
        (third,) = await poller.poll_once()
    finally:
        await poller.aclose()
    assert second.not_modified and second.new_items == 0 and second.status == 304
    sent = feed_server.seen("/a")[1].headers
    assert sent["if-none-match"] == '"e1"'
    assert sent["if-modified-since"] == "Fri, 27 Feb 2026 10:00:00 GMT"
    assert third.new_items == 1
    assert analyser.seen == ["First strike", "Second item", "Third strike"]
    assert tmp_store.count(ALL) == 3
    health = tmp_store.get_feed("A")
    assert health is not None and health.etag == '"e2"' and health.items_seen == 3


async def test_a_failing_feed_stops_nothing_and_deletes_nothing(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    good = feed_server.set("/good", Reply(200, DOC1))
    flaky = feed_server.set("/flaky", [Reply(200, DOC2), Reply(500)])
    clock = Clock()
    poller = make(
        [FeedConfig("Good", good, interval=120), FeedConfig("Flaky", flaky, interval=120),
         FeedConfig("Html", feed_server.set("/html", Reply(200, b"<html><body>hi</body></html>",
                                                        headers=[("Content-Type", "text/html")]))),
         FeedConfig("Dead", feed_server.url("/missing"))],
        tmp_store, clock=clock,
    )
    try:
        first = await poller.poll_once()
        assert [r.error == "" for r in first] == [True, True, False, False]
        before = tmp_store.count(ALL)
        clock.advance(120)
        second = {r.feed: r for r in await poller.poll_once()}
    finally:
        await poller.aclose()
    assert second["Good"].error == "" and second["Flaky"].error.startswith("HTTP 500")
    assert second["Html"].error == "not a feed: got an HTML page"
    assert second["Dead"].error == "HTTP 404 Not Found"
    assert tmp_store.count(ALL) == before == 5
    flaky_health = tmp_store.get_feed("Flaky")
    assert flaky_health is not None
    assert flaky_health.failures == 1 and flaky_health.status == 500 and flaky_health.failing
    assert flaky_health.last_success == T0  # the earlier success is remembered
    assert flaky_health.next_poll is not None
    delay = (flaky_health.next_poll - clock.now).total_seconds()
    assert 60 <= delay <= 3600
    dead = tmp_store.get_feed("Dead")
    assert dead is not None and dead.failures == 2
    html = tmp_store.get_feed("Html")
    assert html is not None and html.etag is None  # a failed parse keeps no validators
    assert [e.feed for e in tmp_store.feed_events()].count("Dead") == 2


async def test_retry_after_sets_the_next_poll(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/a", Reply(429, headers=[("Retry-After", "900")]))
    poller = make([FeedConfig("A", url)], tmp_store)
    try:
        (result,) = await poller.poll_once()
    finally:
        await poller.aclose()
    assert result.status == 429
    health = tmp_store.get_feed("A")
    assert health is not None and health.next_poll == T0 + timedelta(seconds=900)


async def test_gone_feed_stops_polling_until_its_url_changes(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    url = feed_server.set("/old", Reply(410))
    clock = Clock()
    poller = make([FeedConfig("A", url)], tmp_store, clock=clock)
    try:
        (result,) = await poller.poll_once()
        assert result.status == 410 and "gone" in result.error
        health = tmp_store.get_feed("A")
        assert health is not None and health.gone and health.next_poll is None
        assert poller.next_due() is None
        clock.advance(10 * 86400)
        assert await poller.poll_due() == []
        (again,) = await poller.poll_once()  # reported, not requested
        assert "gone" in again.error
        assert len(feed_server.seen("/old")) == 1
        # The user fixes the URL: a fresh start.
        poller.set_feeds([FeedConfig("A", feed_server.set("/new", Reply(200, DOC1)))])
        assert poller.next_due() == clock.now
        (fixed,) = await poller.poll_due()
    finally:
        await poller.aclose()
    assert fixed.error == "" and fixed.new_items == 2
    health = tmp_store.get_feed("A")
    assert health is not None and not health.gone and health.url.endswith("/new")


async def test_permanent_redirect_is_recorded_not_written_back(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    feed_server.set("/moved", Reply(301, headers=[("Location", "/here")]))
    feed_server.set("/here", Reply(200, DOC1))
    feed = FeedConfig("A", feed_server.url("/moved"))
    poller = make([feed], tmp_store)
    try:
        (result,) = await poller.poll_once()
    finally:
        await poller.aclose()
    assert result.new_items == 2
    health = tmp_store.get_feed("A")
    assert health is not None
    assert health.url == feed.url and health.permanent_url == feed_server.url("/here")
    # Ids follow the configured URL, so they do not change when the feed moves.
    assert all(i.item.feed_url == feed.url for i in tmp_store.items(ALL))


async def test_poll_due_and_next_due_follow_the_schedule(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    fast = feed_server.set("/fast", Reply(200, DOC1))
    slow = feed_server.set("/slow", Reply(200, DOC2))
    clock = Clock()
    poller = make(
        [FeedConfig("Fast", fast, interval=10), FeedConfig("Slow", slow, interval=600)],
        tmp_store, clock=clock,
    )
    try:
        assert poller.next_due() == T0  # never polled: due now
        assert len(await poller.poll_due()) == 2
        assert await poller.poll_due() == []
        # The interval floor: 10 s is polled every 60 s.
        assert poller.next_due() == T0 + timedelta(seconds=60)
        clock.advance(60)
        assert [r.feed for r in await poller.poll_due()] == ["Fast"]
        clock.advance(600)
        assert sorted(r.feed for r in await poller.poll_due()) == ["Fast", "Slow"]
    finally:
        await poller.aclose()


async def test_health_survives_a_new_poller(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/a", [Reply(200, DOC1, headers=[("ETag", '"x"')]), Reply(304)])
    feed = FeedConfig("A", url)
    first = make([feed], tmp_store)
    try:
        await first.poll_once()
    finally:
        await first.aclose()
    second = make([feed], tmp_store)
    try:
        assert second.next_due() == T0 + timedelta(seconds=300)
        (result,) = await second.poll_once()
    finally:
        await second.aclose()
    assert result.not_modified
    assert feed_server.seen("/a")[1].headers["if-none-match"] == '"x"'


async def test_analyser_failure_keeps_the_items(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/a", Reply(200, DOC1))

    def broken(it: Item) -> Analysis:
        if it.title == "Second item":
            raise ValueError("boom")
        return Analysis(relevant=True)

    poller = make([FeedConfig("A", url)], tmp_store, broken)
    try:
        (result,) = await poller.poll_once()
    finally:
        await poller.aclose()
    assert result.new_items == 2 and "analysis failed for 1 items" in result.warning
    assert tmp_store.count(ItemQuery(relevant_only=True)) == 1


async def test_store_failure_is_reported_not_raised(
    feed_server: FeedServer, tmp_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = feed_server.set("/a", Reply(200, DOC1))
    other = feed_server.set("/b", Reply(200, DOC2))

    real = tmp_store.add_batch

    def add_batch(batch, health=None):  # type: ignore[no-untyped-def]
        if health is not None and health.name == "A":
            raise RuntimeError("disk on fire")
        return real(batch, health)

    monkeypatch.setattr(tmp_store, "add_batch", add_batch)
    poller = make([FeedConfig("A", url), FeedConfig("B", other)], tmp_store)
    try:
        results = {r.feed: r for r in await poller.poll_once()}
    finally:
        await poller.aclose()
    assert results["A"].error.startswith("internal error: RuntimeError: disk on fire")
    assert results["B"].new_items == 3
    health = tmp_store.get_feed("A")
    assert health is not None and health.failures == 1 and "disk on fire" in health.error


async def test_a_pack_that_does_not_load_stops_the_poll(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    """A UserError from the analyser (the seed pack failed to compile) is not one item's
    trouble: the poll stops with it, and nothing is stored without its analysis."""
    url = feed_server.set("/a", Reply(200, DOC1))

    def bad_pack(it: Item) -> Analysis:
        raise UserError("pack.toml: entry 'x': patterns: item 1 is not a valid regex")

    poller = make([FeedConfig("A", url)], tmp_store, bad_pack)
    with pytest.raises(UserError, match=r"pack\.toml"):
        try:
            await poller.poll_once()
        finally:
            await poller.aclose()
    assert tmp_store.count(ALL) == 0


async def test_small_polls_parse_in_threads(feed_server: FeedServer, tmp_store: Store) -> None:
    url = feed_server.set("/a", Reply(200, DOC1))
    poller = make([FeedConfig("A", url)], tmp_store)
    try:
        (result,) = await poller.poll_once()
        started = poller.parser.running
    finally:
        await poller.aclose()
    assert result.new_items == 2 and not started


async def test_big_polls_parse_in_worker_processes_and_stop_them(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    """Enough feeds start the parse workers; the items are the ones parse_feed makes
    here, and closing the poller stops the workers."""
    feeds = [FeedConfig(f"F{i}", feed_server.set(f"/f{i}", Reply(200, DOC2)))
             for i in range(PROCESS_MIN_FEEDS)]
    analyser = Counting()
    poller = make(feeds, tmp_store, analyser)
    try:
        results = await poller.poll_once()
        started = poller.parser.running
    finally:
        await poller.aclose()
    assert started and not poller.parser.running
    assert [r.new_items for r in results] == [3] * len(feeds) and not any(r.error for r in results)
    assert len(analyser.seen) == 3 * len(feeds)
    expected = parse_feed(DOC2, {}, feeds[0], T0).items
    stored = {it.id: it for it in tmp_store.items(ItemQuery(relevant_only=False, feed="F0"))}
    assert sorted(stored) == sorted(it.id for it in expected)
    for it in expected:
        assert stored[it.id].item.title == it.title
        assert stored[it.id].item.published == it.published
