"""The `/` filter: parsing what the analyst typed, and matching items against it.

Syntax: words are a case-insensitive substring of title or summary; `entity:ID`,
`feed:NAME` and `cat:CATEGORY` narrow further (quotes allow spaces:
`feed:"Dawn News"`). The same filter is used for the store query (first load) and
in memory (items that arrive while it is active), so both agree.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace

from textual.widgets import Input

from tui.model import CATEGORIES, StoredItem
from tui.store import ItemQuery

_CAT_ALIASES = {
    "strike": "strike",
    "strikes": "strike",
    "casualty": "casualty",
    "casualties": "casualty",
    "claim": "casualty",
    "claims": "casualty",
    "diplomacy": "diplomacy",
    "dip": "diplomacy",
}


@dataclass(frozen=True, slots=True)
class ItemFilter:
    text: str = ""
    entity: str | None = None
    feed: str | None = None
    category: str | None = None
    error: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.entity or self.feed or self.category)

    def describe(self) -> str:
        parts = []
        if self.text:
            parts.append(f'"{self.text}"')
        if self.entity:
            parts.append(f"entity:{self.entity}")
        if self.feed:
            parts.append(f"feed:{self.feed}")
        if self.category:
            parts.append(f"cat:{self.category}")
        return " ".join(parts)

    def query(self, base: ItemQuery) -> ItemQuery:
        return replace(
            base,
            text=self.text or None,
            entity=self.entity,
            feed=self.feed,
            category=self.category if base.category is None else base.category,
        )

    def allows_category(self, category: str | None) -> bool:
        return self.category is None or category is None or category == self.category

    def matches(self, item: StoredItem) -> bool:
        if self.text:
            needle = self.text.lower()
            if needle not in item.item.title.lower() and needle not in item.item.summary.lower():
                return False
        if self.entity and not any(e.id == self.entity for e in item.analysis.entities):
            return False
        if self.feed and item.item.feed != self.feed:
            return False
        return not (self.category and self.category not in item.analysis.categories)


def parse_filter(
    raw: str, *, entities: dict[str, str] | None = None, feeds: list[str] | None = None
) -> ItemFilter:
    """Parse the filter line. ``entities`` maps lower-cased names and ids to ids."""
    try:
        words = shlex.split(raw)
    except ValueError:
        words = raw.split()
    text: list[str] = []
    entity = feed = category = None
    error = ""
    for word in words:
        prefix, sep, value = word.partition(":")
        key = prefix.lower()
        if sep and key in {"entity", "e", "feed", "f", "cat", "c"} and value:
            if key in {"entity", "e"}:
                entity = (entities or {}).get(value.lower(), value.lower())
            elif key in {"feed", "f"}:
                by_lower = {f.lower(): f for f in feeds or []}
                feed = by_lower.get(value.lower(), value)
            else:
                category = _CAT_ALIASES.get(value.lower())
                if category is None:
                    error = f"unknown category {value!r} (use {', '.join(CATEGORIES)})"
        else:
            text.append(word)
    return ItemFilter(" ".join(text), entity, feed, category, error)


class FilterBar(Input):
    """The filter input: shown while the analyst types or while a filter is active."""

    DEFAULT_CSS = """
    FilterBar {
        dock: top;
        display: none;
        height: 3;
    }
    FilterBar.-shown {
        display: block;
    }
    """
