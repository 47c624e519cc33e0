"""Long HTML and Word reports: heading hierarchy, tables with header rows, footnotes apart from their sentence."""

from __future__ import annotations

import io
from pathlib import Path

from assistant.facts import extract_facts
from assistant.ingest import read_document, split_sections

HTML = """<html><head><meta charset="utf-8"><title>Rapport d'observations définitives</title></head><body>
<h1>1. La situation financière</h1>
<h2>1.1 L'évolution de la capacité d'autofinancement</h2>
<p>Tandis que la capacité d'autofinancement brute progresse de 2009 à 2012<sup><a href="#fn15" id="ref15">15</a></sup>,
on observe son net recul à compter de l'exercice 2013, au 1<sup>er</sup> janvier.</p>
<table>
<tr><th>en €</th><th>2013</th><th>2014</th><th>Var. annuelle moyenne</th></tr>
<tr><td>Excédent brut de fonctionnement (A-B)</td><td>1 634 593</td><td>1 178 578</td><td>-5,8%</td></tr>
<tr><td>CAF brute</td><td>1 406 179</td><td>832 969</td><td>-6,4%</td></tr>
</table>
<h3>1.1.1 Les produits de gestion</h3>
<p>Les produits de gestion s'élèvent à 11,3 M€ en 2014.</p>
<h1>2. La gestion des ressources humaines</h1>
<p>La commune emploie 108,6 agents en équivalent temps plein.</p>
<div class="footnotes"><p id="fn15"><a href="#ref15">15</a> Source : comptes de gestion 2009-2012.</p></div>
</body></html>
"""


def _html_report(tmp_path: Path):
    path = tmp_path / "rapport.html"
    path.write_text(HTML, encoding="utf-8")
    doc = read_document(path, "rapport.html")
    return doc, split_sections(doc)


def test_html_heading_hierarchy_gives_the_reader_s_path(tmp_path: Path) -> None:
    doc, sections = _html_report(tmp_path)
    paths = [s.heading_path for s in sections]
    assert [
        "1. La situation financière",
        "1.1 L'évolution de la capacité d'autofinancement",
        "1.1.1 Les produits de gestion",
    ] in paths
    assert ["2. La gestion des ressources humaines"] in paths


def test_html_footnote_reference_stays_apart_from_the_figure(tmp_path: Path) -> None:
    doc, sections = _html_report(tmp_path)
    assert "de 2009 à 2012, on observe" in " ".join(doc.text.split())
    assert "1er janvier" in doc.text, "a superscript that is not a note reference is kept"
    assert "Source : comptes de gestion 2009-2012." in doc.text.splitlines()[-1], "the note is a paragraph of its own"
    facts = extract_facts(doc, sections)
    assert not [f for f in facts if "201215" in f.raw.replace(" ", "")]


def test_html_table_header_row_of_years_gives_column_and_unit(tmp_path: Path) -> None:
    doc, sections = _html_report(tmp_path)
    facts = extract_facts(doc, sections)
    ebf = next(f for f in facts if f.raw == "1 178 578")
    assert ebf.source == "table"
    assert ebf.subject == "2014 — Excédent brut de fonctionnement (A-B)"
    assert (ebf.kind, ebf.unit, ebf.value) == ("money", "EUR", 1_178_578)
    assert "2014" in ebf.scope
    assert ebf.section == "1.1 L'évolution de la capacité d'autofinancement"
    assert not [f for f in facts if f.source == "prose" and f.raw in ("2013", "2014") and f.sentence.startswith("|")]


