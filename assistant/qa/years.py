"""The year a figure refers to, read from its sentence and headings."""

from __future__ import annotations

import re

from assistant.models import Fact

YEAR_RE = re.compile(r"(?<![\d.,])(1[5-9]\d\d|20\d\d)(?![\d.,]\d)")
"""A year (1500–2099) standing alone, not part of a longer number."""
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}(?:er)?\s+(?={_MONTHS})", re.IGNORECASE)


_BARE_HEADING = re.compile(r"[\d.\s/-]+")


def named_headings(scope: list[str]) -> list[str]:
    """The headings of a fact's scope, without the bare codes and years the
    extractor copies there from the sentence (they are the sentence's, not a heading's)."""
    return [h for h in scope if not _BARE_HEADING.fullmatch(h)]


def _figure_between(text: str) -> bool:
    """True when `text` holds a figure other than a day of a date."""
    return bool(re.search(r"\d", _DAY_OF_MONTH.sub("", text)))


def fact_year(fact: Fact) -> int | None:
    """The year a figure refers to.

    A year binds to the figure it follows with no other figure in between
    ("211,8 M€ contre 230,7 M€ en 2014": 2014 belongs to 230,7 M€); else to the
    figure it precedes with nothing in between ("En 2014, 90,4 €"); else the
    year of the figure's heading path, when it names one.
    """
    sentence = fact.sentence
    start = fact.start - fact.sentence_start
    end = fact.end - fact.sentence_start
    years = [(m.start(), m.end(), int(m.group())) for m in YEAR_RE.finditer(sentence)]
    after = [y for y in years if y[0] >= end and not _figure_between(sentence[end : y[0]])]
    if after and after[0][0] - end < 80:
        return after[0][2]
    before = [y for y in years if y[1] <= start and not _figure_between(sentence[y[1] : start])]
    if before and start - before[-1][1] < 80:
        return before[-1][2]
    for heading in reversed(named_headings(fact.scope)):
        found = YEAR_RE.findall(heading)
        if len(found) == 1:
            return int(found[0])
    return None


_FIGURE_RE = re.compile(r"\d+(?:[ \u00a0\u202f\u2009.,]\d+)*")


def free_years(fact: Fact) -> set[int]:
    """The years of the fact's sentence that no other figure of it claims.

    A year binds to the figure it follows ("188 listes (contre 128 en 2001)":
    2001 is the year of 128, not of 188), as in :func:`fact_year`.
    """
    sentence = fact.sentence
    start = fact.start - fact.sentence_start
    figures = [
        f
        for f in _FIGURE_RE.finditer(sentence)
        if not YEAR_RE.fullmatch(f.group()) and not _DAY_OF_MONTH.match(sentence, f.start())  # years and days are not figures
    ]
    out = set()
    for m in YEAR_RE.finditer(sentence):
        before = [f for f in figures if f.end() <= m.start() and m.start() - f.end() < 80]
        if before and not (before[-1].start() <= start < before[-1].end()):
            continue  # another figure's year
        out.add(int(m.group()))
    return out
