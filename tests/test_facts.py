"""Facts from prose and tables: subjects, units, qualifiers on the right figure, scope, robustness."""

from __future__ import annotations

import pytest

from assistant.analysis.sentences import split_sentences
from assistant.facts import extract_facts, extract_facts_many
from assistant.models import Document, Fact, Section


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline, loaded once for the whole test session."""
    from assistant.facts.nlp import get_nlp

    return get_nlp()


def make(text: str, path: str = "t.txt", headings: list[str] | None = None) -> tuple[Document, list[Section]]:
    doc = Document(path=path, title=path, format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text=text)
    heading = (headings or [""])[-1]
    return doc, [
        Section(document=path, ordinal=0, heading=heading, heading_path=headings or [], text=text, start=0, end=len(text))
    ]


def facts_of(text: str, **kw) -> list[Fact]:
    return extract_facts(*make(text, **kw))


def by_raw(facts: list[Fact], raw: str, n: int = 0) -> Fact:
    found = [f for f in facts if f.raw == raw]
    assert len(found) > n, f"{raw!r} not in {[f.raw for f in facts]}"
    return found[n]


# --- prose ------------------------------------------------------------------------


def test_copula_subject_and_average(nlp) -> None:
    f = by_raw(
        facts_of("La durée d’intervention moyenne de l’aide au conseil est de 12 jours et elle n’a pas varié."), "12 jours"
    )
    assert (f.kind, f.unit, f.value) == ("duration", "jour", 12)
    assert f.subject == "durée d'intervention moyenne de l'aide au conseil"
    assert f.subject_lemma == "durée"
    assert f.qualifiers == ["moyenne"]
    assert f.source == "prose"


def test_colon_subject_counted_unit_and_total(nlp) -> None:
    text = "Le nombre de dossiers déposés et validés dans leur intégralité est relativement faible : 27 projets au total."
    f = by_raw(facts_of(text), "27")
    assert (f.kind, f.unit) == ("count", "projet")
    assert f.subject.startswith("dossiers déposés et validés")
    assert f.subject_lemma == "dossier"
    assert f.qualifiers == ["total"]


def test_counted_noun_subject(nlp) -> None:
    f = by_raw(facts_of("C’est pourquoi les 27 projets sélectionnés ont concentré la quasi-totalité des jours."), "27")
    assert (f.unit, f.subject, f.qualifiers) == ("projet", "projets sélectionnés", [])


def test_counted_units_are_french_singulars(nlp) -> None:
    """The lemma table's foreign forms are not units ("parties" → "partie", not "party")."""
    facts = facts_of("Le rapport compte deux parties. Les 5 journaux locaux et 7 bateaux ont suivi 12 chevaux.")
    units = {f.raw: f.unit for f in facts if f.kind == "count"}
    assert units == {"deux": "partie", "5": "journal", "7": "bateau", "12": "cheval"}


def test_qualifiers_go_to_the_figure_they_govern(nlp) -> None:
    facts = facts_of("L’objectif de 50 projets a été ramené à 35 fin 2006 lors du comité de pilotage de février 2007.")
    assert by_raw(facts, "50").qualifiers == ["objectif", "initial"]
    thirty_five = by_raw(facts, "35")
    assert thirty_five.qualifiers == ["objectif", "révisé"]
    assert thirty_five.unit == "projet"
    assert by_raw(facts, "fin 2006").qualifiers == []
    assert by_raw(facts, "février 2007").qualifiers == []


def test_approximation_and_revision_in_two_sentences(nlp) -> None:
    facts = facts_of("Le décalage de 4 mois environ a été compensé. Il a ainsi été ramené à 2 mois.")
    four = by_raw(facts, "4 mois")
    assert four.qualifiers == ["approximatif"] and four.subject == "décalage"
    assert by_raw(facts, "2 mois").qualifiers == ["révisé"]


