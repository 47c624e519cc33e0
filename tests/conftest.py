"""Fixtures shared by the test modules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.qa.engine import Assistant

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The shared/ folder beside the repository (sample corpora, questions); absent on some machines."""


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared/ folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared corpora absent: {SHARED} does not exist")
    return SHARED


def engine_over(root: Path, name: str, text: str) -> Assistant:
    """An Assistant over a fresh index (in `root`) of one fictitious report `name` holding `text`."""
    (root / "docs").mkdir()
    (root / "docs" / name).write_text(text, encoding="utf-8")
    engine = Assistant(root / "index")
    engine.index([root / "docs"])
    return engine


def ungrouped(text: str) -> str:
    """`text` with the thousands separators of its figures left out ("1 450 000" → "1450000")."""
    return re.sub(r"(?<=\d)[\u202f\u00a0 ,](?=\d{3}\b)", "", text)
