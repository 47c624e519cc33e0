"""What every screen shares: worker errors become notifications, never a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from assistant.tui.formatting import error_reason

if TYPE_CHECKING:  # pragma: no cover
    from assistant.tui.app import AssistantApp


def notify_worker_error(node, event: Worker.StateChanged) -> None:
    """Turn a worker that ended in error into a notification."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        event.stop()
        node.notify(error_reason(event.worker.error), title="Erreur", severity="error", timeout=8)


def freeze_blink(screen: Screen) -> None:
    """Stop the cursors blinking when the app asks (tests, snapshots)."""
    if not getattr(screen.app, "cursor_blink", True):
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]


class BaseScreen(Screen):
    """A full screen of the app (chat, facts, documents)."""

    if TYPE_CHECKING:  # pragma: no cover

        @property
        def app(self) -> AssistantApp: ...  # type: ignore[override]

    def on_mount(self) -> None:
        freeze_blink(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)


class IndexViewScreen(BaseScreen):
    """A view of the index (facts, documents) that reloads when the index changes.

    Subclasses define :meth:`load` (a worker) and :attr:`FOCUS`, the selector
    focused when the screen comes back.
    """

    FOCUS = ""
    """Selector of the widget focused when the screen is shown."""

    _loaded_version = -1

    def on_mount(self) -> None:
        self.watch(self.app, "index_version", self._index_changed, init=False)

    def on_screen_resume(self) -> None:
        if self._loaded_version != self.app.index_version:
            self._loaded_version = self.app.index_version
            self.load()
        if self.FOCUS:
            self.query_one(self.FOCUS).focus()

    def _index_changed(self, version: int) -> None:
        if self.is_current:
            self._loaded_version = version
            self.load()

    def load(self) -> Any:  # pragma: no cover - every view defines it (a worker)
        raise NotImplementedError


class BaseModal(ModalScreen):
    """A dialog over the current screen; Escape closes it."""

    if TYPE_CHECKING:  # pragma: no cover

        @property
        def app(self) -> AssistantApp: ...  # type: ignore[override]

    def on_mount(self) -> None:
        freeze_blink(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_worker_error(self, event)
