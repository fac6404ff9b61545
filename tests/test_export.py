"""Shift summary export on a real SQLite file with a fixed clock.

Golden files live in tests/golden/export/. After an intended change to the output,
regenerate them with

    SITMON_UPDATE_GOLDEN=1 python -m pytest tests/test_export.py

and read the diff before committing.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

import tui.export.command as command
from tui.errors import UserError
from tui.export import (
    build_summary,
    export_summary,
    parse_when,
    render_html,
    render_json,
    render_markdown,
)
from tui.export.command import default_output, format_for
from tui.model import (
    Analysis,
    Claim,
    DiplomaticMove,
    EntityHit,
    FeedHealth,
    Item,
    Strike,
)
from tui.store import ItemQuery, Store

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
UPDATE = os.environ.get("SITMON_UPDATE_GOLDEN") == "1"

SINCE = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
UNTIL = datetime(2026, 2, 27, 14, 0, tzinfo=UTC)
NOW = UNTIL
PK, AF = "pakistan", "afghanistan"

EVIL_EVIDENCE = "evidence\x1b[2J\x1b]8;;http://x\x07\n| injected | row |"
EVIL_TITLE = "<script>alert(1)</script> | `rm -rf` **bold** [x](javascript:alert(1)) # !"


# -- the fixed store -----------------------------------------------------------


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 2, 27, hh, mm, tzinfo=UTC)


def item(n: str, feed: str, when: datetime, title: str, summary: str = "", link: str = "") -> Item:
    return Item(
        id=n, feed=feed, title=title, summary=summary,
        link=link or f"https://news.example/{feed.lower().replace(' ', '-')}/{n}",
        published=when, first_seen=when + timedelta(minutes=2),
    )


def hit(it: Item, name: str, side: str, kind: str) -> EntityHit:
    start = it.text.find(name)
    assert start >= 0, name
    return EntityHit(name.lower(), name, side, kind, ((start, start + len(name)),))


def claim(
    outcome: str, low: int, high: int | None, victims: str, victim_side: str,
    claimant: str, claimant_side: str, evidence: str, civilian: bool | None = False,
) -> Claim:
    return Claim(outcome, low, high, victims, victim_side, civilian, claimant, claimant_side,
                 evidence)


def fixture_batch() -> list[tuple[Item, Analysis]]:
    """Eight items around a 06:00–14:00 window; two outside it, two not about the conflict."""
    i1 = item("dawn-1", "Dawn", at(6), "Pakistan strikes Taliban positions in Kandahar",
              "ISPR says 150 Afghan Taliban fighters were killed in air strikes on Kandahar "
              "and Khost.")
    a1 = Analysis(
        relevant=True, categories=("strike", "casualty"),
        entities=(hit(i1, "Pakistan", PK, "country"), hit(i1, "Kandahar", AF, "place"),
                  hit(i1, "Khost", AF, "place")),
        claims=(claim("killed", 150, 150, "Afghan Taliban fighters", AF, "ISPR", PK,
                      "ISPR says 150 Afghan Taliban fighters were killed"),),
        strikes=(Strike(PK, ("Kandahar", "Khost"), ("air strike",),
                        "air strikes on Kandahar and Khost"),),
    )
    i2 = item("tolo-1", "TOLOnews", at(7, 15), "Mujahid: 13 fighters lost, 40 civilians killed",
              "Zabihullah Mujahid said 13 fighters were killed and 40 civilians died; he said "
              "55 Pakistani soldiers were killed and 19 posts captured.")
    a2 = Analysis(
        relevant=True, categories=("casualty",),
        entities=(hit(i2, "Zabihullah Mujahid", AF, "person"),),
        claims=(
            claim("killed", 13, 13, "fighters", AF, "Zabihullah Mujahid", AF,
                  "13 fighters were killed"),
            claim("killed", 40, 40, "civilians", AF, "Zabihullah Mujahid", AF,
                  "40 civilians died", civilian=True),
            claim("killed", 55, 55, "Pakistani soldiers", PK, "Zabihullah Mujahid", AF,
                  "55 Pakistani soldiers were killed"),
            claim("posts_captured", 19, 19, "posts", PK, "Zabihullah Mujahid", AF,
                  "19 posts captured"),
        ),
    )
    i3 = item("reuters-1", "Reuters", at(9, 30),
              "Pakistan raises Kandahar toll; Qatar offers to mediate",
              "Pakistan's military said 200 Afghan Taliban fighters were killed. Qatar offered "
              "to mediate between Pakistan and Afghanistan.")
    a3 = Analysis(
        relevant=True, categories=("casualty", "diplomacy"),
        claims=(claim("killed", 200, 200, "Afghan Taliban fighters", AF,
                      "Pakistan's military", PK,
                      "Pakistan's military said 200 Afghan Taliban fighters were killed"),),
        diplomacy=(DiplomaticMove("mediation_offer", ("Qatar", "Pakistan", "Afghanistan"),
                                  "Qatar offered to mediate between Pakistan and Afghanistan"),),
    )
    i4 = item("aj-1", "Al Jazeera", at(11), "Ceasefire talks open in Doha",
              "Delegations met in Doha; more than 30 people were wounded in border clashes, "
              "hospital sources said.")
    a4 = Analysis(
        relevant=True, categories=("casualty", "diplomacy"),
        claims=(claim("wounded", 30, None, "people", "unknown", "", "unknown",
                      "more than 30 people were wounded", civilian=None),),
        diplomacy=(DiplomaticMove("talks", ("Pakistan", "Afghanistan", "Qatar"),
                                  "Delegations met in Doha"),),
    )
    i5 = item("dawn-2", "Dawn", at(12), "Cricket: Lahore wins the final")
    i6 = item("dawn-0", "Dawn", at(5, 59), "Before the shift: border crossing closed")
    i7 = item("reuters-2", "Reuters", UNTIL, "After the shift: foreign ministers to speak")
    i8 = item("gn-1", "Geo News", at(13), "Fuel prices rise again")
    relevant = Analysis(relevant=True, categories=("diplomacy",))
    noise = Analysis(relevant=False)
    return [(i1, a1), (i2, a2), (i3, a3), (i4, a4), (i5, noise), (i6, relevant),
            (i7, relevant), (i8, noise)]


def fill(store: Store) -> None:
    store.add_batch(fixture_batch())
    store.set_flag("reuters-1", True)
    store.set_note("reuters-1", "Check against the ISPR statement.\nAsk the desk for a 2nd source.")
    store.set_flag("gn-1", True)  # flagged but not about the conflict: still reported
    ok = FeedHealth("Dawn", "https://dawn.example/rss", last_attempt=at(13, 55),
                    last_success=at(13, 55), status=200)
    before = FeedHealth("Khaama", "https://khaama.example/rss", last_attempt=at(5),
                        status=500, error="HTTP 500", failures=1)
    blip = FeedHealth("Khaama", "https://khaama.example/rss", last_attempt=at(8),
                      status=None, error="timed out after 20 s", failures=1)
    recovered = FeedHealth("Khaama", "https://khaama.example/rss", last_attempt=at(8, 5),
                           last_success=at(8, 5), status=200)
    down = FeedHealth("Pajhwok", "https://pajhwok.example/rss", last_attempt=at(13, 50),
                      status=503, error="HTTP 503 Service Unavailable", failures=3)
    stale = FeedHealth("Old Wire", "https://old.example/rss", last_attempt=at(2),
                       last_success=at(2), status=200)
    for h in (ok, before, blip, recovered, down, stale):
        store.save_feed(h)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sitmon.db"
    with Store(path) as s:
        fill(s)
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as s:
        yield s


def summary_of(store: Store, **kw: Any) -> Any:
    return build_summary(store, SINCE, UNTIL, now=NOW, **kw)


# -- golden files ---------------------------------------------------------------


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), (
        f"{path} is missing; create it with SITMON_UPDATE_GOLDEN=1 python -m pytest "
        "tests/test_export.py and review it"
    )
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                f"golden/{name}", "actual",
            )
        )
        pytest.fail(
            f"export output differs from {path}.\nIf the change is intended, regenerate with "
            f"SITMON_UPDATE_GOLDEN=1 python -m pytest tests/test_export.py and review the "
            f"diff.\n{diff[:4000]}"
        )


@pytest.mark.parametrize(
    ("name", "render"),
    [("shift.md", render_markdown), ("shift.json", render_json), ("shift.html", render_html)],
)
def test_golden(store: Store, name: str, render: Callable[[Any], str]) -> None:
    check_golden(name, render(summary_of(store)))


def test_golden_markdown_with_all_items_and_a_filter(store: Store) -> None:
    summary = summary_of(store, include_all=True, query=ItemQuery(feed="Dawn"))
    check_golden("shift-all-dawn.md", render_markdown(summary))


# -- what is in the summary -----------------------------------------------------


def test_window_includes_since_and_excludes_until(store: Store) -> None:
    ids = [s.stored.id for s in summary_of(store).sources]
    assert "dawn-1" in ids  # published exactly at since
    assert "reuters-2" not in ids  # published exactly at until
    assert "dawn-0" not in ids  # a minute before since
    assert ids == ["dawn-1", "tolo-1", "reuters-1", "aj-1", "gn-1"]
    # One second later, the item at `until` is in and the one at `since` is out.
    later = build_summary(store, SINCE + timedelta(seconds=1), UNTIL + timedelta(seconds=1),
                          now=NOW)
    later_ids = [s.stored.id for s in later.sources]
    assert "reuters-2" in later_ids and "dawn-1" not in later_ids


def test_scope_all_and_query_filter(store: Store) -> None:
    assert "dawn-2" not in [s.stored.id for s in summary_of(store).sources]
    every = [s.stored.id for s in summary_of(store, include_all=True).sources]
    assert "dawn-2" in every and "gn-1" in every
    only_reuters = summary_of(store, query=ItemQuery(feed="Reuters", since=at(0), limit=1))
    assert [s.stored.id for s in only_reuters.sources] == ["reuters-1"]  # window/limit ignored
    assert only_reuters.filters == (("feed", "Reuters"),)
    text = summary_of(store, query=ItemQuery(text="mujahid"))
    assert [s.stored.id for s in text.sources] == ["tolo-1"]
    assert "text = mujahid" in render_markdown(text)


def test_headline_counts(store: Store) -> None:
    h = summary_of(store).headline
    assert (h.items, h.relevant, h.flagged) == (5, 4, 2)
    assert (h.strikes, h.casualty_claims, h.diplomatic_moves) == (1, 7, 2)
    # Dawn, Pajhwok (attempted in the window) and Khaama (failed in it); not Old Wire.
    assert (h.feeds_polled, h.feeds_failing) == (3, 1)


def test_feed_problems_in_window_and_failing_now(store: Store) -> None:
    problems = summary_of(store).feed_problems
    assert [(p.feed, p.at, p.current) for p in problems] == [
        ("Khaama", at(8), False),
        ("Pajhwok", at(13, 50), False),
        ("Pajhwok", at(13, 50), True),
    ]
    assert "HTTP 500" not in render_markdown(summary_of(store))  # 05:00, before the window


def test_opposing_claims_side_by_side_never_summed(store: Store) -> None:
    summary = summary_of(store)
    fighters = next(i for i in summary.incidents
                    if (i.outcome, i.victim_side, i.civilian) == ("killed", AF, False))
    assert [(e.claim.claimant_side, e.claim.low) for e in fighters.claims] == [
        (AF, 13), (PK, 150), (PK, 200),
    ]
    figures = [e.claim.low for inc in summary.incidents for e in inc.claims]
    sums = {sum(c) for r in range(2, len(figures) + 1) for c in combinations(figures, r)}
    sums -= set(figures)
    for text in (render_markdown(summary), render_html(summary)):
        # Both sides' figures are in the same table ...
        table = text.split("Killed — victims on side afghanistan")[1].split("Killed —")[0]
        assert "150" in table and "13" in table and "200" in table
        # ... and no total of any of them appears anywhere.
        numbers = {int(n) for n in re.findall(r"(?<![\d.:-])\d+(?![\d:-])", text)}
        assert not numbers & sums, numbers & sums
    doc = json.loads(render_json(summary))
    assert "total" not in json.dumps(doc["ledger"]) and "sum" not in json.dumps(doc["ledger"])
    sides = {c["claimant_side"] for c in doc["ledger"]["incidents"][0]["claims"]}
    assert sides == {PK, AF}


def test_unattributed_figures_are_not_a_change(tmp_path: Path) -> None:
    def wounded(n: str, hh: int, low: int) -> tuple[Item, Analysis]:
        it = item(n, "Wire", at(hh), f"{low} wounded, hospital says")
        c = claim("wounded", low, low, "people", AF, "", "unknown", f"{low} wounded")
        return it, Analysis(relevant=True, categories=("casualty",), claims=(c,))

    with Store(tmp_path / "s.db") as s:
        s.add_batch([wounded("a", 7, 10), wounded("b", 8, 25)])
        summary = build_summary(s, SINCE, UNTIL, now=NOW)
    assert summary.changes == ()
    assert [e.claim.low for e in summary.incidents[0].claims] == [10, 25]


def test_changed_figures_are_one_claimant_side_over_time(store: Store) -> None:
    changes = summary_of(store).changes
    assert [(c.claimant_side, c.outcome, c.victim_side, [e.claim.low for e in c.claims])
            for c in changes] == [(PK, "killed", AF, [150, 200])]
    md = render_markdown(summary_of(store))
    assert "150 (S1, 2026-02-27 06:00Z) → 200 (S3, 2026-02-27 09:30Z)" in md


# -- escaping ---------------------------------------------------------------------


@pytest.fixture
def evil_store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "evil.db") as s:
        s.add_batch(fixture_batch())
        evil = item("evil", "Feed | `x` <b>", at(10), EVIL_TITLE,
                    "line one\nline two <img src=x onerror=alert(1)>",
                    link="javascript:alert(1)")
        analysis = Analysis(
            relevant=True, categories=("strike",),
            strikes=(Strike("pakistan|x", ("<script>x</script>",), ("[a](javascript:b)",),
                            EVIL_EVIDENCE),),
        )
        s.add_batch([(evil, analysis)])
        s.set_flag("evil", True)
        s.set_note("evil", "<script>alert(2)</script>\n| a | b |")
        yield s


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.data: list[str] = []
        self.table_rows: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.table_rows += tag == "tr"
        self.hrefs += [v or "" for k, v in attrs if k == "href"]
        assert not any(k.startswith("on") for k, _ in attrs), attrs

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def _parse(markup: str) -> _Tags:
    p = _Tags()
    p.feed(markup)
    p.close()
    return p


def _safe_hrefs(hrefs: list[str]) -> None:
    for href in hrefs:
        assert href.startswith(("https://", "http://", "#")), href


def test_untrusted_text_escaped_in_html(evil_store: Store) -> None:
    summary = summary_of(evil_store)
    markup = render_html(summary)
    assert "\x1b" not in markup and "\x07" not in markup
    evil = _parse(markup)
    assert "script" not in evil.tags and "img" not in evil.tags and "b" not in evil.tags
    _safe_hrefs(evil.hrefs)
    assert EVIL_TITLE in evil.data  # shown literally, as text
    assert "<script>alert(2)</script>\n| a | b |" in evil.data  # the note, as text
    assert "javascript:alert(1) (not http/https, not linked)" in evil.data
    # One header row per table and one row per entry: nothing injected a row.
    assert evil.table_rows == sum(1 + len(t) for t in _md_table_bodies(summary))


class LaxMarkdown(MarkdownIt):
    """A renderer that lets any link through, so that any link syntax at all shows up."""

    def validateLink(self, url: str) -> bool:
        return True


def test_untrusted_text_escaped_in_markdown(evil_store: Store) -> None:
    summary = summary_of(evil_store)
    md = render_markdown(summary)
    rendered = LaxMarkdown("commonmark").enable("table").render(md)
    tags = _parse(rendered)
    assert "script" not in tags.tags and "img" not in tags.tags and "b" not in tags.tags
    assert "strong" not in tags.tags and "code" not in tags.tags
    _safe_hrefs(tags.hrefs)
    assert EVIL_TITLE in "".join(tags.data)  # the literal title comes back as text
    # Every table has exactly one row per entry: header + entries.
    sources = md.split("## Sources")[1]
    rows = [line for line in sources.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(summary.sources)
    expected_cells = rows[0].count("|")
    for line in rows:
        assert len(re.findall(r"(?<!\\)\|", line)) == expected_cells, line
    assert tags.table_rows == sum(
        1 + len(rows_) for rows_ in _md_table_bodies(summary)
    )
    assert not re.search(r"(?<!\\)\]\(", md)
    assert "javascript:alert\\(1\\) (not http/https, not linked)" in md
    assert "\n\n| injected" not in md
    assert "\x1b" not in md and "\x07" not in md


def _md_table_bodies(summary: Any) -> list[list[Any]]:
    """The entries each Markdown table of the summary has (one table per non-empty list)."""
    tables: list[list[Any]] = [list(range(8))]  # the headline
    tables += [list(summary.strikes)] if summary.strikes else []
    tables += [list(inc.claims) for inc in summary.incidents]
    tables += [list(summary.diplomacy)] if summary.diplomacy else []
    tables += [list(summary.flagged)] if summary.flagged else []
    tables += [list(summary.feed_problems)] if summary.feed_problems else []
    tables += [list(summary.sources)] if summary.sources else []
    return tables


def test_untrusted_text_round_trips_in_json(evil_store: Store) -> None:
    doc = json.loads(render_json(summary_of(evil_store)))
    evil = next(i for i in doc["items"] if i["id"] == "evil")
    assert evil["title"] == EVIL_TITLE
    assert evil["link"] == "javascript:alert(1)"
    assert evil["note"] == "<script>alert(2)</script>\n| a | b |"
    assert evil["strikes"][0]["evidence"] == EVIL_EVIDENCE


# -- writing files ----------------------------------------------------------------


def test_export_writes_file_atomically_and_returns_path(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "shift.json"
    out.parent.mkdir()
    out.write_bytes(b"old")
    got = export_summary(store, SINCE, UNTIL, "json", out, now=NOW)
    assert got == out
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 1
    assert sorted(p.name for p in out.parent.iterdir()) == ["shift.json"]


@pytest.mark.parametrize("stage", ["render", "write", "fsync", "replace"])
def test_failure_mid_write_leaves_old_file_intact(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    out = tmp_path / "shift.md"
    old = "previous shift\n\u00e9 \x00 bytes".encode()
    out.write_bytes(old)

    def boom(*_a: object, **_k: object) -> Any:
        raise OSError(28, "No space left on device")

    if stage == "render":
        def bad_render(_s: Any) -> str:
            raise RuntimeError("renderer crashed")

        monkeypatch.setitem(command.FORMATS, "markdown", ("md", bad_render))
    elif stage == "write":
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, fd: int) -> None:
                self.f = real_fdopen(fd, "wb")

            def __enter__(self) -> HalfWriter:
                return self

            def __exit__(self, *exc: object) -> None:
                self.f.close()

            def write(self, data: bytes) -> int:
                self.f.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda fd, _mode: HalfWriter(fd))
    elif stage == "fsync":
        monkeypatch.setattr(os, "fsync", boom)
    else:
        monkeypatch.setattr(os, "replace", boom)

    expected_error = RuntimeError if stage == "render" else UserError
    with pytest.raises(expected_error) as err:
        export_summary(store, SINCE, UNTIL, "markdown", out, now=NOW)
    if stage != "render":
        assert "No space left on device" in str(err.value) and "\n" not in str(err.value)
    assert out.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".shift")] == []


def test_export_to_stdout(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_summary(store, SINCE, UNTIL, "markdown", "-", now=NOW) is None
    assert export_summary(store, SINCE, UNTIL, "json", None, now=NOW) is None
    out = capsys.readouterr().out
    assert out.startswith("# sitmon shift summary\n")
    assert '"schema_version": 1' in out


def test_empty_window_and_unknown_format_are_user_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="empty export window"):
        export_summary(store, UNTIL, SINCE, "markdown", tmp_path / "x.md", now=NOW)
    with pytest.raises(UserError, match="is a directory"):
        export_summary(store, SINCE, UNTIL, "markdown", tmp_path, now=NOW)
    with pytest.raises(UserError, match="No such file or directory"):
        export_summary(store, SINCE, UNTIL, "markdown", tmp_path / "no" / "x.md", now=NOW)
    with pytest.raises(UserError, match="unknown export format"):
        export_summary(store, SINCE, UNTIL, "pdf", tmp_path / "x.pdf", now=NOW)
    assert list(tmp_path.glob("x.*")) == []


def test_format_from_option_then_suffix_then_markdown() -> None:
    assert format_for("html", "a.json") == "html"
    assert format_for(None, "a.JSON") == "json"
    assert format_for(None, Path("a.htm")) == "html"
    assert format_for(None, "a.txt") == "markdown"
    assert format_for(None, "-") == "markdown"
    assert format_for(None, None) == "markdown"
    assert default_output("json", NOW, Path("/tmp")) == Path(
        "/tmp/sitmon-shift-20260227T140000Z.json"
    )


# -- parse_when -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h", at(6)),
        ("90m", at(12, 30)),
        ("2d", at(14) - timedelta(days=2)),
        ("1d12h", at(14) - timedelta(days=1, hours=12)),
        (" 8H ", at(6)),
        ("1w", at(14) - timedelta(weeks=1)),
        ("0m", at(14)),
        ("2026-02-27T06:00", at(6)),  # naive = UTC
        ("2026-02-27 06:00", at(6)),
        ("2026-02-27T06:00Z", at(6)),
        ("2026-02-27T11:00+05:00", at(6)),
        ("2026-02-27", at(0)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW)
    assert got == expected and got.tzinfo is not None and got.utcoffset() == timedelta(0)


def test_parse_when_naive_is_utc_whatever_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Karachi")
    time.tzset()
    try:
        assert parse_when("2026-02-27T06:00", NOW) == at(6)
        assert parse_when("2026-02-27T06:00", NOW).tzinfo == UTC
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    "text", ["", "yesterday", "8x", "-8h", "8", "h", "2026-02-30T06:00", "99999999999d"]
)
def test_parse_when_rejects_garbage_in_one_line(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_when(text, NOW)
    assert "\n" not in str(err.value) and str(err.value)


# -- the command line -------------------------------------------------------------


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITMON_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "ascii"  # the output must not depend on the locale
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True,
        encoding="utf-8", env=env, cwd=cwd, timeout=60, check=False,
    )


WINDOW = ("--since", "2026-02-27T06:00", "--until", "2026-02-27T14:00")


def test_cli_markdown_to_stdout_matches_golden(db: Path) -> None:
    proc = run_cli("export", "--db", str(db), *WINDOW, "-o", "-")
    assert proc.returncode == 0, proc.stderr
    body = proc.stdout.split("- Scope:")[1]  # "Generated" is the real clock here
    golden = (GOLDEN / "shift.md").read_text(encoding="utf-8").split("- Scope:")[1]
    assert body == golden


def test_cli_json_and_file_output(db: Path, tmp_path: Path) -> None:
    proc = run_cli("export", "--db", str(db), *WINDOW, "--format", "json", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema_version"] == 1 and len(doc["items"]) == 5
    assert doc["window"] == {"since": "2026-02-27T06:00:00+00:00",
                             "until": "2026-02-27T14:00:00+00:00"}

    out = tmp_path / "report.html"
    proc = run_cli("export", "--db", str(db), *WINDOW, "--all", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Cricket" in out.read_text(encoding="utf-8")  # --all


def test_cli_default_output_name_in_current_directory(db: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    proc = run_cli("--db", str(db), "export", "--since", "1d", cwd=work)
    assert proc.returncode == 0, proc.stderr
    [written] = list(work.iterdir())
    assert re.fullmatch(r"sitmon-shift-\d{8}T\d{6}Z\.md", written.name)
    assert proc.stdout.strip() == str(written)


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    proc = run_cli("export", "--db", str(missing), "-o", "-")
    assert proc.returncode == 2
    assert proc.stderr == (
        f"sitmon: error: no database at {missing}; run `sitmon poll --once` first\n"
    )
    assert not missing.exists()

    with Store(tmp_path / "ok.db"):
        pass
    proc = run_cli("export", "--db", str(tmp_path / "ok.db"), "--since", "last tuesday")
    assert proc.returncode == 2
    assert proc.stderr.startswith("sitmon: error: --since: cannot read time 'last tuesday'")
    assert proc.stderr.count("\n") == 1
    assert list(tmp_path.glob("sitmon-shift-*")) == []
