"""The poller: per-feed schedule and health, over fetch → parse → analyse → store.

* Feeds are polled concurrently (at most ``concurrency`` at once, and the fetcher
  keeps at most two requests in flight per host).
* Parsing runs off the event loop: in worker processes when a poll has enough
  feeds to be worth them (``ParsePool``: feedparser is pure Python, and threads
  would parse on one core), else in the loop's default executor. Analysis and
  the store write run in the default executor, so the event loop (the app's UI)
  never waits for them.
* A feed's new items and its health are written in one transaction
  (``Store.add_batch``). A failing feed never stops the others and never
  deletes items; it is retried with backoff (or after its Retry-After).
* Items already stored are not analysed again (``Store.known_ids``).
* A 410 marks the feed gone: it is not polled again until its URL changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

import httpx

from tui.errors import UserError
from tui.ingest.fetch import Fetcher, FetchLimits, FetchResult, backoff_delay
from tui.ingest.parse import ParseResult, parse_feed
from tui.ingest.parsepool import ParsePool
from tui.model import NOT_ANALYSED, Analysis, FeedConfig, FeedHealth, Item, PollResult, utc_now
from tui.store import Store
from tui.text import one_line

MIN_INTERVAL = 60
CONCURRENCY = 16  # feeds polled at once (the fetcher keeps 2 in flight per host)

Analyser = Callable[[Item], Analysis]


@runtime_checkable
class Preparing(Protocol):
    """An analyser that can start its expensive set-up early (in the background)."""

    def prepare_soon(self) -> None: ...


@dataclass(frozen=True, slots=True)
class _Outcome:
    health: FeedHealth
    new_ids: tuple[str, ...] = ()
    not_modified: bool = False


class Poller:
    """Polls a list of feeds into a store. Use from one event loop.

    ``analyser`` is called (in a worker thread) once per item not stored yet; if it
    raises ``UserError`` (a seed pack that does not load), the poll stops with it.
    ``client`` is shared and not closed by ``aclose`` when given; otherwise the
    poller makes its own. ``parser`` (worker processes for parsing) is shut down by
    ``aclose`` when the poller made it. ``clock`` and ``rng`` make schedules testable.
    """

    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        store: Store,
        analyser: Analyser,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        limits: FetchLimits | None = None,
        concurrency: int = CONCURRENCY,
        min_interval: int = MIN_INTERVAL,
        parser: ParsePool | None = None,
    ) -> None:
        self.store = store
        self.analyser = analyser
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()
        self.limits = limits or FetchLimits()
        self.fetcher = Fetcher(client, self.limits, clock)
        self.min_interval = min_interval
        self._concurrency = max(1, concurrency)
        self._feeds: list[FeedConfig] = list(feeds)
        self._health: dict[str, FeedHealth] | None = None
        candidate: object = analyser
        self._prepare = candidate.prepare_soon if isinstance(candidate, Preparing) else None
        self._owns_parser = parser is None
        self._processes = False  # whether this poll parses in worker processes
        self.parser = parser if parser is not None else ParsePool()

    # -- feeds and health ---------------------------------------------------

    @property
    def feeds(self) -> list[FeedConfig]:
        return list(self._feeds)

    def set_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """Replace the feed list (e.g. after the feeds file changed)."""
        self._feeds = list(feeds)

    def health(self, feed: FeedConfig) -> FeedHealth:
        """The feed's current health; fresh when it was never polled or its URL changed."""
        if self._health is None:
            self._health = {h.name: h for h in self.store.feeds()}
        stored = self._health.get(feed.name)
        if stored is None or stored.url != feed.url:
            return FeedHealth(
                name=feed.name, url=feed.url, items_seen=stored.items_seen if stored else 0
            )
        return stored

    def interval(self, feed: FeedConfig) -> int:
        return max(self.min_interval, feed.interval)

    def next_due(self) -> datetime | None:
        """When the next feed is due (now, for a feed never polled); None if all are gone."""
        now = self.clock()
        times = [
            h.next_poll or now
            for h in (self.health(f) for f in self._feeds)
            if not h.gone
        ]
        return min(times) if times else None

    # -- polling ---------------------------------------------------------------

    async def poll_once(self, force: bool = True) -> list[PollResult]:
        """Poll feeds concurrently: every feed when ``force`` (feeds marked gone are
        reported, not requested), else only the due ones. One result per feed, in order."""
        if not force:
            return await self.poll_due()
        return await self._poll_many(self._feeds)

    async def poll_due(self) -> list[PollResult]:
        """Poll the feeds whose next poll time has come (never the gone ones)."""
        now = self.clock()
        due = []
        for feed in self._feeds:
            h = self.health(feed)
            if not h.gone and (h.next_poll is None or h.next_poll <= now):
                due.append(feed)
        return await self._poll_many(due)

    async def _poll_many(self, feeds: Sequence[FeedConfig]) -> list[PollResult]:
        # Worker processes are started by the first document to parse, not before: a
        # poll where every feed is unchanged never starts them.
        self._processes = self.parser.wanted(len(feeds))
        slots = asyncio.Semaphore(self._concurrency)

        async def one(feed: FeedConfig) -> PollResult:
            async with slots:
                return await self.poll_feed(feed)

        return list(await asyncio.gather(*(one(f) for f in feeds)))

    async def poll_feed(self, feed: FeedConfig) -> PollResult:
        """Poll one feed now. Never raises (except cancellation): trouble is in the result."""
        started = time.perf_counter()
        now = self.clock()
        prev = self.health(feed)
        if prev.gone:
            return PollResult(feed=feed.name, status=prev.status, new_items=0, seconds=0.0,
                              error=prev.error or "gone: polling stopped")
        loop = asyncio.get_running_loop()
        try:
            fetched = await self.fetcher.fetch(feed.url, prev.etag, prev.last_modified)
            parsed: ParseResult | None = None
            if fetched.ok and not fetched.not_modified and not fetched.gone:
                if self._prepare is not None:
                    self._prepare()  # new items are likely: get the analyser ready meanwhile
                if self._processes:
                    self.parser.start()
                parsed = await self.parser.parse(fetched.body, fetched.headers, feed, now)
            outcome = await loop.run_in_executor(
                None, self._ingest, feed, prev, fetched, now, parsed
            )
        except (asyncio.CancelledError, UserError):
            # The store failing (read-only, disk full) or a seed pack that does not load
            # is not this feed's trouble: it stops the poll, and the caller says so in
            # one line.
            raise
        except Exception as exc:  # a bug: record it against the feed, keep the others going
            message = one_line(f"internal error: {type(exc).__name__}: {exc}", 300)
            health = self._failed(feed, prev, now, None, message, None)
            # If the store itself is failing, the result still says what happened.
            with contextlib.suppress(Exception):
                await loop.run_in_executor(None, self.store.save_feed, health)
            outcome = _Outcome(health)
        assert self._health is not None
        self._health[feed.name] = outcome.health
        h = outcome.health
        return PollResult(
            feed=feed.name,
            status=h.status,
            new_items=len(outcome.new_ids),
            seconds=time.perf_counter() - started,
            error=h.error,
            warning=h.warning,
            not_modified=outcome.not_modified,
            new_ids=outcome.new_ids,
        )

    # -- the blocking half (runs in the executor) ------------------------------

    def _failed(
        self,
        feed: FeedConfig,
        prev: FeedHealth,
        now: datetime,
        status: int | None,
        error: str,
        retry_after: float | None,
    ) -> FeedHealth:
        failures = prev.failures + 1
        delay = retry_after
        if delay is None:
            delay = backoff_delay(
                failures, self.interval(feed), self.rng,
                floor=min(self.limits.backoff_floor, self.interval(feed)),
                cap=self.limits.backoff_cap,
            )
        return replace(
            prev, url=feed.url, last_attempt=now, status=status, error=error,
            failures=failures, next_poll=now + timedelta(seconds=delay),
        )

    def _analyse(self, item: Item) -> tuple[Analysis, bool]:
        try:
            return self.analyser(item), True
        except UserError:
            raise  # not this item's trouble (a seed pack that does not load)
        except Exception:
            return NOT_ANALYSED, False

    def _ingest(
        self,
        feed: FeedConfig,
        prev: FeedHealth,
        fetched: FetchResult,
        now: datetime,
        parsed: ParseResult | None = None,
    ) -> _Outcome:
        next_poll = now + timedelta(seconds=self.interval(feed))
        if fetched.gone:
            health = replace(
                prev, url=feed.url, last_attempt=now, status=fetched.status,
                error=fetched.error, gone=True, next_poll=None, failures=prev.failures + 1,
            )
            self.store.save_feed(health)
            return _Outcome(health)
        if fetched.error:
            health = self._failed(
                feed, prev, now, fetched.status, fetched.error, fetched.retry_after
            )
            self.store.save_feed(health)
            return _Outcome(health)
        success = replace(
            prev, url=feed.url, last_attempt=now, last_success=now, status=fetched.status,
            error="", failures=0, next_poll=next_poll, permanent_url=fetched.permanent_url,
        )
        if fetched.not_modified:
            health = replace(
                success, etag=fetched.etag or prev.etag,
                last_modified=fetched.last_modified or prev.last_modified,
            )
            self.store.save_feed(health)
            return _Outcome(health, not_modified=True)

        if parsed is None:
            parsed = parse_feed(fetched.body, fetched.headers, feed, now)
        if parsed.error:
            # Validators are not kept: the next poll fetches the document again.
            health = self._failed(feed, prev, now, fetched.status, parsed.error, None)
            self.store.save_feed(health)
            return _Outcome(health)

        known = self.store.known_ids([i.id for i in parsed.items])
        batch: list[tuple[Item, Analysis]] = []
        unanalysed = 0
        for item in parsed.items:
            if item.id in known:
                continue
            analysis, ok = self._analyse(item)
            unanalysed += not ok
            batch.append((item, analysis))
        warning = parsed.warning
        if unanalysed:
            extra = f"analysis failed for {unanalysed} items"
            warning = f"{warning}; {extra}" if warning else extra
        health = replace(
            success, warning=warning, etag=fetched.etag, last_modified=fetched.last_modified,
            items_seen=prev.items_seen + len(batch),
        )
        new_ids = self.store.add_batch(batch, health)
        return _Outcome(health, tuple(new_ids))

    # -- lifecycle ---------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the HTTP client and stop the parse workers, if the poller made them."""
        try:
            await self.fetcher.aclose()
        finally:
            if self._owns_parser:
                self.parser.close()

    async def __aenter__(self) -> Poller:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
