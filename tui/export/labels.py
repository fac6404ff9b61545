"""Words and numbers as the human-readable exports (markdown, HTML) print them.

Plain strings, not yet escaped: each renderer escapes for its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from tui.export.summary import FeedProblem, Summary

TITLE = "sitmon shift summary"
LEDGER_NOTE = (
    "Figures are as each claimant states them. Different claimants' figures stand "
    "side by side and are never added together."
)
NONE_IN_WINDOW = "None in this window."


def when(dt: datetime | None) -> str:
    """``2026-02-27 06:10Z``: minutes are enough for a shift, and the date for midnight."""
    if dt is None:
        return "never"
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def words(token: str) -> str:
    """``posts_destroyed`` → ``posts destroyed``."""
    return token.replace("_", " ")


def high(value: int | None) -> str:
    return "open-ended" if value is None else str(value)


def civilian(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def figure(low: int, hi: int | None) -> str:
    if hi is None:
        return f"{low}+"
    return str(low) if hi == low else f"{low}–{hi}"


def scope(summary: Summary) -> str:
    if summary.include_all:
        return "every stored item in the window"
    return "items about the conflict, and items the analyst flagged"


def filters(summary: Summary) -> str:
    return "; ".join(f"{name} = {value}" for name, value in summary.filters)


def problem_when(p: FeedProblem) -> str:
    return f"now (last tried {when(p.at)})" if p.current else when(p.at)


def status(value: int | None) -> str:
    return "no response" if value is None else str(value)


def is_web_link(url: str) -> bool:
    """Only absolute http(s) links with a host become links; anything else stays text."""
    if not url or url != url.strip() or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link(url: str, esc: Callable[[str], str], web_link: Callable[[str], str]) -> str:
    """A feed's link: ``web_link(url)`` only if ``is_web_link``; otherwise why it is not one.

    ``esc`` escapes the url where it is shown as text.
    """
    if is_web_link(url):
        return web_link(url)
    if not url:
        return "(no link)"
    return f"{esc(url)} (not http/https, not linked)"
