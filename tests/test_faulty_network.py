"""The real Poller against a misbehaving network, many poll cycles on a fake clock.

A scripted server on 127.0.0.1 serves healthy feeds (that grow now and then and answer
304 when unchanged) next to feeds that always fail (HTTP 500, 429 with Retry-After,
garbage, a server that never answers, one that trickles) and flaky feeds that do any of
these at random. The clock jumps to the next due poll each cycle, so hours of schedule
run in seconds. The long version of this is bench/soak_faulty.py.
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import statistics
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from feedserver import FeedServer, Reply, Seen, item, rss

from tui.ingest.fetch import FetchLimits
from tui.ingest.poller import Poller
from tui.model import Analysis, FeedConfig, Item
from tui.store import ItemQuery, Store

T0 = datetime(2026, 2, 27, 0, 0, tzinfo=UTC)
INTERVAL = 300
SIM_HOURS = 3
LIMITS = FetchLimits(deadline=0.2, connect_timeout=0.2, max_bytes=256 * 1024)
ALL = ItemQuery(relevant_only=False)
HEALTHY = 4
FLAKY = 2
WARM_CYCLES = 20  # memory is measured from here on


# Memory is counted where it was allocated: sitmon and the stack it polls with. The
# test's own bookkeeping and the scripted server grow with the cycles by design.
UNDER_TEST = [
    tracemalloc.Filter(True, f"*{os.sep}{part}{os.sep}*")
    for part in ("tui", "httpx", "httpcore", "h11", "anyio", "asyncio", "feedparser",
                 "sqlite3", "concurrent")
]


def held_by_code_under_test() -> int:
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(UNDER_TEST)
    return sum(stat.size for stat in snapshot.statistics("filename"))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def analyser(it: Item) -> Analysis:
    return Analysis(relevant="strike" in it.title, categories=("strike",)
                    if "strike" in it.title else ())


class Growing:
    """A feed that gains an item on about one poll in three; ETag per version, 304 when
    the client already has it. Remembers every guid it ever served in a 200."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.count = 3
        self.served: set[str] = set()

    def doc(self) -> tuple[bytes, str]:
        items = [item(f"{self.name} strike report {k}", guid=f"{self.name}-{k}",
                      date=None, summary=f"Fighting near the border, update {k}. " * 8)
                 for k in range(max(0, self.count - 20), self.count)]
        return rss(*reversed(items), title=self.name), f'"{self.name}-v{self.count}"'

    def __call__(self, seen: Seen) -> Reply:
        if self.rng.random() < 0.35:
            self.count += 1
        body, etag = self.doc()
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, headers=[("ETag", etag)])
        self.served.update(f"{self.name}-{k}" for k in range(max(0, self.count - 20),
                                                             self.count))
        return Reply(200, body, headers=[("ETag", etag), ("Content-Type", "application/rss+xml")])


def hang() -> Reply:
    # Headers, then nothing for longer than the fetch deadline (ends when the server stops).
    return Reply(200, chunks=[b"<?xml version='1.0'?><rss", b"/>"], delay=30.0,
                 headers=[("Content-Type", "application/rss+xml")])


def trickle() -> Reply:
    return Reply(200, chunks=[b"<rss version='2.0'><channel>"] + [b" "] * 50, delay=0.02,
                 headers=[("Content-Type", "application/rss+xml")])


def garbage(rng: random.Random) -> Reply:
    body = rng.choice([
        bytes(rng.randrange(256) for _ in range(300)),
        b"<html><body>Service temporarily unavailable</body></html>",
        b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut",
        b"",
    ])
    return Reply(200, body)


class Flaky:
    """Valid on about half its polls, else any fault."""

    def __init__(self, growing: Growing, rng: random.Random) -> None:
        self.growing = growing
        self.rng = rng

    def __call__(self, seen: Seen) -> Reply:
        r = self.rng.random()
        if r < 0.5:
            return self.growing(seen)
        if r < 0.65:
            return Reply(self.rng.choice([500, 502, 503]))
        if r < 0.75:
            return Reply(429, headers=[("Retry-After", "120")])
        if r < 0.95:
            return garbage(self.rng)
        return trickle()


