"""Soak: the real Poller against a faulty network for a long time, on a fake clock.

    python3 bench/soak_faulty.py                 # 60 minutes of wall time
    python3 bench/soak_faulty.py --minutes 5 --tracemalloc

A threaded server on 127.0.0.1 (in a child process, so its threads stay out of the
poller's RSS) serves ``--feeds`` feeds: healthy ones (grow now and then,
ETag / 304 when unchanged), flaky ones (valid about half the time, else 5xx, 429, garbage
or a trickle) and always-bad ones (500, garbage, a hang, a trickle, 429 with Retry-After).
The clock jumps to the next due poll every cycle, so days of schedule pass per minute.

Checked all along, and reported at the end (exit status 1 if any check fails):

* healthy feeds are polled exactly every interval and never fail;
* always-bad feeds back off (their mean gap between polls grows far past the interval);
* nothing stored is lost: the item count never drops, and every id seen stays stored;
* memory stays flat: RSS (and with ``--tracemalloc`` the Python memory allocated by sitmon
  and its HTTP/parse stack) sampled over the cycles does not keep growing once warm.

The short version of this runs in CI: tests/test_faulty_network.py.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from _common import make_article, rss_mib, send, serving, table

from tui.ingest.fetch import FetchLimits
from tui.ingest.poller import Poller
from tui.model import Analysis, FeedConfig, Item
from tui.store import ItemQuery, Store

T0 = datetime(2026, 2, 27, 0, 0, tzinfo=UTC)
INTERVAL = 300
ALL = ItemQuery(relevant_only=False)
UNDER_TEST = [
    tracemalloc.Filter(True, f"*{os.sep}{part}{os.sep}*")
    for part in ("tui", "httpx", "httpcore", "h11", "anyio", "asyncio", "feedparser",
                 "sqlite3", "concurrent")
]

Behaviour = Callable[[BaseHTTPRequestHandler, threading.Event], None]


class Growing:
    """A feed of wire-style items that gains one on about a third of its polls."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.count = 5
        self.lock = threading.Lock()
        self.served: set[str] = set()
        self.articles = [make_article(rng, rng.random() < 0.3) for _ in range(40)]

    def __call__(self, h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        with self.lock:
            if self.rng.random() < 0.35:
                self.count += 1
            count = self.count
            keep = range(max(0, count - 30), count)
            etag = f'"{self.name}-v{count}"'
            if h.headers.get("If-None-Match") == etag:
                send(h, 304, headers=[("ETag", etag)])
                return
            self.served.update(f"{self.name}-{k}" for k in keep)
        parts = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                 f"<title>{self.name}</title><link>https://{self.name}.example/</link>"]
        for k in reversed(keep):
            a = self.articles[k % len(self.articles)]
            when = T0 + timedelta(minutes=k)
            parts.append(f"<item><title>{a.title} ({k})</title>"
                         f"<guid isPermaLink='false'>{self.name}-{k}</guid>"
                         f"<link>https://{self.name}.example/{k}</link>"
                         f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
                         f"<description>{a.summary}</description></item>")
        parts.append("</channel></rss>")
        send(h, 200, "".join(parts).encode(), [("ETag", etag),
                                               ("Content-Type", "application/rss+xml")])


