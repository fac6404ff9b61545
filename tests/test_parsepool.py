"""The parse pool never fails a poll: odd stderr (as inside Textual) or no processes at all."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from feedserver import item, rss

import tui.ingest.parsepool as parsepool
from tui.ingest.parsepool import ParsePool
from tui.model import FeedConfig

FEED = FeedConfig(name="Desk", url="https://desk.example/rss")
NOW = datetime(2026, 2, 27, 12, tzinfo=UTC)
BODY = rss(item("Pakistani jets strike Kandahar", guid="g1"), item("Talks in Doha", guid="g2"))


class _CapturedStderr(io.StringIO):
    """What Textual puts in sys.stderr while an app runs: writable, but fd -1."""

    def fileno(self) -> int:
        return -1


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    p = ParsePool(workers=1, min_feeds=1)
    yield p
    p.close()


async def test_starts_and_parses_when_stderr_has_no_descriptor(
    pool: ParsePool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A running Textual app replaces sys.stderr with an object without a real fd; the
    # resource tracker used to be handed -1 and every poll failed with
    # "bad value(s) in fds_to_keep" (seen in the demo app).
    monkeypatch.setattr(sys, "stderr", _CapturedStderr())
    pool.start()
    assert pool.running  # real worker processes, not the thread fallback
    result = await pool.parse(BODY, {"content-type": "application/rss+xml"}, FEED, NOW)
    assert pool.running
    assert [i.title for i in result.items] == ["Pakistani jets strike Kandahar", "Talks in Doha"]
    assert sys.stderr is not sys.__stderr__  # put back as it was


async def test_a_pool_that_cannot_start_parses_in_threads(
    pool: ParsePool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(parsepool, "ProcessPoolExecutor", refuse)
    pool.start()  # must not raise
    assert not pool.running and not pool.wanted(100)
    result = await pool.parse(BODY, {}, FEED, NOW)
    assert len(result.items) == 2
