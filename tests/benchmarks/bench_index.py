"""Indexing speed and memory on real reports, against spaCy's own French pipeline, in the same run.

    .venv/bin/python tests/benchmarks/bench_index.py [--corpus crc-rapports --corpus ccomptes-arrets]
        [--spacy-words 60000] [--runs 1] [--workdir DIR] [--json]

For each corpus of ``../shared/bench/`` (29 CRC reports in HTML, 1,008 Cour des
comptes judgments in Word by default):

1. ``assistant index FOLDER --index-dir NEW`` runs as a subprocess (facts
   included, its own default of worker processes); timed wall-clock
   (``wall_s``) and in CPU seconds of the whole process tree (``cpu_s``: user +
   system of the command, from ``getrusage(RUSAGE_CHILDREN)``, plus those of
   each worker process as last sampled from ``/proc/PID/stat`` every 50 ms);
   ``peak_rss_mb`` is the largest memory of the process tree summed over its
   processes, sampled every 0.5 s from ``/proc`` (Linux), and
   ``max_rss_mb`` the largest resident size of the command process itself
   (``ru_maxrss``); pages the worker processes share are counted once
   (proportional set size, ``/proc/PID/smaps_rollup``);
2. ``words`` is the sum of the indexed documents' words (whitespace-separated,
   as the store counts them); ``files_failed`` the files the run reported
   failed (read from ``assistant status --json``); ``index_mb`` the size of the
   index folder.

Then, in this process and on one core (BLAS threads pinned to 1 before numpy
loads), spaCy's ``fr_core_news_sm`` **full** pipeline (every component:
tok2vec, morphologizer, parser, attribute_ruler, lemmatizer, ner) runs with
``nlp.pipe(batch_size=64)`` over paragraphs of **that corpus's own** indexed
texts, taken evenly across its documents up to ``--spacy-words`` words (the
same budget for every corpus; the model is loaded once): each corpus's
``spacy`` field gives ``words``, ``cpu_s``, ``wall_s`` and
``words_per_cpu_s`` = words / CPU seconds of this process.

``ratio_vs_spacy`` for each corpus = its ``words_per_cpu_s`` / its own
``spacy.words_per_cpu_s``: how many times spaCy's own cost per word, on the
same text, the whole indexer (reading, sections, analysis, BM25 postings,
facts, SQLite) spends.  ``wall_ratio_vs_spacy`` = its wall-clock
``words_per_s`` (both cores) / that same spaCy figure on one core: the
issue's floor (≥ 6×), which only a quiet machine can show.
``cpu_main_s`` is the command process's share of ``cpu_s`` (it writes SQLite
and reads the first files while the workers start; the workers read and
extract), ``utilisation`` = ``cpu_s`` / ``wall_s`` / usable CPUs (1.0: every
core busy all the run; on a shared machine the others' load lowers it), ``load`` the 1-minute load average sampled
during the run (min, max).

``--runs N`` repeats the whole measurement (every corpus, then spaCy on each
corpus's text) N times; ``median`` gives each corpus's median figures over the
runs (``spacy_words_per_cpu_s`` among them), each ratio measured against the
spaCy figure of its own run and corpus.  The machine is shared: quote the
medians of two or three runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"
ASSISTANT = Path(sys.executable).with_name("assistant")


_TICK = os.sysconf("SC_CLK_TCK")

MEMORY_EVERY = 10
"""The process tree's memory is sampled every this many ticks of 0.05 s (CPU times at every tick)."""


