"""Ingest: `sitmon poll --once` against `newsboat -x reload` on the same local feeds.

    python3 bench/bench_ingest.py                       # N = 50, 200, 1000 feeds of 50 items
    python3 bench/bench_ingest.py --sizes 200 --ports 8 # feeds spread over 8 ports (hosts)
    python3 bench/bench_ingest.py --profile             # also py-spy the largest cold poll

One threaded HTTP server on 127.0.0.1 serves N generated RSS 2.0 feeds (wire-style items,
a quarter about the conflict) with ETag / Last-Modified, and answers a matching
If-None-Match / If-Modified-Since with 304. For each N, in the same run:

* cold: `python3 -m tui poll --once` on a fresh database (fetch, parse, analyse, store),
  and `newsboat -x reload` on an empty cache, with ``reload-threads`` = sitmon's
  concurrency (8);
* warm: the same again on the filled database / cache, where every feed answers 304
  (newsboat 2.21 only sends If-None-Match / If-Modified-Since from its third reload of a
  feed, newsboat issue #2734, so its warm figure is the third run).

Wall-clock times of the whole process (interpreter start included), best of ``--repeat``.
Needs newsboat (`apt-get install -y newsboat`). Target: 1,000 unchanged feeds under 2 s.

sitmon keeps at most ``FetchLimits.per_host`` (2) requests in flight per host; every feed
here is on 127.0.0.1, so with one port sitmon runs 2 requests at a time while newsboat runs
8. ``--ports K`` serves the same feeds from K ports (K "hosts" to sitmon) to show the
many-outlets case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FeedFarm, feed_name, make_articles, rss_document, serving, table

ROOT = Path(__file__).resolve().parent.parent
NEWEST = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)
CONCURRENCY = 8  # the Poller's default, which `sitmon poll` uses
WARM_TARGET = 2.0


@dataclass
class Run:
    seconds: float
    stored: int
    statuses: dict[int, int]


def write_inputs(work: Path, bases: list[str], n: int) -> tuple[Path, Path, Path]:
    feeds = work / "feeds.toml"
    urls = work / "urls"
    conf = work / "newsboat.conf"
    lines = []
    url_lines = []
    for i in range(n):
        url = f"{bases[i % len(bases)]}/feed{i:04d}.xml"
        lines.append(f'[[feed]]\nname = "{feed_name(i)}"\nurl = "{url}"\ninterval = 300\n'
                     'kind = "wire"\n')
        url_lines.append(url)
    feeds.write_text("\n".join(lines))
    urls.write_text("\n".join(url_lines) + "\n")
    conf.write_text(f"reload-threads {CONCURRENCY}\nshow-read-feeds yes\nsuppress-first-reload "
                    "no\ndownload-timeout 30\nmax-items 0\n")
    return feeds, urls, conf


def docs_for(n: int, items: int) -> dict[str, bytes]:
    articles = make_articles(n * items, seed=n, conflict_share=0.25)
    return {
        f"/feed{i:04d}.xml": rss_document(i, articles[i * items:(i + 1) * items], NEWEST,
                                          "https://news.example.com")
        for i in range(n)
    }


def run(cmd: list[str], farm: FeedFarm, env: dict[str, str] | None = None) -> tuple[float, str]:
    farm.reset_counts()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - t
    if proc.returncode not in (0,):
        sys.exit(f"{cmd[0]} {' '.join(cmd[1:4])} ... failed ({proc.returncode}):\n"
                 f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def sitmon(feeds: Path, db: Path, farm: FeedFarm) -> Run:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "tui", "poll", "--once", "--feeds", str(feeds), "--db", str(db)]
    seconds, _ = run(cmd, farm, env)
    con = sqlite3.connect(db)
    try:
        stored = int(con.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        con.close()
    return Run(seconds, stored, dict(farm.counts))


def newsboat(urls: Path, cache: Path, conf: Path, farm: FeedFarm) -> Run:
    cmd = ["newsboat", "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", str(conf)]
    seconds, _ = run(cmd, farm)
    con = sqlite3.connect(cache)
    try:
        stored = int(con.execute("SELECT count(*) FROM rss_item").fetchone()[0])
    finally:
        con.close()
    return Run(seconds, stored, dict(farm.counts))


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def startup_seconds() -> float:
    """What `python3 -m tui --version` costs: the floor under every sitmon figure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui", "--version"], cwd=ROOT, env=env,
                       capture_output=True, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def profile(feeds: Path, db: Path, farm: FeedFarm, out: Path) -> None:
    """py-spy (all threads, so the executor's parse/analyse/store show) over a cold poll."""
    spy = shutil.which("py-spy")
    if spy is None:
        print("  (py-spy not installed: pip install py-spy)")
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [spy, "record", "--rate", "250", "--format", "raw", "--threads", "-o", str(out), "--",
           sys.executable, "-m", "tui", "poll", "--once", "--feeds", str(feeds), "--db",
           str(fresh(db))]
    farm.reset_counts()
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False, timeout=1800)
    print(f"  py-spy raw stacks: {out}")
    summarise_profile(out)


