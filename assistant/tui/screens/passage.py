"""The cited passage: the whole section, the quote highlighted, the figure emphasised.

The quote is underlined on a tinted background and marked by a bar in the
margin; the figure is bold and reversed — never colour alone.  The passage is
read in a worker (a document's text can be long) and the quote's block is
scrolled into view.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator, Static

from assistant.tui.formatting import error_reason, format_number
from assistant.tui.messages import PassageFailed, PassageLoaded
from assistant.tui.passage import PassageRequest, PassageView, build_passage
from assistant.tui.screens.base import BaseModal

QUOTE_STYLE = "underline on $warning 25%"
"""The quoted sentence (underline carries the meaning; the tint repeats it)."""
FIGURE_STYLE = "bold reverse"
"""The figure inside the quote."""


def passage_block(text: str, offset: int, view: PassageView) -> Content:
    """One block of the passage with the quote and the figure styled (offsets are the document's)."""
    content = Content(text)
    end = offset + len(text)
    q0, q1 = max(view.quote[0], offset), min(view.quote[1], end)
    if q1 > q0:
        content = content.stylize(QUOTE_STYLE, q0 - offset, q1 - offset)
    if view.figure is not None:
        f0, f1 = max(view.figure[0], offset), min(view.figure[1], end)
        if f1 > f0:
            content = content.stylize(FIGURE_STYLE, f0 - offset, f1 - offset)
    return content


class PassageScreen(BaseModal):
    """A cited passage over the current screen; Escape returns."""

    BINDINGS = [
        Binding("escape", "dismiss_passage", "Revenir"),
        Binding("q", "dismiss_passage", "Revenir", show=False),
        Binding("ctrl+y", "copy_quote", "Copier la citation"),
    ]

    def __init__(self, request: PassageRequest) -> None:
        super().__init__(id="passage-screen")
        self.request = request
        self.view: PassageView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="passage-dialog"):
            yield Static(Content(f"{self.request.label} {self.request.document}".strip()), id="passage-title")
            yield Static(Content("Lecture du passage…"), id="passage-where")
            with VerticalScroll(id="passage-body"):
                yield LoadingIndicator()
            yield Static(
                Content("▌ citation soulignée · chiffre inversé · Échap : revenir · ^Y : copier"),
                id="passage-legend",
            )

    def on_mount(self) -> None:
        self._load(self.request)

    @work(thread=True, exclusive=True, group="passage", exit_on_error=False)
    def _load(self, request: PassageRequest) -> None:
        engine = self.app.engine
        try:
            document = engine.document(request.document)
            if document is None:
                self.post_message(PassageFailed(f"{request.document} n'est plus dans l'index"))
                return
            sections = engine.sections_of(request.document)
            facts = None
            if request.figure is None and request.value is not None:
                facts = [f for f in engine.facts(document=request.document) if f.document == request.document]
            view = build_passage(document, sections, request, facts)
        except Exception as exc:  # any core error becomes a notification
            self.post_message(PassageFailed(error_reason(exc)))
            return
        self.post_message(PassageLoaded(view))

    async def on_passage_loaded(self, message: PassageLoaded) -> None:
        view = self.view = message.view
        title = f"{self.request.label} {view.title}".strip()
        self.query_one("#passage-title", Static).update(Content.assemble((title, "bold"), f"  —  {view.document}"))
        where = [" › ".join(view.heading_path) or "(début du document)"]
        if view.page is not None:
            where.append(f"page {view.page}")
        where.append(f"caractères {format_number(view.quote[0])}–{format_number(view.quote[1])}")
        self.query_one("#passage-where", Static).update(Content("Section : " + " · ".join(where)))
        body = self.query_one("#passage-body", VerticalScroll)
        await body.remove_children()
        widgets = [Static(Content(note), classes="passage-note") for note in view.notes]
        quote_block = None
        for text, offset, is_quote in view.blocks():
            block = Static(passage_block(text.rstrip("\n"), offset, view), classes="passage-block")
            if is_quote:
                block.add_class("-quote")
                quote_block = block
            widgets.append(block)
        await body.mount_all(widgets)
        if quote_block is not None:
            self.call_after_refresh(body.scroll_to_widget, quote_block, animate=False, top=True)

    def on_passage_failed(self, message: PassageFailed) -> None:
        self.notify(message.error, title="Passage introuvable", severity="error")
        self.dismiss()

    def action_dismiss_passage(self) -> None:
        """Escape: back to where the passage was opened from."""
        self.dismiss()

    def action_copy_quote(self) -> None:
        """Copy the quote with its reference."""
        view = self.view
        if view is None:
            return
        quote = view.text[view.quote[0] - view.start : view.quote[1] - view.start]
        where = " › ".join(view.heading_path)
        page = f", p. {view.page}" if view.page is not None else ""
        self.app.copy_to_clipboard(f"« {' '.join(quote.split())} » — {view.document}, {where}{page}")
        self.notify("Citation copiée (OSC 52).", timeout=3)
