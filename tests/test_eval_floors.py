"""Evaluation floors: the shared scorer on the shared question sets.

The floors below are the levels the assistant has reached (measured by
``tests/evaluation.py``), kept as regression guards.  The targets of the
answers issue are higher (reports check ≥ 0.75, tune ≥ 0.80, long ≥ 0.70,
answered-when-should-abstain ≤ 10 %); raise these floors as the answering
improves, never lower them to make a change pass.
"""

from __future__ import annotations

import json

import pytest
from evaluation import SETS, SHARED, answer_file, build_index, gold_questions, score

pytestmark = [
    pytest.mark.skipif(
        not (SHARED / "eval" / "score.py").is_file(), reason=f"the shared scorer and question sets are not at {SHARED}"
    ),
    pytest.mark.slow,
]

FLOORS = {
    "dev": 0.93,
    "reports-tune": 0.66,
    "reports-check": 0.58,
    "long": 0.82,
    "piaf-numeric": 0.67,
    "piaf-text": 0.55,
}
"""Minimum cited_accuracy per set."""

MAX_FALSE_ANSWERS = {"dev": 1, "reports-tune": 2, "reports-check": 5, "long": 0}
"""At most this many answers where the gold says the corpus does not answer."""

COMPUTED_FLOORS = {"dev": 1.0, "reports-tune": 0.77, "reports-check": 0.28, "long": 1.0}
"""Minimum cited_accuracy on the ``"computed": true`` questions of each set (issue 13 asks ≥ 0.60 on each)."""


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> dict:
    built = {}
    for name in FLOORS:
        _, corpus_rel, _ = SETS[name]
        if corpus_rel not in built:
            built[corpus_rel] = build_index(SHARED / corpus_rel, tmp_path_factory.mktemp(corpus_rel.replace("/", "-")))
    return built


@pytest.mark.parametrize("name", list(FLOORS))
def test_cited_accuracy_floor(name, engines, tmp_path):
    _, corpus_rel, _ = SETS[name]
    gold = gold_questions(name)
    out = tmp_path / f"{name}.jsonl"
    answer_file(engines[corpus_rel], gold, out)
    summary, fails = score(gold, out, SHARED / corpus_rel, show_fails=True)
    print(name, json.dumps(summary), fails, sep="\n")
    assert summary["missing_lines"] == 0
    assert summary["grounded_quote_rate"] in (None, 1.0), "every quote must stand verbatim in its document"
    assert summary["cited_accuracy"] >= FLOORS[name], fails
    if name in MAX_FALSE_ANSWERS:
        assert summary["answered_when_should_abstain"] <= MAX_FALSE_ANSWERS[name], fails


@pytest.mark.parametrize("name", list(COMPUTED_FLOORS))
def test_computed_questions_floor(name, engines, tmp_path):
    _, corpus_rel, _ = SETS[name]
    gold = gold_questions(name, computed=True)
    assert gold, f"no computed question in {name}"
    out = tmp_path / f"{name}-computed.jsonl"
    answer_file(engines[corpus_rel], gold, out)
    summary, fails = score(gold, out, SHARED / corpus_rel, show_fails=True)
    print(name, json.dumps(summary), fails, sep="\n")
    assert summary["cited_accuracy"] >= COMPUTED_FLOORS[name], fails