async def test_bad_feeds_back_off_good_ones_keep_schedule_and_nothing_is_lost(
    feed_server: FeedServer, tmp_store: Store
) -> None:
    rng = random.Random(20260227)
    feeds: list[FeedConfig] = []
    healthy: list[Growing] = []
    for i in range(HEALTHY):
        g = Growing(f"good{i}", random.Random(rng.random()))
        healthy.append(g)
        feeds.append(FeedConfig(g.name, feed_server.set(f"/good{i}", g), interval=INTERVAL))
    flaky: list[Growing] = []
    for i in range(FLAKY):
        g = Growing(f"flaky{i}", random.Random(rng.random()))
        flaky.append(g)
        route = Flaky(g, random.Random(rng.random()))
        feeds.append(FeedConfig(g.name, feed_server.set(f"/flaky{i}", route), interval=INTERVAL))
    bad_routes: dict[str, Callable[[Seen], Reply]] = {
        "err500": lambda s: Reply(500),
        "garbage": lambda s: garbage(rng),
        "hang": lambda s: hang(),
        "trickle": lambda s: trickle(),
    }
    for name, bad in bad_routes.items():
        feeds.append(FeedConfig(name, feed_server.set(f"/{name}", bad), interval=INTERVAL))
    feeds.append(FeedConfig("limited", feed_server.set(
        "/limited", Reply(429, headers=[("Retry-After", "900")])), interval=INTERVAL))

    clock = Clock()
    poller = Poller(feeds, tmp_store, analyser, clock=clock, rng=random.Random(7),
                    limits=LIMITS)
    # Bookkeeping holds only values the test allocates itself (floats, ints, literals),
    # so the memory measured below is what the code under test keeps.
    polled: dict[str, list[float]] = {f.name: [] for f in feeds}  # seconds after T0
    errors: dict[str, list[str]] = {f.name: [] for f in feeds}  # "", "timeout", "error"
    stored_ids: set[int] = set()  # hash() of every stored id seen so far
    last_count = 0
    memory: list[int] = []
    end = T0 + timedelta(hours=SIM_HOURS)
    cycles = 0
    try:
        while cycles < 500:  # bounded: ~100 cycles are needed
            due = poller.next_due()
            assert due is not None
            if due > end:
                break
            clock.now = max(clock.now, due)
            results = await poller.poll_due()
            assert results, "next_due promised a due feed"
            cycles += 1
            for r in results:
                polled[r.feed].append((clock.now - T0).total_seconds())
                errors[r.feed].append(
                    "" if not r.error else "timeout" if "timed out" in r.error else "error"
                )
            # Nothing stored is ever lost: the count never drops, and every id stays.
            count = tmp_store.count(ALL)
            assert count >= last_count
            last_count = count
            if cycles % 5 == 0:
                now_ids = {hash(s.id) for s in tmp_store.items(ALL)}
                assert stored_ids <= now_ids and len(now_ids) == count
                stored_ids = now_ids
            feed_server.requests.clear()  # the server's request log is not ours to grow
            if cycles == WARM_CYCLES:
                gc.collect()
                tracemalloc.start()
            elif cycles > WARM_CYCLES and cycles % 4 == 0:
                memory.append(held_by_code_under_test())
    finally:
        tracemalloc.stop()
        await poller.aclose()
    assert {hash(s.id) for s in tmp_store.items(ALL)} >= stored_ids

    assert cycles >= 60
    # Healthy feeds: polled exactly every INTERVAL from T0 to the end, never failing.
    expected = [float(INTERVAL * k) for k in range(SIM_HOURS * 3600 // INTERVAL + 1)]
    for g in healthy:
        assert polled[g.name] == expected, g.name
        assert not any(errors[g.name])
        h = tmp_store.get_feed(g.name)
        assert h is not None and h.failures == 0 and not h.failing
    # Every healthy item ever served is stored; so are the flaky feeds' good answers.
    guids = {s.item.guid for s in tmp_store.items(ALL)}
    for g in healthy:
        assert g.served and g.served <= guids
    assert any(g.served for g in flaky)

    # Always-failing feeds back off: failures pile up, the gap between polls grows
    # well past the interval, and they are polled far less than healthy feeds.
    for name in ("err500", "garbage", "hang", "trickle"):
        times = polled[name]
        h = tmp_store.get_feed(name)
        assert h is not None and h.failing and h.failures == len(times), name
        assert all(errors[name]), name
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) < len(expected) / 2, (name, len(times))
        assert statistics.mean(gaps[len(gaps) // 2:]) > 2 * INTERVAL, (name, gaps)
        assert h.next_poll is not None and h.next_poll > h.last_attempt  # type: ignore[operator]
    assert "timeout" in errors["hang"] and "timeout" in errors["trickle"]
    # Retry-After is honoured exactly.
    limited = polled["limited"]
    assert {b - a for a, b in itertools.pairwise(limited)} == {900.0}

    # Memory stays flat once warm. Keeping one poll's document or items per cycle would
    # add several KiB a cycle (over 400 KiB here); caches filling up add a few dozen KiB.
    assert len(memory) >= 12
    early = max(memory[:4])
    late = max(memory[-4:])
    assert late - early < 160 * 1024, (early, late, memory)
    assert tmp_store.integrity_ok()
