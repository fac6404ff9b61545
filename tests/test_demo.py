"""The demo server: progressive release, ETags, broken feeds, and demo data that parses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tui.demo.server import BROKEN_FEEDS, DATA_DIR, DEMO_FEEDS, FIRST_BATCH, DemoServer
from tui.ingest.fetch import FetchLimits
from tui.ingest.parse import parse_feed
from tui.ingest.poller import Poller
from tui.model import FEED_KINDS, Analysis, FeedConfig
from tui.store import ItemQuery, Store

NOW = datetime(2026, 2, 28, tzinfo=UTC)


class Tick:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def items_in(body: bytes) -> int:
    return len(re.findall(rb"<(?:item|entry)[\s>]", body))


def test_every_demo_file_parses_with_entries() -> None:
    assert len(DEMO_FEEDS) >= 6
    for demo in DEMO_FEEDS:
        body = (DATA_DIR / demo.file).read_bytes()
        feed = FeedConfig(demo.name, f"http://127.0.0.1:1/feeds/{demo.file}", kind=demo.kind)
        result = parse_feed(body, {"content-type": "application/xml"}, feed, NOW)
        assert result.error == "" and len(result.items) == items_in(body) >= 5, demo.file
        assert demo.kind in FEED_KINDS
        if "hostile" not in demo.file:
            assert result.warning == "", demo.file


def test_demo_text_covers_the_story() -> None:
    text = " ".join((DATA_DIR / d.file).read_text(encoding="utf-8") for d in DEMO_FEEDS)
    for needle in ("133", "more than 200", "27 posts", "55 Pakistani soldiers", "19", "Nangarhar",
                   "Kabul", "Kandahar", "Paktia", "Saudi", "Russia", "Qatar", "Turkey",
                   "United Nations", "Cricket", "[@click=app.quit]", "&#27;]8;;", "&#27;]52;",
                   "&#x202E;", "&#x200B;", "پاکستان", "افغانستان"):
        assert needle in text, needle


def test_hostile_feed_comes_out_clean() -> None:
    body = (DATA_DIR / "hostile-aggregator.xml").read_bytes()
    result = parse_feed(body, {}, FeedConfig("U", "http://127.0.0.1:1/u"), NOW)
    assert result.warning.startswith("malformed feed")
    for it in result.items:
        assert all(c.isprintable() for c in it.title + it.summary), it.title
        assert "\x1b" not in it.title + it.summary and "\u202e" not in it.title
    titles = [i.title for i in result.items]
    assert any("[@click=app.quit]" in t for t in titles)  # literal text, not markup
    assert len({i.id for i in result.items}) == len(result.items) == 8


def test_progressive_release_and_etag() -> None:
    tick = Tick()
    with DemoServer(release_every=20, port=0, clock=tick) as demo:
        assert demo.base_url.startswith("http://127.0.0.1:")
        url = demo.feeds()[0].url
        with httpx.Client(timeout=5) as client:
            first = client.get(url)
            assert first.status_code == 200 and items_in(first.content) == FIRST_BATCH
            etag = first.headers["etag"]
            same = client.get(url, headers={"If-None-Match": etag})
            assert same.status_code == 304 and same.content == b""
            tick.t += 20
            more = client.get(url, headers={"If-None-Match": etag})
            assert more.status_code == 200 and items_in(more.content) == FIRST_BATCH + 1
            assert more.headers["etag"] != etag
            tick.t += 10_000
            total = items_in((DATA_DIR / DEMO_FEEDS[0].file).read_bytes())
            assert items_in(client.get(url).content) == total


def test_release_all_and_broken_feeds() -> None:
    with DemoServer(release_all=True, port=0, slow_seconds=0.05) as demo:
        feeds = demo.feeds()
        assert len(feeds) == len(DEMO_FEEDS) + len(BROKEN_FEEDS)
        assert len(demo.feeds(include_broken=False)) == len(DEMO_FEEDS)
        assert all(f.interval >= 60 and f.kind in FEED_KINDS for f in feeds)
        with httpx.Client(timeout=5) as client:
            statuses = {f.name: client.get(f.url) for f in feeds}
        for demo_feed in DEMO_FEEDS:
            response = statuses[demo_feed.name]
            assert response.status_code == 200
            assert items_in(response.content) == items_in((DATA_DIR / demo_feed.file).read_bytes())
            assert str(demo.port).encode() not in response.content  # same body on any port
        assert statuses["Broken: server error"].status_code == 500
        assert statuses["Broken: missing"].status_code == 404
        assert statuses["Broken: garbage"].status_code == 200
        assert statuses["Slow feed"].status_code == 200


async def test_poller_against_the_demo(tmp_path: Path) -> None:
    with DemoServer(release_all=True, port=0, slow_seconds=0.05) as demo, \
            Store(tmp_path / "demo.db") as store:
        poller = Poller(demo.feeds(), store, lambda item: Analysis(relevant=True),
                        limits=FetchLimits(deadline=5))
        try:
            results = {r.feed: r for r in await poller.poll_once()}
            again = {r.feed: r for r in await poller.poll_once()}
        finally:
            await poller.aclose()
        expected = sum(items_in((DATA_DIR / d.file).read_bytes()) for d in DEMO_FEEDS) + 1
        assert sum(r.new_items for r in results.values()) == expected
        assert store.count(ItemQuery(relevant_only=False)) == expected
        assert results["Broken: server error"].error.startswith("HTTP 500")
        assert results["Broken: missing"].error.startswith("HTTP 404")
        assert results["Broken: garbage"].error.startswith("not a feed")
        assert results["Slow feed"].error == "" and results["Slow feed"].new_items == 1
        for d in DEMO_FEEDS:
            assert again[d.name].not_modified and again[d.name].status == 304


def test_start_is_required_and_stop_is_idempotent() -> None:
    demo = DemoServer(port=0)
    with pytest.raises(RuntimeError):
        demo.feeds()
    demo.start()
    demo.stop()
    demo.stop()


def test_preferred_port_falls_back_when_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    with DemoServer(port=0) as first:
        monkeypatch.setenv("SITMON_DEMO_PORT", str(first.port))
        with DemoServer() as second:
            assert second.port not in (0, first.port)