def test_effective_and_planned_dates(nlp) -> None:
    text = (
        "Il a ainsi été ramené à 2 mois, le démarrage effectif des accompagnements des collectivités intervenant "
        "en janvier 2007 au lieu de novembre 2006 tel qu'initialement prévu."
    )
    facts = facts_of(text)
    assert by_raw(facts, "janvier 2007").qualifiers == ["réalisé"]
    assert by_raw(facts, "novembre 2006").qualifiers == ["objectif", "initial"]
    assert by_raw(facts, "2 mois").qualifiers == ["révisé"]


def test_bounds_only_on_their_figure(nlp) -> None:
    facts = facts_of("Plus de 450 lycées sont reliés, contre 300 en 2005.")
    assert by_raw(facts, "450").qualifiers == ["minimum"]
    assert by_raw(facts, "300").qualifiers == []


def test_ratio_subject(nlp) -> None:
    text = (
        "L’action constitue une étape déterminante tel qu’en témoigne le nombre d’organismes ayant poursuivi "
        "leur démarche au titre de l’action « Projets innovants » du PRAI (17 sur 27)."
    )
    f = by_raw(facts_of(text), "17 sur 27")
    assert (f.kind, f.value, f.denominator) == ("ratio", 17, 27)
    assert "organismes" in f.subject


def test_percent_of_subject(nlp) -> None:
    f = by_raw(facts_of("En effet, 80% des projets innovants retenus avaient auparavant suivi une aide au conseil."), "80%")
    assert (f.kind, f.unit, f.value) == ("percent", "%", 80)
    assert f.subject.startswith("projets innovants")


def test_number_words_and_designations(nlp) -> None:
    facts = facts_of("Le type de projets est comparable : 28 sites Internet et extranet, un agenda 21, deux téléservices.")
    assert by_raw(facts, "28").unit == "site"
    assert by_raw(facts, "deux").unit == "téléservice"
    assert not [f for f in facts if f.raw == "21"], "agenda 21 names a thing, it counts nothing"
    assert not [f for f in facts_of("Un bâtiment neuf a ouvert.") if f.value == 9]
    one = by_raw(facts_of("La flotte compte 40 navires, dont un pétrolier en service."), "un")
    assert (one.value, one.unit) == (1, "pétrolier")


def test_scope_codes_and_years(nlp) -> None:
    facts = facts_of(
        "Le comité de pilotage du 6 février 2007 a retenu 12 projets pour l'action 7.4.",
        headings=["Programme", "action 7.3 – aide au conseil"],
    )
    f = by_raw(facts, "12")
    assert f.scope[:2] == ["Programme", "action 7.3 – aide au conseil"]
    assert "7.3" in f.scope and "7.4" in f.scope and "2007" in f.scope
    assert f.section == "action 7.3 – aide au conseil"


def test_offsets_sentence_page_and_noise(nlp) -> None:
    text = "Yüklə 0,72 Mb.\nLa région compte 336 communes.\nUne deuxième page cite 12 jours."
    doc, sections = make(text)
    doc = doc.model_copy(update={"noise": [(0, 15)], "pages": [0, text.index("Une")]})
    facts = extract_facts(doc, sections)
    assert [f.raw for f in facts] == ["336", "deuxième", "12 jours"]
    for f in facts:
        assert doc.text[f.start : f.end] == f.raw
        assert doc.text[f.sentence_start : f.sentence_end] == f.sentence
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
    assert facts[0].sentence == "La région compte 336 communes."
    assert (facts[0].page, facts[-1].page) == (1, 2)


