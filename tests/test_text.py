"""Cleaning untrusted feed text: what reaches the store is plain, printable, one line."""

from __future__ import annotations

import pytest

from tui.text import MAX_TITLE, clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Strikes on <b>Kabul</b></p><p>second</p>", "Strikes on Kabul second"),
        ("Talks &amp; truce &#8212; &quot;open&quot;", 'Talks & truce — "open"'),
        ("a<script>alert(1)</script>b", "ab"),
        ("red \x1b[31mALERT\x1b[0m text", "red ALERT text"),
        ("link \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 here", "link click here"),
        ("clip \x1b]52;c;ZXZpbA==\x07 done", "clip done"),
        ("bell\x07 and nul\x00 and del\x7f", "bell and nul and del"),
        ("c1 \x9b31m csi and \x85 nel", "c1 csi and nel"),
        ("bidi \u202eevil\u202c and \u2066iso\u2069", "bidi evil and iso"),
        ("zero\u200bwidth\u200d\ufeff", "zerowidth"),
        ("  many \n\t spaces\r\n ", "many spaces"),
        # An entity that decodes to ESC yields no ESC (the leftover text is harmless data).
        ("entity-escape &#27;[31mred", "entity-escape [31mred"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_right_to_left_text_is_kept() -> None:
    urdu = "پاکستان اور افغانستان کی سرحد پر جھڑپیں"
    assert clean_text(f"<p>{urdu}</p>") == urdu


def test_markup_like_brackets_are_plain_text_and_kept() -> None:
    # Brackets are data: cleaning keeps them; the widgets must not interpret them.
    assert clean_text("[bold]x[/] [@click=app.quit]y") == "[bold]x[/] [@click=app.quit]y"


def test_length_is_capped() -> None:
    out = clean_text("x" * 10_000, limit=MAX_TITLE)
    assert len(out) == MAX_TITLE
    assert out.endswith("…")


def test_malformed_html_does_not_raise() -> None:
    assert "text" in clean_text("<div><p>text<</b></notatag <a href='")
