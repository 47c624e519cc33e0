"""Run the shared scorer (../shared/eval/score.py) on answers of the assistant.

Used by tests/test_eval_floors.py and runnable by hand:

    .venv/bin/python tests/evaluation.py dev      # or piaf-numeric, piaf-text
    .venv/bin/python tests/evaluation.py dev --show-fails
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

SETS = {
    "dev": ("questions/dev.jsonl", "corpus"),
    "piaf-numeric": ("piaf/numeric.jsonl", "piaf/corpus"),
    "piaf-text": ("piaf/text.jsonl", "piaf/corpus"),
}
"""Evaluation set name → (gold file, corpus folder), relative to ../shared."""


def build_index(corpus: Path, index_dir: Path):
    """An Assistant over a fresh index of `corpus`."""
    from assistant.qa.engine import Assistant

    engine = Assistant(index_dir)
    engine.index([corpus])
    return engine


def answer_file(engine, gold: Path, out: Path) -> float:
    """Answer every gold question into `out` (JSONL); returns seconds per question."""
    lines = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for g in lines:
            answer = engine.ask(g["question"])
            answer.id = str(g["id"])
            fh.write(answer.model_dump_json() + "\n")
    return (time.perf_counter() - started) / max(1, len(lines))


def score(gold: Path, answers: Path, corpus: Path, show_fails: bool = False) -> tuple[dict, str]:
    """The scorer's JSON summary, and its FAIL lines."""
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(answers), "--corpus", str(corpus), "--json"]
    if show_fails:
        cmd.append("--show-fails")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")] or list(SETS)
    show = "--show-fails" in argv
    with tempfile.TemporaryDirectory() as tmp:
        engines = {}
        for name in names:
            gold_rel, corpus_rel = SETS[name]
            corpus = SHARED / corpus_rel
            if corpus_rel not in engines:
                t = time.perf_counter()
                engines[corpus_rel] = build_index(corpus, Path(tmp) / corpus_rel.replace("/", "-"))
                print(f"# indexed {corpus_rel} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            out = Path(tmp) / f"{name}.jsonl"
            per_q = answer_file(engines[corpus_rel], SHARED / gold_rel, out)
            summary, fails = score(SHARED / gold_rel, out, corpus, show)
            summary["seconds_per_question"] = round(per_q, 4)
            print(name, json.dumps(summary, ensure_ascii=False))
            if show and fails:
                print(fails)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
