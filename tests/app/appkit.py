"""Test helpers for the app: hand-built items and analyses, a fixed clock, app factory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from textual.pilot import Pilot

from tui.app.app import SitmonApp, create_app
from tui.model import Analysis, Claim, DiplomaticMove, EntityHit, Item, Strike
from tui.store import Store

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=2)
PKT = timezone(timedelta(hours=5), "PKT")

# entity id -> (display name, side, kind)
ENTITIES: dict[str, tuple[str, str, str]] = {
    "pakistan": ("Pakistan", "pakistan", "country"),
    "afghanistan": ("Afghanistan", "afghanistan", "country"),
    "taliban": ("Taliban", "afghanistan", "armed_group"),
    "kabul": ("Kabul", "afghanistan", "place"),
    "kandahar": ("Kandahar", "afghanistan", "place"),
    "zaidi": ("Mosharraf Zaidi", "pakistan", "person"),
    "mujahid": ("Zabihullah Mujahid", "afghanistan", "person"),
    "qatar": ("Qatar", "other", "country"),
}


def fixed_clock() -> datetime:
    return NOW


def hits(text: str) -> tuple[EntityHit, ...]:
    """Every known entity whose name occurs in ``text``, with real spans."""
    found = []
    for eid, (name, side, kind) in ENTITIES.items():
        spans = []
        start = text.find(name)
        while start != -1:
            spans.append((start, start + len(name)))
            start = text.find(name, start + 1)
        if spans:
            found.append(EntityHit(eid, name, side, kind, tuple(spans)))
    return tuple(found)


def make_item(
    n: int | str,
    title: str,
    *,
    summary: str = "",
    feed: str = "Dawn",
    minutes: int = 0,
    link: str | None = None,
) -> Item:
    when = T0 + timedelta(minutes=minutes)
    return Item(
        id=f"id-{n}",
        feed=feed,
        title=title,
        summary=summary,
        link=link if link is not None else f"https://example.org/{n}",
        published=when,
        first_seen=when,
    )


def analyse_as(
    item: Item,
    categories: Sequence[str] = (),
    *,
    relevant: bool = True,
    claims: Sequence[Claim] = (),
    strikes: Sequence[Strike] = (),
    moves: Sequence[DiplomaticMove] = (),
) -> Analysis:
    return Analysis(
        relevant=relevant,
        categories=tuple(categories),
        entities=hits(item.text),
        claims=tuple(claims),
        strikes=tuple(strikes),
        diplomacy=tuple(moves),
    )


def claim(
    item: Item,
    evidence: str,
    low: int,
    victims: str,
    victim_side: str,
    claimant: str,
    claimant_side: str,
    outcome: str = "killed",
    high: int | None = -1,
) -> Claim:
    start = item.text.find(evidence)
    span = (start, start + len(evidence)) if start >= 0 else (0, 0)
    return Claim(
        outcome=outcome,
        low=low,
        high=low if high == -1 else high,
        victims=victims,
        victim_side=victim_side,
        civilian=False,
        claimant=claimant,
        claimant_side=claimant_side,
        evidence=evidence,
        span=span,
    )


def standard_batch() -> list[tuple[Item, Analysis]]:
    """A small, fixed picture of one day: strikes, opposing claims, diplomacy, noise."""
    batch: list[tuple[Item, Analysis]] = []

    strike = make_item(
        "strike1",
        "Pakistan strikes Taliban posts in Kabul and Kandahar",
        summary="Security sources said jets hit Taliban offices in Kabul overnight.",
        feed="Reuters",
        minutes=10,
    )
    batch.append(
        (
            strike,
            analyse_as(
                strike,
                ["strike"],
                strikes=[Strike("pakistan", ("Kabul", "Kandahar"), ("air strike",), "jets hit")],
            ),
        )
    )

    zaidi_early = make_item(
        "zaidi1",
        "Pakistan says 100 Taliban fighters killed near Kabul",
        summary="Mosharraf Zaidi said 100 Afghan Taliban fighters were killed.",
        feed="Dawn",
        minutes=20,
    )
    batch.append(
        (
            zaidi_early,
            analyse_as(
                zaidi_early,
                ["casualty"],
                claims=[
                    claim(zaidi_early, "100 Afghan Taliban fighters were killed", 100,
                          "Afghan Taliban fighters", "afghanistan", "Mosharraf Zaidi", "pakistan")
                ],
            ),
        )
    )

    zaidi = make_item(
        "zaidi2",
        "Zaidi: 133 Afghan Taliban fighters killed in Kabul, Kandahar",
        summary="Mosharraf Zaidi said 133 Afghan Taliban fighters were killed and "
        "more than 200 wounded.",
        feed="Reuters",
        minutes=60,
    )
    batch.append(
        (
            zaidi,
            analyse_as(
                zaidi,
                ["strike", "casualty"],
                claims=[
                    claim(zaidi, "133 Afghan Taliban fighters were killed", 133,
                          "Afghan Taliban fighters", "afghanistan", "Mosharraf Zaidi", "pakistan"),
                    claim(zaidi, "more than 200 wounded", 200, "Afghan Taliban fighters",
                          "afghanistan", "Mosharraf Zaidi", "pakistan", outcome="wounded",
                          high=None),
                ],
            ),
        )
    )

    mujahid = make_item(
        "mujahid1",
        "Taliban say 55 Pakistani soldiers killed after Kabul strikes",
        summary="Zabihullah Mujahid said 55 Pakistani soldiers were killed.",
        feed="Tolo News",
        minutes=70,
    )
    batch.append(
        (
            mujahid,
            analyse_as(
                mujahid,
                ["casualty"],
                claims=[
                    claim(mujahid, "55 Pakistani soldiers were killed", 55,
                          "Pakistani soldiers", "pakistan", "Zabihullah Mujahid", "afghanistan")
                ],
            ),
        )
    )

    talks = make_item(
        "talks1",
        "Qatar offers to mediate between Pakistan and Afghanistan",
        summary="Qatar said it was ready to host talks.",
        feed="Al Jazeera",
        minutes=80,
    )
    batch.append(
        (
            talks,
            analyse_as(
                talks,
                ["diplomacy"],
                moves=[DiplomaticMove("mediation_offer", ("Qatar", "Pakistan", "Afghanistan"),
                                      "offers to mediate")],
            ),
        )
    )

    for n in range(6):
        other = make_item(
            f"stream{n}",
            f"Border crossing at Torkham stays shut, Pakistan and Afghanistan trade blame ({n})",
            feed="BBC Urdu" if n % 2 else "Dawn",
            minutes=30 + n,
        )
        batch.append((other, analyse_as(other, [])))

    noise = make_item("noise1", "Pakistan beat Sri Lanka in the second ODI", feed="Dawn",
                      minutes=90)
    batch.append((noise, Analysis(relevant=False)))
    return batch


def seed(store: Store, batch: Sequence[tuple[Item, Analysis]] | None = None) -> None:
    store.add_batch(list(standard_batch() if batch is None else batch))


def app_for(store: Store, **kwargs: Any) -> SitmonApp:
    """The app with a fixed clock and zone and no polling unless asked."""
    kwargs.setdefault("clock", fixed_clock)
    kwargs.setdefault("tz", PKT)
    kwargs.setdefault("poll", False)
    return create_app(store, **kwargs)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker is done, every message they posted is handled, and
    new items are in the panels (applied once no key was pressed for a moment)."""
    app = pilot.app
    for _ in range(10):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause()
    main = getattr(app, "_main", None)
    for _ in range(100):  # at most APPLY_HOLD (2 s) and a few refreshes
        if main is None or not main.applying:
            break
        await pilot.pause(0.05)
    await pilot.pause()


def screen_text(app: SitmonApp) -> str:
    """Everything the screen currently shows, as plain text."""
    strips = app.screen._compositor.render_strips()  # test-only peek at the composed screen
    return "\n".join(strip.text for strip in strips)
