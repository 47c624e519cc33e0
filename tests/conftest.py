"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The shared/ folder beside the repository (sample corpora, questions); absent on some machines."""


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared/ folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared corpora absent: {SHARED} does not exist")
    return SHARED
