"""The app's messages: small dataclasses, named in the past tense.

Messages go up (a widget or worker posts, a screen or the app handles);
attributes go down.  Workers post these from their threads
(``post_message`` is thread-safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from textual.message import Message

from assistant.models import Answer, DocumentInfo, Fact, IndexProgress, IndexReport, IndexStatus
from assistant.tui.passage import PassageView


@dataclass
class QuestionSubmitted(Message):
    """The user sent a question from the prompt."""

    question: str
    """The question, stripped."""


@dataclass
class AnswerReady(Message):
    """The core answered a question (posted by the answering worker)."""

    exchange_id: int
    """The exchange of the transcript the answer belongs to."""
    question: str
    """The question as asked."""
    answer: Answer
    """The core's answer."""
    conversation: Any = None
    """The conversation as the core left it after answering (kept only if the answer is)."""
    seconds: float = 0.0
    """Time the core took."""
    suggested: bool = False
    """True when the core abstained without citations and the chat added search passages to read."""


@dataclass
class AnswerFailed(Message):
    """The core raised while answering; the reason is shown as a notification."""

    exchange_id: int
    """The exchange of the transcript."""
    question: str
    """The question as asked."""
    error: str
    """One-line reason (exception type and message)."""


@dataclass
class CitationChosen(Message):
    """A citation of an answer card was clicked or chosen with Enter."""

    exchange_id: int
    """The exchange whose answer holds the citation."""
    number: int
    """The citation's number, from 1."""


@dataclass
class NlpLoaded(Message):
    """The language model finished loading (or could not)."""

    state: Literal["ready", "absent", "failed"]
    """ready: loaded; absent: the core has no nlp module; failed: it raised."""
    seconds: float = 0.0
    """Loading time."""
    error: str = ""
    """Why it failed."""


@dataclass
class StatusLoaded(Message):
    """The index status was read (or the index is missing or unreadable)."""

    status: IndexStatus | None
    """The status, or None when there is no usable index."""
    missing: bool = False
    """True when there is no index yet (first use)."""
    error: str = ""
    """Why the index could not be read (other than missing)."""


@dataclass
class IndexProgressed(Message):
    """One more file was indexed (posted by the indexing worker, replaceable)."""

    progress: IndexProgress
    """Files done / total and sections written so far."""

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters when several are queued."""
        return isinstance(message, IndexProgressed)


@dataclass
class IndexComplete(Message):
    """An indexing run ended (finished or cancelled)."""

    report: IndexReport
    """What the run did."""
    cancelled: bool = False
    """True when the user cancelled it (what was written stays)."""


@dataclass
class IndexFailed(Message):
    """An indexing run raised (bad path, unwritable index…)."""

    error: str
    """One-line reason."""


@dataclass
class FactsLoaded(Message):
    """The facts table was read for the Faits view."""

    facts: list[Fact]
    """Every fact of the index."""


@dataclass
class DocumentsLoaded(Message):
    """Documents and status were read for the Documents view."""

    documents: list[DocumentInfo]
    """Indexed documents with their counts."""
    status: IndexStatus
    """Counts and failures."""


@dataclass
class PassageLoaded(Message):
    """The cited passage was located and is ready to show."""

    view: PassageView
    """Text and spans to highlight."""


@dataclass
class PassageFailed(Message):
    """The cited passage could not be shown."""

    error: str
    """One-line reason."""


@dataclass
class DocumentRemoved(Message):
    """A document was dropped from the index."""

    path: str
    """Its path."""
    removed: bool
    """False when it was not in the index."""
