"""Where each miss of the tune sets is lost: a classification by pipeline stage.

    python -m assistant.qa.diagnose [--shared ../shared] [--work DIR] [--sets dev reports-tune …] [--json FILE]

Each tune question (``questions/dev.jsonl``, the ``tune`` split of
``reports/questions.jsonl``, ``long/``, PIAF dev numeric and text) is answered
as a user would get it (:meth:`Assistant.ask`) and judged as the shared scorer
judges it (value within 0.5 %, the gold evidence in one of the first three
citations, in the gold document).  A miss is then traced through the steps of
:func:`assistant.qa.answerer.gather` and put in the first stage that loses it:

- ``a_retrieval``: no retrieved section of the gold document holds the gold evidence;
- ``b_extraction``: the gold section is retrieved but no fact of it holds the gold figure;
- ``c_gated``: the fact is there but the kind gate (or its unit) keeps it out of the ranking;
- ``d_not_first``: the fact is ranked, not first;
- ``e_under_threshold``: the fact is first but scores under the answering threshold;
- ``f_answered_unanswerable``: the gold abstains and the assistant answered;
- ``g_sentence_not_retrieved`` / ``g_sentence_not_first`` / ``g_sentence_under_threshold``:
  a sentence question whose gold sentence is not among the candidates, not first, or under the threshold;
- ``k_read_as_text`` / ``k_read_as_figure``: the question's kind was misread (a figure asked
  without « combien », a sentence asked and a figure looked for);
- ``h_computed``: a computed question (sums, ratios…: :mod:`assistant.qa.compute`) missed;
- ``o_other``: the right candidate is first and answered, and the answer still misses
  (an operation read, the citation, an abstention rule).

It prints one JSON object per miss (with ``--json FILE``, into that file) and a
table of counts per stage and set.  For a retrieval miss it also gives the rank of
the gold section in a deeper search (``deep_rank``): whether reading more sections would help.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from assistant.qa.gold import TUNE_SETS, doc_ok, load_gold, norm, value_ok, work_engine

STAGES = (
    "a_retrieval",
    "b_extraction",
    "c_gated",
    "d_not_first",
    "e_under_threshold",
    "f_answered_unanswerable",
    "g_sentence_not_retrieved",
    "g_sentence_not_first",
    "g_sentence_under_threshold",
    "k_read_as_text",
    "k_read_as_figure",
    "h_computed",
    "o_other",
)
"""Every stage a miss can be put in, in pipeline order."""

DEEP_K = 60
"""Sections searched to find where a gold section not retrieved stands."""


def correct(gold: dict, answer: dict) -> bool:
    """The shared scorer's verdict (answered and cited) on one answer."""
    expect = gold["expect"]
    if expect.get("abstain"):
        return bool(answer.get("abstained"))
    if answer.get("abstained"):
        return False
    if "value" in expect:
        value = answer.get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        money = answer.get("unit") == "EUR" or answer.get("kind") == "money"
        if not value_ok(float(value), float(expect["value"]), money):
            return False
    else:
        text = norm(answer.get("answer") or "")
        if len(text) > 400 or not any(norm(t) in text for t in expect.get("any_text", [])):
            return False
    evidence = norm(gold.get("evidence") or "")
    for c in (answer.get("citations") or [])[:3]:
        if evidence and evidence not in norm(c.get("quote") or ""):
            continue
        if not doc_ok(str(c.get("document") or ""), gold.get("document") or ""):
            continue
        if gold.get("page") is not None and c.get("page") != gold["page"]:
            continue
        return True
    return False


def _gold_sections(sections, gold: dict) -> list[int]:
    """Positions of the retrieved sections of the gold document that hold the gold evidence."""
    evidence = norm(gold.get("evidence") or "")
    doc = gold.get("document") or ""
    return [i for i, (s, _) in enumerate(sections) if doc_ok(s.document, doc) and evidence in norm(s.text)]


