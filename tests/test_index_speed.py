"""Indexing speed without changing a fact: lemmas by set lookups, parses skipped, work split by size."""

from __future__ import annotations

import time

import pytest


@pytest.fixture(scope="module")
def nlp():
    """The spaCy pipeline, loaded once for this module."""
    from assistant.facts.nlp import get_nlp

    return get_nlp()


# --- lemmas -------------------------------------------------------------------------

_TEXT = (
    "Les collectivités territoriales ont engagé 27 projets structurants en 2019, dont les montants "
    "initialement prévus ont été revus à la baisse ; les chambres régionales des comptes relèvent que "
    "les dépenses de fonctionnement se sont accrues, que les effectifs ont diminué et qu'elles "
    "recommandent aux communes de fiabiliser leurs comptes. Il était allé voir les travaux réalisés."
)


def test_rule_lemmas_are_spacys(nlp):
    from assistant.facts.nlp import _rules, parse_many

    spacy_lemmatizer = nlp.get_pipe("lemmatizer")
    (doc,) = parse_many([_TEXT])
    pairs = [(t.text, t.pos_, spacy_lemmatizer.rule_lemmatize(t), _rules().lemmatize(t.text, t.pos_)) for t in doc]
    assert len(pairs) > 40
    assert [p[2] for p in pairs] == [p[3] for p in pairs]


def test_unknown_words_are_lemmatised_fast(nlp):
    """spaCy's word index is a list of 66,000 nouns searched linearly (~0.5 ms a word); a set answers at once."""
    from spacy.tokens import Doc

    from assistant.facts.nlp import lemma

    words = [f"zorglub{i}ations" for i in range(4000)]
    doc = Doc(nlp.vocab, words=words, pos=["NOUN"] * len(words))
    started = time.process_time()
    lemmas = [lemma(t) for t in doc]
    elapsed = time.process_time() - started
    assert lemmas[7] == "zorglub7ation"
    assert elapsed < 0.6, f"{elapsed:.2f} s for {len(words)} unknown nouns"
