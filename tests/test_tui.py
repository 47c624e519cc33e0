"""Pilot tests of the chat TUI, over a real index built once per session.

Every answer on screen comes from the real core (``Assistant.ask``) on the
test corpus of :mod:`test_tui_support`, which is written so that the real QA
produces what a test needs to see (a figure with two citations and a
conflict, a computed difference, an abstention with or without passages).
Tests that need the core to fail, to be slow or to keep a question in flight
use :class:`InstrumentedEngine`: the real engine with fault injection around
``ask``.  When the QA module changes its answer to one of these questions,
the assertions here move with it — on purpose.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from test_tui_support import (
    COMPUTED_QUESTION,
    COMPUTED_QUOTE,
    DOC,
    DOC_2,
    EXTRA_REPORT,
    QUESTION,
    QUOTE,
    QUOTE_2,
    REPORTS,
    UNANSWERABLE,
    VAGUE,
    BuiltIndex,
    InstrumentedEngine,
    build_index,
    copy_index,
)
from textual.widgets import DataTable, Input, OptionList, Static

from assistant.models import IndexProgress, IndexReport
from assistant.tui.app import AssistantApp, make_app
from assistant.tui.formatting import confidence_text
from assistant.tui.messages import AnswerFailed, AnswerReady, IndexComplete
from assistant.tui.widgets.answer_card import AnswerCard
from assistant.tui.widgets.prompt import QuestionPrompt

pytestmark = pytest.mark.anyio

SIZE = (100, 30)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    return build_index(tmp_path_factory)


@pytest.fixture
def index_dir(built: BuiltIndex, tmp_path: Path) -> Path:
    """A private copy of the session index."""
    return copy_index(built, tmp_path)


def app_for(engine, tmp_path: Path, **options) -> AssistantApp:
    options.setdefault("load_nlp", False)
    options.setdefault("cursor_blink", False)
    options.setdefault("export_dir", tmp_path / "exports")
    return AssistantApp(engine, **options)


async def settle(app, pilot) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def ask(app, pilot, question: str) -> None:
    prompt = app.screen.query_one("#prompt", QuestionPrompt)
    prompt.value = question
    await pilot.press("enter")
    await settle(app, pilot)


def shown_text(widget) -> str:
    """Every Static and OptionList text under `widget`, joined."""
    parts = []
    for node in widget.query("*"):
        if isinstance(node, OptionList):
            parts += [str(option.prompt) for option in node.options]
        elif isinstance(node, Static):
            parts.append(str(node.content))
    return "\n".join(parts)


def notifications(app) -> list:
    return list(app._notifications)


# -- asking ------------------------------------------------------------------------------


async def test_ask_with_the_real_core_shows_figure_and_citation(index_dir: Path, tmp_path: Path) -> None:
    """End to end: the real QA answers from the test corpus, the card shows its figure and source."""
    seen: list = []
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, QUESTION)
        ready = [m for m in seen if isinstance(m, AnswerReady)]
        assert ready, [m.error for m in seen if isinstance(m, AnswerFailed)]
        answer = ready[0].answer
        assert not answer.abstained and answer.value == 46, answer
        text = shown_text(app.screen.query_one(AnswerCard))
        assert "46 communes" in text
        assert f"[1] {DOC}" in text
        assert "Confiance" in text


async def test_follow_up_with_the_real_conversation(index_dir: Path, tmp_path: Path) -> None:
    """The session's Conversation reaches the core; a follow-up says which question it continued."""
    seen: list = []
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        if app.session.conversation is None:
            pytest.skip("the core has no Conversation yet")
        first = "Quel est le budget du schéma numérique en 2022 ?"
        await ask(app, pilot, first)
        await ask(app, pilot, "Et en 2021 ?")
        answers = [m.answer for m in seen if isinstance(m, AnswerReady)]
        assert len(answers) >= 2
        assert answers[-1].follow_up_of == first
        cards = list(app.screen.query(AnswerCard))
        assert f"↳ suite de « {first} »" in shown_text(cards[-1])


