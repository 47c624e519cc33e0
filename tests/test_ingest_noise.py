"""Noise lines: found by their properties, never at the cost of prose, headings or table cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.ingest import find_noise, line_key, read_document, repeated_line_keys, split_sections
from assistant.ingest.noise import FUNCTION_WORDS, WORD_RE, iter_lines

FRENCH_LETTERS = set("abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ")
"""Letters a French report writes (lower case)."""

SCRAPED = """Rapport d’activité du syndicat mixte numérique
Скачать 1,4 Мб.
страница12/40
datum12.03.2019
boyut1,4 Mb.
#40417
1   ...   10   11   12   13   14   ...   40
Le syndicat a engagé 3,2 millions d’euros en 2019 pour la fibre optique.
Поделиться с друзьями:
Accueil › Nos actions › Numérique
Gérer les cookies
La seconde tranche de travaux débutera en 2021 sous réserve des financements.Arkadaşlarınla paylaş: |
"""
"""A scraped page written for these tests: French prose amid counters and buttons in other scripts."""


def noise_lines(text: str, repeated: frozenset[str] = frozenset()) -> list[str]:
    """The stripped text of every noise span."""
    return [text[start:end].strip() for start, end in find_noise(text, repeated)]


def flagged(text: str, repeated: frozenset[str] = frozenset()) -> str:
    """All the noise text joined."""
    return "\n".join(noise_lines(text, repeated))


def test_counters_page_strips_and_foreign_buttons_are_noise() -> None:
    noise = flagged(SCRAPED)
    for line in [
        "Скачать 1,4 Мб.",
        "страница12/40",
        "datum12.03.2019",
        "boyut1,4 Mb.",
        "#40417",
        "1   ...   10   11   12   13   14   ...   40",
        "Поделиться с друзьями:",
        "Accueil › Nos actions › Numérique",
        "Gérer les cookies",
        "Arkadaşlarınla paylaş: |",
    ]:
        assert line in noise
    assert "Le syndicat a engagé" not in noise
    assert "Rapport d’activité" not in noise
    assert "La seconde tranche de travaux débutera en 2021 sous réserve des financements." not in noise


def test_noise_stays_in_the_text_and_covers_whole_lines() -> None:
    spans = find_noise(SCRAPED)
    assert spans == sorted(spans)
    for start, end in spans:
        assert start == 0 or SCRAPED[start - 1] == "\n" or SCRAPED[start - 1] == "."  # a line, or a tail after prose
        assert end == len(SCRAPED) or SCRAPED[end - 1] == "\n"


def test_share_button_at_the_end_of_a_prose_line_is_only_the_tail() -> None:
    text = "Le bilan final sera présenté au comité de suivi en juin 2009. Arkadaşlarınla paylaş:\n"
    [(start, end)] = find_noise(text)
    assert text[:start].rstrip().endswith("juin 2009.")
    assert text[start:end].strip() == "Arkadaşlarınla paylaş:"


def test_crlf_lines() -> None:
    text = "Le comité s’est réuni deux fois.\r\n#40417\r\nLes travaux ont commencé.\r\n"
    [(start, end)] = find_noise(text)
    assert text[start:end] == "#40417\r\n"


@pytest.mark.parametrize(
    "line",
    [
        "12 500 €",
        "98 541,50 €",
        "64%",
        "59,26 %",
        "|",
        "(4)",
        "27",
        "réalisé",
        "Part FEDER",
        "Région Occitanie",
        "Nom de l’opération",
        "2 comités de pilotage par an",
        "1 2 3",
        "Łódź",
        "Málaga 2004",
        "3.2 Les projets de Gdańsk et de Łódź",
        "LISTE DES OPÉRATIONS",
        "Sommaire",
        "La société Müller & Schröder a obtenu le marché de maîtrise d’œuvre.",
        "Le taux atteint 12 µg/m3 en moyenne annuelle.",
        "Si x > 5 et y > 3, alors le seuil est franchi.",
        "Les cookies déposés par le site sont décrits dans la délibération de la CNIL du 17 septembre 2020.",
    ],
)
def test_cells_headings_and_prose_are_not_noise(line: str) -> None:
    text = f"Le comité a validé la liste suivante.\n{line}\nLe rapport final est attendu en 2009.\n"
    assert find_noise(text) == []


def test_line_key_normalises() -> None:
    assert line_key("  •  Partager   cette page : ") == "partager cette page"
    assert line_key("L’Europe") == line_key("l'europe")
    assert line_key("12 500") == ""


def test_repeated_lines_are_noise_only_where_navigation_sits() -> None:
    def page(number: int, figure: str) -> str:
        return (
            f"Fiche action {number}\n"
            "Sommaire\n"
            "Le programme a soutenu des projets de collectivités rurales pendant trois ans.\n"
            "2.1 Objectifs du programme\n"
            "Les objectifs ont été atteints pour la plupart des actions engagées.\n"
            "Total\n"
            f"{figure}\n"
            "Le solde sera versé après le contrôle de service fait.\n"
            "Partager cette page\n"
            "Imprimer\n"
            f"{number}\n"
            "Envoyer à un ami\n"
        )

    pages = [page(number, f"{number} 250 €") for number in range(1, 5)]
    repeated = repeated_line_keys(pages, min_docs=3)
    assert {"partager cette page", "imprimer", "envoyer à un ami", "total"} <= repeated
    assert "sommaire" not in repeated and "2.1 objectifs du programme" not in repeated
    noise = noise_lines(pages[0], repeated)
    assert noise == ["Partager cette page\nImprimer\n1\nEnvoyer à un ami"]


def test_line_printed_on_both_sides_of_a_noise_block() -> None:
    text = "Bilan de l’action 4\n\n#40417\n1 ... 3 4 5 6 ... 9\nBilan de l’action 4\nLe bilan est positif.\n"
    noise = flagged(text)
    assert noise.startswith("Bilan de l’action 4")
    assert text.count("Bilan de l’action 4") == 2
    assert "Le bilan est positif." not in noise


def _is_page_strip(line: str) -> bool:
    """A line of integers and ellipses only, with four numbers or more."""
    tokens = line.split()
    return sum(token.isdigit() for token in tokens) >= 4 and all(
        token.isdigit() or re.fullmatch(r"\.{2,}|…", token) for token in tokens
    )


def test_shared_corpus_sections_hold_no_noise(shared: Path) -> None:
    root = shared / "corpus"
    files = sorted(root.rglob("*.txt"))
    assert files
    repeated = repeated_line_keys((path.read_text(encoding="utf-8") for path in files), min_docs=3)
    for path in files:
        doc = read_document(path, path.relative_to(root).as_posix(), repeated)
        for section in split_sections(doc):
            letters = {char.lower() for char in section.text if char.isalpha()}
            assert letters <= FRENCH_LETTERS, (doc.path, letters - FRENCH_LETTERS)
            for line in section.text.splitlines():
                assert not _is_page_strip(line), (doc.path, line)
                assert not re.fullmatch(r"\s*#\d+\s*", line), (doc.path, line)
                assert not re.match(r"\s*[a-z]{3,}\d", line) or len(line) > 40, (doc.path, line)


def test_shared_corpus_foreign_lines_are_all_found(shared: Path) -> None:
    root = shared / "corpus"
    for path in sorted(root.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = find_noise(text)
        for line in iter_lines(text):
            content = text[line.start : line.end]
            if any(char.isalpha() and char.lower() not in FRENCH_LETTERS for char in content):
                assert any(start <= line.end and end >= line.end for start, end in spans), (path.name, content)


def test_piaf_prose_is_never_noise(shared: Path) -> None:
    files = sorted((shared / "piaf" / "corpus").glob("*.txt"))
    if not files:
        pytest.skip("piaf corpus absent")
    texts = [path.read_text(encoding="utf-8") for path in files]
    repeated = repeated_line_keys(texts, min_docs=3)
    for path, text in zip(files, texts):
        first = text.strip().splitlines()[0]
        for start, end in find_noise(text, repeated):
            piece = text[start:end]
            french = any(word.casefold() in FUNCTION_WORDS for word in WORD_RE.findall(piece))
            assert not (len(piece.strip()) > 60 and french), (path.name, piece)
            assert first not in piece, (path.name, first)
