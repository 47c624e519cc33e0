"""The signals of answer ranking, one named pure function each.

A *feature* reads what the question asks (:class:`~assistant.qa.question.Intent`
and its :class:`~assistant.qa.retrieve.Query`) and one candidate — a fact
(:class:`FactCandidate`) or a sentence (:class:`SentenceCandidate`) — and
returns a number, usually in 0–1 (a count for a few).  The ranking score is
``gate × Σ weight × feature`` with the weights read from
``assistant/qa/weights.json`` (:mod:`assistant.qa.weights`), fitted by
``python -m assistant.qa.fit``; the gate is how well the fact's kind can answer
the question's kind at all (:func:`kind_gate`).

Every feature is registered by name in :data:`FACT_FEATURES` or
:data:`SENTENCE_FEATURES`, in a fixed order, so that the weights file, the fit
and ``assistant explain`` speak of the same signals.  Word lists come from the
language data (:mod:`assistant.lang`), never from literals here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.analysis.analyzer import APOSTROPHES, analyze, fold, stem, token_set, word_tokens
from assistant.analysis.numbers import parse_number
from assistant.lang import lexicon, read_list, read_table
from assistant.models import Fact
from assistant.qa.question import Intent, states_negation
from assistant.qa.retrieve import Candidate, Query, proximity
from assistant.qa.years import YEAR_RE, fact_year, free_years, named_headings

# --- candidates ------------------------------------------------------------------


@dataclass
class FactCandidate:
    """A fact considered as the answer, with what its surroundings tell."""

    fact: Fact
    section_score: float = 0.0
    """BM25 score of the fact's section relative to the best retrieved section (0–1)."""
    missing_names: float = 0
    """How many of the question's proper names the fact's document never mentions (one that other documents hold counts more: answerer.KNOWN_NAME_MISSING)."""
    before: frozenset[str] = frozenset()
    """Analysed tokens of the sentence just before the fact's (what "il", "elle" refer to)."""
    section_years: frozenset[int] | None = None
    """The years the fact's whole section states (None: not known)."""
    _cache: dict = field(default_factory=dict, repr=False)


@dataclass
class SentenceCandidate:
    """A sentence considered as the answer (a retrieved section's sentence)."""

    candidate: Candidate
    missing_names: float = 0
    """How many of the question's proper names the sentence's document never mentions."""
    section_years: frozenset[int] | None = None
    """The years the sentence's whole section states (None: read from its passage)."""


FactFeature = Callable[[Intent, Query, FactCandidate], float]
SentenceFeature = Callable[[Intent, Query, SentenceCandidate], float]

FACT_FEATURES: dict[str, FactFeature] = {}
"""Name → feature of a fact candidate, in registration order."""
SENTENCE_FEATURES: dict[str, SentenceFeature] = {}
"""Name → feature of a sentence candidate, in registration order."""


def fact_feature(fn: FactFeature) -> FactFeature:
    FACT_FEATURES[fn.__name__] = fn
    return fn


def sentence_feature(fn: SentenceFeature) -> SentenceFeature:
    SENTENCE_FEATURES[fn.__name__.removeprefix("s_")] = fn
    return fn


# --- the kind gate ------------------------------------------------------------------


KIND_FIT: dict[str, dict[str, float]] = {
    "count": {"count": 1.0, "ratio": 0.9, "other": 0.5},
    "money": {"money": 1.0},
    "percent": {"percent": 1.0, "ratio": 0.8},
    "duration": {"duration": 1.0},
    "date": {"date": 1.0},
    "number": {"count": 1.0, "money": 1.0, "percent": 1.0, "duration": 1.0, "ratio": 1.0, "other": 1.0},
}
"""How well a fact kind answers an expected kind (absent: not at all)."""


VARIATION_PERCENT_FIT = 0.9
"""Gate of a percent of change for the rise or fall of an amount asked with no measure named."""

TABLE_UNITLESS_FIT = 0.6
"""Gate of a table cell without a unit for an amount or a share asked."""


