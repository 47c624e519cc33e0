"""Small French report files in every supported format, made by the tests themselves.

Used by ``tests/test_formats*.py``, ``tests/test_hostile*.py`` and
``tests/benchmarks/compare_pdf.py``.  Every builder writes a fictitious report
and returns what a perfect extraction must contain (headings, paragraphs,
table rows), so tests and the benchmark can measure what an extractor keeps.

PDFs are written with fpdf2 using the DejaVu font when the machine has it
(full French repertoire: œ, €, ’), else the core Helvetica font with the
Latin-1 subset of the same text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""A Unicode TrueType font shipped by the Debian image (fonts-dejavu-core)."""

RUNNING_HEADER = "Région Exemple — Rapport annuel d’exécution 2014 (document fictif)"
"""The running header printed on every PDF page."""

SENTENCES = [
    "La stratégie régionale d’innovation s’appuie sur le développement des entreprises innovantes et sur l’accompagnement des collectivités territoriales.",
    "Les opérations programmées au titre de l’axe prioritaire représentent 98 541,50 € de dépenses éligibles, soit 59,26 % de la maquette financière.",
    "Le comité de suivi s’est réuni à deux reprises, en juin et en décembre, sous la présidence du préfet de région.",
    "La durée moyenne des missions d’aide au conseil est de 12 jours, pour un coût moyen de 7 500 € par entreprise accompagnée.",
    "Les bénéficiaires soulignent la qualité de l’accompagnement, mais regrettent la complexité des procédures administratives.",
    "Le taux de programmation atteint 87 % à la fin de l’exercice, contre 64 % l’année précédente.",
    "Quarante-deux projets ont été sélectionnés par le comité régional de programmation au cours de l’année.",
    "L’évaluation à mi-parcours recommande de simplifier les pièces justificatives demandées aux porteurs de projets.",
    "Les crédits consacrés à l’efficacité énergétique des bâtiments publics s’élèvent à 1 250 000 €.",
    "La coopération avec les territoires voisins s’est renforcée grâce à trois conventions de partenariat signées en 2014.",
    "Le cœur du dispositif repose sur un réseau de quinze chargés de mission répartis dans les départements.",
    "Les indicateurs de réalisation montrent une progression régulière du nombre d’entreprises aidées.",
    "Une attention particulière a été portée aux zones rurales, où la couverture numérique reste insuffisante.",
    "Le montant total des paiements certifiés à la Commission européenne s’établit à 4,2 millions d’euros.",
    "Les retards constatés s’expliquent principalement par la réorganisation des services instructeurs.",
    "Chaque dossier fait l’objet d’une instruction contradictoire avant son passage en comité.",
]
"""French report prose: accents, apostrophes, œ, €, figures of every kind."""

HEADINGS = [
    "Contexte et stratégie régionale",
    "Mise en œuvre des axes prioritaires",
    "Suivi financier de la programmation",
    "Évaluation et perspectives",
    "Coopération territoriale",
]
"""Titles of the numbered sections."""

TABLE = [
    ["Axe", "Montant programmé", "Taux de réalisation"],
    ["Innovation", "1 200 000 €", "64 %"],
    ["Énergie", "850 000 €", "41 %"],
    ["Numérique", "430 000 €", "77 %"],
]
"""A table with a header row and figures."""


@dataclass
class Expected:
    """What a perfect extraction of a built file holds."""

    headings: list[str] = field(default_factory=list)
    """Section headings in reading order (numbered as printed)."""
    paragraphs: list[str] = field(default_factory=list)
    """Body paragraphs in reading order."""
    table: list[list[str]] = field(default_factory=list)
    """Table rows (header first)."""
    blocks: list[str] = field(default_factory=list)
    """Every block (heading, paragraph, table row joined by spaces) in reading order."""
    pages: int = 0
    """Number of pages (PDF)."""
    page_of: dict[str, int] = field(default_factory=dict)
    """Page where each heading is printed (PDF)."""


def latin1(text: str) -> str:
    """The text restricted to Latin-1 (for the core PDF fonts when no Unicode font exists)."""
    return (
        text.replace("’", "'")
        .replace("œ", "oe")
        .replace("Œ", "OE")
        .replace("€", "EUR")
        .replace("—", "-")
        .replace("–", "-")
        .replace("«", '"')
        .replace("»", '"')
    )


