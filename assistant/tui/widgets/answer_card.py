"""One exchange of the transcript: the question, then the answer with its cues and citations.

The card is a pure function of its :class:`Exchange`: when the exchange
changes (answered, failed, cancelled) the chat screen calls
:meth:`AnswerCard.refresh_exchange`, which recomposes it.  Every cue is text
(``PAS TROUVÉ``, ``⚠ Attention``, ``Confiance : élevée ●●●``): colour only
repeats it.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from assistant.models import Answer, Citation
from assistant.tui.formatting import (
    answer_headline,
    citation_label,
    computed_text,
    confidence_level,
    confidence_text,
    conflict_line,
    conflict_title,
    figure_focus,
    one_line,
    snippet,
)
from assistant.tui.messages import CitationChosen
from assistant.tui.session import Exchange

QUOTE_LINES = 3
"""Lines of the card a cited quote may take before it is cut (around the figure)."""


def citation_prompt(number: int, citation: Citation, width: int = 110, answer: Answer | None = None) -> Content:
    """`[1] document · section · p. 3` and, below it, the quote in the width there is, the figure always whole."""
    limit = max(40, (width - 8) * QUOTE_LINES)
    focus = figure_focus(answer, citation.quote) if answer is not None and number == 1 else None
    return Content.assemble(
        (f"[{number}]", "bold"),
        " " + citation_label(number, citation).split("] ", 1)[1],
        "\n",
        (f"    « {snippet(citation.quote, limit, focus)} »", "italic dim"),
    )


class CitationList(OptionList):
    """The numbered citations of one answer: Enter, a click or the keys 1–9 open a passage."""

    def __init__(self, exchange_id: int, citations: list[Citation], answer: Answer | None = None, **kwargs) -> None:
        options = [Option(citation_prompt(n, c, answer=answer), id=str(n)) for n, c in enumerate(citations, start=1)]
        super().__init__(*options, **kwargs)
        self.exchange_id = exchange_id
        self.citations = citations
        self.answer = answer
        self._width = 0

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if width and width != self._width:
            self._width = width
            for n, citation in enumerate(self.citations, start=1):
                self.replace_option_prompt_at_index(n - 1, citation_prompt(n, citation, width, self.answer))

    def on_mount(self) -> None:
        # No highlight until the list has the focus: the cursor shows where the user is.
        self.highlighted = None

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(CitationChosen(self.exchange_id, event.option_index + 1))


class AnswerCard(Vertical):
    """A question and what the core answered (or why it did not)."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(id=f"exchange-{exchange.id}", classes="answer-card")
        self.exchange = exchange
        self._set_state_classes()

    def _set_state_classes(self) -> None:
        ex = self.exchange
        answer = ex.answer
        self.set_class(not ex.done, "-busy")
        self.set_class(ex.state == "failed", "-failed")
        self.set_class(ex.state == "cancelled", "-cancelled")
        self.set_class(answer is not None and answer.abstained, "-abstained")
        self.set_class(answer is not None and bool(answer.conflicts), "-conflict")

    def refresh_exchange(self) -> None:
        """Show the exchange's new state."""
        self._set_state_classes()
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        ex = self.exchange
        yield Static(Content.assemble(("Q", "bold reverse"), " ", (ex.question, "bold")), classes="question")
        answer = ex.answer
        if answer is not None and answer.follow_up_of:
            yield Static(Content(f"↳ suite de « {one_line(answer.follow_up_of, 120)} »"), classes="follow-up")
        if ex.state == "waiting":
            yield Static(
                Content("En attente du modèle linguistique… (la question partira dès qu'il est prêt)"), classes="pending"
            )
            return
        if ex.state == "answering":
            with Vertical(classes="pending"):
                yield LoadingIndicator()
                yield Static(Content("Recherche dans les rapports…"), classes="pending-text")
            return
        if ex.state == "cancelled":
            yield Static(Content("Annulée : remplacée par la question suivante."), classes="cancelled")
            return
        if ex.state == "failed" or answer is None:
            yield Static(Content(f"Erreur : {ex.error or 'pas de réponse'} (détail dans la notification)"), classes="error")
            return
        if answer.abstained:
            yield Static(Content.assemble(("PAS TROUVÉ", "bold reverse"), " ", answer.answer), classes="abstained")
            if answer.citations:
                origin = " (recherche plein texte)" if ex.suggested else ""
                yield Static(Content(f"Passages à lire{origin} — 1–9 ou clic pour ouvrir :"), classes="sources-title")
                yield CitationList(ex.id, answer.citations, answer, classes="citations")
            else:
                yield Static(Content("Aucun passage proche dans l'index."), classes="sources-title")
            return
        headline = answer_headline(answer)
        if headline:
            yield Static(Content.styled(headline, "bold"), classes="figure")
        yield Static(Content(answer.answer), classes="sentence")
        word, _ = confidence_level(answer.confidence)
        meta = [confidence_text(answer.confidence)]
        if answer.computed:
            meta.append(computed_text(answer))
        yield Static(Content("  ·  ".join(meta)), classes=f"meta -confidence-{word.replace('é', 'e')}")
        if answer.conflicts:
            lines = [conflict_title(answer)] + [f"  • {conflict_line(c, answer)}" for c in answer.conflicts]
            yield Static(Content("\n".join(lines)), classes="conflict")
        if answer.citations:
            yield Static(Content("Sources (1–9 ou clic pour ouvrir) :"), classes="sources-title")
            yield CitationList(ex.id, answer.citations, answer, classes="citations")
