"""Headings, heading paths, sections and passages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.ingest import find_noise, guess_title, read_document, repeated_line_keys, split_sections
from assistant.ingest.sections import detect_heading, split_passages
from assistant.models import Document, Section

PROSE = "Le comité de pilotage a validé les critères de sélection des projets présentés par les collectivités."
"""A line of prose that follows headings in the samples."""


def make_doc(text: str, fmt: str = "txt", noise: list[tuple[int, int]] | None = None) -> Document:
    """A Document over `text`, noise found unless given."""
    return Document(
        path="essai." + fmt,
        title="",
        format=fmt,  # type: ignore[arg-type]
        sha256="0" * 64,
        size=len(text),
        mtime=0.0,
        encoding="utf-8",
        text=text,
        noise=find_noise(text) if noise is None else noise,
    )


def paths(sections: list[Section]) -> list[list[str]]:
    """The heading path of each section."""
    return [section.heading_path for section in sections]


def check_offsets(doc: Document, sections: list[Section]) -> None:
    """Each section is its own slice of the text, trimmed, free of noise, in order."""
    previous_end = 0
    for ordinal, section in enumerate(sections):
        assert section.ordinal == ordinal
        assert section.text == doc.text[section.start : section.end]
        assert section.text.strip() == section.text and section.text
        assert section.start >= previous_end
        previous_end = section.end
        assert section.heading == (section.heading_path[-1] if section.heading_path else "")
        for start, end in doc.noise:
            assert end <= section.start or start >= section.end, (section.text, doc.text[start:end])


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("7.2.2 – Formation des élus aux services en ligne", "numbered"),
        ("2.3 Stratégie", "numbered"),
        ("Action n°7.7 : assistance technique", "numbered"),
        ("7 Action n°7.7 : assistance technique Budget prévu : Dépenses réalisées :", "numbered"),
        ("action 7.3 – aide au conseil de collectivités", "numbered"),
        ("Action 7.2.1- Sensibilisation", "numbered"),
        ("I – Le contexte régional", "numbered"),
        ("III. LES CONSÉQUENCES POUR LES RÉGIONS", "numbered"),
        ("A. Une programmation en retard", "numbered"),
        ("1) Les objectifs", "numbered"),
        ("3. Les résultats", "numbered"),
        ("4-6-2 : Animation rurale", "numbered"),
        ("b) Une gestion déconcentrée", "numbered"),
        ("(2) Objectif compétitivité", "numbered"),
        ("Article 4", "numbered"),
        ("Article 1-3 : La plate-forme logistique", "numbered"),
        ("Chapitre 2", "numbered"),
        ("Titre II", "numbered"),
        ("LISTE DES OPÉRATIONS", "upper"),
        ("ETAT D'AVANCEMENT DES DOSSIERS", "upper"),
        ("Les ateliers de projets", "title"),
    ],
)
def test_heading_patterns(line: str, kind: str) -> None:
    heading = detect_heading(line, None, PROSE)
    assert heading is not None, line
    assert heading.kind == kind
    assert heading.text == line


@pytest.mark.parametrize(
    ("line", "previous", "following"),
    [
        ("Région Occitanie", "|", "|"),
        ("Contribution FEDER", None, "(5)"),
        ("12 500 €", None, PROSE),
        ("64%", None, PROSE),
        ("7.2.2 – Formation des élus", "|", "|"),
        ("1-4 Gestion durable des territoires", "|", "12"),
        ("7.7 – Assistance technique", "(5)", "Région Occitanie"),
        ("- le suivi des dossiers", None, PROSE),
        ("• Un guide pour les porteurs de projets", None, PROSE),
        ("Le comité a retenu vingt projets.", None, PROSE),
        ("Les dossiers suivants :", None, PROSE),
        ("Le bilan est mitigé ;", None, PROSE),
        ("En 2007, le nombre de projets déposés a fortement progressé", None, PROSE),
        ("2 comités de pilotage par an", None, PROSE),
        ("1.5 équivalent temps plein", None, PROSE),
        ("Programme régional d’actions innovatrices de la", None, PROSE),
        ("Fonctionnement : 729,7 M€", None, PROSE),
        ("M. Dupont présente le rapport", None, PROSE),
        ("Article 4 du règlement prévoit que", None, PROSE),
        ("TOTAL", None, "557"),
        ("FEDER", None, PROSE),
        ("a) soutien aux actions d’animation", None, PROSE),
        ("Une phrase qui dépasse largement la longueur d’un titre " * 3, None, PROSE),
        ("Guide pour les bénéficiaires", None, "réalisé"),
    ],
)
def test_false_headings(line: str, previous: str | None, following: str | None) -> None:
    assert detect_heading(line, previous, following) is None


def test_heading_path_nesting_by_numbering() -> None:
    text = "\n".join(
        [
            "I – Le programme",
            "A. Les actions",
            "1. La formation",
            PROSE,
            "1.1 Les sessions",
            PROSE,
            "1.1.1 Les ateliers",
            PROSE,
            "1.2 Les publics",
            PROSE,
            "2. Le conseil",
            PROSE,
            "B. Le budget",
            PROSE,
            "II – L’évaluation",
            PROSE,
        ]
    )
    doc = make_doc(text)
    sections = split_sections(doc)
    check_offsets(doc, sections)
    assert paths(sections) == [
        ["I – Le programme", "A. Les actions", "1. La formation"],
        ["I – Le programme", "A. Les actions", "1. La formation", "1.1 Les sessions"],
        ["I – Le programme", "A. Les actions", "1. La formation", "1.1 Les sessions", "1.1.1 Les ateliers"],
        ["I – Le programme", "A. Les actions", "1. La formation", "1.2 Les publics"],
        ["I – Le programme", "A. Les actions", "2. Le conseil"],
        ["I – Le programme", "B. Le budget"],
        ["II – L’évaluation"],
    ]
    # a heading without text of its own opens the next section
    assert sections[0].text.startswith("I – Le programme\nA. Les actions\n1. La formation\n")


def test_decimal_and_prefixed_headings_nest() -> None:
    text = "\n".join(
        [
            "Action 7 – Administration électronique",
            PROSE,
            "action 7.2 – formation des élus",
            PROSE,
            "7.2.2 – Ateliers de projets",
            PROSE,
            "action 7.3 – aide au conseil",
            PROSE,
        ]
    )
    sections = split_sections(make_doc(text))
    assert paths(sections) == [
        ["Action 7 – Administration électronique"],
        ["Action 7 – Administration électronique", "action 7.2 – formation des élus"],
        ["Action 7 – Administration électronique", "action 7.2 – formation des élus", "7.2.2 – Ateliers de projets"],
        ["Action 7 – Administration électronique", "action 7.3 – aide au conseil"],
    ]


def test_table_cell_between_pipes_and_heading_after_the_table() -> None:
    text = "\n".join(
        [
            "LISTE DES OPÉRATIONS",
            "Nom de l’opération",
            "(1)",
            "|",
            "Part FEDER",
            "(2)",
            "|",
            "7.2.2 – Formation des élus",
            "|",
            "12 500 €",
            "|",
            "action 7.3 – aide au conseil de collectivités rurales",
            PROSE,
        ]
    )
    doc = make_doc(text)
    sections = split_sections(doc)
    check_offsets(doc, sections)
    assert paths(sections) == [["LISTE DES OPÉRATIONS"], ["action 7.3 – aide au conseil de collectivités rurales"]]
    assert "7.2.2 – Formation des élus" in sections[0].text


def test_weak_headings() -> None:
    text = "\n".join(
        [
            "Mise en œuvre",
            "",
            "1. Au niveau du programme",
            PROSE,
            "2. Au niveau des actions",
            PROSE,
            "SITUATION RÉGIONALE",
            "",
            "Une couverture inégale du territoire",
            "",
            PROSE,
            "Des usages en progrès",
            PROSE,
        ]
    )
    sections = split_sections(make_doc(text))
    assert paths(sections) == [
        ["Mise en œuvre", "1. Au niveau du programme"],
        ["Mise en œuvre", "2. Au niveau des actions"],
        ["Mise en œuvre", "2. Au niveau des actions", "SITUATION RÉGIONALE", "Une couverture inégale du territoire"],
        ["Mise en œuvre", "2. Au niveau des actions", "SITUATION RÉGIONALE", "Des usages en progrès"],
    ]


def test_a_weak_container_does_not_hold_a_sibling_numbered_heading() -> None:
    text = "\n".join(["1. La formation", PROSE, "RÉSULTATS OBTENUS", "2. Le conseil", PROSE])
    sections = split_sections(make_doc(text))
    assert paths(sections) == [["1. La formation"], ["2. Le conseil"]]
    assert sections[1].text.startswith("RÉSULTATS OBTENUS\n2. Le conseil")


def test_markdown_headings_and_code_fences() -> None:
    text = "\n".join(
        [
            "# Rapport final",
            PROSE,
            "## Résultats",
            PROSE,
            "```",
            "# pas un titre",
            "```",
            "### Indicateurs",
            PROSE,
            "## Perspectives",
            "1. Les suites du programme",
            PROSE,
            "Annexe",
            "======",
            PROSE,
        ]
    )
    doc = make_doc(text, "md")
    sections = split_sections(doc)
    check_offsets(doc, sections)
    assert paths(sections) == [
        ["Rapport final"],
        ["Rapport final", "Résultats"],
        ["Rapport final", "Résultats", "Indicateurs"],
        ["Rapport final", "Perspectives"],
        ["Annexe"],
    ]
    assert "# pas un titre" in sections[1].text


def test_noise_cuts_sections_and_lone_headings_are_dropped() -> None:
    text = (
        "action 7.4 – contenus numériques\n\n\n"
        "#40417\n1   ...   5   6   7   8   ...   40\n\n"
        "action 7.4 – contenus numériques\n\n" + PROSE + "\n#40418\n" + PROSE + "\n"
    )
    doc = make_doc(text)
    assert doc.noise
    sections = split_sections(doc)
    check_offsets(doc, sections)
    assert paths(sections) == [["action 7.4 – contenus numériques"]] * 2
    assert sections[0].text == "action 7.4 – contenus numériques\n\n" + PROSE
    assert sections[1].text == PROSE


def test_passages_split_at_sentence_ends_and_keep_the_heading_path() -> None:
    sentences = [
        f"La phase {number} a mobilisé M. Dupont et Mme Durand pendant 1.5 mois, etc. et plus encore (cf. art. {number})."
        for number in range(1, 41)
    ]
    text = "2.3 Stratégie\n" + " ".join(sentences) + "\n3. Suites\n" + PROSE
    doc = make_doc(text)
    sections = split_sections(doc, passage_chars=500)
    check_offsets(doc, sections)
    strategy = [section for section in sections if section.heading == "2.3 Stratégie"]
    assert len(strategy) > 4
    assert strategy[0].text.startswith("2.3 Stratégie\nLa phase 1 ")
    for section in strategy:
        assert section.heading_path == ["2.3 Stratégie"]
        assert section.text.endswith(").")
        assert section.text.startswith(("2.3", "La phase"))
        assert len(section.text) <= 500 * 1.25 + 120
    assert sections[-1].heading_path == ["3. Suites"]


def test_split_passages_at_newlines_without_losing_text() -> None:
    text = "\n".join(f"Paragraphe {number} : {PROSE}" for number in range(30))
    spans = split_passages(text, 0, len(text), 400)
    assert len(spans) > 5
    joined = "".join(text[start:end] for start, end in spans)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    for start, end in spans:
        assert text[start:end].startswith("Paragraphe")


def test_long_unpunctuated_text_is_still_cut() -> None:
    text = "mot " * 2000
    spans = split_passages(text, 0, len(text), 1500)
    assert len(spans) >= 4
    assert all(end - start <= 1500 for start, end in spans)


def test_whitespace_only_document_has_no_sections() -> None:
    assert split_sections(make_doc("\n  \n\t\n")) == []


def test_guess_title() -> None:
    text = "#40417\nBilan de l’aide au conseil\n\n" + PROSE + "\n"
    assert guess_title(text, find_noise(text)) == "Bilan de l’aide au conseil"
    long_first = PROSE * 2 + "\nPREAMBULE\n" + PROSE + "\n"
    assert guess_title(long_first, []) == "PREAMBULE"
    assert len(guess_title(PROSE * 3, [])) <= 120
    assert guess_title("## Synthèse\n" + PROSE, [], markdown=True) == "Synthèse"


def _shared_docs(shared: Path) -> list[Document]:
    """Every shared corpus file read with the corpus's recurring lines."""
    root = shared / "corpus"
    files = sorted(root.rglob("*.txt"))
    repeated = repeated_line_keys((path.read_text(encoding="utf-8") for path in files), min_docs=3)
    return [read_document(path, path.relative_to(root).as_posix(), repeated) for path in files]


