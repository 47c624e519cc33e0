"""Small dialogs: ask for a path, confirm a removal."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from assistant.tui.screens.base import BaseModal


class PathPromptScreen(BaseModal):
    """Type the path of a report or a folder; returns the Path, or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(value=self.value, placeholder="/chemin/vers/rapport.pdf ou /chemin/vers/dossier", id="path-input")
            yield Static(Content(""), id="path-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Indexer", id="path-ok", variant="primary", compact=True)
                yield Button("Annuler", id="path-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    def _accept(self) -> None:
        raw = self.query_one("#path-input", Input).value.strip()
        if not raw:
            return
        path = Path(raw).expanduser()
        if not path.exists():
            self.query_one("#path-error", Static).update(Content(f"Introuvable : {path}"))
            return
        self.dismiss(path)

    @on(Input.Submitted, "#path-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#path-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#path-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Escape: give up."""
        self.dismiss(None)


class ConfirmScreen(BaseModal):
    """A yes/no question; returns True for yes."""

    BINDINGS = [
        Binding("o,y", "answer(True)", "Oui"),
        Binding("n,escape", "answer(False)", "Non"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Oui (o)", id="confirm-yes", variant="error", compact=True)
                yield Button("Non (n)", id="confirm-no", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        """o / n."""
        self.dismiss(yes)
