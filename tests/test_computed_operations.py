"""Computed answers of every operation on fictitious reports, in French and English: deductions,
shares, averages, growth rates, differences over table columns and years (pipe, one-cell-per-line,
HTML and Word tables), a whole from the figures the question states; the reading of each operation;
a stated result preferred to the computed one, and an operand that is missing named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import engine_over, ungrouped

from assistant.qa.engine import Assistant
from assistant.qa.question import understand

PROGRAMME = (
    "PROGRAMME OPÉRATIONNEL DE LA VALLÉE VERTE\n\n"
    "1. Maquette financière\n\n"
    "Le budget total du programme s'élève à 500 millions d'euros. La participation du FEDER atteint 200 millions "
    "d'euros. La contribution régionale est de 120 millions d'euros.\n\n"
    "2. Fonds de soutien aux artisans\n\n"
    "Le fonds de soutien aux artisans a distribué 3 millions d'euros à 150 bénéficiaires.\n\n"
    "3. Fonctionnement\n\n"
    "Les dépenses de fonctionnement sont passées de 40 millions d'euros en 2020 à 46 millions d'euros en 2021.\n"
)
"""A programme whose figures are stated in parts."""

PRIMES = (
    "BILAN DES PRIMES À L'EMBAUCHE\n\n"
    "1. Enveloppe\n\n"
    "L'enveloppe des primes à l'embauche a atteint 2 millions d'euros, versés à 100 entreprises.\n\n"
    "2. Montant moyen\n\n"
    "En moyenne, chaque entreprise a reçu une prime de 21 000 euros.\n"
)
"""A report that states an average (which differs from total ÷ count)."""


INNOVATION_FUND = (
    "BILAN DU FONDS D'INNOVATION\n\nRéalisations\n\n"
    "Entre 2016 et 2020, le fonds d'innovation a soutenu 250 projets pour un montant total de 50 M€.\n"
)
"""A total stated for a period: averages per year."""
LORRAINE = (
    "PROGRAMME RÉGIONAL DE LORRAINE\n\n1. Budget\n\nLe programme de Lorraine dispose d'un budget de 300 millions d'euros.\n"
)
"""One of two regional reports compared."""


def _engine(root: Path, files: dict[str, str | bytes]) -> Assistant:
    (root / "docs").mkdir(parents=True)
    for name, content in files.items():
        path = root / "docs" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    engine = Assistant(root / "index")
    engine.index([root / "docs"])
    return engine


EMPLOI = (
    "SITUATION DE L'EMPLOI DANS LE BASSIN\n\n"
    "1. Chômage\n\n"
    "Le taux de chômage du bassin est passé de 9,5 % en 2019 à 7,9 % en 2021.\n\n"
    "2. Enveloppe de l'axe Emploi\n\n"
    "L'enveloppe de l'axe Emploi est de 10 millions d'euros, dont 7 millions d'euros programmés.\n"
)
"""Two percents of two years, and an envelope partly programmed."""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    files: dict[str, str | bytes] = {"vallee.txt": PROGRAMME, "primes.txt": PRIMES, "emploi.txt": EMPLOI}
    return _engine(tmp_path_factory.mktemp("operations"), files)


# --- reading the operation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind", "operands"),
    [
        (
            "Quel montant du budget n'est couvert ni par le FEDER ni par la contribution régionale ?",
            "difference",
            ["total", "le FEDER", "la contribution régionale"],
        ),
        (
            "Quel montant reste-t-il une fois déduite la participation du FEDER ?",
            "difference",
            ["total", "la participation du FEDER"],
        ),
        (
            "How much of the budget is left after deducting the ERDF contribution?",
            "difference",
            ["total", "the ERDF contribution"],
        ),
        (
            "Quelle part (en %) du budget total la participation du FEDER représente-t-elle ?",
            "share",
            ["la participation du FEDER", "budget total"],
        ),
        (
            "What share of the total budget came from the ERDF contribution?",
            "share",
            ["the ERDF contribution", "the total budget"],
        ),
        ("Quel est le montant moyen par bénéficiaire du fonds ?", "average", ["total", "bénéficiaire"]),
        ("What is the average amount per beneficiary of the fund?", "average", ["total", "beneficiary"]),
        ("Quel est le coût moyen d'un projet du fonds ?", "average", ["total", "projet"]),
        ("What is the average cost of a project of the fund?", "average", ["total", "project"]),
    ],
)
def test_the_operation_and_its_operands_are_read_from_the_question(question, kind, operands):
    computation = understand(question).computation
    assert computation is not None and computation.kind == kind
    assert computation.operands == operands


def test_a_balance_between_two_amounts_is_a_difference_of_the_two():
    computation = understand("Quel est le solde entre les recettes et les dépenses de la régie ?").computation
    assert computation is not None and computation.kind == "difference"
    assert computation.items == ["recettes", "dépenses"]


def test_a_mean_duration_is_no_computed_average():
    """« la durée moyenne d'une formation » is a stated figure: only amounts are averaged per item."""
    assert understand("Quelle est la durée moyenne d'une formation ?").computation is None
    assert "coût" in understand("Quel est le coût moyen d'un projet du fonds ?").computation.scope


