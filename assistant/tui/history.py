"""Question history, persisted per index directory (``INDEX_DIR/history.jsonl``).

One JSON object per line: ``{"question": "...", "at": 1718000000.0}``.  A
damaged line is skipped, a write that fails is reported once and never stops
the chat.  :class:`History` also holds the Up/Down browsing cursor of the
prompt.  No Textual here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

HISTORY_NAME = "history.jsonl"
"""File name of the history inside the index directory."""


class History:
    """Past questions, oldest first, with a browsing cursor."""

    def __init__(self, path: Path | None, limit: int = 1000) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = []
        self._cursor = 0
        self._draft = ""
        self.load()

    def load(self) -> None:
        """Read the file (missing or damaged lines are ignored)."""
        self.entries = []
        if self.path is not None and self.path.is_file():
            try:
                lines = self.path.read_text(encoding="utf-8").splitlines()
            except OSError:
                lines = []
            for line in lines:
                try:
                    question = json.loads(line)["question"]
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(question, str) and question.strip():
                    self._push(question.strip())
        self.entries = self.entries[-self.limit :]
        self.reset()

    def _push(self, question: str) -> bool:
        if self.entries and self.entries[-1] == question:
            return False
        self.entries.append(question)
        return True

    def add(self, question: str) -> str | None:
        """Record a question; returns an error message when it could not be saved."""
        question = question.strip()
        self.reset()
        if not question or not self._push(question):
            return None
        self.reset()
        if self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"question": question, "at": time.time()}, ensure_ascii=False) + "\n")
        except OSError as exc:
            return f"historique non enregistré ({exc.strerror or exc})"
        return None

    # -- browsing (Up/Down in the prompt) ---------------------------------------

    def reset(self) -> None:
        """Put the cursor after the newest entry (the draft)."""
        self._cursor = len(self.entries)
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The entry before the cursor, or None at the oldest one."""
        if self._cursor == 0:
            return None
        if self._cursor == len(self.entries):
            self._draft = current
        self._cursor -= 1
        return self.entries[self._cursor]

    def next(self) -> str | None:
        """The entry after the cursor, the draft after the newest, None when already there."""
        if self._cursor >= len(self.entries):
            return None
        self._cursor += 1
        if self._cursor == len(self.entries):
            return self._draft
        return self.entries[self._cursor]
