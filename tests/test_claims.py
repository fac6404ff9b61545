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


# ---------------------------------------------------------------- who claims it


@pytest.mark.parametrize(
    ("title", "claimant", "side"),
    [
        ("Mujahid: 40 Pakistani troops killed in retaliatory strikes", "Mujahid", "afghanistan"),
        ("ISPR: 12 soldiers martyred as Afghan forces attack posts", "ISPR", "pakistan"),
        (
            "Nangarhar police: six Pakistani soldiers captured near Torkham",
            "Nangarhar police",
            "afghanistan",
        ),
        (
            "Khost hospital: 14 wounded brought in after Pakistani strikes",
            "Khost hospital",
            "third_party",
        ),
        (
            "Security sources: 15 Afghan posts destroyed in Kurram sector",
            "Security sources",
            "pakistan",
        ),
    ],
)
def test_headline_source_before_a_colon(
    pack: SeedPack, title: str, claimant: str, side: str
) -> None:
    found = claims(pack, title)
    assert len(found) == 1
    assert (found[0].claimant, found[0].claimant_side) == (claimant, side)


def test_a_place_or_country_before_a_colon_is_a_dateline_or_topic(pack: SeedPack) -> None:
    found = claims(pack, "Afghanistan: 9 killed in Pakistani strikes on Paktika")
    assert [(c.low, c.victim_side, c.claimant, c.claimant_side) for c in found] == [
        (9, "afghanistan", "", "unknown")
    ]


@pytest.mark.parametrize(
    ("title", "side"),
    [
        ("Twelve Afghan posts destroyed in retaliatory fire, says ISPR", "pakistan"),
        ("Over 50 Pakistani soldiers killed in clashes, Mujahid claims", "afghanistan"),
        ("More than 300 Taliban fighters killed in a week, says Tarar", "pakistan"),
        (
            "Multiple Taliban posts destroyed in artillery barrage, Pakistani sources claim",
            "pakistan",
        ),
        ("Nine Afghan guards killed by Pakistani fire, said the military's media wing", "pakistan"),
    ],
)
def test_headline_source_after_the_figure(pack: SeedPack, title: str, side: str) -> None:
    found = claims(pack, title)
    assert len(found) == 1
    assert found[0].claimant_side == side


def test_headline_figure_takes_the_summarys_lead_source(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Afghan and Pakistani troops trade fire at Chaman; 4 Pakistani soldiers hurt",
        "Pakistani officials said the firing began after Afghan forces moved up heavy weapons.",
    )
    assert [brief(c) for c in found] == [("wounded", 4, 4, "pakistan", "pakistan")]
    # and a summary sentence without a source takes the headline's
    found = claims(
        pack,
        "Taliban say 20 Pakistani soldiers killed at the border",
        "Another 7 Pakistani posts were captured near Spin Boldak.",
    )
    assert [c.claimant_side for c in found] == ["afghanistan", "afghanistan"]


def test_unnamed_officials_speak_for_their_dateline_or_their_places(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Afghan shells hit Chaman",
        "QUETTA: Five people were wounded when shells fired from Afghanistan landed in a "
        "market, the deputy commissioner said.",
    )
    assert [brief(c) for c in found] == [("wounded", 5, 5, "pakistan", "pakistan")]
    found = claims(
        pack,
        "Villagers in Paktia bury their dead after Pakistani bombing",
        "Residents describe night raids that local officials say killed at least 19 people.",
    )
    assert [brief(c) for c in found] == [("killed", 19, None, "afghanistan", "afghanistan")]


def test_qualified_and_neutral_sources(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistani security sources said 40 Afghan Taliban fighters were killed in Khost",
        "Hospital officials in Kandahar said 22 bodies were brought in after the strikes.",
    )
    assert [(c.low, c.claimant_side) for c in found] == [(40, "pakistan"), (22, "third_party")]
    found = claims(pack, "Afghan officials say eight civilians were killed in Pakistani strikes")
    assert [brief(c) for c in found] == [("killed", 8, 8, "afghanistan", "afghanistan")]


def test_press_is_no_claimant_and_blocks_inheritance(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Taliban say 30 Pakistani soldiers killed in border clashes",
        "Pakistani media reported that 12 Afghan fighters were also killed.",
    )
    assert [(c.low, c.claimant_side) for c in found] == [(30, "afghanistan"), (12, "unknown")]


