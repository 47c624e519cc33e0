"""Small dialogs: ask for a path, confirm a removal, pick one item of a filtered list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.tui.screens.base import BaseModal


class PathPromptScreen(BaseModal):
    """Type the path of a report or a folder; returns the Path, or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        ok_label: str = "Indexer",
        must_exist: bool = True,
        placeholder: str = "/chemin/vers/rapport.pdf ou /chemin/vers/dossier",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.value = value
        self.ok_label = ok_label
        self.must_exist = must_exist
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="path-input")
            yield Static(Content(""), id="path-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, id="path-ok", variant="primary", compact=True)
                yield Button("Annuler", id="path-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    def _accept(self) -> None:
        raw = self.query_one("#path-input", Input).value.strip()
        if not raw:
            return
        path = Path(raw).expanduser()
        if self.must_exist and not path.exists():
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


class PickScreen(BaseModal):
    """Pick one of `items` ((label, value) pairs), filtered as you type; returns the value, or None (Escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuler"),
        Binding("down", "to_list", "Liste", show=False),
    ]

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str, object]],
        *,
        query: str = "",
        empty: str = "Rien ne correspond.",
        search_texts: list[str] | None = None,
    ) -> None:
        """`search_texts[i]`, when given, is what the filter reads for item i (default: its label)."""
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.items = items
        self.search_texts = [t.casefold() for t in search_texts] if search_texts else [label.casefold() for label, _ in items]
        self.query_text = query
        self.empty = empty
        self.shown: list[object] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pick-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(value=self.query_text, placeholder="Taper pour filtrer…", id="pick-input")
            yield OptionList(id="pick-list")
            yield Static(Content("Entrée : choisir · ↓ : la liste · Échap : annuler"), classes="dialog-legend")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#pick-input", Input).focus()
        self._refill()

    def _refill(self) -> None:
        words = self.query_one("#pick-input", Input).value.casefold().split()
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        self.shown = []
        for (label, value), hay in zip(self.items, self.search_texts):
            if all(w in hay for w in words):
                self.shown.append(value)
                options.add_option(Option(Content(label)))
        if not self.shown:
            options.add_option(Option(Content(self.empty), disabled=True))
        else:
            options.highlighted = 0

    @on(Input.Changed, "#pick-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refill()

    @on(Input.Submitted, "#pick-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#pick-list", OptionList).highlighted
        if self.shown:
            self.dismiss(self.shown[highlighted or 0])

    @on(OptionList.OptionSelected, "#pick-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.dismiss(self.shown[event.option_index])

    def action_to_list(self) -> None:
        """Down from the filter: into the list."""
        self.query_one("#pick-list", OptionList).focus()

    def action_cancel(self) -> None:
        """Escape: give up."""
        self.dismiss(None)
