"""Relevance, categories, strikes and diplomatic moves; and a second, invented pack."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.analysis import analyse
from tui.model import DIPLOMACY_MOVES, Analysis, Item
from tui.seeds import SeedPack, load_pack

NOW = datetime(2026, 3, 2, tzinfo=UTC)
RURITANIA = Path(__file__).parent / "fixtures" / "analysis" / "ruritania.toml"


@pytest.fixture(scope="module")
def pack() -> SeedPack:
    return load_pack(None)


def run(pack: SeedPack, title: str, summary: str = "") -> Analysis:
    item = Item(
        id="k", feed="f", title=title, summary=summary, link="", published=NOW, first_seen=NOW
    )
    return analyse(item, pack)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Pakistan beat Afghanistan by five wickets in Sharjah T20", "Babar top-scored with 70."),
        ("Flour prices climb in Peshawar as Afghan imports slow", ""),
        ("Floods in Pakistan's north; Afghanistan also hit by heavy rain", "Dozens died."),
        ("Iran expels 3,000 Afghans in a week, UN says", ""),
        ("Afghan women's team plays first match in Doha", ""),
        ("Islamabad court bails opposition leader", ""),
        ("Kabul travel diary: kebabs, kites and bazaars", ""),
    ],
)
def test_not_about_the_conflict(pack: SeedPack, title: str, summary: str) -> None:
    result = run(pack, title, summary)
    assert not result.relevant
    assert result.categories == ()
    assert result.claims == ()


@pytest.mark.parametrize(
    ("title", "summary", "categories"),
    [
        ("Pakistani jets strike TTP hideouts in Afghanistan's Paktika", "", ("strike",)),
        ("Afghan and Pakistani troops exchange fire at Chaman crossing", "", ("strike",)),
        (
            "Taliban say Pakistani drone strike killed 6 civilians in Khost",
            "",
            ("strike", "casualty"),
        ),
        ("Pakistan and Afghanistan agree ceasefire after talks in Doha", "", ("diplomacy",)),
        (
            "Pakistan summons Afghan charge d'affaires over border attack",
            "",
            ("strike", "diplomacy"),
        ),
        ("Torkham stays shut as Islamabad and Kabul trade blame", "", ()),
        (
            "Pakistan's cricket board says Afghan tour off after air strikes on Paktika",
            "",
            ("strike",),
        ),
    ],
)
def test_relevant_with_categories(
    pack: SeedPack, title: str, summary: str, categories: tuple[str, ...]
) -> None:
    result = run(pack, title, summary)
    assert result.relevant
    assert result.categories == categories


def test_strike_details(pack: SeedPack) -> None:
    result = run(
        pack, "Afghan border", "Pakistani aircraft carried out air strikes on Kabul and Khost."
    )
    assert len(result.strikes) == 1
    strike = result.strikes[0]
    assert strike.attacker_side == "pakistan"
    assert strike.targets == ("Kabul", "Khost")
    assert "air strike" in strike.means
    assert strike.evidence.startswith("Pakistani aircraft")


def test_a_clash_between_the_two_has_no_attacker(pack: SeedPack) -> None:
    result = run(pack, "Clashes between Afghan and Pakistani forces along the Durand Line")
    assert [s.attacker_side for s in result.strikes] == ["unknown"]
    assert result.strikes[0].means == ("ground clash",)


def test_terrorist_attack_is_not_a_strike_between_the_parties(pack: SeedPack) -> None:
    result = run(
        pack,
        "Pakistan presses Kabul on TTP",
        "Pakistan has seen a rise in terrorist attacks it blames on groups based in Afghanistan.",
    )
    assert result.relevant
    assert "strike" not in result.categories


def test_diplomatic_moves(pack: SeedPack) -> None:
    result = run(
        pack,
        "Qatar offers to mediate between Pakistan and Afghanistan",
        "Pakistan's foreign minister Ishaq Dar spoke by phone with Amir Khan Muttaqi. "
        "The UN urged both sides to exercise restraint.",
    )
    moves = {m.move for m in result.diplomacy}
    assert {"mediation_offer", "call", "appeal"} <= moves
    assert all(m.move in DIPLOMACY_MOVES for m in result.diplomacy)
    call = next(m for m in result.diplomacy if m.move == "call")
    assert call.parties == ("Ishaq Dar", "Amir Khan Muttaqi")


def test_a_move_with_a_third_country_only_is_not_conflict_diplomacy(pack: SeedPack) -> None:
    result = run(
        pack,
        "Pakistan and Afghanistan trade accusations over border attacks",
        "Separately, India's foreign minister met Muttaqi to discuss trade and visas.",
    )
    assert result.relevant
    assert "diplomacy" not in result.categories


def test_hypothetical_talks_are_not_a_move(pack: SeedPack) -> None:
    result = run(pack, "Pakistan warns Afghanistan of war if talks collapse")
    assert "diplomacy" not in result.categories


# ---------------------------------------------------------------- the second pack


@pytest.fixture(scope="module")
def ruritania() -> SeedPack:
    return load_pack(RURITANIA)


def test_second_pack_relevance_and_claims(ruritania: SeedPack) -> None:
    result = run(
        ruritania,
        "Bordurian guns shelled Zenda overnight",
        "Queen Flavia said 12 Ruritanian soldiers were killed and 3 watchtowers destroyed.",
    )
    assert result.relevant
    assert result.categories == ("strike", "casualty")
    assert [(c.outcome, c.low, c.victim_side, c.claimant_side) for c in result.claims] == [
        ("killed", 12, "ruritania", "ruritania"),
        ("posts_destroyed", 3, "ruritania", "ruritania"),
    ]
    assert result.strikes[0].attacker_side == "borduria"
    assert result.strikes[0].targets == ("Zenda",)


def test_second_pack_ignores_the_first_packs_world(ruritania: SeedPack) -> None:
    result = run(ruritania, "Pakistan and Afghanistan clash on the border")
    assert not result.relevant
    assert result.entities == ()


def test_second_pack_diplomacy_and_off_topic(ruritania: SeedPack) -> None:
    talks = run(ruritania, "Syldavia hosts talks between Strelsau and Szóhôd on a truce")
    assert talks.relevant
    assert {m.move for m in talks.diplomacy} == {"talks", "ceasefire"}
    assert talks.diplomacy[0].parties == ("Syldavia", "Ruritania", "Borduria")
    chess = run(ruritania, "Ruritanian and Bordurian players draw at the border chess cup")
    assert not chess.relevant


# ---------------------------------------------------------------- generalisation


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Nine Afghan civilians wounded in cross-border shelling in Khost", ""),
        ("Air strikes hit Kandahar and Paktika overnight, killing at least 12", ""),
        ("Mortar shells fired from across the border wound 4 in Bajaur", ""),
        ("Pakistan vows to act against TTP sanctuaries", ""),
        ("افغانستان میں فضائی حملے، درجنوں دہشت گرد ہلاک", ""),
        ("Taliban capture border posts in Kunar after overnight fighting", ""),
    ],
)
def test_one_party_items_plainly_about_the_conflict(
    pack: SeedPack, title: str, summary: str
) -> None:
    assert run(pack, title, summary).relevant


@pytest.mark.parametrize(
    "title",
    [
        "Pakistan and India exchange fire across the Line of Control; 3 killed",
        "Afghan and Iranian border guards clash; two killed",
        "Pakistani security forces kill 12 militants in North Waziristan operation",
        "Pakistani jets strike militant hideouts in Bajaur",
        "Kabul residents mourn after suicide bombing kills 20",
        "Doha hosts Gaza ceasefire talks with Hamas and Israel",
        "Istanbul talks on Ukraine ceasefire end without deal",
        "India and Afghanistan agree to upgrade ties during Muttaqi visit",
        "Afghanistan earthquake: Pakistan sends relief goods",
        "پاکستان اور افغانستان کے درمیان کرکٹ سیریز کا شیڈول جاری",
        "افغانستان میں زلزلہ، 800 افراد جاں بحق",
    ],
)
def test_hard_negatives_stay_out(pack: SeedPack, title: str) -> None:
    assert not run(pack, title).relevant


@pytest.mark.parametrize(
    ("title", "categories"),
    [
        (
            "Afghan cricket board quits tri-series after players killed in Pakistani strike",
            ("strike",),
        ),
        (
            "Mujahid: 58 Pakistani soldiers killed, 30 wounded in overnight operations",
            ("strike", "casualty"),
        ),
        (
            "Pakistan says it took 10 Afghan Taliban fighters prisoner near Angoor Adda",
            ("strike", "casualty"),
        ),
        (
            "Ceasefire violated as Taliban fire on Kurram post, military says",
            ("strike", "diplomacy"),
        ),
        (
            "Pakistani drones strike Khost's border district; Taliban say 4 civilians killed",
            ("strike", "casualty"),
        ),
        ("Chaman crossing shut as Afghan mortar shells landed in a market", ("strike",)),
        (
            "Istanbul talks fail to produce breakthrough, says Tarar; Afghan delegation blamed",
            ("diplomacy",),
        ),
        ("دوحہ مذاکرات: پاکستان اور افغانستان فوری جنگ بندی پر متفق", ("diplomacy",)),
        ("اسحاق ڈار کا امیر خان متقی سے ٹیلی فون پر رابطہ", ("diplomacy",)),
        ("کرم میں افغان فورسز کی گولہ باری، 4 افراد شہید", ("strike", "casualty")),
    ],
)
def test_categories_across_phrasings_and_scripts(
    pack: SeedPack, title: str, categories: tuple[str, ...]
) -> None:
    result = run(pack, title)
    assert result.relevant
    assert result.categories == categories


def test_a_strike_read_from_a_casualty_figure_has_the_other_party_as_attacker(
    pack: SeedPack,
) -> None:
    result = run(pack, "Pakistan says it took 10 Afghan Taliban fighters prisoner near Angoor Adda")
    assert [s.attacker_side for s in result.strikes] == ["pakistan"]
    # a TTP attack on Pakistani troops is not a strike between the parties
    result = run(
        pack, "TTP militants who crossed from Afghanistan killed 6 Pakistani soldiers in Bajaur"
    )
    assert result.relevant
    assert "strike" not in result.categories


@pytest.mark.parametrize(
    "title",
    [
        "Istanbul talks end without a breakthrough, says Tarar",
        "Pakistani delegation lands in Doha for second round of negotiations",
        "Mujahid says Islamic Emirate remains committed to the Istanbul process",
        "Qatar-brokered truce: Khawaja Asif says Pakistan will judge Kabul by its actions",
        "هیئت امارت اسلامی برای گفت‌وگو به ریاض رفت",
    ],
)
def test_talks_at_a_mediators_venue_are_about_the_conflict(pack: SeedPack, title: str) -> None:
    result = run(pack, title)
    assert result.relevant
    assert "diplomacy" in result.categories


@pytest.mark.parametrize(
    "title",
    [
        # the mediator is the party's counterpart, not a venue
        "Pakistan, Qatar sign LNG supply agreement in Doha",
        "Shehbaz holds talks with Saudi crown prince in Riyadh on investment",
        "Pakistan and Türkiye hold talks in Ankara on defence industry",
        # talks at a mediator's venue with neither party named
        "Zelensky says Istanbul talks brought no breakthrough on a ceasefire",
        "Gaza truce mediators meet in Doha",
    ],
)
def test_a_mediator_as_counterpart_or_without_a_party_is_not_enough(
    pack: SeedPack, title: str
) -> None:
    assert not run(pack, title).relevant


@pytest.mark.parametrize(
    "title",
    [
        "Ishaq Dar and Muttaqi discuss border situation over the phone",
        "Muttaqi receives call from Pakistani counterpart amid border tensions",
        "China urges Pakistan and Afghanistan to settle differences through dialogue",
        "UN chief calls on Pakistan, Afghanistan to exercise maximum restraint",
        "Türkiye's foreign ministry condemns cross-border attacks on Pakistan's border posts",
        "Pakistan, Afghanistan issue joint statement on border mechanism",
        "Pakistan's envoy Mohammad Sadiq Khan in Kabul to discuss border tensions",
        "Ishaq Dar receives Afghan foreign minister Muttaqi in Islamabad",
        "افغان سفیر کی دفتر خارجہ طلبی، شدید احتجاج ریکارڈ",
        "گفتگوهای پاکستان و افغانستان در استانبول بدون نتیجه پایان یافت",
        "د پاکستان او افغانستان ترمنځ د اوربند هوکړه",
    ],
)
def test_more_ways_wire_copy_reports_a_diplomatic_move(pack: SeedPack, title: str) -> None:
    result = run(pack, title)
    assert result.relevant
    assert "diplomacy" in result.categories


def test_an_aggregators_outlet_is_never_a_party(pack: SeedPack) -> None:
    # "Pakistan Today" is the outlet: the item names Afghanistan only, and no cross-border act
    assert not run(pack, "Afghan Taliban open new madrasa in Kandahar - Pakistan Today").relevant
    # "Times of India" is the outlet, not a third state with its own dispute
    result = run(pack, "Pakistani jets strike TTP hideouts in Paktika - The Times of India")
    assert result.relevant and result.categories == ("strike",)
    assert "india" not in [e.id for e in result.entities]
    # a source after the dash is still a source
    found = run(pack, "23 soldiers martyred in Afghan attacks on border posts - Tarar").claims
    assert [(c.low, c.claimant_side) for c in found] == [(23, "pakistan")]
    # the outlet repeated at the end of the summary is dropped too
    result = run(
        pack,
        "Taliban say 12 Pakistani soldiers killed in Kurram clashes - Kabul Now",
        "Taliban say 12 Pakistani soldiers killed in Kurram clashes  Kabul Now",
    )
    assert [(c.low, c.victim_side, c.claimant_side) for c in result.claims] == [
        (12, "pakistan", "afghanistan")
    ]


@pytest.mark.parametrize(
    ("title", "summary", "categories"),
    [
        # a bombing in a Pakistani city is a militant attack, not a strike between the parties
        (
            "Foreign Office asks Kabul to hand over TTP leaders after Quetta bombing",
            "Pakistan said the suicide bombing in Quetta was planned in Afghanistan.",
            (),
        ),
        ("Pakistan says drones launched from Afghanistan targeted Bajaur", "", ("strike",)),
        ("Pakistan says air defences intercepted Afghan drones over Chaman", "", ("strike",)),
        (
            "Infiltration bid from Afghanistan foiled in North Waziristan, ISPR says",
            "",
            ("strike",),
        ),
        # Afghan victims: the TTP named among them did not do it
        (
            "Over 100 Afghan Taliban and khawarij killed in a week, Khawaja Asif says",
            "",
            ("strike", "casualty"),
        ),
    ],
)
def test_strike_rules(
    pack: SeedPack, title: str, summary: str, categories: tuple[str, ...]
) -> None:
    result = run(pack, title, summary)
    assert result.relevant
    assert result.categories == categories


@pytest.mark.parametrize(
    "title",
    [
        # a third state's request or intervention that halted the fighting
        "Taliban say border offensive paused at the request of Qatar",
        "Afghan forces stop firing on Pakistani posts after Saudi Arabia and Türkiye intervened",
        "Kabul halts retaliation against Pakistan at Qatari request",
        # an offer (or a boast) to settle the conflict
        "China says it is ready to help resolve Pakistan-Afghanistan border dispute",
        "Trump says he could end the Pakistan-Afghanistan fighting 'in a day'",
        # appeals with a longer object, and the UN's name for the Taliban
        "UNAMA calls on Pakistan and the de facto authorities to protect civilians",
        "سعودی عرب کا پاکستان اور افغانستان سے تحمل کا مطالبہ",
    ],
)
def test_requests_interventions_and_offers_are_diplomacy(pack: SeedPack, title: str) -> None:
    result = run(pack, title)
    assert result.relevant
    assert "diplomacy" in result.categories


@pytest.mark.parametrize(
    "title, summary",
    [
        # a commander's visit to his own troops, posts or wounded
        (
            "Army chief visits frontline troops on Afghan border",
            "General Munir praised soldiers for repulsing Taliban attacks, ISPR said.",
        ),
        (
            "Pakistan's army chief visits injured soldiers in Peshawar after Afghan border clash",
            "",
        ),
        # a press conference is not talks
        (
            "ISPR chief tells news conference 40 Afghan posts were destroyed in retaliation",
            "",
        ),
        # a domestic meeting is not a diplomatic one
        (
            "Corps commanders' conference in Rawalpindi vows befitting response to Afghan "
            "aggression",
            "",
        ),
        (
            "Shehbaz chairs high-level meeting on Afghan border clashes",
            "",
        ),
    ],
)
def test_visits_briefings_and_domestic_meetings_are_not_diplomacy(
    pack: SeedPack, title: str, summary: str
) -> None:
    result = run(pack, title, summary)
    assert result.relevant
    assert "diplomacy" not in result.categories


@pytest.mark.parametrize(
    "title",
    [
        "Pakistan v Afghanistan: rain wrecks the Sharjah clash",
        "Pakistan vs Afghanistan clash in Dubai washed out",
    ],
)
def test_a_fixture_between_the_two_is_sport(pack: SeedPack, title: str) -> None:
    assert not run(pack, title).relevant


@pytest.mark.parametrize(
    "title, strike",
    [
        ("Taliban assault on Kurram border post repulsed, Pakistan says", True),
        ("Afghan Taliban assault on Chitral checkposts beaten back, Pakistan army says", True),
        ("Pakistani troops fighting on the border as Taliban push in", True),
        (
            "Pakistan lodges protest with Kabul over bomber who struck a Quetta market",
            False,
        ),
    ],
)
def test_assaults_and_militant_bombers(pack: SeedPack, title: str, strike: bool) -> None:
    result = run(pack, title)
    assert result.relevant
    assert ("strike" in result.categories) is strike
