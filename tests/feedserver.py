"""A scripted HTTP server on 127.0.0.1 for network tests.

Each path answers with what the test set: status, headers, body, optionally
split into chunks with a delay between them (a trickling server). Requests are
recorded with their headers. Delays wait on a stop event, so ``stop()`` never
waits for a trickle to finish.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Sequence[tuple[str, str]] = ()
    chunks: Sequence[bytes] | None = None  # sent one by one, close-delimited
    delay: float = 0.0  # before each chunk
    raw_headers: Sequence[tuple[bytes, bytes]] = ()  # byte-exact header values


@dataclass
class Seen:
    path: str
    headers: dict[str, str]  # lower-case names
    raw: list[tuple[str, str]] = field(default_factory=list)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


Route = Reply | list[Reply] | Callable[[Seen], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.active = 0  # requests being answered right now
        self.max_active = 0
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                seen = Seen(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    raw=list(self.headers.items()),
                )
                reply = server._reply(seen)
                with server._lock:
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    with suppress(BrokenPipeError, ConnectionResetError):
                        self._send(reply)
                finally:
                    with server._lock:
                        server.active -= 1

            def _send(self, reply: Reply) -> None:
                self.send_response_only(reply.status)
                names = {k.lower() for k, _ in reply.headers}
                for k, v in reply.headers:
                    self.send_header(k, v)
                for kb, vb in reply.raw_headers:
                    self._headers_buffer.append(kb + b": " + vb + b"\r\n")  # type: ignore[attr-defined]
                    names.add(kb.decode("latin-1").lower())
                self.send_header("Connection", "close")
                if reply.chunks is None and "content-length" not in names:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.close_connection = True
                if reply.chunks is None:
                    self.wfile.write(reply.body)
                    return
                for chunk in reply.chunks:
                    if reply.delay and server.stopping.wait(reply.delay):
                        return
                    self.wfile.write(chunk)
                    self.wfile.flush()

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            route = self.routes.get(seen.path)
            if route is None:
                return Reply(404, b"not found")
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            if isinstance(route, Reply):
                return route
        return route(seen)

    def set(self, path: str, route: Route) -> str:
        """Script ``path``; returns its full URL."""
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def url(self, path: str) -> str:
        return self.base_url + path

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def running() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def rss(*items: str, title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document around the given <item> fragments."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def item(title: str, guid: str | None = None, link: str | None = None,
         date: str | None = "Fri, 27 Feb 2026 06:00:00 GMT", summary: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f"<guid isPermaLink=\"false\">{guid}</guid>")
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    return "<item>" + "".join(parts) + "</item>"