async def test_answer_card_shows_figure_cues_and_numbered_citations(index_dir: Path, tmp_path: Path) -> None:
    """The real answer to QUESTION: 46 communes, cited twice, contradicted by the committee's 45."""
    seen: list = []
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await ask(app, pilot, QUESTION)
        answers = [m.answer for m in seen if isinstance(m, AnswerReady)]
        assert answers and answers[0].value == 46, answers
        answer = answers[0]
        assert [c.document for c in answer.citations] == [DOC, DOC_2]
        assert [c.value for c in answer.conflicts] == [45]
        card = app.screen.query_one(AnswerCard)
        figure = card.query_one(".figure", Static)
        assert str(figure.content) == "46 communes"
        assert any("bold" in str(span.style) for span in figure.content.spans)
        text = shown_text(card)
        assert confidence_text(answer.confidence) in text
        assert "⚠ Attention : chiffres divergents" in text
        assert f"45 communes — {DOC_2} : « {QUOTE_2} »" in text
        assert f"[1] {DOC} · RAPPORT D'ACTIVITÉ 2021 DU PROGRAMME VILLAGES CONNECTÉS › 3. Aide au conseil" in text
        assert f"[2] {DOC_2} · COMPTE RENDU DU COMITÉ DE SUIVI 2021" in text
        assert QUOTE in text
        assert card.has_class("-conflict")


async def test_computed_answer_says_what_it_was_computed_from(index_dir: Path, tmp_path: Path) -> None:
    """The real QA computes 4 200 000 − 3 900 000 from one cited sentence; the card says so."""
    seen: list = []
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await ask(app, pilot, COMPUTED_QUESTION)
        answers = [m.answer for m in seen if isinstance(m, AnswerReady)]
        assert answers and answers[0].computed and answers[0].value == 300000, answers
        card = app.screen.query_one(AnswerCard)
        assert str(card.query_one(".figure", Static).content) == "300\u202f000 €"
        text = shown_text(card)
        assert "calculé : 4 200 000 − 3 900 000 = 300 000" in text.replace("\u202f", " ")
        assert "Calculé à partir de [1]" in text
        assert "[1] schema-numerique-2022.txt · BILAN DU SCHÉMA DÉPARTEMENTAL DU NUMÉRIQUE › 3. Budget du schéma" in text
        assert COMPUTED_QUOTE in text
        assert not card.has_class("-conflict")


