"""Shared fixtures: a scripted HTTP server on 127.0.0.1 and a store on a temp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer, running

from tui.store import Store


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with running() as server:
        yield server


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "sitmon.db")
    try:
        yield store
    finally:
        store.close()
