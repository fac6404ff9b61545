"""The shift summary as one JSON document (``schema_version`` 1) for other tools.

Times are ISO 8601 in UTC. Each entry of ``items`` is the item, the analysis
exactly as ``sitmon analyse`` prints it (``Analysis.to_dict``), and the analyst's
flag and note. The ledger refers to items by ``item_id``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from tui.export.summary import ClaimEntry, ClaimGroup, Source, Summary
from tui.model import to_iso

SCHEMA_VERSION = 1


def _item(source: Source) -> dict[str, Any]:
    s = source.stored
    return {
        "id": s.item.id,
        "feed": s.item.feed,
        "title": s.item.title,
        "summary": s.item.summary,
        "link": s.item.link,
        "published": to_iso(s.item.published),
        "first_seen": to_iso(s.item.first_seen),
        **s.analysis.to_dict(),
        "flagged": s.flagged,
        "note": s.note,
    }


def _claim(entry: ClaimEntry) -> dict[str, Any]:
    item = entry.source.stored.item
    return {
        "item_id": item.id,
        "feed": item.feed,
        "published": to_iso(item.published),
        **entry.claim.to_dict(),
    }


def _group(group: ClaimGroup) -> dict[str, Any]:
    return {
        "outcome": group.outcome,
        "victim_side": group.victim_side,
        "civilian": group.civilian,
        "claims": [_claim(e) for e in group.claims],
    }


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": to_iso(summary.generated_at),
        "window": {
            "since": to_iso(summary.window.since),
            "until": to_iso(summary.window.until),
        },
        "scope": {
            "include_all": summary.include_all,
            "filter": dict(summary.filters),
        },
        "headline": asdict(summary.headline),
        "ledger": {
            "incidents": [_group(inc) for inc in summary.incidents],
            "changes": [
                {"claimant_side": ch.claimant_side, **_group(ch)} for ch in summary.changes
            ],
        },
        "feed_problems": [
            {
                "feed": p.feed,
                "at": to_iso(p.at),
                "status": p.status,
                "error": p.error,
                "current": p.current,
            }
            for p in summary.feed_problems
        ],
        "items": [_item(s) for s in summary.sources],
    }


def render_json(summary: Summary) -> str:
    return json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2) + "\n"
