"""Indexing with a progress bar (files and sections counted), cancellable.

Used by the first-run setup and by the Documents view.  The run happens in a
thread worker; the core checks a ``threading.Event`` between files, so a
cancel keeps every document already written.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, ProgressBar, Static
from textual.worker import get_current_worker

from assistant.tui.formatting import error_reason, format_number
from assistant.tui.messages import IndexComplete, IndexFailed, IndexProgressed

if TYPE_CHECKING:  # pragma: no cover
    from assistant.tui.app import AssistantApp


def _n(count: int, singular: str, plural: str) -> str:
    return f"{format_number(count)} {singular if count < 2 else plural}"


def report_summary(report, cancelled: bool = False) -> str:
    """One line saying what an indexing run did."""
    head = "Indexation annulée" if cancelled else "Indexation terminée"
    text = (
        f"{head} : {_n(len(report.added), 'ajouté', 'ajoutés')}, {format_number(len(report.updated))} mis à jour, "
        f"{_n(len(report.unchanged), 'inchangé', 'inchangés')}, {_n(len(report.removed), 'retiré', 'retirés')}, "
        f"{format_number(len(report.failed))} en échec "
        f"({_n(report.sections, 'section', 'sections')}, {_n(report.facts, 'fait', 'faits')} écrits)"
    )
    if report.facts_failed:
        text += f" ; {_n(len(report.facts_failed), 'document indexé', 'documents indexés')} sans ses chiffres"
    if cancelled:
        text += " — les documents déjà écrits sont gardés"
    return text


class IndexPanel(Vertical):
    """A progress bar and a cancel button over one indexing run."""

    if TYPE_CHECKING:  # pragma: no cover

        @property
        def app(self) -> AssistantApp: ...  # type: ignore[override]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cancel = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Indexation : recherche des fichiers…"), classes="index-label")
        with Horizontal(classes="index-row"):
            yield ProgressBar(total=None, show_eta=False, classes="index-bar")
            yield Button("Annuler", id="index-cancel", variant="warning", compact=True)

    def start(self, paths: list[Path | str], rebuild: bool = False) -> None:
        """Index `paths` (files or folders) into the app's engine."""
        self._cancel = threading.Event()
        self.running = True
        self.add_class("-running")
        self.query_one(".index-label", Static).update(Content("Indexation : recherche des fichiers…"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#index-cancel", Button).disabled = False
        self.app.busy_text = "indexation…"
        self._run([Path(p) for p in paths], rebuild)

    def cancel(self) -> None:
        """Ask the run to stop after the current file(s)."""
        if self.running:
            self._cancel.set()
            self.query_one(".index-label", Static).update(Content("Annulation… (le fichier en cours se termine)"))
            self.query_one("#index-cancel", Button).disabled = True

    def on_unmount(self) -> None:
        # Leaving the screen or quitting: let the core stop after the current file.
        self._cancel.set()

    @on(Button.Pressed, "#index-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.cancel()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _run(self, paths: list[Path], rebuild: bool) -> None:
        worker = get_current_worker()
        cancel = self._cancel
        engine = self.app.engine

        def progress(p) -> None:
            if worker.is_cancelled:
                cancel.set()
            self.post_message(IndexProgressed(p))

        try:
            report = engine.index(paths, rebuild=rebuild, progress=progress, cancel=cancel)
        except Exception as exc:  # any core error becomes a notification
            self.post_message(IndexFailed(error_reason(exc)))
            return
        finally:
            engine.close()
        self.post_message(IndexComplete(report, cancelled=cancel.is_set()))

    def on_index_progressed(self, message: IndexProgressed) -> None:
        p = message.progress
        name = p.path if len(p.path) <= 40 else "…" + p.path[-39:]
        self.query_one(".index-label", Static).update(
            Content(f"Indexation : {p.done}/{p.total} fichiers · {format_number(p.sections)} sections — {name}")
        )
        self.query_one(ProgressBar).update(total=max(p.total, 1), progress=p.done)
        self.app.busy_text = f"indexation {p.done}/{p.total}"

    def _finished(self, text: str) -> None:
        self.running = False
        self.remove_class("-running")
        self.query_one(".index-label", Static).update(Content(text))
        self.query_one("#index-cancel", Button).disabled = True
        self.app.busy_text = ""

    def on_index_complete(self, message: IndexComplete) -> None:
        report = message.report
        self._finished(report_summary(report, message.cancelled))
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1)
        elif not message.cancelled:
            bar.update(progress=bar.total)

    def on_index_failed(self, message: IndexFailed) -> None:
        self._finished(f"Échec de l'indexation : {message.error}")
