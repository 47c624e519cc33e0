"""The command palette (Ctrl+P): every action of the app, searchable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # pragma: no cover
    from assistant.tui.app import AssistantApp


class AssistantCommands(Provider):
    """Commands of the assistant (the app lists them in ``AssistantApp.palette_commands``)."""

    if TYPE_CHECKING:  # pragma: no cover

        @property
        def app(self) -> AssistantApp: ...  # type: ignore[override]

    async def discover(self) -> Hits:
        for title, help_text, callback in self.app.palette_commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.app.palette_commands():
            score = matcher.match(f"{title} {help_text}")
            title_score = matcher.match(title)
            if max(score, title_score) > 0:
                yield Hit(max(score, title_score), matcher.highlight(title), callback, help=help_text)


class FrenchCommandPalette(CommandPalette):
    """Textual's command palette, with its placeholder and « aucune commande » in French."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("placeholder", "Chercher une commande…")
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Aucune commande ne correspond", style="not bold")), disabled=True, id=self._NO_MATCHES
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
