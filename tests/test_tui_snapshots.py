"""Snapshot tests of the stable screens (pytest-textual-snapshot), at 100×30.

Each test's docstring says what the picture must show; read the snapshot
report before accepting a change (``pytest --snapshot-update``).

The chat, help and passage pictures use :class:`SnapshotEngine`: the real
engine on the test index, with a frozen status line (so a change in fact
extraction does not move the empty chat or the help).  The answer shown in the
answered and passage pictures is the real ``Assistant.ask`` answer to
QUESTION on the test corpus: those two pictures move when the QA module
changes its answer (figure, wording, confidence, citations, conflicts) —
accepted: read the report, check the new answer is right, update the
docstring, then ``--snapshot-update``.  The facts picture shows the real facts
table of the test corpus, so it moves when fact extraction changes — on
purpose too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import QUESTION, REPORTS, BuiltIndex, InstrumentedEngine, build_index, copy_index

from assistant.models import IndexStatus
from assistant.tui.app import AssistantApp

SIZE = (100, 30)


class SnapshotEngine(InstrumentedEngine):
    """The real engine, with a status line that does not depend on fact extraction.

    The counts are those of the test corpus when the pictures were taken
    (4 reports, 12 sections, 33 facts), frozen so that a change in sectioning
    or fact extraction does not move the chat, help and passage pictures.
    """

    def status(self) -> IndexStatus:
        return IndexStatus(index_dir="index", version=1, documents=len(REPORTS), sections=12, facts=33, size_bytes=1, roots=[])


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    return build_index(tmp_path_factory)


@pytest.fixture
def index_dir(built: BuiltIndex, tmp_path: Path) -> Path:
    return copy_index(built, tmp_path)


def make(engine, tmp_path: Path) -> AssistantApp:
    return AssistantApp(engine, load_nlp=False, cursor_blink=False, export_dir=tmp_path, history_path=tmp_path / "h.jsonl")


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def answered(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#prompt").value = QUESTION
    await pilot.press("enter")
    await settle(pilot)


def test_empty_chat(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The chat before any question: status line "Index : 4 documents · 12 sections · 33 faits │
    modèle linguistique : prêt" on top, the welcome text with three example questions and three
    lines of keys (Maj+Entrée, Ctrl+R, Tab ou Échap, Ctrl+F, Ctrl+O, Ctrl+S, F1), the empty
    multi-line prompt with its placeholder "Posez une question… (Entrée : envoyer · Maj+Entrée : à
    la ligne · F1 : aide)", and the footer (^l Effacer, ^s Export,
    ^y Copier, ^q Quitter, f1 Aide, f3 Faits, f4 Docs, ^p palette)."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=settle)


def test_answered_question(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The real answer to one question: "Q Combien de communes…", the figure "46 communes" in
    bold, the core's answer "46 communes — « Au total, 46 communes … en 2021. »",
    "Confiance : élevée ●●● (100 %)", a framed "⚠ Attention : chiffres divergents — le corpus
    donne aussi un autre chiffre :" box listing "45 communes — comite-suivi-2021.txt : « D'après
    le tableau de bord du comité de suivi, 45 communes … »", then "Sources" with
    "[1] villages-connectes-2021.txt · RAPPORT D'ACTIVITÉ 2021 … › 3. Aide au conseil" and
    "[2] comite-suivi-2021.txt · COMPTE RENDU DU COMITÉ DE SUIVI 2021 … › 1. Bilan de l'année",
    each followed by its whole quote in italics (the width there is, not cut at 110 characters);
    the status line and the prompt frame it."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=answered)


def test_passage_screen(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The passage of citation [1] of the real answer over the chat: title "[1] RAPPORT
    D'ACTIVITÉ 2021 … — villages-connectes-2021.txt", "Section : … › 3. Aide au conseil ·
    caractères 493–558", the whole
    section "3. Aide au conseil" with the sentence "Au total, 46 communes …" marked by a bar in
    the margin, underlined on a tinted background, and "46" in bold reverse; the legend at the
    bottom says how to read it and that Escape returns."""

    async def run_before(pilot) -> None:
        await answered(pilot)
        await pilot.press("escape", "1")
        await settle(pilot)

    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The help dialog over the chat: "Aide — assistant de rapports", the "Touches" table
    (Entrée, Maj+Entrée / Ctrl+J, ↑ / ↓, Ctrl+R, Tab / Échap, 1 … 9, Alt+1 … 9, Ctrl+Y, Ctrl+S,
    Ctrl+F, Ctrl+O, Ctrl+L, F2 / F3 / F4, …) and
    the start of "Exemples de questions"; "Échap : fermer" at the bottom."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, press=["f1"], run_before=settle)


def test_facts_view(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The Faits view of the real test index: title bar, the text filter with its placeholder,
    "Tous types" and "Tous documents" selects, the count "33 faits sur 33 · tri : Document ▲ ·
    Entrée : passage · Ctrl+S : exporter", then the table (Valeur in bold, Type with
    "pourcentage" whole, Qualif. showing "moyenne" and "objectif", Sujet, Document ▲, Section,
    Unité at the right edge) sorted by document — comite-suivi-2021.txt first (2021, 45 communes,
    2021), then evaluation-mediation.txt, schema-numerique-2022.txt (4 200 000 €, 3 900 000 €…)
    and villages-connectes-2021.txt, names cut from the left "…" — and the footer (^f Filtrer …)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(make(InstrumentedEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=run_before)