@pytest.mark.parametrize(
    "question",
    [
        "De combien en % les dépenses ont-elles augmenté entre 2020 et 2021 ?",
        "By what percentage did operating expenditure rise between 2020 and 2021?",
    ],
)
def test_a_growth_rate_is_read(question):
    intent = understand(question)
    assert (intent.operation, intent.kind) == ("growth", "percent")


def test_those_who_did_not_out_of_a_stated_whole_read_as_a_complement():
    intent = understand("Combien des 750 adhérents n'ont pas indiqué leur commune ?")
    assert intent.computation is not None and intent.computation.kind == "complement"
    assert intent.operation == "lookup" and intent.numbers == [750]


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le budget total du programme ?",
        "Quelle est la participation du FEDER ?",
        "Combien de bénéficiaires le fonds a-t-il aidés ?",
        "What is the total budget of the programme?",
    ],
)
def test_a_plain_figure_question_reads_no_operation(question):
    intent = understand(question)
    assert intent.computation is None and intent.operation == "lookup"


def test_a_share_of_several_joined_items_is_read_as_stated():
    """« quel pourcentage représentent le crédit d'impôt et les prêts dans l'aide » names two items:
    the report's own percent answers, never a share computed from one of them."""
    question = "Quel pourcentage représentent le crédit d'impôt et les prêts bancaires dans l'aide à l'innovation ?"
    assert understand(question).operation != "share"


def test_what_remains_to_be_paid_is_read_as_a_whole_less_what_was_paid():
    computation = understand("What is the remaining amount to be paid?").computation
    assert computation is not None and computation.kind == "difference"


def test_an_operand_is_the_figure_its_words_complement(tmp_path):
    """« dont 30 M€ de FEDER et 20 M€ de la Région »: FEDER stands by both figures; it is the
    complement of the first (« 30 M€ de FEDER »), which is the part deducted."""
    engine = engine_over(
        tmp_path,
        "bilan.txt",
        "BILAN DU PROGRAMME\n\nFinancement\n\n"
        "Le coût total du programme s'élève à 80 M€, dont 30 M€ de FEDER et 20 M€ de la Région.\n",
    )
    answer = engine.ask("Quel est le coût total du programme une fois déduite la part FEDER ?")
    assert answer.computed and answer.value == 50_000_000
    answer = engine.ask("Quel est le coût total du programme une fois déduite la part de la Région ?")
    assert answer.computed and answer.value == 60_000_000


# --- computing -------------------------------------------------------------------------------


