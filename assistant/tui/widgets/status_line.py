"""The one-line status above the transcript: what the index holds, whether the model is ready."""

from __future__ import annotations

from textual.widgets import Static

from assistant.tui.formatting import count

NLP_TEXT = {
    "loading": "modèle linguistique : chargement…",
    "ready": "modèle linguistique : prêt",
    "absent": "modèle linguistique : non requis",
    "failed": "modèle linguistique : indisponible",
}
"""How the language model's state reads."""


class StatusLine(Static):
    """Index counts and the language model's state, kept in sync with the app's reactives."""

    def on_mount(self) -> None:
        for name in ("nlp_state", "index_status", "index_state", "busy_text"):
            self.watch(self.app, name, self._changed, init=False)
        self._changed()

    def _changed(self, *_: object) -> None:
        app = self.app
        state = getattr(app, "index_state", "unknown")
        status = getattr(app, "index_status", None)
        if state == "missing":
            index = "Pas d'index — F4 pour indexer des rapports"
        elif state == "error":
            index = "Index illisible — voir la notification"
        elif status is None:
            index = "Index : lecture…"
        else:
            index = (
                f"Index : {count(status.documents, 'document')} · "
                f"{count(status.sections, 'section')} · {count(status.facts, 'fait')}"
            )
        nlp = NLP_TEXT.get(getattr(app, "nlp_state", "loading"), "")
        busy = getattr(app, "busy_text", "")
        parts = [index, nlp] + ([busy] if busy else [])
        self.update(" │ ".join(parts))
        self.set_class(getattr(app, "nlp_state", "") == "loading", "-loading")
