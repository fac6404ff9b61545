"""What every screen shares: typed access to the app."""

from __future__ import annotations

from textual.dom import DOMNode

from tui.app.app import SitmonApp


def sitmon(node: DOMNode) -> SitmonApp:
    """The running SitmonApp, typed."""
    app = node.app
    assert isinstance(app, SitmonApp)
    return app
