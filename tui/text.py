"""Cleaning untrusted text, once, before it is stored.

Feed text may carry HTML, entities, terminal escape sequences (CSI, OSC 8 links,
OSC 52 clipboard writes), C0/C1 control codes, bidi overrides and zero-width
characters. ``clean_text`` turns any of it into one line of plain, printable text.
Right-to-left scripts themselves (Urdu, Pashto, Dari) are kept: only the
invisible formatting characters that can reorder or hide text are removed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST),
# DCS/SOS/PM/APC (ESC P/X/^/_ ... ST), and two-character escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC, ended by BEL or ST (or cut off)
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]?                    # other escapes (ESC c, ESC ( B ...)
  | \x9b[0-?]*[ -/]*[@-~]?              # 8-bit CSI
  | \x9d[^\x07\x9c]*(?:\x07|\x9c)?      # 8-bit OSC
    """,
    re.VERBOSE,
)

# C0 controls (tab, newline and carriage return become spaces), DEL, C1 controls,
# bidi embeddings/overrides/isolates and marks, zero-width and other invisible
# format characters, and the replacement-for-nothing BOM.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f"
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"\s+")

MAX_TITLE = 500
MAX_SUMMARY = 4000


class _TextExtractor(HTMLParser):
    """Collects text content, skipping script/style, with breaks at block elements."""

    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
    _BLOCK = frozenset(
        {"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4",
         "h5", "h6", "blockquote", "section", "article", "hr", "table", "figcaption"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (or of plain text, which passes through)."""
    if "<" not in markup and "&" not in markup:
        return markup
    if "<" not in markup:
        return html.unescape(markup)
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient; never let odd markup stop a poll
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return "".join(parser.parts)


def strip_controls(text: str) -> str:
    """Remove escape sequences and invisible/control characters; keep visible text."""
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return _INVISIBLE.sub("", text)


def cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def clean_text(raw: str | None, limit: int = MAX_SUMMARY) -> str:
    """HTML or text in; one line of printable plain text out, at most ``limit`` characters."""
    if not raw:
        return ""
    # Escapes first: an entity can decode to ESC, and markup can hide one.
    text = strip_controls(raw)
    text = html_to_text(text)
    text = strip_controls(text)
    text = _SPACES.sub(" ", text).strip()
    return cap(text, limit)


def one_line(text: str, limit: int = 300) -> str:
    """Server-provided text (reasons, URLs, exception messages) as one printable line.

    Not ``clean_text``: that reads HTML, and a message like ``<unknown>:3:1: ...``
    or a URL with ``&amp;`` is not HTML.
    """
    return cap(" ".join(strip_controls(text).split()), limit)
