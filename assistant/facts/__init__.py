"""The facts table: every figure of a document as a typed, cited :class:`Fact` row.

:func:`extract_facts` reads one document; :func:`extract_facts_many` reads
several and parses all their sentences in one batched ``nlp.pipe`` call. The
steps, for each document:

1. :func:`assistant.analysis.numbers.find_figures` reads every figure of the
   text; figures inside ``doc.noise`` spans are dropped;
2. :func:`assistant.facts.tables.find_tables` reads the tables, indicator blocks
   and labelled values, and marks the figures it consumed;
3. the remaining figures are grouped by sentence; only the sentences holding one
   that is not a date or a rank are parsed with spaCy (:mod:`assistant.facts.nlp`:
   tagger and parser; a sentence whose figures are all dates or ranks gives their
   facts without a parse, :func:`assistant.facts.prose.dated_facts`), each
   distinct table label once and with the tagger alone (its head noun's lemma
   is all it gives), and
   :func:`assistant.facts.prose.facts_from_sentence` gives each its subject,
   unit and qualifiers;
4. each fact is tied to its section (``section_ordinal``), page and scope (the
   heading path, then programme/action codes and years named by the heading or
   the sentence).

spaCy is loaded only when some sentence needs parsing, and never at import.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.analysis.numbers import Code, Figure, find_figures, find_figures_and_codes, scope_codes
from assistant.analysis.sentences import split_sentences
from assistant.facts.nlp import lemma
from assistant.facts.prose import Draft, dated_facts, facts_from_sentence, lemma_of, needs_parse, ordered
from assistant.facts.tables import Pending, find_tables
from assistant.models import Document, Fact, Section

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["extract_facts", "extract_facts_many"]

_BATCH_SIZE = 64


@dataclass
class _Plan:
    doc: Document
    sections: list[Section]
    drafts: list[Draft] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    jobs: list[tuple[int, int, list[Figure], list[Figure]]] = field(default_factory=list)
    """Sentences to parse: (start, end, figures to read, figures already read by the table reader)."""
    codes: list[Code] = field(default_factory=list)
    """Codes of the whole document text, in order (one scan serves every sentence)."""
    section_starts: list[int] = field(default_factory=list)
    """Each section's start, in order (for a binary search)."""
    disjoint: bool = True
    """True when no section overlaps the next: a fact's section is then found by binary search."""

    def __post_init__(self) -> None:
        """The sections' starts, and whether they are disjoint."""
        self.section_starts = [s.start for s in self.sections]
        self.disjoint = all(a.end <= b.start for a, b in zip(self.sections, self.sections[1:]))


def _codes_in(plan: _Plan, start: int, end: int) -> list[Code]:
    """The document's codes inside [start, end)."""
    starts = [c.start for c in plan.codes]
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return [c for c in plan.codes[lo:hi] if c.end <= end]


