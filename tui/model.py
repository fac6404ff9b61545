"""The data that flows through sitmon: frozen dataclasses, no behaviour beyond (de)serialising.

Everything here is part of the headless core and never imports textual.
Times are timezone-aware UTC ``datetime`` objects everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

FEED_KINDS: tuple[str, ...] = (
    "wire",
    "broadcaster",
    "newspaper",
    "state-media",
    "official",
    "aggregator",
)

CATEGORIES: tuple[str, ...] = ("strike", "casualty", "diplomacy")
Category = Literal["strike", "casualty", "diplomacy"]

OUTCOMES: tuple[str, ...] = (
    "killed",
    "wounded",
    "captured",
    "missing",
    "posts_destroyed",
    "posts_captured",
)

DIPLOMACY_MOVES: tuple[str, ...] = (
    "call",
    "visit",
    "talks",
    "mediation_offer",
    "ceasefire",
    "agreement",
    "summons",
    "protest",
    "appeal",
)

# A side is a pack-defined id; these are the ones every pack for a two-party
# conflict uses in this project, plus the two fallbacks.
UNKNOWN_SIDE = "unknown"
OTHER_SIDE = "other"


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing offset, or None."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat()


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One entry of feeds.toml."""

    name: str
    url: str
    interval: int = 300  # seconds, floor 60
    tags: tuple[str, ...] = ()
    kind: str = "newspaper"


@dataclass(frozen=True, slots=True)
class Item:
    """One cleaned feed entry. Text fields are plain text, already cleaned by the parser."""

    id: str  # stable across polls; unique in the store
    feed: str  # FeedConfig.name
    title: str
    summary: str
    link: str
    published: datetime  # aware UTC; falls back to first_seen
    first_seen: datetime  # aware UTC
    guid: str = ""  # the entry's own id as the feed gave it (may be empty)
    feed_url: str = ""

    @property
    def text(self) -> str:
        """The text the analysis reads. Entity and evidence spans index into this."""
        if self.summary:
            return f"{self.title}\n{self.summary}"
        return self.title


