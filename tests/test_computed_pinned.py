"""Computed answers whose operands stand by their own words, lists of named items, and more
phrasings of a computation, on fictitious reports."""

from __future__ import annotations

import pytest
from conftest import engine_over

from assistant.models import Fact
from assistant.qa.compute import names_items, one_sentence, place_score
from assistant.qa.engine import Assistant
from assistant.qa.question import understand
from assistant.qa.rank import ScoredFact


def _fact(value: float, sentence: str, start: int, document: str = "a.txt", at: int = 0) -> Fact:
    """A hand-made money fact standing in `sentence` (which starts at `at`)."""
    return Fact(
        document=document,
        section_ordinal=1,
        value=value,
        unit="EUR",
        kind="money",
        raw=str(value),
        sentence=sentence,
        sentence_start=at,
        sentence_end=at + len(sentence),
        start=at + start,
        end=at + start + 2,
    )


@pytest.mark.parametrize(
    ("question", "items"),
    [
        ("Combien la commune a-t-elle consacré au total aux écoles, aux routes et aux parcs ?", ["écoles", "routes", "parcs"]),
        (
            "Quel est le montant cumulé des dépenses de personnel, de fonctionnement et d'investissement en 2020 ?",
            ["personnel", "fonctionnement", "investissement"],
        ),
        ("Combien ont reçu au total Brinval, Sormont et Cazelle ?", ["Brinval", "Sormont", "Cazelle"]),
        ("What is the combined budget of Brinval, Sormont and Cazelle?", ["Brinval", "Sormont", "Cazelle"]),
    ],
)
def test_the_items_of_a_list_are_each_an_operand(question, items):
    intent = understand(question)
    assert intent.operation == "sum"
    assert intent.items == items


def test_a_list_stops_at_a_figure_before_it():
    intent = understand("En 2020, combien ont reçu Brinval et Sormont réunis ?")
    assert intent.items == ["Brinval", "Sormont"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much higher were expenses in 2015 than in 2014?", "difference"),
        ("How much did the debt fall between 2014 and 2015?", "difference"),
        ("Quelle est la hausse des dépenses entre 2014 et 2015 ?", "difference"),
        ("What was the increase in expenses between 2014 and 2015?", "difference"),
        ("Quel est le montant total des crédits engagés en 2014 et 2015 ?", "sum"),
        ("What is the sum of the grant and the loan?", "sum"),
        ("How much did both the Region and the State contribute?", "sum"),
        ("Combien de dossiers les deux délégués ont-ils traités à eux deux ?", "sum"),
        ("Quel est le poids des dépenses de personnel dans les dépenses de fonctionnement ?", "share"),
        ("Que représentent les dépenses de personnel par rapport aux dépenses de fonctionnement, en % ?", "share"),
    ],
)
def test_more_phrasings_of_a_computation(question, kind):
    assert understand(question).operation == kind


def test_a_share_asked_as_a_weight_names_its_part_and_whole():
    op = understand("Quel est le poids des dépenses de personnel dans les dépenses de fonctionnement ?").computation
    assert op is not None and op.operands == ["dépenses de personnel", "dépenses de fonctionnement"]


def test_the_place_of_operands_is_the_best_score_of_their_document():
    a = _fact(10, "Les écoles ont reçu 10 € et les routes 5 €.", 20)
    b = _fact(5, "Les écoles ont reçu 10 € et les routes 5 €.", 39)
    other = _fact(99, "Ailleurs 99 €.", 9, document="b.txt")
    ranked = [ScoredFact(fact=other, score=0.9), ScoredFact(fact=a, score=0.2), ScoredFact(fact=b, score=0.4)]
    assert place_score(ranked, a) == 0.4
    assert one_sentence([a, b]) and not one_sentence([a, other])


def test_a_stated_total_answers_a_named_sum_only_when_it_names_the_items():
    whole = _fact(100, "Le total des aides atteint 100 €.", 26)
    named = _fact(15, "Au total, les écoles et les routes ont reçu 15 €.", 44)
    assert not names_items(["écoles", "routes"], whole)
    assert names_items(["écoles", "routes"], named)
    assert names_items([], whole)


