"""Indexing with worker processes writes exactly the index an in-process run writes.

Not part of the default run (slow: each worker loads spaCy).  Run with:

    .venv/bin/pytest -o addopts="" tests/benchmarks/test_parallel_index.py
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate  # noqa: E402

from assistant.retrieval import indexer  # noqa: E402
from assistant.retrieval.store import Store  # noqa: E402

QUERIES = {
    "sections": 'SELECT id, doc_id, ordinal, heading, heading_path, start, "end", page, text, length FROM sections ORDER BY id',
    "postings": "SELECT term, doc_id, sec_ids, tfs FROM postings ORDER BY term, doc_id",
    "facts": "SELECT id, doc_id, section_id, value, unit, kind, raw, subject, subject_lemma, qualifiers, scope,"
    ' sentence_start, sentence_end, start, "end", source FROM facts ORDER BY id',
    "documents": "SELECT id, path, sha256, title, text, noise FROM documents ORDER BY id",
}


def _dump(index_dir: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(index_dir / "index.sqlite")
    try:
        return {name: conn.execute(q).fetchall() for name, q in QUERIES.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 600, seed=3)
    return out


def test_parallel_run_writes_the_same_index(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "PARALLEL_MIN_BYTES", 0)
    r1 = indexer.run_index(Store(tmp_path / "serial", create=True), [corpus], workers=1, batch=4)
    r2 = indexer.run_index(Store(tmp_path / "parallel", create=True), [corpus], workers=2, batch=4)
    assert r1.added == r2.added and r1.sections == r2.sections and r1.facts == r2.facts
    assert not r1.failed and not r2.failed
    one, two = _dump(tmp_path / "serial"), _dump(tmp_path / "parallel")
    for name in QUERIES:
        assert one[name] == two[name], name


def test_parallel_run_is_incremental(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "PARALLEL_MIN_BYTES", 0)
    store = Store(tmp_path / "idx", create=True)
    first = indexer.run_index(store, [corpus], workers=2, batch=4)
    assert first.added and not first.failed
    again = indexer.run_index(store, [corpus], workers=2, batch=4)
    assert not again.added and not again.updated and len(again.unchanged) == len(first.added)
    # A touched file with the same content: mtime refreshed, nothing rewritten.
    victim = next(p for p in sorted(corpus.rglob("rapport-*")))
    victim.touch()
    third = indexer.run_index(store, [corpus], workers=2, batch=4)
    assert not third.added and not third.updated
