"""Near misses: a question whose figure the report does not state, though it states one of the same
kind close by (another item, another year), abstains; the stated one is still answered. One
fictitious report."""

from __future__ import annotations

import pytest
from conftest import engine_over

from assistant.qa.engine import Assistant

RAPPORT = """RAPPORT D'OBSERVATIONS DÉFINITIVES - COMMUNE DE VALBRUNE

1. Les subventions

En 2021, la commune a versé 1,2 million d'euros de subventions aux associations sportives. Les associations culturelles ont reçu 0,4 million d'euros la même année.

2. La dette

L'encours de la dette atteint 18,3 millions d'euros fin 2021, contre 21,0 millions d'euros fin 2018.

3. Les investissements

Le programme pluriannuel d'investissement prévoit 25 millions d'euros de dépenses entre 2022 et 2026, dont 9 millions d'euros pour la rénovation des écoles.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("near"), "rapport.txt", RAPPORT)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Combien la commune a-t-elle versé aux associations sportives en 2021 ?", 1.2e6),
        ("Quel montant le programme prévoit-il pour la rénovation des écoles ?", 9e6),
        ("Quel était l'encours de la dette fin 2018 ?", 21e6),
    ],
)
def test_the_stated_figure_is_answered(engine, question, value):
    answer = engine.ask(question)
    assert not answer.abstained and answer.value == value


@pytest.mark.parametrize(
    "question",
    [
        "Combien la commune a-t-elle versé aux associations environnementales en 2021 ?",
        "Quel montant le programme prévoit-il pour la rénovation des gymnases ?",
        "Quel était l'encours de la dette fin 2020 ?",
    ],
)
def test_another_item_or_year_of_the_same_kind_abstains(engine, question):
    assert engine.ask(question).abstained
