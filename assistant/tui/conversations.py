"""Saved conversations, per index: ``INDEX_DIR/conversations/conversation-YYYYMMDD-HHMMSS.json``.

The chat saves its transcript after every answer (atomically: a temporary
file in the same folder, then a rename) and can reopen any saved one.  A
damaged file is listed as such and never stops the chat.  No Textual here.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.models import Answer
from assistant.tui.session import Exchange, ExchangeState

CONVERSATIONS_DIR = "conversations"
"""Folder of the saved conversations inside the index directory."""

FORMAT_VERSION = 1
"""Version of the saved-conversation format."""


class SavedExchange(BaseModel):
    """One question of a saved conversation and what became of it."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question as typed.")
    state: ExchangeState = Field(description="answered, failed or cancelled (never in flight once saved).")
    answer: Answer | None = Field(default=None, description="The core's answer, when answered.")
    error: str | None = Field(default=None, description="One-line reason, when the core failed.")
    suggested: bool = Field(default=False, description="True when the passages of an abstention come from the chat's search.")
    asked_at: float = Field(description="When the question was asked (seconds since epoch).")


class SavedConversation(BaseModel):
    """A transcript as saved on disk."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(default=FORMAT_VERSION, description="Format version of the file.")
    started_at: float = Field(description="When the conversation started (seconds since epoch).")
    exchanges: list[SavedExchange] = Field(default_factory=list, description="The questions, in order.")
    context: dict[str, Any] | None = Field(
        default=None, description="The core Conversation (what follow-ups read), as its model dumped it; None if unknown."
    )

    def title(self) -> str:
        """`28/11/2026 21:09 · 3 questions · Combien de …`."""
        stamp = time.strftime("%d/%m/%Y %H:%M", time.localtime(self.started_at))
        n = len(self.exchanges)
        first = " ".join(self.exchanges[0].question.split()) if self.exchanges else "(vide)"
        return f"{stamp} · {n} question{'s' if n > 1 else ''} · {first}"


def conversation_path(index_dir: Path, started_at: float) -> Path:
    """Where the conversation started at `started_at` is saved."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started_at))
    return Path(index_dir) / CONVERSATIONS_DIR / f"conversation-{stamp}.json"


def dump_context(conversation: Any) -> dict[str, Any] | None:
    """The core Conversation as JSON-ready data (None when it cannot be dumped)."""
    try:
        return conversation.model_dump(mode="json") if conversation is not None else None
    except Exception:
        return None


def restore_context(saved: SavedConversation) -> Any | None:
    """The core Conversation of a saved transcript, or None (a fresh one is then used) when it does not fit."""
    if not saved.context:
        return None
    try:
        from assistant.qa.conversation import Conversation

        return Conversation.model_validate(saved.context)
    except Exception:
        return None


def save_conversation(path: Path, started_at: float, exchanges: list[Exchange], conversation: Any = None) -> None:
    """Write the finished exchanges (and the core Conversation) to `path`, atomically; OSError when not writable."""
    saved = SavedConversation(
        started_at=started_at,
        context=dump_context(conversation),
        exchanges=[
            SavedExchange(
                question=e.question,
                state=e.state,
                answer=e.answer,
                error=e.error,
                suggested=e.suggested,
                asked_at=e.asked_at,
            )
            for e in exchanges
            if e.done
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".conversation-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(saved.model_dump_json(indent=1))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_conversation(path: Path) -> SavedConversation:
    """Read a saved conversation; ValueError (one French line) when it is unreadable."""
    try:
        return SavedConversation.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path} : lecture impossible ({exc.strerror or exc})") from None
    except ValidationError:
        raise ValueError(f"{path} : conversation illisible (fichier abîmé ou d'une autre version)") from None


def list_conversations(index_dir: Path) -> list[tuple[Path, SavedConversation]]:
    """Saved conversations of the index, newest first (unreadable files left out)."""
    folder = Path(index_dir) / CONVERSATIONS_DIR
    found = []
    for path in sorted(folder.glob("conversation-*.json"), reverse=True):
        try:
            found.append((path, load_conversation(path)))
        except ValueError:
            continue
    return found


def to_exchanges(saved: SavedConversation) -> list[Exchange]:
    """The saved questions as exchanges of a new session (ids from 1)."""
    return [
        Exchange(
            id=n,
            question=e.question,
            state=e.state,
            answer=e.answer,
            error=e.error,
            suggested=e.suggested,
            asked_at=e.asked_at,
        )
        for n, e in enumerate(saved.exchanges, start=1)
    ]
