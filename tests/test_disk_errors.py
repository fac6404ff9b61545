"""A database that cannot be written (read-only, disk full): one clear line, nothing lost.

Tests run as root, so file permissions do not stop writes. The failing database is made
in the CLI's own process, on the connection the Store opened: ``PRAGMA query_only`` (what
a read-only file looks like to SQLite) or ``PRAGMA max_page_count`` at the current size
(SQLite then raises SQLITE_FULL, "database or disk is full", exactly as on a full disk).
Where unprivileged user namespaces allow it, a really full tmpfs is tried as well.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from feedserver import FeedServer, Reply, item, rss, running

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "500"}  # no wrapped table cells

# Runs the real CLI with the Store's connection made read-only or full right after it opens.
CLI_WITH_FAULT = r"""
import sys
from tui import store as _store

_open = _store.Store.__init__

def _faulty(self, *args, **kwargs):
    _open(self, *args, **kwargs)
    if sys.argv[1] == "read-only":
        self._db.execute("PRAGMA query_only = ON")
    elif sys.argv[1] == "full":
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages}")

_store.Store.__init__ = _faulty
from tui.cli import main
raise SystemExit(main(sys.argv[2:]))
"""


def feed_doc(tag: str, n: int = 40) -> bytes:
    return rss(*[item(f"Pakistani jets strike Taliban posts near Chaman, report {tag}-{k}",
                      guid=f"{tag}-{k}",
                      summary="Security sources said the strikes hit posts along the border. "
                      * 6)
                 for k in range(n)])


def write_feeds(path: Path, server: FeedServer, tag: str) -> Path:
    urls = [server.set(f"/{tag}{i}", Reply(200, feed_doc(f"{tag}{i}"))) for i in range(3)]
    path.write_text("".join(f'[[feed]]\nname = "Wire {i}"\nurl = "{u}"\ninterval = 300\n\n'
                            for i, u in enumerate(urls)))
    return path


def poll(db: Path, feeds: Path, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    args = ["poll", "--once", "--feeds", str(feeds), "--db", str(db)]
    cmd = [sys.executable, "-c", CLI_WITH_FAULT, fault, *args] if fault else [
        sys.executable, "-m", "tui", *args]
    return subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)


def snapshot(db: Path) -> tuple[set[tuple[str, str]], str]:
    """(every stored (id, title), integrity_check) read with plain sqlite3."""
    con = sqlite3.connect(db)
    try:
        rows = {(r[0], r[1]) for r in con.execute("SELECT id, title FROM items")}
        return rows, str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def first_poll(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[tuple[str, str]]]:
    """One database filled by a first poll (items and the pack digest, so later runs go
    straight to polling), made once and copied for each test."""
    work = tmp_path_factory.mktemp("first")
    db = work / "sitmon.db"
    with running() as server:
        first = poll(db, write_feeds(work / "first.toml", server, "a"))
    assert first.returncode == 0, first.stderr
    rows, ok = snapshot(db)
    assert ok == "ok" and len(rows) == 120
    assert not Path(f"{db}-wal").exists()  # closed cleanly: the file alone is the database
    return db, rows


@pytest.fixture
def filled(
    tmp_path: Path, first_poll: tuple[Path, set[tuple[str, str]]]
) -> tuple[Path, set[tuple[str, str]]]:
    db = tmp_path / "sitmon.db"
    shutil.copyfile(first_poll[0], db)
    return db, first_poll[1]


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_unwritable_database_keeps_every_earlier_item(
    tmp_path: Path, feed_server: FeedServer, filled: tuple[Path, set[tuple[str, str]]],
    fault: str,
) -> None:
    db, before = filled
    result = poll(db, write_feeds(tmp_path / "second.toml", feed_server, "b"), fault)
    assert result.returncode != 0, result.stdout
    assert f"{db}: cannot write" in result.stdout + result.stderr  # the StoreError is shown
    assert "Traceback" not in result.stderr
    after, ok = snapshot(db)
    assert ok == "ok"
    assert after == before  # nothing lost, nothing half-written
    if fault == "read-only":
        return
    # A full disk aborted the transaction mid-batch: once there is room, the same
    # database takes the new items.
    again = poll(db, tmp_path / "second.toml")
    assert again.returncode == 0, again.stderr
    rows, ok = snapshot(db)
    assert ok == "ok" and before < rows and len(rows) == 240


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("read-only", "readonly database"), ("full", "database or disk is full")],
)
def test_unwritable_database_is_one_clear_line(
    tmp_path: Path, feed_server: FeedServer, filled: tuple[Path, set[tuple[str, str]]],
    fault: str, reason: str,
) -> None:
    db, _ = filled
    result = poll(db, write_feeds(tmp_path / "second.toml", feed_server, "b"), fault)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("sitmon: error: ")
    assert str(db) in lines[0] and reason in lines[0]


# -- a really full filesystem: a 1 MiB tmpfs in a private mount namespace -------------------

IN_NAMESPACE = r"""
import json, os, shutil, subprocess, sys
work, mnt, feeds = sys.argv[1:4]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], check=True)
db = os.path.join(mnt, "sitmon.db")
shutil.copyfile(os.path.join(work, "sitmon.db"), db)
# Leave room for the -shm file and a few pages, not for a poll's worth of items.
st = os.statvfs(mnt)
spare = st.f_bavail * st.f_frsize - 48 * 1024
with open(os.path.join(mnt, "filler"), "wb") as f:
    f.write(b"\0" * max(0, spare))
env = dict(os.environ)
run = subprocess.run([sys.executable, "-m", "tui", "poll", "--once", "--feeds", feeds,
                      "--db", db], capture_output=True, text=True, env=env, timeout=120)
for suffix in ("", "-wal"):
    if os.path.exists(db + suffix):
        shutil.copyfile(db + suffix, os.path.join(work, "after.db" + suffix))
json.dump({"rc": run.returncode, "out": run.stdout, "err": run.stderr},
          open(os.path.join(work, "result.json"), "w"))
"""


def test_really_full_filesystem_loses_nothing(
    tmp_path: Path, feed_server: FeedServer, filled: tuple[Path, set[tuple[str, str]]],
) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare(1)")
    probe = subprocess.run([unshare, "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unprivileged mount namespaces are not available here")
    _, before = filled
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    feeds = write_feeds(tmp_path / "second.toml", feed_server, "b")
    run = subprocess.run([unshare, "-rm", sys.executable, "-c", IN_NAMESPACE, str(tmp_path),
                          str(mnt), str(feeds)], cwd=ROOT, env=ENV, capture_output=True,
                         text=True, timeout=180)
    if run.returncode != 0 and "mount" in run.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {run.stderr.strip().splitlines()[-1]}")
    assert run.returncode == 0, run.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["rc"] != 0, result["out"]
    assert "disk is full" in result["out"] + result["err"]
    assert "Traceback" not in result["err"]
    after, ok = snapshot(tmp_path / "after.db")
    assert ok == "ok"
    assert after == before
