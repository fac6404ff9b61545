"""Reading the export window's ends: a duration ago (90m, 8h, 2d, 1d12h) or an ISO time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tui.errors import UserError

_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_DURATION = re.compile(r"(?:\d+[wdhm])+")
_PART = re.compile(r"(\d+)([wdhm])")

WHEN_HELP = (
    "a duration ago (90m, 8h, 2d, 1d12h) or an ISO time "
    "(2026-02-27T06:00; UTC unless it carries an offset)"
)


def parse_when(text: str, now: datetime) -> datetime:
    """``now`` minus a duration, or an ISO 8601 time; the result is aware UTC.

    A time without an offset is UTC. Anything else raises a one-line UserError.
    """
    s = text.strip()
    compact = s.replace(" ", "").lower()
    if _DURATION.fullmatch(compact):
        try:
            delta = timedelta()
            for amount, unit in _PART.findall(compact):
                delta += timedelta(**{_UNITS[unit]: int(amount)})
            return (now - delta).astimezone(UTC)
        except (OverflowError, ValueError):
            raise UserError(f"time {text!r} is too far back") from None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise UserError(f"cannot read time {text!r}: use {WHEN_HELP}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
