"""First use: no index yet — offer to index the bundled corpus or a folder the user types."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from assistant.tui.messages import IndexComplete, IndexFailed
from assistant.tui.screens.base import BaseModal
from assistant.tui.widgets.index_panel import IndexPanel, report_summary


class SetupScreen(BaseModal):
    """Index a folder before the first question; Escape postpones (or cancels a run)."""

    BINDINGS = [Binding("escape", "escape", "Plus tard / annuler")]

    def __init__(self, index_dir: Path, corpus_dir: Path | None, first_use: bool = True) -> None:
        super().__init__(id="setup-screen", classes="dialog-screen")
        self.index_dir = index_dir
        self.first_use = first_use
        self.corpus_dir = corpus_dir if corpus_dir is not None and Path(corpus_dir).exists() else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="setup-dialog"):
            if self.first_use:
                yield Static(Content("Aucun index pour l'instant"), classes="dialog-title")
                text = (
                    f"Pas encore d'index dans {Path(self.index_dir).resolve()} : indexez des rapports pour poser "
                    "des questions (l'historique, les conversations et les exports y seront rangés aussi).\n"
                )
            else:
                yield Static(Content("Indexer un dossier"), classes="dialog-title")
                text = f"Les rapports trouvés s'ajoutent à l'index ({self.index_dir}) ; les fichiers déjà indexés et inchangés sont sautés.\n"
            text += (
                "Dossier proposé : le corpus fourni. Vous pouvez taper un autre dossier ou un fichier."
                if self.corpus_dir
                else "Tapez le chemin d'un dossier de rapports (.txt, .md, .html, .pdf, .docx, .odt)."
            )
            yield Static(Content(text), classes="dialog-text")
            yield Input(value=str(self.corpus_dir or ""), placeholder="/chemin/vers/les/rapports", id="setup-path")
            yield Static(Content(""), id="setup-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Indexer", id="setup-go", variant="primary", compact=True)
                yield Button("Plus tard", id="setup-later", compact=True)
            yield IndexPanel(id="setup-index")

    def on_mount(self) -> None:
        self.query_one("#setup-path", Input).focus()

    def _panel(self) -> IndexPanel:
        return self.query_one("#setup-index", IndexPanel)

    def start(self) -> None:
        """Index the typed path."""
        if self._panel().running:
            return
        raw = self.query_one("#setup-path", Input).value.strip()
        path = Path(raw).expanduser() if raw else None
        if path is None or not path.exists():
            self.query_one("#setup-error", Static).update(Content(f"Introuvable : {raw or '(vide)'}"))
            return
        self.query_one("#setup-error", Static).update(Content(""))
        self.query_one("#setup-go", Button).disabled = True
        self._panel().start([path])

    @on(Input.Submitted, "#setup-path")
    @on(Button.Pressed, "#setup-go")
    def _go(self, event) -> None:
        event.stop()
        self.start()

    @on(Button.Pressed, "#setup-later")
    def _later(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_escape(self) -> None:
        """Cancel a running indexation, else postpone."""
        if self._panel().running:
            self._panel().cancel()
        else:
            self.dismiss(None)

    def on_index_complete(self, message: IndexComplete) -> None:
        message.stop()
        self.app.index_changed()
        self.notify(report_summary(message.report, message.cancelled), timeout=8)
        self.dismiss(message.report)

    def on_index_failed(self, message: IndexFailed) -> None:
        message.stop()
        self.query_one("#setup-go", Button).disabled = False
        self.notify(message.error, title="Indexation impossible", severity="error", timeout=8)