def test_section_ordinal(nlp) -> None:
    text = "Titre un\nIl y a 3 projets.\nTitre deux\nIl y a 5 dossiers."
    doc, _ = make(text)
    cut = text.index("Titre deux")
    sections = [
        Section(document="t.txt", ordinal=0, heading="Titre un", heading_path=["Titre un"], text=text[:cut], start=0, end=cut),
        Section(
            document="t.txt",
            ordinal=1,
            heading="Titre deux",
            heading_path=["Titre deux"],
            text=text[cut:],
            start=cut,
            end=len(text),
        ),
    ]
    facts = extract_facts(doc, sections)
    assert [(f.raw, f.section_ordinal, f.section) for f in facts] == [("3", 0, "Titre un"), ("5", 1, "Titre deux")]


def test_many_documents_at_once(nlp) -> None:
    items = [make("Il y a 3 projets.", "a.txt"), make("Aucun chiffre ici.", "b.txt"), make("Soit 12,7 Md€.", "c.txt")]
    out = extract_facts_many(items)
    assert [[f.raw for f in facts] for facts in out] == [["3"], [], ["12,7 Md€"]]
    assert out[2][0].document == "c.txt" and out[2][0].value == 12.7e9


# --- tables -------------------------------------------------------------------------

PIPE_TABLE = """LISTE DES PROJETS
Nom du projet
(1)
|
Nom du bénéficiaire
(2)
|
Brève description du projet (2-3 lignes)
(3)
|
Dépenses totales éligibles
(4)
|
Contribution FEDER
(5)
|
7.2.2 – Formation aux problématiques de l’Internet public et Citoyen
|
Région Midi-Pyrénées
|
Formation des élus à travers des sessions généralistes (buffets des savoirs) et « pratiques » (atelier des élus)
|
197 083 €
|
98 541,50 €
|
action 7.3 – aide au conseil de collectivités
Le prestataire a été retenu en juillet 2006.
"""


def test_pipe_table(nlp) -> None:
    doc, sections = make(PIPE_TABLE)
    facts = extract_facts(doc, sections)
    feder = by_raw(facts, "98 541,50 €")
    assert feder.subject == "Contribution FEDER — 7.2.2 Formation aux problématiques de l'Internet public et Citoyen"
    assert (feder.kind, feder.unit, feder.value, feder.source) == ("money", "EUR", 98541.5, "table")
    assert "buffets des savoirs" in feder.sentence
    assert feder.sentence.startswith("7.2.2 – Formation") and feder.sentence.endswith("98 541,50 €")
    assert doc.text[feder.sentence_start : feder.sentence_end] == feder.sentence
    assert "7.2.2" in feder.scope
    total = by_raw(facts, "197 083 €")
    assert total.subject.startswith("Dépenses totales éligibles — 7.2.2")
    assert total.qualifiers == ["total"]
    assert total.subject_lemma == "dépense"
    assert not [f for f in facts if f.raw in ("2-3", "1", "5")], "header cells hold no facts"
    assert by_raw(facts, "juillet 2006").source == "prose"


LINE_TABLE = """La répartition du budget est la suivante (par rapport au total FEDER)


Frais de personnel

64%

Communication

5%

NB : pour les frais de personnel, le total correspond à un peu plus de 1,5 équivalent temps plein par an.

Nom du projet


(1)

Nom du bénéficiaire


(2)

Brève description du projet (2-3 lignes)


(3)

Dépenses totales éligibles
(4)

Contribution FEDER

(5)

7.7 – Assistance technique

Région Midi-Pyrénées

Actions liées à l’assistance technique du Programme

358 234,87€

137 000 €

  1. Identification et diffusion des pratiques
"""


def test_one_cell_per_line_tables(nlp) -> None:
    doc, sections = make(LINE_TABLE)
    facts = extract_facts(doc, sections)
    staff = by_raw(facts, "64%")
    assert (staff.subject, staff.value, staff.unit, staff.source) == ("Frais de personnel", 64, "%", "table")
    assert staff.sentence.startswith("Frais de personnel") and staff.sentence.endswith("64%")
    feder = by_raw(facts, "137 000 €")
    assert feder.subject == "Contribution FEDER — 7.7 Assistance technique"
    assert "Actions liées à l’assistance technique du Programme" in feder.sentence
    assert doc.text[feder.sentence_start : feder.sentence_end] == feder.sentence
    spent = by_raw(facts, "358 234,87€")
    assert spent.value == pytest.approx(358234.87) and spent.qualifiers == ["total"]
    etp = by_raw(facts, "1,5 équivalent temps plein")
    assert (etp.unit, etp.kind) == ("ETP", "count") and "minimum" in etp.qualifiers


