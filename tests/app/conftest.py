"""Fixtures for the app tests: a seeded store on a temp SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from appkit import seed

from tui.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitmon.db"


@pytest.fixture
def seeded(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    seed(store)
    try:
        yield store
    finally:
        store.close()