def soft_hyphenate(text: str) -> str:
    """Insert soft hyphens in long words so that justified lines break inside words (as typesetters do)."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        cut = len(word) // 2
        while cut < len(word) - 3 and word[cut].lower() not in "aeiouyéèêàâîôû":
            cut += 1
        return word[: cut + 1] + "\u00ad" + word[cut + 1 :]

    return re.sub(r"(?<![\w’'-])[a-zàâçéèêëîïôûùœ]{9,}(?![\w-])", split, text)


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    """A paragraph of report prose."""
    return " ".join(rng.sample(SENTENCES, sentences))


def build_pdf(
    path: Path,
    *,
    sections: int = 5,
    paragraphs_per_section: int = 3,
    seed: int = 7,
    password: str | None = None,
    header: bool = True,
) -> Expected:
    """Write a justified, hyphenated French report PDF with running header/footer and a table."""
    from fpdf import FPDF

    rng = random.Random(seed)
    unicode_font = DEJAVU.exists()
    fix = (lambda s: s) if unicode_font else latin1

    class Report(FPDF):
        def header(self) -> None:  # noqa: D102 - fpdf2 hook
            if header:
                self.set_font(family, size=8)
                self.cell(0, 6, fix(RUNNING_HEADER), align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self) -> None:  # noqa: D102 - fpdf2 hook
            if header:
                self.set_y(-14)
                self.set_font(family, size=8)
                self.cell(0, 6, f"Page {self.page_no()} / {{nb}}", align="C")

    pdf = Report(format="A4")
    if unicode_font:
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.add_font("dejavu", style="B", fname=str(DEJAVU.with_name("DejaVuSans-Bold.ttf")))
        family = "dejavu"
    else:
        family = "helvetica"
    if password:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(owner_password=password + "-owner", user_password=password, encryption_method=EncryptionMethod.RC4)
    pdf.set_auto_page_break(True, margin=20)
    expected = Expected()
    pdf.add_page()
    title = fix("RAPPORT ANNUEL D’EXÉCUTION 2014")
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    expected.headings.append(title)
    expected.blocks.append(title)
    expected.page_of[title] = 1
    pdf.ln(4)
    for number in range(1, sections + 1):
        suffix = f" (suite {(number - 1) // len(HEADINGS)})" if number > len(HEADINGS) else ""
        heading = fix(f"{number}. {HEADINGS[(number - 1) % len(HEADINGS)]}{suffix}")
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        expected.headings.append(heading)
        expected.blocks.append(heading)
        expected.page_of[heading] = pdf.page_no()
        pdf.set_font(family, size=11)
        for _ in range(paragraphs_per_section):
            text = fix(paragraph(rng))
            pdf.multi_cell(0, 6, soft_hyphenate(text), align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            expected.paragraphs.append(text)
            expected.blocks.append(text)
        if number == 2:
            if pdf.will_page_break(40):
                pdf.add_page()
            rows = [[fix(cell) for cell in row] for row in TABLE]
            with pdf.table(col_widths=(40, 40, 40), text_align="LEFT") as table:
                for row in rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
            pdf.ln(3)
            expected.table = rows
            expected.blocks.extend(" ".join(row) for row in rows)
    expected.pages = pdf.page_no()
    pdf.output(str(path))
    return expected


def build_docx(path: Path) -> Expected:
    """Write a .docx report: Title, Heading 1–2 styles, body text, a bulleted list, a table, a page header."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = RUNNING_HEADER
    expected = Expected()
    document.add_heading("Rapport d’évaluation du programme régional", level=0)
    expected.headings.append("Rapport d’évaluation du programme régional")
    document.add_paragraph(SENTENCES[0])
    document.add_heading("1. Contexte", level=1)
    document.add_paragraph(SENTENCES[1])
    document.add_heading("1.1 Gouvernance", level=2)
    document.add_paragraph(SENTENCES[2])
    document.add_paragraph("Simplifier les pièces justificatives", style="List Bullet")
    document.add_heading("2. Résultats financiers", level=1)
    document.add_paragraph(SENTENCES[3])
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(SENTENCES[5])
    expected.headings += ["1. Contexte", "1.1 Gouvernance", "2. Résultats financiers"]
    expected.paragraphs = [SENTENCES[i] for i in (0, 1, 2, 3, 5)]
    expected.table = TABLE
    document.save(str(path))
    return expected


