"""The chat: a transcript of answer cards above the question prompt.

Answering runs in a thread worker (``group="answer"``, exclusive: a new
question cancels the one in flight, whose late result is dropped).  Until the
language model is loaded, a question waits in the transcript and leaves as
soon as it is ready.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from assistant.models import Answer, Citation
from assistant.tui.conversations import (
    conversation_path,
    list_conversations,
    load_conversation,
    restore_context,
    save_conversation,
    to_exchanges,
)
from assistant.tui.formatting import answer_to_text, error_reason, one_line
from assistant.tui.messages import AnswerFailed, AnswerReady, CitationChosen, QuestionSubmitted
from assistant.tui.passage import PassageRequest, best_sentence
from assistant.tui.screens.base import BaseScreen
from assistant.tui.session import Exchange, snapshot_conversation
from assistant.tui.widgets.answer_card import AnswerCard
from assistant.tui.widgets.prompt import QuestionPrompt
from assistant.tui.widgets.status_line import StatusLine

WELCOME = """Posez une question sur les rapports indexés : la réponse donne le chiffre exact et le passage d'où il vient.

Exemples :
  • Combien de projets ont poursuivi leur démarche en phase « projets innovants » ?
  • Quelle est la durée moyenne d'une mission d'aide au conseil, en jours ?
  • What was the total FEDER contribution for the training of elected officials?

