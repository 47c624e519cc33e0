"""Every figure named by a gold question is a fact of its document (issue 3: ≥ 0.95).

Uses ``tests/benchmarks/facts_coverage.py`` (run it directly to print the misses).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(
    not (SHARED / "questions" / "dev.jsonl").is_file() or not (SHARED / "piaf" / "numeric.jsonl").is_file(),
    reason=f"the shared question sets are not at {SHARED}",
)


def _bench():
    spec = importlib.util.spec_from_file_location("facts_coverage", ROOT / "tests" / "benchmarks" / "facts_coverage.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def nlp():
    from assistant.facts.nlp import get_nlp

    return get_nlp()


@pytest.mark.parametrize(
    "qfile, corpus",
    [("questions/dev.jsonl", "corpus"), ("piaf/numeric.jsonl", "piaf/corpus")],
)
def test_question_figures_are_facts(nlp, qfile: str, corpus: str) -> None:
    from assistant.facts import extract_facts_many

    bench = _bench()
    questions = [json.loads(line) for line in (SHARED / qfile).read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [q for q in questions if "value" in q.get("expect", {}) or q.get("computed")]
    rels = sorted({q["document"] for q in questions})
    items = [bench.load_document(SHARED / corpus / rel, rel) for rel in rels]
    facts_of = dict(zip(rels, extract_facts_many(items)))
    misses = [
        (q["id"], q["document"], q["expect"].get("value"), why)
        for q in questions
        for ok, why in [bench.check(q, facts_of[q["document"]])]
        if not ok
    ]
    coverage = 1 - len(misses) / len(questions)
    assert coverage >= 0.95, f"coverage {coverage:.3f}; misses: {misses}"
