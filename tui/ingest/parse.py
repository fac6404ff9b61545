"""Feed bytes → cleaned ``Item``s, via feedparser.

CPU-bound and blocking: the poller runs ``parse_feed`` in an executor, never on
the event loop. feedparser always gets a file object (``io.BytesIO``): given a
bare ``str`` or ``bytes`` it may treat them as a path or URL and open them.

* A malformed document that still yields entries is accepted with a one-line
  warning; one that yields none is a failed poll (``error``) that deletes nothing.
* Item ids are stable across polls: sha256 of the feed URL and the entry's guid,
  else its link, else a hash of its title and summary. Entries that share a guid
  within one document are kept apart by a hash of their content.
* All text goes through ``tui.text.clean_text``; only http(s) links are kept.
* Dates become aware UTC; a missing or future date falls back to first seen.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from tui.model import FeedConfig, Item
from tui.text import MAX_SUMMARY, MAX_TITLE, cap, clean_text, one_line, strip_controls

MAX_ENTRIES = 1000  # per document; more is a broken or hostile feed
MAX_LINK = 2048
MAX_GUID = 1000
DATE_SKEW = timedelta(minutes=10)  # "future" means later than now + this
_LINK_CONTROLS = re.compile("[\x00-\x20\x7f-\x9f]")  # spaces, C0 and C1 controls, DEL


@dataclass(frozen=True, slots=True)
class ParseResult:
    items: tuple[Item, ...] = ()
    warning: str = ""  # one line: malformed but usable
    error: str = ""  # one line: nothing usable (the poll failed)


def _sha(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def safe_link(raw: Any) -> str:
    """An http(s) URL without controls or spaces, else ""."""
    if not isinstance(raw, str):
        return ""
    link = raw.strip()
    if not link or len(link) > MAX_LINK:
        return ""
    if _LINK_CONTROLS.search(link) is not None or strip_controls(link) != link:
        return ""
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return link


def _resolve_link(base: str, raw: Any) -> str:
    """The entry's link made absolute against the document's URL, if it is http(s)."""
    if not isinstance(raw, str):
        return ""
    try:
        return safe_link(urljoin(base, raw.strip()))
    except ValueError:
        return ""


def _entry_date(entry: Any, now: datetime, skew: timedelta) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps missing keys onto others, with a warning.
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                dt = datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
            if dt > now + skew:
                return None
            return dt
    return None


def _summary(entry: Any) -> str:
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        return summary
    content = entry.get("content")
    if isinstance(content, list):
        for part in content:
            value = part.get("value") if isinstance(part, dict) else None
            if isinstance(value, str) and value.strip():
                return value
    return ""


def _one_line(exc: Any) -> str:
    text = one_line(str(exc), 200) if exc is not None else ""
    return text or (type(exc).__name__ if exc is not None else "unknown problem")


def parse_feed(
    body: bytes,
    headers: Mapping[str, str],
    feed: FeedConfig,
    now: datetime,
    *,
    skew: timedelta = DATE_SKEW,
) -> ParseResult:
    """Parse one fetched document. ``now`` is the first-seen time of new items."""
    if not body.strip():
        return ParseResult(error="empty response")
    response_headers = {k.lower(): v for k, v in headers.items()}
    # No Content-Type at all is not worth a warning: read it as XML that declares its encoding.
    response_headers.setdefault("content-type", "application/xml")
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,  # clean_text makes plain text of everything
        # Nor are links inside HTML content resolved (an HTML parse of every description,
        # ~15% of the parse): the text keeps no links. Entry links are resolved below.
        resolve_relative_uris=False,
    )
    entries = list(parsed.get("entries") or [])[:MAX_ENTRIES]
    bozo = bool(parsed.get("bozo"))
    problem = _one_line(parsed.get("bozo_exception")) if bozo else ""

    if not entries:
        if bozo or not parsed.get("version"):
            ctype = str(headers.get("content-type", "")).split(";")[0].strip().lower()
            if ctype == "text/html" or body.lstrip()[:15].lower().startswith(
                (b"<!doctype html", b"<html")
            ):
                return ParseResult(error="not a feed: got an HTML page")
            return ParseResult(error=f"not a feed: {problem}" if problem else "not a feed")
        return ParseResult()  # a valid, empty feed

    base = str(headers.get("content-location", "")) or feed.url
    items: list[Item] = []
    used: set[str] = set()
    seen: set[tuple[str, str]] = set()
    dropped = 0
    for entry in entries:
        raw_title = entry.get("title") if isinstance(entry.get("title"), str) else ""
        raw_summary = _summary(entry)
        title = clean_text(raw_title, MAX_TITLE)
        summary = clean_text(raw_summary, MAX_SUMMARY)
        if not title:
            title = cap(summary, 160)
        if not title:
            dropped += 1
            continue
        link = _resolve_link(base, entry.get("link"))
        raw_guid = entry.get("id")
        guid = raw_guid.strip() if isinstance(raw_guid, str) else ""
        content_key = "content:" + _sha(raw_title, raw_summary)
        key = f"guid:{guid}" if guid else f"link:{link}" if link else content_key
        if (key, content_key) in seen:
            continue  # an exact repeat of an entry already read
        seen.add((key, content_key))
        item_id = _sha(feed.url, key)
        if item_id in used:
            # Same guid (or link) twice in one document: different content stays apart.
            item_id = _sha(feed.url, key, content_key)
        used.add(item_id)
        published = _entry_date(entry, now, skew) or now
        items.append(
            Item(
                id=item_id,
                feed=feed.name,
                title=title,
                summary=summary,
                link=link,
                published=published,
                first_seen=now,
                guid=one_line(guid, MAX_GUID),
                feed_url=feed.url,
            )
        )

    warnings: list[str] = []
    if problem:
        warnings.append(f"malformed feed, read anyway: {problem}")
    if dropped:
        warnings.append(f"{dropped} entries without title or text skipped")
    if len(parsed.get("entries") or []) > MAX_ENTRIES:
        warnings.append(f"only the first {MAX_ENTRIES} entries read")
    if not items:
        return ParseResult(error="; ".join(warnings) or "no usable entries")
    return ParseResult(items=tuple(items), warning=cap("; ".join(warnings), 300))
