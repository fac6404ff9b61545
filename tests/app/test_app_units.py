"""Pure pieces of the app: filter parsing, alert limiting, ledger grouping, safe text."""

from __future__ import annotations

from dataclasses import replace

from appkit import analyse_as, make_item, standard_batch

from tui.app.screens.ledger import build_ledger
from tui.app.widgets.alerts import AlertLimiter
from tui.app.widgets.filter_bar import parse_filter
from tui.app.widgets.safe import display_str, safe_text
from tui.model import StoredItem


def test_parse_filter_prefixes_and_quotes() -> None:
    f = parse_filter('kabul entity:Zaidi feed:"tolo news" cat:claims',
                     entities={"zaidi": "zaidi"}, feeds=["Tolo News"])
    assert (f.text, f.entity, f.feed, f.category) == ("kabul", "zaidi", "Tolo News", "casualty")
    assert parse_filter("cat:weather").error
    assert not parse_filter("").active


def test_alert_limiter_holds_a_burst_back() -> None:
    now = [0.0]
    limiter = AlertLimiter(lambda: now[0], limit=3, window=10.0)
    shown = [limiter.offer() for _ in range(10)]
    assert shown.count(True) == 3
    assert limiter.take_overflow() == 7
    now[0] = 10.5
    assert limiter.offer()


def test_display_str_keeps_offsets_and_defangs_escapes() -> None:
    raw = "a\x1b[31mb\u202ec\nd"
    shown = display_str(raw)
    assert len(shown) == len(raw)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert safe_text("[bold]x[/]").plain == "[bold]x[/]"
    assert "\n" in display_str("a\nb", newlines=True)


def test_ledger_never_sums_and_keeps_earlier_figures() -> None:
    items = [StoredItem(i, a) for i, a in standard_batch()]
    incidents = build_ledger(items)
    assert len(incidents) == 1
    zaidi = [t for t in incidents[0].threads if t.claimant == "Mosharraf Zaidi"
             and t.outcome == "killed"]
    assert [e.claim.low for e in zaidi[0].entries] == [133, 100]
    assert incidents[0].sides == ("pakistan", "afghanistan")


def test_ledger_splits_days_and_places() -> None:
    base = [StoredItem(i, a) for i, a in standard_batch()]
    later = make_item("nextday", "Mujahid: 3 killed in Kandahar", minutes=60 * 24)
    analysis = analyse_as(later, ["casualty"], claims=base[3].analysis.claims)
    incidents = build_ledger([*base, StoredItem(later, analysis)])
    assert len(incidents) == 2
    assert incidents[0].day > incidents[1].day
    # Same day, no shared place, but the claims involve the same sides: one incident.
    moved = replace(base[3].item, title="Mujahid: 55 killed", summary="")
    unplaced = StoredItem(moved, replace(base[3].analysis, entities=()))
    assert len(build_ledger([base[2], unplaced])) == 1
    # Nothing to go on (no place, sides unknown): the item stands alone.
    vague = replace(base[3].analysis.claims[0], claimant_side="unknown", victim_side="unknown")
    alone = StoredItem(moved, replace(base[3].analysis, entities=(), claims=(vague,)))
    assert len(build_ledger([base[2], alone])) == 2
