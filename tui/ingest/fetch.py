"""HTTP fetching for the poller: polite, bounded, and never trusting the server.

* One shared ``httpx.AsyncClient`` (``make_client``); redirects are followed by
  hand so every hop is checked (http/https only, at most ``max_redirects``, no loops).
* Conditional GET: the stored ETag / Last-Modified are sent back byte for byte;
  304, or 200 with the stored ETag, means "not modified" and the body is not read.
* Every hop has a connect timeout, and the whole fetch one deadline
  (``asyncio.timeout`` around the streamed read), so a trickling server cannot
  hold a poll. The decoded body is capped while streaming: gzip/deflate are
  decoded here with a bounded output size, so a compression bomb stops early.
* At most ``per_host`` requests in flight per host. When the fetcher makes its own
  client (no proxy configured), each host gets its own small connection pool
  (``per_host`` keep-alive connections) and requests go straight to it: httpcore's
  single pool scans every pooled connection on each request, which costs more
  than the request itself once a poll spans a hundred connections.
* 429/503 honour Retry-After (seconds or an HTTP date), clamped; other failures
  are retried with exponential backoff and full jitter (``backoff_delay``).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import ssl
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from tui import __version__
from tui.config import url_problem
from tui.model import utc_now
from tui.text import one_line

USER_AGENT = f"sitmon/{__version__} (+https://github.com/sitmon/sitmon)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
MiB = 1024 * 1024
KEEPALIVE = 32  # connections a shared client keeps (open and idle)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Every bound of a fetch, injectable so tests can make them small."""

    connect_timeout: float = 10.0
    deadline: float = 30.0  # whole fetch: all hops, headers and body
    max_bytes: int = 10 * MiB  # decoded body
    max_redirects: int = 5
    per_host: int = 2  # requests in flight per host
    backoff_floor: float = 60.0  # never retry sooner than this
    backoff_cap: float = 3600.0
    retry_after_min: float = 60.0
    retry_after_max: float = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch of one feed URL produced. ``error`` is one line, "" on success."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None = None  # last HTTP status; None when no response came
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    not_modified: bool = False
    etag: str | None = None  # validators to store (as received, byte for byte)
    last_modified: str | None = None
    permanent_url: str | None = None  # set when every hop was a 301/308
    gone: bool = False  # 410
    retry_after: float | None = None  # seconds, from a 429/503 Retry-After
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


class FetchError(Exception):
    """A fetch failed in a way that ends it (message is one line)."""


def _timeout(lim: FetchLimits) -> httpx.Timeout:
    return httpx.Timeout(lim.deadline, connect=lim.connect_timeout)


_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": ACCEPT,
    # Decoded here, with a bounded output size; nothing else is asked for.
    "Accept-Encoding": "gzip, deflate",
}

_HEADER_BYTES = [(k.encode("ascii"), v.encode("ascii")) for k, v in _HEADERS.items()]


def make_client(limits: FetchLimits | None = None) -> httpx.AsyncClient:
    """The one HTTP client the poller shares across feeds.

    Redirects are not followed by httpx: ``Fetcher`` follows them itself so each
    target is checked. Read/write/pool timeouts are the deadline; the deadline
    itself is enforced around the whole fetch.
    """
    lim = limits or FetchLimits()
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=_timeout(lim),
        # In flight is bounded by the poller (concurrency, 2 per host).
        limits=httpx.Limits(max_connections=KEEPALIVE, max_keepalive_connections=KEEPALIVE),
        headers=_HEADERS,
    )


