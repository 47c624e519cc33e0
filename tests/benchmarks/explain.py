"""Explain one answer: the intent, query terms, sections and ranked facts.

.venv/bin/python tests/benchmarks/explain.py INDEX_DIR "QUESTION"
"""

from __future__ import annotations

import sys

from assistant.qa.engine import Assistant
from assistant.qa.question import understand
from assistant.qa.rank import rank_facts
from assistant.qa.retrieve import build_query, candidates, retrieve, sentence_context


def main(argv: list[str]) -> int:
    engine = Assistant(argv[0])
    intent = understand(argv[1])
    print(intent.model_dump())
    query = build_query(engine, intent)
    print("terms", {t: round(w, 2) for t, w in query.weights.items()}, "corrections", query.corrections)
    sections = retrieve(engine, intent, query, k=8)
    for s, score in sections:
        print(f"  {score:6.2f} {s.document} § {' › '.join(s.heading_path)[:60]}")
    top = sections[0][1] if sections else 1
    scores = {s.id: sc / top for s, sc in sections}
    for sf in rank_facts(
        engine.facts(section_ids=list(scores)), intent, query, scores, context=sentence_context(candidates(sections, query))
    )[:8]:
        parts = " ".join(f"{k}={v:.2f}" for k, v in sf.parts.items())
        print(
            f"  {sf.score:.3f} {sf.fact.value:g} {sf.fact.unit} {sf.fact.kind} {sf.fact.qualifiers} "
            f"subj={sf.fact.subject[:40]!r} {parts}\n        {sf.fact.sentence[:150]!r}"
        )
    answer = engine.ask(argv[1])
    print(answer.answer, answer.value, answer.confidence)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
