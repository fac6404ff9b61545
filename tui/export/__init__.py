"""Shift summaries: what happened in a time window, as Markdown, JSON or HTML.

* ``build_summary`` reads the window from the store into a ``Summary`` (plain data).
* ``render_markdown`` / ``render_json`` / ``render_html`` turn it into text.
* ``export_summary`` does both and writes the file atomically (or to stdout);
  the app's export key and ``sitmon export`` (``cmd_export``) call it.
"""

from __future__ import annotations

from tui.export.command import cmd_export, export_summary
from tui.export.htmldoc import render_html
from tui.export.jsondoc import render_json
from tui.export.markdown import render_markdown
from tui.export.summary import Summary, build_summary
from tui.export.window import parse_when

__all__ = [
    "Summary",
    "build_summary",
    "cmd_export",
    "export_summary",
    "parse_when",
    "render_html",
    "render_json",
    "render_markdown",
]
