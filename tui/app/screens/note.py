"""The note editor: a modal Input that returns the new note, or None when cancelled."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.app.widgets.safe import safe_text

MAX_NOTE = 2000


class NoteScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                safe_text("Note (enter saves, empty removes, esc cancels)"), classes="hint"
            )
            yield Input(value=self._note, max_length=MAX_NOTE, id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
