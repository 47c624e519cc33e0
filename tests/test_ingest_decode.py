"""Encodings, NFC offsets and binary rejection; reading a file into a Document."""

from __future__ import annotations

import codecs
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest import SUPPORTED_SUFFIXES, IngestError, decode_bytes, read_document, to_original
from assistant.ingest.decode import nfc_with_map

PHRASE = "L’œuvre d’été coûte 1 250 € : « très réussie », à Noël."
"""A French line using the characters legacy encodings disagree on."""


def test_utf8_without_bom() -> None:
    decoded = decode_bytes(PHRASE.encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert decoded.text == PHRASE
    assert decoded.offset_map == []


def test_utf8_with_bom_is_stripped() -> None:
    data = codecs.BOM_UTF8 + PHRASE.encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8-sig"
    assert decoded.text == PHRASE
    assert data.decode(decoded.encoding) == decoded.text


def test_utf16_with_bom() -> None:
    decoded = decode_bytes(PHRASE.encode("utf-16"))
    assert decoded.encoding == "utf-16"
    assert decoded.text == PHRASE


def test_cp1252_with_oe_apostrophe_and_euro() -> None:
    decoded = decode_bytes(PHRASE.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == PHRASE


def test_latin1_without_windows_range() -> None:
    text = "Le comité a validé 27 dossiers à l'été ; coût élevé."
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.encoding == "latin-1"
    assert decoded.text == text


def test_latin9_oe_and_euro() -> None:
    text = "Mise en œuvre : 5 € par cœur de cible."
    decoded = decode_bytes(text.encode("iso8859-15"))
    assert decoded.encoding == "iso8859-15"
    assert decoded.text == text


@pytest.mark.parametrize("encoding", ["cp850", "mac_roman"])
def test_legacy_dos_and_mac_files(encoding: str) -> None:
    text = "La décision a été prise à l'unanimité ; le comité s'est réuni trois fois, déjà."
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.encoding == encoding
    assert decoded.text == text


def test_newlines_are_kept() -> None:
    text = "Titre\r\nPremière ligne.\rDeuxième ligne.\n"
    assert decode_bytes(text.encode("utf-8")).text == text


def test_empty_bytes() -> None:
    assert decode_bytes(b"").text == ""


def test_decomposed_accents_are_composed_with_offset_map() -> None:
    original = "Le re\u0301sume\u0301 de l'e\u0301te\u0301 : 12 jours."
    decoded = decode_bytes(original.encode("utf-8"))
    assert decoded.text == unicodedata.normalize("NFC", original)
    assert decoded.text == "Le résumé de l'été : 12 jours."
    assert decoded.offset_map  # lengths changed
    for char in "12 jours.":
        offset = decoded.text.index(char)
        assert original[to_original(offset, decoded.offset_map)] == char
    start = decoded.text.index("12 jours")
    end = start + len("12 jours")
    assert original[to_original(start, decoded.offset_map) : to_original(end, decoded.offset_map)] == "12 jours"
    assert to_original(len(decoded.text), decoded.offset_map) == len(original)


def test_to_original_without_map_is_identity() -> None:
    assert to_original(42, []) == 42


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ae oAI.\n")
            + ["\u0301", "\u0300", "\u0327", "\u0308", "é", "\u212b", "\u0344", "\u1100", "\u1161", "\u11a8", "’"]
        ),
        max_size=40,
    )
)
def test_nfc_with_map_matches_unicodedata(raw: str) -> None:
    text, offset_map = nfc_with_map(raw)
    assert text == unicodedata.normalize("NFC", raw)
    mapped = [to_original(offset, offset_map) for offset in range(len(text) + 1)]
    assert mapped == sorted(mapped)
    assert mapped[-1] == len(raw)
    for offset, char in enumerate(text):
        if char.isascii():
            assert raw[mapped[offset]] == char


def test_nul_bytes_are_rejected() -> None:
    with pytest.raises(IngestError) as caught:
        decode_bytes(b"Rapport annuel\x00\x00\x01\x02 2006")
    assert "binaire" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_random_bytes_are_rejected() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(IngestError):
        decode_bytes(data)


def test_double_encoded_apostrophes_are_text_not_binary() -> None:
    text = "L\u0092action d\u0092aide au conseil. " * 40
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.encoding == "utf-8" and decoded.text == text


def test_a_stray_control_character_is_tolerated() -> None:
    text = "Fin du rapport.\x1a"
    assert decode_bytes(text.encode("utf-8")).text == text


def test_read_document(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    data = "Bilan 2007\n\nL’action a retenu 20 projets sur 26 déposés.\n".encode("cp1252")
    path.write_bytes(data)
    doc = read_document(path, "sous/rapport.txt")
    assert doc.path == "sous/rapport.txt"
    assert doc.format == "txt"
    assert doc.encoding == "cp1252"
    assert doc.size == len(data)
    assert len(doc.sha256) == 64
    assert doc.title == "Bilan 2007"
    assert doc.text.startswith("Bilan 2007")
    assert doc.mtime > 0


def test_read_markdown(tmp_path: Path) -> None:
    path = tmp_path / "note.markdown"
    path.write_text("# Synthèse du programme\n\nLe programme a financé 35 projets.\n", encoding="utf-8")
    doc = read_document(path, "note.markdown")
    assert doc.format == "md"
    assert doc.title == "Synthèse du programme"


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown"} <= SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("vide.txt", b"", "fichier vide"),
        ("blanc.txt", b"  \n\n\t\n", "fichier vide"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binaire"),
        ("tableur.xls", b"colonne;valeur\n", "format non pris en charge"),
        ("sans_extension", b"texte\n", "format non pris en charge"),
    ],
)
def test_read_document_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        read_document(path, name)
    message = str(caught.value)
    assert reason in message
    assert str(tmp_path) not in message and "\n" not in message


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="lecture impossible"):
        read_document(tmp_path / "absent.txt", "absent.txt")
