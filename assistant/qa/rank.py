"""Ranking candidates: score = gate × Σ weight × feature.

The features are the named functions of :mod:`assistant.qa.features`; the
weights come from ``weights.json`` (:mod:`assistant.qa.weights`).  Each scored
candidate keeps its feature values by name, for ``assistant explain`` and for
the fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.models import Fact
from assistant.qa.features import (
    FactCandidate,
    SentenceCandidate,
    _life_date,
    fact_features,
    kind_gate,
    sentence_features,
)
from assistant.qa.question import Intent
from assistant.qa.retrieve import Candidate, Query, before
from assistant.qa.weights import WeightsModel, model

__all__ = ["ScoredFact", "ScoredSentence", "_life_date", "rank_facts", "rank_sentences", "score_fact", "score_sentence"]


@dataclass
class ScoredFact:
    """A fact with its score and the values of the features it was scored from."""

    fact: Fact
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    """Feature name → value (``gate`` holds the kind gate the sum was multiplied by)."""


@dataclass
class ScoredSentence:
    """A sentence with its score and its feature values."""

    candidate: Candidate
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    """Feature name → value."""


def score_fact(
    fact: Fact,
    intent: Intent,
    query: Query,
    section_score: float,
    missing_names: float = 0,
    before: frozenset[str] = frozenset(),
    weights: WeightsModel | None = None,
    section_years: frozenset[int] | None = None,
) -> ScoredFact | None:
    """How well `fact` answers the question; None when its kind cannot.

    `before` holds the analysed tokens of the sentence just before the fact's, `section_years`
    the years its whole section states.
    """
    gate = kind_gate(intent, fact)
    if gate is None:
        return None
    weights = weights or model()
    candidate = FactCandidate(
        fact=fact, section_score=section_score, missing_names=missing_names, before=before, section_years=section_years
    )
    parts = fact_features(intent, query, candidate)
    score = gate * weights.score("fact", parts)
    parts["gate"] = gate
    return ScoredFact(fact=fact, score=score, parts=parts)


def rank_facts(
    facts: list[Fact],
    intent: Intent,
    query: Query,
    section_scores: dict[int, float],
    missing_names: dict[str, float] | None = None,
    context: dict[int, list[tuple[int, frozenset[str]]]] | None = None,
    weights: WeightsModel | None = None,
    section_years: dict[int, frozenset[int]] | None = None,
) -> list[ScoredFact]:
    """Facts able to answer, best first (ties: document order).

    `missing_names` counts, per document, the question's proper names it never mentions;
    `context` holds the sentences of the sections (:func:`~assistant.qa.retrieve.sentence_context`),
    `section_years` the years each section states (:func:`assistant.qa.answerer.gather`).
    """
    scored = []
    missing_names = missing_names or {}
    context = context or {}
    years = section_years or {}
    for fact in facts:
        s = score_fact(
            fact,
            intent,
            query,
            section_scores.get(fact.section_id, 0.0),
            missing_names.get(fact.document, 0),
            before(context, fact.section_id, fact.sentence_start),
            weights,
            years.get(fact.section_id),
        )
        if s is not None:
            scored.append(s)
    scored.sort(key=lambda s: (-s.score, s.fact.document, s.fact.start))
    return scored


def score_sentence(
    candidate: Candidate,
    intent: Intent,
    query: Query,
    missing_names: float = 0,
    weights: WeightsModel | None = None,
    section_years: frozenset[int] | None = None,
) -> ScoredSentence:
    """How well a sentence answers the question (`section_years`: the years its section states)."""
    weights = weights or model()
    candidate_ = SentenceCandidate(candidate=candidate, missing_names=missing_names, section_years=section_years)
    parts = sentence_features(intent, query, candidate_)
    return ScoredSentence(candidate=candidate, score=weights.score("sentence", parts), parts=parts)


def rank_sentences(
    cands: list[Candidate],
    intent: Intent,
    query: Query,
    missing_names: dict[str, float] | None = None,
    weights: WeightsModel | None = None,
    section_years: dict[int, frozenset[int]] | None = None,
) -> list[ScoredSentence]:
    """Sentences best first (ties: retrieval order)."""
    missing_names = missing_names or {}
    years = section_years or {}
    scored = [
        score_sentence(c, intent, query, missing_names.get(c.section.document, 0), weights, years.get(c.section.id))
        for c in cands
    ]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]
