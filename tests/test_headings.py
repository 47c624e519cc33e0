"""The title of an item a question names by its number, read from the line that opens with that
number (assistant/qa/headings.py), on a fictitious referential."""

from __future__ import annotations

import pytest
from conftest import engine_over

from assistant.qa.engine import Assistant
from assistant.qa.headings import asks_title
from assistant.qa.question import understand

REFERENTIEL = """Référentiel des jardins partagés de Valbrune

Sommaire

2.1.3 Ouvrir les jardins aux écoles ........ 4
3.2 Réduire l'arrosage 7

1 - Gouvernance

1.1 Piloter le programme

La commune réunit un comité de pilotage deux fois par an. La mesure 2.1.3 complète ce dispositif.

2 - Accès

2.1 Publics

2.1.3 Ouvrir les jardins aux écoles

Chaque école du quartier dispose d'une parcelle réservée.

3 - Ressources

3.2 - Réduire l'arrosage des parcelles

Les jardiniers récupèrent l'eau de pluie.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_over(tmp_path_factory.mktemp("headings"), "referentiel.txt", REFERENTIEL)


@pytest.mark.parametrize(
    "question",
    [
        "Quel est l'intitulé de la mesure 2.1.3 du référentiel des jardins partagés ?",
        "Comment s'intitule la mesure 2.1.3 du référentiel des jardins ?",
        "What is the title of measure 2.1.3 of the shared gardens referential?",
    ],
)
def test_the_title_of_a_numbered_measure_is_its_heading_line(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained
    assert answer.answer == "2.1.3 Ouvrir les jardins aux écoles"
    quote = answer.citations[0].quote
    assert quote == "2.1.3 Ouvrir les jardins aux écoles"  # the heading, not the table of contents' entry
    assert "Accès" in answer.citations[0].section


def test_a_dash_after_the_number_and_an_entry_of_the_contents_only():
    """« 3.2 - Réduire … » is a title line; a heading stated only in the contents still answers."""
    text = "Sommaire\n\n4.4 Planter des haies ........ 9\n\n3.2 - Réduire l'arrosage\n\nLes jardiniers récupèrent l'eau.\n"
    from assistant.ingest.noise import is_contents_line
    from assistant.qa.headings import _title_line

    assert _title_line("3.2").search(text).group("line") == "3.2 - Réduire l'arrosage"
    entry = _title_line("4.4").search(text)
    assert entry is not None and is_contents_line(entry.group(0).strip())
    dated = _title_line("1.4").search("1.4 Réduire les émissions d'ici 2030\n")
    assert dated is not None and not is_contents_line(dated.group(0).strip())  # a year is no page number
    assert _title_line("3").search(text) is None  # « 3.2 » is not item 3


def test_only_a_title_of_a_numbered_item_is_read_so():
    assert asks_title(understand("Quel est l'intitulé de la mesure 2.1.3 ?"))
    assert not asks_title(understand("Quel est l'intitulé du référentiel ?"))  # no number named
    assert not asks_title(understand("Combien de parcelles compte la mesure 2.1.3 ?"))  # a figure asked


def test_a_number_no_line_opens_with_is_answered_otherwise(engine):
    answer = engine.ask("Quel est l'intitulé de la mesure 9.9.9 du référentiel des jardins ?")
    assert "9.9.9" not in answer.answer


DESCRIBED = "Quel numéro porte, dans le référentiel des jardins partagés, la mesure consistant à ouvrir les jardins aux écoles ?"


def test_the_number_of_a_described_item_is_read_from_its_line(engine):
    answer = engine.ask(DESCRIBED)
    assert answer.answer == "2.1.3 Ouvrir les jardins aux écoles"
    assert answer.citations[0].quote == answer.answer


def test_the_sub_item_made_of_the_words_asked_not_its_parent(tmp_path):
    """« 2.1 Publics : ouvrir les jardins aux écoles et aux associations » holds the words too, among others."""
    more = REFERENTIEL.replace("2.1 Publics", "2.1 Publics : ouvrir les jardins aux écoles et aux associations")
    answer = engine_over(tmp_path, "referentiel.txt", more).ask(DESCRIBED)
    assert answer.answer == "2.1.3 Ouvrir les jardins aux écoles"


def test_a_described_item_no_title_names_gets_no_number(engine):
    answer = engine.ask(
        "Quel numéro porte, dans le référentiel des jardins partagés, la mesure consistant à protéger les girafes ?"
    )
    assert not answer.answer.startswith(("1.1", "2.1", "3.2"))
