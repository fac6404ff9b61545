"""feeds.toml → ``FeedConfig``.

The file is a list of ``[[feed]]`` tables::

    [[feed]]
    name = "Dawn"                        # unique, shown everywhere
    url = "https://www.dawn.com/feeds/home"
    interval = 300                       # seconds between polls, at least 60
    tags = ["pakistan", "english"]       # optional
    kind = "newspaper"                   # one of model.FEED_KINDS

Every problem is reported as one line naming the file, the feed and the field,
e.g. ``feeds.toml: feed 'Dawn': interval: must be at least 60 seconds, got 10``.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui.errors import UserError
from tui.model import FEED_KINDS, FeedConfig

MIN_INTERVAL = 60
MAX_INTERVAL = 7 * 24 * 3600
FEED_KEYS = ("name", "url", "interval", "tags", "kind")
DEFAULT_FEEDS_FILE = Path("feeds.toml")
_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(FeedConfig)}


def bundled_feeds_path() -> Path:
    """The feeds file shipped inside the package (a copy of the repository's feeds.toml)."""
    return Path(__file__).parent / "data" / "feeds.toml"


def resolve_feeds_path(arg: Path | None) -> Path:
    """Which feeds file to use: the option (the CLI has merged $SITMON_FEEDS into it),
    else ./feeds.toml, else the bundled list."""
    if arg is not None:
        return arg
    if DEFAULT_FEEDS_FILE.is_file():
        return DEFAULT_FEEDS_FILE
    return bundled_feeds_path()


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be polled, or None. Only absolute http(s) URLs with a host pass."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must be an http or https URL, got {url!r}"
    if not parts.hostname:
        return f"has no host: {url!r}"
    return None


def _label(index: int, entry: Any) -> str:
    if isinstance(entry, dict):
        name = entry.get("name")
        if isinstance(name, str) and name.strip():
            return f"feed {name.strip()!r}"
    return f"feed #{index + 1}"


def _check_entry(index: int, entry: Any) -> tuple[FeedConfig | None, list[str]]:
    """One [[feed]] table → (config or None, problems without the file prefix)."""
    label = _label(index, entry)
    if not isinstance(entry, dict):
        return None, [f"{label}: must be a table ([[feed]]), got {type(entry).__name__}"]
    problems: list[str] = []
    for key in entry:
        if key not in FEED_KEYS:
            problems.append(
                f"{label}: {key}: unknown key (expected one of: {', '.join(FEED_KEYS)})"
            )

    name = entry.get("name")
    if name is None:
        problems.append(f"{label}: name: missing")
    elif not isinstance(name, str) or not name.strip():
        problems.append(f"{label}: name: must be a non-empty string")
    elif name != name.strip() or any(not c.isprintable() for c in name):
        problems.append(f"{label}: name: must be printable, without surrounding spaces")

    url = entry.get("url")
    if url is None:
        problems.append(f"{label}: url: missing")
    elif not isinstance(url, str):
        problems.append(f"{label}: url: must be a string")
    else:
        why = url_problem(url)
        if why:
            problems.append(f"{label}: url: {why}")

    interval = entry.get("interval", _DEFAULTS["interval"])
    if isinstance(interval, bool) or not isinstance(interval, int):
        problems.append(f"{label}: interval: must be a whole number of seconds, got {interval!r}")
    elif interval < MIN_INTERVAL:
        problems.append(
            f"{label}: interval: must be at least {MIN_INTERVAL} seconds, got {interval}"
        )
    elif interval > MAX_INTERVAL:
        problems.append(
            f"{label}: interval: must be at most {MAX_INTERVAL} seconds (a week), got {interval}"
        )

    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        problems.append(f"{label}: tags: must be a list of non-empty strings")

    kind = entry.get("kind", _DEFAULTS["kind"])
    if kind not in FEED_KINDS:
        problems.append(f"{label}: kind: must be one of {', '.join(FEED_KINDS)}, got {kind!r}")

    if problems:
        return None, problems
    return (
        FeedConfig(
            name=str(name), url=str(url), interval=int(interval), tags=tuple(tags), kind=str(kind)
        ),
        [],
    )


def check_feeds_text(text: str, source: str) -> tuple[list[FeedConfig], list[str]]:
    """Parse feeds.toml text: (the valid feeds, every problem as one line prefixed by source)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [f"{source}: invalid TOML: {exc}"]
    problems: list[str] = []
    for key in data:
        if key != "feed":
            problems.append(f"{source}: {key}: unknown top-level key (feeds are [[feed]] tables)")
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        return [], [*problems, f"{source}: feed: must be an array of tables ([[feed]])"]
    if not entries and not problems:
        problems.append(f"{source}: no feeds: add at least one [[feed]] table")

    feeds: list[FeedConfig] = []
    names: dict[str, int] = {}
    urls: dict[str, str] = {}
    for index, entry in enumerate(entries):
        config, entry_problems = _check_entry(index, entry)
        problems.extend(f"{source}: {p}" for p in entry_problems)
        if config is None:
            continue
        label = f"feed {config.name!r}"
        if config.name.casefold() in names:
            problems.append(
                f"{source}: {label}: name: duplicate (also feed #{names[config.name.casefold()]})"
            )
            continue
        if config.url in urls:
            problems.append(
                f"{source}: {label}: url: duplicate (also feed {urls[config.url]!r})"
            )
            continue
        names[config.name.casefold()] = index + 1
        urls[config.url] = config.name
        feeds.append(config)
    return feeds, problems


def _read(path: Path) -> tuple[str | None, str | None]:
    try:
        return path.read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return None, f"{path}: not found"
    except UnicodeDecodeError as exc:
        return None, f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"


def validate_feeds(path: Path) -> list[str]:
    """Every problem with the feeds file, one line each; [] when it is fine."""
    text, error = _read(path)
    if text is None:
        return [error or f"{path}: cannot read"]
    return check_feeds_text(text, str(path))[1]


def load_feeds(path: Path) -> list[FeedConfig]:
    """The feeds of a feeds file. Raises ``UserError`` with the first problem."""
    text, error = _read(path)
    if text is None:
        raise UserError(error or f"{path}: cannot read")
    feeds, problems = check_feeds_text(text, str(path))
    if problems:
        more = f" (and {len(problems) - 1} more; run `sitmon check`)" if len(problems) > 1 else ""
        raise UserError(problems[0] + more)
    return feeds
