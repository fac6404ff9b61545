"""How the main view, the ledger and the item detail look at 80×24 and 160×48.

Fixed data, fixed clock, fixed time zone, no polling. Regenerate with
`pytest tests/app/test_app_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from appkit import app_for, seed, settle
from textual.pilot import Pilot

from tui.store import Store

SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def snap_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "snap.db")
    seed(store)
    return store


async def _main(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _ledger(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)


async def _detail(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    app = pilot.app
    from tui.app.app import SitmonApp

    assert isinstance(app, SitmonApp)
    app.show_item("id-zaidi2")
    await settle(pilot)


VIEWS: dict[str, Callable[[Pilot[Any]], Any]] = {
    "main": _main,
    "ledger": _ledger,
    "detail": _detail,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_snapshot(
    view: str, size: tuple[int, int], snap_store: Store, snap_compare: Callable[..., bool]
) -> None:
    try:
        app = app_for(snap_store)
        assert snap_compare(app, terminal_size=size, run_before=VIEWS[view])
    finally:
        snap_store.close()