def classify(engine, gold: dict, answer: dict) -> dict:
    """The stage that loses the question `gold` (answered `answer`), with what was found on the way."""
    from assistant.qa.answerer import NUMERIC_KINDS, gather, understand_for
    from assistant.qa.rank import rank_sentences
    from assistant.qa.retrieve import retrieve
    from assistant.qa.weights import model

    expect = gold["expect"]
    row: dict = {"id": gold.get("id"), "question": gold["question"], "answer": answer.get("answer"), "expect": expect}
    if expect.get("abstain"):
        row["stage"] = "f_answered_unanswerable"
        row["confidence"] = answer.get("confidence")
        return row
    if gold.get("computed"):
        row["stage"] = "h_computed"
        return row
    intent = understand_for(engine, gold["question"])
    row["kind"] = intent.kind
    figure = "value" in expect
    if figure and intent.kind not in NUMERIC_KINDS:
        row["stage"] = "k_read_as_text"
        return row
    if not figure and intent.kind in NUMERIC_KINDS and intent.kind != "date":
        row["stage"] = "k_read_as_figure"
        return row
    got = gather(engine, intent)
    if got is None:
        row["stage"] = "a_retrieval"
        row["deep_rank"] = None
        return row
    inside = _gold_sections(got.sections, gold)
    if not inside:
        deep = retrieve(engine, intent, got.query, k=DEEP_K)
        where = _gold_sections(deep, gold)
        row["stage"] = "a_retrieval" if figure else "g_sentence_not_retrieved"
        row["deep_rank"] = where[0] if where else None
        return row
    row["section_rank"] = inside[0]
    gold_ids = {got.sections[i][0].id for i in inside}
    weights = model()
    if figure:
        want = float(expect["value"])
        evidence = norm(gold.get("evidence") or "")
        right = [
            f
            for f in got.facts
            if f.section_id in gold_ids
            and value_ok(f.value, want, intent.kind == "money" or f.unit == "EUR")
            and (evidence in norm(f.sentence) or norm(f.sentence) in evidence)
        ]
        if not right:
            row["stage"] = "b_extraction"
            return row
        ranked = got.rank(intent)
        keys = {(f.document, f.start) for f in right}
        position = next((i for i, s in enumerate(ranked) if (s.fact.document, s.fact.start) in keys), None)
        if position is None:
            row["stage"] = "c_gated"
            row["fact"] = {"raw": right[0].raw, "kind": right[0].kind, "unit": right[0].unit}
            return row
        row["fact_rank"] = position
        row["score"] = round(ranked[position].score, 3)
        if position > 0:
            row["stage"] = "d_not_first"
            row["first"] = {
                "raw": ranked[0].fact.raw,
                "score": round(ranked[0].score, 3),
                "sentence": ranked[0].fact.sentence[:160],
            }
            return row
        threshold = weights.threshold("date" if intent.kind == "date" else "fact")
        row["stage"] = "e_under_threshold" if ranked[0].score < threshold else "o_other"
        return row
    texts = [norm(t) for t in expect.get("any_text", [])]
    evidence = norm(gold.get("evidence") or "")
    ranked_s = rank_sentences(got.cands, intent, got.query, got.missing, section_years=got.section_years)
    position = next(
        (
            i
            for i, r in enumerate(ranked_s)
            if (not evidence or evidence in norm(r.candidate.text))
            and any(t in norm(r.candidate.text) for t in texts)
            and doc_ok(r.candidate.section.document, gold.get("document") or "")
        ),
        None,
    )
    if position is None:
        row["stage"] = "g_sentence_not_retrieved"
        return row
    row["sentence_rank"] = position
    row["score"] = round(ranked_s[position].score, 3)
    if position > 0:
        row["stage"] = "g_sentence_not_first"
        row["first"] = {"score": round(ranked_s[0].score, 3), "sentence": ranked_s[0].candidate.text[:160]}
        return row
    row["stage"] = "g_sentence_under_threshold" if ranked_s[0].score < weights.threshold("sentence") else "o_other"
    return row


def diagnose(engine, gold: list[dict]) -> tuple[int, list[dict]]:
    """(questions right, one row per miss) for the gold questions of one set."""
    right = 0
    misses = []
    for g in gold:
        answer = engine.ask(g["question"]).model_dump()
        if correct(g, answer):
            right += 1
            continue
        misses.append(classify(engine, g, answer))
    return right, misses


def table(counts: dict[str, Counter], totals: dict[str, int], right: dict[str, int]) -> str:
    """Counts per stage (rows) and set (columns), with each set's right answers on top."""
    sets = list(counts)
    width = max(len(s) for s in STAGES) + 2
    lines = ["stage".ljust(width) + "".join(s.rjust(14) for s in sets) + "total".rjust(8)]
    lines.append(
        "right".ljust(width) + "".join(f"{right[s]}/{totals[s]}".rjust(14) for s in sets) + str(sum(right.values())).rjust(8)
    )
    for stage in STAGES:
        row = [counts[s][stage] for s in sets]
        if any(row):
            lines.append(stage.ljust(width) + "".join(str(n).rjust(14) for n in row) + str(sum(row)).rjust(8))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.qa.diagnose", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for the indexes (default: a temporary one; kept ones are reused)"
    )
    parser.add_argument("--sets", nargs="+", choices=list(TUNE_SETS), default=list(TUNE_SETS))
    parser.add_argument(
        "--json", type=Path, default=None, help="write the misses (JSON lines) into this file instead of printing them"
    )
    args = parser.parse_args(argv)
    from assistant.qa.engine import Assistant

    if not (args.shared / "questions" / "dev.jsonl").is_file():
        print(f"diagnose : les questions partagées sont introuvables dans {args.shared}", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="assistant-diagnose-"))
    engines: dict[str, Assistant] = {}
    counts: dict[str, Counter] = {}
    totals: dict[str, int] = {}
    right: dict[str, int] = {}
    rows: list[dict] = []
    for name in args.sets:
        _gold_rel, corpus_rel, _split = TUNE_SETS[name]
        work_engine(engines, work, args.shared, corpus_rel)
        gold = load_gold(args.shared, name)
        right[name], misses = diagnose(engines[corpus_rel], gold)
        totals[name] = len(gold)
        counts[name] = Counter(m["stage"] for m in misses)
        rows += [{"set": name, **m} for m in misses]
    if args.json:
        args.json.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    print(table(counts, totals, right))
    return 0


if __name__ == "__main__":
    sys.exit(main())
