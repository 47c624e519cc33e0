"""French sentence spans in a text (offsets kept, nothing rewritten).

A sentence ends at '.', '!', '?' or '…' followed by a space and an upper-case
letter, a digit or an opening quote/bracket, and at every line break (scraped
reports put list items, table cells and titles on lines of their own).
Abbreviations (M., Mme., art., n°, p., etc.), decimals and codes (7.2.2)
never end a sentence.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr me st ste art al cf p pp n no vol chap fig ex env etc av apr j.-c jc éd ed coll "
    "min max hab nb réf ref sq".split()
)
_END = re.compile(r"[.!?…]+[»\")\]]*(?=\s+[«\"(\[]?[A-ZÀ-ÖØ-Þ0-9])")
_LINE = re.compile(r"\n")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], stripped of surrounding blanks."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    for line_match in list(_LINE.finditer(text, start, end)) + [None]:
        line_end = line_match.start() if line_match else end
        _split_line(text, line_start, line_end, spans)
        line_start = line_end + 1
    return spans


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    cursor = start
    for m in _END.finditer(text, start, end):
        before = text[cursor : m.start()]
        word = re.search(r"(\S+)$", before)
        if word and m.group().startswith(".") and word.group(1).lower().strip("(«\"") in _ABBREVIATIONS:
            continue
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            continue  # initials: "J. Dupont"
        _push(text, cursor, m.end(), out)
        cursor = m.end()
    _push(text, cursor, end, out)


def _push(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
