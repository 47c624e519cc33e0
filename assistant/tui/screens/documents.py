"""Documents: the indexed reports with their counts, failures with their reason.

``a`` adds a report or a folder by path, ``r`` re-indexes the folders the
documents came from (incremental: changed files are read again), ``Suppr``
removes the selected document.  Indexing shows the same progress panel as the
first run.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Static

from assistant.models import DocumentInfo, IndexStatus
from assistant.qa.render import human_size
from assistant.tui.formatting import clip_end, count, error_reason, fit_widths, format_number, one_line
from assistant.tui.messages import DocumentRemoved, DocumentsLoaded, IndexComplete, IndexFailed
from assistant.tui.screens.base import IndexViewScreen
from assistant.tui.widgets.index_panel import IndexPanel, report_summary

if TYPE_CHECKING:
    from assistant.tui.app import AssistantApp

DOCUMENT_COLUMNS: list[tuple[str, str, int, int]] = [
    ("path", "Document", 28, 3),
    ("sections", "Sections", 8, 0),
    ("facts", "Faits", 6, 0),
    ("format", "Format", 6, 0),
    ("title", "Titre", 16, 4),
    ("indexed_at", "Indexé le", 16, 0),
]
"""(key, header, minimum width, weight) of the documents table: the path and the title share the width left."""


class DocumentsScreen(IndexViewScreen):
    """The indexed reports."""

    FOCUS = "#documents-table"

    BINDINGS = [
        Binding("a", "add", "Ajouter"),
        Binding("r", "reindex", "Réindexer", show=False),
        Binding("delete,d", "remove", "Retirer", key_display="suppr"),
        Binding("escape", "cancel_index", "Annuler l'indexation", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="documents")
        self.documents: list[DocumentInfo] = []
        self.status: IndexStatus | None = None
        self.widths = {key: width for key, _, width, _ in DOCUMENT_COLUMNS}

    @property
    def assistant(self) -> AssistantApp:
        """The app, with its engine."""
        return cast("AssistantApp", self.app)

    def on_resize(self, event: events.Resize) -> None:
        """Share the width there is between the path and the title, and refill the rows."""
        self._width = event.size.width
        self._fit()

    def _fit(self) -> None:
        wanted = {
            "path": max((len(d.path) for d in self.documents), default=0),
            "title": max((len(" ".join(d.title.split())) for d in self.documents), default=0),
        }
        columns = [(k, width, weight) for k, _, width, weight in DOCUMENT_COLUMNS]
        widths = fit_widths(getattr(self, "_width", 80) - 4, columns, wanted=wanted)
        if widths == self.widths:
            return
        self.widths = widths
        table = self.query_one("#documents-table", DataTable)
        for key, column in table.columns.items():
            column.width = widths.get(str(key.value), column.width)
        if self.status is not None:
            self.on_documents_loaded(DocumentsLoaded(self.documents, self.status))

    def compose(self) -> ComposeResult:
        yield Static(Content("Documents indexés"), id="documents-title")
        yield Static(Content("Lecture de l'index…"), id="documents-summary")
        table: DataTable[Text] = DataTable(id="documents-table", cursor_type="row", zebra_stripes=True)
        for key, header, width, _weight in DOCUMENT_COLUMNS:
            table.add_column(header, key=key, width=width)
        yield table
        yield Static(Content(""), id="documents-failures")
        yield IndexPanel(id="documents-index")
        yield Footer(compact=True)

    def load(self) -> None:
        """Read the documents and the status (in a worker)."""
        self._load()

    @work(thread=True, exclusive=True, group="documents", exit_on_error=False)
    def _load(self) -> None:
        engine = self.assistant.engine
        try:
            documents = engine.documents()
            status = engine.status()
        except Exception as exc:  # no index yet, unreadable index…
            self.app.call_from_thread(self._unavailable, error_reason(exc))
            return
        self.post_message(DocumentsLoaded(documents, status))

    def _unavailable(self, reason: str) -> None:
        self.documents, self.status = [], None
        self.query_one("#documents-table", DataTable).clear()
        self.query_one("#documents-summary", Static).update(
            Content(f"Pas d'index utilisable : {reason}\nAppuyez sur « a » pour indexer un dossier de rapports.")
        )

    def on_documents_loaded(self, message: DocumentsLoaded) -> None:
        first = not self.documents
        self.documents, self.status = message.documents, message.status
        if first and self.documents:
            self._fit()
        status = message.status
        self.query_one("#documents-summary", Static).update(
            Content(
                f"{count(status.documents, 'document')} · {count(status.sections, 'section')} · "
                f"{count(status.facts, 'fait')} · index {status.index_dir} ({human_size(status.size_bytes)}) · "
                "a : ajouter · r : réindexer · Suppr : retirer"
            )
        )
        table = self.query_one("#documents-table", DataTable)
        table.clear()
        for info in message.documents:
            table.add_row(
                Text(clip_end(info.path, self.widths["path"])),
                Text(format_number(info.sections), justify="right"),
                Text(format_number(info.facts), justify="right"),
                Text(info.format),
                Text(one_line(info.title, self.widths["title"])),
                Text(time.strftime("%Y-%m-%d %H:%M", time.localtime(info.indexed_at))),
                key=info.path,
            )
        failures = self.query_one("#documents-failures", Static)
        lines = []
        if status.failures:
            lines = [f"Échecs ({len(status.failures)}) :"] + [f"  ✗ {f.path} — {f.reason}" for f in status.failures]
        if status.excluded:
            lines.append(f"Retirés à la main ({len(status.excluded)}, « a » avec le fichier pour le reprendre) :")
            lines.extend(f"  − {name}" for name in status.excluded)
        if lines:
            failures.update(Content("\n".join(lines)))
            failures.display = True
        else:
            failures.update(Content(""))
            failures.display = False

    def selected_path(self) -> str | None:
        """The document under the table's cursor."""
        table = self.query_one("#documents-table", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return str(key.value) if key is not None else None

    # -- actions ---------------------------------------------------------------------

    def _panel(self) -> IndexPanel:
        return self.query_one("#documents-index", IndexPanel)

    def index_paths(self, paths: list[Path | str], rebuild: bool = False) -> None:
        """Index files or folders with the progress panel."""
        panel = self._panel()
        if panel.running:
            self.notify("Une indexation est déjà en cours.", severity="warning")
            return
        panel.start(paths, rebuild=rebuild)

    def action_add(self) -> None:
        """`a`: add a report or a folder, typed by the user."""
        from assistant.tui.screens.dialogs import PathPromptScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.index_paths([path])

        self.app.push_screen(PathPromptScreen("Ajouter un rapport ou un dossier de rapports :"), chosen)

    def action_reindex(self) -> None:
        """`r`: index again the folders the documents came from (changed files are re-read)."""
        known: list[str] = self.status.roots if self.status else []
        roots: list[Path | str] = [r for r in known if Path(r).exists()]
        if not roots:
            self.notify("Rien à réindexer : ajoutez d'abord un dossier (a).", severity="warning")
            return
        self.index_paths(roots)

    def action_remove(self) -> None:
        """`Suppr`: drop the selected document from the index (after confirmation)."""
        from assistant.tui.screens.dialogs import ConfirmScreen

        path = self.selected_path()
        if path is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._remove(path)

        self.app.push_screen(ConfirmScreen(f"Retirer « {path} » de l'index ?\n(le fichier n'est pas effacé)"), confirmed)

    @work(thread=True, group="documents-remove", exit_on_error=False)
    def _remove(self, path: str) -> None:
        try:
            removed = self.assistant.engine.remove(path)
        except Exception as exc:  # any core error becomes a notification
            self.app.call_from_thread(self.notify, error_reason(exc), severity="error")
            return
        self.post_message(DocumentRemoved(path, removed))

    def on_document_removed(self, message: DocumentRemoved) -> None:
        if message.removed:
            self.notify(
                f"« {message.path} » retiré de l'index ; il n'y revient pas quand son dossier est réindexé "
                "(ajoutez le fichier lui-même avec « a » pour le reprendre).",
                timeout=6,
            )
        else:
            self.notify(f"« {message.path} » n'était pas dans l'index.", severity="warning")
        self.assistant.index_changed()

    def action_cancel_index(self) -> None:
        """Escape: cancel a running indexation."""
        self._panel().cancel()

    def on_index_complete(self, message: IndexComplete) -> None:
        message.stop()
        report = message.report
        warn = report.failed or report.facts_failed
        text = report_summary(report, message.cancelled)
        if report.excluded:
            many = len(report.excluded) > 1
            text += (
                f" ; {count(len(report.excluded), 'document')} retiré{'s' if many else ''} à la main "
                f"laissé{'s' if many else ''} de côté"
            )
        self.notify(text, timeout=8, severity="warning" if warn else "information")
        self.assistant.index_changed()

    def on_index_failed(self, message: IndexFailed) -> None:
        message.stop()
        self.notify(message.error, title="Indexation impossible", severity="error", timeout=8)
