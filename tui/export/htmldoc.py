"""The shift summary as one self-contained, printable HTML file.

Inline CSS, no scripts, no external assets (a Content-Security-Policy says so to
the browser as well). All feed and analyst text is ``html.escape``d with quotes;
only http(s) links get an ``href``. What the sections contain comes from ``tables``;
this module only writes it out.
"""

from __future__ import annotations

import html
from typing import assert_never

from tui.export import labels, tables
from tui.export.summary import Summary
from tui.export.tables import Block, Cell, Kind, Line
from tui.text import strip_controls

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_CSS = """
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111;
  background: #fff; margin: 2em auto; max-width: 80em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #999; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.when { white-space: nowrap; }
td.note { white-space: pre-wrap; }
p.none { color: #555; font-style: italic; }
a { color: #0645ad; }
@media print {
  body { margin: 0; max-width: none; font-size: 9pt; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; }
}
""".strip()


def esc(text: str) -> str:
    """Untrusted text as inert HTML: one line, no control characters, ``& < > " '`` escaped."""
    return html.escape(" ".join(strip_controls(text).split()), quote=True)


def esc_lines(text: str) -> str:
    """Like ``esc``, but keeps line breaks (for the analyst's notes)."""
    lines = (" ".join(strip_controls(line).split()) for line in text.strip().splitlines())
    return html.escape("\n".join(lines), quote=True)


def _anchor(url: str) -> str:
    u = html.escape(url, quote=True)
    return f'<a href="{u}" rel="noopener noreferrer nofollow">{u}</a>'


def _ref(ref: str) -> str:
    return f'<a href="#{ref}">{ref}</a>'


def _content(cell: Cell) -> str:
    match cell.kind:
        case Kind.LABEL | Kind.NUMBER | Kind.TIME:
            out = cell.text
        case Kind.TEXT:
            out = esc(cell.text)
        case Kind.NOTE:
            out = esc_lines(cell.text)
        case Kind.NAMES:
            out = ", ".join(esc(n) for n in cell.names)
        case Kind.LINK:
            out = labels.link(cell.text, esc, _anchor)
        case Kind.REF:
            out = _ref(cell.ref)
        case Kind.SOURCE:
            out = f"{_ref(cell.ref)} {esc(cell.text)}"
        case _:
            assert_never(cell.kind)
    return out or cell.fallback


_CLASS = {Kind.NUMBER: "num", Kind.TIME: "when", Kind.NOTE: "note"}


def _td(cell: Cell) -> str:
    cls = _CLASS.get(cell.kind)
    return f'<td class="{cls}">{_content(cell)}</td>' if cls else f"<td>{_content(cell)}</td>"


def _line(line: Line) -> str:
    return "".join(_content(c) for c in line)


def _th(header: str) -> str:
    # Headers are our own wording; in HTML their apostrophes are typographic (Analyst’s).
    return "<th>" + header.replace("'", "’") + "</th>"


def _table(table: tables.Table) -> list[str]:
    out = ["<table>", "<thead><tr>" + "".join(_th(h) for h in table.headers) + "</tr></thead>",
           "<tbody>"]
    for n, cells in enumerate(table.rows):
        row_id = f' id="{table.anchors[n]}"' if table.anchors else ""
        out.append(f"<tr{row_id}>" + "".join(_td(c) for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _block(block: Block) -> list[str]:
    match block:
        case tables.Table():
            return _table(block)
        case tables.Paragraph(text):
            return [f"<p>{text}</p>"]
        case tables.Nothing(text):
            return [f'<p class="none">{text}</p>']
        case tables.Subheading(line):
            return [f"<h3>{_line(line)}</h3>"]
        case tables.Bullets(items):
            return ["<ul>", *(f"<li>{_line(item)}</li>" for item in items), "</ul>"]


def render_html(summary: Summary) -> str:
    w = summary.window
    body = [
        f"<h1>{labels.TITLE}</h1>",
        '<dl class="meta">',
        *(f"<dt>{name}</dt><dd>{_content(value)}</dd>" for name, value in tables.meta(summary)),
        "</dl>",
    ]
    for section in tables.sections(summary):
        body.append(f"<h2>{section.title}</h2>")
        for block in section.blocks:
            body += _block(block)

    title = f"{labels.TITLE}, {labels.when(w.since)} to {labels.when(w.until)}"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"
