"""What the batch writers share: items, pack information, counts, formatting."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.models import Answer, Citation
from assistant.presentation import LOW_CONFIDENCE, confidence_cue

QUOTE_PREVIEW = 160
"""Characters of an answer or question shown in a summary table cell."""


@dataclass(frozen=True)
class Question:
    """One question read from a batch file."""

    line: int
    """1-based line of the input file where the question starts."""
    id: str
    """The question's id: the file's `id` field, else the line number."""
    text: str
    """The question as asked, without the follow-up marker."""
    follow_up: bool = False
    """True when the line started with ``+``: it continues the previous question's conversation."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Other fields or columns of the input line, carried through to the outputs (input order)."""


@dataclass(frozen=True)
class Item:
    """A question with its answer (or the error met while answering it)."""

    question: Question
    """The question as read."""
    answer: Answer
    """The answer, with `id` set to the question's id; an abstention when `error` is set."""
    error: str | None = None
    """One-line error when answering raised; None when the engine answered."""
    parent: str | None = None
    """Id of the previous question of the same conversation, for ``+`` follow-ups."""

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def abstained(self) -> bool:
        return not self.failed and self.answer.abstained

    @property
    def answered(self) -> bool:
        return not self.failed and not self.answer.abstained

    @property
    def low_confidence(self) -> bool:
        return self.answered and self.answer.confidence < LOW_CONFIDENCE

    @property
    def has_conflicts(self) -> bool:
        return not self.failed and bool(self.answer.conflicts)

    @property
    def flags(self) -> list[str]:
        """What an auditor should see first, in French: échec / sans réponse / à vérifier, then conflit."""
        out = []
        if self.failed:
            out.append("échec")
        elif self.abstained:
            out.append("sans réponse")
        elif self.low_confidence:
            out.append("à vérifier")
        if self.has_conflicts:
            out.append("conflit")
        return out


@dataclass(frozen=True)
class Stats:
    """Counts shown in the pack header and the summary line."""

    total: int
    answered: int
    abstained: int
    conflicts: int
    failed: int
    low_confidence: int

    @classmethod
    def of(cls, items: list[Item]) -> Stats:
        return cls(
            total=len(items),
            answered=sum(i.answered for i in items),
            abstained=sum(i.abstained for i in items),
            conflicts=sum(i.has_conflicts for i in items),
            failed=sum(i.failed for i in items),
            low_confidence=sum(i.low_confidence for i in items),
        )


@dataclass(frozen=True)
class PackInfo:
    """What the header of an audit pack says about the run (nothing time-dependent but the index date)."""

    source: str
    """The question file, as given on the command line."""
    roots: list[str] = field(default_factory=list)
    """Folders and files that were indexed (the corpus)."""
    index_dir: str = ""
    """The index directory."""
    index_updated_at: float | None = None
    """When the index last changed (seconds since epoch)."""
    documents: int = 0
    """Number of indexed documents."""
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """Input lines that were skipped, with the reason."""


# -- formatting ------------------------------------------------------------------


def index_date(info: PackInfo) -> str:
    """The index date as `JJ/MM/AAAA HH:MM` (local time), or « inconnue »."""
    if not info.index_updated_at:
        return "inconnue"
    return time.strftime("%d/%m/%Y %H:%M", time.localtime(info.index_updated_at))


def fmt_number(value: float | int, *, group: str = " ", year: bool = False) -> str:
    """A number the French way: `12 700 000`, `59,26`, `0,3824`; years are not grouped."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if year and isinstance(value, int):
        return str(value)
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        decimals = 2 if abs(value) >= 1 else 4
        text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", group)


UNIT_SYMBOLS = {"EUR": "€", "%": "%"}


def fmt_value(answer: Answer, *, group: str = " ") -> str:
    """`17 projet`, `12 700 000 000 €`, `59,26 %`, `2007`; '' when the answer has no value."""
    if answer.value is None:
        return ""
    text = fmt_number(answer.value, group=group, year=answer.kind == "date")
    if answer.unit:
        text += f" {UNIT_SYMBOLS.get(answer.unit, answer.unit)}"
    return text


def fmt_confidence(confidence: float, item: Item | None = None) -> str:
    """Confidence as the chat and the CLI show it (`élevée ●●● (86 %)`); « — » for a failed or unanswered item."""
    if item is not None and not item.answered:
        return "—"
    return confidence_cue(confidence)


def one_line(text: str) -> str:
    """Whitespace (newlines included) squashed to single spaces."""
    return " ".join(text.split())


def shorten(text: str, limit: int = QUOTE_PREVIEW) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_label(citation: Citation) -> str:
    """`doc.txt` or `doc.pdf, p. 3`."""
    return citation.document + (f", p. {citation.page}" if citation.page else "")


def extra_text(value: Any) -> str:
    """A carried-through field as text (JSON values other than strings are dumped)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- where a figure stands in a quote -------------------------------------------

_NUMBER = re.compile(
    r"(?<![\d.,])"
    r"(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?"  # 12 700 000 / 1.234.567 / 1 234,5
    r"|\d+(?:[.,]\d+)?)"  # 17 / 59,26 / 3.5
    r"(?!\d)"
)
_SCALES_MONEY = (1.0, 1e3, 1e6, 1e9)
_UNIT_AFTER = re.compile(
    r"[ \u00a0\u202f]?(?:%|(?:k|K|M|Md|Mds|G)\s?€|€|EUR\b|(?:millions?|milliards?)(?: d'euros| d’euros| €)?|euros?\b)"
)


def _readings(raw: str) -> set[float]:
    """Every plausible value of a number written in a French (or English) text."""
    out: set[float] = set()
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    try:
        out.add(float(compact.replace(".", "").replace(",", ".")))  # French: . thousands, , decimal
    except ValueError:
        pass
    if "," not in compact:
        try:
            out.add(float(compact))  # English decimal point
        except ValueError:
            pass
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6 * max(abs(a), abs(b)), 0.006)


def figure_spans(
    quote: str, value: float | int | None, unit: str | None = None, kind: str | None = None
) -> list[tuple[int, int]]:
    """Spans of `quote` where `value` is written (money may be written in k€, M€, Md€)."""
    if value is None:
        return []
    scales = _SCALES_MONEY if unit == "EUR" or kind == "money" else (1.0,)
    targets = [float(value) / s for s in scales]
    spans = []
    for m in _NUMBER.finditer(quote):
        if any(_close(r, t) for r in _readings(m.group()) for t in targets):
            unit_after = _UNIT_AFTER.match(quote, m.end())
            spans.append((m.start(), unit_after.end() if unit_after else m.end()))
    return spans


def answer_spans(answer: Answer, quote: str) -> list[tuple[int, int]]:
    """What to highlight in the first citation's quote: the figure, else the answer text, else nothing."""
    spans = figure_spans(quote, answer.value, answer.unit, answer.kind)
    if spans:
        return spans
    if answer.kind in ("entity", "text") and not answer.abstained:
        needle = one_line(answer.answer).rstrip(" .")
        if len(needle) >= 3:
            at = quote.lower().find(needle.lower())
            if at >= 0:
                return [(at, at + len(needle))]
    return []


def split_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, highlighted) runs; overlapping spans merged."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        if start > pos:
            runs.append((text[pos:start], False))
        runs.append((text[start:end], True))
        pos = end
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs


class BatchError(Exception):
    """A one-line error for the user that stops the batch, with its exit code (2: usage)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code
