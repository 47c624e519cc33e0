"""What the chat remembers for a user of an index: ``INDEX_DIR/settings.json`` (the theme).

A missing or damaged file gives the defaults; a write that fails is reported
and never stops the chat.  No Textual here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SETTINGS_NAME = "settings.json"
"""File name of the settings inside the index directory."""


class ChatSettings(BaseModel):
    """Preferences kept between two sessions of the chat."""

    model_config = ConfigDict(extra="forbid")

    theme: str = Field(default="textual-dark", description="Name of the Textual theme last chosen.")


def load_settings(path: Path) -> ChatSettings:
    """The settings in `path`, or the defaults when it is missing or damaged."""
    try:
        return ChatSettings.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError):
        return ChatSettings()


def save_settings(path: Path, settings: ChatSettings) -> str | None:
    """Write the settings atomically; returns a French message when that failed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(settings.model_dump_json(indent=1))
        os.replace(tmp, path)
    except OSError as exc:
        return f"préférences non enregistrées dans {path} ({exc.strerror or exc})"
    return None
