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
    term from SQLite and cached, already turned into the length-normalised
    term-frequency part of BM25+, so a query costs one vectorised
    multiply-add per term over that term's postings, plus a top-k selection
    over the candidate sections (``numpy.argpartition``), never a sort of
    every candidate.
    """

    _CACHE_POSTINGS = 8_000_000
    """Cached postings (all terms together) before the cache is emptied (~96 MB)."""

    def __init__(self, store: Store, params: BM25Params | None = None) -> None:
        self.store = store
        self.params = params or BM25Params()
        self._version: tuple | None = None
        self._postings: dict[str, tuple[object, object]] = {}
        self._cached = 0
        self._n = 0
        self._avgdl = 0.0

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
        self._size = size
        self._n = len(ids)
        self._avgdl = (sum(lengths) / len(ids)) if ids else 0.0
        # Denominator part that depends only on the section: k1·(1 − b + b·|d|/avgdl).
        k1, b = self.params.k1, self.params.b
        self._norm = k1 * (1 - b + b * self._lengths / self._avgdl) if self._avgdl else np.full(size, k1)
        self._postings.clear()
        self._cached = 0
        self._version = key

    @property
    def size(self) -> int:
        """Number of sections indexed."""
        self._refresh()
        return self._n

    def _term(self, term: str):
        """(section ids, tf·(k1+1)/(k1·(1−b+b·|d|/avgdl)+tf)) of `term`, cached."""
        import numpy as np

        hit = self._postings.get(term)
        if hit is None:
            rows = self.store.postings(term)
            if rows:
                ids = np.frombuffer(b"".join(r[0] for r in rows), dtype=np.int32)
                tfs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.int32).astype(np.float64)
                # Sections committed by another process after the lengths were read
                # (ids only grow) are left out until the next refresh: one consistent view.
                known = ids < self._size
                if not known.all():
                    ids, tfs = ids[known], tfs[known]
                part = tfs * (self.params.k1 + 1) / (self._norm[ids] + tfs)
            else:
                ids = np.zeros(0, dtype=np.int32)
                part = np.zeros(0, dtype=np.float64)
            if self._cached + len(ids) > self._CACHE_POSTINGS:
                self._postings.clear()
                self._cached = 0
            hit = (ids, part)
            self._postings[term] = hit
            self._cached += len(ids) + 1
        return hit

    def df(self, term: str) -> int:
        """Number of sections holding `term`."""
        self._refresh()
        return len(self._term(term)[0])

    def idf(self, term: str) -> float:
        """BM25+ idf of `term` (0 when no section holds it)."""
        df = self.df(term)
        return math.log((self._n + 1) / df) if df else 0.0

    def _candidates(self, query_tokens: list[str], allowed: set[int] | None):
        """(candidate section ids, their scores) as numpy arrays, unordered."""
        import numpy as np

        self._refresh()
        if not self._n:
            return None
        delta = self.params.delta
        base = 0.0
        terms = []
        for term, mult in Counter(query_tokens).items():
            ids, part = self._term(term)
            if len(ids):
                idf = math.log((self._n + 1) / len(ids))
                base += mult * idf * delta
                terms.append((ids, part, mult * idf))
        if not terms:
            return None
        if len(terms) == 1:
            ids, part, w = terms[0]
            cand = ids
            vals = part * w + base
        else:
            # Dense accumulation: one multiply-add per posting.  Section ids are
            # unique within a term's postings, so fancy-index += is exact, and
            # the additions happen in query-term order as in rank-bm25.
            acc = np.zeros(self._size, dtype=np.float64)
            hit = np.zeros(self._size, dtype=np.bool_)
            for ids, part, w in terms:
                acc[ids] += part * w
                hit[ids] = True
            cand = np.flatnonzero(hit)
            vals = acc[cand] + base
        if allowed is not None:
            keep = np.isin(cand, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            cand, vals = cand[keep], vals[keep]
        return cand, vals

    def scores(self, query_tokens: list[str], allowed: set[int] | None = None) -> dict[int, float]:
        """BM25+ score of every candidate section (those holding a query term)."""
        found = self._candidates(query_tokens, allowed)
        if found is None:
            return {}
        cand, vals = found
        return dict(zip(cand.tolist(), vals.tolist()))

    def top(self, query_tokens: list[str], k: int = 5, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best (section id, score), best first; ties broken by section id."""
        import numpy as np

        found = self._candidates(query_tokens, allowed)
        if found is None or k <= 0:
            return []
        cand, vals = found
        if len(cand) > k:
            kth = vals[np.argpartition(vals, len(vals) - k)[len(vals) - k]]
            keep = np.flatnonzero(vals >= kth)  # ties at the k-th score are all kept…
            cand, vals = cand[keep], vals[keep]
        order = np.lexsort((cand, -vals))[:k]  # …and broken by section id here
        return [(int(cand[i]), float(vals[i])) for i in order]
