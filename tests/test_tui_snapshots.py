"""Snapshot tests of the stable screens (pytest-textual-snapshot), at 100×30.

Each test's docstring says what the picture must show; read the snapshot
report before accepting a change (``pytest --snapshot-update``).

The chat, help and passage pictures use :class:`SnapshotEngine`: the real
index of the test corpus, a fixed status line (so a change in fact extraction
does not move them) and a fixed answer whose citations point at real
sentences.  The facts picture shows the real facts table of the test corpus,
so it moves when fact extraction changes — on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models import IndexStatus
from assistant.tui.app import AssistantApp
from test_tui_support import QUESTION, BuiltIndex, CannedEngine, build_index, copy_index

SIZE = (100, 30)


class SnapshotEngine(CannedEngine):
    """The canned engine with a status that does not depend on fact extraction."""

    def status(self) -> IndexStatus:
        return IndexStatus(index_dir="index", version=1, documents=3, sections=10, facts=30, size_bytes=1, roots=[])


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
    """The chat before any question: status line "Index : 3 documents · 10 sections · 30 faits │
    modèle linguistique : prêt" on top, the welcome text with three example questions near the
    bottom, the empty prompt with its placeholder, and the footer (^l Effacer, ^s Export,
    ^y Copier, ^q Quitter, f1 Aide, f3 Faits, f4 Docs, ^p palette)."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=settle)


def test_answered_question(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """One answered question: "Q Combien de communes…", the figure "46 communes" in bold,
    the answer sentence, "Confiance : élevée ●●● (86 %)", a framed "⚠ Attention : chiffres
    divergents" box listing "45 communes — autre.txt", then "Sources" with
    "[1] villages-connectes-2021.txt · RAPPORT D'ACTIVITÉ 2021 … › 3. Aide au conseil" and [2],
    each followed by the start of its quote in italics."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=answered)


def test_passage_screen(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The passage of citation [1] over the chat: title "[1] RAPPORT D'ACTIVITÉ 2021 … —
    villages-connectes-2021.txt", "Section : … › 3. Aide au conseil · caractères …", the whole
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
    (Entrée, ↑ / ↓, Tab / Échap, 1 … 9, Alt+1 … 9, Ctrl+Y, Ctrl+S, Ctrl+L, F2 / F3 / F4, …) and
    the start of "Exemples de questions"; "Échap : fermer" at the bottom."""
    assert snap_compare(make(SnapshotEngine(index_dir), tmp_path), terminal_size=SIZE, press=["f1"], run_before=settle)


def test_facts_view(snap_compare, index_dir: Path, tmp_path: Path) -> None:
    """The Faits view of the real test index: title bar, the text filter with its placeholder,
    "Tous types" and "Tous documents" selects, the count "N faits sur N · tri : Document ▲ ·
    Entrée : passage", then the table (Valeur in bold, Type, Sujet, Document ▲, Section, Unité)
    sorted by document, and the footer (^f Filtrer …)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(make(CannedEngine(index_dir), tmp_path), terminal_size=SIZE, run_before=run_before)
