"""P(correct) of the best candidate: the signals of an answer, as opposed to those of a candidate.

The rankers (:mod:`assistant.qa.rank`) order the candidates of one question;
whether the best of them is right at all is another question, read from what
the top candidate looks like against the others: its score, its lead on the
runner-up, how much of the question it covers, the names and years of the
question it leaves unstated.  Each such signal is a named function of the
ranked list (:data:`ANSWER_FEATURES`); a logistic model per ranker
(``abstention`` in ``weights.json``, fitted by ``python -m assistant.qa.fit``
with cross-validation by document) turns them into P(correct), and the
assistant abstains below its fitted level.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, Protocol


class Scored(Protocol):
    """A ranked candidate: its score and feature values (ScoredFact, ScoredSentence)."""

    score: float
    parts: dict[str, float]


Ranker = Literal["fact", "sentence"]
AnswerFeature = Callable[[Sequence[Scored], Sequence[object]], float]

ANSWER_FEATURES: dict[str, AnswerFeature] = {}
"""Name → signal of the best candidate of a ranked list, in registration order."""


def answer_feature(fn: AnswerFeature) -> AnswerFeature:
    ANSWER_FEATURES[fn.__name__] = fn
    return fn


@answer_feature
def score(ranked: Sequence[Scored], keys: Sequence[object]) -> float:
    """The best candidate's ranking score."""
    return ranked[0].score


@answer_feature
def margin(ranked: Sequence[Scored], keys: Sequence[object]) -> float:
    """Lead of the best candidate on the best one saying something else (another value or sentence)."""
    first = keys[0]
    for other, key in zip(ranked[1:], keys[1:]):
        if key != first:
            return ranked[0].score - other.score
    return ranked[0].score


def _part(name: str) -> AnswerFeature:
    def feature(ranked: Sequence[Scored], keys: Sequence[object]) -> float:
        return ranked[0].parts.get(name, 0.0)

    feature.__name__ = name
    feature.__doc__ = f"The best candidate's `{name}` feature."
    return feature


for _name in (
    "coverage",
    "nearness",
    "missing_names",
    "year_outside_section",
    "year_mismatch",
    "heading_coverage",
    "section_score",
):
    answer_feature(_part(_name))


def answer_features(ranked: Sequence[Scored], keys: Sequence[object]) -> dict[str, float]:
    """Every answer signal of a non-empty ranked list; `keys[i]` tells what candidate i says
    (equal keys: the same answer)."""
    return {name: fn(ranked, keys) for name, fn in ANSWER_FEATURES.items()}


def probability(weights: dict[str, float], bias: float, features: dict[str, float]) -> float:
    """Logistic P(correct) = σ(bias + Σ weight × feature)."""
    z = bias + sum(weights.get(name, 0.0) * value for name, value in features.items())
    if z < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))