# ---------------------------------------------------------------- what was counted


def test_taken_prisoner(pack: SeedPack) -> None:
    found = claims(pack, "Pakistan says it took 12 Afghan Taliban fighters prisoner in Kurram")
    assert [brief(c) for c in found] == [("captured", 12, 12, "afghanistan", "pakistan")]
    found = claims(
        pack,
        "Taliban claim captives",
        "The Afghan defence ministry said its forces had taken several Pakistani soldiers captive.",
    )
    assert [brief(c) for c in found] == [("captured", 3, None, "pakistan", "afghanistan")]


def test_were_among(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistani air raid kills cricketers",
        "Afghan officials say four cricketers were among eleven people killed in Paktika.",
    )
    assert [(c.low, c.victim_side, c.claimant_side) for c in found] == [
        (4, "afghanistan", "afghanistan"),
        (11, "afghanistan", "afghanistan"),
    ]
    assert found[0].civilian is True


def test_others_are_the_same_people(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Taliban give toll of border fighting with Pakistan",
        "Mujahid said six Islamic Emirate forces were martyred and 14 others wounded.",
    )
    assert [brief(c) for c in found] == [
        ("killed", 6, 6, "afghanistan", "afghanistan"),
        ("wounded", 14, 14, "afghanistan", "afghanistan"),
    ]


def test_the_head_noun_decides_posts(pack: SeedPack) -> None:
    found = claims(pack, "Several Taliban posts destroyed by Pakistani artillery, ISPR says")
    assert [brief(c) for c in found] == [("posts_destroyed", 3, None, "afghanistan", "pakistan")]


@pytest.mark.parametrize(
    ("title", "side"),
    [
        ("Mujahid: 17 civilians including children killed in Pakistani airstrikes", "afghanistan"),
        ("UN says 40 civilians killed in cross-border fighting with Pakistan", "afghanistan"),
        ("Six people wounded by shells fired from Afghanistan, Pakistani police say", "pakistan"),
        ("Seven soldiers martyred as Afghan forces attack border posts, ISPR says", "pakistan"),
        ("At least 10 killed on both sides as Pakistan and Afghanistan clash", "unknown"),
    ],
)
def test_victims_are_the_other_side_of_the_one_who_did_it(
    pack: SeedPack, title: str, side: str
) -> None:
    assert [c.victim_side for c in claims(pack, title)] == [side]


def test_participles_and_coordinated_verbs_keep_their_subject(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Border battle near Chaman",
        "Pakistan's military said on Wednesday its troops repulsed attacks by Afghan forces, "
        "killing 15 to 20 of them and destroying several of their posts.",
    )
    assert [(c.outcome, c.low, c.victim_side) for c in found] == [
        ("killed", 15, "afghanistan"),
        ("posts_destroyed", 3, "afghanistan"),
    ]
    found = claims(
        pack,
        "Afghan Taliban say they captured 25 Pakistani army posts and killed 58 soldiers",
    )
    assert [(c.outcome, c.victim_side) for c in found] == [
        ("posts_captured", "pakistan"),
        ("killed", "pakistan"),
    ]


# ---------------------------------------------------------------- other scripts


def test_urdu_headline_with_figures_and_a_trailing_source(pack: SeedPack) -> None:
    found = claims(pack, "افغان طالبان کی 15 چوکیاں تباہ، 9 جوان شہید: آئی ایس پی آر")
    assert [brief(c) for c in found] == [
        ("posts_destroyed", 15, 15, "afghanistan", "pakistan"),
        ("killed", 9, 9, "pakistan", "pakistan"),
    ]


def test_urdu_according_to_and_dateline(pack: SeedPack) -> None:
    found = claims(
        pack,
        "باجوڑ میں افغان فورسز کی گولہ باری، ۳ افراد شہید، ۷ زخمی",
        "خار: پولیس کے مطابق مارٹر گولے سرحد پار سے فائر کیے گئے۔",
    )
    assert [brief(c) for c in found] == [
        ("killed", 3, 3, "pakistan", "pakistan"),
        ("wounded", 7, 7, "pakistan", "pakistan"),
    ]


