"""The figure reader: digits, words, vague counts, modifiers and ranges."""

from __future__ import annotations

import pytest

from tui.analysis.fold import fold
from tui.analysis.numbers import find_figures, parse_figure, words_to_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23", (23, 23)),
        ("1,200", (1200, 1200)),
        ("twenty-three", (23, 23)),
        ("two hundred and five", (205, 205)),
        ("two thousand", (2000, 2000)),
        ("three thousand four hundred", (3400, 3400)),
        ("a dozen", (12, 12)),
        ("two dozen", (24, 24)),
        ("dozens", (12, None)),
        ("hundreds", (100, None)),
        ("thousands", (1000, None)),
        ("scores", (20, None)),
        ("several", (3, None)),
        ("multiple", (2, None)),
        ("more than 200", (200, None)),
        ("over 200", (200, None)),
        ("at least 12", (12, None)),
        ("at least twelve", (12, None)),
        ("about 40", (40, None)),
        ("around 40", (40, None)),
        ("nearly 40", (40, None)),
        ("up to 40", (40, None)),
        ("some 40", (40, None)),
        ("at most 40", (40, 40)),
        ("11-15", (11, 15)),
        ("11 to 15", (11, 15)),
        ("between 11 and 15", (11, 15)),
        ("five or six", (5, 6)),
    ],
)
def test_parse_figure(text: str, expected: tuple[int, int | None]) -> None:
    assert parse_figure(text) == expected


@pytest.mark.parametrize("text", ["many", "soldiers", "15-11", "1.5", ""])
def test_not_a_figure(text: str) -> None:
    assert parse_figure(text) is None


def test_words_to_int() -> None:
    assert words_to_int("ninety-nine") == 99
    assert words_to_int("a hundred") == 100
    assert words_to_int("one thousand two hundred") == 1200
    assert words_to_int("banana") is None


def test_find_figures_gives_offsets() -> None:
    text = "officials said 14 were hurt and more than 30 died near the 2,600 km line"
    figures = find_figures(text)
    assert [(text[f.start : f.end], f.low, f.high) for f in figures] == [
        ("14", 14, 14),
        ("more than 30", 30, None),
        ("2,600", 2600, 2600),
    ]


def test_no_figure_inside_words_or_decimals() -> None:
    assert find_figures("the g20 summit and a 7.5 magnitude quake") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۲۳", (23, 23)),  # Extended Arabic-Indic digits (Urdu, Persian)
        ("٢٣", (23, 23)),  # Arabic-Indic digits
        ("درجنوں", (12, None)),  # Urdu "dozens"
        ("لسګونه", (12, None)),  # Pashto "dozens", written with the Pashto gaf
        ("ده‌ها", (12, None)),  # Dari "dozens", with a zero-width non-joiner
        ("چندین", (3, None)),  # Dari "several"
        ("سینکڑوں", (100, None)),  # Urdu "hundreds"
        ("40 سے زائد", (40, None)),  # Urdu "more than 40": the modifier follows the figure
        ("۱۵ سے زیادہ", (15, None)),
    ],
)
def test_figures_in_arabic_script(text: str, expected: tuple[int, int | None]) -> None:
    folded = fold(text)
    found = find_figures(folded)
    assert [(f.low, f.high) for f in found] == [expected]
