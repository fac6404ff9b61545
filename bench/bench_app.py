"""App benchmark: start-up to first painted main view, key-press latency under load, RSS.

    python bench/bench_app.py [--items 50000] [--rate 100] [--presses 200] [--repeat 3]
    python bench/bench_app.py --compare /tmp/sitmon-before --repeat 5

Runs each scenario in a fresh subprocess (so RSS is the scenario's own): first a
baseline on an empty store, then a store of ``--items`` items, ``--repeat`` times
(medians and ranges are printed). ``--compare DIR`` also runs the same scenarios
against another checkout of the repository (e.g. a copy of the tree before a change),
interleaved with this one, so both see the same machine load. Headless
(``App.run_test``), 160×48. Targets: first paint < 1.5 s, key p95 < 50 ms while
``--rate`` new items/s arrive, RSS < 400 MB. The filled store is cached in
/tmp/sitmon-bench. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
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
if "--root" in sys.argv:  # a child measuring another checkout: import its `tui`
    ROOT = Path(sys.argv[sys.argv.index("--root") + 1]).resolve()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CACHE = Path("/tmp/sitmon-bench")

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
        # refresh after the table's cursor action ran (the compositor's refresh, wrapped).
        # A key that cannot move the cursor (new rows pushed it to the last row meanwhile)
        # has nothing to repaint: it counts when its action returns.
        latencies: list[float] = []
        screen = app.screen
        original = screen._compositor_refresh
        probe: dict[str, Any] = {}
        painted = asyncio.Event()

        def done() -> None:
            latencies.append((time.perf_counter() - probe["t0"]) * 1000)
            probe.clear()
            painted.set()

        def refresh_and_time() -> None:
            original()
            if probe.get("handled"):
                done()

        def wrap(action: Any) -> Any:
            def run() -> None:
                before = stream.cursor_coordinate
                action()
                if probe:
                    probe["handled"] = True
                    if stream.cursor_coordinate == before:
                        done()

            return run

        stream.action_cursor_down = wrap(stream.action_cursor_down)  # type: ignore[method-assign]
        stream.action_cursor_up = wrap(stream.action_cursor_up)  # type: ignore[method-assign]
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
            probe.update(t0=time.perf_counter())
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


def cached_store(items: int) -> Path:
    """A store of ``items`` bench items, built once into /tmp/sitmon-bench."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"app-{items}.db"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        store = Store(tmp)
        fill(store, items)
        store.close()
        tmp.replace(path)
    return path


def child(args: argparse.Namespace) -> None:
    source = cached_store(args.items)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        shutil.copyfile(source, db)
        out = asyncio.run(scenario(db, args.rate, args.presses))
        out["items"] = args.items
        print(json.dumps(out))


def run_child(root: Path, items: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", "--root", str(root), "--items", str(items),
           "--rate", str(args.rate), "--presses", str(args.presses)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def spread(values: list[float], fmt: str) -> str:
    """Median, and the range when there is more than one run."""
    med = format(statistics.median(values), fmt)
    if len(values) == 1:
        return med
    return f"{med} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each scenario")
    parser.add_argument("--compare", type=Path, help="another checkout, run interleaved")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    cached_store(args.items)
    trees = [("this tree", ROOT)]
    if args.compare is not None:
        trees.insert(0, ("compare", args.compare.resolve()))
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for rep in range(args.repeat):
        for items in ((0, args.items) if rep == 0 else (args.items,)):
            for label, root in trees:
                result = run_child(root, items, args)
                runs.setdefault((label, items), []).append(result)
                print(f"  run {rep + 1} {label:>9} {items:>6} items: first paint "
                      f"{result['first_paint_s']:.3f} s, key p50 {result['key_p50_ms']:.1f} ms, "
                      f"p95 {result['key_p95_ms']:.1f} ms, RSS {result['rss_mb']:.0f} MB",
                      flush=True)
    print(f"\n{'tree':>9} {'store':>12} {'runs':>4} {'first paint s':>20} {'key p50 ms':>18} "
          f"{'key p95 ms':>20} {'RSS MB':>14} {'arrived':>8}")
    for (label, items), rows in runs.items():
        store_label = "empty" if items == 0 else f"{items:,} items"
        print(f"{label:>9} {store_label:>12} {len(rows):>4} "
              f"{spread([r['first_paint_s'] for r in rows], '.3f'):>20} "
              f"{spread([r['key_p50_ms'] for r in rows], '.1f'):>18} "
              f"{spread([r['key_p95_ms'] for r in rows], '.1f'):>20} "
              f"{spread([r['rss_mb'] for r in rows], '.0f'):>14} "
              f"{statistics.median([r['items_arrived'] for r in rows]):>8.0f}")
    big = runs[("this tree", args.items)]
    paint = statistics.median(r["first_paint_s"] for r in big)
    p95 = statistics.median(r["key_p95_ms"] for r in big)
    rss = statistics.median(r["rss_mb"] for r in big)
    print(
        "targets (this tree, medians): first paint < 1.5 s: " + ("ok" if paint < 1.5 else "MISSED")
        + " · key p95 < 50 ms: " + ("ok" if p95 < 50 else "MISSED")
        + " · RSS < 400 MB: " + ("ok" if rss < 400 else "MISSED")
    )


if __name__ == "__main__":
    main()
