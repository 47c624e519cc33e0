"""A held-out check of table-cell answering on CRC reports that no tuning reads (``../shared/bench/crc-rapports``).

Run: ``.venv/bin/python tests/benchmarks/table_cells_heldout.py [--documents 10] [--questions 80] [--seed 14]``

Indexes a random sample of the reports, picks money cells of tables whose
column header is a year (subject ``2014 — Encours de la dette``), asks for
each ``Quel était le montant « <row label> » en <year> ? `` and counts the
answers whose value is that cell's.  The questions are written from the
facts of the code under test, so the figure measures ranking (the right
column, the right row) more than reading; compare two branches on the same
questions with ``--write FILE`` on one and ``--read FILE`` on the other.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench" / "crc-rapports"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--questions", type=int, default=80)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--write", type=Path, help="save the questions asked to this JSON file")
    parser.add_argument("--read", type=Path, help="ask the questions of this JSON file instead")
    args = parser.parse_args(argv)
    if not BENCH.exists():
        print(f"../shared/bench/crc-rapports absent ({BENCH}): nothing to measure", file=sys.stderr)
        return 2
    from assistant.qa.engine import Assistant

    rng = random.Random(args.seed)
    reports = rng.sample(sorted(BENCH.glob("*.html")), args.documents)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "docs"
        folder.mkdir()
        for report in reports:
            (folder / report.name).write_bytes(report.read_bytes())
        engine = Assistant(Path(work) / "index")
        engine.index([folder])
        if args.read:
            questions = json.loads(args.read.read_text(encoding="utf-8"))
        else:
            cells = [
                f
                for f in engine.store.facts(kind="money")
                if f.source == "table"
                and " — " in f.subject
                and re.fullmatch(r"(?:19|20)\d\d", f.subject.split(" — ")[0].strip())
            ]
            rng.shuffle(cells)
            seen: set[tuple[str, str]] = set()
            questions = []
            for f in cells:
                year, label = f.subject.split(" — ", 1)
                label = label.strip(" +-=")
                if len(label) < 8 or (label, f.document) in seen:
                    continue
                seen.add((label, f.document))
                questions.append({"question": f"Quel était le montant « {label} » en {year} ?", "value": f.value})
                if len(questions) >= args.questions:
                    break
        if args.write:
            args.write.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
        right = 0
        for q in questions:
            answer = engine.ask(q["question"])
            right += answer.value is not None and abs(answer.value - q["value"]) < 0.5
    print(json.dumps({"documents": len(reports), "questions": len(questions), "right": right}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
