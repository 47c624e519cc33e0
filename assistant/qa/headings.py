"""Answers read from a report's numbered headings: the title of the item a question names by its
number (« Quel est l'intitulé de la mesure 4.1.1 ? », "what is the title of measure 1.2.2?"), and
the number of the item a question describes (« Quel numéro porte la sous-action consistant à
limiter l'emprise de la publicité ? »).

A referential, an operational programme or a budget numbers its measures, actions and axes; the
title of one is the line that opens with its number (« #### 4.1.1 Promouvoir et suivre les
pratiques multimodales sur le territoire »), not a sentence that mentions it. The nouns that ask
for a title or a number are data (assistant/lang/fr/title_nouns.txt, number_nouns.txt).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.analysis.analyzer import analyze
from assistant.ingest.noise import is_contents_line
from assistant.lang import read_list
from assistant.models import Answer, AnswerKind, Document, Section
from assistant.qa.compose import citation_for, path_words
from assistant.qa.question import Intent
from assistant.qa.retrieve import Query

TITLE_CONFIDENCE = 0.8
"""Confidence of a title read from the line that opens with the number asked."""

MIN_TITLE_COVERAGE = 0.5
"""Least share of the question's weight (its words asking for a number left out) a title and its
document's title must hold together for the title to be the item described."""
MIN_OWN_COVERAGE = 0.2
"""Least share of the question's weight the title itself must hold (the document's title names every line of it)."""

_NUMBERED_LINE = re.compile(
    r"(?m)^[ \t#>*•-]*(?P<line>(?P<code>\d{1,2}(?:\.\d{1,2}){1,4})\.?[ \t:–—-]+(?P<title>[^\W\d_][^\n]*?))[ \t]*$"
)
"""A line that opens with a dotted number (« 6.5.2.5 Limiter l'emprise de la publicité »)."""


@lru_cache(maxsize=1)
def title_stems() -> frozenset[str]:
    """Stems of the words that ask for a title (assistant/lang/fr/title_nouns.txt)."""
    return frozenset(t for word in read_list("title_nouns") for t in analyze(word))


@lru_cache(maxsize=1)
def number_stems() -> frozenset[str]:
    """Stems of the words that ask for an item's number (assistant/lang/fr/number_nouns.txt)."""
    return frozenset(t for word in read_list("number_nouns") for t in analyze(word))


def asks_number(intent: Intent) -> bool:
    """True when the question asks for the number of an item it describes (« quel numéro porte … »)."""
    return intent.kind in ("text", "entity") and not intent.codes and bool(number_stems() & set(analyze(intent.french)))


def asks_title(intent: Intent) -> bool:
    """True when the question asks for the title of an item it names by its number (« 4.1.1 »)."""
    return intent.kind == "text" and bool(intent.codes) and bool(title_stems() & set(analyze(intent.french)))


def in_contents(doc: Document, line: re.Match[str]) -> bool:
    """True when a numbered line is a table-of-contents entry: a leader before a page number
    (:func:`assistant.ingest.noise.is_contents_line`), or a line the ingest judged noise (the
    page-numbered entries among leader lines)."""
    start = line.start("line")
    return is_contents_line(line.group(0).strip()) or any(s <= start < e for s, e in doc.noise)


def _title_line(code: str) -> re.Pattern[str]:
    """A line that opens with `code` (after Markdown heading marks or a bullet) and goes on with words."""
    return re.compile(rf"(?m)^[ \t#>*•-]*(?P<line>{re.escape(code)}(?![\d.]\d)\.?[ \t:–—-]+(?P<title>[^\W\d_][^\n]*?))[ \t]*$")


def code_title(engine, intent: Intent, sections: list[tuple[Section, float]]) -> Answer | None:
    """The title of the item the question names by its number, from the first retrieved document
    with a line opening with that number (a table of contents' entry only when nothing else is); None
    when no retrieved document has one."""
    if not asks_title(intent):
        return None
    documents = list(dict.fromkeys(s.document for s, _ in sections))
    for document in documents:
        doc = engine.document_cached(document)
        if doc is None:
            continue
        for code in intent.codes:
            lines = list(_title_line(code).finditer(doc.text))
            body = [m for m in lines if not in_contents(doc, m)]
            found = (body or lines)[:1]
            if found:
                return _line_answer(engine, intent, document, found[0], "text", TITLE_CONFIDENCE)
    return None


def title_code(engine, intent: Intent, query: Query, sections: list[tuple[Section, float]]) -> Answer | None:
    """The numbered line of the retrieved documents whose title (with its document's title) holds most
    of the question's words, the words asking for a number left out: at least MIN_OWN_COVERAGE of them
    in the line, MIN_TITLE_COVERAGE with the document's title; None otherwise."""
    if not asks_number(intent):
        return None
    asked = {t: w for t, w in query.weights.items() if t not in number_stems()}
    total = sum(asked.values()) or 1.0
    best: tuple[tuple[float, float], str, re.Match[str]] | None = None
    for document in dict.fromkeys(s.document for s, _ in sections):
        doc = engine.document_cached(document)
        if doc is None:
            continue
        # what the whole document is (« Référentiel Climat-Air-Énergie ») is named by its title and path
        named = frozenset(analyze(f"{doc.title} {path_words(document)}"))
        for m in _NUMBERED_LINE.finditer(doc.text):
            if in_contents(doc, m):
                continue
            title = analyze(m.group("title"))
            words = frozenset(title)
            if sum(w * query.match(t, words) for t, w in asked.items()) / total < MIN_OWN_COVERAGE:
                continue
            share = sum(w * query.match(t, words | named) for t, w in asked.items()) / total
            # of titles holding as many of the question's words, the one made of them most (the sub-action, not its parent)
            precision = sum(query.term_of(t) is not None for t in title) / max(1, len(title))
            if best is None or (share, precision) > best[0]:
                best = ((share, precision), document, m)
    if best is None or best[0][0] < MIN_TITLE_COVERAGE:
        return None
    (share, _), document, m = best
    return _line_answer(engine, intent, document, m, "entity", round(min(TITLE_CONFIDENCE, share), 2))


def _line_answer(engine, intent: Intent, document: str, line: re.Match[str], kind: AnswerKind, confidence: float) -> Answer:
    """The numbered line `line` of `document` as the answer, cited as it stands."""
    start, end = line.span("line")
    return Answer(
        question=intent.question,
        answer=line.group("line"),
        value=None,
        unit=None,
        kind=kind,
        abstained=False,
        confidence=confidence,
        citations=[citation_for(engine, document, start, end)],
        lang=intent.lang,
    )