INDICATORS = """Le nombre de jours d’aide au conseil a été quasiment atteint.
Nombre de collectivités locales retenues : 35 (objectif révisé fin 2006)
27
Les 27 projets déposés ont reçu un avis favorable.
Nombre de projets passant en phase opérationnelle (projets innovants) après l’aide au conseil : plus de 60%
59,26 %
L’objectif est atteint.
"""


def test_indicator_blocks(nlp) -> None:
    facts = extract_facts(*make(INDICATORS))
    target = [f for f in facts if f.raw == "35"][0]
    achieved = [f for f in facts if f.raw == "27" and f.source == "indicator"][0]
    assert target.source == "indicator" and target.qualifiers == ["objectif", "révisé"]
    assert achieved.qualifiers == ["réalisé"]
    assert target.subject == achieved.subject == "Nombre de collectivités locales retenues"
    assert achieved.unit == target.unit == "collectivité"
    assert achieved.sentence.startswith("Nombre de collectivités") and achieved.sentence.endswith("27")
    rate_target, rate = by_raw(facts, "60%"), by_raw(facts, "59,26 %")
    assert rate_target.qualifiers == ["objectif", "minimum"] and rate.qualifiers == ["réalisé"]
    assert rate.subject.startswith("Nombre de projets passant en phase opérationnelle")
    assert by_raw(facts, "fin 2006").kind == "date"
    assert by_raw(facts, "27", 1).source == "prose"


def test_markdown_table(nlp) -> None:
    text = "| Action | Budget prévu | Dépenses réalisées |\n|---|---|---|\n| Formation | 10 000 € | 8 500 € |\n"
    facts = extract_facts(*make(text))
    assert [(f.subject, f.qualifiers) for f in facts] == [
        ("Budget prévu — Formation", ["objectif"]),
        ("Dépenses réalisées — Formation", ["réalisé"]),
    ]


# --- robustness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "|\n|\n|\n(1)\n|",
        "12" * 3000,
        "€€€ %%% 1,2,3,4 ... 7.7.7.7 ((((3)))) sur sur sur 12 sur",
        ("Le budget de 12,7 Md€ compte 17 sur 27 projets, " * 300),
        "a" * 20000 + " 12 jours",
        "\u00a0\u202f12\u202f000\u00a0€\x00\x01\ufeff",
        "Nombre : 35\n27\n" * 200,
    ],
    ids=lambda t: f"len{len(t)}-{t[:12]!r}",
)
def test_garbage_and_huge_texts_do_not_crash(nlp, text: str) -> None:
    doc, sections = make(text)
    for f in extract_facts(doc, sections):
        assert doc.text[f.start : f.end] == f.raw
        assert doc.text[f.sentence_start : f.sentence_end] == f.sentence


def test_no_sections(nlp) -> None:
    doc, _ = make("Il y a 3 projets.")
    facts = extract_facts(doc, [])
    assert facts[0].section_ordinal == 0 and facts[0].scope == []


def test_import_does_not_load_spacy() -> None:
    import subprocess
    import sys

    code = "import sys, assistant.facts, assistant.analysis.numbers; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_split_sentences() -> None:
    text = "M. Dupont a vu 3 projets. Le 2e est fini.\nUne ligne\ncoupée en deux. Fin"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["M. Dupont a vu 3 projets.", "Le 2e est fini.", "Une ligne\ncoupée en deux.", "Fin"]