def _operands_cited(answer, *quotes: str) -> None:
    """Every operand is cited, the first citation quoting the first operand."""
    cited = " ".join(c.quote for c in answer.citations)
    assert all(q in cited for q in quotes), answer.citations
    assert quotes[0] in answer.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "Quel montant du budget du programme n'est couvert ni par le FEDER ni par la contribution régionale ?",
        "How much of the programme budget is covered neither by the ERDF nor by the regional contribution?",
    ],
)
def test_a_whole_less_two_parts(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 180_000_000
    assert "500000000 − 200000000 − 120000000 = " in ungrouped(answer.answer)
    _operands_cited(answer, "500 millions", "200 millions", "120 millions")


@pytest.mark.parametrize(
    "question",
    [
        "Quel montant du budget du programme reste-t-il une fois déduite la participation du FEDER ?",
        "Quel montant du budget du programme reste-t-il une fois la participation du FEDER déduite ?",
        "How much of the programme budget is left after deducting the ERDF contribution?",
        "What remains of the programme budget once the ERDF contribution is deducted?",
        "How much of the programme budget was left once the ERDF contribution was deducted?",
        "What is the programme budget net of the ERDF contribution?",
        "Quel est le budget total du programme, participation du FEDER déduite ?",
    ],
)
def test_a_whole_less_one_part_in_both_languages(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 300_000_000
    _operands_cited(answer, "500 millions", "200 millions")


@pytest.mark.parametrize(
    "question",
    [
        "Quelle part (en %) du budget total la participation du FEDER représente-t-elle ?",
        "Quelle part du FEDER dans le budget total du programme ?",
        "Quel pourcentage du budget total représente la participation du FEDER ?",
        "La participation du FEDER représente quelle part du budget total ?",
        "Quelle est la part du FEDER dans le budget total du programme ?",
        "What share of the total budget came from the ERDF contribution, in percent?",
        "What percentage of the total budget was the ERDF contribution?",
        "What percentage of the total budget does the ERDF contribution represent?",
        "What is the share of the ERDF contribution in the total budget?",
        "Quelle part représente la participation du FEDER dans le budget total du programme ?",
        "Quelle part du budget total du programme est financée par la participation du FEDER ?",
        "What share of the total budget of the programme is funded by the ERDF contribution?",
    ],
)
def test_a_share_of_a_found_whole(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 40 and answer.unit == "%"
    assert "200000000 ÷ 500000000 × 100" in ungrouped(answer.answer)
    _operands_cited(answer, "200 millions", "500 millions")


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le montant moyen par bénéficiaire du fonds de soutien aux artisans ?",
        "Combien chaque bénéficiaire du fonds de soutien aux artisans a-t-il reçu en moyenne ?",
        "Quel est le montant moyen d'une aide du fonds de soutien aux artisans par bénéficiaire ?",
        "What is the average amount per beneficiary of the support fund for craftsmen?",
        "What is the average amount of the support fund for craftsmen per beneficiary?",
        "Quel montant moyen le fonds de soutien aux artisans a-t-il accordé à chaque bénéficiaire ?",
        "Quelle est l'aide moyenne d'un bénéficiaire du fonds de soutien aux artisans ?",
        "What was the average grant to each beneficiary of the support fund for craftsmen?",
    ],
)
def test_an_average_is_the_total_over_the_count(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 20_000 and answer.unit == "EUR"
    assert "3000000 ÷ 150" in ungrouped(answer.answer)
    _operands_cited(answer, "3 millions d'euros à 150 bénéficiaires")


def test_a_stated_average_is_answered_and_the_computed_one_flagged(engine):
    answer = engine.ask("Quel est le montant moyen de la prime par entreprise ?")
    assert not answer.computed and answer.value == 21_000
    assert [c.value for c in answer.conflicts] == [20_000]


@pytest.mark.parametrize(
    "question",
    [
        "De combien en % les dépenses de fonctionnement ont-elles augmenté entre 2020 et 2021 ?",
        "Quelle a été l'évolution en % des dépenses de fonctionnement entre 2020 et 2021 ?",
        "By what percentage did operating expenditure rise between 2020 and 2021?",
        "What was the growth rate of operating expenditure between 2020 and 2021?",
        "Quelle a été l'augmentation en pourcentage des dépenses de fonctionnement entre 2020 et 2021 ?",
    ],
)
def test_a_growth_rate_between_two_years(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 15 and answer.unit == "%"
    assert "(46000000 − 40000000) ÷ 40000000 × 100" in ungrouped(answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Combien d'euros de plus la commune a-t-elle dépensé en fonctionnement en 2021 qu'en 2020 ?",
        "Quel montant supplémentaire de dépenses de fonctionnement en 2021 par rapport à 2020 ?",
        "How much more was spent on operating expenditure in 2021 than in 2020?",
        "Quelle a été la variation des dépenses de fonctionnement entre 2020 et 2021 ?",
        "Quelle a été l'évolution des dépenses de fonctionnement de 2020 à 2021 ?",
        "What was the change in operating expenditure between 2020 and 2021?",
    ],
)
def test_a_difference_between_two_years(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 6_000_000
    assert "46000000 − 40000000" in ungrouped(answer.answer)


def test_what_remains_to_be_done_of_an_envelope(engine):
    answer = engine.ask("Combien reste-t-il à programmer sur l'enveloppe de l'axe Emploi ?")
    assert answer.computed and answer.value == 3_000_000
    assert "10000000 − 7000000" in ungrouped(answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "De combien de points le taux de chômage du bassin a-t-il baissé entre 2019 et 2021 ?",
        "By how many points did the unemployment rate of the area fall between 2019 and 2021?",
    ],
)
def test_a_difference_of_two_percents_in_points(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == pytest.approx(1.6) and answer.unit == "%"
    assert ("9,5 − 7,9" if answer.lang == "fr" else "9.5 − 7.9") in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Sachant que 165 M€ représentent 55 % du budget, quel est le budget total ?",
        "Sachant que 165 millions d'euros représentent 55 % du budget, quel est le budget total ?",
        "Given that 165 M€ make up 55 % of the budget, what is the total budget?",
        "Given that €165 million make up 55% of the budget, what is the total budget?",
    ],
)
def test_a_whole_from_the_figures_the_question_states(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 300_000_000 and answer.unit == "EUR"


@pytest.mark.parametrize(
    "question",
    [
        "Sachant que le FEDER finance 40 % du budget total du programme, quel montant apporte-t-il ?",
        "If the ERDF pays 40% of the total budget of the programme, how much does it contribute?",
    ],
)
def test_a_stated_percent_of_a_found_whole(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 200_000_000
    assert "500000000 × 40 ÷ 100" in ungrouped(answer.answer)
    assert "500 millions" in answer.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "Quelle part représente l'apport FEDER de 300 000 € sur un coût total de 1,2 M€ ?",
        "What share is an ERDF grant of €300,000 out of a total cost of €1.2 million?",
    ],
)
def test_the_share_of_two_amounts_the_question_states(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 25 and answer.unit == "%"


def test_a_span_of_two_amounts_is_no_share():
    assert understand("Quel est le taux de subvention des projets entre 10 000 € et 50 000 € ?").computation is None


def test_a_percent_the_question_names_without_a_given_is_no_operand():
    assert understand("Combien d'entreprises représentent 40 % des emplois ?").computation is None


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Quelle part (en %) du budget total la subvention des zèbres représente-t-elle ?", "la subvention des zèbres"),
        ("Quel montant du budget du programme reste-t-il une fois déduite la prime aux zèbres ?", "la prime aux zèbres"),
    ],
)
def test_an_operand_not_in_the_corpus_is_named_not_computed(engine, question, named):
    answer = engine.ask(question)
    assert answer.abstained and not answer.computed and answer.value is None
    assert named in answer.answer


