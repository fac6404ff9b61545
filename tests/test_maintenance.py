"""Re-analysis when the seed pack changes, `sitmon reanalyse` and `sitmon prune`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.analysis import analyse
from tui.maintenance import ensure_current
from tui.model import NOT_ANALYSED, Analysis, Item
from tui.seeds import load_pack
from tui.store import ItemQuery, Store

ROOT = Path(__file__).resolve().parent.parent
RURITANIA = Path(__file__).parent / "fixtures" / "analysis" / "ruritania.toml"
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)

STRIKE_TITLE = "Pakistani jets strike Taliban posts in Kandahar, Afghan officials say"
CRICKET_TITLE = "Pakistan beat New Zealand by six wickets in Lahore"


def _item(n: int, title: str, days_ago: int = 0) -> Item:
    when = T0 - timedelta(days=days_ago)
    return Item(id=f"i{n}", feed="Desk", title=title, summary="", link="",
                published=when, first_seen=when)


def _store_unanalysed(path: Path) -> None:
    with Store(path) as store:
        store.add_batch([(_item(1, STRIKE_TITLE), NOT_ANALYSED),
                         (_item(2, CRICKET_TITLE), NOT_ANALYSED)])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITMON_")}
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=False, timeout=60)


def test_pack_change_triggers_reanalysis_once(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store_unanalysed(db)
    pack_file = tmp_path / "pack.toml"
    shutil.copy(ROOT / "seeds" / "afpak-2026.toml", pack_file)
    pack = load_pack(pack_file)
    calls: list[str] = []

    def counting(item: Item) -> Analysis:
        calls.append(item.id)
        return analyse(item, pack)

    with Store(db) as store:
        assert ensure_current(store, pack, counting) == 2
        assert [s.id for s in store.items(ItemQuery(category="strike"))] == ["i1"]
        assert ensure_current(store, pack, counting) is None  # unchanged: no work
        assert calls == ["i1", "i2"]
        # The user edits the pack: everything is analysed again.
        pack_file.write_text(pack_file.read_text() + "\n# edited\n")
        assert ensure_current(store, load_pack(pack_file), counting) == 2


def test_reanalyse_command_updates_stored_items(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store_unanalysed(db)
    done = _run("reanalyse", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "re-analysed 2 items" in done.stdout
    with Store(db) as store:
        assert [s.id for s in store.items()] == ["i1"]
        got = store.get("i1")
        assert got is not None and "strike" in got.analysis.categories


def test_reanalyse_with_another_pack(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store_unanalysed(db)
    assert _run("reanalyse", "--db", str(db), "--pack", str(RURITANIA)).returncode == 0
    with Store(db) as store:
        assert store.items() == []  # neither item is about the made-up conflict


def test_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    for cmd in ("reanalyse", "prune"):
        extra = ["--older-than", "30d"] if cmd == "prune" else []
        done = _run(cmd, "--db", str(tmp_path / "nope.db"), *extra)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "no database at" in done.stderr
        assert not (tmp_path / "nope.db").exists()


def test_prune_removes_old_unflagged_items(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    now = datetime.now(UTC)
    with Store(db) as store:
        old = [
            Item(id=f"old{n}", feed="Desk", title="t", summary="", link="",
                 published=now - timedelta(days=40), first_seen=now - timedelta(days=40))
            for n in range(3)
        ]
        new = Item(id="new", feed="Desk", title="t", summary="", link="",
                   published=now, first_seen=now)
        store.add_batch([(i, NOT_ANALYSED) for i in [*old, new]])
        store.set_flag("old0", True)
    done = _run("prune", "--db", str(db), "--older-than", "30d")
    assert done.returncode == 0, done.stderr
    assert "removed 2 items" in done.stdout
    with Store(db) as store:
        left = sorted(s.id for s in store.items(ItemQuery(relevant_only=False)))
    assert left == ["new", "old0"]
