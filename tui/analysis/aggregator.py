"""Aggregator titles: "Pakistan, Afghanistan agree ceasefire - Dawn".

News aggregators (Google News and the like) end a title with " - " and the name of the
outlet that published it, and often end the summary with the same name. The outlet is
never a party, a claimant or a place the item is about ("... - Pakistan Today", "... -
The Times of India"), so the analysis reads the item as if that name were not there: its
folded text is blanked (offsets are kept) and the mentions in it are dropped, except
those of outlets.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.analysis.doc import Mention

if TYPE_CHECKING:
    from tui.seeds import SeedPack

# " - Dawn", " – The Express Tribune", " | Arab News PK": a short name in title case at the
# very end of the title, after at least three words of headline
_SUFFIX = re.compile(
    r"\s[-\u2013\u2014|]\s+(?P<name>[^\s\-\u2013\u2014|:;,!?][^\-\u2013\u2014|:;!?\n]{0,58})$"
)
_NAME_WORD = re.compile(
    r"(?:[A-Z0-9][\w.&'/]*|(?:of|the|and|on|de|al|el|for|in|&)|[\u0600-\u06ff]+)$"
)
_PARTY_KINDS = frozenset({"outlet", "place", "country"})


def outlet_suffix(
    text: str, folded: str, mentions: tuple[Mention, ...], pack: SeedPack
) -> tuple[str, tuple[Mention, ...]]:
    """``folded`` with an aggregator's outlet name blanked, and the mentions left outside it
    (an outlet's own mention is kept: it is still an entity of the item)."""
    title_end = text.find("\n")
    if title_end == -1:
        title_end = len(text)
    m = _SUFFIX.search(text, 0, title_end)
    if (
        m is None
        or len(text[: m.start()].split()) < 3
        or not _looks_like_outlet(m, folded, mentions, pack)
    ):
        return folded, mentions
    spans = [m.span("name")]
    name = m.group("name").strip()
    summary = text[title_end:].rstrip()
    if title_end < len(text) and summary.endswith(name):
        start = title_end + len(summary) - len(name)
        if start > title_end and not text[start - 1].isalnum():
            spans.append((start, start + len(name)))
    for a, z in spans:
        folded = folded[:a] + " " * (z - a) + folded[z:]
    kept = tuple(
        x
        for x in mentions
        if pack.entities[x.entity].kind == "outlet" or not any(a <= x.start < z for a, z in spans)
    )
    return folded, kept


def _looks_like_outlet(
    m: re.Match[str], folded: str, mentions: tuple[Mention, ...], pack: SeedPack
) -> bool:
    a, z = m.span("name")
    words = m.group("name").split()
    if not 1 <= len(words) <= 6 or not all(_NAME_WORD.match(w) for w in words):
        return False
    inside = [x for x in mentions if a <= x.start and x.end <= z]
    if any(pack.entities[x.entity].kind not in _PARTY_KINDS for x in inside):
        return False  # "... - Tarar", "... - ISPR": a source, not an outlet
    if any(pack.entities[x.entity].kind == "outlet" for x in inside):
        return True
    if len(inside) == 1 and inside[0].start == a and inside[0].end == z:
        return False  # "... - Pakistan": a party or a place on its own
    return pack.official.search(folded, a, z) is None  # "... - Foreign Office"
