"""The shift summary as one self-contained, printable HTML file.

Inline CSS, no scripts, no external assets (a Content-Security-Policy says so to
the browser as well). All feed and analyst text is ``html.escape``d with quotes;
only http(s) links get an ``href``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from tui.export import labels
from tui.export.summary import ClaimEntry, Source, Summary
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


def _link(url: str) -> str:
    if labels.is_web_link(url):
        u = html.escape(url, quote=True)
        return f'<a href="{u}" rel="noopener noreferrer nofollow">{u}</a>'
    if not url:
        return "(no link)"
    return f"{esc(url)} (not http/https, not linked)"


def _src(source: Source) -> str:
    return f'<a href="#{source.ref}">{source.ref}</a> {esc(source.stored.item.feed)}'


def _names(names: Sequence[str]) -> str:
    return ", ".join(esc(n) for n in names) or "—"


# A cell is already-escaped HTML, or (css class, already-escaped HTML).
Cell = str | tuple[str, str]


def _cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        cls, content = cell
        return f'<td class="{cls}">{content}</td>'
    return f"<td>{cell}</td>"


def _num(value: object) -> Cell:
    return ("num", str(value))


def _when(text: str) -> Cell:
    return ("when", text)


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], ids: Sequence[str] = ()
) -> list[str]:
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr></thead>",
           "<tbody>"]
    for n, cells in enumerate(rows):
        row_id = f' id="{ids[n]}"' if ids else ""
        out.append(f"<tr{row_id}>" + "".join(_cell(c) for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _section(title: str, body: list[str]) -> list[str]:
    return [f"<h2>{title}</h2>", *(body or [f'<p class="none">{labels.NONE_IN_WINDOW}</p>'])]


def _claim_row(e: ClaimEntry) -> list[Cell]:
    c = e.claim
    return [
        esc(c.claimant) or "(unnamed)",
        esc(c.claimant_side),
        esc(labels.words(c.outcome)),
        _num(c.low),
        _num(labels.high(c.high)),
        esc(c.victims),
        labels.civilian(c.civilian),
        _when(labels.when(e.source.stored.item.published)),
        _src(e.source),
        esc(c.evidence),
    ]


def _ledger(summary: Summary) -> list[str]:
    if not summary.incidents:
        return []
    out = [f"<p>{labels.LEDGER_NOTE}</p>"]
    headers = ["Claimant", "Side", "Outcome", "Low", "High", "Victims", "Civilian",
               "When (UTC)", "Source", "Evidence"]
    for inc in summary.incidents:
        out.append(f"<h3>{labels.incident_title(inc, esc)}</h3>")
        out += _table(headers, [_claim_row(e) for e in inc.claims])
    out.append("<h3>Figures that changed during the shift</h3>")
    if not summary.changes:
        out.append('<p class="none">No claimant changed a figure in this window.</p>')
        return out
    out.append("<ul>")
    for ch in summary.changes:
        steps = " → ".join(
            f"{labels.figure(e.claim.low, e.claim.high)} "
            f"({_src_ref(e.source)}, {labels.when(e.source.stored.item.published)})"
            for e in ch.claims
        )
        out.append(f"<li>{labels.change_title(ch, esc)}: {steps}</li>")
    out.append("</ul>")
    return out


def _src_ref(source: Source) -> str:
    return f'<a href="#{source.ref}">{source.ref}</a>'


def render_html(summary: Summary) -> str:
    w = summary.window
    meta = [
        ("Window", f"{labels.when(w.since)} to {labels.when(w.until)} "
                   "(UTC; the end is exclusive)"),
        ("Generated", labels.when(summary.generated_at)),
        ("Scope", labels.scope(summary)),
    ]
    if summary.filters:
        meta.append(("Filter", esc(labels.filters(summary))))
    body = [
        f"<h1>{labels.TITLE}</h1>",
        '<dl class="meta">',
        *(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta),
        "</dl>",
    ]

    body += _section(
        "Headline",
        _table(["Figure", "Count"], [[k, _num(v)] for k, v in labels.headline_rows(summary)]),
    )

    strikes = [
        [
            _when(labels.when(e.source.stored.item.published)),
            _names(e.strike.targets),
            esc(e.strike.attacker_side),
            _names(e.strike.means),
            esc(e.strike.evidence),
            _src(e.source),
        ]
        for e in summary.strikes
    ]
    body += _section(
        "Strikes",
        _table(["When (UTC)", "Where", "By (as claimed)", "Means", "Evidence", "Source"], strikes)
        if strikes else [],
    )

    body += _section("Casualty claims ledger", _ledger(summary))

    moves = [
        [
            _when(labels.when(e.source.stored.item.published)),
            _names(e.move.parties),
            esc(labels.words(e.move.move)),
            esc(e.move.evidence),
            _src(e.source),
        ]
        for e in summary.diplomacy
    ]
    body += _section(
        "Diplomatic moves",
        _table(["When (UTC)", "Who", "What", "Evidence", "Source"], moves) if moves else [],
    )

    flagged = [
        [
            _src_ref(s),
            _when(labels.when(s.stored.item.published)),
            esc(s.stored.item.feed),
            esc(s.stored.item.title),
            ("note", esc_lines(s.stored.note) or "(no note)"),
        ]
        for s in summary.flagged
    ]
    body += _section(
        "Flagged items",
        _table(["Ref", "When (UTC)", "Outlet", "Title", "Analyst’s note"], flagged)
        if flagged else [],
    )

    problems = [
        [
            _when(labels.problem_when(p)),
            esc(p.feed),
            labels.status(p.status),
            esc(p.error),
        ]
        for p in summary.feed_problems
    ]
    body += _section(
        "Feed problems",
        _table(["When (UTC)", "Feed", "Status", "Error"], problems) if problems else [],
    )

    sources = [
        [
            s.ref,
            _when(labels.when(s.stored.item.published)),
            esc(s.stored.item.feed),
            esc(s.stored.item.title),
            _link(s.stored.item.link),
        ]
        for s in summary.sources
    ]
    body += _section(
        "Sources",
        _table(["Ref", "When (UTC)", "Outlet", "Title", "Link"], sources,
               ids=[s.ref for s in summary.sources])
        if sources else [],
    )

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
