"""What a question asks when it does not say « combien de … »: the kind read from its wording."""

from __future__ import annotations

import pytest

from assistant.lang import lexicon, read_table
from assistant.qa.features import KIND_FIT
from assistant.qa.question import understand


@pytest.mark.parametrize(
    "question, kind",
    [
        ("En dessous de quel seuil de population les communes sont-elles aidées ?", "number"),
        ("Quel est le rapport de dotation par habitant entre les deux strates ?", "number"),
        ("À combien s'établit l'écart entre les deux communes ?", "number"),
        ("À combien s'élève le montant des aides ?", "money"),
        ("How many times higher is the debt than elsewhere?", "number"),
        ("To what ratio should the gap be brought down?", "number"),
        ("Combien de projets ont été aidés ?", "count"),
        ("Quel est le taux de programmation ?", "percent"),
        ("Où en était le taux de programmation fin 2020 ?", "percent"),
        ("Où se trouve le siège de l'agence ?", "entity"),
        ("Sur combien d'années le programme s'étale-t-il ?", "duration"),
        ("En combien d'heures la mission a-t-elle été menée ?", "duration"),
        ("In the chamber's opinion, how many times higher than elsewhere was its long-term debt?", "number"),
        ("Combien de fois plus élevée que la moyenne est sa dette à long terme ?", "number"),
        ("Quel sénateur est l'auteur de la proposition de loi sur la dotation de base ?", "entity"),
        ("Quel est l'encours des dettes bancaires fin 2023 ?", "money"),
        ("Quelle était l'annuité de la dette en 2023 ?", "money"),
    ],
)
def test_the_kind_of_a_figure_question(question, kind):
    assert understand(question).kind == kind


def test_a_number_question_takes_any_figure_but_a_date():
    assert set(KIND_FIT["number"]) == {"count", "money", "percent", "duration", "ratio", "other"}


def test_kind_nouns_name_known_kinds_and_each_noun_once():
    rows = read_table("kind_nouns")
    assert rows and all(len(r) == 2 for r in rows)
    nouns = lexicon().kind_nouns
    assert "seuil" in nouns["number"] and "montant" in nouns["money"]
    flat = [n for group in nouns.values() for n in group]
    assert len(flat) == len(set(flat))


def test_duration_units():
    units = lexicon().duration_units
    assert units["jours"] == "jour" and units["months"] == "mois"


def test_a_counted_noun_makes_a_count_whatever_the_verb():
    assert understand("Combien de projets ont été financés en 2015 ?").kind == "count"
    assert understand("Combien la région a-t-elle versé au titre de l'aide ?").kind == "money"


def test_a_total_or_a_product_asked_is_a_figure():
    assert understand("What was the total workforce of the agency in 2014?").kind == "number"
    assert understand("What was the total grant allocated to the regions in 2014?").kind == "money"
    assert understand("Quel produit l'impôt doit-il rapporter en 2026 ?").kind == "money"


def test_a_sentence_of_another_year_is_marked():
    from assistant.models import Section
    from assistant.qa import features as F
    from assistant.qa.retrieve import Candidate, Query

    text = "La dotation s'élève en 2013 à 41,5 milliards d'euros."
    section = Section(document="r.txt", ordinal=0, heading="", heading_path=[], text=text, start=0, end=len(text))
    c = F.SentenceCandidate(
        Candidate(section=section, start=0, end=len(text), text=text, tokens=frozenset(), coverage=0.5, section_score=1.0, rank=0)
    )
    query = Query(terms=["dotat"], weights={"dotat": 1.0})
    assert F.s_year_mismatch(understand("Quelle était la dotation en 2014 ?"), query, c) == 1.0
    assert F.s_year_match(understand("Quelle était la dotation en 2013 ?"), query, c) == 1.0


def test_group_words_are_read_from_the_data_files():
    lex = lexicon()
    assert lex.number_words["trois"] == 3 and lex.number_words["two"] == 2
    assert "groupes" in lex.group_nouns
    assert understand("Combien de personnes comptent les deux groupes ?").operation == "sum"
    assert understand("Quelle est la contribution totale des trois axes ?").group == (3, "axes")
