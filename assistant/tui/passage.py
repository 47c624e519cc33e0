"""Locate a cited passage in its document: the whole section(s), the quote, the figure.

A citation carries ``start``/``end`` offsets into the document's extracted
text.  The passage shown is the run of sections overlapping ``[start, end)``
(or a window of text around it when no section covers it, e.g. a quote in a
noise span).  No Textual here: :class:`PassageView` is what the passage
screen renders.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.models import Document, Fact, Section

WINDOW = 800
"""Characters shown on each side of a quote that no section covers."""

_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?")


@dataclass
class PassageRequest:
    """What to show: a span of a document, and optionally the figure in it."""

    document: str
    """Path of the document (Document.path)."""
    start: int
    """Start offset of the quote in the document text."""
    end: int
    """End offset (exclusive) of the quote."""
    label: str = ""
    """How the request is named on screen ('[1]', 'fait 42'…)."""
    value: float | None = None
    """The figure to emphasise, when its span is not known."""
    figure: tuple[int, int] | None = None
    """Offsets of the figure in the document text, when known (facts)."""


@dataclass
class PassageView:
    """A passage ready to render: its text and the spans to highlight (document offsets)."""

    document: str
    title: str
    heading_path: list[str]
    page: int | None
    start: int
    """Offset of `text` in the document text."""
    text: str
    quote: tuple[int, int]
    """The quoted sentence(s), document offsets, clipped to the passage."""
    figure: tuple[int, int] | None = None
    """The figure, document offsets, clipped to the passage."""
    whole_section: bool = True
    """False when no section covers the quote and a window of text is shown."""
    notes: list[str] = field(default_factory=list)
    """Remarks for the reader (e.g. the quote is not in any section)."""

    @property
    def end(self) -> int:
        """Offset just after the passage."""
        return self.start + len(self.text)

    def blocks(self) -> list[tuple[str, int, bool]]:
        """The text cut at line starts into (before, quote lines, after): (text, offset, is_quote).

        Cutting at line boundaries keeps the text flowing as written, and lets
        the screen scroll the quote's block into view.
        """
        text, base = self.text, self.start
        q0 = max(self.quote[0] - base, 0)
        q1 = min(self.quote[1] - base, len(text))
        cut0 = text.rfind("\n", 0, q0) + 1
        nl = text.find("\n", max(q1, cut0))
        cut1 = len(text) if nl == -1 else nl + 1
        parts = [(text[:cut0], base, False), (text[cut0:cut1], base + cut0, True), (text[cut1:], base + cut1, False)]
        return [p for p in parts if p[0] or p[2]]


def covering_sections(sections: list[Section], start: int, end: int) -> list[Section]:
    """The consecutive sections overlapping [start, end), in order."""
    end = max(end, start + 1)
    hits = [s for s in sections if s.start < end and s.end > start]
    return sorted(hits, key=lambda s: s.start)


def _parse_number(raw: str) -> float | None:
    cleaned = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.006)


def find_figure(text: str, offset: int, value: float) -> tuple[int, int] | None:
    """Offsets (document) of the number in `text` equal to `value` (also as thousands, millions…)."""
    candidates = [value, value / 1e3, value / 1e6, value / 1e9, value * 100]
    for match in _NUMBER.finditer(text):
        number = _parse_number(match.group())
        if number is None:
            continue
        if any(_same(number, c) for c in candidates):
            return offset + match.start(), offset + match.end()
    return None


def figure_from_facts(facts: list[Fact], document: str, start: int, end: int, value: float) -> tuple[int, int] | None:
    """The span of a stored fact of `document` inside [start, end) whose value is `value`."""
    for fact in facts:
        if fact.document != document or fact.start < start or fact.end > end:
            continue
        if _same(fact.value, value):
            return fact.start, fact.end
    return None


def build_passage(
    document: Document,
    sections: list[Section],
    request: PassageRequest,
    facts: list[Fact] | None = None,
) -> PassageView:
    """The passage to show for `request` (see the module docstring)."""
    text = document.text
    start = max(0, min(request.start, len(text)))
    end = max(start, min(request.end, len(text)))
    notes: list[str] = []
    covering = covering_sections(sections, start, end)
    if covering:
        p0, p1 = covering[0].start, covering[-1].end
        heading_path = list(covering[0].heading_path)
        page = covering[0].page
        whole = True
    else:
        p0 = max(0, start - WINDOW)
        p1 = min(len(text), end + WINDOW)
        nl = text.rfind("\n", 0, p0)
        p0 = 0 if nl == -1 else nl + 1
        nl = text.find("\n", p1)
        p1 = len(text) if nl == -1 else nl
        heading_path = []
        page = None
        whole = False
        notes.append("Ce passage n'appartient à aucune section indexée : le texte autour de la citation est montré.")
    if page is None:
        page = document.page_at(start)
    figure = request.figure
    if figure is None and request.value is not None:
        if facts:
            figure = figure_from_facts(facts, document.path, start, end, float(request.value))
        if figure is None:
            figure = find_figure(text[start:end], start, float(request.value))
    if figure is not None and not (p0 <= figure[0] and figure[1] <= p1):
        figure = None
    return PassageView(
        document=document.path,
        title=document.title,
        heading_path=heading_path,
        page=page,
        start=p0,
        text=text[p0:p1],
        quote=(max(start, p0), min(end, p1)),
        figure=figure,
        whole_section=whole,
        notes=notes,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"\w{4,}")


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def best_sentence(text: str, question: str, limit: int = 300) -> tuple[int, int]:
    """Offsets in `text` of the sentence sharing most words (4+ letters) with `question`.

    Used to cite a passage worth reading when the core abstains without
    citations: the sentence is quoted exactly as it stands.  On a tie, a
    sentence of prose (three words or more, ending with . ! ? or …) wins over
    a heading line or a bare heading number (a section matched through its
    heading would otherwise be quoted as « 4. »).
    """
    words = {_fold(w) for w in _WORD.findall(question)}
    best, best_score = (0, 0), (-1, False)
    start = 0
    for match in list(_SENTENCE_END.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        sentence = text[start:end]
        if sentence.strip():
            shared = len(words & {_fold(w) for w in _WORD.findall(sentence)})
            prose = len(re.findall(r"\w+", sentence)) >= 3 and sentence.rstrip()[-1] in ".!?…"
            score = (shared, prose)
            if score > best_score:
                lead = len(sentence) - len(sentence.lstrip())
                best, best_score = (start + lead, min(end, start + lead + limit)), score
        if match is None:
            break
        start = match.end()
    return best
