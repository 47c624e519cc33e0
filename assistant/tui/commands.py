"""The command palette (Ctrl+P): every action of the app, searchable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
