"""The weights model: how the named features combine, and how sure a score is.

``assistant/qa/weights.json`` holds, per ranker (``fact``, ``sentence``), one
weight per feature of :mod:`assistant.qa.features`, and per decision
(``fact``, ``date``, ``computed``, ``sentence``) the score below which the
assistant abstains, and a Platt calibration (score → P(correct)) fitted on
held-out folds.  The file is written by
``python -m assistant.qa.fit`` (fitted with cross-validation by document, its
held-out scores kept in ``fit``), read once at start; it is JSON, never a pickle.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Decision = Literal["fact", "date", "computed", "sentence"]
"""What an answer was decided from: a read figure, a date, a computation, a sentence."""


class Calibration(BaseModel):
    """Platt scaling of a score: P(correct) = 1 / (1 + exp(−(a × score + b)))."""

    model_config = ConfigDict(extra="forbid")

    a: float = Field(description="Slope on the score.")
    b: float = Field(description="Intercept.")

    def probability(self, score: float) -> float:
        """P(correct) of an answer of this score."""
        z = self.a * score + self.b
        if z < -50:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def score_at(self, probability: float) -> float:
        """The score whose P(correct) is `probability`."""
        return (math.log(probability / (1.0 - probability)) - self.b) / self.a


class Ranker(BaseModel):
    """The linear model of one ranker."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] = Field(description="Feature name → weight (a feature absent here weighs 0).")


class Abstention(BaseModel):
    """P(correct) of a ranker's best candidate (:mod:`assistant.qa.confidence`), and the level below which it abstains."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] = Field(description="Answer signal name → logistic weight.")
    bias: float = Field(description="Logistic intercept.")
    level: float = Field(description="Lowest P(correct) answered rather than abstained on (chosen on held-out folds).")


class WeightsModel(BaseModel):
    """Everything ``weights.json`` holds."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="Format version of this file.")
    source: str = Field(description="How the weights were obtained (hand-set, or the fit command and its data).")
    rankers: dict[Literal["fact", "sentence"], Ranker] = Field(description="The weights of each ranker.")
    thresholds: dict[Decision, float] = Field(description="Per decision, the lowest score answered rather than abstained on.")
    calibration: dict[Decision, Calibration] = Field(
        default_factory=dict,
        description="Per decision, P(correct) of a score, Platt-fitted on held-out folds (for explain and the fit).",
    )
    abstention: dict[Literal["fact", "sentence"], Abstention] = Field(
        default_factory=dict,
        description="Per ranker, the fitted P(correct) of its best candidate and the level it abstains under.",
    )
    fit: dict[str, float | int | str] = Field(
        default_factory=dict, description="Held-out scores of the last fit (for the record)."
    )

    def probability(self, decision: Decision, score: float) -> float | None:
        """P(correct) of an answer of `score` reached by `decision`, where a calibration is known."""
        cal = self.calibration.get(decision)
        return cal.probability(score) if cal else None

    def threshold(self, decision: Decision) -> float:
        """The lowest score that is answered rather than abstained on."""
        return self.thresholds[decision]

    def confidence(self, score: float) -> float:
        """The confidence shown with an answer: the score mapped onto 0–1 around the thresholds
        (0 at CONFIDENCE_ZERO, 1 at CONFIDENCE_ZERO + CONFIDENCE_SPAN)."""
        return max(0.0, min(1.0, (score - CONFIDENCE_ZERO) / CONFIDENCE_SPAN))

    def score(self, ranker: Literal["fact", "sentence"], features: dict[str, float]) -> float:
        """Σ weight × feature."""
        weights = self.rankers[ranker].weights
        return sum(weights.get(name, 0.0) * value for name, value in features.items())


CONFIDENCE_ZERO = 0.2
"""Score shown as confidence 0."""
CONFIDENCE_SPAN = 0.6
"""Score range from confidence 0 to confidence 1."""

WEIGHTS_VERSION = 1
"""Format version of weights.json."""


@lru_cache(maxsize=1)
def model() -> WeightsModel:
    """The weights model shipped in the package (read once)."""
    text = resources.files("assistant.qa").joinpath("weights.json").read_text(encoding="utf-8")
    return WeightsModel.model_validate_json(text)
