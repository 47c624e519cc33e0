"""Tables flattened to one cell per line (scraped HTML), figures grouped by thousands
alone on a line or with thin spaces, and the numbers a question states."""

from __future__ import annotations

from conftest import engine_over

from assistant.analysis.numbers import find_figures
from assistant.facts.tables import find_tables
from assistant.qa.question import understand

FLAT = """Répartition des aides par canton

(en milliers d'euros)

Canton

Nombre de fermes

Aide versée

Aide moyenne

Canton du Nord

1 204

5 310,2

4,41

Canton du Sud

987

3 120,5

3, 16

Canton de l'Est

2 450

9 870,0

4,03

Les aides ont progressé depuis.
"""


def test_a_thousands_figure_alone_on_its_line_is_a_figure_not_pagination():
    assert [f.value for f in find_figures("\n\n4 566 291\n\n")] == [4566291]
    assert find_figures("1 2 3 4 5") == []  # a pagination line stays out


def test_thin_and_narrow_spaces_group_thousands():
    assert [f.value for f in find_figures("1\u2009396\u2009165 €")] == [1396165]
    assert [f.value for f in find_figures("1\u202f396\u202f165")] == [1396165]


def test_a_flat_table_gives_one_fact_per_cell_with_header_and_row_label():
    res = find_tables(FLAT, find_figures(FLAT))
    subjects = {(d.figure.value, d.subject) for d in res.drafts}
    assert (987, "Nombre de fermes — Canton du Sud") in subjects
    assert (9870.0, "Aide versée — Canton de l'Est") in subjects
    # the mistyped "3, 16" keeps its row a row but is no fact
    assert not any(d.subject == "Aide moyenne — Canton du Sud" for d in res.drafts)
    # each cell's sentence is its whole row, as it stands in the text
    row = next(d for d in res.drafts if d.figure.value == 987)
    assert " ".join(FLAT[row.sentence_start : row.sentence_end].split()) == "Canton du Sud 987 3 120,5 3, 16"


def test_a_row_label_with_figures_is_a_label():
    text = "Strate\n\nCommunes\n\nPopulation\n\n0 à 499 habitants\n\n18 845\n\n4 566 291\n\n500 à 999 habitants\n\n7 433\n\n5 271 259\n"
    res = find_tables(text, find_figures(text))
    assert {d.subject for d in res.drafts} >= {"Communes — 0 à 499 habitants", "Population — 500 à 999 habitants"}
    assert not any(d.figure.value == 499 for d in res.drafts)


def test_a_flat_table_cell_answers_a_question_naming_its_row_and_column(tmp_path):
    answer = engine_over(tmp_path, "aides.txt", FLAT).ask("Combien de fermes compte le canton du Sud ?")
    assert answer.value == 987
    assert "Canton du Sud" in answer.citations[0].quote


YEARS = """Coût de la réforme des aides aux fermes

(en millions d'euros)

2031

2032

2033

Canton du Nord

12,5

14,0

15,5

Canton du Sud

8,0

9,5

11,0

Total

20,5

23,5

26,5
"""
"""A flattened table by year whose empty corner cell the scraper dropped, under a money caption."""


def test_a_flat_table_by_year_without_its_corner_cell():
    res = find_tables(YEARS, find_figures(YEARS))
    cells = {(d.subject, d.figure.value, d.figure.unit) for d in res.drafts}
    assert ("2032 — Canton du Sud", 9.5e6, "EUR") in cells  # scaled by the caption « (en millions d'euros) »
    assert ("2033 — Total", 26.5e6, "EUR") in cells
    assert not any(d.figure.value in (2031, 2032, 2033) for d in res.drafts)  # the header's years are no facts


def test_a_flat_table_by_year_answers_a_row_and_a_year(tmp_path):
    answer = engine_over(tmp_path, "reforme.txt", YEARS).ask("Quel serait le coût de la réforme pour le canton du Sud en 2032 ?")
    assert answer.value == 9.5e6 and answer.unit == "EUR"


def test_a_figure_found_by_its_year_and_kind_alone_is_thin_evidence():
    from assistant.models import Fact
    from assistant.qa import features as F
    from assistant.qa.retrieve import Query

    row = "Total 20,5 23,5 26,5"
    cell = Fact(
        document="r.txt",
        section_ordinal=0,
        value=23.5e6,
        kind="money",
        unit="EUR",
        raw="23,5",
        subject="2032 — Total",
        sentence=row,
        sentence_start=0,
        sentence_end=len(row),
        start=9,
        end=13,
        source="table",
    )
    query = Query(terms=["total", "dgf", "region", "2032"], weights={"total": 1.0, "dgf": 4.0, "region": 2.0, "2032": 2.0})
    intent = understand("Quel était le total de la DGF des régions en 2032 ?")
    assert F.thin_evidence(intent, query, F.FactCandidate(fact=cell)) == 1.0  # « total » alone: 1/9, years left out
    named = F.FactCandidate(fact=cell, before=frozenset({"dgf"}))
    assert F.thin_evidence(intent, query, named) == 0.0


def test_a_question_states_grouped_thousands_as_one_number():
    assert understand("Combien de communes de 10 000 à 14 999 habitants ?").numbers == [10000, 14999]


def test_a_scraped_line_break_tag_does_not_end_a_sentence():
    from assistant.analysis.sentences import split_sentences

    text = "Les formations<br />\n\ndébutées en 2011 ont duré en moyenne<br />\n\n4,4 mois. Les stages sont courts.<br />\n\nFin."
    got = [" ".join(text[s:e].split()) for s, e in split_sentences(text)]
    assert got[0] == "Les formations<br /> débutées en 2011 ont duré en moyenne<br /> 4,4 mois."
    assert got[1:] == ["Les stages sont courts.<br />", "Fin."]


def test_a_figure_stated_alone_opens_the_next_sentence():
    from assistant.analysis.sentences import split_sentences

    text = "291,3 M€. C'est le montant des aides versées. Il a 12 ans. Il part."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["291,3 M€. C'est le montant des aides versées.", "Il a 12 ans.", "Il part."]
