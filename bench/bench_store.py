"""The store at scale: the main view's queries, a 24 h export and retention on a big store.

    python3 bench/bench_store.py                   # 1,000,000 items (built once, cached in /tmp)
    python3 bench/bench_store.py --items 200000    # smaller
    python3 bench/bench_store.py --rebuild         # ignore the cached database

The big store is compared with a 10,000-item baseline built in the same process with the
same generator and the same item density (items per day), so the 24 h window and the
shift hold the same number of items in both: what differs is only the size of the table.

Targets: every main-view query and a 24 h export (summary + markdown + json) under 1 s;
the file stays bounded under repeated ingest + prune.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timer, analysed_pool, best_of, feed_name, make_articles, table

from tui.export import build_summary, render_html, render_json, render_markdown
from tui.model import Analysis, FeedHealth, Item
from tui.store import SCHEMA_VERSION, ItemQuery, Store

T_END = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)
PER_DAY = 8_000  # items per day: 1M items span 125 days; a 24 h window holds ~8k
FEEDS = 200
POOL = 5_000  # distinct analysed articles the items cycle through
BATCH = 10_000
GENERATOR = "g3"  # bump when the generator changes, so the cache is rebuilt
SHIFT = timedelta(hours=8)
TARGET = 1.0


def items_for(n: int, start: int = 0, end: datetime = T_END, seed: int = 7) -> Iterator[
    list[tuple[Item, Analysis]]
]:
    """Items ``start .. start+n`` (0 = oldest), ``PER_DAY`` a day, ending at ``end``,
    in batches of ``BATCH``, each with a real analysis from a pool of articles."""
    articles = make_articles(POOL, seed=seed, conflict_share=0.25)
    analyses = analysed_pool(articles)
    rng = random.Random(seed + start)
    step = 86400.0 / PER_DAY
    batch: list[tuple[Item, Analysis]] = []
    for k in range(start, start + n):
        age = (start + n - 1 - k) * step + rng.uniform(0, step)
        published = end - timedelta(seconds=age)
        first_seen = published + timedelta(seconds=rng.uniform(0, 600))
        j = rng.randrange(POOL)
        a = articles[j]
        fid = rng.randrange(FEEDS)
        digest = hashlib.sha256(f"{GENERATOR}-{k}".encode()).hexdigest()
        item = Item(
            id=digest, feed=feed_name(fid), title=a.title, summary=a.summary,
            link=f"https://news{fid:03d}.example.com/{published:%Y/%m/%d}/{digest[:12]}-story",
            published=published, first_seen=first_seen, guid=f"urn:uuid:{digest[:32]}",
            feed_url=f"https://news{fid:03d}.example.com/rss.xml",
        )
        batch.append((item, analyses[j]))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build(path: Path, n: int) -> float:
    """A store of ``n`` items at ``path``; returns items stored per second."""
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t = time.perf_counter()
    stored = 0
    with Store(path) as store:
        for batch in items_for(n):
            stored += len(store.add_batch(batch))
            if n >= 100_000 and stored % 100_000 == 0:
                print(f"  built {stored:,} items", file=sys.stderr, flush=True)
        rng = random.Random(3)
        for i in range(FEEDS):
            failing = i % 25 == 0
            store.save_feed(FeedHealth(
                name=feed_name(i), url=f"https://news{i:03d}.example.com/rss.xml",
                last_attempt=T_END - timedelta(minutes=rng.randint(1, 10)),
                last_success=T_END - timedelta(minutes=30 if failing else 5),
                status=503 if failing else 200, error="HTTP 503 Service Unavailable"
                if failing else "", items_seen=n // FEEDS, failures=3 if failing else 0,
                next_poll=T_END + timedelta(minutes=5)))
        # The analyst flags about one item in a thousand.
        seqs = rng.sample(range(1, n + 1), max(1, n // 1000))
        store._db.executemany("UPDATE items SET flagged = 1 WHERE seq = ?", [(s,) for s in seqs])
        store.set_meta("bench", f"{GENERATOR}:{n}")
    assert stored == n, (stored, n)
    return n / (time.perf_counter() - t)


def cached(cache: Path, n: int, rebuild: bool) -> tuple[Path, float | None]:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"store-{GENERATOR}-{n}.db"
    if path.exists() and not rebuild:
        try:
            with Store(path) as store:  # also runs any new migration on the cached file
                if store.get_meta("bench") == f"{GENERATOR}:{n}":
                    return path, None
        except Exception as exc:  # a half-built cache: rebuild
            print(f"  cache unusable ({exc}); rebuilding", file=sys.stderr)
    print(f"building {n:,} items at {path} ...", file=sys.stderr, flush=True)
    rate = build(path, n)
    return path, rate


# ---------------------------------------------------------------------------- the queries


def main_view(store: Store, shift_start: datetime) -> dict[str, Callable[[], object]]:
    """The app's reads (tui/app/app.py _read_panels/_read_counts/_read_new, the drill-downs,
    the ledger, the detail screen's related items), as named callables."""
    last = store.last_seq()
    top = store.items(ItemQuery(limit=1))[0]
    entity_common = "pakistan"
    entity_rare = "gul_bahadur"  # in the pack, never in the generated text: worst case
    feed = feed_name(17)

    def counts() -> object:
        out = [store.count(ItemQuery(since=shift_start))]
        for c in ("strike", "casualty", "diplomacy"):
            out.append(store.count(ItemQuery(since=shift_start, category=c)))
        return out

    def related() -> object:
        p = top.item.published
        return [store.items(ItemQuery(entity=e.id, since=p - timedelta(hours=24),
                                      until=p + timedelta(hours=24), limit=100))
                for e in top.analysis.entities[:8]]

    q = ItemQuery
    return {
        "newest 500 relevant": lambda: store.items(q(limit=500)),
        "newest 500 strike": lambda: store.items(q(category="strike", limit=500)),
        "newest 500 casualty": lambda: store.items(q(category="casualty", limit=500)),
        "newest 500 diplomacy": lambda: store.items(q(category="diplomacy", limit=500)),
        "counts since shift (4)": counts,
        "new since seq (poll)": lambda: store.items(q(after_seq=last - 50, limit=2000)),
        "entity filter (common)": lambda: store.items(q(entity=entity_common, limit=500)),
        "entity filter (absent)": lambda: store.items(q(entity=entity_rare, limit=500)),
        "entity drill-down 1000": lambda: store.items(
            q(entity="ttp", relevant_only=False, limit=1000)),
        "text filter 'torkham'": lambda: store.items(q(text="torkham", limit=500)),
        "text filter (absent)": lambda: store.items(q(text="zebra crossing", limit=500)),
        "feed filter 500": lambda: store.items(q(feed=feed, limit=500)),
        "feed drill-down 1000": lambda: store.items(q(feed=feed, relevant_only=False,
                                                      limit=1000)),
        "category+text filter": lambda: store.items(q(category="strike", text="kabul",
                                                      limit=500)),
        "ledger (casualty 2000)": lambda: store.items(q(category="casualty", limit=2000)),
        "detail: related items": related,
        "feeds (health view)": store.feeds,
    }


