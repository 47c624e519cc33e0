"""Computed answers on fictitious reports: sums of named items, in French and English, and
the operand that is missing."""

from __future__ import annotations

import pytest
from conftest import engine_over

from assistant.qa.engine import Assistant
from assistant.qa.question import understand

REPORT = (
    "BILAN DES AIDES 2019\n\n"
    "1. Financements\n\n"
    "En 2019, la Région a financé 20 % des stages, l'Agence 9 % tandis que les communes ont apporté le reste.\n\n"
    "2. Secteurs\n\n"
    "Sur l'enveloppe, 11 % (32 M€) sont allés à l'agriculture et 5 % (14,5 M€) à la construction.\n\n"
    "3. Contexte\n\n"
    "Le programme couvre toute la région et ses 40 communes rurales depuis 2014.\n"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("computed"), "bilan.txt", REPORT)


def test_the_items_of_a_sum_are_read_from_the_question():
    intent = understand("Quelle part des stages ont financée la Région et l'Agence réunies ?")
    assert (intent.operation, intent.items) == ("sum", ["Région", "Agence"])
    intent = understand("Combined, how much went to agriculture and construction, in millions of euros?")
    assert intent.operation == "sum" and len(intent.items) == 2


@pytest.mark.parametrize(
    "question",
    [
        "Quelle part des stages la Région et l'Agence ont-elles financée à elles deux ?",
        "Quelle part des stages la Région et l'Agence financent-elles prises ensemble ?",
    ],
)
def test_an_inverted_verb_is_no_part_of_the_last_item(engine, question):
    """« l'Agence ont-elles financée » names l'Agence: the verb and its pronoun are the question's."""
    assert understand(question).items == ["Région", "Agence"]
    answer = engine.ask(question)
    assert answer.computed and answer.value == 29


def test_a_sum_of_named_items_cites_each_operand(engine):
    answer = engine.ask("Quelle part des stages ont financée la Région et l'Agence réunies ?")
    assert answer.computed and answer.value == 29
    assert "calculé" in answer.answer and "20 + 9" in answer.answer
    assert answer.citations and "20 %" in answer.citations[0].quote


def test_a_sum_in_english(engine):
    answer = engine.ask("Combined, how much went to agriculture and construction, in millions of euros?")
    assert answer.computed and answer.value == pytest.approx(46.5e6)
    assert answer.lang == "en" and "computed" in answer.answer


def test_a_missing_operand_is_named_not_summed(engine):
    answer = engine.ask("Quelle part des stages ont financée la Région et la Préfecture réunies ?")
    assert answer.abstained and not answer.computed
    assert "Préfecture" in answer.answer


def test_a_ratio_that_names_its_denominator_first(tmp_path):
    engine = engine_over(
        tmp_path,
        "projets.txt",
        "PROJETS AIDÉS\n\nÀ Sainte-Rose, le FEDER a contribué à la rénovation du marché couvert "
        "(300 000 € sur un coût total de 1 200 000 €).\n\nLe marché rouvrira en 2026 après les travaux.\n",
    )
    intent = understand("Rapporté au coût total, quel taux de financement FEDER représente l'apport au marché couvert ?")
    assert intent.operation == "ratio" and "cout total" in intent.ratio_parts[1]
    answer = engine.ask("Rapporté au coût total, quel taux de financement FEDER représente l'apport au marché couvert ?")
    assert answer.computed and answer.value == 25


@pytest.mark.parametrize("text", ["=1+1", "aide", "?", "12 345"])
def test_input_that_asks_nothing_is_not_answered(engine, text):
    answer = engine.ask(text)
    assert answer.abstained and answer.confidence == 0.0


def test_a_lone_question_mark_is_no_follow_up():
    from assistant.qa.conversation import Conversation

    conversation = Conversation()
    conversation.add("Combien de communes rurales ?", understand("Combien de communes rurales ?"))
    assert not conversation.is_follow_up("?")
    assert conversation.is_follow_up("Et en 2015 ?")


def test_those_who_did_not_out_of_a_stated_whole(tmp_path):
    engine = engine_over(
        tmp_path,
        "enquete.txt",
        "ENQUÊTE 2016\n\nParmi les répondants, 612 adhérents sur 750 ont indiqué leur commune de résidence.\n\n"
        "Les réponses ont été analysées par le bureau d'études.\n",
    )
    question = "Combien des 750 adhérents n'ont pas indiqué leur commune de résidence ?"
    assert understand(question).negated and understand(question).kind == "count"
    answer = engine.ask(question)
    assert answer.computed and answer.value == 138
    assert "750 − 612" in answer.answer


def test_operands_are_written_as_a_reader_writes_them():
    from assistant.qa.compute import _fmt

    assert [_fmt(v) for v in (43200000.0, 14.5, -0.5, 5)] == ["43\u202f200\u202f000", "14,5", "-0,5", "5"]


def test_the_total_of_the_rows_a_question_counts(tmp_path):
    engine = engine_over(
        tmp_path,
        "axes.md",
        "# Programme\n\n## Tableau par volet\n\n| Volet | Coût | Aide régionale |\n|---|---|---|\n"
        "| Volet 1 – Écoles | 1 000 000 € | 400 000 € |\n| Volet 2 – Routes | 2 000 000 € | 500 000 € |\n\n"
        "## Suite\n\nLe programme a commencé en 2019 dans toutes les communes.\n",
    )
    question = "Quel est le montant total de l'aide régionale des deux volets ?"
    assert understand(question).group == (2, "volets")
    answer = engine.ask(question)
    assert answer.computed and answer.value == 900000
    assert len(answer.citations) == 2


def test_the_figures_of_the_two_groups_are_added(tmp_path):
    engine = engine_over(
        tmp_path,
        "analyse.txt",
        "ANALYSE DU THÈME 3\n\nDeux groupes de personnes émergent : 410 personnes qui utilisent le service et 290 qui ne l'utilisent pas.\n\n"
        "Le service a été créé en 2012 par le département.\n",
    )
    answer = engine.ask("Combien de personnes comptent les deux groupes du thème 3 ?")
    assert answer.computed and answer.value == 700


def test_le_cumul_and_between_them_ask_for_a_sum():
    """« le cumul des crédits de 2014 à 2020 » and "between them" ask for figures added up."""
    intent = understand("Quel est le cumul des crédits engagés de 2014 à 2020 ?")
    assert intent.operation == "sum"
    intent = understand("How much did agriculture and construction receive between them?")
    assert intent.operation == "sum" and len(intent.items) == 2