# --- tables in each format -----------------------------------------------------------------------

YEARS = [
    ["Recettes", "2019", "2020", "2021"],
    ["Impôts locaux", "1 000 000 €", "1 100 000 €", "1 250 000 €"],
    ["Dotations de l'État", "700 000 €", "690 000 €", "640 000 €"],
]
COLUMNS = [
    ["Axe", "Programmé", "Engagé", "Payé", "Réalisé"],
    ["Axe 1 – Innovation", "1 200 000 €", "1 100 000 €", "950 000 €", "900 000 €"],
    ["Axe 2 – Mobilité", "800 000 €", "760 000 €", "700 000 €", "650 000 €"],
]
INTRO = "Le compte administratif de la commune retrace l'exécution du budget communal."


def _pipe(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def _html(rows: list[list[str]]) -> str:
    cells = ("".join(f"<{t}>{c}</{t}>" for c in r) for r, t in zip(rows, ["th"] + ["td"] * len(rows)))
    return "<table>" + "".join(f"<tr>{r}</tr>" for r in cells) + "</table>"


def _docx(tables: list[tuple[str, list[list[str]]]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading("Compte administratif", level=0)
    document.add_paragraph(INTRO)
    for title, rows in tables:
        document.add_heading(title, level=1)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _report(fmt: str, tables: list[tuple[str, list[list[str]]]]) -> dict[str, str | bytes]:
    if fmt == "pipe":
        body = "".join(f"## {title}\n\n{_pipe(rows)}\n\n" for title, rows in tables)
        return {"compte.md": f"# Compte administratif\n\n{INTRO}\n\n{body}"}
    if fmt == "cells":
        body = "".join(
            f"{i}. {title}\n\n" + "\n\n".join(c for r in rows for c in r) + "\n\n" for i, (title, rows) in enumerate(tables, 1)
        )
        return {"compte.txt": f"COMPTE ADMINISTRATIF\n\n{INTRO}\n\n{body}"}
    if fmt == "html":
        body = "".join(f"<h2>{title}</h2>{_html(rows)}" for title, rows in tables)
        return {"compte.html": f"<html><body><h1>Compte administratif</h1><p>{INTRO}</p>{body}</body></html>"}
    return {"compte.docx": _docx(tables)}


@pytest.mark.parametrize("fmt", ["pipe", "cells", "html", "docx"])
def test_a_difference_between_two_columns_of_a_row(tmp_path, fmt):
    engine = _engine(tmp_path, _report(fmt, [("Exécution par axe", COLUMNS)]))
    answer = engine.ask("Quel est l'écart entre le montant engagé et le montant payé de l'axe 2 ?")
    assert answer.computed and answer.value == 60_000
    assert "760000 − 700000" in ungrouped(answer.answer)
    assert "760 000" in answer.citations[0].quote
    answer = engine.ask("How much more was programmed than achieved for axis 1?")
    assert answer.computed and answer.value == 300_000 and answer.lang == "en"


@pytest.mark.parametrize("fmt", ["pipe", "html", "docx"])
def test_a_difference_between_two_year_columns(tmp_path, fmt):
    engine = _engine(tmp_path, _report(fmt, [("Recettes communales", YEARS)]))
    answer = engine.ask("De combien les impôts locaux ont-ils augmenté entre 2019 et 2021 ?")
    assert answer.computed and answer.value == 250_000
    assert "1250000 − 1000000" in ungrouped(answer.answer)
    answer = engine.ask("By how much did the State grants fall between 2019 and 2021?")
    assert answer.computed and answer.value == 60_000


TOTALS = (
    "# Bilan des axes\n\nLe programme finance trois axes prioritaires.\n\n## Aide par axe\n\n"
    "| Axe | Aide régionale |\n|---|---|\n| Axe 1 – Écoles | 10 000 000 € |\n| Axe 2 – Routes | 20 000 000 € |\n"
    "| Axe 3 – Ports | 30 000 000 € |\n| Total | 62 000 000 € |\n"
)
"""A table whose total row states another figure than the sum of its rows."""


@pytest.mark.parametrize(
    "question", ["Quelle est l'aide régionale totale des trois axes ?", "What is the total regional aid of the three axes?"]
)
def test_a_stated_total_is_answered_and_the_computed_sum_flagged(tmp_path, question):
    engine = _engine(tmp_path, {"axes.md": TOTALS})
    answer = engine.ask(question)
    assert answer.value == 62_000_000 and not answer.computed
    assert "62 000 000" in answer.citations[0].quote
    assert [c.value for c in answer.conflicts] == [60_000_000]


def test_a_sum_over_a_group_is_computed_without_a_total_row(tmp_path):
    engine = _engine(tmp_path, {"axes.md": TOTALS.rsplit("| Total", 1)[0]})
    answer = engine.ask("Quelle est l'aide régionale totale des trois axes ?")
    assert answer.computed and answer.value == 60_000_000
    assert "10000000 + 20000000 + 30000000" in ungrouped(answer.answer)
    assert "10 000 000" in answer.citations[0].quote


RANGES = [
    ["Strate", "Nombre de communes", "Population"],
    ["Moins de 500 habitants", "1 200", "310 000"],
    ["500 à 999 habitants", "800", "560 000"],
    ["1 000 à 4 999 habitants", "450", "980 000"],
    ["5 000 habitants et plus", "90", "1 400 000"],
]
"""Rows labelled by ranges of population."""


@pytest.mark.parametrize("fmt", ["pipe", "html", "docx"])
def test_a_sum_over_the_rows_under_a_bound(tmp_path, fmt):
    engine = _engine(tmp_path, _report(fmt, [("Communes par strate", RANGES)]))
    answer = engine.ask("Combien de communes comptent moins de 1 000 habitants ?")
    assert answer.computed and answer.value == 2_000
    assert "1200 + 800" in ungrouped(answer.answer)
    answer = engine.ask("How many communes have at least 1,000 inhabitants?")
    assert answer.computed and answer.value == 540


def test_a_bound_no_row_range_answers_is_read_as_stated(engine):
    answer = engine.ask("Combien d'entreprises ont reçu plus de 1 000 euros de prime ?")
    assert not answer.computed


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le taux de programmation (en %) de l'axe Emploi ?",
        "What is the programming rate of the Emploi axis, in percent?",
    ],
)
def test_a_rate_the_report_does_not_state_is_computed_from_its_terms(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 70 and answer.unit == "%"
    assert "7000000 ÷ 10000000 × 100" in ungrouped(answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Combien le FEDER et la contribution régionale apportent-ils ensemble ?",
        "En additionnant la participation du FEDER et la contribution régionale, quel montant obtient-on ?",
        "Quel est le montant cumulé de la participation du FEDER et de la contribution régionale ?",
        "What is the combined amount of the ERDF contribution and the regional contribution?",
        "How much do the ERDF and the regional contribution add up to?",
    ],
)
def test_a_sum_of_two_named_amounts_in_each_phrasing(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 320_000_000
    assert "200000000 + 120000000" in ungrouped(answer.answer)
    _operands_cited(answer, "200 millions", "120 millions")


@pytest.mark.parametrize(
    "question",
    [
        "Quel est l'écart entre le budget total et la participation du FEDER ?",
        "How much more is the total budget than the ERDF contribution?",
    ],
)
def test_a_difference_of_two_named_amounts(engine, question):
    answer = engine.ask(question)
    assert answer.computed and answer.value == 300_000_000
    _operands_cited(answer, "500 millions", "200 millions")


def test_named_items_across_the_reports_that_state_them(tmp_path):
    engine = _engine(
        tmp_path,
        {
            "lorraine.txt": LORRAINE,
            "alsace.txt": "PROGRAMME RÉGIONAL D'ALSACE\n\n1. Budget\n\nLe programme d'Alsace dispose d'un budget de 250 millions d'euros.\n",
        },
    )
    answer = engine.ask("Quel est le budget cumulé des programmes de Lorraine et d'Alsace ?")
    assert answer.computed and answer.value == 550_000_000
    assert {c.document for c in answer.citations} == {"lorraine.txt", "alsace.txt"}
    assert "300 millions" in answer.citations[0].quote
    answer = engine.ask("Quel est l'écart entre le budget de Lorraine et celui d'Alsace ?")
    assert answer.computed and answer.value == 50_000_000
    assert "300000000 − 250000000" in ungrouped(answer.answer)
    # the two names compared on each side of « que »
    answer = engine.ask("Combien d'euros de plus le programme de Lorraine a-t-il reçu que celui d'Alsace ?")
    assert answer.computed and answer.value == 50_000_000


@pytest.mark.parametrize(
    "question",
    [
        "Combien d'euros de plus le programme de Lorraine a-t-il reçu que celui d'Alsace ?",
        "How much larger is the budget of the Lorraine programme than the budget of the Alsace programme?",
        "Combien de fois le budget du programme de Lorraine est-il plus élevé que celui d'Alsace ?",
    ],
)
def test_the_names_compared_on_each_side_of_que_are_the_items(question):
    assert understand(question).items == ["Lorraine", "Alsace"]


def test_a_comparative_is_no_typo_of_its_adjective():
    """ "larger" comes from "large": it is read as an inflection, not respelled."""
    from assistant.qa.question import correct_english_typos, english_bases

    assert "large" in english_bases("larger") and "high" in english_bases("highest")
    assert correct_english_typos("How much larger is the budget?")[1] == {}


def test_how_many_times_is_never_answered_by_a_figure_that_is_no_multiple(tmp_path):
    """The two figures compared are not found together: « 300 M€ » is no answer to « combien de fois »."""
    engine = engine_over(
        tmp_path,
        "lorraine.txt",
        LORRAINE,
    )
    answer = engine.ask("Combien de fois le budget du programme de Lorraine est-il plus élevé que celui d'Alsace ?")
    assert answer.abstained and answer.value is None


MEDIATION = (
    "RAPPORT DU MÉDIATEUR\n\n1. Réclamations\n\nLe médiateur a reçu 500 réclamations en 2022. "
    "Parmi elles, 300 ont donné lieu à une instruction et pour 40 % d'entre elles une médiation a abouti.\n\n"
    "2. Délais\n\nLe délai de traitement reste stable depuis 2019.\n"
)
"""A count stated as a percent of another ("pour 40 % d'entre elles")."""


@pytest.mark.parametrize(
    "question",
    [
        "Combien environ des réclamations instruites ont abouti à une médiation ?",
        "Approximately how many of the investigated complaints ended in a successful mediation?",
    ],
)
def test_an_estimated_count_is_the_percent_of_the_count_before_it(tmp_path, question):
    engine = _engine(tmp_path, {"mediateur.txt": MEDIATION})
    answer = engine.ask(question)
    assert answer.computed and answer.value == 120
    assert "300 × 40 ÷ 100" in ungrouped(answer.answer)


def test_a_follow_up_computes_in_its_own_year(tmp_path):
    from assistant.qa.conversation import Conversation

    engine = _engine(
        tmp_path,
        {
            "dotations.txt": "DOTATIONS DE L'ÉTAT\n\n1. Exercice 2022\n\nEn 2022, la dotation totale atteint 400 millions "
            "d'euros. En 2022, la dotation rurale atteint 100 millions d'euros.\n\n2. Exercice 2023\n\nEn 2023, la dotation "
            "totale atteint 500 millions d'euros. En 2023, la dotation rurale atteint 150 millions d'euros.\n"
        },
    )
    conversation = Conversation()
    first = engine.ask("En 2022, quelle part (en %) de la dotation totale la dotation rurale représentait-elle ?", conversation)
    assert first.computed and first.value == 25
    follow = engine.ask("Et en 2023 ?", conversation)
    assert follow.follow_up_of is not None
    assert follow.computed and follow.value == 30


def test_the_formula_is_written_in_the_reader_s_language():
    from assistant.qa.compose import computed_sentence

    fr = computed_sentence(300_000.0, "EUR", "4\u202f200\u202f000 − 3\u202f900\u202f000,5", [], "fr")
    en = computed_sentence(300_000.0, "EUR", "4\u202f200\u202f000 − 3\u202f900\u202f000,5", [], "en")
    assert "calculé : 4200000 − 3900000,5 = 300000 €" in ungrouped(fr)
    assert "computed: 4,200,000 − 3,900,000.5 = €300,000" in en


@pytest.mark.parametrize(
    "question",
    [
        "Combien de projets le fonds d'innovation a-t-il soutenus en moyenne par an entre 2016 et 2020 ?",
        "How many projects did the innovation fund support per year on average between 2016 and 2020?",
        "Quelle est la moyenne annuelle des projets soutenus par le fonds d'innovation entre 2016 et 2020 ?",
        "How many projects did the innovation fund support on average each year between 2016 and 2020?",
    ],
)
def test_an_average_per_year_divides_by_the_years_of_the_period(tmp_path, question):
    """« en moyenne par an entre 2016 et 2020 »: the total ÷ the five years the question names
    (both ends counted), not ÷ a count of years the report would state."""
    engine = engine_over(
        tmp_path,
        "fonds.txt",
        INNOVATION_FUND,
    )
    intent = understand(question)
    assert intent.computation is not None and intent.computation.stated == [5.0]
    answer = engine.ask(question)
    assert answer.computed and answer.value == 50
    assert "250 ÷ 5 (2016–2020)" in answer.answer
    assert answer.citations and "250 projets" in answer.citations[0].quote


MULTIPLES = (
    "DOTATIONS DES COMMUNES\n\nÉcarts\n\n"
    "La dotation par habitant des grandes communes atteint 128 €, contre 64 € pour les petites communes.\n"
    "Le budget du syndicat était de 12 M€ en 2010 et de 30 M€ en 2020.\n"
    "Les aides aux artisans sont 3,5 fois plus élevées que celles versées aux commerçants.\n"
)
"""How many times one figure is another: computed from two figures, or stated (« 3,5 fois »)."""


@pytest.mark.parametrize(
    ("question", "value", "formula"),
    [
        ("Par combien le budget du syndicat a-t-il été multiplié entre 2010 et 2020 ?", 2.5, "30000000 ÷ 12000000"),
        ("By what factor did the budget of the syndicate grow between 2010 and 2020?", 2.5, "30000000 ÷ 12000000"),
        (
            "Combien de fois la dotation par habitant des grandes communes est-elle plus élevée que celle des petites communes ?",
            2,
            "128 ÷ 64",
        ),
        ("How many times higher is the per-inhabitant grant of large towns than that of small towns?", 2, "128 ÷ 64"),
    ],
)
def test_how_many_times_one_figure_is_another(tmp_path, question, value, formula):
    """The later over the earlier of two years asked, else the larger over the smaller; both cited."""
    assert understand(question).operation == "times"
    engine = engine_over(tmp_path, "dotations.txt", MULTIPLES)
    answer = engine.ask(question)
    assert answer.computed and answer.value == value
    assert formula in ungrouped(answer.answer)
    assert len(answer.citations) == 1  # both figures stand in one sentence, cited once


def test_a_multiple_the_report_states_is_answered_as_stated(tmp_path):
    engine = engine_over(tmp_path, "dotations.txt", MULTIPLES)
    answer = engine.ask("Combien de fois les aides aux artisans sont-elles plus élevées que celles versées aux commerçants ?")
    assert not answer.computed and answer.value == 3.5


def test_an_english_word_is_not_respelled_into_its_own_plural():
    """ "factor" is no typo of "factors": an inflection of the word itself is no respelling."""
    from assistant.qa.question import correct_english_typos

    assert correct_english_typos("By what factor did the budget grow?")[1] == {}
    assert correct_english_typos("What was the operating expenditre?")[1] == {"expenditre": "expenditure"}


def test_a_plural_rapportes_au_asks_for_a_ratio():
    assert understand("Que représentent, rapportés au budget total, les crédits du FEDER ?").operation == "ratio"


@pytest.mark.parametrize(
    "question",
    [
        "Quelle part du coût total du programme le FEDER et la Région financent-ils ensemble ?",
        "What share of the total cost of the programme do the ERDF and the Region fund together?",
    ],
)
def test_the_share_of_a_sum_of_named_items(tmp_path, question):
    """No percent is stated for the items: their amounts are added up, then taken as a share of the
    whole the question names; the three figures cited, the items first."""
    engine = engine_over(
        tmp_path,
        "bilan.txt",
        "BILAN DU PROGRAMME\n\nFinancement\n\n"
        "Le coût total du programme s'élève à 80 M€, dont 30 M€ de FEDER et 20 M€ de la Région.\n",
    )
    computation = understand(question).computation
    assert computation is not None and computation.items == ["FEDER", "Région"] and computation.of_whole
    answer = engine.ask(question)
    assert answer.computed and answer.value == 62.5 and answer.unit == "%"
    assert "(30000000 + 20000000) ÷ 80000000 × 100" in ungrouped(answer.answer)


def test_the_multiple_and_complement_words_are_read_from_their_data_files():
    """assistant/lang/fr/multiple_cues.tsv and complement_links.txt, as the computations read them."""
    from assistant.lang import read_list, read_table
    from assistant.qa.compute import _complement, _multiple_cues

    sides = {side for side, _ in read_table("multiple_cues")}
    assert sides == {"after", "before"}
    after, before = _multiple_cues()
    assert after.match(" fois plus") and after.match(" times higher") and not after.match(" foisonnant")
    assert before.search("a ete multiplie par ") and before.search("multiplied by ")
    assert "de" in read_list("complement_links") and "of" in read_list("complement_links")
    assert _complement().match(" de FEDER et ").group("words").strip() == "FEDER et"
    assert _complement().match(" desormais") is None


def test_an_average_per_year_needs_a_total_of_that_very_period(tmp_path):
    """A total stated for 2016–2020 is not shared over 2010–2020: no average is computed."""
    engine = engine_over(
        tmp_path,
        "fonds.txt",
        INNOVATION_FUND,
    )
    answer = engine.ask("Combien de projets le fonds d'innovation a-t-il soutenus en moyenne par an entre 2010 et 2020 ?")
    assert not answer.computed


@pytest.mark.parametrize(
    ("question", "value", "formula"),
    [
        (
            "Quel est le rapport entre l'encours de la dette et les recettes réelles de fonctionnement de la commune ?",
            1.5,
            "9000000 ÷ 6000000",
        ),
        (
            "What is the ratio between the outstanding debt and the real operating revenue of the commune?",
            1.5,
            "9000000 ÷ 6000000",
        ),
        (
            "Quel est le rapport entre les recettes réelles de fonctionnement et l'encours de la dette de la commune ?",
            0.67,
            "6000000 ÷ 9000000",
        ),
    ],
)
def test_a_named_ratio_divides_the_first_item_by_the_second(tmp_path, question, value, formula):
    """« le rapport entre A et B » is A ÷ B in the order named, not a percent and not the larger first."""
    engine = engine_over(
        tmp_path,
        "commune.txt",
        "SITUATION FINANCIÈRE DE LA COMMUNE\n\nEndettement\n\n"
        "En 2020, l'encours de la dette de la commune atteint 9 M€ et les recettes réelles de fonctionnement "
        "s'élèvent à 6 M€.\n",
    )
    computation = understand(question).computation
    assert computation is not None and computation.kind == "times" and computation.ordered
    answer = engine.ask(question)
    assert answer.computed and answer.value == value
    assert formula in ungrouped(answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Quel était le taux de certification des crédits FEDER fin 2019 (en %) ?",
        "What was the certification rate of the ERDF funds at the end of 2019, in percent?",
    ],
)
def test_a_certification_rate_is_certified_over_the_allocation(tmp_path, question):
    """A rate of ratio_definitions.tsv the report does not state: its numerator and denominator words."""
    engine = engine_over(
        tmp_path,
        "po.txt",
        "PROGRAMME OPÉRATIONNEL RÉGIONAL\n\nAvancement\n\n"
        "Fin 2019, 120 M€ de crédits FEDER étaient certifiés sur une maquette de 400 M€.\n",
    )
    answer = engine.ask(question)
    assert answer.computed and answer.value == 30 and answer.unit == "%"
    assert "120000000 ÷ 400000000 × 100" in ungrouped(answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Quel a été le montant annuel moyen des aides du fonds d'innovation entre 2016 et 2020 ?",
        "What was the average annual amount of aid from the innovation fund between 2016 and 2020?",
    ],
)
def test_an_annual_average_amount_is_the_total_over_the_years(tmp_path, question):
    """« le montant annuel moyen … entre 2016 et 2020 »: the total amount ÷ 5 (lang/fr/year_adjectives.txt)."""
    engine = engine_over(
        tmp_path,
        "fonds.txt",
        INNOVATION_FUND,
    )
    answer = engine.ask(question)
    assert answer.computed and answer.value == 10_000_000
    assert "50000000 ÷ 5 (2016–2020)" in ungrouped(answer.answer)