def _pss_kb(pid: int) -> int:
    """Proportional set size of `pid` in kB (its share of pages shared with its siblings), else its RSS."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree_sample(pid: int, cpu: dict[int, float], memory: bool = True) -> int:
    """Memory (PSS) kB of `pid` and all its descendants (0 unless `memory`); records each one's CPU
    seconds so far in `cpu`."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            if memory:
                total += _pss_kb(p)
            with open(f"/proc/{p}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu[p] = max(cpu.get(p, 0.0), (int(fields[11]) + int(fields[12])) / _TICK)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def index_corpus(folder: Path, index_dir: Path) -> dict:
    """Run ``assistant index`` on `folder`; its times, memory, words and failures."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(ASSISTANT), "index", str(folder), "--index-dir", str(index_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    cpu_of: dict[int, float] = {}
    loads: list[float] = []
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        ticks = 0
        while not done.is_set():
            # CPU times are cheap to read and read often (a worker's last seconds are not lost when it
            # exits); memory every MEMORY_EVERY ticks: the kernel walks a process's page tables for its
            # PSS, and at every tick that walk took a fifth of the machine's CPU from the run it measures
            peak = max(peak, _tree_sample(proc.pid, cpu_of, memory=ticks % MEMORY_EVERY == 0))
            if ticks % 20 == 0:
                loads.append(os.getloadavg()[0])
            ticks += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the command itself is measured exactly; its workers (not reaped by it) as last sampled
    workers_cpu = sum(seconds for pid, seconds in cpu_of.items() if pid != proc.pid)
    cpu = own + workers_cpu
    status = json.loads(
        subprocess.run(
            [str(ASSISTANT), "status", "--json", "--index-dir", str(index_dir)], capture_output=True, text=True, check=True
        ).stdout
    )
    with sqlite3.connect(index_dir / "index.sqlite") as conn:
        words = conn.execute("SELECT COALESCE(SUM(words), 0) FROM documents").fetchone()[0]
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    files = sum(1 for p in folder.iterdir() if p.is_file())
    return {
        "files": files,
        "documents": status["documents"],
        "files_failed": len(status["failures"]),
        "failures": [f"{f['path']}: {f['reason']}" for f in status["failures"]][:10],
        "exit_code": proc.returncode,
        "words": words,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_main_s": round(max(0.0, cpu - workers_cpu), 2),
        "utilisation": round(cpu / wall / len(os.sched_getaffinity(0)), 2) if wall else None,
        "load": [round(min(loads), 2), round(max(loads), 2)] if loads else [],
        "words_per_s": round(words / wall),
        "words_per_cpu_s": round(words / cpu) if cpu else None,
        "peak_rss_mb": round(peak / 1024),
        "max_rss_mb": round(after.ru_maxrss / 1024),
        "index_mb": round(size / 1e6, 1),
        "stderr_tail": err.strip().splitlines()[-1:] if proc.returncode not in (0, 1) else [],
        "summary": out.strip().splitlines()[-1:] if out.strip() else [],
    }


def sample_paragraphs(index_dirs: list[Path], budget: int) -> list[str]:
    """Paragraphs of the indexed texts, taken evenly across all documents, up to `budget` words."""
    texts: list[str] = []
    for index_dir in index_dirs:
        with sqlite3.connect(index_dir / "index.sqlite") as conn:
            texts.extend(row[0] for row in conn.execute("SELECT text FROM documents ORDER BY path"))
    per_doc = max(50, budget // max(1, len(texts)))
    out: list[str] = []
    words = 0
    for text in texts:
        taken = 0
        for para in text.split("\n"):
            n = len(para.split())
            if not n:
                continue
            out.append(para)
            taken += n
            words += n
            if taken >= per_doc:
                break
        if words >= budget:
            break
    return out


_NLP: list = []
"""spaCy's full pipeline, loaded on first use and kept for the other corpora and runs."""


def _full_pipeline():
    """fr_core_news_sm with every component, one thread, loaded once and warmed up."""
    if not _NLP:
        import spacy

        try:
            from thinc.api import set_torch_threads  # type: ignore[attr-defined]

            set_torch_threads(1)
        except Exception:  # noqa: BLE001 - torch is not needed by the small model
            pass
        _NLP.append(spacy.load("fr_core_news_sm"))
    return _NLP[0]


def spacy_full(paragraphs: list[str]) -> dict:
    """spaCy's full fr_core_news_sm pipeline over `paragraphs`, one process, one thread."""
    nlp = _full_pipeline()
    for _ in nlp.pipe(paragraphs[:20]):  # warm-up
        pass
    words = sum(len(p.split()) for p in paragraphs)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in nlp.pipe(paragraphs, batch_size=64):
        pass
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    return {
        "pipes": list(nlp.pipe_names),
        "words": words,
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "words_per_cpu_s": round(words / cpu) if cpu else None,
    }


def one_run(names: list[str], work: Path, spacy_words: int) -> dict:
    """Index every corpus of `names` under `work`, then spaCy's full pipeline over each corpus's own
    texts; each corpus's ratios against its own spaCy figure."""
    run: dict = {"load_before": round(os.getloadavg()[0], 2), "corpora": {}}
    for name in names:
        index_dir = work / f"index-{name}"
        shutil.rmtree(index_dir, ignore_errors=True)
        run["corpora"][name] = index_corpus(BENCH / name, index_dir)
    # spaCy after all the indexing runs, so that it never shares the machine with them
    for name, stats in run["corpora"].items():
        stats["spacy"] = spacy_full(sample_paragraphs([work / f"index-{name}"], spacy_words))
        reference = stats["spacy"]["words_per_cpu_s"]
        if reference and stats["words_per_cpu_s"]:
            stats["ratio_vs_spacy"] = round(stats["words_per_cpu_s"] / reference, 2)
            stats["wall_ratio_vs_spacy"] = round(stats["words_per_s"] / reference, 2)
    run["load_after"] = round(os.getloadavg()[0], 2)
    return run


def medians(runs: list[dict]) -> dict:
    """Each corpus's median figures over `runs` (ratios against each run's own spaCy figure)."""
    keys = (
        "words_per_s",
        "words_per_cpu_s",
        "ratio_vs_spacy",
        "wall_ratio_vs_spacy",
        "cpu_s",
        "utilisation",
        "peak_rss_mb",
        "files_failed",
    )
    out: dict = {}
    for name in runs[0]["corpora"]:
        stats = [r["corpora"][name] | {"spacy_words_per_cpu_s": r["corpora"][name]["spacy"]["words_per_cpu_s"]} for r in runs]
        out[name] = {
            key: statistics.median(s[key] for s in stats if s.get(key) is not None)
            for key in (*keys, "spacy_words_per_cpu_s")
            if any(s.get(key) is not None for s in stats)
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", help="folder name under ../shared/bench (repeatable)")
    ap.add_argument("--spacy-words", type=int, default=60000, help="words spaCy's full pipeline reads (sampled)")
    ap.add_argument("--runs", type=int, default=1, help="repeat the whole measurement N times (medians given)")
    ap.add_argument("--workdir", type=Path, help="where the indexes go (default: a temporary folder, removed)")
    ap.add_argument("--json", action="store_true", help="one JSON line instead of the indented report")
    args = ap.parse_args(argv)
    if not BENCH.is_dir():
        print(f"{BENCH}: dossier des corpus de mesure absent", file=sys.stderr)
        return 2
    names = args.corpus or ["crc-rapports", "ccomptes-arrets"]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    result: dict = {"cpus": len(os.sched_getaffinity(0)), "runs": []}
    try:
        for _ in range(max(1, args.runs)):
            result["runs"].append(one_run(names, work, args.spacy_words))
        result["median"] = medians(result["runs"])
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False) if args.json else json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
