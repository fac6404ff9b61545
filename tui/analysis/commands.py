"""`sitmon analyse`: JSON lines in, JSON lines out."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from tui.analysis import analyse
from tui.model import Item, from_iso
from tui.seeds import SeedPack, load_pack
from tui.text import MAX_TITLE, clean_text

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _published(value: Any) -> datetime:
    if isinstance(value, str) and value:
        try:
            return from_iso(value) or _EPOCH
        except ValueError:
            return _EPOCH
    return _EPOCH


def item_from_json(record: Any) -> Item:
    """An ``Item`` from one input record; raise ValueError naming what is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    ident = record.get("id")
    if ident is None or isinstance(ident, bool | dict | list) or str(ident) == "":
        raise ValueError("missing 'id'")
    for key in ("title", "summary", "link"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{key}' must be a string")
    published = _published(record.get("published"))
    return Item(
        id=str(ident),
        feed=str(record.get("feed") or ""),
        title=clean_text(record.get("title"), MAX_TITLE),
        summary=clean_text(record.get("summary")),
        link=str(record.get("link") or ""),
        published=published,
        first_seen=published,
    )


def analyse_stream(source: TextIO, sink: TextIO, errors: TextIO, pack: SeedPack) -> int:
    """Analyse every JSON line of ``source``; return how many lines were bad."""
    bad = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            item = item_from_json(record)
        except (ValueError, RecursionError) as exc:
            bad += 1
            message = " ".join(str(exc).split())[:200]
            print(f"sitmon: analyse: line {number}: {message}", file=errors)
            continue
        out = {"id": record["id"], **analyse(item, pack).to_dict()}
        sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    return bad


def cmd_analyse(args: argparse.Namespace) -> int:
    pack = load_pack(getattr(args, "pack", None))
    analyse_stream(sys.stdin, sys.stdout, sys.stderr, pack)
    sys.stdout.flush()
    return 0