def export_24h(store: Store) -> dict[str, Callable[[], object]]:
    since, until = T_END - timedelta(hours=24), T_END
    box: dict[str, object] = {}

    def summary() -> object:
        box["s"] = build_summary(store, since, until, now=T_END)
        return box["s"]

    def full(render: Callable[..., str]) -> Callable[[], object]:
        return lambda: render(build_summary(store, since, until, now=T_END))

    summary()
    return {
        "24h summary (build)": summary,
        "24h render markdown": lambda: render_markdown(box["s"]),  # type: ignore[arg-type]
        "24h render json": lambda: render_json(box["s"]),  # type: ignore[arg-type]
        "24h render html": lambda: render_html(box["s"]),  # type: ignore[arg-type]
        "24h export md (total)": full(render_markdown),
        "24h export json (total)": full(render_json),
    }


def measure(path: Path) -> tuple[dict[str, float], dict[str, str], dict[str, float]]:
    """Seconds (best of 3, after a first cold-ish run) per query; result sizes; the
    first run's seconds."""
    seconds: dict[str, float] = {}
    first: dict[str, float] = {}
    sizes: dict[str, str] = {}
    with Store(path) as store:
        shift_start = T_END - SHIFT
        named = {**main_view(store, shift_start), **export_24h(store)}
        for name, fn in named.items():
            t = time.perf_counter()
            fn()
            first[name] = time.perf_counter() - t
            seconds[name], result = best_of(fn, 3)
            if isinstance(result, list):
                sizes[name] = str(len(result))
            elif isinstance(result, str):
                sizes[name] = f"{len(result) // 1024} KiB"
            else:
                sizes[name] = ""
    return seconds, sizes, first


def stats(path: Path) -> tuple[int, int, float]:
    with Store(path) as store:
        n = store.count(ItemQuery(relevant_only=False))
        size = store.size_bytes()
        day = store.count(ItemQuery(since=T_END - timedelta(hours=24), until=T_END,
                                    relevant_only=False))
    return n, day, size / max(1, n)


def query_plans(path: Path) -> None:
    with Store(path) as store:
        for name, q in [
            ("main", ItemQuery(limit=500)),
            ("category", ItemQuery(category="casualty", limit=500)),
            ("entity", ItemQuery(entity="gul_bahadur", limit=500)),
            ("text", ItemQuery(text="zebra", limit=500)),
            ("feed", ItemQuery(feed=feed_name(17), limit=500)),
            ("window", ItemQuery(since=T_END - timedelta(hours=24), until=T_END,
                                 relevant_only=False, newest_first=False)),
        ]:
            where, params = store._where(q)
            sql = f"EXPLAIN QUERY PLAN SELECT seq FROM items{where} ORDER BY published DESC, "\
                  "seq DESC"
            plan = "; ".join(str(r[3]) for r in store._db.execute(sql, params).fetchall())
            print(f"  {name:9} {plan}")


