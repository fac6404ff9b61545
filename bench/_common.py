"""Shared helpers for the benchmarks: realistic wire text, RSS documents, a feed farm server.

Nothing here is collected by pytest (bench/ is outside ``testpaths``). Every server binds
127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from tui.model import Analysis

# ---------------------------------------------------------------------------- wire-style text

PLACES_PK = ["Peshawar", "Quetta", "Bajaur", "North Waziristan", "South Waziristan", "Kurram",
             "Chitral", "Khyber", "Zhob", "Bannu", "Dera Ismail Khan", "Islamabad"]
PLACES_AF = ["Kabul", "Kandahar", "Paktia", "Khost", "Paktika", "Nangarhar", "Kunar",
             "Spin Boldak", "Jalalabad", "Helmand"]
CROSSINGS = ["Torkham", "Chaman", "Angoor Adda", "Ghulam Khan", "Kharlachi"]
PK_ACTORS = ["Pakistani military", "Pakistan Army", "Pakistani forces", "Frontier Corps",
             "Pakistan Air Force", "Pakistani security forces"]
AF_ACTORS = ["Taliban forces", "Afghan forces", "Afghan border forces", "Taliban fighters"]
PK_VOICES = ["ISPR", "Khawaja Asif", "Mosharraf Zaidi", "Ishaq Dar", "Shehbaz Sharif",
             "Pakistani security sources", "Ahmed Sharif Chaudhry"]
AF_VOICES = ["Zabihullah Mujahid", "Amir Khan Muttaqi", "Enayatullah Khwarazmi",
             "the Taliban government", "Hamdullah Fitrat"]
MEDIATORS = ["Qatar", "Turkey", "Saudi Arabia", "China", "Russia", "the United Nations", "Iran"]
MEANS = ["air strikes", "drone strikes", "artillery fire", "mortar fire", "rocket fire"]

CONFLICT = [
    ("{pk} carries out {means} on {afp}",
     "{pk} hit what officials called militant hideouts in {afp} and {afp2} overnight, "
     "{pkv} said, as fighting continued along the border near {cross}."),
    ("{n} Taliban fighters killed in clashes near {cross}, says {pkv}",
     "{pkv} said {n} Afghan Taliban fighters were killed and {m} wounded after {af} opened "
     "fire on border posts near {cross}. The figures could not be verified independently."),
    ("Taliban say {n} civilians killed in Pakistani {means} on {afp}",
     "{afv} said {n} civilians, including women and children, were killed when Pakistani "
     "{means} struck homes in {afp}. Pakistan said it targeted TTP hideouts."),
    ("{af} claim {n} Pakistani posts captured near {cross}",
     "{afv} said {af} captured {n} Pakistani posts and destroyed {m} more during heavy "
     "fighting near {cross}; {pkv} denied the claim."),
    ("{med} offers to mediate between Pakistan and Afghanistan",
     "{med} said it was ready to host talks between Islamabad and Kabul after days of "
     "fighting, and urged both sides to agree a ceasefire. {pkv} welcomed the offer."),
    ("Pakistan summons Afghan envoy over attack in {pkp}",
     "The Pakistani Foreign Office summoned the Afghan charge d'affaires to protest an "
     "attack in {pkp} that killed {n} soldiers, which it blamed on the TTP."),
    ("{pkv} and {afv} hold phone call as {med} pushes for ceasefire",
     "Officials from both governments spoke by phone on Tuesday, {med} said, the first "
     "contact since the clashes at {cross} began. Talks are expected in Doha."),
    ("Border crossing at {cross} stays shut for a {ord} day",
     "Hundreds of trucks are stranded on both sides of {cross} as the crossing between "
     "Pakistan and Afghanistan remains closed after the latest exchange of fire."),
    ("TTP attack kills {n} soldiers in {pkp}",
     "Militants of the Tehreek-e-Taliban Pakistan attacked a security post in {pkp}, killing "
     "{n} soldiers and wounding {m}, ISPR said. Pakistan blamed fighters based in Afghanistan."),
    ("Ceasefire between Pakistan and the Taliban holds in {cross} area",
     "Residents near {cross} reported a quiet night after the ceasefire agreed in talks "
     "mediated by {med}; {afv} said Kabul was committed to the truce."),
]

OTHER = [
    ("{city} shares close {dir} as investors weigh rate outlook",
     "Stocks in {city} ended the session {dir}, with banks and energy firms leading, "
     "as traders looked ahead to central bank decisions later this month."),
    ("Heavy rain disrupts flights in {city}",
     "Dozens of flights were delayed or cancelled in {city} on {day} after heavy rain "
     "flooded roads near the airport, the operator said."),
    ("{team} beat {team2} {n}-{m} to stay top of the table",
     "{team} extended their lead with a {n}-{m} win over {team2} on {day}, their {ord} "
     "straight victory in the league."),
    ("Oil prices {dir} on supply worries",
     "Brent crude moved {dir} in Asian trading on {day}, as investors weighed "
     "production cuts against signs of slowing demand in {city}."),
    ("Election count continues in {city} mayoral race",
     "Officials in {city} said counting would continue into {day}, with the two leading "
     "candidates separated by fewer than {n} hundred votes."),
    ("New rail link between {city} and {city2} opens",
     "The line, which cut the journey between {city} and {city2} to {n} hours, opened on "
     "{day} after years of delays and cost overruns."),
    ("Tech group unveils chip it says is {n} times faster",
     "The company said the processor, built in {city}, would ship to customers in {city2} "
     "later this year, and its shares rose in early trading."),
    ("Wildfire forces evacuations near {city}",
     "Firefighters battled a blaze that had burned more than {n} hundred hectares near "
     "{city}; about {m} hundred residents were told to leave their homes on {day}."),
]

CITIES = ["Tokyo", "London", "Frankfurt", "Sao Paulo", "Mumbai", "Sydney", "Toronto", "Seoul",
          "Nairobi", "Madrid", "Jakarta", "Lagos", "Chicago", "Istanbul"]
TEAMS = ["Rovers", "United", "Athletic", "City", "Wanderers", "Albion", "Rangers", "Dynamo"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDS = ["second", "third", "fourth", "fifth", "sixth"]


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    summary: str
    conflict: bool


def make_article(rng: random.Random, conflict: bool) -> Article:
    """One wire-style article; ``conflict`` picks a Pakistan–Afghanistan story."""
    title_t, summary_t = rng.choice(CONFLICT if conflict else OTHER)
    afp, afp2 = rng.sample(PLACES_AF, 2)
    city, city2 = rng.sample(CITIES, 2)
    team, team2 = rng.sample(TEAMS, 2)
    slots = {
        "pk": rng.choice(PK_ACTORS), "af": rng.choice(AF_ACTORS), "pkv": rng.choice(PK_VOICES),
        "afv": rng.choice(AF_VOICES), "med": rng.choice(MEDIATORS), "means": rng.choice(MEANS),
        "afp": afp, "afp2": afp2, "pkp": rng.choice(PLACES_PK), "cross": rng.choice(CROSSINGS),
        "n": str(rng.randint(2, 140)), "m": str(rng.randint(1, 60)), "ord": rng.choice(ORDS),
        "city": city, "city2": city2, "team": team, "team2": team2, "day": rng.choice(DAYS),
        "dir": rng.choice(["higher", "lower", "flat"]),
    }
    title = title_t.format(**slots)
    summary = summary_t.format(**slots)
    return Article(title[0].upper() + title[1:], summary[0].upper() + summary[1:], conflict)


def make_articles(n: int, seed: int = 1, conflict_share: float = 0.3) -> list[Article]:
    rng = random.Random(seed)
    return [make_article(rng, rng.random() < conflict_share) for _ in range(n)]


def analysed_pool(articles: Sequence[Article]) -> list[Analysis]:
    """The real ``analyse`` under the default seed pack, one result per article."""
    from tui.analysis import analyse
    from tui.model import Item
    from tui.seeds import load_pack

    pack = load_pack(None)
    now = datetime(2026, 2, 27, tzinfo=UTC)
    out = []
    for i, a in enumerate(articles):
        item = Item(id=str(i), feed="x", title=a.title, summary=a.summary, link="",
                    published=now, first_seen=now)
        out.append(analyse(item, pack))
    return out


# ---------------------------------------------------------------------------- RSS documents

OUTLETS = ["Frontier Wire", "Indus Herald", "Kabul Daily", "World Desk", "Eastern Bulletin",
           "Global Ticker", "Capital Times", "Morning Dispatch", "Evening Star", "Border Post"]


def feed_name(i: int) -> str:
    return f"{OUTLETS[i % len(OUTLETS)]} {i:04d}"


def rss_document(i: int, articles: Sequence[Article], newest: datetime, base: str) -> bytes:
    """An RSS 2.0 document for feed ``i``: one <item> per article, newest first,
    20 minutes apart, with guid, link, pubDate and an HTML-escaped description."""
    name = feed_name(i)
    slug = f"feed{i:04d}"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(name)}</title><link>{base}/{slug}/</link>"
        f"<description>{escape(name)}: latest news</description><language>en</language>"
    ]
    for k, a in enumerate(articles):
        when = newest - timedelta(minutes=20 * k)
        tag = hashlib.sha1(a.title.encode()).hexdigest()[:8]
        story = f"{base}/{slug}/{when:%Y/%m/%d}/{k:03d}-{tag}"
        desc = escape(f"<p>{escape(a.summary)}</p>")
        parts.append(
            f"<item><title>{escape(a.title)}</title><link>{story}</link>"
            f'<guid isPermaLink="false">{slug}-{k:03d}-{when:%Y%m%d%H%M}</guid>'
            f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
            f"<dc:creator>{escape(name)} staff</dc:creator>"
            f"<description>{desc}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


# ---------------------------------------------------------------------------- servers


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        pass


Responder = Callable[[BaseHTTPRequestHandler, threading.Event], None]


class LocalServer:
    """A threaded HTTP/1.1 server answering with ``respond(handler, stopping)``, on
    127.0.0.1 or, with ``hosts=K``, on the K loopback addresses 127.0.0.1 … 127.0.0.K
    (K distinct hosts to a client, each on its own port; only 127.0.0.0/8 is used).
    ``ports`` listeners per address. Stopping sets ``stopping`` first, so a responder
    that waits on it (a trickle, a hang) ends at once."""

    def __init__(self, respond: Responder, ports: int = 1, hosts: int = 1) -> None:
        self.stopping = threading.Event()
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests += 1
                with suppress(BrokenPipeError, ConnectionResetError):
                    respond(self, server.stopping)

        if not 1 <= hosts <= 254:
            raise ValueError(f"hosts must be 1..254, got {hosts}")
        addresses = [f"127.0.0.{h}" for h in range(1, hosts + 1)]
        self._servers = [
            _Server((address, 0), Handler) for _ in range(max(1, ports)) for address in addresses
        ]
        self.bases = [
            f"http://{s.server_address[0]}:{s.server_address[1]}" for s in self._servers
        ]
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            for s in self._servers
        ]

    @property
    def base(self) -> str:
        return self.bases[0]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self.stopping.set()
        for s in self._servers:
            s.shutdown()
            s.server_close()
        for t in self._threads:
            t.join(timeout=5)


@contextmanager
def serving(respond: Responder, ports: int = 1, hosts: int = 1) -> Iterator[LocalServer]:
    server = LocalServer(respond, ports, hosts)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: Sequence[tuple[str, str]] = ()) -> None:
    handler.send_response_only(status)
    for k, v in headers:
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


class FeedFarm:
    """Pre-rendered feed documents by path, with strong ETags and Last-Modified;
    a matching If-None-Match (or If-Modified-Since) gets a 304. Counts the answers."""

    LAST_MODIFIED = "Fri, 27 Feb 2026 12:00:00 GMT"

    def __init__(self, docs: dict[str, bytes]) -> None:
        self.docs = docs
        self.etags = {p: '"' + hashlib.sha1(b).hexdigest()[:16] + '"' for p, b in docs.items()}
        self.counts: dict[int, int] = {}
        self._lock = threading.Lock()

    def reset_counts(self) -> None:
        with self._lock:
            self.counts = {}

    def _count(self, status: int) -> None:
        with self._lock:
            self.counts[status] = self.counts.get(status, 0) + 1

    def __call__(self, h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        path = h.path.split("?", 1)[0]
        body = self.docs.get(path)
        if body is None:
            self._count(404)
            send(h, 404, b"not found")
            return
        etag = self.etags[path]
        inm = h.headers.get("If-None-Match")
        ims = h.headers.get("If-Modified-Since")
        validators = [("ETag", etag), ("Last-Modified", self.LAST_MODIFIED)]
        if (inm is not None and etag in [t.strip() for t in inm.split(",")]) or (
            inm is None and ims == self.LAST_MODIFIED
        ):
            self._count(304)
            send(h, 304, headers=validators)
            return
        self._count(200)
        send(h, 200, body, [("Content-Type", "application/rss+xml; charset=utf-8"),
                            *validators])


# ---------------------------------------------------------------------------- measuring


def rss_mib() -> float:
    """Current resident set size in MiB (Linux /proc; falls back to the peak)."""
    with suppress(OSError, ValueError, IndexError):
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t


def best_of(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in
                       enumerate(zip(r, widths, strict=True))) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
