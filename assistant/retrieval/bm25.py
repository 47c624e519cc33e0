"""BM25 over sections, scored only on the sections that hold a query term.

The variant is rank-bm25's ``BM25Plus`` (Lv & Zhai 2011):

    idf(t)      = ln((N + 1) / df(t))                       — never ≤ 0
    score(d, q) = Σ_{t ∈ q} idf(t) · (δ + tf·(k1+1) / (k1·(1 − b + b·|d|/avgdl) + tf))

Why not ``BM25Okapi``: with section-sized documents, words such as "projet"
or "FEDER" sit in over half of the sections, where Okapi's idf
ln((N − df + 0.5)/(df + 0.5)) turns negative; rank-bm25 then floors it at
ε·mean(idf), which makes a section that *contains* the common word score
no better (or worse) than one that does not.  BM25Plus keeps every matching
term's contribution positive (``tests/test_bm25.py`` shows the difference).

Scoring follows the postings: a section that holds none of the query terms
scores exactly Σ idf(t)·δ in rank-bm25 — the lowest possible score — so the
top-k over candidate sections equals the top-k over all sections, and the
scores are identical to ``rank_bm25.BM25Plus.get_scores`` (tested).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.retrieval.store import Store


@dataclass(frozen=True)
class BM25Params:
    """BM25+ parameters (rank-bm25's names)."""

    k1: float = 1.2
    """Term-frequency saturation."""
    b: float = 0.75
    """Length normalisation."""
    delta: float = 1.0
    """Lower bound of a matching term's contribution."""


class SectionIndex:
    """BM25+ over the sections of a :class:`Store`, with in-memory caches.

    Section lengths are loaded once (one small query) and refreshed when the
    database changes (``PRAGMA data_version``); postings are read per query
    term from SQLite and cached.
    """

    def __init__(self, store: Store, params: BM25Params | None = None) -> None:
        self.store = store
        self.params = params or BM25Params()
        self._version: int | None = None
        self._postings: dict[str, tuple[object, object]] = {}

    def _refresh(self) -> None:
        import numpy as np  # ~60 ms on first import; deferred so the CLI starts fast

        version = self.store.data_version()
        updated = self.store.meta("updated_at")
        key = (version, updated)
        if key == self._version:
            return
        ids, lengths = self.store.section_lengths()
        size = (max(ids) + 1) if ids else 1
        self._lengths = np.zeros(size, dtype=np.float64)
        if ids:
            self._lengths[np.asarray(ids, dtype=np.int64)] = np.asarray(lengths, dtype=np.float64)
        self._n = len(ids)
        self._avgdl = (sum(lengths) / len(ids)) if ids else 0.0
        self._postings.clear()
        self._version = key

    @property
    def size(self) -> int:
        """Number of sections indexed."""
        self._refresh()
        return self._n

    def _term(self, term: str):
        import numpy as np

        hit = self._postings.get(term)
        if hit is None:
            rows = self.store.postings(term)
            if rows:
                ids = np.concatenate([np.frombuffer(r[0], dtype=np.int32) for r in rows])
                tfs = np.concatenate([np.frombuffer(r[1], dtype=np.int32) for r in rows]).astype(np.float64)
            else:
                ids = np.zeros(0, dtype=np.int32)
                tfs = np.zeros(0, dtype=np.float64)
            hit = (ids, tfs)
            if len(self._postings) > 50_000:
                self._postings.clear()
            self._postings[term] = hit
        return hit

    def idf(self, term: str) -> float:
        """BM25+ idf of `term` (0 when no section holds it)."""
        self._refresh()
        ids, _ = self._term(term)
        return math.log((self._n + 1) / len(ids)) if len(ids) else 0.0

    def scores(self, query_tokens: list[str], allowed: set[int] | None = None) -> dict[int, float]:
        """BM25+ score of every candidate section (those holding a query term)."""
        import numpy as np

        self._refresh()
        if not self._n:
            return {}
        k1, b, delta = self.params.k1, self.params.b, self.params.delta
        counts = Counter(query_tokens)
        base = 0.0
        parts_ids = []
        parts_scores = []
        for term, mult in counts.items():
            ids, tfs = self._term(term)
            if not len(ids):
                continue
            idf = math.log((self._n + 1) / len(ids))
            base += mult * idf * delta
            dl = self._lengths[ids]
            contrib = mult * idf * (tfs * (k1 + 1) / (k1 * (1 - b + b * dl / self._avgdl) + tfs))
            parts_ids.append(ids)
            parts_scores.append(contrib)
        if not parts_ids:
            return {}
        all_ids = np.concatenate(parts_ids)
        all_scores = np.concatenate(parts_scores)
        uniq, inverse = np.unique(all_ids, return_inverse=True)
        totals = np.bincount(inverse, weights=all_scores) + base
        result = dict(zip(uniq.tolist(), totals.tolist()))
        if allowed is not None:
            result = {k: v for k, v in result.items() if k in allowed}
        return result

    def top(self, query_tokens: list[str], k: int = 5, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best (section id, score), best first; ties broken by section id."""
        import heapq

        scores = self.scores(query_tokens, allowed)
        return heapq.nsmallest(k, scores.items(), key=lambda item: (-item[1], item[0]))
