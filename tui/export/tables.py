"""What each section of the human-readable exports (markdown, HTML) contains, built once.

``sections`` turns a ``Summary`` into titled sections of blocks: tables (headers and
rows of cells), subheadings, bullet lists and short notes. Nothing here is escaped:
a cell is plain text with a ``Kind`` that says whose text it is and how it reads
(a number, a time, a link, a source reference, …), and each renderer escapes and
lays it out for its own format. What a section shows, in which order and with
which wording is decided here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto

from tui.export import labels
from tui.export.summary import ClaimEntry, ClaimGroup, FigureChange, Incident, Source, Summary


class Kind(Enum):
    LABEL = auto()  # our own wording: shown as it is
    NUMBER = auto()  # our own figure or count: lined up as a number where the format can
    TIME = auto()  # our own time text: kept on one line where the format can
    TEXT = auto()  # feed or analyst text: escaped, on one line
    NOTE = auto()  # the analyst's note: escaped, line breaks kept where the format can
    NAMES = auto()  # feed names (places, parties, means): each escaped, joined with ", "
    LINK = auto()  # a feed's link: a link only if it is http(s), else escaped text
    REF = auto()  # a source tag (S3): a jump to its row of Sources where the format can
    SOURCE = auto()  # a source tag (as REF) and the source's outlet (feed text)


@dataclass(frozen=True, slots=True)
class Cell:
    kind: Kind
    text: str = ""  # the words; for SOURCE the outlet
    names: tuple[str, ...] = ()  # NAMES only
    ref: str = ""  # REF and SOURCE: the source tag
    fallback: str = ""  # our own wording, shown when the rendered words come out empty


# A run of cells read as one line of text (a subheading, a list item).
Line = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    anchors: tuple[str, ...] = ()  # one id a row, for REF cells to jump to (or none)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # our own wording


@dataclass(frozen=True, slots=True)
class Nothing:
    """Our own wording that stands where a list or table would be, had it any rows."""

    text: str


@dataclass(frozen=True, slots=True)
class Subheading:
    line: Line


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Line, ...]


Block = Table | Paragraph | Nothing | Subheading | Bullets


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: tuple[Block, ...]  # never empty: an empty section says so with ``Nothing``


def _label(text: str) -> Cell:
    return Cell(Kind.LABEL, text)


def _number(value: object) -> Cell:
    return Cell(Kind.NUMBER, str(value))


def _time(text: str) -> Cell:
    return Cell(Kind.TIME, text)


def _text(text: str, fallback: str = "") -> Cell:
    return Cell(Kind.TEXT, text, fallback=fallback)


def _names(names: Sequence[str]) -> Cell:
    return Cell(Kind.NAMES, names=tuple(names), fallback="—")


def _ref(source: Source) -> Cell:
    return Cell(Kind.REF, ref=source.ref)


def _source(source: Source) -> Cell:
    return Cell(Kind.SOURCE, source.stored.item.feed, ref=source.ref)


def _published(source: Source) -> str:
    return labels.when(source.stored.item.published)


def meta(summary: Summary) -> tuple[tuple[str, Cell], ...]:
    """The lines under the document's title: what window, when made, what is in it."""
    w = summary.window
    rows = [
        ("Window", _label(f"{labels.when(w.since)} to {labels.when(w.until)} "
                          "(UTC; the end is exclusive)")),
        ("Generated", _label(labels.when(summary.generated_at))),
        ("Scope", _label(labels.scope(summary))),
    ]
    if summary.filters:
        rows.append(("Filter", _text(labels.filters(summary))))
    return tuple(rows)


def _section(title: str, blocks: Sequence[Block]) -> Section:
    return Section(title, tuple(blocks) or (Nothing(labels.NONE_IN_WINDOW),))


def _table_section(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    anchors: Sequence[str] = (),
) -> Section:
    table = Table(tuple(headers), tuple(tuple(r) for r in rows), tuple(anchors))
    return _section(title, [table] if rows else [])


def _headline(summary: Summary) -> Section:
    h = summary.headline
    rows = [
        ("Items in scope", h.items),
        ("of which about the conflict", h.relevant),
        ("Strike reports", h.strikes),
        ("Casualty claims (statements, not people)", h.casualty_claims),
        ("Diplomatic moves", h.diplomatic_moves),
        ("Flagged items", h.flagged),
        ("Feeds polled", h.feeds_polled),
        ("Feeds failing now", h.feeds_failing),
    ]
    return _table_section(
        "Headline", ["Figure", "Count"], [[_label(k), _number(v)] for k, v in rows]
    )


