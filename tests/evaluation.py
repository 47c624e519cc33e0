"""Run the shared scorer (../shared/eval/score.py) on answers of the assistant.

Used by tests/test_eval_floors.py and runnable by hand:

    .venv/bin/python tests/evaluation.py dev      # or piaf-numeric, reports-tune, long …
    .venv/bin/python tests/evaluation.py reports-tune --show-fails
    .venv/bin/python tests/evaluation.py --computed   # only the computed: true questions

``--computed`` keeps only the gold questions marked ``"computed": true``;
``--plain`` only the others.  Sets whose names end in ``-tune`` / ``-check``
keep the questions of that split (split by document).
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

SETS: dict[str, tuple[str, str, str | None]] = {
    "dev": ("questions/dev.jsonl", "corpus", None),
    "reports-tune": ("reports/questions.jsonl", "reports/corpus", "tune"),
    "reports-check": ("reports/questions.jsonl", "reports/corpus", "check"),
    "long": ("long/questions.jsonl", "long/corpus", None),
    "piaf-numeric": ("piaf/numeric.jsonl", "piaf/corpus", None),
    "piaf-text": ("piaf/text.jsonl", "piaf/corpus", None),
}
"""Evaluation set name → (gold file, corpus folder relative to ../shared, split kept or None)."""


def gold_questions(name: str, computed: bool | None = None) -> list[dict]:
    """The gold questions of set `name` (its split only); `computed` keeps only those (True) or the others (False)."""
    gold_rel, _, split = SETS[name]
    lines = [json.loads(line) for line in (SHARED / gold_rel).read_text(encoding="utf-8").splitlines() if line.strip()]
    if split is not None:
        lines = [g for g in lines if g.get("split") == split]
    if computed is not None:
        lines = [g for g in lines if bool(g.get("computed")) == computed]
    return lines


def build_index(corpus: Path, index_dir: Path):
    """An Assistant over a fresh index of `corpus`."""
    from assistant.qa.engine import Assistant

    engine = Assistant(index_dir)
    engine.index([corpus])
    return engine


def answer_file(engine, gold: list[dict], out: Path) -> float:
    """Answer every gold question into `out` (JSONL); returns seconds per question."""
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for g in gold:
            answer = engine.ask(g["question"])
            answer.id = str(g["id"])
            fh.write(answer.model_dump_json() + "\n")
    return (time.perf_counter() - started) / max(1, len(gold))


def score(gold: list[dict], answers: Path, corpus: Path, show_fails: bool = False) -> tuple[dict, str]:
    """The scorer's JSON summary, and its FAIL lines."""
    gold_file = answers.with_suffix(".gold.jsonl")
    gold_file.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold_file), str(answers), "--corpus", str(corpus), "--json"]
    if show_fails:
        cmd.append("--show-fails")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")] or list(SETS)
    show = "--show-fails" in argv
    computed = True if "--computed" in argv else False if "--plain" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        engines = {}
        for name in names:
            _, corpus_rel, _ = SETS[name]
            corpus = SHARED / corpus_rel
            if corpus_rel not in engines:
                t = time.perf_counter()
                engines[corpus_rel] = build_index(corpus, Path(tmp) / corpus_rel.replace("/", "-"))
                print(f"# indexed {corpus_rel} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            gold = gold_questions(name, computed)
            if not gold:
                continue
            out = Path(tmp) / f"{name}.jsonl"
            per_q = answer_file(engines[corpus_rel], gold, out)
            summary, fails = score(gold, out, corpus, show)
            summary["seconds_per_question"] = round(per_q, 4)
            print(name, json.dumps(summary, ensure_ascii=False), flush=True)
            if show and fails:
                print(fails, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
