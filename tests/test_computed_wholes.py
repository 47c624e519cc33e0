"""Wholes, parts and changes asked in the phrasings of issues 12 and 13, on one fictitious report:
the total of a counted group of table rows ("le total des crédits des trois axes"), the total of
items a question lists with "totale", a deduction whose whole is named after the part ("une fois
déduite la part FEDER du coût total"), a share asked with an inverted verb ("quelle part du coût
le FEDER finance-t-il ?"), a growth rate computed when the best stated percent is no change, the
fall of an amount answered by its stated percent, and a count the report states only for the
contrary predicate, which abstains."""

from __future__ import annotations

import pytest
from conftest import engine_over, ungrouped

from assistant.qa.engine import Assistant
from assistant.qa.question import understand

AGENCE = (
    "Rapport d'activité 2022 de l'agence régionale de santé\n\n"
    "1. Financement\n\n"
    "Le taux d'exécution des crédits était de 87,5 % fin 2021 et de 91,2 % fin 2022.\n"
    "Les subventions versées aux associations ont baissé de 26 % entre 2021 et 2022.\n"
    "Sur les 450 établissements contrôlés, 312 ont accepté la visite inopinée.\n\n"
    "2. Projet de plateforme\n\n"
    "Le FEDER finance 12,4 millions d'euros, l'État 8,1 millions d'euros et la région 4,5 millions d'euros.\n"
    "Le coût total du projet atteint 30 millions d'euros.\n\n"
    "Tableau 1 – Crédits par axe (en milliers d'euros)\n\n"
    "| Axe | 2021 | 2022 |\n|---|---|---|\n"
    "| Axe 1 Recherche | 1 200 | 1 450 |\n"
    "| Axe 2 Numérique | 800 | 950 |\n"
    "| Axe 3 Énergie | 600 | 700 |\n"
)
"""An agency's report: amounts in parts, a table by axis and year, percents of change and of execution."""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("wholes"), "agence.txt", AGENCE)


# --- reading ---------------------------------------------------------------------------------


def test_a_counted_group_is_read_after_another_determiner():
    """« des crédits des trois axes »: the group is read at the second « des », not lost to the first."""
    op = understand("Quel est le total des crédits des trois axes en 2022 ?").computation
    assert op is not None and op.kind == "sum" and op.group == (3, "axes")


def test_items_listed_with_a_whole_word_are_summed():
    op = understand("Quelle est la contribution totale du FEDER, de l'État et de la région ?").computation
    assert op is not None and op.kind == "sum"
    assert op.items == ["FEDER", "État", "région"]


def test_a_share_of_a_total_stays_a_share_when_items_are_named():
    op = understand("What share of the total fines came from the Alpha and Beta penalties alone, in percent?").computation
    assert op is not None and op.kind == "share"


def test_a_deduction_reads_the_whole_named_after_the_part():
    op = understand("Combien reste-t-il une fois déduite la part FEDER du coût total du projet ?").computation
    assert op is not None and op.kind == "difference"
    assert op.operands == ["coût total du projet", "FEDER"]


def test_a_deduction_without_a_named_whole_keeps_the_total():
    op = understand("Quel montant reste-t-il une fois déduites les dépenses de personnel ?").computation
    assert op is not None and op.operands[0] == "total"


def test_a_share_asked_with_an_inverted_verb():
    op = understand("Quelle part du coût total du projet le FEDER finance-t-il ?").computation
    assert op is not None and op.kind == "share"
    assert op.operands == ["le FEDER", "coût total du projet"]


# --- answering -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le total des crédits des trois axes en 2022 ?",
        "Quel est le montant global des crédits des trois axes en 2022 ?",
        "What is the overall amount of the credits of the three axes in 2022?",
    ],
)
def test_the_total_of_a_counted_group_of_rows(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 3_100_000
    assert "1450000 + 950000 + 700000" in ungrouped(answer.answer)
    assert len(answer.citations) == 3


def test_the_total_of_listed_items(engine):
    answer = engine.ask("Quelle est la contribution totale du FEDER, de l'État et de la région ?")
    assert answer.computed and answer.value == 25_000_000


@pytest.mark.parametrize(
    "question",
    [
        "Combien reste-t-il une fois déduite la part FEDER du coût total du projet ?",
        "Quel montant reste-t-il une fois déduite la part FEDER du coût total du projet ?",
    ],
)
def test_what_remains_of_a_named_whole_once_a_part_is_deducted(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 17_600_000
    assert "30000000 − 12400000" in ungrouped(answer.answer)
    assert "30 millions" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Quelle part du coût total du projet le FEDER finance-t-il ?", 41.33),
        ("Quelle part du coût total du projet la région prend-elle en charge ?", 15.0),
    ],
)
def test_a_share_asked_with_an_inverted_verb_is_computed(engine, question, value):
    answer = engine.ask(question)
    assert answer.computed and answer.value == pytest.approx(value, abs=0.01)


def test_a_growth_rate_is_computed_when_no_stated_percent_is_a_change(engine):
    """87,5 % ranks high (« crédits ») but is an execution rate, no rise: the growth is computed."""
    answer = engine.ask("De combien en % les crédits de l'axe 2 ont-ils augmenté entre 2021 et 2022 ?")
    assert answer.computed and answer.value == pytest.approx(18.75)


def test_the_fall_of_an_amount_is_its_stated_percent(engine):
    answer = engine.ask("De combien ont baissé les subventions versées aux associations ?")
    assert not answer.abstained and answer.value == 26 and answer.unit == "%"
    assert "baissé de 26 %" in answer.citations[0].quote


def test_a_count_stated_only_for_the_contrary_abstains(engine):
    """The report counts those who accepted; those who refused are not stated, not even as a sentence."""
    answer = engine.ask("Combien d'établissements ont refusé la visite inopinée ?")
    assert answer.abstained
    accepted = engine.ask("Combien d'établissements ont accepté la visite inopinée ?")
    assert not accepted.abstained and accepted.value == 312


def test_whole_words_are_matched_as_whole_words_or_beginnings():
    from assistant.qa.operations import cues

    whole = cues().whole
    assert whole.search("la contribution totale") and whole.search("les montants cumules")
    assert whole.search("le cout global") and whole.search("the overall amount")
    assert not whole.search("une aide totalement nouvelle")
