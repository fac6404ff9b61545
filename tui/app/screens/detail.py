"""Item detail: full text with entities and evidence highlighted, analysis, related items."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.screens.base import sitmon
from tui.app.widgets.item_table import ItemTable, key_value
from tui.app.widgets.rows import TimePrefs, claim_sentence, fmt_full, side_label
from tui.app.widgets.safe import Palette, display_str, safe_text
from tui.model import StoredItem
from tui.store import ItemQuery, Store

RELATED_WINDOW = timedelta(hours=24)
RELATED_LIMIT = 30


@dataclass(frozen=True, slots=True)
class DetailData:
    item: StoredItem | None
    related: list[StoredItem]


def find_related(store: Store, item: StoredItem, limit: int = RELATED_LIMIT) -> list[StoredItem]:
    """Items within ±24 h sharing an entity (and a category, when the item has one)."""
    published = item.item.published
    cats = set(item.analysis.categories)
    shared: dict[str, int] = {}
    found: dict[str, StoredItem] = {}
    for entity in item.analysis.entities[:8]:
        query = ItemQuery(
            entity=entity.id,
            since=published - RELATED_WINDOW,
            until=published + RELATED_WINDOW,
            limit=100,
        )
        for other in store.items(query):
            if other.id == item.id:
                continue
            if cats and not cats.intersection(other.analysis.categories):
                continue
            found[other.id] = other
            shared[other.id] = shared.get(other.id, 0) + 1
    ranked = sorted(
        found.values(),
        key=lambda o: (shared[o.id], o.item.published.timestamp()),
        reverse=True,
    )
    return ranked[:limit]


def highlighted_body(item: StoredItem, palette: Palette) -> Text:
    """The item's text with entity names and claim/strike/diplomacy evidence styled by span."""
    raw = item.item.text
    body = safe_text(raw, newlines=True)
    length = len(body.plain)

    def mark(span: tuple[int, int], style: Style) -> None:
        start, end = span
        if 0 <= start < end <= length:
            body.stylize(style, start, end)

    mark((0, len(item.item.title)), palette.bold)
    a = item.analysis
    for claim in a.claims:
        mark(claim.span, palette.evidence)
    for strike in a.strikes:
        mark(strike.span, palette.evidence)
    for move in a.diplomacy:
        mark(move.span, palette.evidence)
    for entity in a.entities:
        for span in entity.spans:
            mark(span, palette.entity)
    return body


def meta_text(item: StoredItem, prefs: TimePrefs, palette: Palette) -> Text:
    it = item.item
    text = Text(end="")

    def row(label: str, value: str | Text, style: str | Style = "") -> None:
        text.append(f"{label:<11}", palette.muted)
        if isinstance(value, Text):
            text.append_text(value)
        else:
            text.append(display_str(value), style)
        text.append("\n")

    row("Feed", it.feed, palette.secondary)
    row("Published", fmt_full(it.published, prefs))
    row("First seen", fmt_full(it.first_seen, prefs))
    row("Link", it.link or "—", palette.primary)
    cats = ", ".join(item.analysis.categories) or ("relevant" if item.analysis.relevant else "—")
    row("Category", cats)
    marks = Text(end="")
    if item.flagged:
        marks.append("⚑ flagged", palette.warning)
    else:
        marks.append("not flagged")
    marks.append("  ·  ")
    marks.append("read" if item.read else "new", palette.muted if item.read else palette.accent)
    row("Marks", marks)
    row("Note", item.note or "—", palette.secondary)
    text.rstrip()
    return text


def analysis_text(item: StoredItem, palette: Palette) -> Text:
    a = item.analysis
    text = Text(end="")
    if a.claims:
        text.append("Claims\n", palette.accent)
        for claim in a.claims:
            text.append("  • ")
            text.append(display_str(claim_sentence(claim)))
            text.append("\n    “", palette.muted)
            text.append(display_str(claim.evidence, 400), palette.muted)
            text.append("”\n", palette.muted)
    if a.strikes:
        text.append("Strikes\n", palette.accent)
        for strike in a.strikes:
            text.append(f"  • by {side_label(strike.attacker_side)}")
            if strike.means:
                text.append(f" · {display_str(', '.join(strike.means))}")
            if strike.targets:
                text.append(f" · on {display_str(', '.join(strike.targets))}")
            text.append("\n")
    if a.diplomacy:
        text.append("Diplomacy\n", palette.accent)
        for move in a.diplomacy:
            text.append(f"  • {move.move.replace('_', ' ')}")
            if move.parties:
                text.append(f": {display_str(', '.join(move.parties))}")
            text.append("\n")
    if not (a.claims or a.strikes or a.diplomacy):
        text.append("No claims, strikes or diplomatic moves read from this item.", palette.muted)
    text.rstrip()
    return text


