"""The question prompt: a TextArea that grows with the question, with Up/Down browsing the history.

Enter asks; Shift+Enter or Ctrl+J starts a new line (long questions stay in
view: the prompt grows up to a few lines, then scrolls).  Up on the first line
and Down on the last browse the persisted history; Ctrl+R searches it.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from assistant.tui.history import History

PLACEHOLDER = "Posez une question… (Entrée : envoyer · Maj+Entrée : à la ligne · F1 : aide)"
"""What the empty prompt says."""


class QuestionPrompt(TextArea):
    """Where the official types a question; Enter sends, Up/Down recall past questions."""

    BINDINGS = [
        Binding("ctrl+y", "screen.copy_answer", "Copier", show=False),
        Binding("ctrl+r", "screen.search_history", "Historique", show=False),
    ]

    class Submitted(Message):
        """The question typed in the prompt, sent with Enter."""

        def __init__(self, prompt: QuestionPrompt, value: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.value = value
            """The question as typed (several lines kept)."""

        @property
        def control(self) -> QuestionPrompt:
            return self.prompt

    def __init__(self, history: History, **kwargs) -> None:
        super().__init__(placeholder=PLACEHOLDER, soft_wrap=True, tab_behavior="focus", **kwargs)
        self.question_history = history

    @property
    def value(self) -> str:
        """The question being typed."""
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def clear(self) -> None:  # type: ignore[override]
        """Empty the prompt."""
        self.load_text("")

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if event.key in ("shift+enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def action_cursor_up(self, select: bool = False) -> None:
        """Up: the previous question of the history from the first line, else the line above."""
        if not select and self.cursor_location[0] == 0:
            entry = self.question_history.previous(self.text)
            if entry is not None:
                self.value = entry
            return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        """Down: the next question (or the draft) from the last line, else the line below."""
        if not select and self.cursor_location[0] >= self.document.line_count - 1:
            entry = self.question_history.next()
            if entry is not None:
                self.value = entry
            return
        super().action_cursor_down(select)

    # Compatibility with the tests and callers of the former Input prompt.
    action_history_previous = action_cursor_up
    action_history_next = action_cursor_down
