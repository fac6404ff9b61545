"""``parse_feed`` across cores: a small pool of worker processes, with a thread fallback.

feedparser is pure Python, so in threads every feed is parsed on one core under the
GIL. The pool sends each document's bytes to a worker process and gets ``ParseResult``
back (frozen dataclasses: both pickle). Workers are started from a fork server that has
imported feedparser once (``forkserver`` is safe with threads running, unlike a plain
fork), so starting them costs one interpreter start, on another core, overlapping the
first fetches. Workers run niced (``WORKER_NICE``) so the poller's own process, the
critical path, gets the CPU first.

Tiny polls do not pay for processes: ``ParsePool.wanted(n)`` says whether a poll of
``n`` feeds should use them; otherwise (or once the pool broke) ``parse`` runs in the
loop's default thread pool as before. ``close`` stops the workers; the poller calls it.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from multiprocessing import resource_tracker

from tui.ingest.parse import ParseResult, parse_feed
from tui.model import FeedConfig

PROCESS_MIN_FEEDS = 8  # a poll of fewer feeds parses in threads
MAX_WORKERS = 8
# Workers run at a lower priority than the poller: its event loop, analysis and store
# writes are the critical path (and in the app, the UI), parsing fills the spare CPU.
WORKER_NICE = 5


def default_workers() -> int:
    """One worker per CPU this process may use (at least 1, at most ``MAX_WORKERS``)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """``sys.stderr`` set back to the process's own stderr for the duration, when it has a
    real descriptor and the current one does not (as inside a running Textual app)."""
    current = sys.stderr
    try:
        usable = current is not None and current.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current


def _ready() -> bool:
    return True


def _init_worker() -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICE)


class ParsePool:
    """Parses fetched documents in worker processes once started; in threads until then.

    ``workers=0`` never starts processes (everything parses in threads).
    """

    def __init__(self, workers: int | None = None, *, min_feeds: int = PROCESS_MIN_FEEDS) -> None:
        self.workers = default_workers() if workers is None else max(0, workers)
        self.min_feeds = min_feeds
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    @property
    def running(self) -> bool:
        return self._pool is not None and not self._broken

    def wanted(self, feeds: int) -> bool:
        """Whether a poll of ``feeds`` feeds is worth worker processes."""
        return self.workers > 0 and not self._broken and (
            self._pool is not None or feeds >= self.min_feeds
        )

    def start(self) -> None:
        """Start the workers now (idempotent), so they come up while the first fetches run."""
        if self._pool is not None or self._broken or self.workers == 0:
            return
        try:
            with _real_stderr():
                # The resource tracker hands its child our stderr's descriptor; under a
                # Textual app sys.stderr is a capture object without one, so start the
                # tracker while the real stderr is in place.
                resource_tracker.ensure_running()
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["tui.ingest.parsepool"])
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=_init_worker
                )
                # forkserver starts workers on demand, one per submit with no idle worker:
                # submit one no-op per worker so all of them start now, in parallel.
                for _ in range(self.workers):
                    self._pool.submit(_ready)
        except Exception:
            # No worker processes here (odd descriptors, no /dev/shm, a sandbox):
            # parse in threads, as for a small poll. Never a reason to fail a poll.
            self._broken = True
            pool, self._pool = self._pool, None
            if pool is not None:
                with contextlib.suppress(Exception):
                    pool.shutdown(wait=False, cancel_futures=True)

    async def parse(
        self, body: bytes, headers: Mapping[str, str], feed: FeedConfig, now: datetime
    ) -> ParseResult:
        """``parse_feed`` in a worker process when the pool runs, else in a thread."""
        loop = asyncio.get_running_loop()
        pool = self._pool
        if pool is not None and not self._broken:
            try:
                return await loop.run_in_executor(pool, parse_feed, body, dict(headers), feed, now)
            except (BrokenProcessPool, OSError, ValueError, RuntimeError):
                # A worker died (killed, out of memory) or could not be started:
                # parse here from now on.
                self._broken = True
        return await loop.run_in_executor(None, parse_feed, body, headers, feed, now)

    def close(self) -> None:
        """Stop the workers (waits for them to exit; queued parses are cancelled)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
