"""`sitmon poll --once --demo` and `sitmon check` end to end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from feedserver import FeedServer, Reply, item, rss

from tui.cli import main
from tui.demo.server import DEMO_FEEDS
from tui.ingest.commands import FULL_TABLE_MAX, prepare_analysis
from tui.model import Item
from tui.store import ItemQuery, Store

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_sitmon(
    args: list[str], cwd: Path, env_extra: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITMON_")}
    env.update(env_extra)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )


def test_poll_once_demo_stores_items_then_polls_conditionally(tmp_path: Path) -> None:
    db = tmp_path / "sitmon.db"
    # Both runs' demo servers date the story from the same moment, so their ETags match.
    start = int(datetime.now(UTC).timestamp())
    env = {"SITMON_DEMO_PORT": str(free_port()), "SITMON_DEMO_START": str(start)}
    first = run_sitmon(["poll", "--once", "--demo", "--db", str(db)], tmp_path, env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    for d in DEMO_FEEDS:
        assert d.name in first.stdout
    assert "HTTP 500" in first.stdout
    with Store(db) as store:
        stored = store.count(ItemQuery(relevant_only=False))
        assert stored > 30
        # The demo is dated as if live: every item came out within the last day.
        since = datetime.fromtimestamp(start, UTC) - timedelta(days=1)
        assert store.count(ItemQuery(relevant_only=False, since=since)) == stored
        health = {h.name: h for h in store.feeds()}
    assert all(health[d.name].etag for d in DEMO_FEEDS)

    second = run_sitmon(["--demo", "poll", "--once", "--db", str(db)], tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("not modified 304") == len(DEMO_FEEDS)
    assert "0 new items" in second.stdout
    with Store(db) as store:
        assert store.count(ItemQuery(relevant_only=False)) == stored


def test_poll_once_exits_1_when_every_feed_fails(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "Down"\nurl = "{feed_server.url("/down")}"\n'
        f'[[feed]]\nname = "Gone"\nurl = "{feed_server.set("/gone", Reply(410))}"\n'
    )
    db = tmp_path / "t.db"
    assert main(["poll", "--once", "--feeds", str(feeds), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "HTTP 404" in out and "gone" in out
    feed_server.set("/down", Reply(200, rss(item("Back up", guid="1"))))
    assert main(["poll", "--once", "--feeds", str(feeds), "--db", str(db)]) == 0


def test_check_reports_problems_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text('[[feed]]\nname = "Dawn"\ninterval = 10\nurl = "https://x.org/"\n'
                   '[[feed]]\nname = "Geo"\ncolour = 1\n')
    assert main(["check", "--feeds", str(bad)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"{bad}: feed 'Dawn': interval: must be at least 60 seconds, got 10" in lines
    assert any("feed 'Geo': colour: unknown key" in line for line in lines)
    assert any("feed 'Geo': url: missing" in line for line in lines)


def test_check_ok_on_the_shipped_feeds(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--feeds", str(REPO / "feeds.toml")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("ok: ") and out.count("\n") == 1


def test_bad_feeds_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text("[[feed]\nname = 'x'\n")
    assert main(["poll", "--once", "--feeds", str(bad), "--db", str(tmp_path / "t.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sitmon: error: {bad}: invalid TOML:") and err.count("\n") == 1
    assert "line 1" in err


def test_long_feed_lists_print_what_changed_or_failed_and_a_summary(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    n = FULL_TABLE_MAX + 1
    lines = []
    for i in range(n - 1):
        doc = rss(item(f"Story {i}", guid=f"g{i}"))
        url = feed_server.set(f"/f{i}", [Reply(200, doc, headers=[("ETag", f'"e{i}"')]),
                                         Reply(304, headers=[("ETag", f'"e{i}"')])])
        lines.append(f'[[feed]]\nname = "Feed {i:02d}"\nurl = "{url}"\n')
    lines.append(f'[[feed]]\nname = "Down"\nurl = "{feed_server.url("/down")}"\n')
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(lines))
    args = ["poll", "--once", "--feeds", str(feeds), "--db", str(tmp_path / "t.db")]

    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Feed 00: ok 200, 1 new" in out and "Down: failed 404: HTTP 404 Not Found" in out
    assert f"{n} feeds: {n - 1} ok ({n - 1} with new items, 0 not modified), 1 failed" in out
    assert f"{n - 1} new items stored in {tmp_path / 't.db'}" in out
    assert not any("┃" in line or "│" in line for line in out)  # no table

    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Down: failed 404: HTTP 404 Not Found",
        f"{n} feeds: {n - 1} ok (0 with new items, {n - 1} not modified), 1 failed",
        f"0 new items stored in {tmp_path / 't.db'}",
    ]


def test_a_pack_that_is_not_toml_stops_before_polling(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed_server.set("/a", Reply(200, rss(item("Strike", guid="1"))))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "A"\nurl = "{url}"\n')
    pack = tmp_path / "pack.toml"
    pack.write_text("[pack\nid = 1\n")
    args = ["poll", "--once", "--feeds", str(feeds), "--db", str(tmp_path / "t.db"),
            "--pack", str(pack)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sitmon: error: {pack}: not valid TOML:") and err.count("\n") == 1
    assert feed_server.seen("/a") == []


def test_a_pack_that_does_not_compile_stops_the_poll_with_one_line(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid TOML, but not a valid pack: found when the pack is compiled (once a feed
    sends a document), still one line, exit 2, and nothing stored unanalysed."""
    url = feed_server.set("/a", Reply(200, rss(item("Strike", guid="1"))))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "A"\nurl = "{url}"\n')
    pack = tmp_path / "pack.toml"
    pack.write_text('[pack]\nid = "x"\n')
    db = tmp_path / "t.db"
    args = ["poll", "--once", "--feeds", str(feeds), "--db", str(db), "--pack", str(pack)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sitmon: error: {pack}: ") and err.count("\n") == 1
    with Store(db) as store:
        assert store.count(ItemQuery(relevant_only=False)) == 0


def test_the_pack_is_compiled_only_when_an_item_needs_it(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        analyser = prepare_analysis(None, store)
        assert not analyser.loaded  # an empty store: nothing to re-analyse
        now = datetime(2026, 2, 27, tzinfo=UTC)
        result = analyser(Item(id="1", feed="A", title="Pakistani air strikes on Kabul",
                               summary="", link="", published=now, first_seen=now))
        assert analyser.loaded and result.relevant