def kind_gate(intent: Intent, fact: Fact) -> float | None:
    """How well the fact's kind answers the question's (multiplies the score); None when it cannot."""
    expected = intent.kind
    fit = KIND_FIT.get(expected, {}).get(fact.kind)
    if fit is None and expected == "count" and fact.kind == "percent" and share_of(fact, intent.unit_hint):
        fit = 0.75  # "combien de voix ?" — "5,72 % des voix"
    if (
        fit is None
        and expected in ("count", "money")
        and fact.kind == "percent"
        and bare_variation(intent)
        and trend_before(fact, intent.trend)
    ):
        # "de combien a augmenté la production ?" — "en hausse de 6,26 %"; "de combien ont baissé les
        # subventions ?" — "ont baissé de 26 %" (an amount's own fall, when stated, ranks first)
        fit = 1.0 if expected == "count" else VARIATION_PERCENT_FIT
    if fit is None and expected in ("money", "percent") and fact.kind == "other" and fact.source == "table":
        fit = TABLE_UNITLESS_FIT  # a table cell's unit is often stated once, in its caption or header
    if fit is None:
        return None
    if expected == "count" and fact.kind == "count" and fact.unit in ("EUR", "FRF", "%"):
        return None
    return fit


# --- helpers shared by features -------------------------------------------------------

_CODE_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}$")
_NEXT_FIGURE = re.compile(r"\d+(?:[ \u00a0\u202f\u2009]\d{3})*(?:,\d+)?")
"""A figure in digits (thousands spaced, decimal comma)."""


def codes_in(values: list[str]) -> set[str]:
    """Programme/action codes ("7.2.2") named in `values`, years excluded."""
    out = set()
    for v in values:
        for token in re.findall(r"\d{1,2}(?:\.\d{1,2}){1,3}", v):
            if _CODE_RE.match(token) and not YEAR_RE.fullmatch(token):
                out.add(token)
    return out


def code_match(asked: list[str], stated: set[str]) -> float:
    """+1 when a stated code is (within) an asked one, −1 when they differ, 0 when none is stated."""
    if not asked or not stated:
        return 0.0
    for a in asked:
        for s in stated:
            if s == a or s.startswith(a + ".") or a.startswith(s + "."):
                return 1.0
    return -1.0


def trend_before(fact: Fact, trend: str | None) -> bool:
    """True when a word of `trend` ("hausse", "baisse"…) stands within the six words before the figure."""
    if trend is None:
        return False
    before = fact.sentence[: max(0, fact.start - fact.sentence_start)]
    words = re.findall(r"[^\W\d_]+", before)[-6:]
    stems = lexicon().trend_stems[trend]
    return any(stem(fold(w)) in stems for w in words)


def bare_variation(intent: Intent) -> bool:
    """A rise or fall asked with no measure named ("de combien a augmenté la production ?")."""
    return bool(intent.trend) and intent.unit_hint is None and not re.search(r"\b(nombre|number)\b", fold(intent.question))


def share_of(fact: Fact, noun: str | None) -> bool:
    """True when the percent is a share of `noun` ("5,72 % des voix")."""
    if not noun:
        return False
    after = fact.sentence[fact.end - fact.sentence_start :]
    words = re.findall(r"[^\W\d_]+", after)[:3]
    target = stem(fold(noun))
    return any(stem(fold(w)) == target for w in words)


def _life_date(fact: Fact) -> bool:
    """True for a birth or death date ("né le 3 mai 1920", "mort en 1593", "Marlowe (1564-1593)")."""
    before = fact.sentence[max(0, fact.start - fact.sentence_start - 40) : fact.start - fact.sentence_start]
    if lexicon().life_word_before.search(fold(before)):
        return True
    # a span of years in brackets after a name is a lifespan (a single year is not)
    return bool(fact.date_text and "/" in fact.date_text and re.search(r"\b[A-ZÀ-Ý][\w'’-]+\s*\($", before))


def _tokens(c: FactCandidate) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Analysed tokens of the fact's sentence, subject and scope (cached on the candidate)."""
    got = c._cache.get("tokens")
    if got is None:
        got = (token_set(c.fact.sentence), token_set(c.fact.subject), token_set(" ".join(c.fact.scope)))
        c._cache["tokens"] = got
    return got


TABLE_SUBJECT_SEPARATOR = " — "
"""Between a table cell's column header and its row label in the fact's subject (facts/tables.py)."""


