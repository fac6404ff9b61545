"""Folding text for matching, and building the regexes that match folded text.

``fold`` maps an item's text to a string of the *same length* in which case,
Latin accents, Arabic-script letter variants, dash and quote variants and
line breaks are normalised. Every offset found in the folded text is therefore
an offset into the original, which is what the spans in the analysis need.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPECIAL: dict[str, str] = {
    # Latin letters NFD does not decompose
    "ı": "i",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "ħ": "h",
    # quotes and apostrophes
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2026": ".",  # ellipsis
    # dashes and hyphens
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00ad": "-",
    # white space
    "\n": " ",
    "\r": " ",
    "\t": " ",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200c": " ",
    # Arabic-script variants: Arabic vs Persian/Urdu/Pashto forms of the same letter
    "\u064a": "\u06cc",
    "\u0649": "\u06cc",
    "\u06d0": "\u06cc",
    "\u06cd": "\u06cc",  # yeh
    "\u0643": "\u06a9",  # kaf
    "\u0629": "\u0647",
    "\u06c0": "\u0647",
    "\u06c1": "\u0647",
    "\u06c3": "\u0647",  # heh
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0622": "\u0627",
    "\u0671": "\u0627",  # alef
    "\u06be": "\u0647",  # Urdu do-chashmi heh (قندھار = قندهار)
    "\u06ab": "\u06af",  # Pashto gaf
    # Arabic-script punctuation, so that clause and sentence rules see it
    "\u060c": ",",
    "\u061b": ";",
    "\u061f": "?",
    "\u06d4": ".",
    "\u066c": ",",  # thousands separator
    "\u200d": " ",  # zero-width joiner
    "\u200f": " ",  # right-to-left mark
    "\u200e": " ",  # left-to-right mark
}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha():
            table[cp] = base
    for src, dst in _SPECIAL.items():
        table[ord(src)] = dst
    for digit in range(10):  # Arabic-Indic and Extended Arabic-Indic digits
        table[0x0660 + digit] = str(digit)
        table[0x06F0 + digit] = str(digit)
    return table


_TABLE = _build_table()


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_NEEDS_FOLDING = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


def fold(text: str) -> str:
    """Lower-cased, accent- and variant-folded ``text``; same length as ``text``."""
    lowered = _lower_same_length(text)
    if lowered.isascii() and "\n" not in lowered and "\t" not in lowered and "\r" not in lowered:
        return lowered.replace("`", "'") if "`" in lowered else lowered
    return _NEEDS_FOLDING.sub(_fold_char, lowered)


def fold_pattern(pattern: str) -> str:
    """A lexicon regex written in natural spelling, folded like the text it is matched on.

    Only non-ASCII characters are folded: the ASCII part of a pattern is already lower case
    and its escapes (``\\S``, ``\\W``) must keep their case.
    """
    if pattern.isascii():
        return pattern
    return "".join(c if c.isascii() else fold(c) for c in pattern)


def alias_key(text: str) -> str:
    """The lookup key of a folded alias or of folded matched text: separators unified."""
    return " ".join(text.replace("-", " ").split())


# ---------------------------------------------------------------- regex builders

_SEPARATOR = r"(?:[\s\-]+)"


class _Node(dict[str, "_Node"]):
    """A trie node: children by character; the key "" marks the end of a word."""


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (longest first), factorised as a trie."""
    trie = _Node()
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, _Node())
        node[""] = _Node()

    def emit(node: _Node) -> str:
        ends = "" in node
        branches: list[str] = []
        singles: list[str] = []
        for ch in sorted(k for k in node if k):
            tail = emit(node[ch])
            if tail == "" and ch != " ":
                singles.append(re.escape(ch))
            else:
                branches.append((_SEPARATOR if ch == " " else re.escape(ch)) + tail)
        if singles:
            branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return emit(trie)


def literal_alternation(words: Iterable[str]) -> str:
    """Regex source (no boundaries) matching any of the literal ``words``."""
    unique = sorted({w for w in words if w})
    if not unique:
        return r"(?!x)x"
    return _trie_regex(unique)


def bounded(source: str) -> str:
    """Wrap regex ``source`` so that it only matches whole words."""
    return r"(?<!\w)(?:" + source + r")(?!\w)"


def lexicon_inner(entries: Iterable[str], substitutions: dict[str, str] | None = None) -> str:
    """Regex source (no boundaries) for a lexicon of regexes over folded text.

    A space in an entry means a space or a hyphen; ``{name}`` is replaced from
    ``substitutions``.
    """
    parts: list[str] = []
    for entry in entries:
        pattern = fold_pattern(entry)
        for name, value in (substitutions or {}).items():
            pattern = pattern.replace("{" + name + "}", value)
        parts.append(pattern.replace(" ", _SEPARATOR))
    if not parts:
        return r"(?!x)x"
    return "|".join(f"(?:{p})" for p in parts)


def lexicon_source(entries: Iterable[str], substitutions: dict[str, str] | None = None) -> str:
    """Like ``lexicon_inner``, matching whole words only."""
    return bounded(lexicon_inner(entries, substitutions))


def grouped_source(inners: Iterable[str]) -> str:
    """One whole-word pattern over several lexicons; lexicon i is the group named ``g<i>``."""
    return bounded("|".join(f"(?P<g{i}>{inner})" for i, inner in enumerate(inners)))
