"""Follow-up questions: a conversation keeps the last question's intent.

"Et pour l'action 7.4 ?", "Et en 2007 ?", "and the target?" reuse the
previous question's kind, subject and qualifiers with the new scope.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.analysis.analyzer import APOSTROPHES, fold
from assistant.qa.question import Intent

_FOLLOW_UP_START = re.compile(
    r"^\s*(et|mais|puis|aussi|and|what about|how about|same|idem|pareil)\b|^\s*(pour|en|dans|au|a|à|for|in)\b",
    re.IGNORECASE,
)
_INTERROGATIVE = re.compile(
    r"\b(combien|quel|quelle|quels|quelles|quand|qui|pourquoi|comment|ou|how|what|which|who|when|why|where)\b"
)


class Turn(BaseModel):
    """One question of the conversation and what it was read as."""

    question: str = Field(description="The question as asked.")
    intent: Intent = Field(description="The intent the answer was built from (after merging a follow-up).")


class Conversation(BaseModel):
    """The questions asked so far, to read follow-ups."""

    turns: list[Turn] = Field(default_factory=list, description="Earlier questions, oldest first.")

    @property
    def last(self) -> Turn | None:
        """The previous question, if any."""
        return self.turns[-1] if self.turns else None

    def is_follow_up(self, question: str) -> bool:
        """True when `question` reads as a continuation of the previous one."""
        if not self.turns:
            return False
        text = fold(question.translate(APOSTROPHES)).strip()
        words = re.findall(r"\w+", text)
        if not any(re.search(r"[^\W\d_]", w) for w in words):
            return False  # "?", "=1+1": nothing to continue the previous question with
        if _FOLLOW_UP_START.match(text) and len(words) <= 8:
            return True
        # A fragment without an interrogative word or verb-like length: "l'objectif ?"
        return len(words) <= 3 and not _INTERROGATIVE.search(text)

    def merge(self, intent: Intent) -> Intent:
        """The follow-up `intent` completed with the previous question's intent."""
        previous = self.last
        if previous is None:
            return intent
        base = previous.intent
        qualifiers = list(intent.qualifiers)
        scope_changed = bool(intent.years or intent.codes)
        if not qualifiers and not scope_changed:
            qualifiers = list(base.qualifiers)
        french = base.french + " " + _strip_lead(intent.french)
        if scope_changed:
            # The new scope replaces the old one in the search text.
            for old in [str(y) for y in base.years] + base.codes:
                french = french.replace(old, " ")
        return base.model_copy(
            update={
                "question": intent.question,
                "lang": intent.lang,
                "french": french,
                "qualifiers": qualifiers,
                "years": intent.years or base.years,
                "codes": intent.codes or base.codes,
                "kind": intent.kind if intent.kind != "text" else base.kind,
                "follow_up": True,
            }
        )

    def add(self, question: str, intent: Intent) -> None:
        """Remember a question and its (merged) intent."""
        self.turns.append(Turn(question=question, intent=intent))
        del self.turns[:-20]


def _strip_lead(text: str) -> str:
    return re.sub(r"^\s*(et|mais|puis|and|what about|how about)\b", "", text, flags=re.IGNORECASE).strip(" ?")
