"""Whole PDF reports: table cells from positions, scrambled or rotated text layers, headings from fonts,
tables of contents, page numbers and running headers, hyphenation, pages on facts (generated with fpdf2)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from formats_fixtures import DEJAVU, latin1

from assistant.facts import extract_facts
from assistant.ingest import read_document, split_sections
from assistant.ingest.pdf import assemble_pages, drop_running_lines
from assistant.ingest.pdf_headings import mark_headings
from assistant.ingest.pdf_layout import CELL_SEPARATOR, Piece, page_layout, rows_by_position

UNICODE = DEJAVU.exists()
fix = (lambda s: s) if UNICODE else latin1

ROWS = [
    ("Innovation et recherche", "1 200 000", "64"),
    ("Transition énergétique", "850 000", "41"),
    ("Numérique", "430 000", "77"),
    ("Formation professionnelle", "615 000", "58"),
    ("Transports collectifs", "2 340 000", "35"),
    ("Tourisme durable", "95 000", "12"),
    ("Agriculture", "1 005 000", "49"),
    ("Santé", "780 000", "66"),
    ("Culture", "310 000", "23"),
    ("Sport", "145 000", "81"),
]
"""Row label, amount in euros, completion rate in percent."""


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    if UNICODE:
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.add_font("dejavu", style="B", fname=str(DEJAVU.with_name("DejaVuSans-Bold.ttf")))
        family = "dejavu"
    else:
        family = "helvetica"
    return pdf, family


def _table_page(pdf, family: str, order: list[int]) -> None:
    """A table with a header row: label, amount and rate columns; rows written to the page in `order`."""
    pdf.add_page()
    pdf.set_font(family, size=11)
    pdf.text(20, 30, fix("Tableau 1 – Programmation par axe"))
    pdf.text(20, 42, fix("Axe"))
    pdf.text(110, 42, fix("Montant programmé (€)"))
    pdf.text(165, 42, fix("Taux (%)"))
    for index in order:
        label, amount, rate = ROWS[index]
        y = 52 + 8 * index
        pdf.text(20, y, fix(label))
        pdf.text(120, y, amount)
        pdf.text(170, y, rate)


@pytest.fixture(scope="module")
def table_pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf-tables")
    paths = {}
    for name, order in (
        ("ordre.pdf", list(range(len(ROWS)))),
        ("desordre.pdf", random.Random(3).sample(range(len(ROWS)), len(ROWS))),
    ):
        pdf, family = _pdf()
        _table_page(pdf, family, order)
        pdf.output(str(folder / name))
        paths[name] = folder / name
    return paths


def _row_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(line.startswith(fix(label)) for label, _a, _r in ROWS)]


def test_table_cells_are_separated_by_tabs(table_pdfs) -> None:
    doc = read_document(table_pdfs["ordre.pdf"], "ordre.pdf")
    rows = _row_lines(doc.text)
    assert rows == [f"{fix(label)}\t{amount}\t{rate}" for label, amount, rate in ROWS]
    assert f"{fix('Axe')}\t{fix('Montant programmé (€)')}\t{fix('Taux (%)')}" in doc.text.splitlines()


def test_scrambled_text_layer_is_read_in_page_order(table_pdfs) -> None:
    doc = read_document(table_pdfs["desordre.pdf"], "desordre.pdf")
    assert _row_lines(doc.text) == [f"{fix(label)}\t{amount}\t{rate}" for label, amount, rate in ROWS]
    lines = doc.text.splitlines()
    assert lines.index(fix("Tableau 1 – Programmation par axe")) < lines.index(_row_lines(doc.text)[0])


def test_table_cell_gives_a_fact_with_row_and_column(table_pdfs) -> None:
    doc = read_document(table_pdfs["desordre.pdf"], "desordre.pdf")
    facts = extract_facts(doc, split_sections(doc))
    amount = next(f for f in facts if f.raw == "2 340 000")
    assert amount.source == "table"
    assert amount.subject == fix("Montant programmé (€) — Transports collectifs")
    assert amount.kind == "money" and amount.unit == "EUR" and amount.value == 2_340_000
    assert amount.page == 1
    assert amount.sentence == f"{fix('Transports collectifs')}\t2 340 000\t35"
    rate = next(f for f in facts if f.subject == fix("Taux (%) — Transports collectifs"))
    assert rate.value == 35 and rate.source == "table"


def test_header_scale_caption_gives_euros() -> None:
    doc_text = "Recettes de l'État\nen millions €\nImpôt sur le revenu\t99 836\nImpôt sur les sociétés\t61 629\n"
    from assistant.models import Document, Section

    doc = Document(path="t.pdf", title="t", format="pdf", sha256="x", size=0, mtime=0, encoding="", text=doc_text, pages=[0])
    section = Section(document="t.pdf", ordinal=0, heading="", heading_path=[], text=doc_text, start=0, end=len(doc_text))
    facts = extract_facts(doc, [section])
    income = next(f for f in facts if f.raw == "99 836")
    assert (income.kind, income.unit, income.value) == ("money", "EUR", 99_836_000_000)
    assert income.subject == "Impôt sur le revenu" and income.source == "table" and income.page == 1


def test_chart_data_labels_give_their_figures_the_category_they_name(tmp_path: Path) -> None:
    """A pie chart's labels: a category on one or two lines, then its count and share."""
    pdf, family = _pdf()
    pdf.add_page()
    pdf.set_font(family, size=11)
    pdf.text(20, 20, fix("Répartition des emplois autorisés pour 2026"))
    labels = [
        (30, 60, ["Armées et anciens", "combattants"], "272 279 ETPT – 13,5 %"),
        (130, 60, ["Éducation nationale"], "1 085 258 ETPT – 53,8 %"),
        (30, 140, ["Justice"], "98 248 ETPT – 4,9 %"),
    ]
    for x, y, lines, values in labels:
        for k, line in enumerate(lines):
            pdf.text(x, y + 5 * k, fix(line))
        pdf.text(x, y + 5 * len(lines), values)
    pdf.set_font(family, size=9)
    pdf.text(20, 200, fix("Dans le graphique, l'unité de dénombrement est l'équivalent temps plein travaillé."))
    path = tmp_path / "emplois.pdf"
    pdf.output(str(path))
    doc = read_document(path, "emplois.pdf")
    facts = extract_facts(doc, split_sections(doc))
    share = next(f for f in facts if f.raw == "53,8 %")
    assert (share.subject, share.kind, share.page) == (fix("Éducation nationale"), "percent", 1)
    assert next(f for f in facts if f.raw == "272 279").subject == fix("Armées et anciens combattants")
    assert next(f for f in facts if f.raw == "4,9 %").subject == fix("Justice")


