"""The shift summary as Markdown (GitHub-flavoured tables), readable as plain text too.

Every piece of feed or analyst text goes through ``md_text``: one line, without
control or escape sequences, with the
characters that could start markup (links, emphasis, code, HTML, table cells)
backslash-escaped. Links are http(s) only, percent-encoded inside ``<…>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from tui.export import labels
from tui.export.summary import ClaimEntry, Source, Summary
from tui.text import strip_controls

_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~&{}$])")
# What may stay unencoded inside an autolink: no spaces, <, >, |, backslash or backtick.
_URL_SAFE = "%:/?#[]@!$&'*+,;=-._~"


def md_text(text: str) -> str:
    """Untrusted text as inert Markdown: one line, no controls, markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(strip_controls(text).split()))


def md_link(url: str) -> str:
    if labels.is_web_link(url):
        return "<" + quote(url, safe=_URL_SAFE) + ">"
    if not url:
        return "(no link)"
    return f"{md_text(url)} (not http/https, not linked)"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: int = 0) -> list[str]:
    """A GFM table; the last ``right`` columns (counts) are right-aligned."""
    left = len(headers) - right
    rule = ["---"] * left + ["--:"] * right
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines


def _src(source: Source) -> str:
    return f"{source.ref} {md_text(source.stored.item.feed)}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(md_text(n) for n in names) or "—"


def _section(title: str, body: list[str]) -> list[str]:
    return ["", f"## {title}", "", *(body or [labels.NONE_IN_WINDOW])]


def _claim_row(e: ClaimEntry) -> list[str]:
    c = e.claim
    return [
        md_text(c.claimant) or "(unnamed)",
        md_text(c.claimant_side),
        md_text(labels.words(c.outcome)),
        str(c.low),
        labels.high(c.high),
        md_text(c.victims),
        labels.civilian(c.civilian),
        labels.when(e.source.stored.item.published),
        _src(e.source),
        md_text(c.evidence),
    ]


def _ledger(summary: Summary) -> list[str]:
    if not summary.incidents:
        return []
    out = [labels.LEDGER_NOTE]
    headers = ["Claimant", "Side", "Outcome", "Low", "High", "Victims", "Civilian",
               "When (UTC)", "Source", "Evidence"]
    for inc in summary.incidents:
        out += ["", f"### {labels.incident_title(inc, md_text)}", ""]
        out += _table(headers, [_claim_row(e) for e in inc.claims])
    out += ["", "### Figures that changed during the shift", ""]
    if not summary.changes:
        out.append("No claimant changed a figure in this window.")
    for ch in summary.changes:
        steps = " → ".join(
            f"{labels.figure(e.claim.low, e.claim.high)} "
            f"({e.source.ref}, {labels.when(e.source.stored.item.published)})"
            for e in ch.claims
        )
        out.append(f"- {labels.change_title(ch, md_text)}: {steps}")
    return out


def render_markdown(summary: Summary) -> str:
    w = summary.window
    lines = [
        f"# {labels.TITLE}",
        "",
        f"- Window: {labels.when(w.since)} to {labels.when(w.until)} (UTC; the end is exclusive)",
        f"- Generated: {labels.when(summary.generated_at)}",
        f"- Scope: {labels.scope(summary)}",
    ]
    if summary.filters:
        lines.append(f"- Filter: {md_text(labels.filters(summary))}")

    lines += _section(
        "Headline",
        _table(["Figure", "Count"], [[k, str(v)] for k, v in labels.headline_rows(summary)], 1),
    )

    strikes = [
        [
            labels.when(e.source.stored.item.published),
            _names(e.strike.targets),
            md_text(e.strike.attacker_side),
            _names(e.strike.means),
            md_text(e.strike.evidence),
            _src(e.source),
        ]
        for e in summary.strikes
    ]
    lines += _section(
        "Strikes",
        _table(["When (UTC)", "Where", "By (as claimed)", "Means", "Evidence", "Source"], strikes)
        if strikes else [],
    )

    lines += _section("Casualty claims ledger", _ledger(summary))

    moves = [
        [
            labels.when(e.source.stored.item.published),
            _names(e.move.parties),
            md_text(labels.words(e.move.move)),
            md_text(e.move.evidence),
            _src(e.source),
        ]
        for e in summary.diplomacy
    ]
    lines += _section(
        "Diplomatic moves",
        _table(["When (UTC)", "Who", "What", "Evidence", "Source"], moves) if moves else [],
    )

    flagged = [
        [
            s.ref,
            labels.when(s.stored.item.published),
            md_text(s.stored.item.feed),
            md_text(s.stored.item.title),
            md_text(s.stored.note) or "(no note)",
        ]
        for s in summary.flagged
    ]
    lines += _section(
        "Flagged items",
        _table(["Ref", "When (UTC)", "Outlet", "Title", "Analyst's note"], flagged)
        if flagged else [],
    )

    problems = [
        [
            labels.problem_when(p),
            md_text(p.feed),
            labels.status(p.status),
            md_text(p.error),
        ]
        for p in summary.feed_problems
    ]
    lines += _section(
        "Feed problems",
        _table(["When (UTC)", "Feed", "Status", "Error"], problems) if problems else [],
    )

    sources = [
        [
            s.ref,
            labels.when(s.stored.item.published),
            md_text(s.stored.item.feed),
            md_text(s.stored.item.title),
            md_link(s.stored.item.link),
        ]
        for s in summary.sources
    ]
    lines += _section(
        "Sources",
        _table(["Ref", "When (UTC)", "Outlet", "Title", "Link"], sources) if sources else [],
    )
    return "\n".join(lines) + "\n"
