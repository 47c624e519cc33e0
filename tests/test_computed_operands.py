"""Operands a question names otherwise than the report: « la contribution de l'État » of a report
that says « l'État 8,1 millions d'euros », « celle de l'État » standing for the noun named before,
« l'axe 1 » naming a table row, « le PO » of a report that spells out « programme opérationnel »;
and a count asked for those who did not, where the report states only those who did. One
fictitious report."""

from __future__ import annotations

import pytest
from conftest import engine_over, ungrouped
from test_computed_wholes import AGENCE

from assistant.analysis.analyzer import analyze
from assistant.qa import compute
from assistant.qa.answerer import _missing_names
from assistant.qa.engine import Assistant
from assistant.qa.operations import read_items
from assistant.qa.question import understand

PROGRAMME = "Bilan 2022 du programme opérationnel Val d'Ambre\n\n" + AGENCE
"""The agency's report of tests/test_computed_wholes.py, under a programme's title spelt out."""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("operands"), "bilan.txt", PROGRAMME)


# --- reading ---------------------------------------------------------------------------------


def test_a_pronoun_after_et_stands_for_the_noun_named_before():
    assert read_items(" la contribution du FEDER et celle de l'État ?", "fr", lambda w: w) == ["FEDER", "État"]
    assert read_items(" le budget de Lorraine et celui d'Alsace ?", "fr", lambda w: w) == ["Lorraine", "Alsace"]


@pytest.mark.parametrize(
    "question",
    [
        "Quel poids représente la contribution de l'État dans le coût total du projet ?",
        "Quel est le poids de la contribution de l'État dans le coût total du projet ?",
    ],
)
def test_a_weight_asked_is_a_share(question):
    op = understand(question).computation
    assert op is not None and op.kind == "share"
    assert op.operands[1] == "coût total du projet"


def test_somme_des_names_a_sum_of_the_items():
    op = understand("Quelle est la somme des crédits de l'axe 1 et de l'axe 3 en 2022 ?").computation
    assert op is not None and op.kind == "sum" and op.items == ["axe 1", "axe 3"]


def test_a_role_noun_need_not_be_in_the_corpus():
    """« contribution » names the figure's role; « zèbres » is what the figure would be of."""
    corpus = {"etat", "region", "feder"}

    def knows(word: str) -> bool:
        return all(term in corpus for term in analyze(word))

    assert compute.known_operand("la contribution de l'État", "fr", knows)
    assert compute.known_operand("l'apport de la région", "fr", knows)
    assert not compute.known_operand("la prime des zèbres", "fr", knows)


# --- answering -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value", "part"),
    [
        ("Quel poids représente la contribution de l'État dans le coût total du projet ?", 27.0, "8,1 millions"),
        ("Que représente la contribution de la région par rapport au coût total du projet ?", 15.0, "4,5 millions"),
    ],
)
def test_a_share_of_a_contribution_the_report_states_without_the_word(engine, question, value, part):
    answer = engine.ask(question)
    assert answer.computed and answer.value == pytest.approx(value)
    assert part in answer.citations[0].quote and "30 millions" in answer.citations[1].quote


def test_the_gap_between_a_contribution_and_celle_of_another(engine):
    answer = engine.ask("Quel est l'écart entre la contribution du FEDER et celle de l'État ?")
    assert answer.computed and answer.value == 4_300_000
    assert "12400000 − 8100000" in ungrouped(answer.answer)


def test_the_sum_of_table_rows_named_by_their_labels(engine):
    answer = engine.ask("Quelle est la somme des crédits de l'axe 1 et de l'axe 3 en 2022 ?")
    assert answer.computed and answer.value == 2_150_000
    assert "1450000 + 700000" in ungrouped(answer.answer)
    assert [c.quote for c in answer.citations[:2]] == ["| Axe 1 Recherche | 1 200 | 1 450 |", "| Axe 3 Énergie | 600 | 700 |"]


def test_a_count_of_those_who_did_not_is_not_the_count_of_those_who_did(engine):
    """The report counts the establishments that accepted; those that did not are not stated."""
    answer = engine.ask("Combien d'établissements n'ont pas accepté la visite inopinée ?")
    assert answer.abstained
    accepted = engine.ask("Combien d'établissements ont accepté la visite inopinée ?")
    assert not accepted.abstained and accepted.value == 312


def test_an_acronym_is_not_missing_from_a_report_that_spells_it_out(engine):
    """« le PO » of a report that says « programme opérationnel » (assistant/lang/fr/acronyms.tsv);
    an acronym the report neither writes nor spells out is still missing."""
    documents = {"bilan.txt"}
    assert _missing_names(engine, understand("Quel est le coût total du projet du PO Val d'Ambre ?"), documents) == {
        "bilan.txt": 0.0
    }
    assert _missing_names(engine, understand("Quel est le coût total du projet du CPER Val d'Ambre ?"), documents) == {
        "bilan.txt": 1.0
    }