# --- a report: headings set in larger or bold type, a table of contents, running header, page numbers


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    pdf, family = _pdf()
    bodies = [
        "Les contributions reçues au cours de la consultation ont été lues par les rapporteurs citoyens, "
        "qui en ont retenu 82 pour leur originalité, un choix discuté en comité.",
        "La méthode retenue associe une lecture collective et un codage des réponses ; chaque réponse a été "
        "lue par 3 personnes différentes avant sa codification.",
        "Le taux de réponse aux questions ouvertes atteint 39,6 % des participants, un niveau comparable "
        "aux consultations menées par l'Assemblée les années précédentes.",
        "Les contributeurs qui ont répondu aux questions ouvertes acceptent davantage d'être recontactés, "
        "à 86,8 % contre une moyenne bien plus faible pour les autres.",
    ]
    body = iter(fix(b) for b in bodies)
    toc = [("Introduction", 2), ("Méthode de l'analyse", 2), ("Résultats détaillés", 3)]
    pages = [
        [("h0", "Rapport d'évaluation de la consultation"), ("toc", "")],
        [("h1", "Introduction"), ("p", next(body)), ("h2", "Méthode de l'analyse"), ("p", next(body))],
        [("h1", "Résultats détaillés"), ("p", next(body)), ("h2", "Engagement des contributeurs"), ("p", next(body))],
    ]
    for number, blocks in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font(family, size=8)
        pdf.text(95, 10, str(number))  # the page number above the running header
        pdf.text(20, 16, fix("Consultation citoyenne — rapport d'analyse 2016"))
        pdf.set_xy(20, 26)
        for kind, text in blocks:
            if kind == "h0":
                pdf.set_font(family, "B", 22)
                pdf.multi_cell(170, 12, fix(text), new_x="LMARGIN", new_y="NEXT")
            elif kind == "h1":
                pdf.set_font(family, "B", 16)
                pdf.multi_cell(170, 9, fix(text), new_x="LMARGIN", new_y="NEXT")
            elif kind == "h2":
                pdf.set_font(family, "B", 11)
                pdf.multi_cell(170, 7, fix(text), new_x="LMARGIN", new_y="NEXT")
            elif kind == "toc":
                pdf.set_font(family, size=11)
                for title, page in toc:
                    pdf.cell(170, 7, fix(title) + " " + ". " * 30 + str(page), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font(family, size=11)
                pdf.multi_cell(170, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    path = tmp_path_factory.mktemp("pdf-report") / "rapport.pdf"
    pdf.output(str(path))
    return path


def test_headings_from_fonts_nest_as_a_reader_reads_them(report_pdf) -> None:
    doc = read_document(report_pdf, "rapport.pdf")
    sections = split_sections(doc)
    paths = {tuple(s.heading_path): s.page for s in sections}
    title = fix("Rapport d'évaluation de la consultation")
    assert doc.title == title
    assert paths[(fix("Introduction"), fix("Méthode de l'analyse"))] == 2
    assert paths[(fix("Résultats détaillés"), fix("Engagement des contributeurs"))] == 3


def test_table_of_contents_running_header_and_page_numbers_are_not_facts(report_pdf) -> None:
    doc = read_document(report_pdf, "rapport.pdf")
    assert doc.text.count(fix("Consultation citoyenne")) == 1, "the running header is kept once, on the first page"
    assert doc.page_at(doc.text.index(fix("Consultation citoyenne"))) == 1
    assert not [line for line in doc.text.splitlines() if line.strip().isdigit()], "a page number was kept"
    sections = split_sections(doc)
    assert not [s for s in sections if ". . . ." in s.text], "a table-of-contents line is in a section"
    facts = extract_facts(doc, sections)
    assert sorted((f.raw, f.page) for f in facts) == [("3", 2), ("39,6 %", 3), ("82", 2), ("86,8 %", 3)]


def test_facts_and_search_hits_carry_their_page(report_pdf, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    run = [sys.executable, "-m", "assistant"]
    subprocess.run([*run, "index", str(report_pdf), "--index-dir", str(index_dir)], check=True, capture_output=True)
    out = subprocess.run(
        [*run, "facts", "--grep", "82", "--format", "jsonl", "--index-dir", str(index_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    facts = [json.loads(line) for line in out.splitlines()]
    assert [f["page"] for f in facts] == [2]
    hits = json.loads(
        subprocess.run(
            [*run, "search", "engagement des contributeurs", "--json", "--index-dir", str(index_dir)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert hits[0]["page"] == 3


# --- units: hyphenation marks, running headers, positions of a rotated page


def test_pdfium_hyphen_marks_are_rejoined() -> None:
    text, _pages = assemble_pages(
        ["certains pourraient regret\ufffeter que les personnes consultées\nne soient pas représentatives"]
    )
    assert "regretter que" in " ".join(text.split()) and "\ufffe" not in text
    text, _pages = assemble_pages(["le dévelop\u00ad\npement régional"])
    assert "développement régional" in " ".join(text.split())


def test_running_header_after_the_page_number_is_dropped() -> None:
    pages = [
        ["1", "Programme – Septembre 2024", "Texte un."],
        ["2", "Programme - Septembre 2024", "Texte deux."],
        ["3", "# Programme – Septembre 2024", "Texte trois."],
    ]
    # the same header on every page names the document: kept once, on the first page
    assert drop_running_lines(pages) == [["Texte un.", "Programme – Septembre 2024"], ["Texte deux."], ["Texte trois."]]
    varying = [[str(n), f"Programme – page {n}", f"Texte {word}."] for n, word in ((1, "un"), (2, "deux"), (3, "trois"))]
    assert drop_running_lines(varying) == [["Texte un."], ["Texte deux."], ["Texte trois."]], "a page counter is never kept"


def test_a_running_header_on_the_first_page_names_the_document() -> None:
    header = "CHAMPAGNAC - Cantal\tExercice 2023"
    pages = [
        [header, "Population : 1 062 habitants", "ANALYSE DES EQUILIBRES", "1 660\tTOTAL DES PRODUITS"],
        [header, "Population : 1 062 habitants", "212\tAnnuité de la dette", "Source DGFIP\t2 / 3"],
        [header, "Population : 1 062 habitants", "74\tTaxe d'habitation", "Source DGFIP\t3 / 3"],
    ]
    cleaned = drop_running_lines(pages)
    assert cleaned[0] == ["ANALYSE DES EQUILIBRES", header, "Population : 1 062 habitants", "1 660\tTOTAL DES PRODUITS"]
    assert cleaned[1] == ["212\tAnnuité de la dette"] and cleaned[2] == ["74\tTaxe d'habitation"]
    # a first page that opens in the middle of a paragraph: the kept line goes above it, not inside it
    prose = [["Rapport de la commune", "Le conseil municipal a voté le budget de", "la commune le 12 avril.", "Fin"]]
    prose += [
        ["Rapport de la commune", "Texte deux.", "Suite deux.", "Fin deux"],
        ["Rapport de la commune", "Texte trois.", "Suite.", "x"],
    ]
    assert drop_running_lines(prose)[0][:3] == [
        "Rapport de la commune",
        "Le conseil municipal a voté le budget de",
        "la commune le 12 avril.",
    ]


class _FakeRaw:
    """The three PDFium functions the layout reader calls, over a list of characters."""

    def __init__(self, chars):
        self.chars = chars

    def FPDFText_IsGenerated(self, _handle, i):  # noqa: N802 - PDFium's name
        return self.chars[i][1] is None

    def FPDFText_GetFontSize(self, _handle, _i):  # noqa: N802
        return 10.0

    def FPDFText_GetFontWeight(self, _handle, _i):  # noqa: N802
        return 400


class _FakeTextPage:
    def __init__(self, chars):
        self.chars = chars
        self.raw = None

    def get_text_range(self):
        return "".join(c for c, _box in self.chars)

    def count_chars(self):
        return len(self.chars)

    def get_charbox(self, i, loose=False):
        return self.chars[i][1] or (0.0, 0.0, 0.0, 0.0)


def _rotated_row(label: str, value: str, x: float) -> list:
    """A table row on a page turned a quarter (text running up the sheet): label, a gap, value."""
    out = []
    for text, y0 in ((label, 10.0), (value, 300.0)):
        for k, ch in enumerate(text):
            out.append((ch, None) if ch == " " else (ch, (x, y0 + 6 * k, x + 10, y0 + 6 * k + 5)))
        out.append((" ", None))
    out[-1] = ("\n", None)
    return out


def test_rotated_scrambled_page_reads_rows_in_reading_order() -> None:
    rows = [("Encours", "1 253"), ("Annuité", "212"), ("Produits", "1 660"), ("Charges", "1 201"), ("Résultat", "459")]
    rows.append(("Fonds de roulement", "406"))
    chars = []
    for index in (5, 0, 4, 1, 3, 2):  # the text layer writes the rows out of order
        chars += _rotated_row(*rows[index], x=100 + 20 * index)
    layout = page_layout(_FakeTextPage(chars), _FakeRaw(chars))
    assert layout is not None and layout.reordered
    assert layout.line_texts() == [f"{label}{CELL_SEPARATOR}{value}" for label, value in rows]


def test_rows_by_position_merges_close_pieces_and_orders_rows() -> None:
    pieces = [
        Piece("212", 200, 220, 90, 100),
        Piece("Annuité de", 10, 60, 90, 100),
        Piece("la dette", 62, 100, 90, 100),
        Piece("Encours", 10, 50, 110, 120),
    ]
    rows = rows_by_position(pieces)
    assert [[p.text for p in row] for row in rows] == [["Encours"], ["Annuité de la dette", "212"]]


def test_heading_levels_need_a_rare_distinct_style() -> None:
    body = Counter({(10.0, False): 60})
    big = Counter({(16.0, True): 12})
    cover = Counter({(28.0, True): 12})
    prose = "Un paragraphe de texte courant qui se poursuit."
    pages = [(["Rapport annuel", "de la chambre", prose], [cover, cover, body])]
    pages += [(["Première partie", prose] + [prose] * 20, [big, body] + [body] * 20)]
    pages += [(["Deuxième partie", prose] + [prose] * 20, [big, body] + [body] * 20)]
    marked = mark_headings(pages)
    assert marked[0].splitlines()[0] == "Rapport annuel de la chambre", "the cover's type: the title, one line, no mark"
    assert marked[1].splitlines()[0] == "# Première partie"
    assert marked[2].splitlines()[0] == "# Deuxième partie"
    every_line_bold = [(["Ligne en gras"] * 10, [Counter({(10.0, True): 12})] * 10)]
    assert "#" not in "".join(mark_headings(every_line_bold))


def test_caption_set_on_two_lines_gives_thousands_of_euros() -> None:
    from assistant.models import Document, Section

    doc_text = "En milliers\nd'Euros\n1 660\t1 563\tTOTAL DES PRODUITS DE FONCTIONNEMENT\n212\t200\tAnnuité de la dette\n"
    doc = Document(path="t.pdf", title="t", format="pdf", sha256="x", size=0, mtime=0, encoding="", text=doc_text, pages=[0])
    section = Section(document="t.pdf", ordinal=0, heading="", heading_path=[], text=doc_text, start=0, end=len(doc_text))
    facts = extract_facts(doc, [section])
    total = next(f for f in facts if f.raw == "1 660")
    assert (total.kind, total.unit, total.value) == ("money", "EUR", 1_660_000)
    assert total.subject == "TOTAL DES PRODUITS DE FONCTIONNEMENT"


def test_header_set_on_two_lines_names_the_columns() -> None:
    from assistant.models import Document, Section

    doc_text = "Axe\tMontant\tTaux de\n\tprogrammé (€)\tréalisation (%)\nInnovation\t1 200 000\t64\nÉnergie\t850 000\t41\n"
    doc = Document(path="t.pdf", title="t", format="pdf", sha256="x", size=0, mtime=0, encoding="", text=doc_text, pages=[0])
    section = Section(document="t.pdf", ordinal=0, heading="", heading_path=[], text=doc_text, start=0, end=len(doc_text))
    facts = {f.raw: f for f in extract_facts(doc, [section])}
    assert facts["850 000"].subject == "Montant programmé (€) — Énergie"
    assert facts["41"].subject == "Taux de réalisation (%) — Énergie"


def test_title_written_last_but_at_the_top_comes_first(tmp_path: Path) -> None:
    pdf, family = _pdf()
    pdf.add_page()
    pdf.set_font(family, size=9)
    pdf.text(20, 285, fix("Note de synthèse — diffusion restreinte"))  # a footer, written first
    pdf.set_font(family, size=11)
    for k, sentence in enumerate(
        [
            "La commune compte 4 051 habitants en 2012 selon le recensement.",
            "Le budget principal représente 83 % des budgets consolidés.",
            "Les dépenses de personnel progressent de 1,9 % par an.",
            "La dette a diminué de 2,4 millions d'euros sur la période.",
        ]
    ):
        pdf.text(20, 60 + 10 * k, fix(sentence))
    pdf.set_font(family, "B", 18)
    pdf.text(20, 30, fix("Rapport d'observations définitives"))  # the title, written last
    path = tmp_path / "titre.pdf"
    pdf.output(str(path))
    lines = read_document(path, "titre.pdf").text.splitlines()
    assert lines[0] == fix("Rapport d'observations définitives")
    assert lines[-1] == fix("Note de synthèse — diffusion restreinte")
    assert lines[1].startswith(fix("La commune compte"))


def test_stacked_header_with_a_label_between_and_a_partial_header_below() -> None:
    from assistant.models import Document, Section

    doc_text = (
        "En milliers\tEuros par\tMoyenne de la\tRatios de\n"
        "OPERATIONS DE FONCTIONNEMENT\n"
        "d'Euros\thabitant\tstrate\tstructure\n"
        "1 660\t1 563\t916\tTOTAL DES PRODUITS DE FONCTIONNEMENT\n"
        "ENDETTEMENT\ten % des produits\n"
        "212\t200\t84\tAnnuité de la dette\t13,14\n"
    )
    doc = Document(path="t.pdf", title="t", format="pdf", sha256="x", size=0, mtime=0, encoding="", text=doc_text, pages=[0])
    section = Section(document="t.pdf", ordinal=0, heading="", heading_path=[], text=doc_text, start=0, end=len(doc_text))
    facts = {f.raw: f for f in extract_facts(doc, [section])}
    assert facts["1 660"].subject == "En milliers d'Euros — TOTAL DES PRODUITS DE FONCTIONNEMENT"
    assert (facts["1 660"].unit, facts["1 660"].value) == ("EUR", 1_660_000)
    assert facts["1 563"].subject == "Euros par habitant — TOTAL DES PRODUITS DE FONCTIONNEMENT"
    assert facts["1 563"].unit != "EUR", "a per-inhabitant column is not an amount in thousands"
    assert facts["212"].subject == "En milliers d'Euros — Annuité de la dette" and facts["212"].value == 212_000
    assert facts["13,14"].subject == "en % des produits — Annuité de la dette"