@dataclass(frozen=True, slots=True)
class EntityHit:
    """An entity of the seed pack found in an item's text."""

    id: str
    name: str
    side: str
    kind: str
    spans: tuple[tuple[int, int], ...]  # [start, end) offsets into Item.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "side": self.side,
            "kind": self.kind,
            "spans": [list(s) for s in self.spans],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EntityHit:
        return cls(
            id=d["id"],
            name=d["name"],
            side=d["side"],
            kind=d.get("kind", ""),
            spans=tuple((int(a), int(b)) for a, b in d.get("spans", [])),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """One stated figure: who says how many of whose people (or posts) met which outcome."""

    outcome: str  # one of OUTCOMES
    low: int
    high: int | None  # == low for a point figure; None for open-ended ("more than 200")
    victims: str  # as written, e.g. "Afghan Taliban fighters"
    victim_side: str  # pack side id, "other" or "unknown"
    civilian: bool | None  # None = unknown
    claimant: str  # as written, e.g. "Mosharraf Zaidi"; "" when the item names no source
    claimant_side: str  # pack side id, "other" or "unknown"
    evidence: str  # the sentence or clause the figure was read from
    span: tuple[int, int] = (0, 0)  # offsets of the evidence into Item.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "low": self.low,
            "high": self.high,
            "victims": self.victims,
            "victim_side": self.victim_side,
            "civilian": self.civilian,
            "claimant": self.claimant,
            "claimant_side": self.claimant_side,
            "evidence": self.evidence,
            "span": list(self.span),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        span = d.get("span") or (0, 0)
        return cls(
            outcome=d["outcome"],
            low=int(d["low"]),
            high=None if d.get("high") is None else int(d["high"]),
            victims=d.get("victims", ""),
            victim_side=d.get("victim_side", UNKNOWN_SIDE),
            civilian=d.get("civilian"),
            claimant=d.get("claimant", ""),
            claimant_side=d.get("claimant_side", UNKNOWN_SIDE),
            evidence=d.get("evidence", ""),
            span=(int(span[0]), int(span[1])),
        )


@dataclass(frozen=True, slots=True)
class Strike:
    attacker_side: str  # pack side id or "unknown"
    targets: tuple[str, ...]  # place names as matched (display names)
    means: tuple[str, ...]  # e.g. "air strike", "drone", "artillery", "ground clash"
    evidence: str
    span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attacker_side": self.attacker_side,
            "targets": list(self.targets),
            "means": list(self.means),
            "evidence": self.evidence,
            "span": list(self.span),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Strike:
        span = d.get("span") or (0, 0)
        return cls(
            attacker_side=d.get("attacker_side", UNKNOWN_SIDE),
            targets=tuple(d.get("targets", ())),
            means=tuple(d.get("means", ())),
            evidence=d.get("evidence", ""),
            span=(int(span[0]), int(span[1])),
        )


@dataclass(frozen=True, slots=True)
class DiplomaticMove:
    move: str  # one of DIPLOMACY_MOVES
    parties: tuple[str, ...]  # entity display names
    evidence: str
    span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "move": self.move,
            "parties": list(self.parties),
            "evidence": self.evidence,
            "span": list(self.span),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DiplomaticMove:
        span = d.get("span") or (0, 0)
        return cls(
            move=d["move"],
            parties=tuple(d.get("parties", ())),
            evidence=d.get("evidence", ""),
            span=(int(span[0]), int(span[1])),
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of ``analyse(item, pack)``: a pure function of the item's text and the pack."""

    relevant: bool
    categories: tuple[str, ...] = ()  # subset of CATEGORIES, in CATEGORIES order
    entities: tuple[EntityHit, ...] = ()
    claims: tuple[Claim, ...] = ()
    strikes: tuple[Strike, ...] = ()
    diplomacy: tuple[DiplomaticMove, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The shape of one `sitmon analyse` output line, less the item id."""
        return {
            "relevant": self.relevant,
            "categories": list(self.categories),
            "entities": [e.to_dict() for e in self.entities],
            "claims": [c.to_dict() for c in self.claims],
            "strikes": [s.to_dict() for s in self.strikes],
            "diplomacy": [m.to_dict() for m in self.diplomacy],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        return cls(
            relevant=bool(d.get("relevant", False)),
            categories=tuple(d.get("categories", ())),
            entities=tuple(EntityHit.from_dict(e) for e in d.get("entities", ())),
            claims=tuple(Claim.from_dict(c) for c in d.get("claims", ())),
            strikes=tuple(Strike.from_dict(s) for s in d.get("strikes", ())),
            diplomacy=tuple(DiplomaticMove.from_dict(m) for m in d.get("diplomacy", ())),
        )


NOT_ANALYSED = Analysis(relevant=False)


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """Per-feed polling state, kept in the store."""

    name: str
    url: str
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    status: int | None = None  # last HTTP status, None when no response
    error: str = ""  # one line; "" when the last poll succeeded
    warning: str = ""  # e.g. malformed feed that still yielded entries
    items_seen: int = 0
    next_poll: datetime | None = None
    failures: int = 0  # consecutive failed polls
    etag: str | None = None
    last_modified: str | None = None
    permanent_url: str | None = None  # where a 301/308 chain pointed
    gone: bool = False  # 410: polling stopped

    @property
    def failing(self) -> bool:
        return self.gone or (self.failures > 0 and bool(self.error))


@dataclass(frozen=True, slots=True)
class StoredItem:
    """An item as the store returns it: the item, its analysis and the analyst's marks."""

    item: Item
    analysis: Analysis
    flagged: bool = False
    note: str = ""
    read: bool = False

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did (for the CLI table and the app's messages)."""

    feed: str
    status: int | None
    new_items: int
    seconds: float
    error: str = ""
    warning: str = ""
    not_modified: bool = False
    new_ids: tuple[str, ...] = field(default=())