def test_docx_heading_hierarchy_and_footnote_reference(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Arrêt de la Cour des comptes", level=0)
    document.add_heading("I. Sur la responsabilité du comptable", level=1)
    document.add_heading("A. Sur la présomption de charge", level=2)
    paragraph = document.add_paragraph("Le comptable a payé 12 mandats en 2012")
    run = paragraph.add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run._r.append(reference)
    paragraph.add_run(", pour un montant de 45 000 €.")
    document.add_heading("II. Sur le débet", level=1)
    document.add_paragraph("Le débet s'élève à 45 000 €.")
    path = tmp_path / "arret.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    doc = read_document(path, "arret.docx")
    sections = split_sections(doc)
    paths = [s.heading_path for s in sections]
    assert doc.title == "Arrêt de la Cour des comptes"
    assert ["I. Sur la responsabilité du comptable", "A. Sur la présomption de charge"] in paths
    assert ["II. Sur le débet"] in paths
    assert "en 2012, pour un montant" in doc.text
    facts = extract_facts(doc, sections)
    assert {f.raw for f in facts} >= {"12", "2012", "45 000 €"}


def test_list_of_sub_item_titles_stays_in_its_parent_section() -> None:
    from assistant.models import Document

    text = (
        "1.1.2 Réaliser le diagnostic du territoire\n"
        "La collectivité effectue régulièrement une analyse de sa situation, tous secteurs confondus.\n"
        "1.1.2.1 Réaliser un bilan des consommations\n"
        "1.1.2.2 Identifier les potentiels de réduction\n"
        "1.1.3 Réaliser un diagnostic de vulnérabilité\n"
        "La collectivité analyse sa vulnérabilité au changement climatique et en tire un programme.\n"
    )
    doc = Document(path="r.txt", title="r", format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text=text)
    sections = split_sections(doc)
    parent = next(s for s in sections if s.heading_path == ["1.1.2 Réaliser le diagnostic du territoire"])
    assert "1.1.2.2 Identifier les potentiels de réduction" in parent.text
    sibling = next(s for s in sections if s.heading_path == ["1.1.3 Réaliser un diagnostic de vulnérabilité"])
    assert "1.1.2.1" not in sibling.text


def test_account_code_column_is_not_an_amount(tmp_path: Path) -> None:
    path = tmp_path / "taxes.html"
    path.write_text(
        "<html><body><h1>Les taxes indirectes</h1><table>"
        "<tr><th>en €</th><th>Taxes indirectes</th><th>2013</th><th>2014</th></tr>"
        "<tr><td>7364</td><td>Prélèvements sur le produit des jeux</td><td>115 817</td><td>113 199</td></tr>"
        "<tr><td>7362</td><td>Taxe de séjour</td><td>92 571</td><td>109 223</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "taxes.html")
    facts = extract_facts(doc, split_sections(doc))
    assert not [f for f in facts if f.raw in ("7364", "7362")], "an account number is not a figure"
    games = next(f for f in facts if f.raw == "113 199")
    assert games.subject == "2014 — 7364 Prélèvements sur le produit des jeux"
    assert (games.kind, games.unit, games.value) == ("money", "EUR", 113_199)


FOOTNOTES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Dont 4 mandats payés sans pièce justificative.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def test_docx_footnotes_follow_the_body_apart_from_their_sentence(tmp_path: Path) -> None:
    import zipfile

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("Le comptable a payé 12 mandats en 2012")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    paragraph.add_run()._r.append(reference)
    paragraph.add_run(", pour un montant de 45 000 €.")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "arret.docx"
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/footnotes.xml", FOOTNOTES_XML)
    path.write_bytes(buffer.getvalue())
    doc = read_document(path, "arret.docx")
    blocks = [b.strip() for b in doc.text.split("\n\n") if b.strip()]
    assert blocks[0] == "Le comptable a payé 12 mandats en 2012, pour un montant de 45 000 €."
    assert blocks[-2:] == ["Notes", "Dont 4 mandats payés sans pièce justificative."]
    facts = extract_facts(doc, split_sections(doc))
    note_fact = next(f for f in facts if f.raw == "4")
    assert note_fact.sentence == "Dont 4 mandats payés sans pièce justificative."


def test_a_question_naming_a_year_is_answered_from_that_year_s_column(tmp_path: Path) -> None:
    from assistant.qa.engine import Assistant

    folder = tmp_path / "docs"
    folder.mkdir()
    years = [2009, 2010, 2011, 2012, 2013, 2014]
    rows = {
        "Encours de dette du budget principal au 31 décembre": [9_867_442, 9_073_962, 8_383_791, 7_668_052, 8_317_099, 7_465_214],
        "Annuité en capital de la dette": [716_464, 793_480, 690_171, 715_739, 750_953, 851_885],
    }
    body = "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td>{v:,}</td>".replace(",", " ") for v in values) + "</tr>"
        for label, values in rows.items()
    )
    (folder / "dette.html").write_text(
        "<html><body><h1>L'endettement</h1><p>La dette de la commune diminue sur la période.</p><table>"
        "<tr><th>en €</th>" + "".join(f"<th>{y}</th>" for y in years) + "</tr>" + body + "</table></body></html>",
        encoding="utf-8",
    )
    engine = Assistant(tmp_path / "index")
    engine.index([folder])
    assert engine.ask("Quel était l'encours de dette du budget principal au 31 décembre 2014 ?").value == 7_465_214
    assert engine.ask("Quelle était l'annuité en capital de la dette en 2012 ?").value == 715_739