def test_pashto_and_dari(pack: SeedPack) -> None:
    found = claims(pack, "د پاکستان هوايي بریدونه: په خوست کې ۸ ملکي وګړي ووژل شول")
    assert [(c.outcome, c.low, c.victim_side) for c in found] == [("killed", 8, "afghanistan")]
    found = claims(pack, "حملات هوایی پاکستان در پکتیکا؛ ده‌ها غیرنظامی کشته شدند")
    assert [(c.outcome, c.low, c.high, c.victim_side) for c in found] == [
        ("killed", 12, None, "afghanistan")
    ]


def test_a_military_source_speaks_for_the_force_that_acts(pack: SeedPack) -> None:
    # local officials speak for where the strike fell; security sources for who struck
    found = claims(
        pack, "Pakistani strikes on TTP hideouts in Paktika kill 30 militants, security sources say"
    )
    assert [brief(c) for c in found] == [("killed", 30, 30, "militant", "pakistan")]
    found = claims(
        pack, "Pakistani strikes on homes in Paktika kill 12 people, local officials say"
    )
    assert [brief(c) for c in found] == [("killed", 12, 12, "afghanistan", "afghanistan")]


def test_approximate_and_vague_figures_are_low_only(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistan says about 40 Afghan Taliban fighters killed in Kurram clashes",
        "Taliban officials said up to 15 Pakistani soldiers died and hundreds were wounded.",
    )
    assert [(c.outcome, c.low, c.high) for c in found] == [
        ("killed", 40, None),
        ("killed", 15, None),
        ("wounded", 100, None),
    ]


def test_losing_lives_and_families(pack: SeedPack) -> None:
    found = claims(pack, "Five of a family lose their lives as Afghan mortar hits home in Bajaur")
    assert [(c.outcome, c.low, c.victim_side) for c in found] == [("killed", 5, "pakistan")]


def test_an_aside_between_the_victims_and_the_verb(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistani air strikes hit Khost",
        "Taliban officials said at least 11 civilians, including women and children, were "
        "killed in the strikes.",
    )
    assert [brief(c) for c in found] == [("killed", 11, None, "afghanistan", "afghanistan")]


def test_their_own_people_belong_to_the_subject(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Border fighting in Kurram",
        "The Taliban said six of their fighters died in the clashes with Pakistani troops.",
    )
    assert [brief(c) for c in found] == [("killed", 6, 6, "afghanistan", "afghanistan")]


def test_a_toll_put_at_a_figure(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Kabul disputes Pakistan's figures for the border clashes",
        "Zabihullah Mujahid said Afghan forces had repelled the attacks and put the toll among "
        "Pakistani soldiers at 35.",
    )
    assert [brief(c) for c in found] == [("killed", 35, 35, "pakistan", "afghanistan")]


def test_attackers_are_of_the_party_that_attacked(pack: SeedPack) -> None:
    found = claims(pack, "Afghan Taliban attack on Zhob posts repulsed, 25 attackers killed: ISPR")
    assert [brief(c) for c in found] == [("killed", 25, 25, "afghanistan", "pakistan")]
    # Urdu: "more than 30 attackers killed, security sources say"
    found = claims(pack, "افغان طالبان کے حملے پسپا، 30 سے زائد حملہ آور ہلاک: سکیورٹی ذرائع")
    assert [brief(c) for c in found] == [("killed", 30, None, "afghanistan", "pakistan")]
    # a TTP attack: its attackers are militants
    found = claims(
        pack,
        "TTP attack on border post in Bajaur repulsed; 8 attackers killed, ISPR says",
        "The militants had crossed from Afghanistan, the military said.",
    )
    assert [(c.low, c.victim_side) for c in found] == [(8, "militant")]


def test_a_headline_figure_restated_in_the_summary_is_one_claim(pack: SeedPack) -> None:
    # the summary names whose soldiers; the headline's bare "soldiers" must not add a claim
    found = claims(
        pack,
        "Taliban say they stormed Pakistani posts, claim 30 soldiers killed",
        "KABUL (AP) — The Taliban's defence ministry said its fighters attacked posts in "
        "Kurram, killing 30 Pakistani soldiers.",
    )
    assert [brief(c) for c in found] == [("killed", 30, 30, "pakistan", "afghanistan")]


def test_two_outcomes_before_one_figure(pack: SeedPack) -> None:
    found = claims(pack, "Pakistani jets killed and injured scores in Khost, Taliban say")
    assert sorted(brief(c) for c in found) == [
        ("killed", 20, None, "afghanistan", "afghanistan"),
        ("wounded", 20, None, "afghanistan", "afghanistan"),
    ]