def test_an_operand_standing_by_all_its_words_is_taken_below_the_pool():
    """The figure of « la dotation de base » ranked 25th of its sub-question is still its operand when
    every word of it stands by the figure; a figure by some of them that far down is not."""
    from assistant.qa.compute import OPERAND_POOL, _operands

    intent = understand("Quelle part de la dotation forfaitaire la dotation de base représente-t-elle ?")
    noise = [
        ScoredFact(fact=_fact(100 + i, "Le budget atteint 100 € cette année-là.", 19), score=0.9 - i / 100)
        for i in range(OPERAND_POOL + 4)
    ]
    stated = ScoredFact(fact=_fact(6, "La dotation de base atteint 6 €.", 29), score=0.3)
    partial = ScoredFact(fact=_fact(7, "La dotation globale atteint 7 €.", 28), score=0.3)
    pool = _operands(lambda text, kind, own: [*noise, partial, stated], intent, 0, "number")
    assert (2, stated) in pool and pool[0] == (2, stated)
    assert all(s is not partial for _, s in pool)


REPORT = (
    "BILAN 2021 DE LA COMMUNE DE VALMONT\n\n"
    "1. Dépenses\n\n"
    "En 2021, le total des dépenses d'équipement de Valmont atteint 9 M€. "
    "La commune a consacré 1,2 M€ aux écoles, 0,8 M€ aux routes et 0,5 M€ aux parcs.\n\n"
    "2. Médiation\n\n"
    "En 2021, les médiateurs de Valmont ont reçu 500 demandes : 300 ont donné lieu à une instruction "
    "et pour 40 % d'entre elles ont conduit à un accord.\n\n"
    "3. Contexte\n\n"
    "La commune compte 12 000 habitants depuis le recensement.\n"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("pinned"), "valmont.txt", REPORT)


def test_a_sum_of_three_listed_items_cites_each(engine):
    answer = engine.ask("En 2021, quel montant Valmont a-t-elle consacré au total aux écoles, aux routes et aux parcs ?")
    assert answer.computed and answer.value == pytest.approx(2.5e6)
    assert "calculé : 1 200 000 + 800 000 + 500 000 = 2 500 000" in answer.answer.replace("\u202f", " ").replace("\u00a0", " ")
    assert "1,2 M€" in answer.citations[0].quote


def test_a_sum_of_listed_items_in_english(engine):
    answer = engine.ask("Combined, how much did Valmont spend on schools and roads in 2021?")
    assert answer.computed and answer.value == pytest.approx(2.0e6)


def test_a_percent_of_a_count_stated_in_one_sentence(engine):
    answer = engine.ask("En 2021, combien environ des demandes instruites à Valmont ont conduit à un accord ?")
    assert answer.computed and answer.value == 120
    assert "300 × 40 ÷ 100" in answer.answer


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Combien de dossiers au total de 2019 à 2021 ?", [2019, 2020, 2021]),
        ("What was the combined amount between 2019 and 2021?", [2019, 2020, 2021]),
        ("Quel est le total cumulé en 2019 et 2021 ?", [2019, 2021]),
    ],
)
def test_a_sum_over_a_span_adds_every_year_of_it(question, years):
    from assistant.qa.compute import summed_years

    intent = understand(question)
    assert intent.operation == "sum"
    assert summed_years(intent)[0] == years


def test_a_span_of_years_is_summed_year_by_year(tmp_path):
    engine = engine_over(
        tmp_path,
        "mediation.txt",
        "RAPPORT DE MÉDIATION\n\nLe service de Corvel a traité 120 dossiers en 2019, 150 dossiers en 2020 et "
        "180 dossiers en 2021.\n\nLe service a ouvert une antenne à Corvel en 2018.\n",
    )
    answer = engine.ask("Combien de dossiers le service de Corvel a-t-il traités au total de 2019 à 2021 ?")
    assert answer.computed and answer.value == 450
