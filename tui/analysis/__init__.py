"""The analysis: a pure function of an item's text and a seed pack.

``analyse(item, pack)`` finds the pack's entities, decides whether the item is
about the conflict, and, when it is, sorts it into categories and reads its
strikes, casualty claims and diplomatic moves. No I/O, no clock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.analysis.aggregator import outlet_suffix
from tui.analysis.claims import find_claims
from tui.analysis.classify import find_moves, is_relevant
from tui.analysis.doc import Doc
from tui.analysis.entities import entity_hits, find_mentions
from tui.analysis.fold import fold
from tui.analysis.strikes import find_strikes, strikes_from_claims
from tui.model import Analysis, Item

if TYPE_CHECKING:
    from tui.seeds import SeedPack

__all__ = ["analyse"]

# " - Dawn", " | Arab News": an aggregator's outlet name may end the title
_SEPARATOR = re.compile(r" [-\u2013\u2014|] ")


def analyse(item: Item, pack: SeedPack) -> Analysis:
    """Entities, relevance, categories, claims, strikes and moves of ``item`` under ``pack``."""
    text = item.text
    folded = fold(text)
    if pack.ascii is not None and folded.isascii():
        pack = pack.ascii
    mentions = find_mentions(text, folded, pack)
    title_end = text.find("\n")
    if _SEPARATOR.search(text, 0, len(text) if title_end == -1 else title_end):
        folded, mentions = outlet_suffix(text, folded, mentions, pack)
    entities = entity_hits(mentions, pack)
    doc = Doc(text, folded, mentions)
    if not mentions or not is_relevant(doc, pack):
        return Analysis(relevant=False, entities=entities)
    sentences = doc.sentences()
    claims = find_claims(doc, pack, sentences)
    strikes = find_strikes(doc, pack, sentences, claims) or strikes_from_claims(doc, pack, claims)
    moves = find_moves(doc, pack, sentences)
    categories: list[str] = []
    if strikes:
        categories.append("strike")
    if claims:
        categories.append("casualty")
    if moves:
        categories.append("diplomacy")
    return Analysis(
        relevant=True,
        categories=tuple(categories),
        entities=entities,
        claims=claims,
        strikes=strikes,
        diplomacy=moves,
    )