def test_a_participle_before_its_noun(pack: SeedPack) -> None:
    found = claims(pack, "Kabul shows footage of five captured Pakistani soldiers")
    assert [brief(c)[:4] for c in found] == [("captured", 5, 5, "pakistan")]


def test_who_repels_an_attack_kills_the_attackers(pack: SeedPack) -> None:
    found = claims(
        pack, "Pakistan says troops repulsed Afghan Taliban raid on Chitral post, killing 15"
    )
    assert [brief(c) for c in found] == [("killed", 15, 15, "afghanistan", "pakistan")]
    found = claims(
        pack,
        "Border post attack fails",
        "Pakistan's army said soldiers beat back an assault by Taliban fighters in Bajaur, "
        "killing 12 attackers.",
    )
    assert [brief(c) for c in found] == [("killed", 12, 12, "afghanistan", "pakistan")]


def test_the_victims_are_not_the_acting_force(pack: SeedPack) -> None:
    found = claims(
        pack,
        "About 40 Taliban fighters killed in Pakistani counter-offensive, security sources say",
    )
    assert [brief(c) for c in found] == [("killed", 40, None, "afghanistan", "pakistan")]


def test_a_country_as_target_is_not_the_attacker(pack: SeedPack) -> None:
    found = claims(pack, "Pakistani drone strikes on Afghan villages kill 7, Kabul says")
    assert [brief(c) for c in found] == [("killed", 7, 7, "afghanistan", "afghanistan")]


def test_a_clause_before_an_inverted_source(pack: SeedPack) -> None:
    found = claims(pack, "Pakistan shells Kunar again, four children killed, says Mujahid")
    assert [brief(c)[3:] for c in found] == [("afghanistan", "afghanistan")]


def test_a_spokesperson_speaks_for_the_sentences_subject(pack: SeedPack) -> None:
    found = claims(
        pack,
        "UN alarmed by Pakistan-Afghanistan fighting",
        "The UN secretary-general is alarmed by strikes that killed at least 20 civilians "
        "in Afghanistan, his spokesman said on Tuesday.",
    )
    assert [brief(c)[4] for c in found] == ["third_party"]


def test_a_source_named_after_a_long_phrase_and_agencies(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Shelling along Pakistan-Afghan border",
        "Hospital staff on both sides of the Torkham border crossing in Khyber said at least "
        "five people were killed.",
    )
    assert [brief(c)[4] for c in found] == ["third_party"]
    found = claims(
        pack,
        "Pakistani strikes in Paktika",
        "UNICEF said at least eight children were killed in the Pakistani strikes in Paktika.",
    )
    assert [brief(c)[3:] for c in found] == [("afghanistan", "third_party")]


def test_a_toll_that_climbs(pack: SeedPack) -> None:
    found = claims(pack, "Toll from Pakistan-Afghanistan border clashes rises to 41 on both sides")
    assert [brief(c) for c in found] == [("killed", 41, 41, "unknown", "unknown")]


def test_posts_of_a_party_and_lists_of_victims(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistani officials said two posts of the Afghan Taliban were completely destroyed",
    )
    assert [brief(c)[:4] for c in found] == [("posts_destroyed", 2, 2, "afghanistan")]
    found = claims(pack, "ISPR: 60 Afghan Taliban, their TTP allies killed in Kurram retaliation")
    assert [brief(c)[:4] for c in found] == [("killed", 60, 60, "afghanistan")]


def test_losing_soldiers_and_jawans(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Afghan border attack",
        "Pakistan's military said its troops repulsed the Taliban attack in Zhob, losing "
        "three soldiers.",
    )
    assert [brief(c)[:4] for c in found] == [("killed", 3, 3, "pakistan")]
    found = claims(pack, "Afghan border firing: 4 jawans martyred in Kurram")
    assert [brief(c)[:4] for c in found] == [("killed", 4, 4, "pakistan")]


def test_prisoners_held_by_the_other_side(pack: SeedPack) -> None:
    found = claims(
        pack,
        "Pakistan and Afghanistan swap prisoners",
        "Taliban officials said nine Afghan soldiers held by Pakistan were freed at Torkham "
        "under the ceasefire deal.",
    )
    assert [brief(c) for c in found] == [("captured", 9, 9, "afghanistan", "afghanistan")]
