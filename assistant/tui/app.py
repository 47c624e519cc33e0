"""The Textual app: ``AssistantApp(engine)``, ``make_app(index_dir)``, ``run_app(index_dir)``.

The app is a thin layer over the core facade (:class:`assistant.qa.engine.Assistant`):
every call to it runs in a thread worker, and every error it raises becomes
a notification.  Three modes hold the views (Chat, Faits, Documents); help,
passages and dialogs are modal screens over them.

Start-up stays fast: the language model (spaCy, 1–3 s) and the QA stack are
imported and loaded in a worker after the first frame, while the status line
says so; a question typed meanwhile waits for it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from assistant.models import IndexStatus
from assistant.tui.commands import AssistantCommands, FrenchCommandPalette
from assistant.tui.export import export_path, write_export_to
from assistant.tui.formatting import error_reason
from assistant.tui.history import HISTORY_NAME, History
from assistant.tui.messages import NlpLoaded, StatusLoaded
from assistant.tui.screens.base import notify_worker_error
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.documents import DocumentsScreen
from assistant.tui.screens.facts import FactsScreen
from assistant.tui.session import Session, new_conversation
from assistant.tui.settings import SETTINGS_NAME, ChatSettings, load_settings, save_settings

DARK_THEME = "textual-dark"
"""Theme used by default."""
LIGHT_THEME = "textual-light"
"""Theme Ctrl+T switches to."""


class AssistantApp(App[int]):
    """The report assistant's terminal chat."""

    CSS_PATH = "app.tcss"
    TITLE = "Assistant de rapports"
    MODES = {"chat": ChatScreen, "facts": FactsScreen, "documents": DocumentsScreen}
    DEFAULT_MODE = "chat"
    COMMANDS = App.COMMANDS | {AssistantCommands}
    BINDINGS = [
        Binding("f1", "help", "Aide"),
        Binding("question_mark", "help", "Aide", show=False),
        Binding("f2", "show_mode('chat')", "Chat", show=False),
        Binding("f3", "show_mode('facts')", "Faits"),
        Binding("f4", "show_mode('documents')", "Docs", tooltip="Documents indexés"),
        Binding("ctrl+t", "toggle_theme", "Thème", show=False),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
    ]

    nlp_state: reactive[str] = reactive("loading")
    """Language model: loading, ready, absent (the core has none) or failed."""
    index_state: reactive[str] = reactive("unknown")
    """Index: unknown (not read yet), ready, missing (first use) or error."""
    index_status: reactive[IndexStatus | None] = reactive(None, always_update=True)
    """Counts and failures of the index, once read."""
    index_version: reactive[int] = reactive(0)
    """Bumped whenever the index changes (views reload their data)."""
    busy_text: reactive[str] = reactive("")
    """What runs in the background, for the status line ('' when idle)."""

    def __init__(
        self,
        engine: Any,
        *,
        corpus_dir: Path | None = None,
        history_path: Path | None = None,
        export_dir: Path | None = None,
        load_nlp: bool = True,
        offer_setup: bool = True,
        cursor_blink: bool = True,
    ) -> None:
        """`engine` is the core facade; the keyword options serve the CLI and the tests.

        Args:
            engine: an :class:`assistant.qa.engine.Assistant` (or anything with its methods).
            corpus_dir: folder offered for indexing when there is no index yet.
            history_path: where the question history lives (default INDEX_DIR/history.jsonl).
            export_dir: the folder the export dialog proposes (default: INDEX_DIR/exports).
            load_nlp: load the language model in a worker at start (tests may skip it).
            offer_setup: offer to index when there is no index.
            cursor_blink: blink the prompt's cursor (tests freeze it).
        """
        super().__init__()
        self.engine = engine
        self.corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
        index_dir = Path(getattr(engine, "index_dir", "index"))
        self.index_dir = index_dir
        self.history = History(history_path if history_path is not None else index_dir / HISTORY_NAME)
        self.export_dir = Path(export_dir) if export_dir is not None else None
        self.session = Session()
        self.load_nlp = load_nlp
        self.offer_setup = offer_setup
        self.cursor_blink = cursor_blink
        self._setup_offered = False
        self.settings_path = index_dir / SETTINGS_NAME
        self.settings = load_settings(self.settings_path)
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DARK_THEME
        self.last_export: Path | None = None
        self.last_screenshot: Path | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; plain text by default (messages quote reports and errors, not markup)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]

    # -- start-up ----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.load_nlp:
            # After the first frame: the import holds the GIL and would delay the prompt.
            self.call_after_refresh(self._load_nlp)
        else:
            self.nlp_state = "ready"
            self.session.conversation = new_conversation()
        self.refresh_status()

    @work(thread=True, group="nlp", exit_on_error=False)
    def _load_nlp(self) -> None:
        """Import and load the language model off the UI thread (spaCy: 1–3 s, more on a busy machine).

        The loading itself runs in a daemon thread that this worker watches:
        quitting while the model loads must not wait for it (the worker is
        cancelled on exit and returns at once; the daemon thread dies with
        the process).
        """
        worker = get_current_worker()
        started = time.perf_counter()
        outcome: dict[str, Any] = {}
        done = threading.Event()
        threading.Thread(target=self._load_nlp_now, args=(outcome, done), name="assistant-nlp", daemon=True).start()
        while not done.wait(0.1):
            if worker.is_cancelled:
                return
        self.post_message(NlpLoaded(outcome["state"], time.perf_counter() - started, outcome.get("error", "")))

    def _load_nlp_now(self, outcome: dict[str, Any], done: threading.Event) -> None:
        # Importing spaCy is pure-Python work that holds the GIL: hand it back to
        # the UI thread more often meanwhile, so typing stays responsive.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.0005))
        try:
            try:
                from assistant.facts.nlp import get_nlp  # spaCy + fr_core_news_sm
            except ImportError:
                outcome["state"] = "absent"
            else:
                try:
                    get_nlp()
                    outcome["state"] = "ready"
                except Exception as exc:  # the model is missing or broken: answers may still work
                    outcome["state"], outcome["error"] = "failed", error_reason(exc)
            self._warm_up_qa()
        finally:
            sys.setswitchinterval(interval)
            outcome.setdefault("state", "failed")
            done.set()

    @staticmethod
    def _warm_up_qa() -> None:
        """Import the QA stack now, so the first question does not pay for it."""
        for module in ("assistant.qa.conversation", "assistant.qa.answerer"):
            try:
                __import__(module)
            except Exception:
                pass

    def on_nlp_loaded(self, message: NlpLoaded) -> None:
        if self.session.conversation is None:
            self.session.conversation = new_conversation()
        if message.state == "failed":
            self.notify(
                f"Le modèle linguistique n'a pas pu être chargé : {message.error}",
                title="Modèle linguistique",
                severity="warning",
                timeout=8,
            )
        self.nlp_state = message.state

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def refresh_status(self) -> None:
        """Read the index status (counts, failures)."""
        try:
            status = self.engine.status()
        except Exception as exc:
            missing = type(exc).__name__ == "IndexMissing"
            self.post_message(StatusLoaded(None, missing=missing, error="" if missing else error_reason(exc)))
            return
        self.post_message(StatusLoaded(status))

    def on_status_loaded(self, message: StatusLoaded) -> None:
        self.index_status = message.status
        if message.status is not None:
            self.index_state = "ready"
            return
        self.index_state = "missing" if message.missing else "error"
        if message.error:
            self.notify(message.error, title="Index illisible", severity="error", timeout=10)
        if message.missing and self.offer_setup and not self._setup_offered:
            self._setup_offered = True
            self.action_setup()

    def index_changed(self) -> None:
        """The index was written: reload the status and the views."""
        self.index_version += 1
        self.refresh_status()

    def on_worker_state_changed(self, event) -> None:
        notify_worker_error(self, event)

    # -- views -------------------------------------------------------------------------

    @property
    def chat(self) -> ChatScreen:
        """The chat screen (base of the chat mode)."""
        return self.get_screen_stack("chat")[0]  # type: ignore[return-value]

    @property
    def documents_screen(self) -> DocumentsScreen:
        """The documents screen (base of the documents mode)."""
        return self.get_screen_stack("documents")[0]  # type: ignore[return-value]

    def action_show_mode(self, mode: str) -> None:
        """F2 / F3 / F4: Chat, Faits, Documents."""
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        """F1 / ?: key bindings and example questions."""
        from assistant.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(id="help"))

    def action_setup(self) -> None:
        """Offer to index the corpus (or a typed folder)."""
        from assistant.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(self.index_dir, self.corpus_dir, first_use=self.index_state != "ready"))

    def action_toggle_theme(self) -> None:
        """Ctrl+T: light or dark (remembered for this index)."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def watch_theme(self, theme: str) -> None:
        """Remember the theme (Ctrl+T or the palette) in INDEX_DIR/settings.json."""
        if theme == self.settings.theme or not self.index_dir.is_dir():
            return
        self.settings = ChatSettings(theme=theme)
        error = save_settings(self.settings_path, self.settings)
        if error:
            self.notify(error, severity="warning")

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, in French."""
        if self.use_command_palette and not FrenchCommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(FrenchCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's theme list (« Thème »), in French."""
        from textual.theme import ThemeProvider

        self.push_screen(FrenchCommandPalette(providers=[ThemeProvider], placeholder="Chercher un thème…"))

    def action_help_quit(self) -> None:
        """Ctrl+C: say, in French, how to quit (Ctrl+C copies in the prompt)."""
        self.notify("Pour quitter : Ctrl+Q (Ctrl+C copie le texte sélectionné).", title="Quitter ?")

    def action_screenshot_to_file(self) -> None:
        """Save an SVG capture of the screen next to the exports, and say where."""
        folder = self.export_dir if self.export_dir is not None else self.index_dir / "exports"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(self.save_screenshot(f"capture-{stamp}.svg", str(folder)))
        except OSError as exc:
            self.notify(f"Capture impossible dans {folder} : {error_reason(exc)}", severity="error")
            return
        self.last_screenshot = path.resolve()
        self.notify(f"Capture d'écran enregistrée : {self.last_screenshot}", title="Capture d'écran", timeout=10)

    def get_system_commands(self, screen: Screen) -> Any:
        """Textual's own palette entries, in French (theme, keys, screenshot, quit)."""
        yield SystemCommand("Thème", "choisir le thème de couleurs (Ctrl+T : clair / sombre)", self.action_change_theme)
        if screen.query("HelpPanel"):
            yield SystemCommand("Touches", "masquer le panneau des touches", self.action_hide_help_panel)
        else:
            yield SystemCommand("Touches", "afficher les touches de l'élément actif", self.action_show_help_panel)
        if screen.maximized is not None:
            yield SystemCommand("Réduire", "rendre sa taille à l'élément agrandi", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Agrandir", "agrandir l'élément actif", screen.action_maximize)
        yield SystemCommand(
            "Capture d'écran", "enregistrer l'écran en SVG (le chemin est indiqué)", self.action_screenshot_to_file
        )
        yield SystemCommand("Quitter", "fermer l'assistant (Ctrl+Q)", self.action_quit)

    # -- chat actions (also in the palette) ----------------------------------------------

    def action_export(self) -> None:
        """Ask where to write the conversation (a default path is proposed), then write it and say where."""
        from assistant.tui.screens.dialogs import PathPromptScreen

        exchanges = self.session.exchanges
        if not exchanges:
            self.notify("Rien à exporter : la conversation est vide.", severity="warning")
            return
        folder = self.export_dir if self.export_dir is not None else self.index_dir / "exports"
        default = export_path(folder)
        self.push_screen(
            PathPromptScreen(
                "Exporter la conversation en Markdown — fichier :",
                str(default),
                ok_label="Exporter",
                must_exist=False,
                placeholder="/chemin/vers/conversation.md",
            ),
            self.export_to,
        )

    def export_to(self, path: Path | None) -> None:
        """Write the conversation to `path` (None: the dialog was cancelled)."""
        if path is None:
            return
        if path.is_dir():
            path = export_path(path)
        try:
            written = write_export_to(self.session.exchanges, path, index_dir=str(self.index_dir))
        except OSError as exc:
            self.notify(f"Export impossible vers {path} : {error_reason(exc)}", severity="error")
            return
        self.last_export = written
        self.notify(f"Conversation exportée : {written}", title="Export Markdown", timeout=10)

    def action_copy_answer(self) -> None:
        """Copy the selected answer with its citations."""
        self.chat.action_copy_answer()

    def action_clear(self) -> None:
        """Clear the transcript."""
        self.action_show_mode("chat")
        self.chat.action_clear()

    def action_open_citation(self, number: int) -> None:
        """Open citation `number` of the selected answer."""
        self.action_show_mode("chat")
        self.chat.action_open_citation(number)

    def action_export_facts(self) -> None:
        """Export the rows of the facts view (asks where)."""
        self.action_show_mode("facts")
        self.call_after_refresh(lambda: self.facts_screen.action_export())

    @property
    def facts_screen(self) -> FactsScreen:
        """The facts screen (base of the facts mode)."""
        return self.get_screen_stack("facts")[0]  # type: ignore[return-value]

    def action_open_conversation(self) -> None:
        """Reopen a saved conversation of this index."""
        self.action_show_mode("chat")
        self.chat.action_open_conversation()

    def action_search_history(self) -> None:
        """Search the questions already asked."""
        self.action_show_mode("chat")
        self.chat.action_search_history()

    def action_search_transcript(self) -> None:
        """Search the transcript."""
        self.action_show_mode("chat")
        self.chat.action_search_transcript()

    def action_add_documents(self) -> None:
        """Add a report or a folder (Documents view)."""
        self.action_show_mode("documents")
        self.call_after_refresh(lambda: self.documents_screen.action_add())

    def action_reindex(self) -> None:
        """Re-index the indexed folders (Documents view)."""
        self.action_show_mode("documents")
        self.call_after_refresh(lambda: self.documents_screen.action_reindex())

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) of every action, for the command palette."""
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            ("Aide", "touches et exemples de questions (F1)", self.action_help),
            ("Chat", "questions et réponses citées (F2)", lambda: self.action_show_mode("chat")),
            ("Faits", "tableau de tous les chiffres, filtrable (F3)", lambda: self.action_show_mode("facts")),
            ("Documents", "rapports indexés, échecs, ajout, retrait (F4)", lambda: self.action_show_mode("documents")),
            ("Exporter la conversation", "en Markdown avec les citations (Ctrl+S)", self.action_export),
            ("Copier la réponse", "la réponse sélectionnée et ses citations (Ctrl+Y)", self.action_copy_answer),
            (
                "Exporter les faits affichés",
                "en CSV pour un tableur, filtres et tri compris (Faits, Ctrl+S)",
                self.action_export_facts,
            ),
            ("Effacer la transcription", "et commencer une nouvelle conversation (Ctrl+L)", self.action_clear),
            ("Rouvrir une conversation", "une conversation enregistrée de cet index (Ctrl+O)", self.action_open_conversation),
            ("Chercher dans l'historique", "les questions déjà posées (Ctrl+R)", self.action_search_history),
            ("Chercher dans la transcription", "questions, réponses et passages cités (Ctrl+F)", self.action_search_transcript),
            ("Ajouter un rapport ou un dossier", "l'indexer avec la barre de progression", self.action_add_documents),
            ("Réindexer", "relire les dossiers indexés (fichiers modifiés)", self.action_reindex),
            ("Indexer un dossier", "choisir le dossier à indexer", self.action_setup),
            ("Thème clair / sombre", "basculer (Ctrl+T)", self.action_toggle_theme),
            ("Quitter", "fermer l'assistant (Ctrl+Q)", self.exit),
        ]
        for n in range(1, 10):
            commands.append(
                (
                    f"Ouvrir la source {n}",
                    f"passage cité n° {n} de la réponse sélectionnée",
                    partial(self.action_open_citation, n),
                )
            )
        return commands


def make_app(index_dir: Path | str, corpus_dir: Path | str | None = None, **options: Any) -> AssistantApp:
    """The app over the index in `index_dir` (options: see :class:`AssistantApp`)."""
    from assistant.qa.engine import Assistant  # the core: SQLite, pydantic models (~0.1 s)

    return AssistantApp(Assistant(Path(index_dir)), corpus_dir=Path(corpus_dir) if corpus_dir else None, **options)


def run_app(index_dir: Path | str, corpus_dir: Path | str | None = None) -> int:
    """Run the chat until the user quits; returns the exit code."""
    app = make_app(index_dir, corpus_dir)
    app.run()
    return app.return_code or 0
