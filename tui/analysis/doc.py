"""An item's text prepared for analysis: folded copy, sentence spans, entity mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? … ۔ ؟ (optionally followed by a closing quote) before a space and
# something that can start a sentence; a line break always ends one.
# Matched from the end mark or line break itself: a pattern that starts with a character
# set lets the regex engine skip ahead to the candidates.
_MARK = re.compile(
    r"""[.!?…\u06d4\u061f\n](?:(?<=\n)\n*|["'”’)]?\s+(?=["'“‘(\[]?[A-Z0-9\u0600-\u06ff]))"""
)
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "lt",
        "gen",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "no",
        "u.s",
        "u.n",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "gov",
        "sen",
        "rep",
        "prof",
        "brig",
        "cmdr",
        "adm",
        "i.e",
        "e.g",
        "vs",
        "approx",
        "d.i",
    }
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One alias match: [start, end) in the item text, and the entity's index in the pack."""

    start: int
    end: int
    entity: int


@dataclass(frozen=True, slots=True)
class Doc:
    text: str
    folded: str
    mentions: tuple[Mention, ...]

    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of ``text`` (the title is always its own)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _MARK.finditer(text):
        cut = match.start()
        if text[cut] != "\n":
            cut += 1  # after the end mark
        if "\n" not in text[cut : match.end()]:
            # a period after an abbreviation or an initial does not end a sentence
            tokens = text[max(start, cut - 16) : cut].rsplit(None, 1)
            word = tokens[-1].strip(".!?…\"'”’()“‘").lower() if tokens else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        end = cut
        # keep a closing quote with its sentence
        while end < len(text) and text[end] in "\"'”’)" and end < match.end():
            end += 1
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
