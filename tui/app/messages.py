"""Messages from workers to the UI thread. Workers post these; only handlers touch widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from textual.message import Message

from tui.model import FeedHealth, PollResult, StoredItem

LoadReason = Literal["initial", "reload", "poll"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a worker read from the store in one go (off the UI thread)."""

    seq: int  # the store's high-water mark when read
    feeds: tuple[FeedHealth, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    # Full windows per panel (initial load and filter change).
    panels: dict[str, list[StoredItem]] | None = None
    # Items stored since the previous snapshot (after a poll).
    new_items: tuple[StoredItem, ...] = ()


class DataLoaded(Message):
    """A worker has read the store; the handler applies it to the panels."""

    def __init__(
        self, snapshot: Snapshot, reason: LoadReason, results: tuple[PollResult, ...] = ()
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.reason = reason
        self.results = results


class PollFailed(Message):
    """The poll itself raised (not one feed failing: that is in the results)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ItemChanged(Message):
    """An item's marks changed (read, flag, note): every view showing it refreshes it."""

    def __init__(self, item: StoredItem) -> None:
        super().__init__()
        self.item = item