Entrée : envoyer · Maj+Entrée ou Ctrl+J : nouvelle ligne · ↑↓ : historique (Ctrl+R : chercher)
Tab ou Échap : aller aux sources, puis 1–9 · Ctrl+F : chercher dans la transcription
Ctrl+O : rouvrir une conversation · Ctrl+S : exporter · F1 : aide"""


def suggest_passages(engine, answer: Answer, k: int = 3) -> Answer:
    """An abstention without citations, given the k best passages of a full-text search.

    The core may abstain without citing anything; the chat still lists
    passages worth reading (BM25 over the sections), each cited by its
    sentence closest to the question.  A search failure leaves the answer as is.
    """
    try:
        hits = engine.search(answer.question, k=k)
    except Exception:
        return answer
    citations = []
    for hit in hits:
        section = hit.section
        s0, s1 = best_sentence(section.text, answer.question)
        citations.append(
            Citation(
                document=section.document,
                section=" › ".join(section.heading_path),
                page=section.page,
                start=section.start + s0,
                end=section.start + s1,
                quote=section.text[s0:s1],
            )
        )
    return answer.model_copy(update={"citations": citations})


class ChatScreen(BaseScreen):
    """Questions and cited answers."""

    BINDINGS = [
        Binding("ctrl+l", "clear", "Effacer"),
        Binding("ctrl+s", "export", "Export"),
        Binding("ctrl+y", "copy_answer", "Copier"),
        Binding("escape", "toggle_focus", "Prompt/sources", show=False),
        Binding("tab", "toggle_focus", "Prompt/sources", show=False),
        Binding("ctrl+r", "search_history", "Historique", show=False),
        Binding("ctrl+f", "search_transcript", "Chercher", show=False),
        Binding("ctrl+o", "open_conversation", "Rouvrir", show=False),
        *[Binding(str(n), f"open_citation({n})", f"Source {n}", show=False) for n in range(1, 10)],
        *[Binding(f"alt+{n}", f"open_citation({n})", f"Source {n}", show=False, priority=True) for n in range(1, 10)],
    ]

    def __init__(self) -> None:
        super().__init__(id="chat")
        self._in_flight: int | None = None
        self._waiting: int | None = None
        self._started_at = time.time()
        self._save_error_shown = False

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status-line")
        with VerticalScroll(id="transcript"):
            yield Static(Content(WELCOME), id="welcome")
        yield QuestionPrompt(self.app.history, id="prompt")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#transcript", VerticalScroll).anchor()
        self.query_one("#prompt", QuestionPrompt).focus()
        self.watch(self.app, "nlp_state", self._nlp_state_changed, init=False)

    @property
    def session(self):
        return self.app.session

    def card(self, exchange_id: int) -> AnswerCard | None:
        """The card of an exchange, if still shown."""
        cards = self.query(f"#exchange-{exchange_id}")
        return cards.first(AnswerCard) if cards else None

    # -- asking ------------------------------------------------------------------

    @on(QuestionPrompt.Submitted, "#prompt")
    def _submitted(self, event: QuestionPrompt.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        if not question:
            return
        prompt = self.query_one("#prompt", QuestionPrompt)
        prompt.clear()
        error = self.app.history.add(question)
        if error:
            self.notify(error, severity="warning")
        self.post_message(QuestionSubmitted(question))

    def on_question_submitted(self, message: QuestionSubmitted) -> None:
        self.ask(message.question)

    def ask(self, question: str) -> Exchange:
        """Put `question` in the transcript and answer it (cancelling the one in flight)."""
        for previous in (self._in_flight, self._waiting):
            if previous is not None:
                self._set_state(previous, "cancelled")
        self._in_flight = self._waiting = None
        exchange = self.session.new(question)
        waiting = self.app.nlp_state == "loading"
        exchange.state = "waiting" if waiting else "answering"
        transcript = self.query_one("#transcript", VerticalScroll)
        for welcome in self.query("#welcome"):
            welcome.remove()
        transcript.mount(AnswerCard(exchange))
        transcript.anchor()
        if waiting:
            self._waiting = exchange.id
        else:
            self._start(exchange)
        return exchange

    def _start(self, exchange: Exchange) -> None:
        if exchange.state != "answering":
            exchange.state = "answering"
            card = self.card(exchange.id)
            if card is not None:
                card.refresh_exchange()
        self._in_flight = exchange.id
        self.query_one("#prompt").add_class("-busy")
        self.app.busy_text = "réponse en cours…"
        self._answer(exchange.id, exchange.question, snapshot_conversation(self.session.conversation))

    def _nlp_state_changed(self, state: str) -> None:
        if state != "loading" and self._waiting is not None:
            exchange = self.session.get(self._waiting)
            self._waiting = None
            if exchange is not None and exchange.state == "waiting":
                self._start(exchange)

    @work(thread=True, exclusive=True, group="answer", exit_on_error=False)
    def _answer(self, exchange_id: int, question: str, conversation) -> None:
        worker = get_current_worker()
        engine = self.app.engine
        started = time.perf_counter()
        try:
            answer = engine.ask(question, conversation)
        except Exception as exc:  # any core error becomes a notification
            if not worker.is_cancelled:
                self.post_message(AnswerFailed(exchange_id, question, error_reason(exc)))
            return
        suggested = False
        if answer.abstained and not answer.citations and not worker.is_cancelled:
            answer, suggested = suggest_passages(engine, answer), True
        if worker.is_cancelled:
            return
        self.post_message(
            AnswerReady(exchange_id, question, answer, conversation, time.perf_counter() - started, suggested=suggested)
        )

    def _finish(self, exchange_id: int) -> bool:
        """Stop the busy cues; False when the message belongs to a replaced question."""
        if exchange_id != self._in_flight:
            return False
        self._in_flight = None
        self.query_one("#prompt").remove_class("-busy")
        self.app.busy_text = ""
        return True

    def _set_state(self, exchange_id: int, state: str, error: str | None = None) -> None:
        exchange = self.session.get(exchange_id)
        if exchange is None:
            return
        exchange.state = state
        if error is not None:
            exchange.error = error
        card = self.card(exchange_id)
        if card is not None:
            card.refresh_exchange()

    def on_answer_ready(self, message: AnswerReady) -> None:
        if not self._finish(message.exchange_id):
            return
        exchange = self.session.get(message.exchange_id)
        if exchange is None:
            return
        exchange.answer = message.answer
        exchange.suggested = message.suggested
        if message.conversation is not None:
            self.session.conversation = message.conversation
        self._set_state(exchange.id, "answered")
        self.query_one("#transcript", VerticalScroll).anchor()
        self.save_conversation()

    def on_answer_failed(self, message: AnswerFailed) -> None:
        if not self._finish(message.exchange_id):
            return
        self._set_state(message.exchange_id, "failed", message.error)
        self.save_conversation()
        self.notify(message.error, title="La question n'a pas pu être traitée", severity="error", timeout=8)

    # -- citations ---------------------------------------------------------------

    def selected_exchange(self) -> Exchange | None:
        """The answer whose sources have the focus, else the latest answer."""
        node: DOMNode | None = self.focused
        while node is not None and not isinstance(node, AnswerCard):
            node = node.parent
        if isinstance(node, AnswerCard) and node.exchange.answer is not None:
            return node.exchange
        return self.session.last_answered()

    def open_citation(self, exchange: Exchange, number: int) -> None:
        """Show citation `number` (from 1) of the exchange's answer in the passage screen."""
        from assistant.tui.screens.passage import PassageScreen

        answer = exchange.answer
        if answer is None or not 1 <= number <= len(answer.citations):
            count = len(answer.citations) if answer else 0
            self.notify(f"Pas de source n° {number} (cette réponse en a {count}).", severity="warning")
            return
        citation = answer.citations[number - 1]
        value = None if answer.abstained or answer.computed or answer.value is None else float(answer.value)
        request = PassageRequest(
            document=citation.document,
            start=citation.start,
            end=citation.end,
            label=f"[{number}]",
            value=value,
        )
        self.app.push_screen(PassageScreen(request))

    def action_open_citation(self, number: int) -> None:
        """Open the passage of citation `number` of the selected answer."""
        exchange = self.selected_exchange()
        if exchange is None:
            self.notify("Aucune réponse à citer pour l'instant.", severity="warning")
            return
        self.open_citation(exchange, number)

    def on_citation_chosen(self, message: CitationChosen) -> None:
        exchange = self.session.get(message.exchange_id)
        if exchange is not None:
            self.open_citation(exchange, message.number)

    def action_toggle_focus(self) -> None:
        """Tab or Escape: from the prompt to the latest sources, and back."""
        prompt = self.query_one("#prompt", QuestionPrompt)
        if self.focused is prompt:
            lists = self.query(".citations")
            if lists:
                lists.last().focus()
                return
        prompt.focus()

    # -- transcript actions ------------------------------------------------------

    def action_clear(self) -> None:
        """Ctrl+L: clear the transcript and start a new conversation."""
        if self._in_flight is not None:
            self.workers.cancel_group(self, "answer")
        self._in_flight = self._waiting = None
        self.query_one("#prompt").remove_class("-busy")
        self.app.busy_text = ""
        self.session.clear()
        self._started_at = time.time()
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.remove_children()
        transcript.mount(Static(Content(WELCOME), id="welcome"))
        self.query_one("#prompt").focus()
        self.notify("Transcription effacée ; nouvelle conversation.", timeout=3)

    # -- saved conversations, searches -------------------------------------------

    @property
    def conversation_file(self):
        """Where this conversation is saved (INDEX_DIR/conversations/…)."""
        return conversation_path(self.app.index_dir, self._started_at)

    def save_conversation(self) -> None:
        """Save the transcript after each answer (a failure is said once, never stops the chat)."""
        if not self.session.exchanges or not self.app.index_dir.is_dir():
            return
        try:
            save_conversation(self.conversation_file, self._started_at, self.session.exchanges, self.session.conversation)
        except OSError as exc:
            if not self._save_error_shown:
                self._save_error_shown = True
                self.notify(f"Conversation non enregistrée ({error_reason(exc)})", severity="warning")

    def action_open_conversation(self) -> None:
        """Ctrl+O: pick a saved conversation of this index and show it."""
        from assistant.tui.screens.dialogs import PickScreen

        saved = list_conversations(self.app.index_dir)
        if not saved:
            self.notify("Aucune conversation enregistrée pour cet index.", severity="warning")
            return
        items = [(conversation.title(), path) for path, conversation in saved]
        self.app.push_screen(PickScreen("Rouvrir une conversation", items), self.reopen)

    async def reopen(self, path) -> None:
        """Show the saved conversation in `path` (None: nothing chosen); new questions continue it."""
        if path is None:
            return
        try:
            saved = load_conversation(path)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        if self._in_flight is not None:
            self.workers.cancel_group(self, "answer")
        self._in_flight = self._waiting = None
        self.query_one("#prompt").remove_class("-busy")
        self.app.busy_text = ""
        self.session.clear()
        context = restore_context(saved)
        if context is not None:
            self.session.conversation = context  # follow-ups continue the reopened conversation
        self._started_at = saved.started_at
        transcript = self.query_one("#transcript", VerticalScroll)
        await transcript.remove_children()
        cards = []
        for exchange in to_exchanges(saved):
            restored = self.session.new(exchange.question)
            restored.state, restored.answer, restored.error = exchange.state, exchange.answer, exchange.error
            restored.suggested, restored.asked_at = exchange.suggested, exchange.asked_at
            cards.append(AnswerCard(restored))
        await transcript.mount_all(cards)
        transcript.scroll_end(animate=False)
        self.query_one("#prompt").focus()
        self.notify(f"Conversation rouverte : {saved.title()}", timeout=4)

    def action_search_history(self) -> None:
        """Ctrl+R: search the questions already asked; the one chosen goes to the prompt."""
        from assistant.tui.screens.dialogs import PickScreen

        prompt = self.query_one("#prompt", QuestionPrompt)
        entries = list(dict.fromkeys(reversed(self.app.history.entries)))
        if not entries:
            self.notify("L'historique est vide.", severity="warning")
            return
        items = [(" ".join(q.split()), q) for q in entries]

        def chosen(question) -> None:
            if question is not None:
                prompt.value = question
            prompt.focus()

        self.app.push_screen(PickScreen("Chercher dans l'historique", items, query=prompt.value.strip()), chosen)

    def action_search_transcript(self) -> None:
        """Ctrl+F: find an exchange of the transcript and go to it."""
        from assistant.tui.screens.dialogs import PickScreen

        if not self.session.exchanges:
            self.notify("La transcription est vide.", severity="warning")
            return
        items, texts = [], []
        for exchange in self.session.exchanges:
            answer = exchange.answer
            said = answer.answer if answer is not None else (exchange.error or "")
            items.append((f"Q{exchange.id} · {one_line(exchange.question)} — {one_line(said, 160)}", exchange.id))
            quotes = [c.quote + " " + c.document for c in answer.citations] if answer is not None else []
            texts.append(" ".join([exchange.question, said, *quotes]))
        self.app.push_screen(PickScreen("Chercher dans la transcription", items, search_texts=texts), self.go_to_exchange)

    def go_to_exchange(self, exchange_id) -> None:
        """Scroll to an exchange's card, mark it and focus its sources."""
        if exchange_id is None:
            return
        card = self.card(exchange_id)
        if card is None:
            return
        for other in self.query(".-match"):
            other.remove_class("-match")
        card.add_class("-match")
        self.query_one("#transcript", VerticalScroll).scroll_to_widget(card, animate=False, top=True)
        lists = card.query(".citations")
        if lists:
            lists.first().focus()

    def action_export(self) -> None:
        """Ctrl+S: write the conversation with its citations to a Markdown file."""
        self.app.action_export()

    def action_copy_answer(self) -> None:
        """Ctrl+Y: copy the selected answer and its citations (OSC 52)."""
        exchange = self.selected_exchange()
        if exchange is None or exchange.answer is None:
            self.notify("Aucune réponse à copier.", severity="warning")
            return
        self.app.copy_to_clipboard(answer_to_text(exchange.question, exchange.answer))
        n = len(exchange.answer.citations)
        self.notify(f"Réponse copiée avec {n} citation{'s' if n > 1 else ''} (presse-papiers du terminal, OSC 52).", timeout=4)
