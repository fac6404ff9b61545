"""The headless core never imports textual (ARCHITECTURE.md): checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "tui.model",
    "tui.text",
    "tui.store",
    "tui.cli",
    "tui.config",
    "tui.seeds",
    "tui.analysis",
    "tui.ingest.fetch",
    "tui.ingest.parse",
    "tui.ingest.poller",
    "tui.export",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys, importlib\n"
        f"for m in {CORE_MODULES!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