def _outside(spans: list[tuple[int, int]]):
    """A test `pos → True when pos lies in none of spans` (spans merged once, then a binary search)."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts = [s for s, _e in merged]

    def outside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i < 0 or pos >= merged[i][1]

    return outside


def _plan(doc: Document, sections: list[Section]) -> _Plan:
    plan = _Plan(doc, sorted(sections, key=lambda s: s.start))
    text = doc.text
    all_figures, plan.codes = find_figures_and_codes(text)
    outside_noise = _outside(doc.noise)
    figures = [f for f in all_figures if outside_noise(f.start)]
    tables = find_tables(text, figures)
    plan.drafts.extend(tables.drafts)
    plan.pending.extend(tables.pending)
    outside_tables = _outside(tables.consumed)
    rest = [f for f in figures if f.start not in tables.consumed_figures and outside_tables(f.start)]
    if not rest:
        return plan
    starts = [f.start for f in rest]
    done = [f for f in figures if f.start in tables.consumed_figures]
    done_starts = [f.start for f in done]
    for s, e in split_sentences(text):
        lo = bisect.bisect_left(starts, s)
        hi = bisect.bisect_left(starts, e)
        figs = rest[lo:hi]
        if not figs:
            continue
        e = max(e, max(f.end for f in figs))
        ghosts = [f for f in done[bisect.bisect_left(done_starts, s) : bisect.bisect_left(done_starts, e)] if f.end <= e]
        plan.jobs.append((s, e, figs, ghosts))
    return plan


def _label_lemma(parsed: Doc) -> tuple[str, str | None]:
    """(lemma of the label's head noun, that lemma as a counted unit or None)."""
    nouns = [t for t in parsed if t.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return "", None
    head = nouns[0]
    counted = lemma(head) == "nombre" and len(nouns) > 1
    if counted:
        head = nouns[1]
    head_lemma = lemma_of(head)
    return head_lemma, (head_lemma if counted else None)


def _section_of(plan: _Plan, pos: int) -> Section | None:
    """The first section holding `pos`, else the last one starting before it (else the first)."""
    secs = plan.sections
    if not secs:
        return None
    i = bisect.bisect_right(plan.section_starts, pos) - 1
    if plan.disjoint:  # the one section that can hold pos is the last one starting at or before it
        return secs[max(i, 0)]
    for s in secs:
        if s.start <= pos < s.end:
            return s
    return secs[max(i, 0)]


@lru_cache(maxsize=4096)
def _heading_scope(heading_path: tuple[str, ...]) -> list[str]:
    """Codes and years named by a heading path (cached: every fact under it asks)."""
    out: list[str] = []
    for h in heading_path:
        out.extend(scope_codes(h))
        for f in find_figures(h):
            if f.kind == "date" and f.value > 0:
                out.append(str(int(f.value)))
    return out


def _to_fact(plan: _Plan, d: Draft) -> Fact:
    doc = plan.doc
    f = d.figure
    sec = _section_of(plan, f.start)
    path = list(sec.heading_path) if sec else []
    scope = list(dict.fromkeys([p for p in path if p] + _heading_scope(tuple(path)) + d.scope))
    return Fact(
        document=doc.path,
        section_ordinal=sec.ordinal if sec else 0,
        section=sec.heading if sec else "",
        value=f.value,
        unit=d.unit,
        kind=d.kind,  # type: ignore[arg-type]
        raw=f.raw,
        subject=d.subject,
        subject_lemma=d.subject_lemma,
        qualifiers=ordered(d.qualifiers),
        denominator=f.denominator,
        range_high=f.range_high,
        date_text=f.date_text,
        scope=scope,
        sentence=doc.text[d.sentence_start : d.sentence_end],
        sentence_start=d.sentence_start,
        sentence_end=d.sentence_end,
        start=f.start,
        end=f.end,
        page=doc.page_at(f.start),
        source=d.source,  # type: ignore[arg-type]
    )


def extract_facts_many(items: list[tuple[Document, list[Section]]]) -> list[list[Fact]]:
    """The facts of several documents (one list per document, in order), spaCy batched across them."""
    plans = [_plan(doc, sections) for doc, sections in items]
    texts: list[str] = []
    labels: dict[str, int] = {}  # each distinct label is parsed once
    for plan in plans:
        texts.extend(plan.doc.text[s:e] for s, e, figs, _g in plan.jobs if needs_parse(figs))
        for p in plan.pending:
            labels.setdefault(p.label, len(labels))
    parsed: list[Doc] = []
    parsed_labels: list[Doc] = []
    if texts or labels:
        from assistant.facts.nlp import LABEL_PIPES, normalize_for_parse, parse_many

        parsed = parse_many((normalize_for_parse(t) for t in texts), batch_size=_BATCH_SIZE)
        parsed_labels = parse_many((normalize_for_parse(t) for t in labels), batch_size=_BATCH_SIZE, pipes=LABEL_PIPES)
    label_lemmas = [_label_lemma(d) for d in parsed_labels]
    k = 0
    out: list[list[Fact]] = []
    for plan in plans:
        drafts = list(plan.drafts)
        for s, e, figs, ghosts in plan.jobs:
            if not needs_parse(figs):
                drafts.extend(dated_facts(plan.doc.text, s, e, figs, ghosts, _codes_in(plan, s, e)))
                continue
            try:
                drafts.extend(facts_from_sentence(parsed[k], plan.doc.text, s, e, figs, ghosts, _codes_in(plan, s, e)))
            except Exception:  # noqa: BLE001 - a parse we cannot read must not stop indexing
                drafts.extend(Draft(f, s, e, unit=f.unit, kind=f.kind) for f in figs)
            k += 1
        for p in plan.pending:
            lemma, unit = label_lemmas[labels[p.label]]
            p.draft.subject_lemma = p.draft.subject_lemma or lemma
            if p.set_unit and p.draft.unit is None and unit:
                p.draft.unit = unit
        drafts.sort(key=lambda d: (d.figure.start, d.figure.end))
        out.append([_to_fact(plan, d) for d in drafts])
    return out


def extract_facts(doc: Document, sections: list[Section]) -> list[Fact]:
    """The facts of one document: every figure in its prose and tables, typed and cited."""
    return extract_facts_many([(doc, sections)])[0]