def parse_retry_after(
    value: str | None, now: datetime, lo: float = 60.0, hi: float = 6 * 3600.0
) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date), clamped to
    [lo, hi]; None when absent or unparseable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    seconds: float
    if value.isascii() and value.isdigit():
        seconds = float(int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return min(hi, max(lo, seconds))


def backoff_delay(
    failures: int,
    interval: float,
    rng: random.Random,
    *,
    floor: float = 60.0,
    cap: float = 3600.0,
) -> float:
    """Exponential backoff with full jitter: uniform(0, min(cap, interval * 2**failures)),
    never below ``floor`` (the poll interval floor) nor above ``cap``."""
    exponent = min(max(failures, 1), 32)
    ceiling = min(cap, interval * 2.0**exponent)
    return min(cap, max(floor, rng.uniform(0.0, ceiling)))


class _BodyTooLarge(Exception):
    pass


class _Decoder:
    """Content-Encoding decoder with a bounded output (identity, gzip, deflate)."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.parts: list[bytes] = []
        enc = encoding.strip().lower()
        self._z: zlib._Decompress | None
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header
            self._raw_fallback = enc == "deflate"
        else:
            raise FetchError(f"unsupported Content-Encoding {one_line(encoding, 40)!r}")
        self._started = False

    def _add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.cap:
            raise _BodyTooLarge
        if piece:
            self.parts.append(piece)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._add(data)
            return
        if not self._started and data:
            self._started = True
            if self._raw_fallback and data[:1] != b"\x78":
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
        buf = data
        while buf and not self._z.eof:
            try:
                piece = self._z.decompress(buf, self.cap - self.size + 1)
            except zlib.error as exc:
                raise FetchError(f"cannot decode compressed body: {exc}") from exc
            self._add(piece)
            buf = self._z.unconsumed_tail
            if not piece and buf:  # pragma: no cover - defensive: no progress
                break

    def finish(self) -> bytes:
        if self._z is not None and not self._z.eof:
            try:
                self._add(self._z.flush())
            except zlib.error as exc:
                raise FetchError(f"cannot decode compressed body: {exc}") from exc
        return b"".join(self.parts)


def _raw_header(response: httpx.Response, name: bytes) -> str | None:
    """A response header's value exactly as sent (latin-1 keeps every byte)."""
    for key, value in response.headers.raw:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _size(n: int) -> str:
    return f"{n / MiB:g} MiB" if n >= MiB else f"{n} bytes"


def _status_error(response: httpx.Response) -> str:
    reason = one_line(response.reason_phrase, 60)
    return f"HTTP {response.status_code}" + (f" {reason}" if reason else "")


def _exc_line(exc: BaseException) -> str:
    text = one_line(str(exc), 200)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Fetcher:
    """Fetches feed URLs with one shared client; safe to use from many tasks at once."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        limits: FetchLimits | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._owns_client = client is None
        self._client = client
        self.clock = clock
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        # Own client and no proxy in the environment: one small pool per host.
        self._per_host = self._owns_client and not urllib.request.getproxies()
        self._transports: dict[str, httpx.AsyncHTTPTransport] = {}
        self._ssl: ssl.SSLContext | None = None
        self._timeouts = _timeout(self.limits).as_dict()

    @property
    def client(self) -> httpx.AsyncClient:
        """The shared client (made on first use when the fetcher owns it)."""
        if self._client is None:
            self._client = make_client(self.limits)
        return self._client

    async def aclose(self) -> None:
        transports, self._transports = self._transports, {}
        for transport in transports.values():
            await transport.aclose()
        if self._owns_client and self._client is not None:
            await self._client.aclose()

    @staticmethod
    def _host(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"

    def _slot(self, host: str) -> asyncio.Semaphore:
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self.limits.per_host)
        return slot

    def _transport(self, host: str) -> httpx.AsyncHTTPTransport:
        transport = self._transports.get(host)
        if transport is None:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()  # once: loading the CA file is slow
            n = self.limits.per_host
            transport = self._transports[host] = httpx.AsyncHTTPTransport(
                verify=self._ssl,
                limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
            )
        return transport

    async def _send(self, url: str, host: str, headers: dict[bytes, bytes]) -> httpx.Response:
        """Send one GET (streamed) through the host's own pool, or the shared client."""
        if not self._per_host:
            request = self.client.build_request("GET", url, headers=headers)
            return await self.client.send(request, stream=True)
        request = httpx.Request(
            "GET", url, headers=[*_HEADER_BYTES, *headers.items()],
            extensions={"timeout": self._timeouts},
        )
        response = await self._transport(host).handle_async_request(request)
        response.request = request
        return response

    async def fetch(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` (conditionally when validators are given). Never raises for
        network or HTTP trouble: the result carries a one-line ``error``."""
        try:
            # The deadline starts once a per-host slot is ours (see _fetch), so waiting
            # behind other feeds of the same host does not eat into it.
            async with asyncio.timeout(None) as budget:
                return await self._fetch(url, etag, last_modified, budget)
        except TimeoutError:
            return FetchResult(
                url=url, final_url=url,
                error=f"timed out after {self.limits.deadline:g} s",
            )
        except FetchError as exc:
            return FetchResult(url=url, final_url=url, error=one_line(str(exc), 300))
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:  # IDNA errors too
            return FetchResult(url=url, final_url=url, error=_exc_line(exc))
        except OSError as exc:  # pragma: no cover - httpx wraps these, but be sure
            return FetchResult(url=url, final_url=url, error=_exc_line(exc))

    async def _fetch(
        self, url: str, etag: str | None, last_modified: str | None, budget: asyncio.Timeout
    ) -> FetchResult:
        lim = self.limits
        headers: dict[bytes, bytes] = {}
        if etag:
            headers[b"If-None-Match"] = etag.encode("latin-1", "replace")
        if last_modified:
            headers[b"If-Modified-Since"] = last_modified.encode("latin-1", "replace")

        current = url
        seen = {url}
        permanent = True
        hops = 0
        while True:
            why = url_problem(current)
            if why is not None:
                raise FetchError(f"{'redirect to a bad URL' if hops else 'bad URL'}: {why}")
            host = self._host(current)
            async with self._slot(host):
                if budget.when() is None:
                    budget.reschedule(asyncio.get_running_loop().time() + lim.deadline)
                response = await self._send(current, host, headers)
                try:
                    status = response.status_code
                    if status in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {status} redirect without a Location")
                        try:
                            target = urljoin(current, location.strip())
                        except ValueError as exc:  # e.g. an unclosed IPv6 bracket
                            raise FetchError(f"redirect to a bad URL: {exc}") from None
                        hops += 1
                        if hops > lim.max_redirects:
                            raise FetchError(f"too many redirects (more than {lim.max_redirects})")
                        if target in seen:
                            raise FetchError(f"redirect loop at {one_line(target, 200)}")
                        seen.add(target)
                        permanent = permanent and status in _PERMANENT
                        current = target
                        continue
                    return await self._finish(
                        response, url, current, etag, permanent and hops > 0
                    )
                finally:
                    await response.aclose()

    async def _finish(
        self,
        response: httpx.Response,
        url: str,
        final_url: str,
        stored_etag: str | None,
        permanent: bool,
    ) -> FetchResult:
        lim = self.limits
        status = response.status_code
        new_etag = _raw_header(response, b"etag")
        new_modified = _raw_header(response, b"last-modified")
        base = FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            permanent_url=final_url if permanent else None,
        )
        if status == 304:
            # A 304 has no body, but its end must be read for the connection to go back
            # to the pool (closing the response first would close the connection).
            async for _ in response.aiter_raw():
                pass
            return replace(
                base, not_modified=True, etag=new_etag or stored_etag,
                last_modified=new_modified,
            )
        if status == 410:
            return replace(base, gone=True, error="gone (HTTP 410): polling stopped")
        if status in (429, 503):
            retry = parse_retry_after(
                response.headers.get("retry-after"), self.clock(),
                lim.retry_after_min, lim.retry_after_max,
            )
            return replace(base, retry_after=retry, error=_status_error(response))
        if status != 200:
            return replace(base, error=_status_error(response))
        if stored_etag is not None and new_etag == stored_etag:
            return replace(base, not_modified=True, etag=new_etag, last_modified=new_modified)

        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "")
        if declared.isdigit() and not encoding and int(declared) > lim.max_bytes:
            raise FetchError(f"body larger than {_size(lim.max_bytes)} (Content-Length {declared})")
        decoder = _Decoder(encoding, lim.max_bytes)
        try:
            async for chunk in response.aiter_raw():
                decoder.feed(chunk)
            body = decoder.finish()
        except _BodyTooLarge:
            raise FetchError(f"body larger than {_size(lim.max_bytes)}") from None
        headers = {
            k.lower(): v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        }
        headers.setdefault("content-location", final_url)
        return replace(
            base, body=body, headers=headers, etag=new_etag, last_modified=new_modified
        )
