"""Answers read from a report's numbered headings: the title of the item a question names by its
number (« Quel est l'intitulé de la mesure 4.1.1 ? », "what is the title of measure 1.2.2?").

A referential, an operational programme or a budget numbers its measures, actions and axes; the
title of one is the line that opens with its number (« #### 4.1.1 Promouvoir et suivre les
pratiques multimodales sur le territoire »), not a sentence that mentions it. The nouns that ask
for a title are data (assistant/lang/fr/title_nouns.txt).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.analysis.analyzer import analyze
from assistant.lang import read_list
from assistant.models import Answer, Section
from assistant.qa.compose import citation_for
from assistant.qa.question import Intent

TITLE_CONFIDENCE = 0.8
"""Confidence of a title read from the line that opens with the number asked."""

_CONTENTS_LINE = re.compile(r"(?:\.{2,}|…|\s)\s*\d{1,4}\s*$")
"""A table-of-contents entry: its title ends with a leader or a page number."""


@lru_cache(maxsize=1)
def title_stems() -> frozenset[str]:
    """Stems of the words that ask for a title (assistant/lang/fr/title_nouns.txt)."""
    return frozenset(t for word in read_list("title_nouns") for t in analyze(word))


def asks_title(intent: Intent) -> bool:
    """True when the question asks for the title of an item it names by its number (« 4.1.1 »)."""
    return intent.kind == "text" and bool(intent.codes) and bool(title_stems() & set(analyze(intent.french)))


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
            body = [m for m in lines if not _CONTENTS_LINE.search(m.group("title"))]
            found = (body or lines)[:1]
            if found:
                m = found[0]
                start, end = m.span("line")
                return Answer(
                    question=intent.question,
                    answer=m.group("line"),
                    value=None,
                    unit=None,
                    kind="text",
                    abstained=False,
                    confidence=TITLE_CONFIDENCE,
                    citations=[citation_for(engine, document, start, end)],
                    lang=intent.lang,
                )
    return None
