"""App benchmark: start-up to first painted main view, key-press latency under load, RSS.

    python bench/bench_app.py [--items 50000] [--rate 100] [--presses 200]

Runs each scenario in a fresh subprocess (so RSS is the scenario's own): first a
baseline on an empty store, then a store of ``--items`` items. Headless
(``App.run_test``), 160×48. Targets: first paint < 1.5 s, key p95 < 50 ms while
``--rate`` new items/s arrive, RSS < 400 MB. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tui.model import Analysis, Claim, EntityHit, Item, utc_now  # noqa: E402
from tui.store import Store  # noqa: E402

T0 = datetime(2026, 2, 27, 0, 0, tzinfo=UTC)
CATS: tuple[tuple[str, ...], ...] = (
    ("strike",), ("casualty",), ("diplomacy",), (), ("strike", "casualty"),
)


def make(n: int, when: datetime) -> tuple[Item, Analysis]:
    title = f"Item {n}: Pakistan and Afghanistan border report from Kabul and Kandahar"
    item = Item(
        id=f"bench-{n}", feed=f"Feed {n % 12}", title=title,
        summary="Officials said fighting continued along the border. " * 3,
        link=f"https://example.org/{n}", published=when, first_seen=when,
    )
    cats = CATS[n % len(CATS)]
    claims: tuple[Claim, ...] = ()
    if "casualty" in cats:
        claims = (Claim("killed", n % 90 + 1, n % 90 + 1, "soldiers", "pakistan", False,
                        "Spokesperson", "afghanistan", "soldiers were killed", (0, 10)),)
    analysis = Analysis(
        relevant=n % 5 != 4, categories=cats,
        entities=(EntityHit("kabul", "Kabul", "afghanistan", "place", ((0, 5),)),
                  EntityHit("pakistan", "Pakistan", "pakistan", "country", ((9, 17),))),
        claims=claims,
    )
    return item, analysis


def fill(store: Store, count: int) -> None:
    chunk = 5000
    for start in range(0, count, chunk):
        stop = min(start + chunk, count)
        batch = [make(n, T0 + timedelta(seconds=n)) for n in range(start, stop)]
        store.add_batch(batch)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def scenario(db: Path, rate: int, presses: int) -> dict[str, Any]:
    from tui.app.app import create_app
    from tui.app.widgets.item_table import ItemTable

    store = Store(db)
    app = create_app(store, poll=False, clock=utc_now)
    started = time.perf_counter()
    result: dict[str, Any] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        # First paint of the main view with its rows: wait for the load message.
        while not app.loaded:
            await pilot.pause()
        await pilot.pause()
        result["first_paint_s"] = time.perf_counter() - started
        stream = app.main.query_one("#table-stream", ItemTable)
        result["stream_rows"] = stream.row_count

        # Writer thread: `rate` new items per second, in 10 batches a second.
        stop = threading.Event()
        counter = [10_000_000]

        def writer() -> None:
            writer_store = Store(db)
            try:
                while not stop.is_set():
                    now = utc_now()
                    batch = [make(counter[0] + i, now) for i in range(max(rate // 10, 1))]
                    counter[0] += len(batch)
                    writer_store.add_batch(batch)
                    stop.wait(0.1)
            finally:
                writer_store.close()

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        app.set_interval(1.0, lambda: app.start_poll(force=True))  # pick up new rows each second
        # Key → repaint: from posting the key event to the end of the first screen
        # refresh that shows the moved cursor (the compositor's refresh, wrapped).
        latencies: list[float] = []
        screen = app.screen
        original = screen._compositor_refresh
        probe: dict[str, Any] = {}
        painted = asyncio.Event()

        def refresh_and_time() -> None:
            original()
            if probe and stream.current_id() != probe["id"]:
                latencies.append((time.perf_counter() - probe["t0"]) * 1000)
                probe.clear()
                painted.set()

        screen._compositor_refresh = refresh_and_time  # type: ignore[method-assign]
        for n in range(presses):
            # Down, up, down…: new rows keep the cursor on its item, which sinks toward
            # the window's bottom at 100 items/s; alternating always leaves room to move.
            key = "j" if n % 2 == 0 else "k"
            if stream.cursor_row >= stream.row_count - 1:
                key = "k"
            elif stream.cursor_row == 0:
                key = "j"
            painted.clear()
            probe.update(id=stream.current_id(), t0=time.perf_counter())
            app.simulate_key(key)
            try:
                await asyncio.wait_for(painted.wait(), 2.0)
            except TimeoutError:
                latencies.append(2000.0)  # counted as a (very) slow repaint
                print("timeout", key, probe, stream.current_id(), stream.cursor_row,
                      app.focused, file=sys.stderr)
                probe.clear()
            await asyncio.sleep(0.02 + (n % 7) * 0.01)  # a typist, not a loop
        screen._compositor_refresh = original  # type: ignore[method-assign]
        stop.set()
        thread.join()
        await app.workers.wait_for_complete()
        await pilot.pause()
        latencies.sort()
        result["key_p50_ms"] = statistics.median(latencies)
        result["key_p95_ms"] = latencies[int(len(latencies) * 0.95) - 1]
        result["items_arrived"] = counter[0] - 10_000_000
        result["stream_rows_after"] = stream.row_count
        result["rss_mb"] = rss_mb()
    store.close()
    return result


def child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store(db)
        fill(store, args.items)
        store.close()
        out = asyncio.run(scenario(db, args.rate, args.presses))
        out["items"] = args.items
        print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    rows = []
    for items in (0, args.items):
        cmd = [sys.executable, __file__, "--child", "--items", str(items), "--rate",
               str(args.rate), "--presses", str(args.presses)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'store':>12} {'first paint':>12} {'key p50':>9} {'key p95':>9} {'RSS':>9} "
          f"{'rows':>6} {'arrived':>8}")
    for r in rows:
        label = "empty" if r["items"] == 0 else f"{r['items']:,} items"
        print(f"{label:>12} {r['first_paint_s']:>10.3f} s {r['key_p50_ms']:>6.1f} ms "
              f"{r['key_p95_ms']:>6.1f} ms {r['rss_mb']:>6.0f} MB {r['stream_rows_after']:>6} "
              f"{r['items_arrived']:>8}")
    big = rows[-1]
    print(
        "targets: first paint < 1.5 s: " + ("ok" if big["first_paint_s"] < 1.5 else "MISSED")
        + " · key p95 < 50 ms: " + ("ok" if big["key_p95_ms"] < 50 else "MISSED")
        + " · RSS < 400 MB: " + ("ok" if big["rss_mb"] < 400 else "MISSED")
    )


if __name__ == "__main__":
    main()
