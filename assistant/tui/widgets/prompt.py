"""The question prompt: an Input with Up/Down browsing the persisted history."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from assistant.tui.history import History


class QuestionPrompt(Input):
    """Where the official types a question; Enter sends, Up/Down recall past questions."""

    BINDINGS = [
        Binding("up", "history_previous", "Question précédente", show=False),
        Binding("down", "history_next", "Question suivante", show=False),
    ]

    def __init__(self, history: History, **kwargs) -> None:
        super().__init__(
            placeholder="Posez une question sur les rapports… (Entrée : envoyer · ↑↓ : historique · F1 : aide)",
            **kwargs,
        )
        self.history = history

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)

    def action_history_previous(self) -> None:
        """Show the previous question of the history."""
        entry = self.history.previous(self.value)
        if entry is not None:
            self._show(entry)

    def action_history_next(self) -> None:
        """Show the next question (or the draft that was being typed)."""
        entry = self.history.next()
        if entry is not None:
            self._show(entry)
