"""The fetcher against a scripted server on 127.0.0.1: validators, limits, redirects, backoff."""

from __future__ import annotations

import asyncio
import gzip
import random
import socket
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from feedserver import FeedServer, Reply, Seen, item, rss

from tui.ingest.fetch import (
    USER_AGENT,
    Fetcher,
    FetchLimits,
    backoff_delay,
    make_client,
    parse_retry_after,
)

NOW = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)
FEED = rss(item("Strike on Kabul", guid="g1"))
FAST = FetchLimits(deadline=1.0, connect_timeout=1.0, max_bytes=64 * 1024)


@pytest.fixture
async def fetcher() -> Fetcher:
    f = Fetcher(limits=FAST, clock=lambda: NOW)
    yield f  # type: ignore[misc]
    await f.aclose()


async def test_200_then_304_sends_validators_back_byte_for_byte(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    raw_etag = b'W/"caf\xe9 \\ 1"'  # a latin-1 byte, a space and a backslash
    modified = "Fri, 27 Feb 2026 06:00:00 GMT"
    url = feed_server.set(
        "/feed",
        [
            Reply(200, FEED, headers=[("Last-Modified", modified)],
                  raw_headers=[(b"ETag", raw_etag)]),
            Reply(304, raw_headers=[(b"ETag", raw_etag)]),
        ],
    )
    first = await fetcher.fetch(url)
    assert first.ok and first.status == 200 and first.body == FEED
    assert first.etag is not None and first.etag.encode("latin-1") == raw_etag
    assert first.last_modified == modified

    second = await fetcher.fetch(url, first.etag, first.last_modified)
    assert second.ok and second.not_modified and second.status == 304 and second.body == b""
    assert second.etag == first.etag
    sent = feed_server.seen("/feed")[1].headers
    assert sent["if-none-match"].encode("latin-1") == raw_etag
    assert sent["if-modified-since"] == modified
    assert "if-none-match" not in feed_server.seen("/feed")[0].headers


async def test_200_with_the_stored_etag_counts_as_unchanged(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.set("/feed", Reply(200, FEED, headers=[("ETag", '"v1"')]))
    result = await fetcher.fetch(url, etag='"v1"')
    assert result.ok and result.not_modified and result.status == 200 and result.body == b""
    changed = await fetcher.fetch(url, etag='"v0"')
    assert not changed.not_modified and changed.body == FEED and changed.etag == '"v1"'


async def test_user_agent_and_accept_encoding(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.set("/feed", Reply(200, FEED))
    await fetcher.fetch(url)
    headers = feed_server.seen("/feed")[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("sitmon/") and "(+https://github.com/sitmon/sitmon)" in USER_AGENT
    assert headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds(feed_server: FeedServer, fetcher: Fetcher, status: int) -> None:
    url = feed_server.set("/feed", Reply(status, headers=[("Retry-After", "120")]))
    result = await fetcher.fetch(url)
    assert result.status == status and result.error.startswith(f"HTTP {status}")
    assert result.retry_after == 120


async def test_retry_after_http_date(feed_server: FeedServer, fetcher: Fetcher) -> None:
    when = format_datetime(NOW + timedelta(hours=2), usegmt=True)
    url = feed_server.set("/feed", Reply(429, headers=[("Retry-After", when)]))
    result = await fetcher.fetch(url)
    assert result.retry_after == 7200


async def test_retry_after_garbage_falls_back_to_backoff(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.set("/feed", Reply(429, headers=[("Retry-After", "soon-ish")]))
    result = await fetcher.fetch(url)
    assert result.error and result.retry_after is None


def test_parse_retry_after_clamps_and_rejects() -> None:
    assert parse_retry_after("5", NOW) == 60  # clamped up
    assert parse_retry_after("999999", NOW) == 6 * 3600  # clamped down
    past = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past, NOW) == 60
    assert parse_retry_after("Fri, 27 Feb 2026 12:30:00 GMT", NOW) == 1800
    for garbage in (None, "", "-5", "1.5", "tomorrow", "Fri, 99 Foo 2026", "١٢٠"):
        assert parse_retry_after(garbage, NOW) is None


def test_backoff_is_exponential_with_full_jitter_and_bounded() -> None:
    rng = random.Random(7)
    for failures in range(1, 40):
        delay = backoff_delay(failures, 300, rng, floor=60, cap=3600)
        assert 60 <= delay <= 3600
    # The ceiling grows: with many samples the early delays stay under interval * 2.
    early = [backoff_delay(1, 300, random.Random(i)) for i in range(200)]
    late = [backoff_delay(6, 300, random.Random(i)) for i in range(200)]
    assert max(early) <= 600 and max(late) > 600
    assert len(set(early)) > 100  # jittered, not fixed


async def test_500_and_404_are_errors(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.set("/e", Reply(500, b"oops"))
    result = await fetcher.fetch(url)
    assert result.status == 500 and result.error == "HTTP 500 Internal Server Error"
    assert result.retry_after is None and not result.gone
    result = await fetcher.fetch(feed_server.url("/nowhere"))
    assert result.status == 404 and result.error == "HTTP 404 Not Found"


async def test_410_marks_gone(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.set("/old", Reply(410))
    result = await fetcher.fetch(url)
    assert result.gone and result.status == 410 and "410" in result.error


async def test_permanent_redirect_chain_is_recorded(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    feed_server.set("/a", Reply(301, headers=[("Location", "/b")]))
    feed_server.set("/b", Reply(308, headers=[("Location", feed_server.url("/feed"))]))
    feed_server.set("/feed", Reply(200, FEED))
    result = await fetcher.fetch(feed_server.url("/a"))
    assert result.ok and result.body == FEED
    assert result.final_url == feed_server.url("/feed")
    assert result.permanent_url == feed_server.url("/feed")


async def test_temporary_hop_means_no_permanent_url(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    feed_server.set("/a", Reply(301, headers=[("Location", "/b")]))
    feed_server.set("/b", Reply(302, headers=[("Location", "/feed")]))
    feed_server.set("/feed", Reply(200, FEED))
    result = await fetcher.fetch(feed_server.url("/a"))
    assert result.ok and result.final_url == feed_server.url("/feed")
    assert result.permanent_url is None


async def test_redirect_loop(feed_server: FeedServer, fetcher: Fetcher) -> None:
    feed_server.set("/x", Reply(302, headers=[("Location", "/y")]))
    feed_server.set("/y", Reply(301, headers=[("Location", "/x")]))
    result = await fetcher.fetch(feed_server.url("/x"))
    assert "redirect loop" in result.error
    assert len(feed_server.requests) == 2


async def test_at_most_five_redirects(feed_server: FeedServer, fetcher: Fetcher) -> None:
    for i in range(7):
        feed_server.set(f"/r{i}", Reply(302, headers=[("Location", f"/r{i + 1}")]))
    feed_server.set("/r5", Reply(200, FEED))
    assert (await fetcher.fetch(feed_server.url("/r0"))).ok  # exactly five hops
    feed_server.set("/r5", Reply(302, headers=[("Location", "/r6")]))
    feed_server.set("/r6", Reply(200, FEED))
    result = await fetcher.fetch(feed_server.url("/r0"))
    assert result.error == "too many redirects (more than 5)"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://x/"])
async def test_redirect_to_non_http_is_refused(
    feed_server: FeedServer, fetcher: Fetcher, target: str
) -> None:
    url = feed_server.set("/a", Reply(301, headers=[("Location", target)]))
    result = await fetcher.fetch(url)
    assert result.error.startswith("redirect to a bad URL") and "http" in result.error
    assert result.body == b""


async def test_non_http_url_is_refused_without_a_request(fetcher: Fetcher) -> None:
    result = await fetcher.fetch("file:///etc/passwd")
    assert result.error.startswith("bad URL")


async def test_trickling_server_is_cut_at_the_deadline(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.set("/slow", Reply(200, chunks=[b"x"] * 100, delay=0.25))
    started = time.monotonic()
    result = await fetcher.fetch(url)
    elapsed = time.monotonic() - started
    assert result.error == "timed out after 1 s"
    assert elapsed < 2.5


async def test_body_over_the_cap(feed_server: FeedServer, fetcher: Fetcher) -> None:
    big = b"<rss>" + b"x" * (FAST.max_bytes + 10) + b"</rss>"
    url = feed_server.set("/big", Reply(200, big))
    result = await fetcher.fetch(url)
    assert result.error.startswith("body larger than") and result.body == b""
    # Without a Content-Length (close-delimited), the cap is enforced while streaming.
    chunks = [big[i : i + 4096] for i in range(0, len(big), 4096)]
    url = feed_server.set("/big2", Reply(200, chunks=chunks))
    result = await fetcher.fetch(url)
    assert result.error == f"body larger than {FAST.max_bytes} bytes"


async def test_gzip_bomb_stops_early(feed_server: FeedServer) -> None:
    limits = FetchLimits(deadline=5.0, max_bytes=1024 * 1024)
    bomb = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200 * 1024
    url = feed_server.set("/bomb", Reply(200, bomb, headers=[("Content-Encoding", "gzip")]))
    fetcher = Fetcher(limits=limits)
    try:
        result = await fetcher.fetch(url)
    finally:
        await fetcher.aclose()
    assert result.error == "body larger than 1 MiB"


async def test_gzip_and_deflate_bodies_are_decoded(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    def encoded(body: bytes, encoding: str) -> Reply:
        return Reply(200, body, headers=[("Content-Encoding", encoding)])

    url = feed_server.set("/gz", encoded(gzip.compress(FEED), "gzip"))
    result = await fetcher.fetch(url)
    assert result.ok and result.body == FEED
    assert "content-encoding" not in result.headers
    url = feed_server.set("/df", encoded(zlib.compress(FEED), "deflate"))
    assert (await fetcher.fetch(url)).body == FEED
    raw = zlib.compressobj(wbits=-15)
    url = feed_server.set("/raw", encoded(raw.compress(FEED) + raw.flush(), "deflate"))
    assert (await fetcher.fetch(url)).body == FEED
    url = feed_server.set("/bad", encoded(b"not gzip at all", "gzip"))
    assert "cannot decode" in (await fetcher.fetch(url)).error
    url = feed_server.set("/br", encoded(b"??", "br"))
    assert "unsupported Content-Encoding" in (await fetcher.fetch(url)).error


async def test_connection_refused_is_an_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fetcher = Fetcher(limits=FAST)
    try:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    finally:
        await fetcher.aclose()
    assert result.status is None and result.error and "\n" not in result.error


async def test_at_most_two_requests_in_flight_per_host(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    def slow(_: Seen) -> Reply:
        return Reply(200, chunks=[FEED[:10], FEED[10:]], delay=0.05)

    feed_server.set("/feed", slow)
    results = await asyncio.gather(*(fetcher.fetch(feed_server.url("/feed")) for _ in range(6)))
    assert all(r.ok and r.body == FEED for r in results)
    assert feed_server.max_active <= 2


async def test_waiting_for_a_host_slot_does_not_eat_the_deadline(feed_server: FeedServer) -> None:
    def slow(_: Seen) -> Reply:  # each answer takes about 0.6 s
        return Reply(200, chunks=[FEED[:10], FEED[10:]], delay=0.3)

    feed_server.set("/feed", slow)
    fetcher = Fetcher(limits=FetchLimits(deadline=1.0, per_host=1))
    try:
        results = await asyncio.gather(*(fetcher.fetch(feed_server.url("/feed")) for _ in range(2)))
    finally:
        await fetcher.aclose()
    assert [r.error for r in results] == ["", ""]
    assert feed_server.max_active == 1


async def test_invalid_redirect_targets_are_errors(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    for i, target in enumerate(["http://xn--zz.invalid/", "http://[::1/", "http://h:99999/",
                                "http://a b/", "/ok\x7f"]):
        url = feed_server.set(f"/r{i}", Reply(302, raw_headers=[(b"Location", target.encode())]))
        result = await fetcher.fetch(url)
        assert result.error and "\n" not in result.error, target


async def test_a_304_keeps_the_connection_for_the_next_request() -> None:
    """Conditional polls of one host reuse one connection (the 304's end is read)."""
    peers: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            peers.append(self.client_address[1])
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response_only(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            self.send_response_only(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fetcher = Fetcher(limits=FAST)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed"
        first = await fetcher.fetch(url)
        results = [await fetcher.fetch(url, first.etag) for _ in range(4)]
    finally:
        await fetcher.aclose()
        server.shutdown()
        server.server_close()
        thread.join()
    assert first.status == 200 and all(r.not_modified and r.status == 304 for r in results)
    assert len(peers) == 5 and len(set(peers)) == 1


async def test_a_shared_client_is_used_as_given(feed_server: FeedServer) -> None:
    """The app may pass its own client: requests go through it, validators and all,
    and closing the fetcher leaves it open."""
    url = feed_server.set("/feed", [Reply(200, FEED, headers=[("ETag", '"e"')]),
                                     Reply(304, headers=[("ETag", '"e"')])])
    client = make_client(FAST)
    fetcher = Fetcher(client, FAST)
    try:
        first = await fetcher.fetch(url)
        second = await fetcher.fetch(url, first.etag)
        await fetcher.aclose()
        assert not client.is_closed
    finally:
        await client.aclose()
    assert first.body == FEED and second.not_modified and second.etag == '"e"'
    sent = feed_server.seen("/feed")
    assert sent[1].headers["if-none-match"] == '"e"'
    assert sent[0].headers["user-agent"] == USER_AGENT
