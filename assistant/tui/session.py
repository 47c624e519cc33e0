"""The chat session: the exchanges shown in the transcript and the core Conversation.

No Textual here.  The chat screen mutates a :class:`Session`; the export, the
copy and the tests read it.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.models import Answer

ExchangeState = Literal["waiting", "answering", "answered", "failed", "cancelled"]
"""waiting: for the language model; answering: in a worker; then one of the three ends."""


@dataclass
class Exchange:
    """One question of the transcript and what became of it."""

    id: int
    """Number of the exchange in the session, from 1."""
    question: str
    """The question as typed."""
    state: ExchangeState = "answering"
    """Where the exchange stands."""
    answer: Answer | None = None
    """The core's answer, once answered."""
    error: str | None = None
    """One-line reason, when the core failed."""
    suggested: bool = False
    """True when the citations of an abstention come from the chat's own full-text search."""
    asked_at: float = field(default_factory=time.time)
    """When the question was asked (seconds since epoch)."""

    @property
    def done(self) -> bool:
        """True once answered, failed or cancelled."""
        return self.state in ("answered", "failed", "cancelled")


def new_conversation() -> Any | None:
    """A fresh core Conversation, or None while the core has none.

    Imported lazily: the conversation module pulls in the QA stack.
    """
    try:
        from assistant.qa.conversation import Conversation
    except ImportError:
        return None
    try:
        return Conversation()
    except Exception:
        return None


def snapshot_conversation(conversation: Any | None) -> Any | None:
    """A copy the answering worker may change; kept only if its answer is kept.

    A question that is cancelled (replaced by a newer one) must not leave its
    intent in the conversation.  Falls back to the shared object when the
    conversation cannot be copied.
    """
    if conversation is None:
        return None
    try:
        return copy.deepcopy(conversation)
    except Exception:
        return conversation


class Session:
    """Exchanges of the chat, in order, and the conversation state of the core."""

    def __init__(self, conversation: Any | None = None) -> None:
        self.exchanges: list[Exchange] = []
        self.conversation: Any | None = conversation
        """The core Conversation; the app creates it once the QA stack is imported (off the UI thread)."""
        self._next_id = 1

    def new(self, question: str) -> Exchange:
        """Add an exchange for `question`."""
        exchange = Exchange(id=self._next_id, question=question)
        self._next_id += 1
        self.exchanges.append(exchange)
        return exchange

    def get(self, exchange_id: int) -> Exchange | None:
        """The exchange with that id, if it is still in the transcript."""
        for exchange in self.exchanges:
            if exchange.id == exchange_id:
                return exchange
        return None

    def answered(self) -> list[Exchange]:
        """Exchanges that hold an answer."""
        return [e for e in self.exchanges if e.answer is not None]

    def last_answered(self) -> Exchange | None:
        """The most recent exchange with an answer."""
        answered = self.answered()
        return answered[-1] if answered else None

    def clear(self) -> None:
        """Forget the transcript and start a new conversation."""
        self.exchanges.clear()
        self.conversation = new_conversation()
