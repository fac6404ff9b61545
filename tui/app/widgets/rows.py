"""How a stored item becomes a table row: pure formatting, no widgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from rich.text import Text

from tui.app.widgets.safe import CellText, Palette, cell_text
from tui.model import Claim, EntityHit, StoredItem

PLACE_KINDS = frozenset({"place", "city", "province", "district", "region", "location"})
HIDDEN_KINDS = frozenset({"outlet"})  # news outlets are sources, not actors


@dataclass(frozen=True, slots=True)
class TimePrefs:
    """How times are shown: in ``tz`` (the local zone) or in UTC."""

    tz: tzinfo
    utc: bool = False

    @property
    def zone(self) -> tzinfo:
        return UTC if self.utc else self.tz

    @property
    def label(self) -> str:
        return "UTC" if self.utc else "local"


def fmt_clock(dt: datetime | None, prefs: TimePrefs, now: datetime) -> str:
    """HH:MM today, else '27 Feb' (6 cells either way, so the column never jumps)."""
    if dt is None:
        return "—"
    local = dt.astimezone(prefs.zone)
    if local.date() == now.astimezone(prefs.zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b")


def fmt_full(dt: datetime | None, prefs: TimePrefs) -> str:
    if dt is None:
        return "—"
    local = dt.astimezone(prefs.zone)
    suffix = "UTC" if prefs.utc else (local.tzname() or "")
    return f"{local:%Y-%m-%d %H:%M:%S} {suffix}".rstrip()


def fmt_ago(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return "never"
    secs = int((now - dt).total_seconds())
    future = secs < 0
    secs = abs(secs)
    if secs < 60:
        text = f"{secs}s"
    elif secs < 3600:
        text = f"{secs // 60}m"
    elif secs < 86400:
        text = f"{secs // 3600}h{(secs % 3600) // 60:02d}m"
    else:
        text = f"{secs // 86400}d"
    return f"in {text}" if future else f"{text} ago"


def is_place(entity: EntityHit) -> bool:
    return entity.kind.lower() in PLACE_KINDS


def actors(item: StoredItem) -> list[str]:
    """Entity names, actors before places, each once (news outlets left out)."""
    seen: set[str] = set()
    shown = [e for e in item.analysis.entities if e.kind.lower() not in HIDDEN_KINDS]
    ordered = sorted(shown, key=lambda e: (is_place(e), e.spans[:1]))
    names: list[str] = []
    for e in ordered:
        if e.name not in seen:
            seen.add(e.name)
            names.append(e.name)
    return names


# Display names of the pack's sides (set by the app from the seed pack, if it has one).
SIDE_NAMES: dict[str, str] = {}


def side_label(side: str) -> str:
    if not side or side == "unknown":
        return "Unknown"
    return SIDE_NAMES.get(side) or side.replace("_", " ").replace("-", " ").title()


def figure(claim: Claim) -> str:
    """'133', '10–12' or 'more than 200' — one claimant's number, never combined with another's."""
    if claim.high is None:
        return f"more than {claim.low}"
    if claim.high != claim.low:
        return f"{claim.low}–{claim.high}"
    return str(claim.low)


def claim_sentence(claim: Claim) -> str:
    """'Mosharraf Zaidi (Pakistan): 133 Afghan Taliban fighters killed'."""
    who = claim.claimant or "unnamed source"
    outcome = claim.outcome.removeprefix("posts_").replace("_", " ")
    victims = claim.victims or side_label(claim.victim_side)
    civ = " (civilians)" if claim.civilian else ""
    return f"{who} ({side_label(claim.claimant_side)}): {figure(claim)} {victims}{civ} {outcome}"


def marks(item: StoredItem, palette: Palette) -> Text:
    text = CellText(end="", no_wrap=True)
    text.append("●" if not item.read else " ", palette.accent)
    text.append("⚑" if item.flagged else " ", palette.warning)
    text.append("✎" if item.note else " ", palette.secondary)
    return text


COLUMNS: tuple[tuple[str, str], ...] = (
    ("marks", ""),
    ("time", "Time"),
    ("source", "Source"),
    ("title", "Title"),
    ("actors", "Actors"),
)


def row_cells(
    item: StoredItem, prefs: TimePrefs, now: datetime, palette: Palette
) -> tuple[Text, ...]:
    unread = palette.bold if not item.read else ""
    return (
        marks(item, palette),
        cell_text(fmt_clock(item.item.published, prefs, now), palette.muted),
        cell_text(item.item.feed, palette.secondary),
        cell_text(item.item.title, unread),
        cell_text(", ".join(actors(item)), palette.primary),
    )