def column_years(fact: Fact) -> set[int]:
    """The years named by a table cell's column header ("2014" in "2014 — Encours de dette")."""
    if fact.source != "table" or TABLE_SUBJECT_SEPARATOR not in fact.subject:
        return set()
    header = fact.subject.split(TABLE_SUBJECT_SEPARATOR, 1)[0]
    return {int(y) for y in YEAR_RE.findall(header)}


def table_row_label(fact: Fact) -> str | None:
    """A table cell's row label ("Encours de dette" in "2014 — Encours de dette"); None for prose."""
    if fact.source != "table" or TABLE_SUBJECT_SEPARATOR not in fact.subject:
        return None
    return fact.subject.split(TABLE_SUBJECT_SEPARATOR, 1)[1]


def _stated_years(intent: Intent, c: FactCandidate) -> set[int]:
    fact = c.fact
    bound = fact_year(fact)
    if bound is not None:
        # the year the figure refers to ("340 en 2007 et 410 en 2008")
        stated = {bound}
    else:
        # the sentence's years, less those another figure claims ("188 (contre 128 en 2001)"),
        # and the years of its headings
        stated = free_years(fact) | {int(y) for y in YEAR_RE.findall(" ".join(named_headings(fact.scope)))}
    if fact.kind == "date":
        stated.add(int(fact.value))
    return stated


def _year_relation(intent: Intent, c: FactCandidate) -> int:
    """+1 when the figure's year is one the question names, −1 when it states another, 0 otherwise."""
    if not intent.years or intent.kind == "date":
        return 0  # a date question's year is the answer, not a scope
    stated = _stated_years(intent, c)
    if stated & set(intent.years):
        return 1
    return -1 if stated else 0


def _stated_number(intent: Intent, fact: Fact) -> bool:
    return any(abs(fact.value - n) < 1e-9 for n in intent.numbers)


# --- fact features --------------------------------------------------------------------


