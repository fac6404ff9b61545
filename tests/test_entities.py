"""Entity matching: word boundaries, case rules for acronyms, scripts, spans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.analysis import analyse
from tui.model import Item
from tui.seeds import SeedPack, load_pack

NOW = datetime(2026, 2, 27, tzinfo=UTC)


@pytest.fixture(scope="module")
def pack() -> SeedPack:
    return load_pack(None)


def entities(pack: SeedPack, title: str, summary: str = "") -> dict[str, list[str]]:
    item = Item(
        id="t", feed="f", title=title, summary=summary, link="", published=NOW, first_seen=NOW
    )
    text = item.text
    return {hit.id: [text[a:b] for a, b in hit.spans] for hit in analyse(item, pack).entities}


def test_spans_index_into_item_text(pack: SeedPack) -> None:
    found = entities(pack, "Kabul says", "Pakistan's jets hit Kandahar")
    assert found["kabul"] == ["Kabul"]
    assert found["pakistan"] == ["Pakistan"]
    assert found["kandahar"] == ["Kandahar"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Fans gather in Tirana for the final", "iran"),
        ("Prices fell under pressure", "united_nations"),
        ("the un said nothing", "united_nations"),
        ("a ttp test", "ttp"),
        ("Pakistanibad is not a place", "pakistan"),
    ],
)
def test_word_boundaries_and_acronym_case(pack: SeedPack, text: str, absent: str) -> None:
    assert absent not in entities(pack, text)


def test_acronyms_in_capitals_match(pack: SeedPack) -> None:
    found = entities(pack, "The UN and ISPR said the TTP and ISKP were active; IS-K denied it")
    assert found["united_nations"] == ["UN"]
    assert found["ispr"] == ["ISPR"]
    assert found["ttp"] == ["TTP"]
    assert found["iskp"] == ["ISKP", "IS-K"]


def test_possessives_hyphens_and_demonyms(pack: SeedPack) -> None:
    found = entities(pack, "Pakistan's army and Afghan-Pakistan ties; Pakistani and Afghan envoys")
    assert found["pakistan"] == ["Pakistan", "Pakistan", "Pakistani"]
    assert found["afghanistan"] == ["Afghan", "Afghan"]


def test_longest_alias_wins(pack: SeedPack) -> None:
    found = entities(pack, "Pakistani Taliban fighters attacked a post in Pak-Afghan border area")
    assert found["ttp"] == ["Pakistani Taliban"]
    assert "pakistan" not in found
    assert found["pak_afghan_border"] == ["Pak-Afghan border"]


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Spokesman Zabiullah Mujahid spoke", "zabihullah_mujahid"),
        ("Tehrik-i-Taliban Pakistan claimed it", "ttp"),
        ("Tehreek e Taliban Pakistan claimed it", "ttp"),
        ("Islamic State Khorasan claimed it", "iskp"),
        ("Minister Khawaja Asif spoke", "khawaja_asif"),
        ("Leaders met in Türkiye", "turkey"),
        ("Leaders met in TURKIYE", "turkey"),
        ("the Taliban spokesman said", "zabihullah_mujahid"),
    ],
)
def test_spelling_variants_titles_and_accents(pack: SeedPack, text: str, entity: str) -> None:
    assert entity in entities(pack, text)


@pytest.mark.parametrize(
    ("text", "entity", "surface"),
    [
        ("پاکستان اور افغانستان کے درمیان", "pakistan", "پاکستان"),
        ("پاکستان اور افغانستان کے درمیان", "afghanistan", "افغانستان"),
        ("په کابل کې چاودنه", "kabul", "کابل"),
        ("طالبان وايي", "taliban", "طالبان"),
        ("كابل", "kabul", "كابل"),  # Arabic kaf, folded to the Persian form
    ],
)
def test_native_scripts(pack: SeedPack, text: str, entity: str, surface: str) -> None:
    assert entities(pack, text)[entity] == [surface]


def test_native_script_word_boundary(pack: SeedPack) -> None:
    assert "kabul" not in entities(pack, "کابلی")  # a longer word is not the city