def test_shared_corpus_section_offsets(shared: Path) -> None:
    docs = _shared_docs(shared)
    assert docs
    for doc in docs:
        sections = split_sections(doc)
        assert sections, doc.path
        check_offsets(doc, sections)
        for section in sections:
            assert len(section.text) <= 1500 * 1.25 + 200


def test_v2_p025_acceptance_headings(shared: Path) -> None:
    root = shared / "corpus"
    path = root / "prai" / "v2-p025.txt"
    if not path.exists():
        pytest.skip("prai/v2-p025.txt absent")
    doc = read_document(path, "prai/v2-p025.txt")
    sections = split_sections(doc)
    headings = {heading for section in sections for heading in [section.heading, *section.heading_path]}
    assert "LISTE DES PROJETS" in headings
    action = [heading for heading in headings if heading.startswith("action 7.3 – aide au conseil")]
    assert len(action) == 1
    assert not any(heading.startswith("7.2.2") for heading in headings)  # a table cell
    under_action = [section for section in sections if section.heading == action[0]]
    assert under_action[0].heading_path == action
    assert any("(17 sur 27)" in section.text for section in under_action)
    assert all("paylaş" not in section.text for section in sections)


def test_markdown_title_is_not_read_from_an_html_comment(tmp_path: Path) -> None:
    path = tmp_path / "rapport.md"
    path.write_text(
        "<!-- généré par l'outil d'export, ne pas modifier -->\n<!--\nrelecture : service X\n-->\n\n"
        "# Rapport d'évaluation du programme\n\nLe programme a financé 12 projets.\n",
        encoding="utf-8",
    )
    doc = read_document(path, "rapport.md")
    assert doc.title == "Rapport d'évaluation du programme"
    sections = split_sections(doc)
    assert all("<!--" not in s.text and "relecture" not in s.text for s in sections)
    assert any("12 projets" in s.text for s in sections)


def test_markdown_title_falls_back_to_the_first_line_of_text_after_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("<!-- brouillon -->\nNote sur les crédits du programme\n\nLe texte suit ici.\n", encoding="utf-8")
    assert read_document(path, "note.md").title == "Note sur les crédits du programme"
