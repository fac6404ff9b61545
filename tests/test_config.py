"""feeds.toml loading: one-line errors naming file, feed and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import (
    bundled_feeds_path,
    load_feeds,
    resolve_feeds_path,
    validate_feeds,
)
from tui.errors import UserError
from tui.model import FEED_KINDS, FeedConfig

REPO = Path(__file__).resolve().parent.parent

GOOD = """
[[feed]]
name = "Dawn"
url = "https://www.dawn.com/feeds/home"
interval = 300
tags = ["pakistan"]
kind = "newspaper"

[[feed]]
name = "Minimal"
url = "http://example.org/rss"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as info:
        load_feeds(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert load_feeds(path) == [
        FeedConfig("Dawn", "https://www.dawn.com/feeds/home", 300, ("pakistan",), "newspaper"),
        FeedConfig("Minimal", "http://example.org/rss"),
    ]
    assert validate_feeds(path) == []


def test_interval_too_small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, GOOD.replace("interval = 300", "interval = 10"))
    assert error_of(Path("feeds.toml")) == (
        "feeds.toml: feed 'Dawn': interval: must be at least 60 seconds, got 10"
    )


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('interval = 300', 'interval = = 300'))
    message = error_of(path)
    assert message.startswith(f"{path}: invalid TOML:") and "line 5" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('url = "https://www.dawn.com/feeds/home"\n', ""), "feed 'Dawn': url: missing"),
        (("kind =", "colour = 'red'\nkind ="), "feed 'Dawn': colour: unknown key"),
        (('"newspaper"', '"blog"'), "feed 'Dawn': kind: must be one of"),
        (("https://www.dawn.com", "ftp://www.dawn.com"), "feed 'Dawn': url: must be an http"),
        (("https://www.dawn.com/feeds/home", "javascript:alert(1)"), "feed 'Dawn': url: must be"),
        (("https://www.dawn.com/feeds/home", "https:///nohost"), "feed 'Dawn': url: has no host"),
        (('"Minimal"', '"dawn"'), "feed 'dawn': name: duplicate (also feed #1)"),
        (("http://example.org/rss", "https://www.dawn.com/feeds/home"),
         "feed 'Minimal': url: duplicate (also feed 'Dawn')"),
        (("interval = 300", 'interval = "300"'), "feed 'Dawn': interval: must be a whole number"),
        (("interval = 300", "interval = 99999999"), "feed 'Dawn': interval: must be at most"),
        (('tags = ["pakistan"]', 'tags = "pakistan"'), "feed 'Dawn': tags: must be a list"),
        (('name = "Minimal"\n', ""), "feed #2: name: missing"),
    ],
)
def test_one_line_errors(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    message = error_of(path)
    assert message.startswith(f"{path}: {expected}"), message


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    text = GOOD.replace("interval = 300", "interval = 5").replace(
        "http://example.org/rss", "file:///etc/passwd"
    ) + "\n[[feed]]\nname = 'No URL'\nsurprise = 1\n\n[settings]\nx = 1\n"
    path = write(tmp_path, text)
    problems = validate_feeds(path)
    assert len(problems) == 5, problems
    assert all(p.startswith(f"{path}: ") and "\n" not in p for p in problems)
    assert "more; run `sitmon check`" in error_of(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    assert "no feeds" in error_of(write(tmp_path, "# nothing yet\n"))
    assert error_of(tmp_path / "nope.toml") == f"{tmp_path / 'nope.toml'}: not found"
    assert validate_feeds(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: not found"]
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in error_of(bad)


def test_resolve_feeds_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_feeds_path(None) == bundled_feeds_path()
    (tmp_path / "feeds.toml").write_text(GOOD)
    assert resolve_feeds_path(None) == Path("feeds.toml")
    assert resolve_feeds_path(Path("/x/other.toml")) == Path("/x/other.toml")


def test_repo_feeds_file_is_valid_and_bundled_copy_identical() -> None:
    repo_copy = REPO / "feeds.toml"
    assert repo_copy.read_bytes() == bundled_feeds_path().read_bytes()
    feeds = load_feeds(repo_copy)
    assert len(feeds) >= 12
    assert {f.kind for f in feeds} <= set(FEED_KINDS)
    names = " ".join(f.name for f in feeds)
    for outlet in ("Dawn", "Tribune", "Geo", "The News", "TOLOnews", "Pajhwok", "Khaama",
                   "Amu", "Al Jazeera", "BBC", "Reuters", "UN News", "Google News"):
        assert outlet in names
    assert all(f.url.startswith("https://") for f in feeds)
