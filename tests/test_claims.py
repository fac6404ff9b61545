"""Casualty claims: one per stated figure, with victims, sides and claimant.

Every sentence here is written for these tests in wire style.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.analysis import analyse
from tui.model import Claim, Item
from tui.seeds import SeedPack, load_pack

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pack() -> SeedPack:
    return load_pack(None)


def claims(pack: SeedPack, title: str, summary: str = "") -> list[Claim]:
    item = Item(
        id="c", feed="f", title=title, summary=summary, link="", published=NOW, first_seen=NOW
    )
    analysis = analyse(item, pack)
    assert analysis.relevant
    return list(analysis.claims)


def brief(claim: Claim) -> tuple[str, int, int | None, str, str]:
    return (claim.outcome, claim.low, claim.high, claim.victim_side, claim.claimant_side)


def test_both_sides_claims_in_one_item(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Border fighting: Pakistan and Afghanistan give rival tolls",
        "Pakistan's army said 40 Afghan Taliban fighters were killed and over 60 wounded. "
        "Taliban spokesman Zabihullah Mujahid said 17 Pakistani soldiers died and 6 "
        "Pakistani posts were captured.",
    )
    assert [brief(c) for c in found] == [
        ("killed", 40, 40, "afghanistan", "pakistan"),
        ("wounded", 60, None, "afghanistan", "pakistan"),
        ("killed", 17, 17, "pakistan", "afghanistan"),
        ("posts_captured", 6, 6, "pakistan", "afghanistan"),
    ]
    assert found[0].victims == "Afghan Taliban fighters"
    assert found[0].claimant == "Pakistan's army"
    assert found[2].claimant == "Taliban spokesman Zabihullah Mujahid"
    assert found[0].civilian is False
    assert found[3].civilian is None
    text = "Border fighting: Pakistan and Afghanistan give rival tolls\n" + (
        "Pakistan's army said 40 Afghan Taliban fighters were killed and over 60 wounded."
    )
    a, b = found[0].span
    assert text[a:b] == found[0].evidence


def test_claimant_after_the_figure(pack: SeedPack) -> None:
    found = claims(pack, "Nine Afghan border guards were killed in Pakistani shelling, Kabul says")
    assert [brief(c) for c in found] == [("killed", 9, 9, "afghanistan", "afghanistan")]
    assert found[0].claimant == "Kabul"


def test_according_to(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Clashes on the Afghan border",
        "According to ISPR, 12 soldiers were martyred in the Kurram sector.",
    )
    assert [brief(c) for c in found] == [("killed", 12, 12, "pakistan", "pakistan")]
    assert found[0].claimant == "ISPR"


def test_active_voice_subject_is_the_attacker(pack: SeedPack) -> None:
    found = claims(
        pack, "Afghan forces killed 14 Pakistani troops in a raid on Chaman, Taliban say"
    )
    assert [brief(c) for c in found] == [("killed", 14, 14, "pakistan", "afghanistan")]
    # the object of "killed" is the victims, whatever its qualifier
    found = claims(pack, "Pakistan says its jets killed 30 fighters in Afghanistan's Khost")
    assert [(c.low, c.victim_side, c.claimant_side) for c in found] == [
        (30, "afghanistan", "pakistan")
    ]


def test_were_killed_versus_killed(pack: SeedPack) -> None:
    passive = claims(pack, "Pakistan says 8 soldiers were killed by Afghan fire near Torkham")
    active = claims(pack, "Pakistan says it killed 8 Afghan soldiers near Torkham")
    assert [brief(c) for c in passive] == [("killed", 8, 8, "pakistan", "pakistan")]
    assert [brief(c) for c in active] == [("killed", 8, 8, "afghanistan", "pakistan")]


def test_civilians(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Taliban say Pakistani air strikes killed 11 civilians in Paktika",
        "Hospital staff in Khost said 4 children were injured.",
    )
    assert [brief(c) for c in found] == [
        ("killed", 11, 11, "afghanistan", "afghanistan"),
        ("wounded", 4, 4, "afghanistan", "third_party"),
    ]
    assert all(c.civilian is True for c in found)


def test_vague_counts_and_two_outcomes(pack: SeedPack) -> None:
    found = claims(pack, "Dozens killed and injured as Pakistan and Afghanistan clash on border")
    assert [(c.outcome, c.low, c.high) for c in found] == [
        ("killed", 12, None),
        ("wounded", 12, None),
    ]
    assert all(c.claimant == "" and c.claimant_side == "unknown" for c in found)


def test_posts_inherit_the_noun_and_go_to_the_other_side(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistan says Afghan posts hit",
        "A Pakistani military spokesman said 21 posts were destroyed and four captured.",
    )
    assert [brief(c) for c in found] == [
        ("posts_destroyed", 21, 21, "afghanistan", "pakistan"),
        ("posts_captured", 4, 4, "afghanistan", "pakistan"),
    ]


def test_militants_are_their_own_side(pack: SeedPack) -> None:
    found = claims(pack, "Pakistani strike in Afghanistan kills 25 TTP militants, army says")
    assert [(c.low, c.victim_side, c.claimant_side) for c in found] == [
        (25, "militant", "pakistan")
    ]


def test_an_outlet_is_not_a_claimant(pack: SeedPack) -> None:
    found = claims(pack, "Pakistan-Afghanistan clashes leave 19 dead, Reuters reports")
    assert [(c.low, c.claimant, c.claimant_side) for c in found] == [(19, "", "unknown")]
    found = claims(
        pack,
        "Pakistan-Afghan border clashes",
        "State media reported that 7 Taliban fighters were killed.",
    )
    assert [(c.low, c.claimant_side) for c in found] == [(7, "unknown")]


def test_one_person_and_unquantified_deaths_are_not_claims(pack: SeedPack) -> None:
    assert claims(pack, "One Pakistani soldier killed in Afghan border clash") == []
    assert claims(pack, "Many killed as Pakistan and Afghan forces clash") == []
    assert claims(pack, "Deadly clashes erupt at the Pakistan-Afghanistan border") == []


def test_figures_are_never_summed(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Rival tolls after Afghan border battle",
        "Islamabad said 50 Taliban were killed; the Taliban said 50 Pakistani soldiers died.",
    )
    assert sorted(brief(c) for c in found) == [
        ("killed", 50, 50, "afghanistan", "pakistan"),
        ("killed", 50, 50, "pakistan", "afghanistan"),
    ]


def test_title_repeated_in_summary_is_one_claim(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Taliban say 30 Pakistani soldiers killed",
        "Afghanistan's Taliban said 30 Pakistani soldiers were killed in border clashes.",
    )
    assert [brief(c) for c in found] == [("killed", 30, 30, "pakistan", "afghanistan")]


def test_ranges_and_numbers_in_words(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Afghan border clash",
        "The Pakistani army said between 15 and 20 attackers were killed and twenty-two were "
        "taken prisoner.",
    )
    assert [(c.outcome, c.low, c.high) for c in found] == [
        ("killed", 15, 20),
        ("captured", 22, 22),
    ]
