"""Turning untrusted strings into display text that can never act as markup or escapes.

The parser cleans feed text before storage; this is the second line of defence in the
widget layer. Every string from a feed reaches a widget through :func:`safe_text`, which
returns a :class:`rich.text.Text` (never parsed as markup) in which control characters
are shown as visible control pictures (so an ESC can never reach the terminal) and
bidi formatting characters as U+FFFD (so they cannot reorder what is shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

_CONTROL = re.compile("[\x00-\x1f\x7f\x80-\x9f]")
_CONTROL_KEEP_NL = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]")
# Bidi embeddings/overrides/isolates and the BOM: they can reorder or hide what is shown.
# Zero-width (non-)joiners stay: Persian, Pashto and Urdu spelling needs them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CELL_LIMIT = 300


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls


def display_str(raw: str, limit: int | None = None, *, newlines: bool = False) -> str:
    """A string that is safe to hand to a terminal, optionally capped at ``limit`` characters.

    Character for character (before the cap): offsets into ``raw`` stay valid, so
    entity and evidence spans can be highlighted on the result.
    """
    control = _CONTROL_KEEP_NL if newlines else _CONTROL
    text = _BIDI.sub("\ufffd", control.sub(_picture, raw))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def safe_text(
    raw: str,
    style: str | Style = "",
    *,
    limit: int | None = None,
    one_line: bool = False,
    newlines: bool = False,
) -> Text:
    """Untrusted string → Text. Never parsed as markup; controls made visible.

    ``newlines`` keeps line feeds as line breaks (for multi-line bodies).
    """
    text = Text(display_str(raw, limit, newlines=newlines), style=style, end="")
    if one_line:
        text.no_wrap = True
        text.overflow = "ellipsis"
    return text


class CellText(Text):
    """A one-line table cell: the same segments as :class:`Text`, rendered ~3× faster.

    ``Text.__rich_console__`` wraps, joins and re-splits even a one-line, no-wrap cell;
    DataTable renders every visible cell again whenever its rows change (new items each
    poll), so that overhead is most of a repaint. For a single line that does not wrap
    and is not justified, the result is ``truncate`` + ``render``: done here directly.
    Anything else falls back to ``Text``.
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        plain = self.plain
        justify = self.justify or options.justify or "default"
        no_wrap = self.no_wrap if self.no_wrap is not None else options.no_wrap
        if justify != "default" or not no_wrap or "\n" in plain or "\t" in plain:
            yield from super().__rich_console__(console, options)
            return
        line: Text = self
        width = options.max_width
        if cell_len(plain) > width:
            line = self.copy()
            line.truncate(width, overflow=self.overflow or options.overflow or "fold")
        # As Text.join does: the line's own style becomes a span under its spans.
        spans = [Span(0, len(line), line.style), *line.spans] if line.style else line.spans
        yield from Text(line.plain, spans=spans, end="").render(console, end=self.end)


def cell_text(raw: str, style: str | Style = "") -> CellText:
    """A DataTable cell: one line, capped, never markup."""
    return CellText(
        display_str(raw, _CELL_LIMIT), style=style, end="", no_wrap=True, overflow="ellipsis"
    )


class Palette:
    """Rich styles built from the current theme's variables (no literal colours)."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        def colour(name: str, fallback: str = "") -> Style:
            value = variables.get(name, "")
            try:
                return Style.parse(value) if value.startswith("#") else Style.parse(fallback)
            except Exception:  # any unparsable theme value falls back
                return Style.parse(fallback)

        self.error = colour("text-error", "bold")
        self.warning = colour("text-warning", "bold")
        self.success = colour("text-success")
        self.accent = colour("text-accent", "bold")
        self.primary = colour("text-primary", "bold")
        self.secondary = colour("text-secondary", "italic")
        self.entity = Style(underline=True) + colour("text-primary", "underline")
        muted_bg = variables.get("warning-muted", "")
        self.evidence = (
            Style(bgcolor=muted_bg) if muted_bg.startswith("#") else Style(reverse=True)
        )
        self.muted = Style(dim=True)
        self.bold = Style(bold=True)
