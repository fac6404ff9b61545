"""The SQLite store on a real file: schema, batches, dedup, marks, queries, retention, errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.model import Analysis, EntityHit, FeedHealth, Item
from tui.store import SCHEMA_VERSION, ItemQuery, Store, StoreError

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)


def make_item(n: int, *, feed: str = "Wire", minutes: int = 0, title: str = "") -> Item:
    when = T0 + timedelta(minutes=minutes)
    return Item(
        id=f"id{n}",
        feed=feed,
        title=title or f"title {n}",
        summary=f"summary {n}",
        link=f"https://example.org/{n}",
        published=when,
        first_seen=when,
    )


STRIKE = Analysis(
    relevant=True,
    categories=("strike",),
    entities=(EntityHit("kabul", "Kabul", "afghanistan", "place", ((0, 5),)),),
)
TALKS = Analysis(relevant=True, categories=("diplomacy",))
NOISE = Analysis(relevant=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "sitmon.db")
    yield s
    s.close()


def test_new_file_gets_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_batch_stores_items_and_health_and_ignores_duplicates(store: Store) -> None:
    health = FeedHealth(name="Wire", url="https://w.example/rss", items_seen=2, status=200)
    new = store.add_batch([(make_item(1), STRIKE), (make_item(2), NOISE)], health)
    assert new == ["id1", "id2"]
    again = store.add_batch([(make_item(1), STRIKE), (make_item(3), TALKS)], health)
    assert again == ["id3"]
    assert store.count(ItemQuery(relevant_only=False)) == 3
    assert store.get_feed("Wire") == health


def test_a_failed_batch_writes_nothing(store: Store) -> None:
    store.add_batch([(make_item(1), STRIKE)])
    bad = make_item(2)
    object.__setattr__(bad, "title", None)  # NOT NULL violation mid-batch
    with pytest.raises(StoreError):
        store.add_batch([(make_item(3), STRIKE), (bad, STRIKE)])
    assert [s.id for s in store.items(ItemQuery(relevant_only=False))] == ["id1"]


def test_queries_filter_by_category_entity_feed_text_and_window(store: Store) -> None:
    store.add_batch(
        [
            (make_item(1, minutes=0, title="Jets over Kabul"), STRIKE),
            (make_item(2, minutes=10, feed="Other", title="Talks in Doha"), TALKS),
            (make_item(3, minutes=20, title="Cricket"), NOISE),
        ]
    )
    ids = lambda q: [s.id for s in store.items(q)]  # noqa: E731
    assert ids(ItemQuery()) == ["id2", "id1"]
    assert ids(ItemQuery(newest_first=False)) == ["id1", "id2"]
    assert ids(ItemQuery(category="strike")) == ["id1"]
    assert ids(ItemQuery(entity="kabul")) == ["id1"]
    assert ids(ItemQuery(feed="Other")) == ["id2"]
    assert ids(ItemQuery(text="DOHA")) == ["id2"]
    assert ids(ItemQuery(relevant_only=False, limit=1)) == ["id3"]
    # since is inclusive, until exclusive
    assert ids(ItemQuery(since=T0 + timedelta(minutes=10))) == ["id2"]
    assert ids(ItemQuery(until=T0 + timedelta(minutes=10))) == ["id1"]
    assert store.count(ItemQuery(category="diplomacy")) == 1


def test_after_seq_returns_only_rows_stored_later(store: Store) -> None:
    store.add_batch([(make_item(1), STRIKE)])
    mark = store.last_seq()
    store.add_batch([(make_item(2), STRIKE)])
    assert [s.id for s in store.items(ItemQuery(after_seq=mark))] == ["id2"]


def test_flags_notes_and_read_state_persist(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as s:
        s.add_batch([(make_item(1), STRIKE)])
        s.set_flag("id1", True)
        s.set_note("id1", "check with desk [bold]")
        s.mark_read(["id1"])
    with Store(path) as s:
        got = s.get("id1")
        assert got is not None
        assert (got.flagged, got.note, got.read) == (True, "check with desk [bold]", True)
        assert got.analysis == STRIKE


def test_reanalysis_replaces_analysis_and_entity_index(store: Store) -> None:
    store.add_batch([(make_item(1), STRIKE)])
    assert store.update_analyses([("id1", TALKS), ("missing", TALKS)]) == 1
    assert store.items(ItemQuery(entity="kabul")) == []
    assert [s.id for s in store.items(ItemQuery(category="diplomacy"))] == ["id1"]
    assert [i.id for i in store.iter_items(batch=1)] == ["id1"]


def test_prune_keeps_flagged_and_recent_items(store: Store) -> None:
    store.add_batch([(make_item(n, minutes=n), STRIKE) for n in range(5)])
    store.set_flag("id0", True)
    removed = store.prune(T0 + timedelta(minutes=3))
    assert removed == 2  # id1, id2; id0 is flagged
    left = sorted(s.id for s in store.items(ItemQuery(relevant_only=False)))
    assert left == ["id0", "id3", "id4"]


def test_feed_errors_are_logged_as_events(store: Store) -> None:
    store.save_feed(FeedHealth(name="Bad", url="https://b", last_attempt=T0, error="HTTP 500",
                               status=500, failures=1))
    store.save_feed(FeedHealth(name="Bad", url="https://b", last_attempt=T0 + timedelta(hours=1)))
    events = store.feed_events(since=T0 - timedelta(minutes=1))
    assert [(e.feed, e.status, e.error) for e in events] == [("Bad", 500, "HTTP 500")]
    assert store.feed_events(since=T0 + timedelta(minutes=1)) == []


def test_newer_schema_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this sitmon"):
        Store(path)


def test_garbage_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database") as info:
        Store(path)
    assert "\n" not in str(info.value)


def test_query_only_database_refuses_writes_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as s:
        s.add_batch([(make_item(1), STRIKE)])
    s = Store(path)
    s._db.execute("PRAGMA query_only = ON")  # what a read-only mount looks like to SQLite
    with pytest.raises(StoreError, match="cannot write"):
        s.add_batch([(make_item(2), STRIKE)])
    assert [x.id for x in s.items()] == ["id1"]
    assert s.integrity_ok()
    s.close()
