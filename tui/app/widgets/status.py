"""The header lines: shift counts, last poll, failing feeds, and the stall warning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from tui.app.widgets.rows import TimePrefs, fmt_ago, fmt_clock
from tui.app.widgets.safe import Palette, display_str
from tui.model import FeedHealth


@dataclass(frozen=True, slots=True)
class StatusState:
    shift_start: datetime
    counts: dict[str, int] = field(default_factory=dict)
    last_success: datetime | None = None
    feeds: tuple[FeedHealth, ...] = ()
    configured: int = 0
    polling: bool = False  # a poll is running
    paused: bool = False
    poll_enabled: bool = True
    stalled: bool = False
    filter: str = ""

    @property
    def failing(self) -> list[FeedHealth]:
        return [f for f in self.feeds if f.failing]

    @property
    def all_failing(self) -> bool:
        total = max(self.configured, len(self.feeds))
        return total > 0 and len(self.failing) >= total


def status_line(state: StatusState, prefs: TimePrefs, now: datetime, palette: Palette) -> Text:
    c = state.counts
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(f"shift {fmt_clock(state.shift_start, prefs, now)}: ", palette.muted)
    text.append(f"{c.get('strike', 0)}", palette.bold)
    text.append(" strikes · ")
    text.append(f"{c.get('casualty', 0)}", palette.bold)
    text.append(" claims · ")
    text.append(f"{c.get('diplomacy', 0)}", palette.bold)
    text.append(" diplomacy · ")
    text.append(f"{c.get('all', 0)}", palette.bold)
    text.append(" items")
    text.append("  │  ", palette.muted)
    if not state.poll_enabled:
        text.append("no polling", palette.muted)
    elif state.paused:
        text.append("⏸ paused", palette.warning)
    elif state.polling:
        text.append("⟳ polling…", palette.accent)
    else:
        text.append("last poll ", palette.muted)
        if state.last_success is None:
            text.append("never")
        else:
            text.append(
                f"{fmt_clock(state.last_success, prefs, now)} ({fmt_ago(state.last_success, now)})"
            )
    failing = state.failing
    if failing:
        total = max(state.configured, len(state.feeds))
        text.append("  │  ", palette.muted)
        text.append(f"⚠ {len(failing)}/{total} feeds failing", palette.error)
    if state.filter:
        text.append("  │  ", palette.muted)
        text.append("filter: ", palette.muted)
        text.append(display_str(state.filter, 60), palette.accent)
    return text


def warning_line(state: StatusState, now: datetime) -> str:
    """The banner text, or "" when all is well."""
    if not state.poll_enabled or state.paused:
        return ""
    if state.all_failing:
        return "⚠ Every feed is failing: no new items are arriving (h: feed health)"
    if state.stalled:
        since = fmt_ago(state.last_success, now) if state.last_success else "since start"
        return f"⚠ Polling stalled: no successful poll {since} (r: poll now, h: feed health)"
    return ""


class StatusBar(Static):
    """One line of shift state under the title."""


class WarningBanner(Static):
    """Shown only while polling is stalled or every feed fails."""