# ---------------------------------------------------------------------------- retention


def file_mib(path: Path) -> str:
    main = path.stat().st_size
    wal = Path(str(path) + "-wal")
    w = wal.stat().st_size if wal.exists() else 0
    return f"{main / 2**20:,.0f}+{w / 2**20:,.0f} MiB"


def pages(path: Path) -> tuple[int, int]:
    db = sqlite3.connect(path)
    try:
        return (int(db.execute("PRAGMA page_count").fetchone()[0]),
                int(db.execute("PRAGMA freelist_count").fetchone()[0]))
    finally:
        db.close()


def pages_text(path: Path) -> str:
    total, free = pages(path)
    return f"{total}/{free}"


def retention(big: Path, n: int, cycles: int) -> None:
    """On a copy of the big store: prune to a retention window, then ingest one window's
    worth of new items and prune again, ``cycles`` times. The file must stay bounded."""
    work = big.with_name(big.stem + "-prune.db")
    shutil.copyfile(big, work)
    for suffix in ("-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    span_days = n / PER_DAY
    keep = timedelta(days=span_days * 0.75)  # retention: the newest three quarters
    chunk = n // 8  # one cycle's new items
    rows = []
    end = T_END
    next_start = n
    with Store(work) as store:
        count0 = store.count(ItemQuery(relevant_only=False))
        rows.append(["start", f"{count0:,}", "", "", file_mib(work), pages_text(work)])
        with Timer() as t:
            removed = store.prune(end - keep)
        rows.append(["prune (first)", f"{store.count(ItemQuery(relevant_only=False)):,}",
                     f"{removed:,}", f"{t.seconds:.2f}", file_mib(work), pages_text(work)])
        for c in range(cycles):
            end = end + timedelta(days=chunk / PER_DAY)
            with Timer() as ti:
                for batch in items_for(chunk, start=next_start, end=end, seed=11 + c):
                    store.add_batch(batch)
            next_start += chunk
            with Timer() as tp:
                removed = store.prune(end - keep)
            total = store.count(ItemQuery(relevant_only=False))
            rows.append([f"cycle {c + 1}: +{chunk:,} ({ti.seconds:.1f} s), prune", f"{total:,}",
                         f"{removed:,}", f"{tp.seconds:.2f}", file_mib(work),
                         pages_text(work)])
        ok = store.integrity_ok()
    print(table(rows, ["step", "items", "pruned", "prune s", "db+wal", "pages/free"]))
    print(f"  integrity_check after the cycles: {'ok' if ok else 'FAILED'}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)


# ---------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--baseline", type=int, default=10_000)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/sitmon-bench"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--cycles", type=int, default=4, help="ingest+prune cycles")
    ap.add_argument("--no-retention", action="store_true")
    args = ap.parse_args()

    print(f"sitmon store bench: schema v{SCHEMA_VERSION}, sqlite {sqlite3.sqlite_version}, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    base_path, base_rate = cached(args.cache, args.baseline, True)
    big_path, big_rate = cached(args.cache, args.items, args.rebuild)
    if big_rate is not None:
        print(f"built {args.items:,} items with Store.add_batch: {big_rate:,.0f} items/s")
    print(f"baseline {args.baseline:,} items built at {base_rate or 0:,.0f} items/s")

    for label, path in (("baseline", base_path), ("big", big_path)):
        n, day, per = stats(path)
        print(f"{label:8}: {n:,} items, {day:,} in the 24 h window, "
              f"{per:,.0f} bytes/item on disk ({file_mib(path)})")
    print("query plans (big store):")
    query_plans(big_path)

    gc.collect()
    base, _, _ = measure(base_path)
    big, sizes, first = measure(big_path)
    rows = []
    missed = []
    for name in big:
        ratio = big[name] / base[name] if base[name] > 0 else float("inf")
        ok = big[name] < TARGET and (name.startswith("24h") or first[name] < TARGET)
        if not ok:
            missed.append(name)
        rows.append([name, sizes[name], f"{base[name] * 1000:.1f}", f"{first[name] * 1000:.1f}",
                     f"{big[name] * 1000:.1f}", f"{ratio:.1f}x", "ok" if ok else "MISSED"])
    print()
    print(table(rows, ["query", "rows", f"{args.baseline // 1000}k ms", "1st ms (big)",
                       f"{args.items // 1000}k ms", "big/base", "<1 s"]))
    print("\n" + ("every target met" if not missed else f"targets missed: {', '.join(missed)}"))

    if not args.no_retention:
        print("\nretention (a copy of the big store; keep the newest 3/4, then cycles of "
              "ingest one eighth + prune):")
        retention(big_path, args.items, args.cycles)
    for suffix in ("", "-wal", "-shm"):
        Path(str(base_path) + suffix).unlink(missing_ok=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
