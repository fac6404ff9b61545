"""Reading stated figures: "23", "1,200", "twenty-three", "two thousand", "dozens",
"more than 200", "at least 12", "11-15", "between 11 and 15", "a dozen", "several".

Works on folded (lower-case) text. A figure is ``(low, high)``; ``high`` is None
for an open-ended figure ("more than 200", "dozens") or an approximate one ("about 40",
"up to 70": the stated figure is the low) and equals ``low`` for a point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.analysis.fold import fold, fold_pattern

_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Vague counts: (low, high); high None = open-ended.
_VAGUE: dict[str, tuple[int, int | None]] = {
    "dozens": (12, None),
    "scores": (20, None),
    "hundreds": (100, None),  # the ACLED convention: the least the plural can mean
    "thousands": (1000, None),
    "several": (3, None),
    "multiple": (2, None),
    "a dozen": (12, 12),
    "half a dozen": (6, 6),
    "a couple of": (2, 2),
    "a couple": (2, 2),
    "a few dozen": (12, None),
    "several dozen": (12, None),
    "tens of": (20, None),
    "a handful of": (3, None),
    # Urdu, Pashto and Dari, as folded (ہ → ه, ګ → گ, ZWNJ → space)
    "درجنوں": (12, None),
    "درجنو": (12, None),
    "سینکڑوں": (100, None),
    "سیکڑوں": (100, None),
    "ہزاروں": (1000, None),
    "متعدد": (3, None),
    "کئی": (3, None),
    "لسگونه": (12, None),
    "سلگونه": (100, None),
    "ده ها": (12, None),
    "دهها": (12, None),
    "صدها": (100, None),
    "چندین": (3, None),
}
_VAGUE = {fold(key): value for key, value in _VAGUE.items()}
_OPEN = (
    "more than",
    "over",
    "at least",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
    "above",
    "beyond",
)
# A stated approximate figure ("about 40", "up to 70"): the figure is its low, high unknown.
_APPROXIMATE = (
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "approximately",
    "roughly",
    "up to",
    "as many as",
    "an estimated",
    "close to",
    "at least some",
)
_POINT = ("at most",)

_WORD = "|".join(sorted([*_ONES, *_TENS, *_SCALES], key=len, reverse=True))
_WORDS = rf"(?:(?:{_WORD})(?:(?:\s+and\s+|\s+|-)(?:{_WORD}))*|a\s+(?:hundred|thousand))"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?![\d.,]\d)"
_AMOUNT = rf"(?:{_DIGITS}|{_WORDS})(?:\s+(?:dozen|hundred|thousand|million))?"
_VAGUE_RE = "|".join(
    re.escape(v).replace(r"\ ", r"\s+") for v in sorted(_VAGUE, key=len, reverse=True)
)
_MODIFIER = "|".join(
    re.escape(m).replace(r"\ ", r"\s+")
    for m in sorted(_OPEN + _APPROXIMATE + _POINT, key=len, reverse=True)
)

# Urdu puts "more than" after the figure: "40 سے زائد", "40 سے زیادہ"
_MORE_AFTER = fold_pattern(r"\s+س[ےی]\s+(?:زائد|زیادہ|اوپر)(?!\w)")

FIGURE = re.compile(
    rf"""(?<![\w.,$£€])
    (?:(?P<mod>{_MODIFIER})\s+)?
    (?:
        between\s+(?P<blow>{_AMOUNT})\s+and\s+(?P<bhigh>{_AMOUNT})
      | (?P<low>{_AMOUNT})(?:\s*(?:-|to|or)\s*(?P<high>{_AMOUNT}))?
      | (?P<vague>{_VAGUE_RE})
    )
    (?![\w%])
    (?P<more>{_MORE_AFTER})?""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Figure:
    start: int
    end: int
    low: int
    high: int | None


def words_to_int(text: str) -> int | None:
    """ "twenty-three" → 23, "two hundred and five" → 205, "1,200" → 1200, "two dozen" → 24."""
    text = text.strip().lower()
    if not text:
        return None
    tokens = re.split(r"[\s\-]+", text.replace(",", "") if text[0].isdigit() else text)
    total = 0
    current = 0
    seen = False
    for token in tokens:
        if token == "and":
            continue
        if token.isdigit():
            current += int(token)
            seen = True
        elif token == "a":
            current += 1
        elif token in _ONES:
            current += _ONES[token]
            seen = True
        elif token in _TENS:
            current += _TENS[token]
            seen = True
        elif token == "dozen":
            current = (current or 1) * 12
            seen = True
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def parse_figure(text: str) -> tuple[int, int | None] | None:
    """The figure that is the whole of ``text``, or None."""
    match = FIGURE.fullmatch(text.strip().lower())
    return None if match is None else _value(match)


def find_figures(folded: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Every figure in ``folded[start:end]``."""
    out: list[Figure] = []
    for match in FIGURE.finditer(folded, start, len(folded) if end is None else end):
        value = _value(match)
        if value is not None:
            out.append(Figure(match.start(), match.end(), value[0], value[1]))
    return out


def _value(match: re.Match[str]) -> tuple[int, int | None] | None:
    mod = " ".join((match.group("mod") or "").split())
    vague = match.group("vague")
    if vague is not None:
        low, high = _VAGUE[" ".join(vague.split())]
    elif match.group("blow") is not None:
        a = words_to_int(match.group("blow"))
        b = words_to_int(match.group("bhigh"))
        if a is None or b is None:
            return None
        low, high = a, b
    else:
        a = words_to_int(match.group("low"))
        if a is None:
            return None
        low, high = a, a
        if match.group("high") is not None:
            b = words_to_int(match.group("high"))
            if b is None or b <= a:
                return None
            high = b
    if mod in _OPEN or mod in _APPROXIMATE or match.group("more") is not None:
        high = None
    return low, high
