"""Ingest: `sitmon poll --once` against `newsboat -x reload` on the same local feeds.

    python3 bench/bench_ingest.py                       # N = 50, 200, 1000 feeds of 50 items
    python3 bench/bench_ingest.py --sizes 200 --hosts 1 # every feed on one host (worst case)
    python3 bench/bench_ingest.py --compare /tmp/old    # also time another sitmon tree
    python3 bench/bench_ingest.py --profile             # also py-spy the largest cold poll

Threaded HTTP servers on the loopback addresses 127.0.0.1 … 127.0.0.K (``--hosts``,
default 50; feeds round-robin over them, the same URLs for both tools) serve N generated
RSS 2.0 feeds (wire-style items, a quarter about the conflict) with ETag / Last-Modified,
and answer a matching If-None-Match / If-Modified-Since with 304. For each N, in the same
run, alternating the tools:

* cold: `python3 -m tui poll --once` on a fresh database (fetch, parse, analyse, store),
  and `newsboat -x reload` on an empty cache, with ``reload-threads`` 8;
* warm: the same again on the filled database / cache, where every feed answers 304
  (newsboat 2.21 only sends If-None-Match / If-Modified-Since from its third reload of a
  feed, newsboat issue #2734, so its warm figure is the third run).

Wall-clock times of the whole process (interpreter start included) and its CPU time
(user + system, with every child process it waited for: sitmon's parse workers), best
of ``--repeat`` by wall time. Needs newsboat (`apt-get install -y newsboat`).
Target: sitmon cold <= newsboat cold at every N; 1,000 unchanged feeds under 2 s.

sitmon keeps at most ``FetchLimits.per_host`` (2) requests in flight per host (a
requirement: politeness), so with ``--hosts 1`` it runs 2 requests at a time while
newsboat runs 8; real feed lists span many hosts.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
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
CONCURRENCY = 8  # newsboat reload-threads (sitmon: 16 feeds at once, at most 2 per host)
WARM_TARGET = 2.0


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system of the process and the children it waited for
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


def _become_subreaper() -> None:
    """Adopt orphaned descendants (Linux), so their CPU time is counted: sitmon's parse
    workers are children of multiprocessing's fork server, which sitmon does not wait for."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap() -> None:
    """Wait for every adopted descendant to exit (adds its CPU time to RUSAGE_CHILDREN)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(cmd: list[str], farm: FeedFarm, env: dict[str, str] | None = None,
        cwd: Path = ROOT) -> tuple[float, float, str]:
    farm.reset_counts()
    cpu0 = _children_cpu()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - t
    _reap()
    cpu = _children_cpu() - cpu0
    if proc.returncode not in (0,):
        sys.exit(f"{cmd[0]} {' '.join(cmd[1:4])} ... failed ({proc.returncode}):\n"
                 f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds, cpu, proc.stdout


def sitmon(feeds: Path, db: Path, farm: FeedFarm, root: Path = ROOT) -> Run:
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "tui", "poll", "--once", "--feeds", str(feeds), "--db", str(db)]
    seconds, cpu, _ = run(cmd, farm, env, cwd=root)
    con = sqlite3.connect(db)
    try:
        stored = int(con.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        con.close()
    return Run(seconds, cpu, stored, dict(farm.counts))


def newsboat(urls: Path, cache: Path, conf: Path, farm: FeedFarm) -> Run:
    cmd = ["newsboat", "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", str(conf)]
    seconds, cpu, _ = run(cmd, farm)
    con = sqlite3.connect(cache)
    try:
        stored = int(con.execute("SELECT count(*) FROM rss_item").fetchone()[0])
    finally:
        con.close()
    return Run(seconds, cpu, stored, dict(farm.counts))


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


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sizes", default="50,200,1000")
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--hosts", type=int, default=50,
                    help="loopback addresses 127.0.0.1..K serving the feeds (default 50)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--compare", type=Path, default=None, metavar="DIR",
                    help="another sitmon tree (e.g. a copy before a change), timed in the same "
                    "run")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-newsboat", action="store_true")
    args = ap.parse_args()
    _become_subreaper()
    sizes = [int(s) for s in args.sizes.split(",")]
    have_newsboat = shutil.which("newsboat") is not None and not args.no_newsboat
    if not have_newsboat and not args.no_newsboat:
        print("newsboat not found (apt-get install -y newsboat); sitmon only")
    version = ""
    if have_newsboat:
        version = subprocess.run(["newsboat", "--version"], capture_output=True, text=True,
                                 check=False).stdout.split("\n")[0]
    load = os.getloadavg()
    print(f"sitmon ingest bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs "
          f"(load {load[0]:.2f} {load[1]:.2f}), {args.items} items/feed, up to {args.hosts} "
          f"loopback hosts, newsboat reload-threads {CONCURRENCY}; {version}")
    floor = startup_seconds()
    print(f"`python3 -m tui --version` (interpreter + CLI start): {floor:.2f} s")

    rows = []
    ok = True
    for n in sizes:
        farm = FeedFarm(docs_for(n, args.items))
        mib = sum(len(b) for b in farm.docs.values()) / 2**20
        hosts = max(1, min(args.hosts, n))
        with serving(farm, hosts=hosts) as server, \
                tempfile.TemporaryDirectory(prefix="sitmon-ingest-") as tmp:
            work = Path(tmp)
            feeds, urls, conf = write_inputs(work, server.bases, n)
            runs: dict[str, list[Run]] = {}

            def add(label: str, r: Run, code: int, n: int = n,
                    runs: dict[str, list[Run]] = runs) -> None:
                runs.setdefault(label, []).append(r)
                if r.statuses.get(code, 0) != n:
                    print(f"  warning: {label} N={n}: statuses {r.statuses}, expected {n} x "
                          f"{code}")
                print(f"  N={n} {label}: {r.seconds:.2f} s, cpu {r.cpu:.2f} s, "
                      f"{r.stored:,} stored", file=sys.stderr, flush=True)

            for _ in range(args.repeat):
                if args.compare is not None:
                    db = fresh(work / "before.db")
                    add("before cold", sitmon(feeds, db, farm, args.compare), 200)
                    add("before warm", sitmon(feeds, db, farm, args.compare), 304)
                db = fresh(work / "sitmon.db")
                add("sitmon cold", sitmon(feeds, db, farm), 200)
                add("sitmon warm", sitmon(feeds, db, farm), 304)
                if have_newsboat:
                    cache = fresh(work / "cache.db")
                    add("newsboat cold", newsboat(urls, cache, conf, farm), 200)
                    # newsboat 2.21 sends no validators on the second reload of a feed
                    # (newsboat issue #2734): the third is the first conditional one.
                    newsboat(urls, cache, conf, farm)
                    add("newsboat warm", newsboat(urls, cache, conf, farm), 304)
            for phase in ("cold", "warm"):
                s_run = best(runs[f"sitmon {phase}"])
                row = [f"{n}", phase, f"{hosts}", f"{n * args.items:,}", f"{mib:.1f}"]
                if args.compare is not None:
                    b_run = best(runs[f"before {phase}"])
                    row += [f"{b_run.seconds:.2f}", f"{b_run.cpu:.2f}"]
                row += [f"{s_run.seconds:.2f}", f"{s_run.cpu:.2f}", f"{s_run.stored:,}"]
                if have_newsboat:
                    n_run = best(runs[f"newsboat {phase}"])
                    row += [f"{n_run.seconds:.2f}", f"{n_run.cpu:.2f}", f"{n_run.stored:,}",
                            f"{s_run.seconds / n_run.seconds:.2f}"]
                    if phase == "cold" and s_run.seconds > n_run.seconds:
                        ok = False
                if phase == "warm" and n >= 1000 and s_run.seconds >= WARM_TARGET:
                    ok = False
                rows.append(row)
            if args.profile and n == max(sizes):
                profile(feeds, work / "profile.db", farm, Path("/tmp") / f"sitmon-poll-{n}.txt")
        print(f"N={n} done", file=sys.stderr, flush=True)

    header = ["feeds", "poll", "hosts", "items", "MiB"]
    if args.compare is not None:
        header += ["before s", "before cpu"]
    header += ["sitmon s", "sitmon cpu", "stored"]
    if have_newsboat:
        header += ["newsboat s", "newsboat cpu", "stored", "ratio"]
    print()
    print(table(rows, header))
    print("s = wall seconds, cpu = user + system seconds (children included), best of "
          f"{args.repeat} by wall time; ratio = sitmon s / newsboat s (above 1: sitmon slower). "
          "sitmon also analyses every item.")
    print(f"targets (cold ratio <= 1 at every N; 1,000 unchanged feeds < {WARM_TARGET:g} s): "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