def summarise_profile(path: Path, top: int = 14) -> None:
    """Self and inclusive sample counts per function from py-spy's collapsed stacks."""
    if not path.exists():
        return
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not count_s.isdigit():
            continue
        count = int(count_s)
        total += count
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                  + ")" if " (" in f else f for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] = inclusive.get(f, 0) + count
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + count
    rows = sorted(inclusive.items(), key=lambda kv: -kv[1])
    print(f"  {total} samples; inclusive share of the busiest functions:")
    for name, count in [r for r in rows if "idle" not in r[0]][:top]:
        print(f"    {100 * count / total:5.1f}%  {name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sizes", default="50,200,1000")
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--ports", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-newsboat", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    have_newsboat = shutil.which("newsboat") is not None and not args.no_newsboat
    if not have_newsboat and not args.no_newsboat:
        print("newsboat not found (apt-get install -y newsboat); sitmon only")
    version = ""
    if have_newsboat:
        version = subprocess.run(["newsboat", "--version"], capture_output=True, text=True,
                                 check=False).stdout.split("\n")[0]
    print(f"sitmon ingest bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"{args.items} items/feed, {args.ports} port(s), concurrency {CONCURRENCY}; {version}")
    floor = startup_seconds()
    print(f"`python3 -m tui --version` (interpreter + CLI start): {floor:.2f} s")

    rows = []
    warm_ok = True
    for n in sizes:
        farm = FeedFarm(docs_for(n, args.items))
        mib = sum(len(b) for b in farm.docs.values()) / 2**20
        with serving(farm, ports=args.ports) as server, \
                tempfile.TemporaryDirectory(prefix="sitmon-ingest-") as tmp:
            work = Path(tmp)
            feeds, urls, conf = write_inputs(work, server.bases, n)
            cold_s: list[Run] = []
            warm_s: list[Run] = []
            cold_n: list[Run] = []
            warm_n: list[Run] = []
            for _ in range(args.repeat):
                db = fresh(work / "sitmon.db")
                cold_s.append(sitmon(feeds, db, farm))
                warm_s.append(sitmon(feeds, db, farm))
                if have_newsboat:
                    cache = fresh(work / "cache.db")
                    cold_n.append(newsboat(urls, cache, conf, farm))
                    # newsboat 2.21 sends no validators on the second reload of a feed
                    # (newsboat issue #2734): the third is the first conditional one.
                    newsboat(urls, cache, conf, farm)
                    warm_n.append(newsboat(urls, cache, conf, farm))
            for label, runs, code in (("sitmon cold", cold_s, 200), ("sitmon warm", warm_s, 304),
                                      ("newsboat cold", cold_n, 200),
                                      ("newsboat warm", warm_n, 304)):
                for r in runs:
                    if r.statuses.get(code, 0) != n:
                        print(f"  warning: {label} N={n}: statuses {r.statuses}, expected "
                              f"{n} x {code}")
            bs = min(cold_s, key=lambda r: r.seconds)
            ws = min(warm_s, key=lambda r: r.seconds)
            row = [f"{n}", f"{n * args.items:,}", f"{mib:.1f}", f"{bs.seconds:.2f}",
                   f"{bs.stored:,}", f"{ws.seconds:.2f}"]
            if have_newsboat:
                bn = min(cold_n, key=lambda r: r.seconds)
                wn = min(warm_n, key=lambda r: r.seconds)
                row += [f"{bn.seconds:.2f}", f"{bn.stored:,}", f"{wn.seconds:.2f}",
                        f"{bs.seconds / bn.seconds:.2f}", f"{ws.seconds / wn.seconds:.2f}"]
            rows.append(row)
            if n >= 1000 and ws.seconds >= WARM_TARGET:
                warm_ok = False
            if args.profile and n == max(sizes):
                profile(feeds, work / "profile.db", farm, Path("/tmp") / f"sitmon-poll-{n}.txt")
        print(f"N={n} done", file=sys.stderr, flush=True)

    header = ["feeds", "items", "MiB", "sitmon cold s", "stored", "sitmon warm s"]
    if have_newsboat:
        header += ["newsboat cold s", "stored", "newsboat warm s", "cold ratio", "warm ratio"]
    print()
    print(table(rows, header))
    print("ratio = sitmon / newsboat (above 1: sitmon slower). sitmon also analyses every item.")
    print(f"warm target (1,000 unchanged feeds < {WARM_TARGET:g} s): "
          f"{'met' if warm_ok else 'MISSED'}")
    return 0 if warm_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
