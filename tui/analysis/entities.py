"""Finding the pack's entities in an item's text, with character spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.analysis.doc import Mention
from tui.analysis.fold import alias_key
from tui.model import EntityHit

if TYPE_CHECKING:
    from tui.seeds import SeedPack


def find_mentions(text: str, folded: str, pack: SeedPack) -> tuple[Mention, ...]:
    """Every alias match, left to right (the pattern prefers the longest alias at a place).

    Acronyms (UN, TTP) are matched with everything else and then kept only when the
    original text has them in capitals, so "UN" is found but "un" in lower case is not.
    """
    found: list[Mention] = []
    lookup = pack.lookup_ci
    for match in pack.alias_ci.finditer(folded):
        matched = match.group()
        index = lookup.get(matched)
        if index is None:
            key = alias_key(matched)
            index = lookup.get(key)
            if index is None:
                index = pack.lookup_cs.get(key)
                if index is None:
                    continue
                original = text[match.start() : match.end()]
                if original != original.upper():
                    continue
        found.append(Mention(match.start(), match.end(), index))
    return tuple(found)


def entity_hits(mentions: tuple[Mention, ...], pack: SeedPack) -> tuple[EntityHit, ...]:
    """One ``EntityHit`` per entity, in order of first mention, with all its spans."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        spans.setdefault(m.entity, []).append((m.start, m.end))
    hits: list[EntityHit] = []
    for index, where in spans.items():
        e = pack.entities[index]
        hits.append(EntityHit(id=e.id, name=e.name, side=e.side, kind=e.kind, spans=tuple(where)))
    return tuple(hits)
