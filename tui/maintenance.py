"""Looking after a store: re-analysis when the seed pack changes, and retention.

The store remembers a digest of the pack (its file's bytes and the analysis
code's version) that produced its analyses. When the pack changes, every stored
item is analysed again, in batches, each batch its own transaction.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from tui.model import Analysis, Item, utc_now
from tui.store import Store, existing_db_path

# Bump when the analysis code changes what it finds, so stores are brought up to date.
ANALYSIS_VERSION = "1"
_META_KEY = "analysis_digest"


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


def pack_digest(pack: _HasPath) -> str:
    h = hashlib.sha256(ANALYSIS_VERSION.encode())
    h.update(b"\0")
    try:
        h.update(Path(pack.path).read_bytes())
    except OSError:
        h.update(str(pack.path).encode())
    return h.hexdigest()


def reanalyse_store(
    store: Store, analyser: Callable[[Item], Analysis], *, batch: int = 2000
) -> int:
    """Analyse every stored item again. Returns how many were analysed."""
    done = 0
    pending: list[tuple[str, Analysis]] = []
    for item in store.iter_items(batch=batch):
        pending.append((item.id, analyser(item)))
        if len(pending) >= batch:
            done += store.update_analyses(pending)
            pending.clear()
    if pending:
        done += store.update_analyses(pending)
    return done


def ensure_current(
    store: Store, pack: _HasPath, analyser: Callable[[Item], Analysis]
) -> int | None:
    """Re-analyse the store if the pack changed since it was last analysed.

    Returns the number of items re-analysed, or None when nothing had to be done.
    """
    digest = pack_digest(pack)
    if store.get_meta(_META_KEY) == digest:
        return None
    count = reanalyse_store(store, analyser)
    store.set_meta(_META_KEY, digest)
    return count


def _open_existing(args: argparse.Namespace) -> Store:
    return Store(existing_db_path(args.db, bool(getattr(args, "demo", False))))


def cmd_reanalyse(args: argparse.Namespace) -> int:
    """`sitmon reanalyse`: analyse every stored item again with the current pack."""
    from tui.analysis import analyse
    from tui.seeds import load_pack

    pack = load_pack(args.pack)
    with _open_existing(args) as store:
        count = reanalyse_store(store, functools.partial(analyse, pack=pack))
        store.set_meta(_META_KEY, pack_digest(pack))
    print(f"re-analysed {count} items with {pack.path}")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    """`sitmon prune --older-than 30d`: delete unflagged items first seen before then."""
    from tui.export.window import parse_when

    cutoff = parse_when(args.older_than, utc_now())
    with _open_existing(args) as store:
        removed = store.prune(cutoff)
    print(f"removed {removed} items first seen before {cutoff:%Y-%m-%d %H:%M} UTC "
          "(flagged items are kept)")
    return 0
