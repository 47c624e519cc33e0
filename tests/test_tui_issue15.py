"""Pilot tests of the chat for the new-user and auditor defects of issue 15.

Same pattern as :mod:`test_tui`: the real core over the session's test index
(:mod:`test_tui_support`), each test on a private copy of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_tui_support import DOC, QUESTION, QUOTE, BuiltIndex, InstrumentedEngine, build_index, copy_index
from textual.widgets import DataTable, Input

from assistant.models import Answer, Citation
from assistant.tui.app import AssistantApp
from assistant.tui.screens.dialogs import PathPromptScreen
from assistant.tui.widgets.answer_card import AnswerCard, CitationList
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
    return copy_index(built, tmp_path)


def app_for(index_dir: Path, tmp_path: Path, **options) -> AssistantApp:
    options.setdefault("load_nlp", False)
    options.setdefault("cursor_blink", False)
    options.setdefault("export_dir", tmp_path / "exports")
    return AssistantApp(InstrumentedEngine(index_dir), **options)


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def ask(app, pilot, question: str) -> None:
    app.screen.query_one("#prompt", QuestionPrompt).value = question
    await pilot.press("enter")
    await settle(app, pilot)


def messages(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


# -- the prompt -----------------------------------------------------------------------


async def test_prompt_takes_several_lines_and_enter_asks(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = app.screen.query_one("#prompt", QuestionPrompt)
        height = prompt.region.height
        await pilot.press(*"Combien de communes")
        await pilot.press("ctrl+j")
        await pilot.press(*"ont beneficie de l'aide au conseil en 2021 ?")
        await pilot.pause()
        assert prompt.value == "Combien de communes\nont beneficie de l'aide au conseil en 2021 ?"
        assert prompt.region.height > height, "the prompt grows with the question"
        long = "Quelle est " + "la très longue question " * 12 + "?"
        prompt.value = long
        await pilot.pause()
        assert prompt.region.height > height and prompt.region.bottom <= 23
        prompt.value = QUESTION
        await pilot.press("enter")
        await settle(app, pilot)
        assert [e.question for e in app.session.exchanges] == [QUESTION]
        assert prompt.value == ""


async def test_tab_moves_from_the_prompt_to_the_sources_and_back(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        prompt = app.screen.query_one("#prompt", QuestionPrompt)
        assert app.focused is prompt
        await pilot.press("tab")
        assert isinstance(app.focused, CitationList)
        await pilot.press("tab")
        assert app.focused is prompt


async def test_ctrl_r_searches_the_history(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "première question sur les élus")
        await ask(app, pilot, "seconde question sur le budget")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickScreen"
        await pilot.press(*"élus")
        await pilot.pause()
        assert app.screen.shown == ["première question sur les élus"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#prompt", QuestionPrompt).value == "première question sur les élus"


async def test_ctrl_f_finds_an_exchange_of_the_transcript(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await ask(app, pilot, "Combien d'espaces publics numériques compte le département ?")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickScreen"
        word = QUOTE.split()[3]  # a word of the first answer's cited passage
        await pilot.press(*word)
        await pilot.pause()
        assert app.screen.shown == [1]
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen.query_one("#exchange-1", AnswerCard)
        assert card.has_class("-match") and app.focused in card.query(CitationList)


# -- saved conversations, settings, export -----------------------------------------------


async def test_conversations_are_saved_per_index_and_reopened(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
    saved = list((index_dir / "conversations").glob("conversation-*.json"))
    assert len(saved) == 1
    assert json.loads(saved[0].read_text(encoding="utf-8"))["exchanges"][0]["question"] == QUESTION

    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickScreen"
        await pilot.press("enter")
        await settle(app, pilot)
        cards = list(app.screen.query(AnswerCard))
        assert len(cards) == 1 and cards[0].exchange.answer is not None
        assert cards[0].exchange.answer.value == 46
        # The core conversation comes back too: a follow-up continues the reopened question.
        assert [t.question for t in app.session.conversation.turns] == [QUESTION]
        # A question asked now continues the reopened conversation's file.
        await ask(app, pilot, "Combien d'espaces publics numériques compte le département ?")
    saved = list((index_dir / "conversations").glob("conversation-*.json"))
    assert len(saved) == 1 and len(json.loads(saved[0].read_text(encoding="utf-8"))["exchanges"]) == 2


async def test_the_theme_is_remembered(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
    assert json.loads((index_dir / "settings.json").read_text(encoding="utf-8"))["theme"] == "textual-light"
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE):
        assert not app.current_theme.dark


async def test_ctrl_s_asks_where_to_export(index_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for(index_dir, tmp_path, export_dir=None)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, QUESTION)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        field = app.screen.query_one("#path-input", Input)
        assert field.value.startswith(str(index_dir / "exports")), field.value
        target = tmp_path / "dossier" / "ma-conversation.md"
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.is_file() and f"## 1. {QUESTION}" in target.read_text(encoding="utf-8")
        assert any(str(target) in m for m in messages(app))
    assert not list(tmp_path.glob("conversation-*.md")), "nothing written into the current folder"


# -- French throughout -------------------------------------------------------------------


async def test_ctrl_c_says_how_to_quit_in_french(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#prompt").blur()
        await pilot.press("ctrl+c")
        await pilot.pause()
        texts = messages(app)
        assert any("Ctrl+Q" in m and "quitter" in m.lower() for m in texts), texts
        assert not any("[b]" in m or "Press" in m for m in texts), texts


async def test_palette_system_commands_are_french_and_screenshot_saves(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quitter" in titles and "Thème" in titles and "Capture d'écran" in titles
        assert not {"Quit", "Theme", "Screenshot", "Keys", "Maximize"} & set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"capture")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        shots = list((tmp_path / "exports").glob("capture-*.svg"))
        assert len(shots) == 1 and shots[0].read_text(encoding="utf-8").lstrip().startswith("<svg")
        assert any(str(shots[0]) in m for m in messages(app))
        assert not any("Failed" in m for m in messages(app))


# -- widths ------------------------------------------------------------------------------


def test_a_cut_snippet_keeps_the_figure_whole() -> None:
    from assistant.tui.formatting import snippet

    text = (
        "Le dispositif a permis d'accompagner de nombreuses entreprises régionales sur toute la période considérée "
        "par le rapport, soit un taux de réussite de 71,2 % pour les dossiers instruits par les services de la région."
    )
    at = text.index("71,2 %")
    for limit in (40, 60, 90):
        cut = snippet(text, limit, (at, at + len("71,2 %")))
        assert "71,2 %" in cut and len(cut) <= limit, cut


async def test_citation_quotes_use_the_width_there_is(index_dir: Path, tmp_path: Path) -> None:
    from assistant.tui.widgets.answer_card import citation_prompt

    quote = (
        "Selon le rapport de l'année, après une longue période de préparation et de concertation avec "
        "l'ensemble des partenaires institutionnels et associatifs du territoire, au total 4 612 communes "
        "rurales ont bénéficié de l'aide au conseil, et la démarche se poursuit sur l'ensemble du département."
    )
    answer = Answer(
        question="q",
        answer="4 612 communes",
        value=4612,
        unit="commune",
        kind="count",
        confidence=0.9,
        citations=[Citation(document=DOC, section="3. Aide", start=0, end=len(quote), quote=quote)],
    )
    narrow = str(citation_prompt(1, answer.citations[0], 40, answer))
    wide = str(citation_prompt(1, answer.citations[0], 160, answer))
    assert "4 612" in narrow and "4 612" in wide
    assert quote in " ".join(wide.split()), "at 160 columns the whole quote is shown"
    assert len(narrow) < len(wide)


async def test_facts_table_uses_the_width_and_shows_qualifiers(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        table = app.screen.query_one("#facts-table", DataTable)
        keys = [str(k.value) for k in table.columns]
        assert "qualifiers" in keys
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        assert sum(widths.values()) > 120, widths
        subjects = [f.subject for f in app.screen.shown]
        longest = max(subjects, key=len)
        assert len(longest) <= widths["subject"] or widths["subject"] >= 40
        target = [f for f in app.screen.shown if "objectif" in f.qualifiers]
        assert target, "the test corpus states a target"
        row = app.screen.shown.index(target[0])
        assert "objectif" in str(table.get_row_at(row)[keys.index("qualifiers")])


async def test_facts_view_exports_what_it_shows(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        app.screen.query_one("#facts-grep", Input).value = "foyers"
        await pilot.pause()
        shown = list(app.screen.shown)
        assert shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        target = tmp_path / "faits.csv"
        app.screen.query_one("#path-input", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("value;unit;kind;") and len(lines) == len(shown) + 1


async def test_errors_in_the_chat_name_no_shell_command(tmp_path: Path) -> None:
    from assistant.tui.formatting import error_reason

    class IndexVersionMismatch(Exception):
        pass

    reason = error_reason(
        IndexVersionMismatch(
            "index/index.sqlite is format 1, expected 2 — lancez : assistant index --rebuild CHEMIN --index-dir index"
        )
    )
    assert "assistant index" not in reason and "--" not in reason and "index/index.sqlite" in reason
    assert "F4" in reason or "Réindexer" in reason


async def test_documents_table_uses_the_width(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        table = app.screen.query_one("#documents-table", DataTable)
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        assert sum(widths.values()) > 120 and widths["title"] > 30, widths
        titles = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert not any(t.endswith("…") for t in titles), titles


async def test_the_command_palette_speaks_french(index_dir: Path, tmp_path: Path) -> None:
    from textual.command import CommandInput, CommandPalette

    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Chercher une commande…"
        await pilot.press(*"zzzzqqq")
        await pilot.pause(1.0)
        shown = [str(o.prompt) for o in app.screen.query_one("CommandList").options]
        assert not any("No matches" in s for s in shown), shown


async def test_palette_lists_the_new_actions(index_dir: Path, tmp_path: Path) -> None:
    app = app_for(index_dir, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        titles = {title for title, _, _ in app.palette_commands()}
        for expected in (
            "Rouvrir une conversation",
            "Chercher dans l'historique",
            "Chercher dans la transcription",
            "Exporter les faits affichés",
        ):
            assert expected in titles
        await settle(app, pilot)
        app.action_export_facts()
        await settle(app, pilot)
        assert isinstance(app.screen, PathPromptScreen)
        assert app.screen.query_one("#path-input", Input).value.endswith(".csv")


async def test_first_run_dialog_says_where_the_index_will_live(tmp_path: Path) -> None:
    from assistant.tui.app import make_app

    index_dir = tmp_path / "nouvel-index"
    app = make_app(index_dir, corpus_dir=tmp_path, load_nlp=False, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        text = " ".join(str(s.content) for s in app.screen.query("Static"))
        assert str(index_dir.resolve()) in " ".join(text.split())


def test_a_long_conflicting_quote_keeps_its_figure() -> None:
    from assistant.models import Conflict
    from assistant.tui.formatting import conflict_line

    quote = (
        "Selon le tableau de bord, "
        + "après de nombreuses réunions de concertation, " * 8
        + "45 communes ont bénéficié de l'aide."
    )
    answer = Answer(question="q", answer="46 communes", value=46, unit="commune", kind="count", confidence=0.9)
    line = conflict_line(Conflict(value=45, quote=quote, document=DOC, start=0, end=len(quote)), answer)
    assert "45 communes ont" in line and len(line) < 320
