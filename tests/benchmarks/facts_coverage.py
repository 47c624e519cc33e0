"""Coverage of the facts table on the gold questions: is every asked figure a fact of its document?

For each question of ``shared/questions/dev.jsonl`` and ``shared/piaf/numeric.jsonl``
with ``expect.value``, the figure must be a fact of the question's document
(value within 0.5 %; an amount may match in k€/M€/Md€ scales; a ratio's whole or
a range's upper bound counts too). A computed question (``"computed": true``)
has operands instead: the figures of its evidence must be facts of the
document, or, when the evidence holds none, a fact's sentence must contain it.

    python tests/benchmarks/facts_coverage.py [--shared DIR] [--quiet]

Prints the misses with the text around the expected figure, then the coverage
per file, and the throughput of the extraction in words per second.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.analysis.numbers import find_figures  # noqa: E402
from assistant.facts import extract_facts_many  # noqa: E402
from assistant.models import Document, Fact, Section  # noqa: E402

SCALES = (1.0, 1e3, 1e6, 1e9)


def load_document(path: Path, rel: str) -> tuple[Document, list[Section]]:
    """The document and its sections: assistant.ingest when it is there, else one section."""
    try:
        from assistant.ingest import read_document, split_sections

        doc = read_document(path, rel)
        return doc, split_sections(doc)
    except ImportError:
        text = path.read_text(encoding="utf-8")
        doc = Document(path=rel, title=rel, format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text=text)
        return doc, [Section(document=rel, ordinal=0, heading="", text=text, start=0, end=len(text))]


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def value_matches(fact: Fact, value: float) -> bool:
    cands = [fact.value]
    if fact.denominator is not None:
        cands.append(fact.denominator)
    if fact.range_high is not None:
        cands.append(fact.range_high)
    for c in cands:
        if close(c, value):
            return True
        if fact.kind == "money":
            if any(close(c, value * s) or close(c / s, value) for s in SCALES[1:]):
                return True
    return False


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")).strip().lower()


def check(question: dict, facts: list[Fact]) -> tuple[bool, str]:
    """(covered, reason) for one question."""
    if question.get("computed"):
        evidence = question.get("evidence", "")
        figs = [f for f in find_figures(evidence) if f.kind not in ("rank",)]
        if figs:
            missing = [f.raw for f in figs if not any(value_matches(x, f.value) for x in facts)]
            return (not missing, f"evidence figures not facts: {missing}" if missing else "")
        ok = any(_norm(evidence) in _norm(x.sentence) for x in facts)
        return ok, "" if ok else "no fact sentence holds the evidence"
    value = float(question["expect"]["value"])
    ok = any(value_matches(f, value) for f in facts)
    return ok, "" if ok else "value not a fact"


def context(text: str, evidence: str, value: float) -> str:
    ev = (evidence or "").strip()
    i = text.find(ev) if len(ev) > 3 else -1
    if i < 0:
        raw = f"{value:g}"
        m = re.search(rf"(?<![\d,.]){re.escape(raw)}(?![\d])", text)
        i = m.start() if m else -1
    if i < 0:
        return "(not found in text)"
    return text[max(0, i - 100) : i + 120].replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quiet", action="store_true", help="only the summary")
    args = ap.parse_args(argv)
    sets = [
        ("dev", args.shared / "questions" / "dev.jsonl", args.shared / "corpus"),
        ("piaf", args.shared / "piaf" / "numeric.jsonl", args.shared / "piaf" / "corpus"),
    ]
    total_ok = total = 0
    for name, qfile, corpus in sets:
        questions = [json.loads(line) for line in qfile.read_text(encoding="utf-8").splitlines() if line.strip()]
        questions = [q for q in questions if "value" in q.get("expect", {}) or q.get("computed")]
        rels = sorted({q["document"] for q in questions})
        items = [load_document(corpus / rel, rel) for rel in rels]
        t0 = time.perf_counter()
        facts_of = dict(zip(rels, extract_facts_many(items)))
        dt = time.perf_counter() - t0
        words = sum(len(d.text.split()) for d, _ in items)
        ok = 0
        for q in questions:
            covered, why = check(q, facts_of[q["document"]])
            ok += covered
            if not covered and not args.quiet:
                text = next(d.text for d, _ in items if d.path == q["document"])
                print(f"MISS {name} {q['id']} {q['document']} expect={q['expect'].get('value')} ({why})")
                print(f"     evidence: {q.get('evidence')!r}")
                print(f"     text: {context(text, q.get('evidence', ''), float(q['expect'].get('value', 0) or 0))}")
        total_ok += ok
        total += len(questions)
        print(f"{name}: {ok}/{len(questions)} = {ok / max(len(questions), 1):.3f}  ({words} words in {dt:.2f} s)")
    print(f"all: {total_ok}/{total} = {total_ok / max(total, 1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