def _strikes(summary: Summary) -> Section:
    return _table_section(
        "Strikes",
        ["When (UTC)", "Where", "By (as claimed)", "Means", "Evidence", "Source"],
        [
            [
                _time(_published(e.source)),
                _names(e.strike.targets),
                _text(e.strike.attacker_side),
                _names(e.strike.means),
                _text(e.strike.evidence),
                _source(e.source),
            ]
            for e in summary.strikes
        ],
    )


_CLAIM_HEADERS = ("Claimant", "Side", "Outcome", "Low", "High", "Victims", "Civilian",
                  "When (UTC)", "Source", "Evidence")


def _claim_row(e: ClaimEntry) -> tuple[Cell, ...]:
    c = e.claim
    return (
        _text(c.claimant, fallback="(unnamed)"),
        _text(c.claimant_side),
        _text(labels.words(c.outcome)),
        _number(c.low),
        _number(labels.high(c.high)),
        _text(c.victims),
        _label(labels.civilian(c.civilian)),
        _time(_published(e.source)),
        _source(e.source),
        _text(c.evidence),
    )


def _victims(group: ClaimGroup) -> Line:
    line = (_label("victims on side "), _text(group.victim_side))
    return (*line, _label(" (civilians)")) if group.civilian else line


def _incident_title(inc: Incident) -> Line:
    return (_text(labels.words(inc.outcome).capitalize()), _label(" — "), *_victims(inc))


def _change(ch: FigureChange) -> Line:
    """``Claimant side …, killed, victims on side …: 150 (S1, …) → 200 (S3, …)``."""
    line = [
        _label("Claimant side "), _text(ch.claimant_side), _label(", "),
        _text(labels.words(ch.outcome)), _label(", "), *_victims(ch), _label(": "),
    ]
    for n, e in enumerate(ch.claims):
        figure = labels.figure(e.claim.low, e.claim.high)
        line += [_label(f"{' → ' if n else ''}{figure} ("), _ref(e.source),
                 _label(f", {_published(e.source)})")]
    return tuple(line)


def _ledger(summary: Summary) -> Section:
    blocks: list[Block] = []
    if summary.incidents:
        blocks.append(Paragraph(labels.LEDGER_NOTE))
        for inc in summary.incidents:
            blocks += [
                Subheading(_incident_title(inc)),
                Table(_CLAIM_HEADERS, tuple(_claim_row(e) for e in inc.claims)),
            ]
        blocks += [
            Subheading((_label("Figures that changed during the shift"),)),
            Bullets(tuple(_change(ch) for ch in summary.changes)) if summary.changes
            else Nothing("No claimant changed a figure in this window."),
        ]
    return _section("Casualty claims ledger", blocks)


def _diplomacy(summary: Summary) -> Section:
    return _table_section(
        "Diplomatic moves",
        ["When (UTC)", "Who", "What", "Evidence", "Source"],
        [
            [
                _time(_published(e.source)),
                _names(e.move.parties),
                _text(labels.words(e.move.move)),
                _text(e.move.evidence),
                _source(e.source),
            ]
            for e in summary.diplomacy
        ],
    )


_ITEM_HEADERS = ("Ref", "When (UTC)", "Outlet", "Title")


def _item(s: Source, ref: Cell) -> list[Cell]:
    """The cells under ``_ITEM_HEADERS``: which item, as the Flagged and Sources tables show it."""
    return [ref, _time(_published(s)), _text(s.stored.item.feed), _text(s.stored.item.title)]


def _flagged(summary: Summary) -> Section:
    return _table_section(
        "Flagged items",
        [*_ITEM_HEADERS, "Analyst's note"],
        [
            [*_item(s, _ref(s)), Cell(Kind.NOTE, s.stored.note, fallback="(no note)")]
            for s in summary.flagged
        ],
    )


def _feed_problems(summary: Summary) -> Section:
    return _table_section(
        "Feed problems",
        ["When (UTC)", "Feed", "Status", "Error"],
        [
            [
                _time(labels.problem_when(p)),
                _text(p.feed),
                _label(labels.status(p.status)),
                _text(p.error),
            ]
            for p in summary.feed_problems
        ],
    )


def _sources(summary: Summary) -> Section:
    return _table_section(
        "Sources",
        [*_ITEM_HEADERS, "Link"],
        # The row of Sources is where REF cells jump to: its own tag is just a label.
        [[*_item(s, _label(s.ref)), Cell(Kind.LINK, s.stored.item.link)] for s in summary.sources],
        anchors=[s.ref for s in summary.sources],
    )


def sections(summary: Summary) -> tuple[Section, ...]:
    """Every section of the summary, in the order the documents show them."""
    return (
        _headline(summary),
        _strikes(summary),
        _ledger(summary),
        _diplomacy(summary),
        _flagged(summary),
        _feed_problems(summary),
        _sources(summary),
    )
