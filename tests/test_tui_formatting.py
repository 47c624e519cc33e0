"""Unit tests of the TUI's pure helpers: figures, cues, history, passages, export (no Textual app)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.models import Answer, Citation, Conflict, Document, Fact, Section
from assistant.tui.export import conversation_to_markdown, write_export
from assistant.tui.formatting import (
    NBSP,
    answer_to_text,
    citation_label,
    computed_text,
    confidence_text,
    error_reason,
    format_figure,
    format_number,
    plural,
)
from assistant.tui.history import History
from assistant.tui.passage import PassageRequest, best_sentence, build_passage, find_figure
from assistant.tui.session import Exchange, Session


def test_numbers_and_figures_read_the_french_way() -> None:
    assert format_number(12700000000) == f"12{NBSP}700{NBSP}000{NBSP}000"
    assert format_number(59.26) == "59,26"
    assert format_number(98541.5) == f"98{NBSP}541,5"
    assert format_number(17.0) == "17"
    assert format_figure(17, "projet", "count") == "17 projets"
    assert format_figure(1, "projet", "count") == "1 projet"
    assert format_figure(59.26, "%", "percent") == "59,26 %"
    assert format_figure(2007, "an", "date") == "2007"
    assert format_figure(12.7e9, "EUR", "money") == f"12{NBSP}700{NBSP}000{NBSP}000 € (12,7 Md€)"
    assert format_figure(12, "mois", "duration") == "12 mois"
    assert format_figure(None, None) == ""
    assert plural("journal", 3) == "journaux" and plural("bureau", 2) == "bureaux" and plural("ETP", 4) == "ETP"


def test_confidence_is_text_not_only_colour() -> None:
    assert confidence_text(0.86) == "Confiance : élevée ●●● (86 %)"
    assert confidence_text(0.6).startswith("Confiance : moyenne ●●○")
    assert confidence_text(0.1).startswith("Confiance : faible ●○○")


def _answer(**update) -> Answer:
    citation = Citation(document="a.txt", section="Titre › 2. Partie", page=3, start=10, end=20, quote="Le  texte\\ncité.")
    base = Answer(question="Q ?", answer="Réponse.", value=17, unit="projet", kind="count", confidence=0.9, citations=[citation])
    return base.model_copy(update=update)


def test_citation_label_and_computed_text() -> None:
    answer = _answer(computed=True, citations=[_answer().citations[0]] * 3)
    assert citation_label(1, answer.citations[0]) == "[1] a.txt · Titre › 2. Partie · p. 3"
    assert computed_text(answer) == "Calculé à partir de [1], [2] et [3]"
    assert computed_text(_answer()) == ""


def test_clipboard_text_has_answer_and_citations() -> None:
    text = answer_to_text("Q ?", _answer(conflicts=[Conflict(value=16, quote="16 projets", document="b.txt", start=0, end=1)]))
    assert "R : 17 projets — Réponse." in text
    assert "⚠ Attention" in text and "16 projets — b.txt" in text
    assert "[1] a.txt · Titre › 2. Partie · p. 3" in text
    abstained = answer_to_text("Q ?", _answer(abstained=True, value=None))
    assert "Pas trouvé" in abstained and "Passages à lire" in abstained


def test_error_reason_keeps_user_errors_plain() -> None:
    assert error_reason(RuntimeError("boom")) == "RuntimeError : boom"
    user_error = type("IndexMissing", (Exception,), {})("no index in x/")
    assert error_reason(user_error) == "no index in x/"


def test_history_browses_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "idx" / "history.jsonl"
    history = History(path)
    for q in ("un", "deux", "deux", "trois"):
        assert history.add(q) is None
    assert history.entries == ["un", "deux", "trois"]
    assert history.previous("brouillon") == "trois"
    assert history.previous("trois") == "deux"
    assert history.next() == "trois"
    assert history.next() == "brouillon"
    assert history.next() is None
    path.open("a", encoding="utf-8").write("pas du json\n")
    reloaded = History(path)
    assert reloaded.entries == ["un", "deux", "trois"]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["question"] == "un"


def test_history_write_failure_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    history = History(blocker / "history.jsonl")
    assert history.add("question") is not None
    assert history.entries == ["question"]


TEXT = "Titre\n1. Partie\nPremière phrase. Au total, 17 projets sur 27 ont poursuivi.\nSuite du texte.\n2. Autre\nAutre texte 45 %.\n"


def _doc() -> tuple[Document, list[Section]]:
    doc = Document(path="r.txt", title="Titre", format="txt", sha256="x", size=1, mtime=0, encoding="utf-8", text=TEXT)
    cut = TEXT.index("2. Autre")
    sections = [
        Section(
            id=1,
            document="r.txt",
            ordinal=0,
            heading="1. Partie",
            heading_path=["Titre", "1. Partie"],
            text=TEXT[:cut],
            start=0,
            end=cut,
        ),
        Section(
            id=2,
            document="r.txt",
            ordinal=1,
            heading="2. Autre",
            heading_path=["Titre", "2. Autre"],
            text=TEXT[cut:],
            start=cut,
            end=len(TEXT),
        ),
    ]
    return doc, sections


def test_passage_is_the_covering_section_with_quote_and_figure() -> None:
    doc, sections = _doc()
    start = TEXT.index("Au total")
    end = TEXT.index(" ont poursuivi.") + len(" ont poursuivi.")
    view = build_passage(doc, sections, PassageRequest("r.txt", start, end, value=17))
    assert view.heading_path == ["Titre", "1. Partie"]
    assert view.text == sections[0].text
    assert TEXT[view.quote[0] : view.quote[1]].startswith("Au total")
    assert TEXT[view.figure[0] : view.figure[1]] == "17"
    blocks = view.blocks()
    assert "".join(b[0] for b in blocks) == view.text
    quote_block = [b for b in blocks if b[2]][0]
    assert quote_block[0].startswith("Première phrase.") and quote_block[1] == TEXT.index("Première")


def test_passage_prefers_the_stored_fact_span() -> None:
    doc, sections = _doc()
    start = TEXT.index("Au total")
    fact_start = TEXT.index("27")
    fact = Fact(
        document="r.txt",
        section_ordinal=0,
        value=27,
        kind="count",
        raw="27",
        sentence="x",
        sentence_start=start,
        sentence_end=start + 40,
        start=fact_start,
        end=fact_start + 2,
    )
    view = build_passage(doc, sections, PassageRequest("r.txt", start, start + 40, value=27), facts=[fact])
    assert view.figure == (fact_start, fact_start + 2)


def test_passage_outside_sections_shows_a_window() -> None:
    doc, _ = _doc()
    view = build_passage(doc, [], PassageRequest("r.txt", TEXT.index("Autre texte"), TEXT.index(" 45")))
    assert not view.whole_section and view.notes
    assert "Autre texte" in view.text


def test_find_figure_matches_scaled_values() -> None:
    text = "Le budget atteint 12,7 milliards d'euros et 1 250 000 € de plus."
    assert text[slice(*find_figure(text, 0, 12.7e9))] == "12,7"
    assert text[slice(*find_figure(text, 0, 1250000))] == "1 250 000"
    assert find_figure(text, 0, 99) is None


def test_markdown_export_has_every_citation(tmp_path: Path) -> None:
    session = Session()
    exchange = session.new("Combien de *projets* ?")
    exchange.answer = _answer(follow_up_of="Question d'avant ?")
    exchange.state = "answered"
    failed = session.new("Et ça ?")
    failed.state, failed.error = "failed", "RuntimeError : boom"
    text = conversation_to_markdown(session.exchanges, index_dir="idx", now=0)
    assert "## 1. Combien de \\*projets\\* ?" in text
    assert "*Suite de : « Question d'avant ? »*" in text
    assert "**17 projets** — Réponse." in text
    assert "- **[1]** a.txt · Titre › 2. Partie · p. 3 (caractères 10–20)" in text
    assert "> « Le texte\\\\ncité. »" in text or "« Le texte" in text
    assert "*Sans réponse : RuntimeError : boom*" in text
    path = write_export(session.exchanges, tmp_path)
    assert path.is_file() and path.read_text(encoding="utf-8").startswith("# Conversation")
    assert write_export(session.exchanges, tmp_path) != path


def test_exchange_states() -> None:
    exchange = Exchange(id=1, question="q")
    assert not exchange.done
    exchange.state = "cancelled"
    assert exchange.done


def test_best_sentence_is_the_one_closest_to_the_question() -> None:
    text = "Premier point sans rapport.  Le budget des écoles atteint 3 000 €. Fin."
    start, end = best_sentence(text, "Quel est le budget des écoles ?")
    assert text[start:end] == "Le budget des écoles atteint 3 000 €."