class DetailScreen(Screen[None]):
    """One item in full. Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding("o", "open_link", "Open link", id="detail.open_link"),
        Binding("c", "copy_link", "Copy link", id="detail.copy_link"),
        Binding("f", "flag", "Flag", id="detail.flag"),
        Binding("n", "note", "Note", id="detail.note"),
        Binding("x", "entities", "Entities", id="detail.entities"),
    ]

    def __init__(self, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.item: StoredItem | None = None

    def compose(self) -> ComposeResult:
        yield Static(safe_text("Item"), id="detail-title", classes="screen-title")
        with VerticalScroll(id="detail-body"):
            yield Static(id="meta")
            yield Static(safe_text("Text"), classes="section")
            yield Static(id="body")
            yield Static(safe_text("Analysis"), classes="section")
            yield Static(id="analysis")
            yield Static(safe_text("Entities (enter: every item mentioning it)"), classes="section")
            yield OptionList(id="entities")
            yield Static(safe_text("Related (±24 h, shared entities)"), classes="section")
            yield ItemTable(
                prefs=lambda: sitmon(self).prefs,
                clock=sitmon(self).clock,
                palette=lambda: sitmon(self).palette,
                window=RELATED_LIMIT,
                id="related",
            )
        yield Footer()

    def on_mount(self) -> None:
        app = sitmon(self)
        cached = app.cached_item(self.item_id)
        if cached is not None:
            self.show(cached)
            app.mark_seen(cached)
        else:
            self.query_one("#body", Static).update(safe_text("loading…"))
        self.load()

    @work(thread=True, group="detail", exclusive=True)
    def load(self) -> None:
        store = sitmon(self).store
        item = store.get(self.item_id)
        related = find_related(store, item) if item is not None else []
        self.app.call_from_thread(self._loaded, DetailData(item, related))

    def _loaded(self, data: DetailData) -> None:
        if data.item is None:
            self.query_one("#body", Static).update(safe_text("This item is no longer stored."))
            return
        first = self.item is None
        # The store is the truth for marks, except a read mark still being written.
        item = data.item
        if self.item is not None and self.item.read and not item.read:
            item = replace(item, read=True)
        self.show(item)
        if first:
            sitmon(self).mark_seen(item)
        self.query_one("#related", ItemTable).set_items(data.related)

    def show(self, item: StoredItem) -> None:
        app = sitmon(self)
        palette = app.palette
        self.item = item
        title = Text(end="", no_wrap=True, overflow="ellipsis")
        title.append(display_str(item.item.feed, 40), palette.secondary)
        title.append(" · ")
        title.append(display_str(item.item.title, 300))
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#meta", Static).update(meta_text(item, app.prefs, palette))
        self.query_one("#body", Static).update(highlighted_body(item, palette))
        self.query_one("#analysis", Static).update(analysis_text(item, palette))
        options = self.query_one("#entities", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for entity in item.analysis.entities:
            prompt = Text(end="", no_wrap=True, overflow="ellipsis")
            prompt.append(display_str(entity.name, 80), palette.primary)
            prompt.append(
                f"  {display_str(entity.kind, 20)} · {side_label(entity.side)}", palette.muted
            )
            options.add_option(Option(prompt, id=entity.id))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        self.refresh_bindings()

    def item_changed(self, item: StoredItem) -> None:
        if item.id == self.item_id:
            self.show(item)
        related = self.query_one("#related", ItemTable)
        related.update_item(item)

    def rerender(self) -> None:
        if self.item is not None:
            self.show(self.item)
        self.query_one("#related", ItemTable).rerender()

    # -- events and actions -----------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity_id = event.option.id
        if entity_id and self.item is not None:
            name = next((e.name for e in self.item.analysis.entities if e.id == entity_id), "")
            sitmon(self).show_entity(entity_id, name)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row_id = key_value(event.row_key)
        if row_id:
            sitmon(self).show_item(row_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"open_link", "copy_link", "flag", "note"}:
            return True if self.item is not None else None
        if action == "entities":
            return True if self.item is not None and self.item.analysis.entities else None
        return True

    def action_open_link(self) -> None:
        if self.item is not None:
            sitmon(self).open_link(self.item.item.link)

    def action_copy_link(self) -> None:
        if self.item is not None:
            sitmon(self).copy_link(self.item.item.link)

    def action_flag(self) -> None:
        if self.item is not None:
            app = sitmon(self)
            updated = app.set_flag(self.item, not self.item.flagged)
            self.show(updated)
            app.notify("flagged" if updated.flagged else "unflagged", markup=False)

    def action_note(self) -> None:
        if self.item is not None:
            sitmon(self).edit_note(self.item, self.show)

    def action_entities(self) -> None:
        options = self.query_one("#entities", OptionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()