async def test_typed_question_is_sent_and_prompt_cleared(index_dir: Path, tmp_path: Path) -> None:
    engine = InstrumentedEngine(index_dir)
    app = app_for(engine, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Deux", "space", *"mots", "question_mark", "enter")
        await settle(app, pilot)
        assert engine.asked[0][0] == "Deux mots?"
        assert app.screen.query_one("#prompt", QuestionPrompt).value == ""


async def test_follow_up_shows_the_question_it_continued(index_dir: Path, tmp_path: Path) -> None:
    engine = InstrumentedEngine(index_dir)
    app = app_for(engine, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await ask(app, pilot, "Et en 2020 ?")
        cards = list(app.screen.query(AnswerCard))
        assert len(cards) == 2
        assert f"↳ suite de « {QUESTION} »" in shown_text(cards[1])
        # The session's conversation is handed to the core with each question.
        assert [q for q, _ in engine.asked] == [QUESTION, "Et en 2020 ?"]
        assert all(conversation is not None for _, conversation in engine.asked)


async def test_abstention_reads_pas_trouve_and_lists_passages(index_dir: Path, tmp_path: Path) -> None:
    """The real QA abstains on UNANSWERABLE and cites the passages it read."""
    seen: list = []
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await ask(app, pilot, UNANSWERABLE)
        answers = [m.answer for m in seen if isinstance(m, AnswerReady)]
        assert answers and answers[0].abstained and answers[0].citations, answers
        card = app.screen.query_one(AnswerCard)
        text = shown_text(card)
        assert "PAS TROUVÉ" in text and "Passages à lire — 1–9 ou clic pour ouvrir" in text
        assert f"[1] {answers[0].citations[0].document}" in text
        assert not card.query(".figure")
        assert card.has_class("-abstained")
        assert not app.session.exchanges[0].suggested


async def test_abstention_without_citations_suggests_search_passages(index_dir: Path, tmp_path: Path) -> None:
    """The real QA abstains on VAGUE without citing anything: the chat offers full-text hits."""
    from assistant.tui.screens.passage import PassageScreen

    seen: list = []
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await ask(app, pilot, VAGUE)
        answer = [m.answer for m in seen if isinstance(m, AnswerReady)][0]
        assert answer.abstained and answer.citations
        card = app.screen.query_one(AnswerCard)
        text = shown_text(card)
        assert "PAS TROUVÉ" in text and "Passages à lire (recherche plein texte)" in text
        assert f"[1] {DOC}" in text
        assert app.session.exchanges[0].suggested  # the core cited nothing: these are search hits
        # Each hit is cited by a sentence of prose, never by its bare heading number (« 4. »).
        for citation in answer.citations:
            assert len(citation.quote.split()) >= 3, citation.quote
        await pilot.press("escape", "1")
        await settle(app, pilot)
        assert isinstance(app.screen, PassageScreen)
        assert answer.citations[0].quote in str(_quote_block(app).content)


async def test_core_exception_becomes_a_notification(index_dir: Path, tmp_path: Path) -> None:
    seen: list = []
    app = app_for(InstrumentedEngine(index_dir, fail=RuntimeError("base verrouillée [x]")), tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await ask(app, pilot, QUESTION)
        failed = [m for m in seen if isinstance(m, AnswerFailed)]
        assert failed and "RuntimeError" in failed[0].error
        errors = [n for n in notifications(app) if n.severity == "error"]
        assert errors and "base verrouillée [x]" in errors[0].message
        assert "Erreur" in shown_text(app.screen.query_one(AnswerCard))
        assert app.is_running
        # The app still answers afterwards.
        app.engine.fail = None
        await ask(app, pilot, QUESTION)
        assert any(isinstance(m, AnswerReady) for m in seen)


async def test_new_question_cancels_the_one_in_flight(index_dir: Path, tmp_path: Path) -> None:
    seen: list = []
    engine = InstrumentedEngine(index_dir)
    engine.gate = threading.Event()  # the first question stays in flight until released
    app = app_for(engine, tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        prompt = app.screen.query_one("#prompt", QuestionPrompt)
        prompt.value = "première question"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(AnswerCard).has_class("-busy")
        assert prompt.has_class("-busy")
        prompt.value = "seconde question"
        await pilot.press("enter")
        await pilot.pause()
        engine.gate.set()  # the first answer now arrives late: it must be dropped
        await settle(app, pilot)
        exchanges = app.session.exchanges
        assert [e.state for e in exchanges] == ["cancelled", "answered"]
        handled = {m.exchange_id for m in seen if isinstance(m, AnswerReady)}
        assert exchanges[1].id in handled
        assert "Annulée" in shown_text(app.screen.query(AnswerCard).first())


async def test_question_waits_for_the_language_model(index_dir: Path, tmp_path: Path) -> None:
    engine = InstrumentedEngine(index_dir)
    app = app_for(engine, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.nlp_state = "loading"
        await pilot.pause()
        assert "chargement" in str(app.screen.query_one("#status-line", Static).content)
        await ask(app, pilot, QUESTION)
        assert app.session.exchanges[0].state == "waiting" and not engine.asked
        assert "En attente du modèle" in shown_text(app.screen.query_one(AnswerCard))
        app.nlp_state = "ready"
        await settle(app, pilot)
        assert app.session.exchanges[0].state == "answered"


# -- citations and passages ------------------------------------------------------------------


def _quote_block(app) -> Static:
    return app.screen.query_one(".passage-block.-quote", Static)


async def test_key_opens_citation_with_quote_highlighted(index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.screens.passage import FIGURE_STYLE, QUOTE_STYLE, PassageScreen

    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("escape")  # from the prompt to the sources
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, PassageScreen)
        block = _quote_block(app)
        content = block.content
        plain = str(content)
        assert QUOTE in plain
        styled = {plain[s.start : s.end]: str(s.style) for s in content.spans}
        assert styled[QUOTE] == QUOTE_STYLE
        assert styled["46"] == FIGURE_STYLE
        # The whole section is shown, with its heading path.
        body = shown_text(app.screen.query_one("#passage-body"))
        assert "3. Aide au conseil" in body and "12 jours par commune" in body
        assert "3. Aide au conseil" in str(app.screen.query_one("#passage-where", Static).content)
        await pilot.press("escape")
        assert not isinstance(app.screen, PassageScreen)


async def test_click_on_citation_opens_its_passage(index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.screens.passage import PassageScreen

    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        citations = app.screen.query_one(".citations", OptionList)
        # The last line of the list belongs to the last citation, [2].
        await pilot.click(citations, offset=(4, citations.region.height - 1))
        await settle(app, pilot)
        assert isinstance(app.screen, PassageScreen)
        assert app.screen.request.label == "[2]"
        assert app.screen.request.document == DOC_2
        assert QUOTE_2 in str(_quote_block(app).content)


async def test_missing_citation_number_is_a_warning(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        app.action_open_citation(7)
        await pilot.pause()
        assert any("Pas de source n° 7" in n.message for n in notifications(app))


# -- history, clear, export, copy ------------------------------------------------------------


async def test_history_recall_and_persistence(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "première question")
        await ask(app, pilot, "seconde question")
    assert (index_dir / "history.jsonl").is_file()

    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.screen.query_one("#prompt", QuestionPrompt)
        prompt.value = "brouillon"
        await pilot.press("up")
        assert prompt.value == "seconde question"
        await pilot.press("up")
        assert prompt.value == "première question"
        await pilot.press("up")
        assert prompt.value == "première question"
        await pilot.press("down", "down")
        assert prompt.value == "brouillon"


async def test_ctrl_l_clears_the_transcript(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not app.screen.query(AnswerCard)
        assert app.session.exchanges == []
        assert app.screen.query("#welcome")


async def test_export_writes_markdown_with_citations(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not list((tmp_path / "exports").glob("conversation-*.md")), "Ctrl+S asks where first"
        await pilot.press("enter")  # the proposed path
        await pilot.pause()
        files = list((tmp_path / "exports").glob("conversation-*.md"))
        assert len(files) == 1
        text = files[0].read_text(encoding="utf-8")
        assert f"## 1. {QUESTION}" in text
        assert "**46 communes**" in text
        assert f"**[1]** {DOC}" in text and f"**[2]** {DOC_2}" in text
        assert "⚠ Attention : chiffres divergents" in text
        assert QUOTE in text and QUOTE_2 in text
        assert any(str(files[0]) in n.message for n in notifications(app))


async def test_export_from_the_command_palette(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the export dialog's proposed path
        await pilot.pause()
        assert list((tmp_path / "exports").glob("conversation-*.md"))


async def test_palette_lists_every_action(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE):
        titles = {title for title, _, _ in app.palette_commands()}
    for expected in (
        "Aide",
        "Chat",
        "Faits",
        "Documents",
        "Exporter la conversation",
        "Copier la réponse",
        "Effacer la transcription",
        "Ajouter un rapport ou un dossier",
        "Réindexer",
        "Thème clair / sombre",
        "Quitter",
        "Ouvrir la source 1",
    ):
        assert expected in titles


async def test_copy_puts_answer_and_citation_on_the_clipboard(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "46 communes" in app.clipboard
        assert f"[1] {DOC}" in app.clipboard and QUOTE in app.clipboard
        assert f"[2] {DOC_2}" in app.clipboard and "45 communes" in app.clipboard
        assert any("copiée" in n.message for n in notifications(app))


# -- facts -------------------------------------------------------------------------------------


async def test_facts_filter_narrows_rows_and_row_opens_passage(index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.screens.facts import FactsScreen
    from assistant.tui.screens.passage import FIGURE_STYLE, PassageScreen

    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, FactsScreen)
        total = screen.row_count
        assert total == len(screen.facts) > 5
        await pilot.press(*"communes")
        await pilot.pause()
        narrowed = screen.row_count
        assert 0 < narrowed < total
        assert all("commune" in (f.sentence + f.subject).lower() for f in screen.shown)
        # Accents and case are ignored.
        screen.query_one("#facts-grep", Input).value = "ELUS"
        await pilot.pause()
        assert 0 < screen.row_count < total
        # Kind filter.
        screen.query_one("#facts-grep", Input).value = ""
        screen.query_one("#facts-kind").value = "money"
        await pilot.pause()
        assert 0 < screen.row_count < total and all(f.kind == "money" for f in screen.shown)
        # Sort by value, then reversed.
        screen.sort_by("value")
        values = [f.value for f in screen.shown]
        assert values == sorted(values)
        screen.sort_by("value")
        assert [f.value for f in screen.shown] == sorted(values, reverse=True)
        # Enter on a row opens the fact's sentence with the figure emphasised.
        fact = screen.shown[0]
        screen.query_one("#facts-table", DataTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PassageScreen)
        content = _quote_block(app).content
        plain = str(content)
        assert any(str(s.style) == FIGURE_STYLE and plain[s.start : s.end] == fact.raw for s in content.spans)


# -- documents and indexing ----------------------------------------------------------------------


async def test_add_report_makes_counts_grow(built: BuiltIndex, index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.screens.dialogs import PathPromptScreen
    from assistant.tui.screens.documents import DocumentsScreen

    seen: list = []
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one("#documents-table", DataTable)
        assert table.row_count == len(REPORTS)
        before = app.index_status
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        app.screen.query_one("#path-input", Input).value = str(built.extra)
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert any(isinstance(m, IndexComplete) for m in seen)
        assert table.row_count == len(REPORTS) + 1
        assert app.index_status.documents == before.documents + 1
        assert app.index_status.sections > before.sections
        assert EXTRA_REPORT[0] in [str(k.value) for k in table.rows]
        assert any("Indexation terminée : 1 ajouté," in n.message for n in notifications(app))


async def test_remove_document_after_confirmation(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        table = app.screen.query_one("#documents-table", DataTable)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("o")
        await settle(app, pilot)
        await settle(app, pilot)
        assert table.row_count == len(REPORTS) - 1
        assert app.index_status.documents == len(REPORTS) - 1


async def test_failures_are_listed_with_their_reason(built: BuiltIndex, tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(REPORTS["evaluation-mediation.txt"], encoding="utf-8")
    (corpus / "casse.pdf").write_bytes(b"%PDF-1.4 ceci n'est pas un PDF")
    app = make_app(tmp_path / "idx", load_nlp=False, cursor_blink=False, offer_setup=False)
    app.engine.index([corpus])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        status = app.index_status
        failures = app.screen.query_one("#documents-failures", Static)
        if status.failures:
            assert failures.display
            assert "casse.pdf —" in str(failures.content)
        else:
            assert not failures.display


async def test_no_index_offers_to_index_the_corpus(built: BuiltIndex, tmp_path: Path) -> None:
    from assistant.tui.screens.setup import SetupScreen

    seen: list = []
    app = make_app(tmp_path / "new-index", corpus_dir=built.corpus, load_nlp=False, cursor_blink=False)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#setup-path", Input).value == str(built.corpus)
        assert "Pas d'index" in str(app.screen_stack[0].query_one("#status-line", Static).content)
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert any(isinstance(m, IndexComplete) for m in seen)
        assert not isinstance(app.screen, SetupScreen)
        assert app.index_state == "ready" and app.index_status.documents == len(REPORTS)


class SlowIndexEngine(InstrumentedEngine):
    """Indexing that reports progress and honours the cancel event between files."""

    def status(self):
        raise type("IndexMissing", (Exception,), {})("no index")

    def index(self, paths, rebuild=False, progress=None, cancel=None):
        report = IndexReport()
        for n in range(1, 51):
            if cancel is not None and cancel.is_set():
                break
            time.sleep(0.05)
            report.added.append(f"f{n}.txt")
            report.sections += 3
            if progress:
                progress(IndexProgress(done=n, total=50, path=f"f{n}.txt", sections=report.sections))
        return report


async def test_indexing_shows_progress_and_can_be_cancelled(built: BuiltIndex, index_dir: Path, tmp_path: Path) -> None:
    from textual.widgets import ProgressBar

    seen: list = []
    app = app_for(SlowIndexEngine(index_dir), tmp_path, corpus_dir=built.corpus)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        from assistant.tui.screens.setup import SetupScreen

        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.start()  # what Enter does (pilot.press would wait for the whole run)
        await pilot.pause(0.4)
        label = str(app.screen.query_one(".index-label", Static).content)
        assert "fichiers" in label and "sections" in label
        assert app.screen.query_one(ProgressBar).total == 50
        await pilot.press("escape")
        await settle(app, pilot)
        complete = [m for m in seen if isinstance(m, IndexComplete)]
        assert complete and complete[0].cancelled
        assert len(complete[0].report.added) < 50
        assert any("Indexation annulée" in n.message for n in notifications(app))


# -- help, theme, size -------------------------------------------------------------------------


async def test_help_opens_with_f1_and_question_mark(index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.screens.help import HelpScreen

    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).content)
        assert "Ctrl+S" in text and "Exemples de questions" in text and "Example questions (English)" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        # `?` opens it when the prompt is not focused (in the prompt it is typed).
        await pilot.press("f3")
        await settle(app, pilot)
        app.screen.query_one("#facts-table").focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_theme_toggles_between_dark_and_light(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_works_at_80_by_24(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(InstrumentedEngine(index_dir), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(app, pilot, QUESTION)
        screen = app.screen
        prompt = screen.query_one("#prompt")
        assert prompt.region.bottom <= 23 and prompt.region.height == 3
        card = screen.query_one(AnswerCard)
        assert card.region.height > 0
        assert screen.query_one("#transcript").region.height >= 15


def test_nlp_worker_loads_in_a_thread(index_dir: Path, tmp_path: Path) -> None:
    """The language model is loaded by a worker, never on the UI thread."""
    import asyncio

    threads: list[str] = []
    import assistant.tui.app as app_module

    original = app_module.AssistantApp._warm_up_qa

    def spy() -> None:
        threads.append(threading.current_thread().name)
        original()

    async def run() -> str:
        app = app_for(InstrumentedEngine(index_dir), tmp_path, load_nlp=True)
        app._warm_up_qa = spy  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(100):
                await pilot.pause(0.1)
                if app.nlp_state != "loading":
                    break
            return app.nlp_state

    state = asyncio.run(run())
    assert state in ("ready", "absent")
    assert threads and threads[0] != threading.main_thread().name
