"""Search and answer benchmark at N sections, against rank-bm25 and bm25s.

    .venv/bin/python tests/benchmarks/bench_search.py --sections 10000 --json [--workdir DIR]

Steps (one run, one fresh index):

1. generate the corpus (``generate_corpus.py``, deterministic; reused when
   ``WORKDIR/corpus-N-SEED`` already holds it);
2. index it with ``Assistant(index_dir).index([folder])`` — facts included —
   into a new ``WORKDIR/index-N``: ``index_s``, ``index_words_per_s``;
3. ``open_index_s``: a NEW Python process imports the package, opens the
   persisted index and prints the results of a first query; timed from the
   launch to the first result line (interpreter start-up included);
4. the answering process (another new process): 200 varied queries through
   ``Assistant.search`` (``query_p50_ms``/``query_p95_ms``, postings read from
   SQLite as they are first needed), the same queries again through
   ``SectionIndex.top`` on the analysed tokens (``core_p50_ms``, warm), then 200
   French/English questions through ``Assistant.ask`` (``answer_*``); its peak
   RSS (``getrusage``) is ``rss_mb``;
5. baselines, in this process, on the same sections and the very tokens the
   index holds (read back from the postings): ``rank_bm25.BM25Plus``
   (``get_scores`` over every section + top-k) and ``bm25s.BM25(method="bm25+")``
   (``retrieve``), same k1/b/delta; their top-k scores are checked against ours.

Prints one JSON line (``--json``) or a readable summary.  Ratios:
``speedup_vs_rank_bm25`` = rank-bm25 p50 / query p50 and ``ratio_vs_bm25s``
= query p50 / bm25s p50, with ``query_p50_ms`` the full ``Assistant.search``
(analysis + scoring + reading the k sections); the ``core_*`` ratios compare
scoring alone, like for like.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate, make_queries, make_questions  # noqa: E402

K = 5


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    i = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[i]


def _ms(seconds: list[float], p: float) -> float:
    return round(_pct(seconds, p) * 1000, 3)


# --- child processes -------------------------------------------------------------


def child_open(index_dir: str, query: str) -> None:
    """Open the persisted index and answer one query (timed by the parent)."""
    from assistant.qa.engine import Assistant

    hits = Assistant(index_dir).search(query, k=K)
    print(json.dumps({"hits": len(hits)}), flush=True)


def child_answer(index_dir: str, nq: int, na: int) -> None:
    """Queries and questions, timed; peak RSS."""
    t0 = time.perf_counter()
    from assistant.analysis.analyzer import analyze
    from assistant.qa.engine import Assistant

    a = Assistant(index_dir)
    queries = make_queries(nq)
    questions = make_questions(na)
    a.search("projet", k=K)  # opens the store, loads the section lengths
    first = time.perf_counter() - t0

    search_times = []
    for q in queries:
        t = time.perf_counter()
        a.search(q, k=K)
        search_times.append(time.perf_counter() - t)
    bm25 = a._bm25()
    tokens = [analyze(q) for q in queries]
    core_times = []
    for toks in tokens:
        t = time.perf_counter()
        bm25.top(toks, k=K)
        core_times.append(time.perf_counter() - t)
    answer_times = []
    errors: dict[str, int] = {}
    abstained = 0
    first_answer = None
    for q in questions:
        t = time.perf_counter()
        try:
            ans = a.ask(q)
            abstained += bool(ans.abstained)
        except Exception as exc:  # report, do not hide
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        dt = time.perf_counter() - t
        if first_answer is None:
            first_answer = dt
        answer_times.append(dt)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "first_query_s": round(first, 3),
                "search": search_times,
                "core": core_times,
                "answer": answer_times,
                "first_answer_ms": round((first_answer or 0) * 1000, 1),
                "answer_errors": errors,
                "abstained": abstained,
                "rss_mb": round(rss, 1),
            }
        ),
        flush=True,
    )


# --- baselines -------------------------------------------------------------------


def load_tokens(index_dir: Path) -> tuple[list[int], list[list[str]]]:
    """Section ids (ascending) and the analysed tokens the index holds for each
    (rebuilt from the postings: term × tf, order irrelevant to BM25)."""
    import sqlite3

    import numpy as np

    conn = sqlite3.connect(index_dir / "index.sqlite")
    ids = [r[0] for r in conn.execute("SELECT id FROM sections ORDER BY id")]
    pos = {sid: i for i, sid in enumerate(ids)}
    docs: list[list[str]] = [[] for _ in ids]
    for term, sec_blob, tf_blob in conn.execute("SELECT term, sec_ids, tfs FROM postings"):
        for sid, tf in zip(np.frombuffer(sec_blob, dtype=np.int32).tolist(), np.frombuffer(tf_blob, dtype=np.int32).tolist()):
            docs[pos[sid]].extend([term] * tf)
    conn.close()
    return ids, docs


def baselines(index_dir: Path, queries: list[str], settings) -> dict:
    import bm25s
    import numpy as np
    from rank_bm25 import BM25Plus

    from assistant.analysis.analyzer import analyze
    from assistant.qa.engine import Assistant

    out: dict = {}
    t = time.perf_counter()
    ids, docs = load_tokens(index_dir)
    out["tokens_load_s"] = round(time.perf_counter() - t, 2)
    q_tokens = [analyze(q) for q in queries]
    k1, b, delta = settings.bm25_k1, settings.bm25_b, settings.bm25_delta

    t = time.perf_counter()
    rb = BM25Plus(docs, k1=k1, b=b, delta=delta)
    out["rank_bm25_build_s"] = round(time.perf_counter() - t, 2)
    vocab = rb.idf
    known_mask = [any(x in vocab for x in toks) for toks in q_tokens]
    out["queries_with_known_terms"] = sum(known_mask)
    q_tokens = [toks for toks, ok in zip(q_tokens, known_mask) if ok]
    rb_times = []
    rb_top = []
    for toks in q_tokens:
        t = time.perf_counter()
        scores = rb.get_scores(toks)
        top = np.argpartition(-scores, K)[:K] if len(scores) > K else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        rb_times.append(time.perf_counter() - t)
        rb_top.append(scores[top].tolist())
    del rb

    t = time.perf_counter()
    bs = bm25s.BM25(method="bm25+", idf_method="bm25+", k1=k1, b=b, delta=delta)
    bs.index(docs, show_progress=False)
    out["bm25s_build_s"] = round(time.perf_counter() - t, 2)
    vocab = bs.vocab_dict
    bs_times = []
    for toks in q_tokens:
        known = [x for x in toks if x in vocab]
        if not known:  # no query term in the corpus: bm25s cannot take an empty query
            continue
        t = time.perf_counter()
        bs.retrieve([known], k=K, show_progress=False, n_threads=1)
        bs_times.append(time.perf_counter() - t)
    del bs, docs

    # Our scores, for the same analysed tokens: top-k scores equal rank-bm25's?
    a = Assistant(index_dir)
    bm25 = a._bm25()
    worst = 0.0
    for toks, want in zip(q_tokens, rb_top):
        got = [s for _, s in bm25.top(toks, k=K)]
        floor = sum(math.log((len(ids) + 1) / bm25.df(t)) * delta for t in toks if bm25.df(t))
        got += [floor] * (len(want) - len(got))  # sections without any query term score the floor
        worst = max([worst] + [abs(x - y) / max(1.0, abs(y)) for x, y in zip(got, want)])
    out["max_rel_diff_vs_rank_bm25"] = worst
    out["naive_rank_bm25_p50_ms"] = _ms(rb_times, 50)
    out["naive_rank_bm25_p95_ms"] = _ms(rb_times, 95)
    out["bm25s_p50_ms"] = _ms(bs_times, 50)
    out["bm25s_p95_ms"] = _ms(bs_times, 95)
    return out, known_mask


# --- driver ----------------------------------------------------------------------


def run(sections: int, workdir: Path, seed: int, nq: int, na: int, skip_baselines: bool, log) -> dict:
    from assistant.config import Settings
    from assistant.qa.engine import Assistant

    corpus = workdir / f"corpus-{sections}-{seed}"
    manifest_path = corpus / "MANIFEST.json"
    if manifest_path.exists() and json.loads(manifest_path.read_text())["sections"] == sections:
        manifest = json.loads(manifest_path.read_text())
    else:
        shutil.rmtree(corpus, ignore_errors=True)
        t = time.perf_counter()
        manifest = generate(corpus, sections, seed)
        log(f"generated {manifest['files']} files in {time.perf_counter() - t:.1f}s")
    index_dir = workdir / f"index-{sections}"
    shutil.rmtree(index_dir, ignore_errors=True)

    log(f"indexing {manifest['files']} files ({manifest['words']} words)…")
    load_start = os.getloadavg()[0]
    sampler = TreeCpu()
    sampler.start()
    t = time.perf_counter()
    report = Assistant(index_dir).index([corpus])
    index_s = time.perf_counter() - t
    index_cpu_s = sampler.stop()  # this process + the worker processes
    if report.failed:
        log(f"{len(report.failed)} files failed, e.g. {report.failed[0]}")
    log(f"indexed in {index_s:.1f}s: {report.sections} sections, {report.facts} facts")

    queries = make_queries(nq)
    script = str(Path(__file__).resolve())
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")

    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, script, "--child", "open", "--index-dir", str(index_dir), "--query", queries[0]],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    open_s = time.perf_counter() - t
    proc.wait()
    if not line:
        raise SystemExit("the open-index child failed")

    log("answering process: queries and questions…")
    res = subprocess.run(
        [
            sys.executable,
            script,
            "--child",
            "answer",
            "--index-dir",
            str(index_dir),
            "--queries",
            str(nq),
            "--questions",
            str(na),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("the answering child failed")
    ans = json.loads(res.stdout.strip().splitlines()[-1])

    out = {
        "sections": report.sections,
        "sections_requested": sections,
        "files": manifest["files"],
        "words": report.words,
        "facts": report.facts,
        "failed": len(report.failed),
        "index_s": round(index_s, 2),
        "index_words_per_s": round(report.words / index_s) if index_s else None,
        "index_cpu_s": round(index_cpu_s, 1),
        "index_words_per_cpu_s": round(report.words / index_cpu_s) if index_cpu_s else None,
        "open_index_s": round(open_s, 3),
        "query_p50_ms": _ms(ans["search"], 50),
        "query_p95_ms": _ms(ans["search"], 95),
        "core_p50_ms": _ms(ans["core"], 50),
        "core_p95_ms": _ms(ans["core"], 95),
        "answer_p50_ms": _ms(ans["answer"], 50),
        "answer_p95_ms": _ms(ans["answer"], 95),
        "first_answer_ms": ans["first_answer_ms"],
        "answer_errors": ans["answer_errors"],
        "abstained": ans["abstained"],
        "rss_mb": ans["rss_mb"],
        "index_mb": round(sum(p.stat().st_size for p in index_dir.glob("index.sqlite*")) / 2**20, 1),
        "cpus": os.cpu_count(),
        "loadavg_at_index": round(load_start, 2),
    }
    if not skip_baselines:
        log("baselines: rank-bm25 and bm25s on the same tokens…")
        base, known_mask = baselines(index_dir, queries, Settings())
        out.update(base)
        # Like for like: our times on the same queries as the baselines (those
        # with at least one term in the corpus).
        search_known = _ms([t for t, ok in zip(ans["search"], known_mask) if ok], 50)
        core_known = _ms([t for t, ok in zip(ans["core"], known_mask) if ok], 50)
        out["query_p50_same_queries_ms"] = search_known
        out["core_p50_same_queries_ms"] = core_known
        out["speedup_vs_rank_bm25"] = round(out["naive_rank_bm25_p50_ms"] / search_known, 1)
        out["ratio_vs_bm25s"] = round(search_known / out["bm25s_p50_ms"], 2)
        out["core_speedup_vs_rank_bm25"] = round(out["naive_rank_bm25_p50_ms"] / core_known, 1)
        out["core_ratio_vs_bm25s"] = round(core_known / out["bm25s_p50_ms"], 2)
    out["loadavg_at_end"] = round(os.getloadavg()[0], 2)
    return out


class TreeCpu:
    """CPU seconds used by this process and all its descendants while running.

    Worker processes of a forkserver pool are not our children (they are the
    forkserver's), so ``RUSAGE_CHILDREN`` misses them: /proc is sampled every
    0.2 s instead and the last value seen for each process is kept (Linux).
    """

    def __init__(self) -> None:
        import threading

        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")
        me = resource.getrusage(resource.RUSAGE_SELF)
        self._self0 = me.ru_utime + me.ru_stime

    def _descendants(self, pid: int) -> list[int]:
        out = []
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
        except OSError:
            pass
        return out + [d for c in out for d in self._descendants(c)]

    def _sample(self) -> None:
        for pid in self._descendants(os.getpid()):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                self._seen[pid] = (int(fields[11]) + int(fields[12])) / self._tick
            except (OSError, IndexError, ValueError):
                pass

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        me = resource.getrusage(resource.RUSAGE_SELF)
        return me.ru_utime + me.ru_stime - self._self0 + sum(self._seen.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where the corpus and index go (default: /tmp/assistant-bench)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--child", choices=["open", "answer"], help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--query", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "open":
        child_open(args.index_dir, args.query)
        return 0
    if args.child == "answer":
        child_answer(args.index_dir, args.queries, args.questions)
        return 0

    workdir = args.workdir or Path("/tmp/assistant-bench")
    workdir.mkdir(parents=True, exist_ok=True)
    log = lambda m: print(m, file=sys.stderr, flush=True)
    out = run(args.sections, workdir, args.seed, args.queries, args.questions, args.skip_baselines, log)
    if args.json:
        print(json.dumps(out), flush=True)
    else:
        for k, v in out.items():
            print(f"{k:28} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
