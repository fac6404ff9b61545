"""OPML import (append-only, deduplicated, DTD-free) and export."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import bundled_feeds_path, load_feeds
from tui.errors import UserError
from tui.model import FeedConfig
from tui.opml import export_opml, import_opml, parse_opml, toml_string

EXISTING = """# my feeds — hand-written, keep my comments
[[feed]]
name = "Dawn"
url = "https://www.dawn.com/feeds/home"   # trailing comment
interval = 300
kind = "newspaper\""""  # no final newline on purpose

OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Exported</title></head><body>
  <outline text="Pakistan">
    <outline type="rss" text="Dawn again" xmlUrl="https://www.dawn.com/feeds/home"/>
    <outline type="rss" text="Dawn" title="Dawn" xmlUrl="https://www.dawn.com/feeds/pakistan"/>
  </outline>
  <outline type="rss" text="Quote &quot;and&quot; back\\slash \xe2\x80\xae x" xmlUrl="http://example.org/q"/>
  <outline type="rss" text="Bad scheme" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" xmlUrl="https://untitled.example.net/rss"/>
</body></opml>"""


def test_import_appends_without_touching_existing_text(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(EXISTING, encoding="utf-8")
    opml = tmp_path / "in.opml"
    opml.write_bytes(OPML)
    result = import_opml(opml, feeds)
    text = feeds.read_text(encoding="utf-8")
    assert text.startswith(EXISTING + "\n")
    assert [f.name for f in result.added] == ["Dawn (2)", 'Quote "and" back\\slash x',
                                              "untitled.example.net"]
    assert result.added[0].tags == ("pakistan", "imported")
    assert any("already in" in s for s in result.skipped)
    assert any("Bad scheme" in s for s in result.skipped)
    loaded = load_feeds(feeds)
    assert [f.url for f in loaded] == [
        "https://www.dawn.com/feeds/home",
        "https://www.dawn.com/feeds/pakistan",
        "http://example.org/q",
        "https://untitled.example.net/rss",
    ]
    # Importing again adds nothing and leaves the file as it is.
    again = import_opml(opml, feeds)
    assert again.added == () and feeds.read_text(encoding="utf-8") == text


def test_import_creates_a_missing_file_from_the_bundled_list(tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_bytes(OPML)
    target = tmp_path / "new" / "feeds.toml"
    result = import_opml(opml, target)
    assert result.created
    assert target.read_text(encoding="utf-8").startswith(
        bundled_feeds_path().read_text(encoding="utf-8")
    )
    assert len(load_feeds(target)) == len(load_feeds(bundled_feeds_path())) + len(result.added)


def test_import_refuses_a_broken_feeds_file(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[[feed]]\nname = 'x'\n", encoding="utf-8")
    opml = tmp_path / "in.opml"
    opml.write_bytes(OPML)
    with pytest.raises(UserError, match="url: missing"):
        import_opml(opml, feeds)
    assert feeds.read_text(encoding="utf-8") == "[[feed]]\nname = 'x'\n"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<opml version="2.0"><body><outline text="&f;" xmlUrl="http://example.org/&f;"/></body></opml>"""


def test_billion_laughs_is_refused_fast() -> None:
    started = time.monotonic()
    with pytest.raises(UserError, match="refused: DOCTYPE and ENTITY declarations"):
        parse_opml(LAUGHS, "in.opml")
    assert time.monotonic() - started < 1


def test_external_entity_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OPML-91")
    doc = (
        b'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x SYSTEM "'
        + secret.as_uri().encode()
        + b'">]>\n<opml version="2.0"><body><outline text="&x;" xmlUrl="http://e.org/a"/>'
        b"</body></opml>"
    )
    opml = tmp_path / "in.opml"
    opml.write_bytes(doc)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(EXISTING, encoding="utf-8")
    with pytest.raises(UserError) as info:
        import_opml(opml, feeds)
    assert "SECRET" not in str(info.value)
    assert feeds.read_text(encoding="utf-8") == EXISTING
    # A bare external DTD reference is refused too.
    with pytest.raises(UserError, match="refused"):
        parse_opml(b'<!DOCTYPE opml SYSTEM "' + secret.as_uri().encode() + b'"><opml/>')


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (b"<opml><body><outline", "not well-formed XML"),
        (b"<rss version='2.0'/>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body> element"),
    ],
)
def test_malformed_opml(doc: bytes, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_opml(doc, "x.opml")


def test_export_round_trips(tmp_path: Path) -> None:
    feeds = [
        FeedConfig("Dawn", "https://www.dawn.com/feeds/home", tags=("pakistan",)),
        FeedConfig('A "quoted" & <odd> name', "https://example.org/rss?a=1&b=2"),
    ]
    text = export_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    found, skipped = parse_opml(text.encode(), "out.opml")
    assert skipped == []
    assert [(f.name, f.url) for f in found] == [(f.name, f.url) for f in feeds]


def test_toml_string_escapes() -> None:
    import tomllib

    for value in ['plain', 'a "b" \\ c', "tab\there", "\x1b[31m", "پاکستان"]:
        assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value


def test_cli_feeds_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITMON_FEEDS", raising=False)
    feeds = tmp_path / "mine.toml"
    feeds.write_text(EXISTING, encoding="utf-8")
    assert main(["feeds", "export", "--feeds", str(feeds)]) == 0
    out = capsys.readouterr().out
    assert 'xmlUrl="https://www.dawn.com/feeds/home"' in out
    (tmp_path / "in.opml").write_bytes(OPML)
    assert main(["--feeds", str(feeds), "feeds", "import", "in.opml"]) == 0
    assert "added 3 feeds" in capsys.readouterr().err
    assert main(["feeds", "export", "--feeds", str(feeds), "-o", "out.opml"]) == 0
    assert (tmp_path / "out.opml").read_text().count("<outline") == 4
    assert "wrote 4 feeds" in capsys.readouterr().err
    (tmp_path / "evil.opml").write_bytes(LAUGHS)
    assert main(["feeds", "import", "evil.opml", "--feeds", str(feeds)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sitmon: error: evil.opml: refused") and err.count("\n") == 1