@fact_feature
def coverage(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Share of the question's weight found in the fact's sentence or subject."""
    sentence, subject, _ = _tokens(c)
    return query.coverage(sentence | subject)


@fact_feature
def nearness(intent: Intent, query: Query, c: FactCandidate) -> float:
    """How close the question's words stand to the figure (clause boundaries count as distance)."""
    return proximity(c.fact.sentence, query, at=c.fact.start - c.fact.sentence_start)


@fact_feature
def subject_coverage(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Share of the question's weight found in the noun phrase the figure quantifies."""
    return query.coverage(_tokens(c)[1])


@fact_feature
def heading_coverage(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Share of the question's weight found in the headings only (not in the sentence)."""
    sentence, _, scope = _tokens(c)
    return query.coverage(scope - sentence)


@fact_feature
def section_score(intent: Intent, query: Query, c: FactCandidate) -> float:
    """BM25 score of the fact's section, relative to the best retrieved section."""
    return c.section_score


@fact_feature
def context_coverage(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Question words named only in the sentence before (pronoun subjects), not its figures."""
    sentence, subject, _ = _tokens(c)
    return query.coverage({t for t in c.before - sentence - subject if not t[0].isdigit()})


def _unit_fits(intent: Intent, query: Query, fact: Fact) -> bool:
    asked = intent.unit_hint or ""
    return stem(fold(asked)) == stem(fold(fact.unit or "")) or any(
        query.match(a, token_set(fact.unit or "")) > 0 for a in analyze(asked)
    )


@fact_feature
def unit_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the counted or measured noun asked is the fact's unit (or a synonym of it)."""
    return float(bool(intent.unit_hint and c.fact.unit) and _unit_fits(intent, query, c.fact))


@fact_feature
def unit_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a count of something else is offered for a count of the noun asked."""
    fact = c.fact
    if not (intent.unit_hint and fact.unit) or fact.kind != "count" or intent.kind != "count":
        return 0.0
    return float(not _unit_fits(intent, query, fact))


@fact_feature
def qualifier_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Number of the qualifiers asked (moyenne, total, objectif…) the fact carries."""
    return float(len(set(intent.qualifiers) & set(c.fact.qualifiers)))


@fact_feature
def target_unasked(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 for a target (objectif) when the question asks for no target nor planned figure."""
    return float("objectif" in c.fact.qualifiers and not set(intent.qualifiers) & {"objectif", "initial", "révisé"})


@fact_feature
def target_missing(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a target is asked and the fact is neither a target nor an achieved figure."""
    have = set(c.fact.qualifiers)
    return float("objectif" in intent.qualifiers and "objectif" not in have and "réalisé" not in have)


@fact_feature
def achieved_for_target(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a target is asked and the fact is an achieved figure."""
    have = set(c.fact.qualifiers)
    return float("objectif" in intent.qualifiers and "objectif" not in have and "réalisé" in have)


@fact_feature
def target_for_achieved(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when an achieved figure is asked and the fact is a target only."""
    have = set(c.fact.qualifiers)
    return float("réalisé" in intent.qualifiers and "objectif" in have and "réalisé" not in have)


@fact_feature
def revised_for_initial(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the initial figure is asked and the fact is a revised one."""
    return float("initial" in intent.qualifiers and "révisé" in c.fact.qualifiers)


@fact_feature
def initial_for_revised(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the revised figure is asked and the fact is an initial one."""
    return float("révisé" in intent.qualifiers and "initial" in c.fact.qualifiers)


@fact_feature
def average_missing(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when an average is asked and nothing in the fact's sentence says average."""
    fact = c.fact
    return float("moyenne" in intent.qualifiers and "moyenne" not in fact.qualifiers and "moyen" not in fold(fact.sentence))


@fact_feature
def bound_unasked(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 for a minimum or maximum when the question asks for no qualifier."""
    return float(bool(set(c.fact.qualifiers) & {"minimum", "maximum"}) and not intent.qualifiers)


@fact_feature
def year_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the year the figure refers to is one the question names."""
    return float(_year_relation(intent, c) > 0)


@fact_feature
def year_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the figure refers to years, none of them the question's."""
    return float(_year_relation(intent, c) < 0)


def years_of(tokens) -> set[int]:
    """The years among analysed tokens."""
    return {int(t) for t in tokens if t.isdigit() and YEAR_RE.fullmatch(t)}


@fact_feature
def year_outside_section(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the question names years that the fact's whole section, its headings and its
    table column never state: the passage speaks of other years (« en 2019 » asked of a 2021 report)."""
    if not intent.years or c.section_years is None:
        return 0.0
    fact = c.fact
    stated = set(c.section_years) | column_years(fact) | {int(y) for y in YEAR_RE.findall(" ".join(fact.scope))}
    return float(not stated & set(intent.years))


def _code_relation(intent: Intent, c: FactCandidate) -> float:
    if not intent.codes:
        return 0.0
    got = c._cache.get("codes")
    if got is None:
        got = code_match(intent.codes, codes_in(c.fact.scope) | codes_in([c.fact.sentence]))
        c._cache["codes"] = got
    return got


@fact_feature
def code_named(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the fact's sentence or headings name the programme/action code asked (or one within it)."""
    return float(_code_relation(intent, c) > 0)


@fact_feature
def code_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the fact's sentence or headings name other codes than the one asked."""
    return float(_code_relation(intent, c) < 0)


@fact_feature
def period_date(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 for a span of years ("2007-2013") offered for a date question: a year inside it says little."""
    fact = c.fact
    return float(intent.kind == "date" and fact.kind == "date" and bool(fact.date_text and "/" in fact.date_text))


@fact_feature
def life_date_unasked(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 for a birth or death date when the date question asks about neither."""
    fact = c.fact
    return float(intent.kind == "date" and fact.kind == "date" and not intent.asks_life and _life_date(fact))


@fact_feature
def trend_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a rise or fall is asked and a word of it governs the figure ("en baisse de 25 %")."""
    return float(bool(intent.trend) and trend_before(c.fact, intent.trend))


@fact_feature
def trend_absent(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a rise or fall is asked and no word of it stands before the figure."""
    return float(bool(intent.trend) and not trend_before(c.fact, intent.trend))


_FIGURE_IN_TEXT = re.compile(r"\d")
_CLAUSE_BREAK = re.compile(r"[,;:(]|\s[-–—]\s")
"""Where the words before a figure stop being its own (a comma, a colon, a dash between spaces)."""


def _clause_of(fact: Fact) -> str:
    """The words the figure belongs to: from the figure or clause break before it to the figure
    after it, at most about eight words on each side (« 502 personnes qui ne connaissent pas … - 336 qui le connaissent »)."""
    start = fact.start - fact.sentence_start
    end = fact.end - fact.sentence_start
    before = fact.sentence[max(0, start - 60) : start]
    cuts = [m.end() for m in _FIGURE_IN_TEXT.finditer(before)] + [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    before = before[max(cuts) :] if cuts else before
    after = fact.sentence[end : end + 60]
    m = _FIGURE_IN_TEXT.search(after)
    after = after[: m.start()] if m else after
    return fold(before + " " + after)


@fact_feature
def negation_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the question asks about those who did not (« combien ne connaissent pas … ») and the
    figure's own clause is negated too."""
    if not intent.negated:
        return 0.0
    return float(states_negation(_clause_of(c.fact)))


@fact_feature
def negation_unmatched(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the question asks about those who did not (« combien n'ont pas accepté ») and the
    figure's own clause is not negated (« 312 ont accepté »): the figure counts the contrary."""
    if not intent.negated:
        return 0.0
    return float(not states_negation(_clause_of(c.fact)))


@lru_cache(maxsize=1)
def _download_marker() -> re.Pattern[str]:
    """A file's format and size in brackets, « (PDF, 2.2 Mo) » (assistant/lang/fr/file_formats.txt, file_size_units.txt)."""
    formats = "|".join(re.escape(w) for w in sorted(read_list("file_formats"), key=len, reverse=True))
    units = "|".join(re.escape(w) for w in sorted(read_list("file_size_units"), key=len, reverse=True))
    return re.compile(rf"\(\s*(?:{formats})\s*[,;:\u2013-]\s*\d+(?:[.,]\d+)?\s*(?:{units})\s*\)", re.IGNORECASE)


_REFERENCE_GLUE = re.compile(r"\b(?:1[89]|20)\d\d[-/]$")
"""A figure glued by a hyphen or a slash to a year before it: a report's number (« 2014-055 », « n° 2019/12 »)."""


@fact_feature
def reference_line(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the figure belongs to a reference to a document rather than to a statement: its line
    names a file's format and size (a download link, « Analyses 2014-055 - Titre (PDF, 2.2 Mo) »),
    or the figure is an identifier (written with a leading zero, « 055 », or glued to a year
    before it, « 2014-055 »).  Dates are left alone (« 2014-2020 » is a period)."""
    fact = c.fact
    if fact.kind == "date":
        return 0.0
    if _download_marker().search(fact.sentence):
        return 1.0
    before = fact.sentence[max(0, fact.start - fact.sentence_start - 6) : fact.start - fact.sentence_start]
    return float(bool(re.fullmatch(r"0\d+", fact.raw.strip()) or _REFERENCE_GLUE.search(before)))


@fact_feature
def missing_names(intent: Intent, query: Query, c: FactCandidate) -> float:
    """How many of the question's proper names (at most 2) the fact's document never mentions."""
    return float(min(2, c.missing_names))


@fact_feature
def stated_in_question(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the figure is one the question itself states ("dans le top 100"): not its answer."""
    return float(_stated_number(intent, c.fact))


@fact_feature
def bounded_by_question(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the next figure after the fact is one the question states, as its scope
    ("14 lycées parmi les 100 premiers" for "… dans le top 100 ?")."""
    fact = c.fact
    if not intent.numbers or _stated_number(intent, fact):
        return 0.0
    after = fact.sentence[fact.end - fact.sentence_start :][:80]
    m = _NEXT_FIGURE.search(after)
    if not m:
        return 0.0
    value = parse_number(m.group())
    return float(value is not None and any(abs(value - n) < 1e-9 for n in intent.numbers))


_LABEL_BREAK = re.compile(r"[,;:()]|\s[-–—]\s|\d")
"""Where a figure's label stops, reading back from the figure: a clause break or another figure."""

LABEL_WORDS = 8
"""Most words of a bracketed figure's label: further back they name the clause, not the figure."""


def bracket_label(fact: Fact) -> str | None:
    """The words a figure in brackets is the figure of: those before its bracket, back to a clause
    break or another figure (« les départements » in « … le bloc communal (23,8 Md€), les départements
    (12,3 Md€) et … »); None when the figure does not open a bracket."""
    before = fact.sentence[: fact.start - fact.sentence_start].rstrip()
    if not before.endswith("("):
        return None
    before = before[:-1]
    cuts = [m.end() for m in _LABEL_BREAK.finditer(before)]
    return " ".join(before[max(cuts, default=0) :].split()[-LABEL_WORDS:])


@fact_feature
def label_coverage(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Share of the question's weight found in the label of a figure in brackets (:func:`bracket_label`):
    in a list of items each followed by its figure, the item asked names its own figure."""
    label = bracket_label(c.fact)
    return 0.0 if label is None else query.coverage(token_set(label))


THIN_EVIDENCE = 0.2
"""Least share of the question's weight a figure's sentence, headings and sentence before must hold between them."""


@fact_feature
def thin_evidence(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the figure's sentence (or table row and column), its headings and the sentence before
    hold together less than THIN_EVIDENCE of the question's weight, its years left out: a figure
    found by its year and kind alone (« Total 150,8 » in a 2014 column for « la DGF des régions en 2014 »)."""
    sentence, subject, scope = _tokens(c)
    words = {t for t in sentence | subject | scope | c.before if not YEAR_RE.fullmatch(t)}
    return float(query.coverage(words) < THIN_EVIDENCE)


@fact_feature
def semantic(intent: Intent, query: Query, c: FactCandidate) -> float:
    """Cosine of the question and the fact's sentence (e5, scaled to 0–1); 0 when semantic matching is off."""
    from assistant.qa import semantic as sem

    scorer = sem.current()
    if scorer is None:
        return 0.0
    fact = c.fact
    return scorer.similarity(intent.question, (fact.document, fact.sentence_start, fact.sentence_end), fact.sentence)


def _cell_years(fact: Fact) -> set[int]:
    """The years a table cell's column header or row label names (its subject ``header — label``); empty for prose."""
    if fact.source != "table":
        return set()
    return {int(y) for y in YEAR_RE.findall(fact.subject)}


@fact_feature
def cell_year_match(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a table cell's column header or row label names a year the question names (``2014`` for "en 2014")."""
    if not intent.years or intent.kind == "date":
        return 0.0
    return float(bool(_cell_years(c.fact) & set(intent.years)))


@fact_feature
def cell_year_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when a table cell's column header or row label names years, none of them the question's (the 2009 column for "en 2014")."""
    if not intent.years or intent.kind == "date":
        return 0.0
    years = _cell_years(c.fact)
    return float(bool(years) and not years & set(intent.years))


@fact_feature
def cell_label_nearness(intent: Intent, query: Query, c: FactCandidate) -> float:
    """For a table cell, how much closer the question's words stand to it read right after its row label
    than where its column puts it in the row (0 for prose): a cell's nearest words are its row's label,
    however many columns lie between them."""
    fact = c.fact
    if fact.source != "table":
        return 0.0
    label = table_row_label(fact)
    label = fact.subject if label is None else label
    return max(0.0, proximity(f"{label} {fact.raw}", query, at=len(label) + 1) - nearness(intent, query, c))


# --- contrasted predicates (an amount paid is not an amount endowed) -------------------------


@lru_cache(maxsize=1)
def _contrasts() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(group, alternative, its words as a regex) of the predicates that exclude one another
    (assistant/lang/fr/contrasts.tsv; whole words on lower-cased text, accents kept)."""
    out = []
    for group, alternative, words in read_table("contrasts"):
        forms = sorted({w.strip().lower() for w in words.split("|") if w.strip()}, key=len, reverse=True)
        out.append((group, alternative, re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")))
    return tuple(out)


@lru_cache(maxsize=20_000)
def contrasts_named(text: str) -> frozenset[tuple[str, str]]:
    """The (group, alternative) pairs of contrasts.tsv whose words `text` names (« est doté de » → financement/doté)."""
    lowered = text.lower().translate(APOSTROPHES)
    return frozenset((group, alternative) for group, alternative, words in _contrasts() if words.search(lowered))


def contradicted(question: str, passage: str, headings: str) -> bool:
    """Whether, for one of the contrasted groups the question names a predicate of (« payé », « refusé »),
    the passage or its headings name another alternative and none of the asked ones (« doté » for
    « payé », « accepté » for « refusé »); a passage naming no alternative of the group is not."""
    asked = contrasts_named(question)
    if not asked:
        return False
    stated = contrasts_named(passage) | contrasts_named(headings)
    for group in {group for group, _ in asked}:
        said = {pair for pair in stated if pair[0] == group}
        if said and not said & asked:
            return True  # one group contradicted is enough, whatever the others say
    return False


@fact_feature
def contrast_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the question names a predicate of a contrasted group (an amount « payé », those who
    « refusé ») and the figure's sentence or headings state another of the group and not the asked
    one (« est doté de », « ont accepté »): the figure answers another question."""
    return float(contradicted(intent.french, c.fact.sentence, " ".join(c.fact.scope)))


_COMPLEMENT_LINKS = frozenset({"de", "des", "du", "d"})
"""Words that may stand between a noun and the noun qualifying it (« la rénovation des gymnases »)."""


@lru_cache(maxsize=1)
def _adjective_ending() -> re.Pattern[str]:
    """A folded word ending like a French adjective (assistant/lang/fr/adjective_endings.txt)."""
    endings = sorted(read_list("adjective_endings"), key=len, reverse=True)
    return re.compile(rf"\w{{3,}}(?:{'|'.join(map(re.escape, endings))})")


def _question_pairs(intent: Intent, query: Query) -> tuple[tuple[str, str], ...]:
    """A question term and the term that qualifies it, as French orders them: an adjective right
    after it (« associations environnementales »), a noun after « de » (« rénovation des
    gymnases »); a name (« de Valbrune ») qualifies no item, and any other word between (a verb,
    « au », « est ») breaks the pair."""
    return _pairs_of(intent.french, frozenset(query.weights), tuple(intent.names))


@lru_cache(maxsize=256)
def _pairs_of(french: str, terms: frozenset[str], names_asked: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`_question_pairs` of the question's French text, its terms and its names (cached: every
    candidate of a question asks the same)."""
    names = {t for name in names_asked for t in analyze(name)}
    pairs: list[tuple[str, str]] = []
    previous: str | None = None
    linked = False
    for word in word_tokens(french):
        stems = [t for t in analyze(word) if t in terms and not t[0].isdigit()]
        if stems:
            if previous is not None and stems[0] not in names and (linked or _adjective_ending().fullmatch(word)):
                pairs.append((previous, stems[0]))
            previous, linked = stems[-1], False
        elif word in _COMPLEMENT_LINKS and previous is not None:
            linked = True
        else:
            previous, linked = None, False
    return tuple(pairs)


@lru_cache(maxsize=20_000)
def _word_sequence(text: str) -> tuple[str, ...]:
    """The analysed words of `text` in order, figures left out (cached like :func:`token_set`)."""
    return tuple(t for t in analyze(text) if not t[0].isdigit())


def qualified_otherwise(pairs: tuple[tuple[str, str], ...], query: Query, text: str) -> bool:
    """True when `text` names a word of the question qualified by another word than the question's,
    a qualifier the corpus never uses (so the report does not state the item asked): « aux
    associations sportives » for « aux associations environnementales », « la rénovation des
    écoles » for « … des gymnases »."""
    tokens = _word_sequence(text)
    present = frozenset(tokens)
    for head, qualifier in pairs:
        if qualifier not in query.unknown or query.match(qualifier, present):
            continue  # a word the corpus uses may just be phrased otherwise
        if any(t == head and nxt != qualifier for t, nxt in zip(tokens, tokens[1:])):
            return True
    return False


@fact_feature
def qualifier_mismatch(intent: Intent, query: Query, c: FactCandidate) -> float:
    """1 when the figure's sentence names a word of the question qualified otherwise
    (:func:`qualified_otherwise`): the figure of another item of the same kind."""
    pairs = _question_pairs(intent, query)
    return float(bool(pairs) and qualified_otherwise(pairs, query, c.fact.sentence))


# --- sentence features -------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _heading_tokens(path: tuple[str, ...]) -> frozenset[str]:
    return frozenset(analyze(" ".join(path)))


@sentence_feature
def s_coverage(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """Share of the question's weight found in the sentence."""
    return s.candidate.coverage


@sentence_feature
def s_section_score(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """BM25 score of the sentence's section, relative to the best retrieved section."""
    return s.candidate.section_score


@sentence_feature
def s_nearness(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """Share of the question's weight gathered in the sentence's densest window of 12 words."""
    return proximity(s.candidate.text, query)


@sentence_feature
def s_heading_coverage(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """Question words found in the section's headings only (what a sentence is about)."""
    c = s.candidate
    return query.coverage(_heading_tokens(tuple(c.section.heading_path)) - c.tokens)


@sentence_feature
def s_context_coverage(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """Question words found only in the sentence before (pronoun subjects)."""
    c = s.candidate
    return query.coverage(c.before - c.tokens) if c.before else 0.0


@sentence_feature
def s_very_short(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 for a sentence under 25 characters (a fragment)."""
    return float(len(s.candidate.text) < 25)


@sentence_feature
def s_very_long(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 for a sentence over 600 characters (a paragraph glued into one)."""
    return float(len(s.candidate.text) > 600)


@sentence_feature
def s_title_line(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 for a short line without final punctuation: a title names a subject, it does not answer about it."""
    text = s.candidate.text
    return float(len(text) < 80 and not text.rstrip().endswith((".", "!", "?", "…", "»", ")", ";")))


@sentence_feature
def s_definition(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when "qui est X ?" / "qu'est-ce que X ?" meets a copular sentence ("X est un(e) …")."""
    return float(intent.definition and bool(lexicon().definition.search(s.candidate.text)))


def _sentence_years(s: SentenceCandidate) -> set[int]:
    c = s.candidate
    return {int(y) for y in YEAR_RE.findall(c.text)} | {int(y) for y in YEAR_RE.findall(" ".join(c.section.heading_path))}


@sentence_feature
def s_year_match(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when the sentence (or its headings) names a year the question names."""
    if not intent.years or intent.kind == "date":
        return 0.0
    return float(bool(_sentence_years(s) & set(intent.years)))


@sentence_feature
def s_year_mismatch(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when the sentence and its headings name years, none of them the question's."""
    if not intent.years or intent.kind == "date":
        return 0.0
    years = _sentence_years(s)
    return float(bool(years) and not years & set(intent.years))


@sentence_feature
def s_year_outside_section(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when the question names years that neither the sentence's whole section nor its headings state."""
    if not intent.years:
        return 0.0
    c = s.candidate
    stated = s.section_years
    if stated is None:
        stated = frozenset(int(y) for y in YEAR_RE.findall(c.section.text + " " + " ".join(c.section.heading_path)))
    return float(not stated & set(intent.years))


@sentence_feature
def s_focus_missing(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when the noun « quel est le NOUN » asks about (or a synonym) is neither in the sentence,
    the one before, nor its headings: the sentence speaks of something else."""
    if not intent.focus:
        return 0.0
    c = s.candidate
    around = c.tokens | c.before | _heading_tokens(tuple(c.section.heading_path))
    return float(not any(query.match(t, around) for t in analyze(intent.focus)))


@sentence_feature
def s_missing_names(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """How many of the question's proper names (at most 2) the sentence's document never mentions."""
    return float(min(2, s.missing_names))


@sentence_feature
def s_semantic(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """Cosine of the question and the sentence (e5, scaled to 0–1); 0 when semantic matching is off."""
    from assistant.qa import semantic as sem

    scorer = sem.current()
    if scorer is None:
        return 0.0
    c = s.candidate
    return scorer.similarity(intent.question, (c.section.document, c.start, c.end), c.text)


@sentence_feature
def s_contrast_mismatch(intent: Intent, query: Query, s: SentenceCandidate) -> float:
    """1 when the question names a predicate of a contrasted group (« refusé ») and the sentence or
    its headings state another of the group (« accepté ») and not the asked one."""
    c = s.candidate
    return float(contradicted(intent.french, c.text, " ".join(c.section.heading_path)))


def fact_features(intent: Intent, query: Query, c: FactCandidate) -> dict[str, float]:
    """Every fact feature's value for one candidate."""
    return {name: fn(intent, query, c) for name, fn in FACT_FEATURES.items()}


def sentence_features(intent: Intent, query: Query, s: SentenceCandidate) -> dict[str, float]:
    """Every sentence feature's value for one candidate."""
    return {name: fn(intent, query, s) for name, fn in SENTENCE_FEATURES.items()}
