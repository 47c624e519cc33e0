"""Where does the gold figure rank?  A tuning aid for the fact ranker.

    .venv/bin/python tests/benchmarks/diagnose_qa.py dev|piaf-numeric [--only-fails]

For each numeric gold question: the expected kind read from the question, the
rank of the first fact holding the gold value among the ranked candidates,
and the top three candidates with their score parts.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation import SETS, SHARED, build_index  # noqa: E402

from assistant.qa.question import understand  # noqa: E402
from assistant.qa.rank import rank_facts  # noqa: E402
from assistant.qa.retrieve import build_query, candidates, retrieve, sentence_context  # noqa: E402


def main(argv: list[str]) -> int:
    name = argv[0]
    only_fails = "--only-fails" in argv
    gold_rel, corpus_rel = SETS[name]
    engine = build_index(SHARED / corpus_rel, Path(tempfile.mkdtemp()) / "idx")
    ranks = []
    for line in (SHARED / gold_rel).read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        want = g["expect"].get("value")
        if want is None:
            continue
        intent = understand(g["question"])
        query = build_query(engine, intent)
        sections = retrieve(engine, intent, query, k=8)
        if not sections:
            print("NO SECTIONS", g["question"])
            continue
        top = sections[0][1]
        scores = {s.id: sc / top for s, sc in sections}
        facts = engine.facts(section_ids=list(scores))
        ranked = rank_facts(facts, intent, query, scores, context=sentence_context(candidates(sections, query)))
        rank = next(
            (
                i
                for i, s in enumerate(ranked)
                if abs(s.fact.value - want) <= max(0.005 * abs(want), 0.01) or abs(s.fact.value / 1e6 - want) < 0.01
            ),
            None,
        )
        in_facts = any(abs(f.value - want) <= max(0.005 * abs(want), 0.01) for f in engine.facts(document=g.get("document")))
        ranks.append(rank)
        if only_fails and rank == 0:
            continue
        print(
            f"\n[{rank}] {g['question']}  want={want} kind={intent.kind} op={intent.operation} q={intent.qualifiers} "
            f"unit={intent.unit_hint} fact_exists={in_facts} terms={query.terms}"
        )
        for s in ranked[:3]:
            parts = " ".join(f"{k}={v:.2f}" for k, v in s.parts.items())
            print(
                f"   {s.score:.3f} {s.fact.value:g} {s.fact.unit} {s.fact.kind} {s.fact.qualifiers} subj={s.fact.subject[:40]!r} | {parts}"
            )
    print(
        "\nrank0:",
        sum(r == 0 for r in ranks),
        "of",
        len(ranks),
        " in top3:",
        sum(r is not None and r < 3 for r in ranks),
        " found:",
        sum(r is not None for r in ranks),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