def status(code: int, headers: tuple[tuple[str, str], ...] = ()) -> Behaviour:
    def answer(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        send(h, code, b"nope", list(headers))
    return answer


def garbage(rng: random.Random) -> Behaviour:
    lock = threading.Lock()

    def answer(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        with lock:
            body = rng.choice([
                bytes(rng.randrange(256) for _ in range(500)),
                b"<html><body>Service temporarily unavailable</body></html>",
                b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut",
                b"",
            ])
        send(h, 200, body)
    return answer


def hang(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
    h.send_response_only(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<rss")
    h.wfile.flush()
    stopping.wait(120)  # until the client gives up and the server stops
    h.close_connection = True


def trickle(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
    h.send_response_only(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Connection", "close")
    h.end_headers()
    h.close_connection = True
    for _ in range(200):
        h.wfile.write(b" ")
        h.wfile.flush()
        if stopping.wait(0.05):
            return


def flaky(good: Growing, rng: random.Random) -> Behaviour:
    lock = threading.Lock()
    bad = [status(500), status(502), status(503), status(429, (("Retry-After", "120"),)),
           garbage(rng), trickle]

    def answer(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        with lock:
            ok = rng.random() < 0.5
            pick = rng.choice(bad)
        (good if ok else pick)(h, stopping)
    return answer


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def analyser(it: Item) -> Analysis:
    return Analysis(relevant="Pakistan" in it.text or "Taliban" in it.text)


def held_by_code_under_test() -> int:
    snapshot = tracemalloc.take_snapshot().filter_traces(UNDER_TEST)
    return sum(s.size for s in snapshot.statistics("filename"))


def build_routes(
    feeds: int, seed: int
) -> tuple[dict[str, Behaviour], dict[str, str], dict[str, Growing]]:
    """Every feed's behaviour by path, its kind by name, and the growing feeds by name;
    the same for the same arguments (the server process and the poller both build it)."""
    rng = random.Random(seed)
    routes: dict[str, Behaviour] = {}
    kinds: dict[str, str] = {}
    growing: dict[str, Growing] = {}
    n_healthy = max(1, int(feeds * 0.4))
    n_flaky = max(1, int(feeds * 0.3))
    bad_kinds: list[tuple[str, Behaviour]] = [
        ("err500", status(500)), ("garbage", garbage(random.Random(rng.random()))),
        ("hang", hang), ("trickle", trickle),
        ("limited", status(429, (("Retry-After", "900"),))),
    ]
    for i in range(feeds):
        if i < n_healthy:
            name = f"good{i}"
            growing[name] = Growing(name, random.Random(rng.random()))
            routes[f"/{name}"], kinds[name] = growing[name], "healthy"
        elif i < n_healthy + n_flaky:
            name = f"flaky{i}"
            growing[name] = Growing(name, random.Random(rng.random()))
            routes[f"/{name}"] = flaky(growing[name], random.Random(rng.random()))
            kinds[name] = "flaky"
        else:
            kind, behaviour = bad_kinds[i % len(bad_kinds)]
            name = f"{kind}{i}"
            routes[f"/{name}"], kinds[name] = behaviour, kind
    return routes, kinds, growing


def serve(conn: Connection, feeds: int, seed: int) -> None:
    """The server process: serves until told to stop, then reports what it served, so
    its threads and buffers stay out of the poller's RSS."""
    routes, _, growing = build_routes(feeds, seed)

    def respond(h: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        behaviour = routes.get(h.path)
        if behaviour is None:
            send(h, 404, b"no")
        else:
            behaviour(h, stopping)

    with serving(respond) as server:
        conn.send(server.base)
        conn.recv()  # stop
        requests = server.requests
    conn.send(({name: g.served for name, g in growing.items()}, requests))


async def soak(args: argparse.Namespace) -> int:
    _, kinds, _ = build_routes(args.feeds, args.seed)
    mp = multiprocessing.get_context("fork")
    conn, child_conn = mp.Pipe()
    server = mp.Process(target=serve, args=(child_conn, args.feeds, args.seed), daemon=True)
    server.start()
    base: str = conn.recv()
    limits = FetchLimits(deadline=args.deadline, connect_timeout=args.deadline,
                         max_bytes=1024 * 1024)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sitmon-soak-") as tmp:
        feeds = [FeedConfig(name, f"{base}/{name}", interval=INTERVAL) for name in kinds]
        store = Store(Path(tmp) / "soak.db")
        clock = Clock()
        poller = Poller(feeds, store, analyser, clock=clock, rng=random.Random(args.seed + 1),
                        limits=limits)
        polled: dict[str, list[float]] = {name: [] for name in kinds}
        failed: dict[str, int] = dict.fromkeys(kinds, 0)
        seen_ids: set[int] = set()
        odd: list[str] = []  # failures of feeds that should not fail, as reported
        last_count = 0
        samples: list[tuple[int, float, int, float, int]] = []
        deadline = time.monotonic() + args.minutes * 60
        cycles = 0
        warm = args.warm
        started = time.monotonic()
        try:
            while time.monotonic() < deadline and cycles < args.max_cycles:
                due = poller.next_due()
                if due is None:
                    problems.append("every feed is gone")
                    break
                clock.now = max(clock.now, due)
                results = await poller.poll_due()
                cycles += 1
                at = (clock.now - T0).total_seconds()
                for r in results:
                    polled[r.feed].append(at)
                    failed[r.feed] += bool(r.error)
                    if r.error and kinds[r.feed] == "healthy" and len(odd) < 20:
                        odd.append(f"at cycle {cycles}: {r.feed}: {r.error} ({r.seconds:.2f} s)")
                count = store.count(ALL)
                if count < last_count:
                    problems.append(f"cycle {cycles}: item count dropped {last_count} -> {count}")
                last_count = count
                if cycles % args.check_every == 0:
                    ids = {hash(s.id) for s in store.items(ALL)}
                    if not seen_ids <= ids:
                        problems.append(f"cycle {cycles}: {len(seen_ids - ids)} stored items lost")
                    seen_ids = ids
                if cycles == warm and args.tracemalloc:
                    tracemalloc.start()
                if cycles >= warm and cycles % args.sample_every == 0:
                    gc.collect()
                    traced = held_by_code_under_test() if args.tracemalloc else 0
                    samples.append((cycles, at / 3600, count, rss_mib(), traced))
                    if len(samples) % 10 == 1:
                        print(f"  cycle {cycles:6d}  sim {at / 3600:7.1f} h  items {count:7d}  "
                              f"rss {rss_mib():6.1f} MiB"
                              + (f"  traced {traced / 1024:7.1f} KiB" if args.tracemalloc else "")
                              + f"  wall {time.monotonic() - started:6.0f} s", flush=True)
        finally:
            await poller.aclose()
            if args.tracemalloc and tracemalloc.is_tracing():
                top = tracemalloc.take_snapshot().filter_traces(UNDER_TEST).statistics("lineno")
                print("largest live allocation sites of the code under test:")
                for stat in top[:8]:
                    print(f"    {stat}")
                tracemalloc.stop()
            conn.send("stop")
            served, requests = conn.recv()
            server.join(timeout=10)
            final_ids = {hash(s.id) for s in store.items(ALL)}
            integrity = store.integrity_ok()
            store.close()
        if not seen_ids <= final_ids:
            problems.append("stored items lost by the end")
        if not integrity:
            problems.append("integrity_check failed")

        # Healthy feeds: exactly every INTERVAL from T0, never failing.
        for name, kind in kinds.items():
            if kind != "healthy":
                continue
            times = polled[name]
            if any(abs(t - k * INTERVAL) > 1e-6 for k, t in enumerate(times)):
                problems.append(f"{name}: off schedule")
            if failed[name]:
                problems.append(f"{name}: failed {failed[name]} times")
            name_served: set[str] = served[name]
            guids = set()
            with Store(Path(tmp) / "soak.db") as check:
                guids = {s.item.guid for s in check.items(ALL) if s.item.feed == name}
            if not name_served <= guids:
                problems.append(f"{name}: {len(name_served - guids)} served items not stored")
        # Always-bad feeds back off: pooled mean gap over the later half of their polls.
        gaps: dict[str, list[float]] = {}
        for name, kind in kinds.items():
            if kind in ("err500", "garbage", "hang", "trickle"):
                times = polled[name]
                g = [b - a for a, b in itertools.pairwise(times)]
                gaps.setdefault(kind, []).extend(g[len(g) // 2:])
                if failed[name] != len(times):
                    problems.append(f"{name}: {len(times) - failed[name]} polls did not fail")
        for name, kind in kinds.items():
            if kind == "limited":
                times = polled[name]
                if {b - a for a, b in itertools.pairwise(times)} - {900.0}:
                    problems.append(f"{name}: Retry-After 900 not honoured")

    sim_hours = (clock.now - T0).total_seconds() / 3600
    print(f"\n{cycles} cycles, {sim_hours:.1f} simulated hours in "
          f"{time.monotonic() - started:.0f} s wall; {last_count} items stored; "
          f"server answered {requests} requests")
    rows = [[kind, str(sum(1 for k in kinds.values() if k == kind)),
             f"{statistics.mean(len(polled[n]) for n, k in kinds.items() if k == kind):.1f}",
             f"{statistics.mean(gaps[kind]):.0f}" if gaps.get(kind) else "",
             str(sum(failed[n] for n, k in kinds.items() if k == kind))]
            for kind in ("healthy", "flaky", "err500", "garbage", "hang", "trickle", "limited")]
    print(table(rows, ["kind", "feeds", "polls/feed", "late gap s", "failed polls"]))
    for kind, g in gaps.items():
        if g and statistics.mean(g) <= 2 * INTERVAL:
            problems.append(f"{kind} feeds do not back off "
                            f"(mean late gap {statistics.mean(g):.0f} s)")

    if len(samples) >= 8:
        quarter = len(samples) // 4
        rss_early = max(s[3] for s in samples[quarter: 2 * quarter])
        rss_late = max(s[3] for s in samples[-quarter:])
        print(f"memory: RSS {samples[0][3]:.1f} MiB at cycle {samples[0][0]}, "
              f"{rss_early:.1f} MiB (2nd quarter max), {rss_late:.1f} MiB (last quarter max)")
        if rss_late - rss_early > args.rss_slack:
            problems.append(f"RSS grew {rss_late - rss_early:.1f} MiB after warm-up")
        if args.tracemalloc:
            tr_early = max(s[4] for s in samples[quarter: 2 * quarter])
            tr_late = max(s[4] for s in samples[-quarter:])
            print(f"        traced (sitmon + http/parse stack): {tr_early / 1024:.0f} KiB -> "
                  f"{tr_late / 1024:.0f} KiB")
            if tr_late - tr_early > 1024 * 1024:
                problems.append(f"traced memory grew {(tr_late - tr_early) / 1024:.0f} KiB")
    else:
        print("memory: too few samples for a verdict (run longer)")
    if odd:
        print("healthy feeds that failed (first 20):\n  " + "\n  ".join(odd))
    print("\n" + ("all checks passed" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems)))
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--feeds", type=int, default=40)
    ap.add_argument("--deadline", type=float, default=0.3, help="fetch deadline, seconds")
    ap.add_argument("--seed", type=int, default=20260227)
    ap.add_argument("--warm", type=int, default=200, help="cycles before memory is sampled")
    ap.add_argument("--sample-every", type=int, default=50)
    ap.add_argument("--check-every", type=int, default=20, help="cycles between id checks")
    ap.add_argument("--max-cycles", type=int, default=10**9)
    ap.add_argument("--rss-slack", type=float, default=8.0, help="MiB of RSS growth allowed")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args()
    print(f"sitmon faulty-network soak: {args.minutes:g} min, {args.feeds} feeds, deadline "
          f"{args.deadline:g} s, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    return asyncio.run(soak(args))


if __name__ == "__main__":
    raise SystemExit(main())
