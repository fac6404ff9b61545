"""Crash safety: a writer killed with SIGKILL mid-batch never corrupts the store or loses a commit.

A child process writes numbered batches and acknowledges each one after it
commits. The test reads a random number of acknowledgements, then kills the
child while it is inside its next batch, many times over on the same file.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from tui.model import Analysis, Item
from tui.store import ItemQuery, Store

BATCH = 150

WRITER = r"""
import sys
from datetime import UTC, datetime
from tui.model import Analysis, FeedHealth, Item
from tui.store import Store

path, start = sys.argv[1], int(sys.argv[2])
store = Store(path)
now = datetime(2026, 2, 27, tzinfo=UTC)
analysis = Analysis(relevant=True, categories=("strike",))
k = start
while True:
    batch = [
        (Item(id=f"b{k}-{i}", feed="crash", title=f"t{k}-{i}", summary="s" * 300,
              link="https://x.example/", published=now, first_seen=now), analysis)
        for i in range(BATCH)
    ]
    store.add_batch(batch, FeedHealth(name="crash", url="https://x.example/", items_seen=k))
    print(k, flush=True)
    k += 1
""".replace("BATCH", str(BATCH))


def _batch_ids(store: Store) -> dict[int, int]:
    counts: dict[int, int] = {}
    for s in store.items(ItemQuery(relevant_only=False)):
        k = int(s.id[1:].split("-")[0])
        counts[k] = counts.get(k, 0) + 1
    return counts


def test_sigkill_mid_batch_never_loses_committed_batches(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    rng = random.Random(20260227)
    acked: set[int] = set()
    next_batch = 0
    for _round in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(next_batch)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for _ in range(rng.randint(1, 6)):
            line = child.stdout.readline()
            assert line, "writer died on its own"
            acked.add(int(line))
        child.send_signal(signal.SIGKILL)
        child.wait()
        # Batches acknowledged before the kill may be followed by one more that
        # committed before the signal landed; start past whatever is there.
        with Store(db) as store:
            assert store.integrity_ok()
            counts = _batch_ids(store)
        next_batch = max(counts) + 1

    with Store(db) as store:
        assert store.integrity_ok()
        counts = _batch_ids(store)
        # Every acknowledged batch is there, whole; no batch is there in part.
        assert acked <= set(counts)
        assert set(counts.values()) == {BATCH}
        # Re-storing everything (the next poll) adds nothing.
        now = store.items(ItemQuery(relevant_only=False, limit=1))[0].item.published
        redo = [
            (Item(id=f"b{k}-{i}", feed="crash", title="t", summary="", link="",
                  published=now, first_seen=now), Analysis(relevant=True))
            for k in counts
            for i in range(BATCH)
        ]
        assert store.add_batch(redo) == []
        assert store.count(ItemQuery(relevant_only=False)) == BATCH * len(counts)
