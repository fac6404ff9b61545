"""The shift summary as Markdown (GitHub-flavoured tables), readable as plain text too.

Every piece of feed or analyst text goes through ``md_text``: one line, without
control or escape sequences, with the
characters that could start markup (links, emphasis, code, HTML, table cells)
backslash-escaped. Links are http(s) only, percent-encoded inside ``<…>``.
What the sections contain comes from ``tables``; this module only writes it out.
"""

from __future__ import annotations

import re
from typing import assert_never
from urllib.parse import quote

from tui.export import labels, tables
from tui.export.summary import Summary
from tui.export.tables import Block, Cell, Kind, Line
from tui.text import strip_controls

_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~&{}$])")
# What may stay unencoded inside an autolink: no spaces, <, >, |, backslash or backtick.
_URL_SAFE = "%:/?#[]@!$&'*+,;=-._~"


def md_text(text: str) -> str:
    """Untrusted text as inert Markdown: one line, no controls, markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(strip_controls(text).split()))


def _autolink(url: str) -> str:
    return "<" + quote(url, safe=_URL_SAFE) + ">"


def md_link(url: str) -> str:
    return labels.link(url, md_text, _autolink)


def _cell(cell: Cell) -> str:
    match cell.kind:
        case Kind.LABEL | Kind.NUMBER | Kind.TIME:
            out = cell.text
        case Kind.TEXT | Kind.NOTE:  # a table cell is one line: the note's breaks go too
            out = md_text(cell.text)
        case Kind.NAMES:
            out = ", ".join(md_text(n) for n in cell.names)
        case Kind.LINK:
            out = md_link(cell.text)
        case Kind.REF:
            out = cell.ref
        case Kind.SOURCE:
            out = f"{cell.ref} {md_text(cell.text)}"
        case _:
            assert_never(cell.kind)
    return out or cell.fallback


def _line(line: Line) -> str:
    return "".join(_cell(c) for c in line)


def _table(table: tables.Table) -> list[str]:
    """A GFM table; trailing columns of numbers only (the headline's counts) align right."""
    right = 0
    for col in reversed(range(len(table.headers))):
        if not all(row[col].kind is Kind.NUMBER for row in table.rows):
            break
        right += 1
    rule = ["---"] * (len(table.headers) - right) + ["--:"] * right
    lines = ["| " + " | ".join(table.headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return lines


def _block(block: Block) -> list[str]:
    match block:
        case tables.Table():
            return _table(block)
        case tables.Paragraph(text) | tables.Nothing(text):
            return [text]
        case tables.Subheading(line):
            return [f"### {_line(line)}"]
        case tables.Bullets(items):
            return [f"- {_line(item)}" for item in items]


def render_markdown(summary: Summary) -> str:
    lines = [f"# {labels.TITLE}", ""]
    lines += [f"- {name}: {_cell(value)}" for name, value in tables.meta(summary)]
    for section in tables.sections(summary):
        lines += ["", f"## {section.title}"]
        for block in section.blocks:
            lines += ["", *_block(block)]
    return "\n".join(lines) + "\n"
