"""The shift summary as plain data: what the renderers show, read from the store once.

``build_summary`` is the only function here that touches the store; the clock is
passed in, so the same store and ``now`` always give the same summary.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from tui.model import UNKNOWN_SIDE, Claim, DiplomaticMove, StoredItem, Strike
from tui.store import ItemQuery, Store


@dataclass(frozen=True, slots=True)
class Window:
    """The time window: ``since <= published < until``, both aware UTC."""

    since: datetime
    until: datetime


@dataclass(frozen=True, slots=True)
class Headline:
    items: int  # items in the summary
    relevant: int  # of which about the conflict
    strikes: int  # strike reports (not distinct strikes)
    casualty_claims: int  # claim statements (not people)
    diplomatic_moves: int
    flagged: int
    feeds_polled: int  # feeds attempted since the window opened
    feeds_failing: int  # feeds failing when the summary was made


@dataclass(frozen=True, slots=True)
class Source:
    """An item of the summary with its reference tag (S1, S2, … in time order)."""

    ref: str
    stored: StoredItem


@dataclass(frozen=True, slots=True)
class StrikeEntry:
    source: Source
    strike: Strike


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    source: Source
    claim: Claim


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims about the same thing: one outcome for one victim side (civilians apart)."""

    outcome: str
    victim_side: str
    civilian: bool
    claims: tuple[ClaimEntry, ...]


@dataclass(frozen=True, slots=True)
class Incident(ClaimGroup):
    """Every claim about one thing, grouped by claimant side, each side in time order.

    Each claim keeps its own row; figures of different claims are never added up.
    """


@dataclass(frozen=True, slots=True)
class FigureChange(ClaimGroup):
    """One claimant side's figure for one incident, changing over the window (time order)."""

    claimant_side: str


@dataclass(frozen=True, slots=True)
class DiplomacyEntry:
    source: Source
    move: DiplomaticMove


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """A failed poll during the window, or (``current``) a feed failing right now."""

    feed: str
    at: datetime | None
    status: int | None
    error: str
    current: bool


@dataclass(frozen=True, slots=True)
class Summary:
    window: Window
    generated_at: datetime
    include_all: bool
    filters: tuple[tuple[str, str], ...]  # the active filter, e.g. (("feed", "Dawn"),)
    headline: Headline
    sources: tuple[Source, ...]  # every item of the summary, in time order
    strikes: tuple[StrikeEntry, ...]
    incidents: tuple[Incident, ...]
    changes: tuple[FigureChange, ...]
    diplomacy: tuple[DiplomacyEntry, ...]
    flagged: tuple[Source, ...]
    feed_problems: tuple[FeedProblem, ...]


def _filters(query: ItemQuery | None) -> tuple[tuple[str, str], ...]:
    if query is None:
        return ()
    pairs: list[tuple[str, str]] = []
    for name in ("text", "entity", "feed", "category"):
        value = getattr(query, name)
        if value:
            pairs.append((name, str(value)))
    if query.flagged_only:
        pairs.append(("flagged", "only"))
    return tuple(pairs)


def _incident_key(c: Claim) -> tuple[str, str, bool]:
    return (c.outcome, c.victim_side, c.civilian is True)


def _ledger(
    claims: list[ClaimEntry],
) -> tuple[tuple[Incident, ...], tuple[FigureChange, ...]]:
    groups: dict[tuple[str, str, bool], list[ClaimEntry]] = {}
    for entry in claims:  # time order, so groups come in order of first report
        groups.setdefault(_incident_key(entry.claim), []).append(entry)
    incidents = tuple(
        # Claimants side by side: grouped by claimant side, each in time order.
        Incident(*key, claims=tuple(sorted(entries, key=lambda e: e.claim.claimant_side)))
        for key, entries in groups.items()
    )

    series: dict[tuple[str, tuple[str, str, bool]], list[ClaimEntry]] = {}
    for entry in claims:
        if entry.claim.claimant_side == UNKNOWN_SIDE:
            continue  # unattributed figures are not one claimant's figure changing
        key = (entry.claim.claimant_side, _incident_key(entry.claim))
        series.setdefault(key, []).append(entry)
    changes = tuple(
        FigureChange(*incident, claims=tuple(entries), claimant_side=side)
        for (side, incident), entries in series.items()
        if len({(e.claim.low, e.claim.high) for e in entries}) > 1
    )
    return incidents, changes


def build_summary(
    store: Store,
    since: datetime,
    until: datetime,
    *,
    include_all: bool = False,
    query: ItemQuery | None = None,
    now: datetime,
) -> Summary:
    """Read the window ``since <= published < until`` from the store.

    Items about the conflict are in scope, and so is every item the analyst flagged;
    ``include_all`` adds every other stored item of the window. ``query`` narrows the
    items with its text/entity/feed/category/flagged filters; its own window, limit,
    order and relevance settings are ignored.
    """
    base = query or ItemQuery()
    q = replace(
        base, since=since, until=until, relevant_only=False, after_seq=None, limit=None,
        newest_first=False,
    )
    stored = [
        s for s in store.items(q) if include_all or s.analysis.relevant or s.flagged
    ]
    sources = tuple(Source(f"S{n}", s) for n, s in enumerate(stored, start=1))

    strikes = [StrikeEntry(src, st) for src in sources for st in src.stored.analysis.strikes]
    claims = [ClaimEntry(src, c) for src in sources for c in src.stored.analysis.claims]
    moves = [DiplomacyEntry(src, m) for src in sources for m in src.stored.analysis.diplomacy]
    flagged = tuple(src for src in sources if src.stored.flagged)
    incidents, changes = _ledger(claims)

    def feed_wanted(name: str) -> bool:
        return base.feed is None or name == base.feed

    events = [e for e in store.feed_events(since, until) if feed_wanted(e.feed)]
    feeds = [f for f in store.feeds() if feed_wanted(f.name)]
    failing = [f for f in feeds if f.failing]
    problems = [FeedProblem(e.feed, e.at, e.status, e.error, current=False) for e in events]
    problems += [
        FeedProblem(
            f.name, f.last_attempt, f.status, f.error or ("gone (HTTP 410)" if f.gone else ""),
            current=True,
        )
        for f in failing
    ]
    polled = {f.name for f in feeds if f.last_attempt is not None and f.last_attempt >= since}
    polled |= {e.feed for e in events}

    headline = Headline(
        items=len(sources),
        relevant=sum(1 for s in stored if s.analysis.relevant),
        strikes=len(strikes),
        casualty_claims=len(claims),
        diplomatic_moves=len(moves),
        flagged=len(flagged),
        feeds_polled=len(polled),
        feeds_failing=len(failing),
    )
    return Summary(
        window=Window(since, until),
        generated_at=now,
        include_all=include_all,
        filters=_filters(query),
        headline=headline,
        sources=sources,
        strikes=tuple(strikes),
        incidents=incidents,
        changes=changes,
        diplomacy=tuple(moves),
        flagged=flagged,
        feed_problems=tuple(problems),
    )