def test_a_row_label_naming_years_or_a_percentage_gives_its_cells_that_unit(tmp_path: Path) -> None:
    path = tmp_path / "dette.html"
    path.write_text(
        "<html><body><h1>La capacité de désendettement</h1><table>"
        "<tr><th>en €</th><th>2010</th><th>2011</th></tr>"
        "<tr><td>Capacité de désendettement BP en années (dette / CAF brute du BP)</td><td>6,4</td><td>4,9</td></tr>"
        "<tr><td>Taux d'épargne brute (en %)</td><td>12,1</td><td>10,5</td></tr>"
        "<tr><td>Encours de dette au 31 décembre</td><td>9 073 962</td><td>8 383 791</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "dette.html")
    facts = {f.raw: f for f in extract_facts(doc, split_sections(doc))}
    assert (facts["4,9"].kind, facts["4,9"].unit, facts["4,9"].value) == ("duration", "an", 4.9)
    assert (facts["10,5"].kind, facts["10,5"].unit) == ("percent", "%")
    assert (facts["8 383 791"].kind, facts["8 383 791"].unit) == ("money", "EUR"), "the table's unit still applies"


def test_a_totals_row_gives_facts_qualified_total(tmp_path: Path) -> None:
    path = tmp_path / "recettes.html"
    path.write_text(
        "<html><body><h1>Les recettes</h1><table>"
        "<tr><th>en €</th><th>2013</th><th>2014</th></tr>"
        "<tr><td>Impôts locaux</td><td>5 200 000</td><td>5 350 000</td></tr>"
        "<tr><td>Dotations</td><td>1 800 000</td><td>1 750 000</td></tr>"
        "<tr><td>Total des produits de fonctionnement</td><td>7 000 000</td><td>7 100 000</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "recettes.html")
    facts = {f.raw: f for f in extract_facts(doc, split_sections(doc))}
    assert "total" in facts["7 100 000"].qualifiers
    assert "total" not in facts["5 350 000"].qualifiers


def test_an_html_header_on_two_rows_names_each_column(tmp_path: Path) -> None:
    path = tmp_path / "investissements.html"
    path.write_text(
        "<html><body><h1>Les investissements</h1><table>"
        '<tr><th>en €</th><th colspan="2">2013</th><th colspan="2">2014</th></tr>'
        "<tr><th></th><th>BP</th><th>CA</th><th>BP</th><th>CA</th></tr>"
        "<tr><td>Dépenses d'équipement</td><td>4 200 000</td><td>3 100 000</td><td>5 000 000</td><td>3 900 000</td></tr>"
        "<tr><td>Charges de gestion</td><td></td><td></td><td></td><td></td></tr>"
        "<tr><td>Subventions reçues</td><td>800 000</td><td>650 000</td><td>900 000</td><td>720 000</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "investissements.html")
    facts = {f.raw: f for f in extract_facts(doc, split_sections(doc))}
    assert facts["3 900 000"].subject == "2014 CA — Dépenses d'équipement"
    assert facts["650 000"].subject == "2013 CA — Subventions reçues"
    assert "2014" in facts["3 900 000"].scope and (facts["3 900 000"].kind, facts["3 900 000"].unit) == ("money", "EUR")
    assert not [f for f in facts.values() if f.kind == "date"], "the header's years are no facts"


def test_a_table_caption_naming_its_unit_gives_the_cells_that_unit(tmp_path: Path) -> None:
    path = tmp_path / "subvention.html"
    path.write_text(
        "<html><body><h1>L'office de tourisme</h1>"
        "<p>Tableau n° 17 : Subvention à l'office de tourisme (en €)</p><table>"
        "<tr><th></th><th>2009</th><th>2014</th></tr>"
        "<tr><td>Subvention communale</td><td>1 266 000</td><td>1 840 000</td></tr>"
        "</table>"
        "<p>Les projets supérieurs à 50 000 €</p><table>"
        "<tr><th>Intitulé du projet</th><th>Nombre de lots</th></tr>"
        "<tr><td>Rénovation de la patinoire</td><td>12</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "subvention.html")
    facts = {f.raw: f for f in extract_facts(doc, split_sections(doc))}
    assert (facts["1 840 000"].kind, facts["1 840 000"].unit, facts["1 840 000"].value) == ("money", "EUR", 1_840_000)
    assert facts["12"].kind == "count", "a caption naming an amount is not the table's unit"