def build_odt(path: Path) -> Expected:
    """Write an .odt report: headings with outline levels, paragraphs with spans and spaces, a table."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, S, Span

    document = OpenDocumentText()
    for level in (1, 2):
        style = Style(
            name=f"Heading_20_{level}", displayname=f"Heading {level}", family="paragraph", defaultoutlinelevel=str(level)
        )
        style.addElement(TextProperties(fontsize=f"{18 - 2 * level}pt", fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.2cm"))
        document.styles.addElement(style)
    expected = Expected()

    def heading(level: int, text: str) -> None:
        document.text.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=text))
        expected.headings.append(text)

    def para(text: str) -> None:
        document.text.addElement(P(text=text))
        expected.paragraphs.append(text)

    heading(1, "1. Contexte")
    para(SENTENCES[0])
    p = P(text="Le comité a retenu ")
    p.addElement(Span(text="trois priorités"))
    p.addText(" :")
    p.addElement(S(c=2))
    p.addText("innovation, énergie, numérique.")
    document.text.addElement(p)
    expected.paragraphs.append("Le comité a retenu trois priorités : innovation, énergie, numérique.")
    heading(2, "1.1 Gouvernance")
    para(SENTENCES[2])
    heading(1, "2. Résultats financiers")
    para(SENTENCES[3])
    table = Table(name="Programmation")
    table.addElement(TableColumn(numbercolumnsrepeated=len(TABLE[0])))
    for row in TABLE:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    document.text.addElement(table)
    expected.table = TABLE
    para(SENTENCES[5])
    document.save(str(path))
    return expected


HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Rapport d&rsquo;activit&eacute; 2014 &ndash; Agence fictive</title>
<style>body {{ font-family: sans-serif; }} h1 {{ color: #333; }}</style>
<script>var menu = "Accueil > Publications"; document.write("<p>script</p>");</script>
</head><body>
<header><a href="/">Accueil</a> <a href="/contact">Contact</a></header>
<nav><ul><li>Accueil</li><li>Publications</li><li>Plan du site</li></ul></nav>
<main><article>
<h1>Rapport d&rsquo;activit&eacute; 2014</h1>
<p>{p0}</p>
<h2>1. Contexte</h2>
<p>{p1}</p>
<h3>1.1 Gouvernance</h3>
<p>Le comit&eacute; s&#8217;est r&eacute;uni &agrave; deux reprises&nbsp;: en juin et en d&eacute;cembre.
Les d&eacute;cisions sont publi&eacute;es &amp; archiv&eacute;es.</p>
<ul><li>Simplifier les pi&egrave;ces justificatives</li><li>Renforcer le c&oelig;ur du r&eacute;seau</li></ul>
<h2>2. R&eacute;sultats financiers</h2>
<p>{p3}</p>
<table>
<thead><tr><th>Axe</th><th>Montant programm&eacute;</th><th>Taux de r&eacute;alisation</th></tr></thead>
<tbody>
<tr><td>Innovation</td><td>1 200 000 &euro;</td><td>64 %</td></tr>
<tr><td>&Eacute;nergie</td><td>850 000 &euro;</td><td>41 %</td></tr>
<tr><td>Num&eacute;rique</td><td>430 000 &euro;</td><td>77 %</td></tr>
</tbody></table>
<p>{p5}</p>
</article>
<aside>Partager sur Facebook | Twitter</aside>
<form><input name="q"><button>Rechercher</button></form>
</main>
<footer>Mentions l&eacute;gales &ndash; Cookies &ndash; &copy; 2014</footer>
</body></html>
"""
"""A saved web page with site furniture, entities and a cp1252 charset declared in a meta tag."""


def build_html(path: Path, *, encoding: str = "cp1252") -> Expected:
    """Write a saved report web page in `encoding` (its meta tag says windows-1252)."""
    page = HTML_PAGE.format(p0=SENTENCES[0], p1=SENTENCES[1], p3=SENTENCES[3], p5=SENTENCES[5])
    if encoding != "cp1252":
        page = page.replace("charset=windows-1252", f"charset={encoding}")
    path.write_bytes(page.encode(encoding))
    return Expected(
        headings=["Rapport d’activité 2014", "1. Contexte", "1.1 Gouvernance", "2. Résultats financiers"],
        paragraphs=[SENTENCES[i] for i in (0, 1, 3, 5)],
        table=TABLE,
    )
