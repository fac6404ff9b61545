"""Strike records: who attacked (only as the text states it) and where the strike fell.

Invented wire-style sentences, one class of rule per test.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.analysis import analyse
from tui.model import Item, Strike
from tui.seeds import SeedPack, load_pack

NOW = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def pack() -> SeedPack:
    return load_pack(None)


def strikes(pack: SeedPack, title: str, summary: str = "") -> tuple[Strike, ...]:
    item = Item(
        id="s", feed="f", title=title, summary=summary, link="", published=NOW, first_seen=NOW
    )
    result = analyse(item, pack)
    assert result.relevant, title
    return result.strikes


def first(pack: SeedPack, title: str, summary: str = "") -> Strike:
    found = strikes(pack, title, summary)
    assert found, title
    return found[0]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # the agent right before the strike term
        ("Pakistani warplanes pound hideouts in Khost overnight", "pakistan"),
        ("Afghan forces shelled a Pakistani border village near Chaman on Tuesday", "afghanistan"),
        ("Pakistan carried out fresh air strikes in Kunar, residents said", "pakistan"),
        ("Taliban fighters launched retaliatory raids on Pakistani posts in Kurram", "afghanistan"),
        ("Pakistani forces had conducted drone strikes in Paktika before dawn", "pakistan"),
        ("Afghan Taliban units overran two Pakistani checkposts near Torkham", "afghanistan"),
        ("Pakistani drones struck a compound in Nangarhar, Afghan officials said", "pakistan"),
        # a location between the agent and the term
        ("Afghan forces in Kunar shelled Pakistani positions across the border", "afghanistan"),
        # the agent after "by" / "from"
        ("Air strikes carried out by Pakistan hit two districts of Khost", "pakistan"),
        ("Mortar shells fired from Afghanistan landed in a village in Bajaur", "afghanistan"),
        # a pronoun standing for the speaker
        ("The Islamic Emirate said its forces struck Pakistani posts in Kurram", "afghanistan"),
        ("Pakistan's army said its jets bombed Taliban hideouts in Paktika", "pakistan"),
    ],
)
def test_the_agent_of_a_strike_is_the_attacker(pack: SeedPack, text: str, side: str) -> None:
    assert first(pack, text).attacker_side == side


@pytest.mark.parametrize(
    "text",
    [
        "Pakistani and Afghan troops exchanged fire near the Torkham crossing",
        "Clashes between Pakistan and Afghanistan flare again along the Durand Line",
        "Heavy fighting between Pakistani and Taliban forces enters a third day",
        "Afghan and Pakistani border guards traded fire for hours near Chaman",
        "Pakistan-Afghanistan skirmishes resume in Kurram",
        "Pakistani forces clashed with Afghan Taliban fighters overnight in Bajaur",
        "Hostilities between Islamabad and Kabul show no sign of easing",
    ],
)
def test_mutual_fighting_has_no_attacker(pack: SeedPack, text: str) -> None:
    assert [s.attacker_side for s in strikes(pack, text)] == ["unknown"]


@pytest.mark.parametrize(
    "text",
    [
        "China urges Pakistan and Afghanistan to end the fighting on their border",
        "Qatar calls for restraint as Afghanistan-Pakistan clashes intensify",
        "The EU called on Islamabad and Kabul to halt the hostilities and return to talks.",
        "Turkey offered to mediate after days of fighting between Pakistan and Afghanistan.",
    ],
)
def test_an_appeal_about_the_fighting_has_no_attacker(pack: SeedPack, text: str) -> None:
    found = strikes(pack, text)
    assert found and all(s.attacker_side == "unknown" for s in found)
    # the party called on is not where a strike fell
    assert all("Islamabad" not in s.targets and "Kabul" not in s.targets for s in found)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # the place struck is the target, not the attacker
        ("Air strikes on Kandahar kill 9, Taliban officials say", "unknown"),
        ("Strikes in Paktika leave Afghan madrassa in ruins as Pakistan stays silent", "unknown"),
        # ... but the other party describing its own strikes is the attacker
        ("Pakistan says strikes on Kandahar hit militant training camps", "pakistan"),
        ("Islamabad says counter-strikes against the Taliban are continuing", "pakistan"),
        ("Kabul says counter-strikes on Pakistani posts in Kurram were a success", "afghanistan"),
        (
            "Pakistani military spokesman said operations against militant targets in "
            "Afghanistan would go on",
            "pakistan",
        ),
    ],
)
def test_a_strike_on_a_party_is_not_by_it(pack: SeedPack, text: str, side: str) -> None:
    assert first(pack, text).attacker_side == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # a casualty figure of one party's people or posts
        (
            "Afghan officials say 40 Pakistani troops killed and 12 checkposts captured",
            "afghanistan",
        ),
        ("Islamabad says 70 Taliban fighters dead after counter-offensive", "pakistan"),
        # one party's posts named as hit, the other party named
        (
            "Afghan authorities showed footage of a Pakistani checkpost struck by artillery fire.",
            "afghanistan",
        ),
    ],
)
def test_victims_of_one_party_make_the_other_the_attacker(
    pack: SeedPack, text: str, side: str
) -> None:
    assert first(pack, text).attacker_side == side


def test_victims_alone_do_not_name_an_attacker_in_an_appeal(pack: SeedPack) -> None:
    found = strikes(
        pack, "UN urges restraint after 12 Pakistani soldiers died in fighting with Afghan forces"
    )
    assert [s.attacker_side for s in found] == ["unknown"]


def test_a_third_armed_group_is_no_attacker_between_the_parties(pack: SeedPack) -> None:
    found = strikes(
        pack,
        "Pakistan blames Kabul after TTP fighters attacked a border post in Bajaur",
    )
    assert all(s.attacker_side == "unknown" for s in found)


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("Pakistani jets bomb Khost and Paktika overnight", ("Khost", "Paktika")),
        (
            "Smoke rises over Paktia after a strike on what Islamabad says was a TTP camp",
            ("Paktia",),
        ),
        (
            "Pakistani officials showed a video of a compound in Khost province they said was "
            "a Taliban depot hit by an air strike.",
            ("Khost",),
        ),
        # the attacker's own places are no targets
        ("Afghan forces in Kunar shelled Pakistani posts in Bajaur", ("Bajaur",)),
        # a place after "from" is where the strike came from
        ("Mortars fired from Afghanistan's Kunar hit a market in Pakistan's Bajaur", ("Bajaur",)),
        # a country only when no place is named
        ("Pakistan says counter-strikes into Afghanistan will go on", ("Afghanistan",)),
        ("Taliban fighters launch attacks on Pakistani border posts", ("Pakistan",)),
        # a negated target is none
        ("Pakistani officials said the air strikes hit TTP camps, not Afghan army bases.", ()),
    ],
)
def test_targets(pack: SeedPack, text: str, targets: tuple[str, ...]) -> None:
    assert first(pack, text).targets == targets


def test_a_dateline_is_no_target(pack: SeedPack) -> None:
    found = strikes(
        pack,
        "Pakistan hits back",
        "KABUL (Wire) - Pakistani jets struck targets in Khost province on Monday.",
    )
    body = [s for s in found if s.evidence.startswith("KABUL")]
    assert body and body[0].targets == ("Khost",)
    assert body[0].attacker_side == "pakistan"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # Urdu: "clashes on the Pakistan and Afghanistan border"; "exchange of fire"
        ("پاکستان اور افغانستان کی سرحد پر جھڑپیں جاری", "unknown"),
        # Urdu: "Afghan forces' shelling in Kurram, 3 people martyred"
        ("کرم میں افغان فورسز کی گولہ باری، 3 افراد شہید", "afghanistan"),
        # Pashto: "clashes between Pakistan and Afghanistan in Kurram"
        ("د پاکستان او افغانستان ترمنځ په کرم کې نښتې", "unknown"),
    ],
)
def test_urdu_and_pashto_headlines(pack: SeedPack, text: str, side: str) -> None:
    assert first(pack, text).attacker_side == side


def test_urdu_target_after_the_name(pack: SeedPack) -> None:
    strike = first(pack, "کرم میں افغان فورسز کی گولہ باری، 3 افراد شہید")
    assert strike.targets == ("Kurram",)
    strike = first(pack, "خوست میں پاکستانی طیاروں کی بمباری")
    assert strike.attacker_side == "pakistan"
    assert strike.targets == ("Khost",)
