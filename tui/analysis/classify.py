"""Relevance and diplomatic moves (strikes: ``tui.analysis.strikes``).

Relevance: the item names both parties (an entity may stand for a party, or for
both, like the shared border) and a conflict term, or names one party and a term
that puts the act across the border (and no third state), or one party and talks
held or brokered by a mediator ("Istanbul talks", "Doha agreement"); and no
off-topic term (sport, weather) unless a strong conflict term overrides it. A
mediator is a venue, not a third state: naming it keeps an item in unless it is
the party's counterpart ("Pakistan, Qatar sign LNG deal").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.analysis.doc import Doc, Mention
from tui.model import DiplomaticMove

if TYPE_CHECKING:
    from tui.seeds import SeedPack

# "Pakistan, Qatar sign ...", "talks with Qatar", "Pakistan-Türkiye": a counterpart
_WITH_BEFORE = re.compile(r"(?<!\w)(?:with|and)\s+(?:the\s+)?$")
_JOINED = re.compile(r"\s*(?:,|and|&|-|/)\s*")


def parties_named(mentions: tuple[Mention, ...], pack: SeedPack) -> set[str]:
    named: set[str] = set()
    for m in mentions:
        ent = pack.entities[m.entity]
        if ent.kind == "outlet":
            continue
        named.update(pack.party_of(ent.side))
        if ent.counts_as:
            named.add(ent.counts_as)
    return named


def is_relevant(doc: Doc, pack: SeedPack) -> bool:
    named = parties_named(doc.mentions, pack)
    if not named:
        return False
    folded = doc.folded
    if len(named) < 2:
        # one party only: relevant when the act is plainly across the border (and no third
        # state is named, which could be the other side of that border)
        if _third_state(doc.mentions, pack):
            return False
        one_party = pack.relevance_one_party
        only = pack.relevance_only.get(next(iter(named)))
        if (
            not (one_party is not None and one_party.search(folded))
            and not (only is not None and only.search(folded))
            and not _mediated(doc, pack)
        ):
            return False
    elif pack.relevance_terms.search(folded) is None and not _mediated(doc, pack):
        return False
    if pack.relevance_exclude is not None and pack.relevance_exclude.search(folded):
        return pack.relevance_strong.search(folded) is not None
    return True


def _third_state(mentions: tuple[Mention, ...], pack: SeedPack) -> bool:
    """A state that is neither party nor a mediator: the item may be about its own dispute."""
    return any(
        pack.entities[m.entity].kind == "country"
        and pack.entities[m.entity].side not in pack.parties
        and not pack.party_of(pack.entities[m.entity].side)
        and m.entity not in pack.mediators
        for m in mentions
    )


def _mediated(doc: Doc, pack: SeedPack) -> bool:
    """A one-party item about talks a mediator hosts or brokers: the pack's mediated terms,
    and a mediator named as a venue or broker rather than as the party's counterpart."""
    venues = {m.entity for m in doc.mentions if m.entity in pack.mediators}
    if (
        not venues
        or pack.relevance_mediated is None
        or pack.relevance_mediated.search(doc.folded) is None
    ):
        return False
    for m in doc.mentions:
        if m.entity in venues and _counterpart(doc, pack, m):
            venues.discard(m.entity)
    return bool(venues)


def _counterpart(doc: Doc, pack: SeedPack, mediator: Mention) -> bool:
    """ "talks with Qatar", "Pakistan and Qatar", "Qatar, Pakistan sign": the mediator is
    the party's partner in the act, not its venue."""
    folded = doc.folded
    if _WITH_BEFORE.search(folded, max(0, mediator.start - 12), mediator.start):
        for m in doc.mentions:
            if m.end <= mediator.start and pack.party_of(pack.entities[m.entity].side):
                return True
    for m in doc.mentions:
        if not pack.party_of(pack.entities[m.entity].side):
            continue
        if m.end <= mediator.start:
            gap = _JOINED.fullmatch(folded, m.end, mediator.start)
        else:
            gap = _JOINED.fullmatch(folded, mediator.end, m.start)
        if gap is not None:
            return True
    return False


def _spans(
    pattern: re.Pattern[str] | None, folded: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(folded, start, len(folded) if end is None else end)]


def _outside(span: tuple[int, int], excluded: list[tuple[int, int]]) -> bool:
    return not any(a <= span[0] < z or a < span[1] <= z for a, z in excluded)


def _labelled(
    pattern: re.Pattern[str],
    labels: tuple[tuple[str, re.Pattern[str]], ...],
    folded: str,
    start: int = 0,
    end: int | None = None,
) -> list[tuple[int, int, str]]:
    """(start, end, label) of every match of a grouped pattern (group g<i> is labels[i])
    in folded[start:end]."""
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(folded, start, len(folded) if end is None else end):
        name = m.lastgroup
        if name is not None:
            out.append((m.start(), m.end(), labels[int(name[1:])][0]))
    return out


def find_moves(
    doc: Doc, pack: SeedPack, sentences: list[tuple[int, int]]
) -> tuple[DiplomaticMove, ...]:
    folded = doc.folded
    pattern = pack.moves_all
    if pack.moves_ungated is not None and not any(
        pack.entities[m.entity].side in pack.moves_gate and pack.entities[m.entity].kind != "outlet"
        for m in doc.mentions
    ):
        pattern = pack.moves_ungated  # no entry naming a third party can match
    hits = _labelled(pattern, pack.moves, folded)
    if not hits:
        return ()
    excluded = _spans(pack.moves_exclude, folded)
    if excluded:
        hits = [(at, end, move) for at, end, move in hits if _outside((at, end), excluded)]
    out: list[DiplomaticMove] = []
    for s, e in sentences:
        found: list[str] = []
        for at, _end, move in hits:
            if s <= at < e and move not in found:
                found.append(move)
        if not found:
            continue
        mentions = doc.mentions_in(s, e)
        named = parties_named(tuple(mentions), pack)
        about_conflict = (
            len(named) >= 2
            or (bool(named) and any(m.entity in pack.mediators for m in mentions))
            or (
                bool(named or _third_party(mentions, pack))
                and pack.moves_context is not None
                and pack.moves_context.search(folded, s, e) is not None
            )
        )
        parties = _parties(mentions, pack)
        for move in found:
            if about_conflict or move in pack.conflict_moves:
                candidate = DiplomaticMove(move, parties, doc.text[s:e], (s, e))
                if candidate not in out:
                    out.append(candidate)
    return tuple(out)


def _third_party(mentions: list[Mention], pack: SeedPack) -> bool:
    return any(
        pack.entities[m.entity].kind != "outlet"
        and pack.entities[m.entity].side not in pack.parties
        for m in mentions
    )


def _parties(mentions: list[Mention], pack: SeedPack) -> tuple[str, ...]:
    names: list[str] = []
    for m in mentions:
        ent = pack.entities[m.entity]
        if ent.kind == "outlet":
            continue
        if ent.stands_for and ent.stands_for in pack.entity_index:
            ent = pack.entities[pack.entity_index[ent.stands_for]]
        elif ent.kind == "place":
            continue
        if ent.name not in names:
            names.append(ent.name)
    return tuple(names)
