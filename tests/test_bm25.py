"""BM25+ over candidate sections: same scores as rank-bm25, right ranking
when common words sit in most sections."""

import math

import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from assistant.analysis.analyzer import analyze
from assistant.models import Document, Section
from assistant.retrieval.bm25 import BM25Params, SectionIndex
from assistant.retrieval.store import Store

TEXTS = [
    "Le projet FEDER de formation des élus a réuni 120 participants.",
    "Le projet FEDER d'aide au conseil a accompagné 27 projets de collectivités.",
    "Le projet FEDER de contenus numériques a retenu 20 projets innovants.",
    "Le projet FEDER d'assistance technique finance les contrôles et l'évaluation.",
    "Le projet FEDER a été suivi par un comité de pilotage deux fois par an.",
    "La durée moyenne des missions de conseil est de 12 jours.",
    "Le budget de la Région atteint 1,188 milliard d'euros en 2014.",
]


def _store(tmp_path, texts=TEXTS) -> Store:
    store = Store(tmp_path / "idx", create=True)
    for i, text in enumerate(texts):
        doc = Document(
            path=f"d{i}.txt", title=f"d{i}", format="txt", sha256=str(i), size=len(text), mtime=0.0, encoding="utf-8", text=text
        )
        section = Section(document=doc.path, ordinal=0, heading="", heading_path=[], text=text, start=0, end=len(text))
        store.write_document(doc, root="/r", source=f"/r/{doc.path}", sections=[section], tokens=[analyze(text)], facts=[])
    return store


@pytest.mark.parametrize(
    "query", ["projet FEDER", "durée moyenne conseil", "projets innovants numériques", "budget 2014", "inconnu"]
)
def test_scores_identical_to_rank_bm25_plus(tmp_path, query):
    store = _store(tmp_path)
    params = BM25Params()
    index = SectionIndex(store, params)
    corpus = [analyze(t) for t in TEXTS]
    reference = BM25Plus(corpus, k1=params.k1, b=params.b, delta=params.delta)
    q = analyze(query)
    expected = reference.get_scores(q)
    ours = index.scores(q)
    base = sum(reference.idf.get(t, 0.0) * params.delta for t in q)
    ids, _ = store.section_lengths()
    for sid, want in zip(sorted(ids), expected):
        got = ours.get(sid, base)  # sections without a query term score the floor
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


def test_only_candidate_sections_are_scored(tmp_path):
    index = SectionIndex(_store(tmp_path))
    scores = index.scores(analyze("durée moyenne"))
    assert len(scores) == 1


def test_common_words_still_rank_the_matching_sections_first(tmp_path):
    """'projet' sits in half of the sections.  BM25Okapi's idf
    ln((N − df + 0.5)/(df + 0.5)) is then 0: every section scores 0 and the
    sections about projects are not preferred.  BM25+ keeps idf > 0."""
    texts = [
        "Le projet de formation des élus.",
        "Le projet d'aide au conseil.",
        "Le projet de contenus numériques.",
        "Le comité de pilotage s'est réuni.",
        "Le budget de la Région en 2014.",
        "La durée moyenne des missions.",
    ]
    corpus = [analyze(t) for t in texts]
    q = analyze("projet")
    okapi = BM25Okapi(corpus).get_scores(q)
    assert max(okapi) == min(okapi) == 0.0  # no ranking at all
    index = SectionIndex(_store(tmp_path, texts))
    top = index.top(q, k=6)
    ids, _ = index.store.section_lengths()
    by_id = dict(zip(sorted(ids), texts))
    assert len(top) == 3 and all("projet" in by_id[sid] for sid, _ in top)
    assert all(score > 0 for _, score in top)


def test_index_refreshes_after_a_write(tmp_path):
    store = _store(tmp_path)
    index = SectionIndex(store)
    assert index.size == len(TEXTS)
    other = Store(tmp_path / "idx")
    text = "Un nouveau rapport sur la dématérialisation."
    doc = Document(path="new.txt", title="new", format="txt", sha256="n", size=1, mtime=0.0, encoding="utf-8", text=text)
    section = Section(document="new.txt", ordinal=0, heading="", text=text, start=0, end=len(text))
    other.write_document(doc, root="/r", source="/r/new.txt", sections=[section], tokens=[analyze(text)], facts=[])
    assert index.size == len(TEXTS) + 1
    assert index.top(analyze("dématérialisation"), k=1)
