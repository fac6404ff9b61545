"""``sitmon export`` and the API the app's export key calls: summary → format → file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tui.errors import UserError
from tui.export.atomic import write_atomic
from tui.export.htmldoc import render_html
from tui.export.jsondoc import render_json
from tui.export.markdown import render_markdown
from tui.export.summary import Summary, build_summary
from tui.export.window import parse_when
from tui.model import utc_now
from tui.store import ItemQuery, Store, existing_db_path

FORMATS: dict[str, tuple[str, Callable[[Summary], str]]] = {
    "markdown": ("md", render_markdown),
    "json": ("json", render_json),
    "html": ("html", render_html),
}
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".json": "json",
             ".html": "html", ".htm": "html"}


def _is_stdout(path: Path | str | None) -> bool:
    return path is None or str(path) == "-"


def format_for(fmt: str | None, output: Path | str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else markdown."""
    if fmt:
        if fmt not in FORMATS:
            raise UserError(f"unknown export format {fmt!r}; use markdown, json or html")
        return fmt
    if not _is_stdout(output):
        return _SUFFIXES.get(Path(str(output)).suffix.lower(), "markdown")
    return "markdown"


def default_output(fmt: str, now: datetime, directory: Path | None = None) -> Path:
    """``sitmon-shift-20260227T140000Z.md`` in ``directory`` (default: the current one)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return (directory or Path.cwd()) / f"sitmon-shift-{stamp}.{FORMATS[fmt][0]}"


def export_summary(
    store: Store,
    since: datetime,
    until: datetime,
    fmt: str,
    path: Path | str | None,
    *,
    include_all: bool = False,
    query: ItemQuery | None = None,
    now: datetime,
) -> Path | None:
    """Summarise the window and write it as ``fmt`` to ``path`` (None or '-': stdout).

    The file is replaced atomically: if anything fails, an existing file is untouched.
    Returns the path written, or None for stdout. Raises UserError on a bad window,
    format or path.
    """
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use markdown, json or html")
    if since >= until:
        raise UserError(
            f"empty export window: since {since.isoformat()} is not before "
            f"until {until.isoformat()}"
        )
    summary = build_summary(store, since, until, include_all=include_all, query=query, now=now)
    text = FORMATS[fmt][1](summary)
    if _is_stdout(path):
        _write_stdout(text)
        return None
    target = Path(str(path))
    write_atomic(target, text.encode("utf-8"))
    return target


def _write_stdout(text: str) -> None:
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(text)
    else:  # UTF-8 whatever the locale says, as the files are
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def cmd_export(args: argparse.Namespace) -> int:
    db = existing_db_path(getattr(args, "db", None), bool(getattr(args, "demo", False)))
    now = utc_now()
    since = _when("--since", args.since or "8h", now)
    until = _when("--until", args.until, now) if args.until else now
    output: str | None = args.output
    fmt = format_for(args.format, output)
    if output is None:
        output = str(default_output(fmt, now))
    with Store(db) as store:
        written = export_summary(
            store, since, until, fmt, output, include_all=bool(args.all), now=now
        )
    if written is not None:
        print(written)
    return 0


def _when(option: str, text: str, now: datetime) -> datetime:
    try:
        return parse_when(text, now)
    except UserError as exc:
        raise UserError(f"{option}: {exc}") from None
