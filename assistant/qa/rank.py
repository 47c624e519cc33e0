"""Ranking facts against a question: subject, sentence, qualifiers, scope,
kind and unit, and the retrieval score of the section they stand in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.analysis.analyzer import analyze, fold, stem
from assistant.analysis.numbers import parse_number
from assistant.models import Fact
from assistant.qa.question import BIRTH_WORDS, DEATH_WORDS, Intent
from assistant.qa.retrieve import Query, before, proximity
from assistant.qa.years import YEAR_RE, fact_year, free_years, named_headings

KIND_FIT: dict[str, dict[str, float]] = {
    "count": {"count": 1.0, "ratio": 0.9, "other": 0.5},
    "money": {"money": 1.0},
    "percent": {"percent": 1.0, "ratio": 0.8},
    "duration": {"duration": 1.0},
    "date": {"date": 1.0},
}
"""How well a fact kind answers an expected kind (absent: not at all)."""

_CODE_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}$")

CONTEXT_WEIGHT = 0.2
"""Weight of the question words found only in the sentence before the figure's
(half the sentence's own 0.40, as for sentences in answerer.py)."""


@dataclass
class ScoredFact:
    """A fact with its match score and the parts of it (for explanations and tuning)."""

    fact: Fact
    score: float
    parts: dict[str, float] = field(default_factory=dict)


def _codes(values: list[str]) -> set[str]:
    out = set()
    for v in values:
        for token in re.findall(r"\d{1,2}(?:\.\d{1,2}){1,3}", v):
            if _CODE_RE.match(token) and not YEAR_RE.fullmatch(token):
                out.add(token)
    return out


def _years(text: str) -> set[int]:
    return {int(y) for y in YEAR_RE.findall(text)}


TREND_WORDS = {
    "up": frozenset(
        stem(w) for w in "augmenter augmentation augmente hausse progression progresse croissance accroissement plus".split()
    ),
    "down": frozenset(stem(w) for w in "diminuer diminution diminue baisse recul recule reduction chute moins".split()),
}
"""Stems of the words French reports put before a variation ("en hausse de 3,1 %")."""


def _trend_before(fact: Fact, trend: str) -> bool:
    """True when a word of `trend` stands within the six words before the figure."""
    before = fact.sentence[: max(0, fact.start - fact.sentence_start)]
    words = re.findall(r"[^\W\d_]+", before)[-6:]
    return any(stem(fold(w)) in TREND_WORDS[trend] for w in words)


LIFE_PENALTY = 0.1
"""Less for a birth or death date when the question asks about neither."""
_LIFE_WORD_BEFORE = re.compile(rf"\b(?:{BIRTH_WORDS}|{DEATH_WORDS})\s+(?:le\s+|en\s+|vers\s+|a\s+)?$")
"""A word of a birth or a death just before a date (on folded text)."""
_NAME_BRACKET_BEFORE = re.compile(r"\b[A-ZÀ-Ý][\w'’-]+\s*\($")


def _life_date(fact: Fact) -> bool:
    """True for a birth or death date ("né le 3 mai 1920", "mort en 1593", "Marlowe (1564-1593)")."""
    before = fact.sentence[max(0, fact.start - fact.sentence_start - 40) : fact.start - fact.sentence_start]
    if _LIFE_WORD_BEFORE.search(fold(before)):
        return True
    # a span of years in brackets after a name is a lifespan (a single year is not)
    return bool(fact.date_text and "/" in fact.date_text and _NAME_BRACKET_BEFORE.search(before))


def _bare_variation(intent: Intent) -> bool:
    """A rise or fall asked with no measure named ("de combien a augmenté la production ?")."""
    return bool(intent.trend) and intent.unit_hint is None and not re.search(r"\b(nombre|number)\b", fold(intent.question))


_NEXT_FIGURE = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?")
"""A figure in digits (thousands spaced, decimal comma)."""


def _scoped_by(fact: Fact, numbers: list[float]) -> bool:
    """True when the next figure after the fact is one the question states, as its scope
    ("14 lycées parmi les 100 premiers" for "… dans le top 100 ?")."""
    after = fact.sentence[fact.end - fact.sentence_start :][:80]
    m = _NEXT_FIGURE.search(after)
    if not m:
        return False
    value = parse_number(m.group())
    return value is not None and any(abs(value - n) < 1e-9 for n in numbers)


def _share_of(fact: Fact, noun: str | None) -> bool:
    """True when the percent is a share of `noun` ("5,72 % des voix")."""
    if not noun:
        return False
    after = fact.sentence[fact.end - fact.sentence_start :]
    words = re.findall(r"[^\W\d_]+", after)[:3]
    target = stem(fold(noun))
    return any(stem(fold(w)) == target for w in words)


def _synonym_units(asked: str, unit: str, query: Query) -> bool:
    """True when the counted noun is a synonym of the one asked ("copies" — "exemplaires")."""
    return any(query.match(a, token_set(unit)) > 0 for a in analyze(asked))


@lru_cache(maxsize=20_000)
def token_set(text: str) -> frozenset[str]:
    """The analysed tokens of `text` (cached: a sentence holds several figures,
    and the same facts come back question after question)."""
    return frozenset(analyze(text))


def code_match(asked: list[str], stated: set[str]) -> float:
    """+1 when a stated code is (within) an asked one, −1 when they differ, 0 when none is stated."""
    if not asked or not stated:
        return 0.0
    for a in asked:
        for s in stated:
            if s == a or s.startswith(a + ".") or a.startswith(s + "."):
                return 1.0
    return -1.0


def score_fact(
    fact: Fact, intent: Intent, query: Query, section_score: float, missing_names: int = 0, before: frozenset[str] = frozenset()
) -> ScoredFact | None:
    """How well `fact` answers the question; None when its kind cannot.

    `before` holds the analysed tokens of the sentence just before the fact's.
    """
    expected = intent.kind
    fit = KIND_FIT.get(expected, {}).get(fact.kind)
    if fit is None and expected == "count" and fact.kind == "percent" and _share_of(fact, intent.unit_hint):
        fit = 0.75  # "combien de voix ?" — "5,72 % des voix"
    if (
        fit is None
        and expected == "count"
        and fact.kind == "percent"
        and _bare_variation(intent)
        and _trend_before(fact, intent.trend)
    ):
        fit = 1.0  # "de combien a augmenté la production ?" — "en hausse de 6,26 %"
    if fit is None:
        return None
    if expected == "count" and fact.kind == "count" and fact.unit in ("EUR", "FRF", "%"):
        return None
    sentence_tokens = token_set(fact.sentence)
    subject_tokens = token_set(fact.subject)
    heading_tokens = token_set(" ".join(fact.scope))
    cov_sentence = query.coverage(sentence_tokens | subject_tokens)
    cov_subject = query.coverage(subject_tokens)
    cov_heading = query.coverage(heading_tokens - sentence_tokens)
    near = proximity(fact.sentence, query, at=fact.start - fact.sentence_start)
    parts = {
        "sentence": 0.40 * cov_sentence,
        "near": 0.35 * near,
        "subject": 0.10 * cov_subject,
        "heading": 0.10 * cov_heading,
        "section": 0.10 * section_score,
        # question words named only in the sentence before ("Le système X … Il collecte 4 500 …");
        # not its figures and years: they are that sentence's own
        "context": CONTEXT_WEIGHT * query.coverage({t for t in before - sentence_tokens - subject_tokens if not t[0].isdigit()}),
    }
    adjust = 0.0
    # unit
    if intent.unit_hint and fact.unit:
        if stem(fold(intent.unit_hint)) == stem(fold(fact.unit)) or _synonym_units(intent.unit_hint, fact.unit, query):
            adjust += 0.08
        elif fact.kind == "count" and intent.kind == "count":
            adjust -= 0.04
    # qualifiers
    wanted = set(intent.qualifiers)
    have = set(fact.qualifiers)
    adjust += 0.06 * len(wanted & have)
    if "objectif" in have and not wanted & {"objectif", "initial", "révisé"}:
        adjust -= 0.12
    if "objectif" in wanted and "objectif" not in have:
        adjust -= 0.10 if "réalisé" in have else 0.06
    if "réalisé" in wanted and "objectif" in have and "réalisé" not in have:
        adjust -= 0.06
    if "initial" in wanted and "révisé" in have:
        adjust -= 0.10
    if "révisé" in wanted and "initial" in have:
        adjust -= 0.08
    if "moyenne" in wanted and "moyenne" not in have and "moyen" not in fold(fact.sentence):
        adjust -= 0.08
    if have & {"minimum", "maximum"} and not wanted:
        adjust -= 0.01
    # years (a date question's year is the answer, not a scope)
    if intent.years and expected != "date":
        bound = fact_year(fact)
        if bound is not None:
            # the year the figure refers to ("340 en 2007 et 410 en 2008")
            stated = {bound}
        else:
            # the sentence's years, less those another figure claims ("188 (contre 128 en 2001)"),
            # and the years of its headings
            stated = free_years(fact) | _years(" ".join(named_headings(fact.scope)))
        if fact.kind == "date":
            stated.add(int(fact.value))
        if stated & set(intent.years):
            adjust += 0.08
        elif stated:
            adjust -= 0.15
    # codes
    if intent.codes:
        match = code_match(intent.codes, _codes(fact.scope) | _codes([fact.sentence]))
        adjust += 0.10 if match > 0 else -0.30 if match < 0 else 0.0
    # dates: a year alone inside a period ("2007-2013") says little
    if expected == "date" and fact.kind == "date":
        if fact.date_text and "/" in fact.date_text:
            adjust -= 0.05
        # "née le 16 décembre 1863", "Le Caravage (1571-1610)": a birth or death
        # date answers only a question about a birth or a death
        if not intent.asks_life and _life_date(fact):
            adjust -= LIFE_PENALTY
    # "de combien … a baissé", "by what percentage did … fall": the figure a
    # trend word governs ("en baisse de 25 %") is the one asked for
    if intent.trend:
        adjust += 0.10 if _trend_before(fact, intent.trend) else -0.03
    # a document that never names the place or body asked about is not about it
    adjust -= 0.25 * min(2, missing_names)
    # a figure the question itself states is not its answer ("dans le top 100")
    if any(abs(fact.value - n) < 1e-9 for n in intent.numbers):
        adjust -= 0.25
    # … but it may bound the figure asked for, as a year does ("14 lycées parmi les 100 premiers")
    elif intent.numbers and _scoped_by(fact, intent.numbers):
        adjust += 0.08
    score = (sum(parts.values()) + adjust) * fit
    parts["adjust"] = adjust
    parts["fit"] = fit
    return ScoredFact(fact=fact, score=score, parts=parts)


def rank_facts(
    facts: list[Fact],
    intent: Intent,
    query: Query,
    section_scores: dict[int, float],
    missing_names: dict[str, int] | None = None,
    context: dict[int, list[tuple[int, frozenset[str]]]] | None = None,
) -> list[ScoredFact]:
    """Facts able to answer, best first (ties: document order).

    `missing_names` counts, per document, the question's proper names it never mentions;
    `context` holds the sentences of the sections (:func:`sentence_context`).
    """
    scored = []
    missing_names = missing_names or {}
    context = context or {}
    for fact in facts:
        s = score_fact(
            fact,
            intent,
            query,
            section_scores.get(fact.section_id, 0.0),
            missing_names.get(fact.document, 0),
            before(context, fact.section_id, fact.sentence_start),
        )
        if s is not None:
            scored.append(s)
    scored.sort(key=lambda s: (-s.score, s.fact.document, s.fact.start))
    return scored
