"""A local news source for the demo: invented feeds served on 127.0.0.1.

``DemoServer`` serves the feeds in ``tui/demo/data`` from a background thread.
Items are released progressively (the first few of each feed at once, then one
more per feed every ``release_every`` seconds) so the app has something arriving
live; ``release_all`` serves everything at once. Responses carry an ETag and
honour If-None-Match. A few deliberately broken feeds give the feed-health view
something to show: one answers 500, one 404, one serves garbage, and one is slow
(it trickles a small valid feed over ``slow_seconds``).

By default the server tries a fixed port (``$SITMON_DEMO_PORT``, else 47631) so
that feed URLs, and with them item ids, stay the same between runs against one
database; when that port is taken it uses a random free one. ``port=0`` always
takes a random free port.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tui.model import FeedConfig

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_PORT = 47631
FIRST_BATCH = 3  # items per feed released at start
DEMO_INTERVAL = 60  # seconds; the poller's floor

_ITEM = re.compile(rb"<(item|entry)[\s>].*?</\1>\s*", re.DOTALL)
_RSS_DATE = re.compile(rb"<pubDate>[^<]*</pubDate>")
_ATOM_DATE = re.compile(rb"<(published|updated)>[^<]*</\1>")
EARLY_SPACING = 600.0  # seconds between the items out at start, dated before it


@dataclass(frozen=True, slots=True)
class DemoFeed:
    name: str
    file: str
    kind: str
    tags: tuple[str, ...]


DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed("Frontier Wire", "frontier-wire.xml", "wire", ("demo", "pakistan")),
    DemoFeed("Kabul Daily", "kabul-daily.xml", "newspaper", ("demo", "afghanistan")),
    DemoFeed("Indus Herald", "indus-herald.xml", "newspaper", ("demo", "pakistan")),
    DemoFeed("World Desk", "world-desk.xml", "broadcaster", ("demo", "international")),
    DemoFeed("Eastern Provinces Bulletin", "eastern-bulletin.xml", "state-media",
             ("demo", "afghanistan")),
    DemoFeed("Unvetted Aggregator", "hostile-aggregator.xml", "aggregator", ("demo", "hostile")),
)
# (name, path): see DemoServer._handle for what each does
BROKEN_FEEDS: tuple[tuple[str, str], ...] = (
    ("Broken: server error", "/broken/server-error.xml"),
    ("Broken: missing", "/broken/missing.xml"),
    ("Broken: garbage", "/broken/garbage.xml"),
    ("Slow feed", "/slow/slow.xml"),
)
_GARBAGE = b"\x00\x01<<<not a feed>>> \xff\xfe{]\n" * 8
_SLOW_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>Slow feed</title><link>https://demo.sitmon.invalid/slow/</link>"
    b"<item><title>A slow server still answers within the deadline</title>"
    b"<guid isPermaLink=\"false\">slow-1</guid>"
    b"<link>https://demo.sitmon.invalid/slow/1</link>"
    b"<pubDate>Fri, 27 Feb 2026 10:00:00 GMT</pubDate></item>"
    b"</channel></rss>\n"
)


@dataclass(frozen=True, slots=True)
class _Document:
    head: bytes
    items: tuple[bytes, ...]
    tail: bytes
    content_type: str

    @classmethod
    def load(cls, path: Path) -> _Document:
        data = path.read_bytes()
        found = list(_ITEM.finditer(data))
        if not found:
            return cls(data, (), b"", "application/xml")
        ctype = "application/atom+xml" if found[0].group(1) == b"entry" else "application/rss+xml"
        return cls(
            head=data[: found[0].start()],
            items=tuple(m.group(0) for m in found),
            tail=data[found[-1].end() :],
            content_type=ctype + "; charset=utf-8",
        )

    def render(self, count: int, dates: Callable[[int], float] | None = None) -> bytes:
        """The document with its first ``count`` items; ``dates(i)`` re-dates item i."""
        items = self.items[:count]
        if dates is not None:
            items = tuple(_redate(item, dates(i)) for i, item in enumerate(items))
        return self.head + b"".join(items) + self.tail


def _wall_start() -> float:
    """Now, or $SITMON_DEMO_START (epoch seconds) for a demo whose dates, and with them
    its ETags, are the same from one run to the next."""
    pinned = os.environ.get("SITMON_DEMO_START", "")
    try:
        return float(pinned) if pinned else time.time()
    except ValueError:
        return time.time()


def _redate(item: bytes, when: float) -> bytes:
    rss = email.utils.formatdate(when, usegmt=True).encode()
    atom = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)).encode()
    item = _RSS_DATE.sub(b"<pubDate>" + rss + b"</pubDate>", item)
    return _ATOM_DATE.sub(lambda m: b"<%s>%s</%s>" % (m[1], atom, m[1]), item)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a keep-alive connection is not worth a traceback


def _bind(port: int | None) -> ThreadingHTTPServer:
    if port is None:
        preferred = os.environ.get("SITMON_DEMO_PORT", "")
        wanted = int(preferred) if preferred.isdigit() else DEFAULT_PORT
        try:
            return _Server(("127.0.0.1", wanted), _Handler)
        except OSError:
            port = 0
    return _Server(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sitmon-demo"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # the demo is quiet

    def do_GET(self) -> None:
        demo: DemoServer = self.server.demo  # type: ignore[attr-defined]
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            demo._handle(self)

    def reply(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class DemoServer:
    """Serves the demo feeds on 127.0.0.1 from a background thread."""

    def __init__(
        self,
        release_every: float = 20.0,
        release_all: bool = False,
        *,
        port: int | None = None,
        slow_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        live_dates: bool = True,
    ) -> None:
        self.release_every = max(0.001, release_every)
        self.release_all = release_all
        self.slow_seconds = slow_seconds
        self.clock = clock
        # The story is modelled on 27 Feb 2026; a live demo dates each item when it is
        # released, so the shift counts and the shift export have something in them.
        self.live_dates = live_dates
        self._wall_start = 0.0
        self._docs = {f.file: _Document.load(DATA_DIR / f.file) for f in DEMO_FEEDS}
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._started_at = 0.0
        self.base_url = ""

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._stopping.clear()
        httpd = _bind(self._port)
        httpd.demo = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._started_at = self.clock()
        self._wall_start = _wall_start()
        self.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name="sitmon-demo-server", daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return 0 if self._httpd is None else int(self._httpd.server_address[1])

    # -- what it serves ----------------------------------------------------------

    def feeds(self, include_broken: bool = True) -> list[FeedConfig]:
        """The demo feeds as configs pointing at this server (start it first)."""
        if not self.base_url:
            raise RuntimeError("DemoServer.feeds() called before start()")
        feeds = [
            FeedConfig(name=f.name, url=f"{self.base_url}/feeds/{f.file}",
                       interval=DEMO_INTERVAL, tags=f.tags, kind=f.kind)
            for f in DEMO_FEEDS
        ]
        if include_broken:
            feeds += [
                FeedConfig(name=name, url=f"{self.base_url}{path}", interval=DEMO_INTERVAL,
                           tags=("demo", "broken"), kind="aggregator")
                for name, path in BROKEN_FEEDS
            ]
        return feeds

    def released(self, total: int) -> int:
        """How many of a feed's ``total`` items are out by now."""
        if self.release_all:
            return total
        batches = int((self.clock() - self._started_at) // self.release_every)
        return min(total, FIRST_BATCH + max(0, batches))

    def release_date(self, total: int) -> Callable[[int], float]:
        """When item i of a feed came out (epoch seconds): the items out at start
        a few minutes apart before it, each later one at its release."""
        first = total if self.release_all else min(total, FIRST_BATCH)
        start = self._wall_start

        def when(i: int) -> float:
            if i < first:
                return start - (first - i) * EARLY_SPACING
            return start + (i - first + 1) * self.release_every

        return when

    def _handle(self, req: _Handler) -> None:
        path = req.path.split("?", 1)[0]
        if path.startswith("/feeds/"):
            doc = self._docs.get(path.removeprefix("/feeds/"))
            if doc is None:
                req.reply(404, b"no such demo feed\n", {"Content-Type": "text/plain"})
                return
            body = doc.render(
                self.released(len(doc.items)),
                self.release_date(len(doc.items)) if self.live_dates else None,
            )
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            if etag in [t.strip() for t in req.headers.get("If-None-Match", "").split(",")]:
                req.reply(304, headers={"ETag": etag})
                return
            req.reply(200, body, {"Content-Type": doc.content_type, "ETag": etag})
        elif path == "/broken/server-error.xml":
            req.reply(500, b"internal error\n", {"Content-Type": "text/plain"})
        elif path == "/broken/garbage.xml":
            req.reply(200, _GARBAGE, {"Content-Type": "application/rss+xml"})
        elif path == "/slow/slow.xml":
            self._slow(req)
        else:
            req.reply(404, b"not found\n", {"Content-Type": "text/plain"})

    def _slow(self, req: _Handler) -> None:
        """A small valid feed, trickled out over ``slow_seconds`` (stopped by ``stop``)."""
        body = _SLOW_FEED
        if self.live_dates:
            body = _redate(body, self._wall_start - EARLY_SPACING)
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        pieces = 5
        step = max(1, len(body) // pieces + 1)
        for start in range(0, len(body), step):
            if self._stopping.wait(self.slow_seconds / pieces):
                return
            req.wfile.write(body[start : start + step])
            req.wfile.flush()
