"""The miss classification of `python -m assistant.qa.diagnose`: the scorer's verdict, and the
stage a miss is put in, on a hand-made corpus."""

from __future__ import annotations

import pytest

from assistant.qa.diagnose import classify, correct, table
from assistant.qa.engine import Assistant

GOLD = {"expect": {"value": 42}, "evidence": "42 projets", "document": "rapport.txt"}


def _answer(value, quote="La région a soutenu 42 projets en 2015.", document="rapport.txt", abstained=False):
    return {
        "answer": "x",
        "value": value,
        "abstained": abstained,
        "kind": "count",
        "unit": "projet",
        "citations": [{"document": document, "quote": quote}],
    }


def test_correct_judges_as_the_shared_scorer():
    assert correct(GOLD, _answer(42))
    assert not correct(GOLD, _answer(41))  # the value
    assert not correct(GOLD, _answer(42, quote="Autre phrase."))  # the evidence
    assert not correct(GOLD, _answer(42, document="autre.txt"))  # the document
    assert correct({"expect": {"abstain": True}}, _answer(None, abstained=True))
    assert not correct({"expect": {"abstain": True}}, _answer(42))
    text = {"expect": {"any_text": ["Jean Rival"]}, "evidence": "", "document": ""}
    assert correct(text, {"answer": "Jean Rival préside", "abstained": False, "citations": [{"quote": "q"}]})


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("diagnose")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "rapport.txt").write_text(
        "Bilan des projets\n\n"
        "La région a soutenu 42 projets innovants en 2015. "
        "Elle a aussi financé 17 projets de recherche et 12 études.\n",
        encoding="utf-8",
    )
    engine = Assistant(root / "index")
    engine.index([corpus])
    return engine


def test_a_miss_is_put_in_the_stage_that_loses_it(engine):
    unanswerable = {"question": "Combien de projets en 2015 ?", "expect": {"abstain": True}}
    assert classify(engine, unanswerable, _answer(42))["stage"] == "f_answered_unanswerable"
    # the right figure is there, another one comes first
    second = {
        "question": "Combien de projets de recherche ?",
        "expect": {"value": 12},
        "evidence": "12 études",
        "document": "rapport.txt",
    }
    row = classify(engine, second, _answer(17))
    assert (row["stage"], row["fact_rank"], row["first"]["raw"]) == ("d_not_first", 1, "17")
    not_stated = {
        "question": "Combien de projets en 2015 ?",
        "expect": {"value": 99},
        "evidence": "42 projets",
        "document": "rapport.txt",
    }
    assert classify(engine, not_stated, _answer(42))["stage"] == "b_extraction"
    elsewhere = {"question": "Combien de girafes ?", "expect": {"value": 3}, "evidence": "3 girafes", "document": "zoo.txt"}
    assert classify(engine, elsewhere, _answer(None, abstained=True))["stage"] == "a_retrieval"


def test_the_table_counts_each_stage_per_set():
    from collections import Counter

    text = table({"dev": Counter({"d_not_first": 2})}, {"dev": 5}, {"dev": 3})
    assert "3/5" in text and "d_not_first" in text and "a_retrieval" not in text
